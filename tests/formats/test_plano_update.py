"""Plano update mode: only the model sections of an existing file change; every other byte stays."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from compiler.context import ReadContext, WriteContext
from compiler.diagnostics import Severity
from compiler.formats.plano import reader, writer
from compiler.formats.plano.common import MODEL_KEYS
from compiler.ir import Alias, Graph
from compiler.pipeline import RunOptions, parse, read_graph
from compiler.syntax import yaml as syaml
from tests.conftest import CONFORMANCE, FIXTURES, conformance


def _valid_files() -> list[Path]:
    out = sorted((FIXTURES / "plano" / "valid").glob("*.yaml"))
    expected = CONFORMANCE / "plano" / "corpus" / "expected_validation.json"
    if expected.exists():
        files = json.loads(expected.read_text(encoding="utf-8"))["files"]
        out += [expected.parent / n for n, v in sorted(files.items()) if v["valid"]]
    return out


def _graph(path: Path) -> Graph:
    g, diags, _ = read_graph(str(path), RunOptions(environ={}, format="plano"))
    assert g is not None, diags
    return g


def _read(text: str) -> tuple[Graph, list]:  # type: ignore[type-arg]
    doc, diags = parse("updated.yaml", text, "yaml")
    assert doc is not None, diags
    ctx = ReadContext()
    return reader.read(doc, ctx), ctx.sink


def _outside_model_sections(text: str) -> list[str]:
    """The text between the model sections, in order (what update must keep byte for byte)."""
    doc = syaml.read("x.yaml", text)
    regions = sorted(r for k, r in writer._regions(text, doc).items() if k in MODEL_KEYS)
    out, pos = [], 0
    for start, end in regions:
        out.append(text[pos:start])
        pos = end
    out.append(text[pos:])
    return out


@pytest.mark.parametrize("path", _valid_files(), ids=lambda p: p.name)
def test_unchanged_graph_keeps_every_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert writer.update(text, _graph(path), WriteContext(allow_literal_secrets=True)) == text


def test_update_touches_only_model_sections() -> None:
    path = conformance("plano", "corpus", "docs__source__resources__includes__plano_config_full_reference.yaml")
    text = path.read_text(encoding="utf-8")
    g = _graph(path)
    models = tuple(m for m in g.models if m.id != "mistral/ministral-3b-latest")
    aliases = tuple(replace(a, target="anthropic/claude-sonnet-4-0", extras={}) if a.name == "fast-llm" else a
                    for a in g.aliases) + (Alias(name="groq-fast", target="groq/llama-3.3-70b-versatile"),)
    providers = tuple(p for p in g.providers if p.id != "mistral")
    changed = replace(g, providers=providers, models=models, aliases=aliases)
    ctx = WriteContext()
    new = writer.update(text, changed, ctx)
    assert not ctx.sink
    assert new != text
    # every byte outside model_providers / model_aliases / routing_preferences is kept
    assert _outside_model_sections(new) == _outside_model_sections(text)
    # routing_preferences did not change: its comments and layout are kept as well
    assert "# Requires overrides.llm_routing_model" in new and "ministral" not in new.split("routing_preferences:")[0]
    back, diags = _read(new)
    assert not [d for d in diags if d.severity is Severity.ERROR], [d.message for d in diags]
    assert back.to_dict() == changed.to_dict()


def test_new_sections_go_after_the_model_providers() -> None:
    text = (FIXTURES / "plano" / "valid" / "minimal.yaml").read_text(encoding="utf-8") + "\n# tail\ntracing:\n  random_sampling: 10\n"
    g, _ = _read(text)
    g = replace(g, aliases=(Alias(name="smart", target="openai/gpt-4o"),))
    new = writer.update(text, g, WriteContext())
    assert new.startswith(text.split("\n# tail")[0])
    assert new.index("model_aliases:") < new.index("# tail") < new.index("tracing:")
    back, _ = _read(new)
    want, got = g.to_dict(), back.to_dict()
    got["extras"]["plano"]["order"].remove("model_aliases")  # the new section is in the file now
    assert got == want


def test_removed_section_is_removed_and_rest_kept() -> None:
    path = FIXTURES / "plano" / "valid" / "gateway.yaml"
    text = path.read_text(encoding="utf-8")
    g = _graph(path)
    new = writer.update(text, replace(g, aliases=()), WriteContext())
    start, end = writer._regions(text, syaml.read("x.yaml", text))["model_aliases"]
    assert text[end] == "\n"  # the blank line after the section goes with it
    assert new == text[:start] + text[end + 1:]


def test_invalid_yaml_is_returned_unchanged() -> None:
    text = "version: v0.4.0\nmodel_providers: [\n"
    ctx = WriteContext()
    assert writer.update(text, Graph(), ctx) == text
    assert [d.code for d in ctx.sink] == ["SY001"]


def test_crlf_is_kept() -> None:
    text = (FIXTURES / "plano" / "valid" / "minimal.yaml").read_text(encoding="utf-8").replace("\n", "\r\n")
    g, _ = _read(text)
    g = replace(g, aliases=(Alias(name="smart", target="openai/gpt-4o"),))
    new = writer.update(text, g, WriteContext())
    assert "\n" not in new.replace("\r\n", "")
    assert "model_aliases:\r\n  smart:\r\n    target: openai/gpt-4o\r\n" in new
