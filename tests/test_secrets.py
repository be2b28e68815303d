"""Secrets never leak: literal keys anywhere in a file (provider auth, headers, and the settings
modelcc keeps verbatim) are reported by `check` and replaced by env-var references on output,
unless --allow-literal-secrets."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import cli

KEY = "sk-live-4f9a8b7c6d5e4f3a2b1c0d9e"

PLANO = f"""version: v0.4.0
listeners:
  - name: llm
    type: model
    port: 12000
model_providers:
  - model: openai/gpt-4o
    access_key: $OPENAI_API_KEY
    default: true
endpoints:
  weather:
    endpoint: api.weather.example:443
    protocol: https
prompt_targets:
  - name: weather
    description: get the weather
    endpoint:
      name: weather
      path: /v1/now
      http_headers:
        Authorization: "Bearer {KEY}"
"""

CODEX = """model = "gpt-5"
model_provider = "gw"

[model_providers.gw]
name = "Gateway"
base_url = "https://gw.example.com/v1"
env_key = "GW_KEY"

[mcp_servers.github]
command = "github-mcp"
env = { GITHUB_TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJ0123" }
"""

VSCODE = f"""{{
  // other settings are kept, but never a key
  "some.extension.apiToken": "{KEY}",
  "aiOrchestrator.providers.custom": [
    {{"id": "m", "type": "openai-compatible", "endpoint": "http://localhost:8000/v1", "modelName": "m",
      "contextWindow": 8000, "cost": {{"input": 0, "output": 0}}}}
  ]
}}
"""

CASES = [
    ("plano_config.yaml", PLANO, "plano", 21, "Bearer $HTTP_HEADERS_AUTHORIZATION", KEY),
    ("config.toml", CODEX, "codex", 11, '"${GITHUB_TOKEN}"', "ghp_0123456789abcdefghijABCDEFGHIJ0123"),
    ("settings.json", VSCODE, "vscode", 3, '"${env:SOME_EXTENSION_APITOKEN}"', KEY),
]


@pytest.mark.parametrize(("name", "text", "fmt", "line", "reference", "secret"), CASES, ids=[c[2] for c in CASES])
def test_kept_settings_are_checked_and_scrubbed(tmp_path: Path, name: str, text: str, fmt: str, line: int,
                                                 reference: str, secret: str) -> None:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(cli, ["check", str(src)], env={"NO_COLOR": "1"})
    assert r.exit_code == 1
    assert f"{src}:{line}:" in r.stdout and "error AU001" in r.stdout
    assert secret not in r.stdout  # never printed in full either
    r = runner.invoke(cli, ["convert", str(src), "--to", fmt], env={"NO_COLOR": "1"})
    assert r.exit_code == 1  # the source has an error (AU001) ...
    assert secret not in r.stdout  # ... the output is still produced, without the key
    assert reference in r.stdout
    assert "LS001" in r.stderr
    r = runner.invoke(cli, ["convert", str(src), "--to", fmt, "--allow-literal-secrets"], env={"NO_COLOR": "1"})
    assert secret in r.stdout


def test_provider_literal_key_becomes_env_reference(tmp_path: Path) -> None:
    src = tmp_path / "plano_config.yaml"
    src.write_text(f"version: v0.4.0\nlisteners: []\nmodel_providers:\n  - model: openai/gpt-4o\n"
                   f"    access_key: {KEY}\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["convert", str(src), "--to", "codex"], env={"NO_COLOR": "1"})
    assert KEY not in r.stdout and 'env_key = "OPENAI_API_KEY"' in r.stdout
    assert "LS001" in r.stderr and "AU001" in r.stderr
