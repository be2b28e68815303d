"""Generate valid configs of N models in every format (for the benchmarks).

Each generator writes text directly (not through modelcc) so that the benchmark inputs do
not depend on the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml


def plandex(n: int) -> str:
    models = [
        {
            "modelId": f"acme/model-{i:05d}",
            "publisher": "Acme",
            "description": f"Acme model {i}",
            "defaultMaxConvoTokens": 10000,
            "maxTokens": 128000,
            "maxOutputTokens": 16384,
            "reservedOutputTokens": 8192,
            "preferredOutputFormat": "xml",
            "providers": [{"provider": "custom", "customProvider": "acme", "modelName": f"acme-{i:05d}"}],
        }
        for i in range(n)
    ]
    doc = {
        "$schema": "https://plandex.ai/schemas/models-input.schema.json",
        "providers": [{"name": "acme", "baseUrl": "https://api.acme.example/v1", "apiKeyEnvVar": "ACME_API_KEY"}],
        "models": models,
        "modelPacks": [
            {
                "name": "acme-pack",
                "description": "every role on acme",
                **{r: f"acme/model-{i % n:05d}" for i, r in enumerate(
                    ["planner", "coder", "summarizer", "builder", "names", "commitMessages", "autoContinue"])},
            }
        ],
    }
    return json.dumps(doc, indent=2) + "\n"


def plano(n: int) -> str:
    doc = {
        "version": "v0.4.0",
        "listeners": [{"name": "llm", "type": "model", "port": 12000}],
        "model_providers": [
            {"model": f"openai/acme-{i:05d}", "access_key": "$OPENAI_API_KEY", **({"default": True} if i == 0 else {})}
            for i in range(n)
        ],
    }
    return yaml.safe_dump(doc, sort_keys=False)


def codex(n: int) -> str:
    lines = ['model = "acme-00000"', 'model_provider = "acme-00000"', ""]
    for i in range(n):
        lines += [
            f"[model_providers.acme-{i:05d}]",
            f'name = "Acme {i}"',
            f'base_url = "https://api{i % 7}.acme.example/v1"',
            'env_key = "ACME_API_KEY"',
            'wire_api = "responses"',
            "request_max_retries = 2",
            "",
        ]
    return "\n".join(lines)


def vscode(n: int) -> str:
    doc = {
        "editor.fontSize": 14,
        "aiOrchestrator.providers.custom": [
            {
                "id": f"acme-{i:05d}",
                "displayName": f"Acme {i}",
                "type": "openai-compatible",
                "endpoint": "https://api.acme.example/v1",
                "modelName": f"acme-{i:05d}",
                "apiKey": "${SECRET:acme}",
                "contextWindow": 128000,
                "cost": {"input": 0.5, "output": 1.5},
            }
            for i in range(n)
        ],
        "aiOrchestrator.agents.providerAssignment": {"planning": "custom:acme-00000", "code": "custom:acme-00000"},
    }
    return json.dumps(doc, indent=2) + "\n"


def ir(n: int) -> str:
    doc = {
        "modelcc": "1",
        "providers": [{"id": "acme", "api": "openai", "base_url": "https://api.acme.example/v1",
                       "auth": {"kind": "env", "value": "ACME_API_KEY"}}],
        "models": [
            {"id": f"acme-{i:05d}", "context_window": 128000, "max_output_tokens": 16384,
             "deployments": [{"provider": "acme", "model_name": f"acme-{i:05d}"}]}
            for i in range(n)
        ],
    }
    return json.dumps(doc, indent=2) + "\n"


def ir_full(n: int) -> str:
    """An IR graph every target can express fully: limits, prices, Plandex's conversation budget,
    and every model bound to a role (the default set, and one profile per 1,000 models)."""
    models = [
        {"id": f"acme-{i:05d}", "description": f"Acme model {i}", "context_window": 128000,
         "max_output_tokens": 16384, "reserved_output_tokens": 8192, "cost": {"input": 0.5, "output": 1.5},
         "deployments": [{"provider": "acme", "model_name": f"acme-{i:05d}"}],
         "extras": {"plandex": {"defaultMaxConvoTokens": 10000}}}
        for i in range(n)
    ]
    sets = [{"id": "default", "kind": "default", "bindings": [{"role": "default", "model": "acme-00000"}]}]
    sets += [{"id": f"profile-{k}", "kind": "profile", "bindings": [{"role": "default", "model": f"acme-{k:05d}"}]}
             for k in range(0, n, 1000)]
    doc = {
        "modelcc": "1",
        "providers": [{"id": "acme", "api": "openai", "base_url": "https://api.acme.example/v1",
                       "auth": {"kind": "env", "value": "ACME_API_KEY"}}],
        "models": models,
        "assignment_sets": sets,
    }
    return json.dumps(doc, indent=2) + "\n"


GENERATORS = {"plandex": (plandex, "models.json"), "plano": (plano, "plano_config.yaml"),
              "codex": (codex, "config.toml"), "vscode": (vscode, "settings.json"), "ir": (ir, "graph.modelcc.json"),
              "ir-full": (ir_full, "graph.modelcc.json")}


def write(fmt: str, n: int, folder: Path) -> Path:
    gen, name = GENERATORS[fmt]
    d = folder / f"{fmt}-{n}"
    d.mkdir(parents=True, exist_ok=True)
    p = d / name
    if not p.exists():
        p.write_text(gen(n), encoding="utf-8")
    return p
