"""The real Codex CLI (0.169.0) runs what modelcc emits.

config.toml files emitted by `compiler.emit.emit(graph, "codex", ...)` from a Plandex-shaped
and a VS Code-shaped graph (built in Python, with headers and query parameters the source
formats themselves cannot state) and from real Plandex / VS Code files: `codex exec` must
send its one request to the loopback FakeResponsesServer at `<base_url>/responses` with the
right model, `Authorization: Bearer <value of the env var>`, the headers and the query
parameters; and every emitted config (profile files included) must load with
`codex debug prompt-input` (exit 0).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from compiler.context import ReadContext, WriteContext
from compiler.emit import emit
from compiler.ir import AssignmentSet, Auth, Deployment, Graph, Model, Provider, RoleBinding
from compiler.pipeline import RunOptions, load
from compiler.syntax.toml import read as read_toml
from tests.realtools import FakeResponsesServer, codex_debug_load, header, require_codex, run_codex_exec

pytestmark = pytest.mark.realtool


def _emit(graph: Graph, **ctx_args: object) -> tuple[dict[str, str], list[str]]:
    ctx = WriteContext(**ctx_args)  # type: ignore[arg-type]
    emitted = emit(graph, "codex", ctx)
    assert emitted is not None, [d.message for d in ctx.sink]
    return dict(emitted.files), [d.code for d in ctx.sink]


def _exec(files: dict[str, str], env: dict[str, str], args: tuple[str, ...] = ()) -> tuple[object, list[dict]]:
    main = files.pop("config.toml")
    result = run_codex_exec(main, extra_files=files, env=env, args=args)
    return result, []


def _one_request(srv: FakeResponsesServer, result: object) -> dict:
    diag = f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-3000:]}"  # type: ignore[attr-defined]
    assert result.returncode == 0, diag  # type: ignore[attr-defined]
    reqs = [r for r in srv.requests() if r["method"] == "POST"]
    assert len(reqs) == 1, [r["method"] + " " + r["path"] for r in srv.requests()]
    return reqs[0]


def _loads(files: dict[str, str], profiles: list[str]) -> None:
    """config.toml loads, alone and with each profile file's keys layered over it.

    `codex debug prompt-input` takes no --profile; a profile file is a config layer, so its
    keys are layered with `-c key=value` (the `codex exec --profile` tests run real profiles).
    """
    from compiler.render import toml_value

    files = dict(files)
    main = files.pop("config.toml")
    r = codex_debug_load(main, extra_files=files)
    assert r.returncode == 0, f"codex debug prompt-input: exit {r.returncode}\n{r.stderr[-3000:]}"
    for name in profiles:
        layer = read_toml(name, files[f"{name}.config.toml"]).data
        args = [a for k, v in layer.items() for a in ("-c", f"{k}={toml_value(v)}")]
        r = codex_debug_load(main, args=args)
        assert r.returncode == 0, f"profile {name} ({args}): exit {r.returncode}\n{r.stderr[-3000:]}"


# -------------------------------------------------------------------------- graphs built in Python


def plandex_like(base_url: str) -> Graph:
    """What the Plandex reader gives for a custom provider + a pack, plus headers/query params."""
    gw = Provider(id="corp-gateway", name="corp-gateway", base_url=base_url, auth=Auth("env", "CORP_LLM_KEY"),
                  headers=(("X-Team", "compilers"),), env_headers=(("X-Tenant", "CORP_TENANT"),),
                  query_params=(("api-version", "2025-04-01-preview"), ("filter", "a&b=c d")))
    openai = Provider(id="openai", name="openai", base_url="https://api.openai.com/v1", auth=Auth("env", "OPENAI_API_KEY"),
                      builtin="plandex")
    coder = Model(id="corp/qwen3-coder", context_window=131072, max_output_tokens=32768,
                  deployments=(Deployment("corp-gateway", "Qwen/Qwen3-Coder-30B"),))
    planner = Model(id="corp/gpt-4.1", context_window=1047576,
                    deployments=(Deployment("corp-gateway", "gpt-4.1"), Deployment("openai", "gpt-4.1")),
                    settings={"reasoning_effort": "high"})
    daily = AssignmentSet(id="daily", kind="pack", bindings=(
        RoleBinding("planner", "corp/gpt-4.1"), RoleBinding("coder", "corp/qwen3-coder")))
    deep = AssignmentSet(id="deep thinking", kind="pack", bindings=(
        RoleBinding("planner", "corp/gpt-4.1"), RoleBinding("coder", "corp/gpt-4.1")))
    return Graph(providers=(gw, openai), models=(coder, planner), assignment_sets=(daily, deep),
                 sources=(("plandex", "models.json"),))


def vscode_like(base_url: str) -> Graph:
    """What the VS Code reader gives for an openai-compatible endpoint + unifiedProviderChoice."""
    p = Provider(id="gw-local", name="gw-local", base_url=base_url, auth=Auth("literal", "sk-vscode-literal-123"),
                 headers=(("X-Editor", "vscode"),), query_params=(("deployment", "team/a"),))
    m = Model(id="local-qwen", display_name="Qwen (gateway)", context_window=32768,
              deployments=(Deployment("gw-local", "qwen2.5-coder:32b"),))
    unified = AssignmentSet(id="unified", kind="default", bindings=(RoleBinding("default", "local-qwen"),))
    return Graph(providers=(p,), models=(m,), assignment_sets=(unified,), sources=(("vscode", "settings.json"),))


def test_plandex_graph_request_reaches_fake_server() -> None:
    require_codex()
    with FakeResponsesServer() as srv:
        graph = plandex_like(srv.base_url("/corp/v1"))
        files, codes = _emit(graph, options={"role": "coder"})
        assert "LS003" in codes and "LS016" in codes  # planner dropped, max output tokens dropped
        assert set(files) == {"config.toml", "deep-thinking.config.toml"}
        result = run_codex_exec(files["config.toml"], extra_files={"deep-thinking.config.toml":
                                                                   files["deep-thinking.config.toml"]},
                                env={"CORP_LLM_KEY": "sk-corp-42", "CORP_TENANT": "acme"})
        req = _one_request(srv, result)
    url = urlsplit(req["path"])
    assert url.path == "/corp/v1/responses"
    assert sorted(parse_qsl(url.query)) == [("api-version", "2025-04-01-preview"), ("filter", "a&b=c d")]
    assert header(req, "authorization") == "Bearer sk-corp-42"
    assert header(req, "x-team") == "compilers"
    assert header(req, "x-tenant") == "acme"
    assert json.loads(req["body"])["model"] == "Qwen/Qwen3-Coder-30B"


def test_plandex_graph_profile_file_selects_other_model() -> None:
    require_codex()
    with FakeResponsesServer() as srv:
        files, _ = _emit(plandex_like(srv.base_url("/corp/v1")), options={"role": "coder"})
        result = run_codex_exec(files["config.toml"], extra_files={"deep-thinking.config.toml":
                                                                   files["deep-thinking.config.toml"]},
                                env={"CORP_LLM_KEY": "sk-corp-42"}, args=["--profile", "deep-thinking"])
        req = _one_request(srv, result)
    body = json.loads(req["body"])
    assert body["model"] == "gpt-4.1"
    assert body["reasoning"]["effort"] == "high"
    assert urlsplit(req["path"]).path == "/corp/v1/responses"


def test_vscode_graph_literal_key_becomes_env_var() -> None:
    require_codex()
    with FakeResponsesServer() as srv:
        files, codes = _emit(vscode_like(srv.base_url("/v1")))
        assert "LS001" in codes and "sk-vscode-literal-123" not in files["config.toml"]
        env_key = read_toml("config.toml", files["config.toml"]).data["model_providers"]["gw-local"]["env_key"]
        result = run_codex_exec(files["config.toml"], env={env_key: "sk-from-env"})
        req = _one_request(srv, result)
    url = urlsplit(req["path"])
    assert url.path == "/v1/responses" and parse_qsl(url.query) == [("deployment", "team/a")]
    assert header(req, "authorization") == "Bearer sk-from-env"
    assert header(req, "x-editor") == "vscode"
    assert json.loads(req["body"])["model"] == "qwen2.5-coder:32b"


def test_emitted_configs_load() -> None:
    require_codex()
    files, _ = _emit(plandex_like("http://127.0.0.1:9/v1"), options={"role": "coder"})
    _loads(files, ["deep-thinking"])
    files, _ = _emit(vscode_like("http://127.0.0.1:9/v1"))
    _loads(files, [])


# -------------------------------------------------------------------------- real source files


def _read_file(path: Path) -> Graph:
    lo = load(str(path), RunOptions(environ={}), ctx=ReadContext(environ={}))
    assert lo.graph is not None, [d.message for d in lo.diagnostics]
    assert not [d for d in lo.diagnostics if d.severity.name == "ERROR"], [d.message for d in lo.diagnostics]
    return lo.graph


def test_plandex_file_request_reaches_fake_server(tmp_path: Path) -> None:
    require_codex()
    pytest.importorskip("compiler.formats.plandex.reader")
    with FakeResponsesServer() as srv:
        src = tmp_path / "models.json"
        src.write_text(json.dumps({
            "$schema": "https://plandex.ai/schemas/models-input.schema.json",
            "providers": [{"name": "corp-gateway", "baseUrl": srv.base_url("/plandex/v1"),
                           "apiKeyEnvVar": "CORP_LLM_KEY"}],
            "models": [{"modelId": "corp/qwen3-coder", "maxTokens": 131072, "maxOutputTokens": 16384,
                        "reservedOutputTokens": 8192, "defaultMaxConvoTokens": 20000,
                        "preferredOutputFormat": "xml",
                        "providers": [{"provider": "custom", "customProvider": "corp-gateway",
                                       "modelName": "Qwen/Qwen3-Coder-30B"}]}],
            "modelPacks": [{"name": "corp", "description": "one model everywhere",
                            **{role: "corp/qwen3-coder" for role in (
                                "planner", "coder", "summarizer", "builder", "names", "commitMessages",
                                "autoContinue")}}],
        }), encoding="utf-8")
        graph = _read_file(src)
        files, _ = _emit(graph, options={"role": "coder"})
        _loads(files, [n[: -len(".config.toml")] for n in files if n != "config.toml"])
        result = run_codex_exec(files.pop("config.toml"), extra_files=files, env={"CORP_LLM_KEY": "sk-plandex"})
        req = _one_request(srv, result)
    assert urlsplit(req["path"]).path == "/plandex/v1/responses"
    assert header(req, "authorization") == "Bearer sk-plandex"
    assert json.loads(req["body"])["model"] == "Qwen/Qwen3-Coder-30B"


def test_vscode_file_request_reaches_fake_server(tmp_path: Path) -> None:
    require_codex()
    pytest.importorskip("compiler.formats.vscode.reader")
    with FakeResponsesServer() as srv:
        src = tmp_path / "settings.json"
        src.write_text(json.dumps({
            "editor.fontSize": 14,
            "aiOrchestrator.providers.custom": [{
                "id": "gw-qwen", "type": "openai-compatible", "endpoint": srv.base_url("/vs/v1"),
                "modelName": "qwen2.5-coder:32b", "apiKey": "sk-vscode-literal", "contextWindow": 32768,
                "cost": {"input": 0, "output": 0}}],
            "aiOrchestrator.agents.useUnifiedProvider": True,
            "aiOrchestrator.agents.unifiedProviderChoice": "custom:gw-qwen",
        }, indent=2), encoding="utf-8")
        graph = _read_file(src)
        files, codes = _emit(graph)
        assert "LS001" in codes and "sk-vscode-literal" not in files["config.toml"]
        data = read_toml("config.toml", files["config.toml"]).data
        (provider,) = data["model_providers"].values()
        _loads(files, [])
        result = run_codex_exec(files["config.toml"], env={provider["env_key"]: "sk-vs"})
        req = _one_request(srv, result)
    assert urlsplit(req["path"]).path == "/vs/v1/responses"
    assert header(req, "authorization") == "Bearer sk-vs"
    assert json.loads(req["body"])["model"] == "qwen2.5-coder:32b"
