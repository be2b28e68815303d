"""Plandex writer: read -> write -> read is the identity, writing is a fixed point, losses are reported.

Inputs: every valid Plandex fixture and (when ../shared is present) every upstream example.
Also: every other format's valid fixture converts to a Plandex file that our own check and
(when present) Plandex's upstream schema accept; update mode keeps `$schema` and key order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compiler.context import WriteContext
from compiler.diagnostics import Severity
from compiler.emit import emit
from compiler.formats.plandex import writer
from compiler.ir import Auth, AssignmentSet, Cost, Deployment, Fallback, Graph, Model, Provider, RoleBinding
from compiler.pipeline import RunOptions, check, parse, read_graph
from compiler.context import ReadContext
from compiler.formats.plandex import reader
from tests.conftest import CONFORMANCE, FIXTURES, ROOT

PLANDEX_VALID = sorted((FIXTURES / "plandex" / "valid").glob("*.json"))
EXAMPLES = sorted(p for p in (CONFORMANCE / "plandex" / "examples").rglob("*.json") if "inline" not in p.parts) \
    if (CONFORMANCE / "plandex" / "examples").exists() else []
OTHER_VALID = sorted(p for p in FIXTURES.glob("*/valid/*") if p.is_file() and p.parts[-3] != "plandex")


def _read_text(text: str, name: str = "custom-models.json") -> Graph:
    doc, diags = parse(name, text, "json")
    assert doc is not None, diags
    ctx = ReadContext()
    g = reader.read(doc, ctx)
    errors = [d for d in [*doc.problems, *ctx.sink] if d.severity is Severity.ERROR]
    assert not errors, [f"{d.code} {d.message}" for d in errors]
    return g


def _write(graph: Graph) -> tuple[str, list[Any]]:
    ctx = WriteContext()
    emitted = emit(graph, "plandex", ctx)
    assert emitted is not None, [f"{d.code} {d.message}" for d in ctx.sink]
    return emitted.text, ctx.sink


def _ids(paths: list[Path]) -> list[str]:
    return [p.relative_to(p.parents[1]).as_posix() for p in paths]


@pytest.mark.parametrize("path", PLANDEX_VALID + EXAMPLES, ids=_ids(PLANDEX_VALID + EXAMPLES))
def test_read_write_read_is_identity(path: Path) -> None:
    graph, _, _ = read_graph(str(path), RunOptions(format="plandex", environ={}))
    assert graph is not None
    text, losses = _write(graph)
    assert not losses, [f"{d.code} {d.message}" for d in losses]
    assert _read_text(text).to_dict() == graph.to_dict()
    again, _ = _write(_read_text(text))
    assert again == text
    assert text.endswith("}\n") and "\t" not in text


@pytest.mark.parametrize("path", OTHER_VALID, ids=_ids(OTHER_VALID))
def test_other_formats_convert_to_a_clean_plandex_file(path: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    graph, _, _ = read_graph(str(path.relative_to(ROOT)), RunOptions(environ={}))
    if graph is None:
        pytest.skip("the source does not read to a graph on its own")
    text, _ = _write(graph)
    out = tmp_path / "custom-models.json"
    out.write_text(text, encoding="utf-8")
    result = check([str(out)], RunOptions(format="plandex", environ={}))
    assert not [d for d in result.diagnostics if d.severity is Severity.ERROR], \
        [f"{d.code} {d.message}" for d in result.diagnostics]
    if (CONFORMANCE / "plandex").exists():
        from tests.formats.test_plandex_conformance import upstream_validator

        doc = json.loads(text)
        doc.pop("$schema")
        assert upstream_validator().is_valid(doc)
    again, _ = _write(_read_text(text))
    assert again == text


# --- losses and decisions on hand-made graphs ----------------------------------------------------

def _model(mid: str = "acme/m1", **kw: Any) -> Model:
    base: dict[str, Any] = dict(context_window=128000, max_output_tokens=8192,
                                deployments=(Deployment("acme", "m1"),),
                                extras={"plandex": {"defaultMaxConvoTokens": 10000}})
    base.update(kw)
    return Model(mid, **base)


ROLES = ("planner", "summarizer", "builder", "namer", "commit-messages", "auto-continue")


def _pack(model: str = "acme/m1", extra: tuple[RoleBinding, ...] = (), **kw: Any) -> AssignmentSet:
    return AssignmentSet("mine", bindings=tuple(RoleBinding(r, model) for r in ROLES) + extra, **kw)


def _graph(*models: Model, sets: tuple[AssignmentSet, ...] = (), providers: tuple[Provider, ...] | None = None,
           **kw: Any) -> Graph:
    if providers is None:
        providers = (Provider("acme", base_url="https://api.acme.test/v1", auth=Auth("env", "ACME_KEY")),)
    return Graph(providers=providers, models=models, assignment_sets=sets, **kw)


def _codes(losses: list[Any]) -> list[str]:
    return sorted(d.code for d in losses)


def test_defaults_reserved_and_format() -> None:
    text, losses = _write(_graph(_model()))
    m = json.loads(text)["models"][0]
    assert (m["reservedOutputTokens"], m["preferredOutputFormat"], m["hasImageSupport"]) == (8192, "xml", False)
    assert not losses


def test_missing_required_fields_are_ls015_and_model_left_out() -> None:
    g = _graph(_model(extras={}), _model("acme/m2", context_window=None), sets=(_pack("acme/m1"),))
    text, losses = _write(g)
    assert _codes(losses) == ["LS004", "LS015", "LS015"]
    assert "defaultMaxConvoTokens" in losses[0].message
    assert "models" not in json.loads(text) and "modelPacks" not in json.loads(text)


def test_builtin_model_id_is_renamed_and_references_follow() -> None:
    g = _graph(_model("openai/gpt-4.1"), sets=(_pack("openai/gpt-4.1"),))
    text, losses = _write(g)
    doc = json.loads(text)
    assert doc["models"][0]["modelId"] == "openai/gpt-4.1-custom"
    assert doc["modelPacks"][0]["planner"] == "openai/gpt-4.1-custom"
    assert _codes(losses) == ["LS013"]


def test_builtin_pack_name_is_renamed() -> None:
    s = AssignmentSet("daily-driver", bindings=_pack().bindings)
    _, losses = _write(_graph(_model(), sets=(s,)))
    assert _codes(losses) == ["LS013"]


def test_roles_without_counterpart_and_missing_required_roles() -> None:
    extra = (RoleBinding("reviewer", "acme/m1"), RoleBinding("tester", "acme/m1"))
    text, losses = _write(_graph(_model(), sets=(_pack(extra=extra),)))
    assert _codes(losses) == ["LS003", "LS003"]
    assert "reviewer" not in text
    partial = AssignmentSet("p", kind="assignment", bindings=(RoleBinding("planner", "acme/m1"),))
    _, losses = _write(_graph(_model(), sets=(partial,)))
    assert _codes(losses) == ["LS004"] and "summarizer" in losses[0].message


def test_fallbacks_settings_and_unknown_kinds() -> None:
    fb = (Fallback("large-context", RoleBinding("planner", "google/gemini-2.5-pro")),
          Fallback("cheaper", RoleBinding("planner", "openai/gpt-4.1-mini")))
    planner = RoleBinding("planner", "acme/m1", settings={"temperature": 1.0, "top_p": 0.9, "seed": 3},
                          fallbacks=fb)
    s = AssignmentSet("p", bindings=(planner, *_pack().bindings[1:]))
    text, losses = _write(_graph(_model(), sets=(s,)))
    assert _codes(losses) == ["LS007", "LS016"]
    role = json.loads(text)["modelPacks"][0]["planner"]
    assert list(role) == sorted(role) and role["temperature"] == 1 and role["largeContextFallback"] == \
        "google/gemini-2.5-pro"
    assert '"temperature": 1,' in text


def test_auth_projection_and_provider_losses() -> None:
    providers = (
        Provider("vault", base_url="https://vault.example.com/v1", auth=Auth("secret", "vault-key"),
                 headers=(("X-Team", "a"),)),
        Provider("local", base_url="http://localhost:8080/v1"),
        Provider("anth", api="anthropic", base_url="https://api.anthropic.com", auth=Auth("env", "ANTHROPIC_API_KEY")),
        Provider("openai", base_url="https://api.openai.com/v1", auth=Auth("env", "OPENAI_API_KEY"), builtin="codex"),
    )
    models = tuple(_model(f"m{i}", deployments=(Deployment(p.id, "x"),)) for i, p in enumerate(providers))
    text, losses = _write(_graph(*models, providers=providers))
    doc = json.loads(text)
    by_name = {p["name"]: p for p in doc["providers"]}
    assert by_name["vault"]["apiKeyEnvVar"] == "VAULT_API_KEY"
    assert by_name["local"] == {"name": "local", "baseUrl": "http://localhost:8080/v1", "skipAuth": True}
    assert "openai" not in by_name  # a Plandex built-in by identity
    assert doc["models"][3]["providers"] == [{"provider": "openai", "modelName": "x"}]
    assert doc["models"][2]["providers"][0]["customProvider"] == "anth"
    assert _codes(losses) == ["LS002", "LS009", "LS010", "LS010"]


def test_costs_aliases_routes_and_foreign_extras() -> None:
    from compiler.ir import Alias, Route

    g = _graph(_model(cost=Cost(1.0, 2.0), extras={"plandex": {"defaultMaxConvoTokens": 10}, "plano": {"x": 1}}),
               aliases=(Alias("fast", "acme/m1"),), routes=(Route("code", "code generation", ("acme/m1",)),))
    _, losses = _write(g)
    assert _codes(losses) == ["LS005", "LS006", "LS011", "LS012"]


def test_literal_secret_never_written() -> None:
    p = Provider("acme", base_url="https://api.acme.test/v1", auth=Auth("literal", "sk-live-1234567890"))
    text, losses = _write(_graph(_model(), providers=(p,)))
    assert "sk-live" not in text and "ACME_API_KEY" in text
    assert "LS001" in _codes(losses)


def test_builtin_nodes_are_not_written() -> None:
    graph, _, _ = read_graph(str(FIXTURES / "plandex" / "valid" / "builtin-fallbacks.json"), RunOptions(environ={}))
    assert graph is not None and any(m.builtin == "plandex" for m in graph.models)
    text, _ = _write(graph)
    assert "models" not in json.loads(text) and "providers" not in json.loads(text)


# --- update mode ----------------------------------------------------------------------------------

def test_update_keeps_schema_value_and_key_order() -> None:
    src = (FIXTURES / "plandex" / "valid" / "basic.json").read_text(encoding="utf-8")
    graph = _read_text(src)
    existing = json.loads(src)
    existing["$schema"] = "./models-input.schema.json"
    existing["models"][0] = {"description": existing["models"][0]["description"],
                             **{k: v for k, v in existing["models"][0].items() if k != "description"}}
    old_text = json.dumps(existing, indent=2) + "\n"
    text = writer.update(old_text, graph, WriteContext())
    doc = json.loads(text)
    assert doc["$schema"] == "./models-input.schema.json"
    assert list(doc) == list(existing)  # providers before models, as in the existing file
    assert list(doc["models"][0])[0] == "description"
    assert _read_text(text).to_dict() == graph.to_dict()


def test_update_of_unparsable_text_generates() -> None:
    graph = _read_text((FIXTURES / "plandex" / "valid" / "basic.json").read_text(encoding="utf-8"))
    assert writer.update("{ not json", graph, WriteContext()) == _write(graph)[0]
