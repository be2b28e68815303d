"""Smoke tests of the real-tool harness: the Codex CLI against the loopback fake server, and
Plano's own validator. They check the harness, not modelcc: if these fail, every real-tool
conformance test would fail for the same reason."""
from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.realtools import (
    CODEX_VERSION,
    FakeResponsesServer,
    codex_debug_load,
    header,
    plano_validate,
    plano_validate_full,
    require_codex,
    require_plano,
    run_codex_exec,
)

def case01_config(base_url: str) -> str:
    """formats/codex.md section 7 (conformance case 01), pointed at our fake server."""
    return f"""\
model = "my-model"
model_provider = "fake"

[model_providers.fake]
name = "Fake Provider"
base_url = {json.dumps(base_url)}
env_key = "FAKE_API_KEY"
wire_api = "responses"
http_headers = {{ "X-Static-Header" = "static-value" }}
env_http_headers = {{ "X-Env-Header" = "FAKE_HDR_VALUE" }}
query_params = {{ api-version = "2025-04-01-preview", foo = "bar" }}
stream_idle_timeout_ms = 10000
request_max_retries = 0
stream_max_retries = 0
"""


@pytest.mark.realtool
def test_codex_exec_sends_configured_request_to_fake_server():
    require_codex()
    with FakeResponsesServer() as srv:
        result = run_codex_exec(
            case01_config(srv.base_url("/v1")),
            env={"FAKE_API_KEY": "sk-test-123", "FAKE_HDR_VALUE": "env-hdr-value"},
        )
        requests = srv.requests()
    diag = f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 0, diag
    assert "hello from fake server" in result.stdout, diag
    assert f"OpenAI Codex v{CODEX_VERSION}" in result.stderr, diag

    assert len(requests) == 1, [r["method"] + " " + r["path"] for r in requests]
    [req] = requests
    url = urlsplit(req["path"])
    assert req["method"] == "POST"
    assert url.path == "/v1/responses"
    # codex orders query params differently from run to run: compare as a set
    assert sorted(parse_qsl(url.query)) == [("api-version", "2025-04-01-preview"), ("foo", "bar")]
    assert header(req, "authorization") == "Bearer sk-test-123"
    assert header(req, "x-static-header") == "static-value"
    assert header(req, "x-env-header") == "env-hdr-value"
    assert req["json"]["model"] == "my-model"
    assert req["json"]["stream"] is True


@pytest.mark.realtool
def test_codex_debug_load_accepts_and_rejects():
    require_codex()
    ok = codex_debug_load(case01_config("http://127.0.0.1:9/v1"))
    assert ok.returncode == 0, ok.stderr
    bad = codex_debug_load('model_provider = "nope"\n')
    assert bad.returncode == 1, bad.stderr
    assert "nope" in bad.stderr


def test_fake_server_stops_and_keeps_its_log():
    with FakeResponsesServer() as srv:
        proc = srv._proc
        assert srv.base_url() == f"http://127.0.0.1:{srv.port}/v1"
    assert proc is not None and proc.poll() is not None
    assert srv.requests() == []


MINIMAL_PLANO = """\
version: v0.4.0
listeners:
  - name: llm
    type: model
    port: 12000
model_providers:
  - model: openai/gpt-4o
    access_key: $OPENAI_API_KEY
    default: true
"""


@pytest.mark.realtool
def test_plano_validator_accepts_minimal_config(tmp_path):
    require_plano()
    cfg = tmp_path / "plano_config.yaml"
    cfg.write_text(MINIMAL_PLANO)
    valid, message = plano_validate(cfg)
    assert (valid, message) == (True, "")

    verdict = plano_validate_full(cfg, outdir=tmp_path / "rendered")
    assert verdict["valid"] and verdict["warnings"] == []
    assert verdict["planoai_version"] == "0.4.39"
    assert (tmp_path / "rendered" / "plano_config_rendered.yaml").is_file()
    assert (tmp_path / "rendered" / "envoy.yaml").is_file()


@pytest.mark.realtool
def test_plano_validator_rejects_bad_version(tmp_path):
    require_plano()
    cfg = tmp_path / "plano_config.yaml"
    cfg.write_text(MINIMAL_PLANO.replace("version: v0.4.0", "version: v0.2.0"))
    valid, message = plano_validate(cfg)
    assert not valid
    assert message.startswith("'v0.2.0' is not one of"), message
    assert "Location: version" in message, message
