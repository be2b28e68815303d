"""`modelcc inspect`: the canonical IR JSON validates against schemas/ir.schema.json and reads
back as an `ir` source to the same graph; the tree names what was understood."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from compiler.cli import cli
from compiler.pipeline import RunOptions, read_graph
from compiler.resources import load_schema
from tests.conftest import FIXTURES, ROOT

VALID = sorted(p for p in FIXTURES.glob("*/valid/**/*") if p.is_file() and not p.name.endswith(".config.toml")
               and p.suffix in (".json", ".yaml", ".yml", ".toml"))


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_ir_json_validates_and_reads_back(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    rel = str(path.relative_to(ROOT))
    r = CliRunner().invoke(cli, ["inspect", "--output", "json", rel])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    jsonschema.Draft202012Validator(load_schema("ir")).validate(doc)
    out = tmp_path / "graph.modelcc.json"
    out.write_text(r.stdout, encoding="utf-8")
    original, _, _ = read_graph(rel, RunOptions(environ={}))
    back, diags, loaded = read_graph(str(out), RunOptions(environ={}))
    assert loaded.format is not None and loaded.format.name == "ir"
    assert not [d for d in diags if d.severity.name == "ERROR"], diags
    assert back == original
    # and printing the re-read graph gives the same document
    again = CliRunner().invoke(cli, ["inspect", "--output", "json", str(out)])
    assert again.stdout == r.stdout


def test_tree_shows_providers_models_and_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    r = CliRunner().invoke(cli, ["inspect", "fixtures/plandex/valid/basic.json"])
    assert r.exit_code == 0
    assert r.stdout.splitlines()[:5] == [
        "fixtures/plandex/valid/basic.json (plandex)",
        "├─ providers (1)",
        "│  └─ togetherai  api openai  https://api.together.xyz/v1  auth: env var TOGETHER_API_KEY",
        "├─ models (1)",
        "│  └─ meta-llama/llama-4-maverick  context 1048576, output 16000, reserved 16000",
    ]
    assert "   └─ pack llama-everywhere  — Llama 4 Maverick for every role" in r.stdout


def test_inspect_of_a_broken_file_reports_and_exits_1(tmp_path: Path) -> None:
    p = tmp_path / "x.modelcc.json"
    p.write_text('{"modelcc": "1", "providers": [{"id": 3}]}')
    r = CliRunner().invoke(cli, ["inspect", str(p)])
    assert r.exit_code == 1
    assert "SC001" in r.stderr
