"""Every registered code is exercised: by a golden file, a check case, or a test here.

The codes below are hard to reach from a fixture file (they need a file system state, a pair
of files, or a bug), so this module triggers each of them directly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.codes import all_codes
from compiler.pipeline import RunOptions, check
from tests.conftest import FIXTURES, ROOT


def _codes(*paths: str) -> list[str]:
    return [d.code for d in check(list(paths), RunOptions(environ={})).diagnostics]


def test_io003_unreadable_path(tmp_path: Path) -> None:
    long_name = tmp_path / ("x" * 300 + ".json")  # ENAMETOOLONG: unreadable even for root
    assert _codes(str(long_name)) == ["IO003"]


def test_sy005_several_yaml_documents(tmp_path: Path) -> None:
    p = tmp_path / "plano_config.yaml"
    p.write_text("version: v0.4.0\nlisteners: []\n---\nversion: v0.4.0\n")
    assert _codes(str(p)) == ["SY005"]


def test_sy006_yaml_value_modelcc_cannot_read(tmp_path: Path) -> None:
    p = tmp_path / "plano_config.yaml"
    p.write_text("version: v0.4.0\nlisteners: []\ncreated: 2026-13-45\n")  # a timestamp that is no date
    assert _codes(str(p)) == ["SY006"]


def test_sy006_non_string_yaml_keys_no_crash_right_lines(tmp_path: Path) -> None:
    # a `null:` or `1.5:` key crashed the reader (IN001); schema errors under such keys pointed at 1:1
    p = tmp_path / "plano_config.yaml"
    p.write_text("version: v0.4.0\nlisteners: []\nmodel_providers:\n  - model: openai/gpt-4o\n"
                 "    access_key: $OPENAI_API_KEY\n    headers:\n      1: x\n      2: 5\n"
                 "null: 1\n1.5: 2\ntrue: 3\n")
    got = [(d.code, d.span.line, d.span.col, d.message, d.hint)
           for d in check([str(p)], RunOptions(environ={})).diagnostics]
    assert [g[:3] for g in got] == [("SY006", 7, 7), ("SY006", 8, 7), ("SC001", 8, 10),
                                    ("SC003", 9, 1), ("SC003", 10, 1), ("SC003", 11, 1)], got
    assert got[0][3] == "model_providers[0].headers[1]: key 1 is not a string" and got[0][4] == 'quote it: "1"'
    assert got[5][3] == "true: unknown key 'true'"  # an unknown key is not also told to be quoted


def test_codex_profile_rules(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        'oss_provider = "vllm"\n\n[profiles.work]\nmodel = "gpt-5"\n')
    (tmp_path / "work.config.toml").write_text('model = "gpt-5-mini"\n')
    (tmp_path / "bad.name.config.toml").write_text('model = "x"\n')
    codes = _codes(str(tmp_path / "config.toml"))
    assert {"CX016", "CX021", "CX022"} <= set(codes), codes


def test_in001_a_reader_crash_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import compiler.formats.ir.reader as reader

    def boom(doc, ctx):  # type: ignore[no-untyped-def]
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(reader, "read", boom)
    p = tmp_path / "x.modelcc.json"
    p.write_text('{"modelcc": "1"}')
    result = check([str(p)], RunOptions(environ={}))
    assert [d.code for d in result.diagnostics] == ["IN001"]
    assert "RuntimeError: simulated bug" in result.diagnostics[0].message
    assert result.exit_code == 3


def test_bd007_and_bd011_update_targets(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from compiler.cli import cli

    src = (FIXTURES / "codex" / "valid" / "custom-provider.toml").read_text()
    (tmp_path / "src.toml").write_text(src)
    manifest = ("sources: [{path: src.toml, format: codex}]\n"
                "targets:\n  - {format: codex, path: out/config.toml, mode: update}\n")
    (tmp_path / "modelcc.yaml").write_text(manifest)
    runner = CliRunner()
    r = runner.invoke(cli, ["build", "--manifest", str(tmp_path / "modelcc.yaml")], env={"NO_COLOR": "1"})
    assert "BD007" in r.output and r.exit_code == 1
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "config.toml").write_bytes(b"\xff\xfe not utf-8")
    r = runner.invoke(cli, ["build", "--manifest", str(tmp_path / "modelcc.yaml")], env={"NO_COLOR": "1"})
    assert "BD011" in r.output and "IO004" in r.output and r.exit_code == 1


def test_every_code_is_exercised() -> None:
    corpus = ""
    for p in list((ROOT / "tests" / "golden").rglob("*.txt")) + list((FIXTURES / "checks").rglob("*.yaml")):
        corpus += p.read_text(encoding="utf-8")
    for p in (ROOT / "tests").rglob("*.py"):
        corpus += p.read_text(encoding="utf-8")
    missing = [c.code for c in all_codes() if not c.retired and c.code not in corpus]
    assert not missing, f"codes no fixture, golden or test exercises: {missing}"
