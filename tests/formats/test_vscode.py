"""The VS Code settings.json reader and writer: lowering, tool rules, losses, no tracebacks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.context import ReadContext, WriteContext
from compiler.emit import emit
from compiler.formats.vscode import reader as R
from compiler.ir import AssignmentSet, Auth, Cost, Deployment, Graph, Model, Provider, RoleBinding
from compiler.pipeline import RunOptions, check
from compiler.syntax import json as sjson


def read(text: str) -> tuple[Graph, list[Any]]:
    doc = sjson.read("settings.json", text)
    ctx = ReadContext()
    g = R.read(doc, ctx)
    return g, list(doc.problems) + ctx.sink


def codes(diags: list[Any]) -> list[str]:
    return sorted(d.code for d in diags)


def settings_text(**kv: Any) -> str:
    return json.dumps(kv, indent=2)


FW_MODEL = {"id": "ft", "modelPath": "accounts/a/models/ft", "contextWindow": 8192, "cost": {"input": 1, "output": 2}}


# -- reading -------------------------------------------------------------------------------------------


def test_other_settings_are_kept_in_order() -> None:
    text = '{"b.x": 1, "aiOrchestrator.agents.unifiedProviderChoice": "auto", "a.y": {"z": [1]}, // c\n}'
    g, diags = read(text)
    assert diags == []
    assert list(g.extras["vscode"]["settings"].items()) == [("b.x", 1), ("a.y", {"z": [1]})]
    assert g.assignment_sets == (AssignmentSet(id="unified", kind="default",
                                               bindings=(RoleBinding(role="default", model="auto"),)),)


def test_dotted_and_object_forms_merge() -> None:
    text = json.dumps({
        "aiOrchestrator.providers.fireworks": {"apiKey": "${SECRET:fw}", "enabled": False},
        "aiOrchestrator.providers.fireworks.customModels": [FW_MODEL],
        "aiOrchestrator.agents": {"providerAssignment": {"code": "custom:ft"}},
    })
    g, diags = read(text)
    assert diags == []
    fw = g.provider("fireworks")
    assert fw == Provider(id="fireworks", name="Fireworks AI", api="openai", base_url=R.FIREWORKS_URL,
                          auth=Auth("secret", "fw"), extras={"vscode": {"enabled": False}})
    assert g.model("ft") == Model(id="ft", context_window=8192, cost=Cost(1, 2),
                                  deployments=(Deployment("fireworks", "accounts/a/models/ft"),))
    assert g.assignment_sets[0].bindings == (RoleBinding("coder", "ft"),)


def test_dotted_key_wins_and_conflict_is_reported() -> None:
    other = dict(FW_MODEL, id="old")
    text = json.dumps({
        "aiOrchestrator.providers.fireworks.customModels": [FW_MODEL],
        "aiOrchestrator.providers.fireworks": {"customModels": [other]},
    }, indent=1)
    g, diags = read(text)
    assert codes(diags) == ["VS003"]
    assert [m.id for m in g.models] == ["ft"]
    (d,) = diags
    inner = text[: text.index('"customModels"')].count("\n") + 1
    assert "dotted" in d.message and d.related[0].span.line == 2 and d.span.line == inner == 14


@pytest.mark.parametrize("api_key,auth", [
    ("${SECRET:k}", Auth("secret", "k")), ("not-needed", Auth("none")), ("abc", Auth("literal", "abc")),
    (None, Auth("default")),
])
def test_auth_kinds(api_key: str | None, auth: Auth) -> None:
    entry = {"id": "m", "type": "openai-compatible", "endpoint": "http://localhost:8000/v1", "modelName": "x",
             "contextWindow": 10, "cost": {"input": 0, "output": 0}}
    if api_key is not None:
        entry["apiKey"] = api_key
    g, _ = read(settings_text(**{"aiOrchestrator.providers.custom": [entry]}))
    assert g.providers[0].auth == auth


def test_one_provider_per_type_endpoint_key_and_stable_ids() -> None:
    def e(i: str, endpoint: str, key: str = "not-needed", typ: str = "openai-compatible") -> dict[str, Any]:
        return {"id": i, "type": typ, "endpoint": endpoint, "modelName": i, "apiKey": key, "contextWindow": 10,
                "cost": {"input": 0, "output": 0}}

    entries = [e("a", "http://localhost:11434/v1"), e("b", "http://localhost:11434/v1"),
               e("c", "http://localhost:11434/v1", "${SECRET:x}"), e("d", "https://My-Co.openai.azure.com/",
                                                                      typ="anthropic"),
               e("f", "http://localhost:11434/other")]
    g, diags = read(settings_text(**{"aiOrchestrator.providers.custom": entries}))
    assert diags == []
    assert [p.id for p in g.providers] == ["localhost-11434", "localhost-11434-2", "my-co-openai-azure-com",
                                          "localhost-11434-3"]
    assert [m.deployments[0].provider for m in g.models] == [
        "localhost-11434", "localhost-11434", "localhost-11434-2", "my-co-openai-azure-com", "localhost-11434-3"]
    assert g.provider("my-co-openai-azure-com").api == "anthropic"


def test_presets_pull_builtins() -> None:
    g, diags = read(settings_text(**{"aiOrchestrator.agents.providerAssignment": {
        "code": "fireworks-70b", "review": "claude", "test": "auto"}}))
    assert diags == []
    assert [(m.id, m.builtin) for m in g.models] == [("fireworks-70b", "vscode"), ("claude", "vscode")]
    m = g.model("fireworks-70b")
    assert m.context_window == 128000 and m.cost == Cost(0.9, 0.9)
    assert m.deployments[0].model_name == "accounts/fireworks/models/llama-v3p3-70b-instruct"
    assert [(p.id, p.builtin) for p in g.providers] == [("fireworks", "vscode")]
    assert [b.model for b in g.assignment_sets[0].bindings] == ["fireworks-70b", "claude", "auto"]


def test_dangling_custom_ref_is_left_to_rf002() -> None:
    text = settings_text(**{"aiOrchestrator.agents.providerAssignment": {"code": "custom:nope"}})
    g, diags = read(text)
    assert diags == []
    assert g.assignment_sets[0].bindings == (RoleBinding("coder", "nope"),)


def test_unknown_role_and_bad_ref() -> None:
    g, diags = read(settings_text(**{"aiOrchestrator.agents.providerAssignment": {"reviw": "claude",
                                                                                   "code": "qwen"}}))
    assert codes(diags) == ["VS004", "VS005"]
    vs004 = next(d for d in diags if d.code == "VS004")
    assert "'review'" in vs004.hint
    assert g.assignment_sets[0].extras == {"vscode": {"roles": {"reviw": "claude"}}}


def test_fireworks_model_in_custom_list() -> None:
    g, diags = read(settings_text(**{"aiOrchestrator.providers.custom": [FW_MODEL]}))
    assert diags == []
    assert g.model("ft").extras == {"vscode": {"list": "custom"}}
    assert [(p.id, p.builtin) for p in g.providers] == [("fireworks", "vscode")]


def test_literal_key_in_ignored_field_is_not_carried() -> None:
    entry = dict(FW_MODEL, apiKey="fw_abcdefghijklmnop1234", api_token="sk-xyz1234567890", note="hello")
    g, diags = read(settings_text(**{"aiOrchestrator.providers.fireworks.customModels": [entry]}))
    assert codes(diags) == ["VS002", "VS002", "VS012"]
    assert g.model("ft").extras == {"vscode": {"fields": {"note": "hello"}}}
    out = emit(g, "vscode", WriteContext())
    assert out is not None and "fw_abc" not in out.text and "sk-xyz" not in out.text


@pytest.mark.parametrize("fixture_text", [
    "{}", "[]", '{"aiOrchestrator.": 1}', '{"aiOrchestrator.providers": 3}', '{"aiOrchestrator.agents": []}',
    '{"aiOrchestrator.providers.custom": {"a": 1}}', '{"aiOrchestrator.providers.custom": [1, null, {}]}',
    '{"aiOrchestrator.providers.fireworks": "x", "aiOrchestrator.providers.fireworks.apiKey": 3}',
    '{"aiOrchestrator.providers.fireworks.customModels": [{"id": 5}]}',
    '{"aiOrchestrator.agents.providerAssignment": {"code": 5}}',
    '{"aiOrchestrator.agents.providerAssignment": "claude"}',
    '{"aiOrchestrator.agents.unifiedProviderChoice": ""}',
    '{"aiOrchestrator.providers.custom": [{"id": "x", "type": "openai-compatible", "endpoint": "::::",'
    ' "modelName": "m", "contextWindow": 1e400, "cost": {"input": "1", "output": -0.0}}]}',
    # a non-string (unhashable) type was looked up in a dict: TypeError
    '{"aiOrchestrator.providers.custom": [{"id": "x", "type": ["openai-compatible"], "endpoint": "http://h/v1",'
    ' "modelName": "m", "contextWindow": 1, "cost": {"input": 0, "output": 0}}]}',
    '{"aiOrchestrator.providers.custom": [{"id": "x", "type": {}, "endpoint": "http://h/v1", "modelName": "m"}]}',
])
def test_bad_shapes_give_diagnostics_not_tracebacks(tmp_path, fixture_text: str) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "settings.json"
    p.write_text(fixture_text)
    result = check([str(p)], RunOptions(format="vscode", environ={}))
    assert not any(d.code.startswith("IN") for d in result.diagnostics), result.diagnostics


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
                     lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
                     max_leaves=10)
_keys = st.sampled_from(["aiOrchestrator.providers.fireworks", "aiOrchestrator.providers.fireworks.customModels",
                         "aiOrchestrator.providers.custom", "aiOrchestrator.agents.providerAssignment",
                         "aiOrchestrator.agents.useUnifiedProvider", "aiOrchestrator.agents.unifiedProviderChoice",
                         "aiOrchestrator.agents", "aiOrchestrator.providers", "aiOrchestrator.x", "editor.a"])
_entry = st.fixed_dictionaries({}, optional={
    "id": st.text(max_size=5) | _json, "type": st.sampled_from(list(R.API_OF_TYPE) + ["x"]),
    "endpoint": st.sampled_from(["http://h:1/v1", "ftp://x", "", "https://[::1]:99/"]),
    "modelName": st.text(max_size=3), "modelPath": st.text(max_size=3), "deploymentName": st.text(max_size=3),
    "apiKey": st.sampled_from(["${SECRET:a}", "not-needed", "${env:X}", "sk-1234567890abcdef", ""]),
    "contextWindow": st.integers(-5, 10**6) | _json, "cost": st.fixed_dictionaries(
        {"input": st.floats(-1, 5), "output": st.floats(-1, 5)}) | _json,
    "maxTokens": st.integers(-1, 9) | st.floats(-1, 9), "temperature": _json})


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(_keys, _json | st.lists(_entry, max_size=3)
                       | st.dictionaries(st.sampled_from(["code", "review", "x", "customModels", "apiKey"]),
                                         st.sampled_from(["auto", "claude", "custom:a", "custom:", "zz"]) | _json,
                                         max_size=3), max_size=5))
def test_fuzz_reader_and_writer_never_crash(data: dict[str, Any]) -> None:
    g, diags = read(json.dumps(data))
    from compiler.pipeline import run_checks

    errors = [d for d in diags + run_checks(g) if d.severity.name == "ERROR"]
    ctx = WriteContext()
    out = emit(g, "vscode", ctx)
    if not errors:
        assert out is not None, [d.message for d in ctx.sink if d.code == "IN002"]


# -- writing ----------------------------------------------------------------------------------------------


def test_writer_losses_and_env_auth() -> None:
    g = Graph(
        providers=(Provider("ollama", api="openai", base_url="http://localhost:11434/v1", auth=Auth("env", "OLLAMA_KEY"),
                            headers=(("X-A", "b"),)),
                   Provider("bedrock", api="bedrock", base_url="https://b"),),
        models=(Model("a", context_window=100, cost=Cost(0, 0), max_output_tokens=10,
                      deployments=(Deployment("ollama", "llama3"),)),
                Model("b", deployments=(Deployment("ollama", "x"),)),
                Model("c", context_window=1, cost=Cost(1, 1), deployments=(Deployment("bedrock", "y"),))),
        assignment_sets=(AssignmentSet("pack1", "pack", bindings=(RoleBinding("coder", "a"),
                                                                  RoleBinding("builder", "a"),
                                                                  RoleBinding("planner", "b"))),),
    )
    ctx = WriteContext()
    out = emit(g, "vscode", ctx)
    assert out is not None
    got = sorted(d.code for d in ctx.sink)
    assert got == ["LS002", "LS002", "LS003", "LS004", "LS009", "LS010", "LS013", "LS015", "LS016"], \
        [(d.code, d.message) for d in ctx.sink]
    data = sjson.read("x", out.text).data
    (entry,) = data["aiOrchestrator.providers.custom"]
    assert entry["apiKey"] == "${SECRET:OLLAMA_KEY}"
    assert data["aiOrchestrator.agents.providerAssignment"] == {"code": "custom:a"}
    assert out.text.startswith("// generated by modelcc")


def test_literal_secret_becomes_secret_ref_not_literal() -> None:
    g = Graph(providers=(Provider("p", base_url="https://api.example.com/v1", auth=Auth("literal", "sk-secret123456")),),
              models=(Model("m", context_window=5, cost=Cost(1, 1), deployments=(Deployment("p", "m"),)),))
    ctx = WriteContext()
    out = emit(g, "vscode", ctx)
    assert out is not None and "sk-secret" not in out.text
    assert {"LS001", "LS010"} <= {d.code for d in ctx.sink}
