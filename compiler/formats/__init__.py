"""The format registry, written out by hand.

Each format is a package `compiler.formats.<name>` with `reader.py` (`read(doc, ctx) ->
Graph`) and `writer.py` (`write(graph, ctx) -> Emitted`), a schema `schemas/<name>.schema.json`,
a template folder `targets/<name>/` and, where the tool has built-ins, a catalog
`compiler/catalog/<name>.json`. Detection (`sniff`) lives here so that it is cheap: it
imports nothing heavy.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from types import ModuleType
from typing import Any


def _sniff_plandex(data: Any, name: str) -> bool:
    if not isinstance(data, dict):
        return False
    schema = data.get("$schema")
    if isinstance(schema, str) and "models-input.schema.json" in schema:
        return True
    keys = set(data)
    if keys & {"modelPacks"}:
        return True
    if "models" in keys or "providers" in keys:
        return not any(isinstance(k, str) and k.startswith("aiOrchestrator.") for k in keys) and \
            "model_providers" not in keys and "modelcc" not in keys
    return False


def _sniff_plano(data: Any, name: str) -> bool:
    if not isinstance(data, dict):
        return False
    keys = set(data)
    if keys & {"model_providers", "llm_providers", "model_aliases", "routing_preferences", "listeners",
               "prompt_targets"}:
        return "version" in keys or bool(keys & {"model_providers", "llm_providers", "listeners"}) and \
            not _looks_codex(data)
    return False


def _looks_codex(data: dict[str, Any]) -> bool:
    mp = data.get("model_providers")
    return isinstance(mp, dict) or "model_provider" in data or "profiles" in data


def _sniff_codex(data: Any, name: str) -> bool:
    if not isinstance(data, dict):
        return False
    if _looks_codex(data):
        return True
    return bool(set(data) & {"model", "model_reasoning_effort", "approval_policy", "sandbox_mode",
                             "mcp_servers", "openai_base_url", "oss_provider"}) and name.endswith(".toml")


def _sniff_vscode(data: Any, name: str) -> bool:
    return isinstance(data, dict) and any(isinstance(k, str) and k.startswith("aiOrchestrator.") for k in data)


def _sniff_ir(data: Any, name: str) -> bool:
    return isinstance(data, dict) and isinstance(data.get("modelcc"), (str, int, dict))


@dataclass(frozen=True)
class Format:
    name: str
    syntax: str  # default syntax: json | toml | yaml
    description: str
    extensions: tuple[str, ...]
    filenames: tuple[str, ...]  # file names that suggest this format
    sniff: Callable[[Any, str], bool] = field(repr=False)
    writable: bool = True

    @property
    def package(self) -> str:
        return f"compiler.formats.{self.name}"

    def reader(self) -> ModuleType:
        return importlib.import_module(f"{self.package}.reader")

    def writer(self) -> ModuleType:
        return importlib.import_module(f"{self.package}.writer")

    def default_filename(self) -> str:
        return self.filenames[0]


FORMATS: dict[str, Format] = {
    "plandex": Format("plandex", "json", "Plandex custom models file (models-input.schema.json)",
                      (".json",), ("custom-models.json", "models.json"), _sniff_plandex),
    "plano": Format("plano", "yaml", "Plano (archgw) gateway config", (".yaml", ".yml"),
                    ("plano_config.yaml", "config.yaml", "arch_config.yaml"), _sniff_plano),
    "codex": Format("codex", "toml", "OpenAI Codex CLI config.toml", (".toml",), ("config.toml",), _sniff_codex),
    "vscode": Format("vscode", "json", "VS Code settings.json (aiOrchestrator.*)", (".json", ".jsonc"),
                     ("settings.json",), _sniff_vscode),
    "ir": Format("ir", "json", "modelcc intermediate graph (*.modelcc.json / .yaml)",
                 (".modelcc.json", ".modelcc.yaml", ".modelcc.yml"), ("graph.modelcc.json",), _sniff_ir),
}

# detection order when several sniffers match (most specific first)
_ORDER = ("ir", "vscode", "codex", "plano", "plandex")


def syntax_for_path(path: str) -> str | None:
    name = PurePath(path).name.lower()
    if name.endswith((".json", ".jsonc", ".json5")):
        return "json"
    if name.endswith(".toml"):
        return "toml"
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    return None


def detect(data: Any, path: str) -> Format | None:
    """Content first (distinctive keys), file name second."""
    name = PurePath(path).name.lower()
    for fname in _ORDER:
        if FORMATS[fname].sniff(data, name):
            return FORMATS[fname]
    for fname in _ORDER:
        f = FORMATS[fname]
        if name in f.filenames or any(name.endswith(e) for e in f.extensions if e.startswith(".modelcc")):
            return f
    return None


WHAT_WE_LOOK_FOR = (
    "plandex: top-level \"$schema\" ending in models-input.schema.json, or keys providers/models/modelPacks; "
    "plano: model_providers/llm_providers/listeners with version; "
    "codex: [model_providers.*] tables, model_provider or profiles; "
    "vscode: keys starting with \"aiOrchestrator.\"; "
    "ir: a top-level \"modelcc\" key"
)
