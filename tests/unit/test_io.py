"""Every way a file can be unreadable gets a diagnostic (or a usage error), never a traceback."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.pipeline import RunOptions, check
from compiler.reporters import TextReporter


def _run(*paths: str, **kw: object) -> tuple[str, int]:
    result = check(list(paths), RunOptions(environ={}, **kw))  # type: ignore[arg-type]
    buf = io.StringIO()
    TextReporter(buf).report(result.diagnostics)
    return buf.getvalue(), result.exit_code


IR_OK = '{"modelcc": "1", "providers": [{"id": "p", "api": "openai", "base_url": "http://localhost:1/v1", ' \
        '"auth": {"kind": "none"}}]}'


def test_missing_file() -> None:
    out, code = _run("does/not/exist.json")
    assert out.startswith("does/not/exist.json:1:1: error IO001 file not found: does/not/exist.json\n")
    assert code == 1


def test_directory(tmp_path: Path) -> None:
    out, code = _run(str(tmp_path))
    assert "error IO002" in out and "is a directory" in out
    assert code == 1


def test_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "x.modelcc.json"
    p.write_bytes(b'{"modelcc": "1",\n "providers": [{"id": "\xff"}]}')
    out, _ = _run(str(p))
    assert ":2:24: error IO004 file is not valid UTF-8 (byte 0xff at offset 40)" in out


def test_bom_is_a_warning_and_the_file_still_checks(tmp_path: Path) -> None:
    p = tmp_path / "x.modelcc.json"
    p.write_bytes(b"\xef\xbb\xbf" + IR_OK.encode())
    out, code = _run(str(p))
    assert "warning IO008" in out
    assert code == 0


def test_crlf_positions(tmp_path: Path) -> None:
    p = tmp_path / "x.modelcc.json"
    p.write_bytes(b'{\r\n  "modelcc": "1",\r\n  "bogus": 1\r\n}\r\n')
    out, code = _run(str(p))
    assert ":3:3: error SC003 bogus: unknown key 'bogus'" in out
    assert code == 1


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"// only a comment\n"])
def test_empty(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "settings.json"
    p.write_bytes(content)
    out, code = _run(str(p))
    assert "error IO006 file is empty" in out
    assert code == 1


def test_nul_bytes(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_bytes(b'{"a": 1}\x00')
    out, _ = _run(str(p))
    assert "error IO009" in out


def test_too_large(tmp_path: Path) -> None:
    p = tmp_path / "big.json"
    with p.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    out, code = _run(str(p))
    assert "error IO005 file is 50.0 MiB, over the 32 MiB limit" in out
    assert code == 1


def test_unknown_format(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text('{"editor.fontSize": 14}')
    out, code = _run(str(p))
    assert "error IO007 cannot tell which format this file is" in out
    assert "hint: looked for:" in out
    assert code == 1


def test_top_level_not_a_mapping(tmp_path: Path) -> None:
    p = tmp_path / "x.yaml"
    p.write_text("- a\n- b\n")
    out, _ = _run(str(p))
    assert ":1:1: error SY004 the top level is list, not an object/mapping" in out


def test_syntax_errors_have_positions(tmp_path: Path) -> None:
    j = tmp_path / "a.json"
    j.write_text('{\n  "a": [1, 2\n}\n')
    t = tmp_path / "b.toml"
    t.write_text('model = "x"\nmodel = "y"\n')
    y = tmp_path / "c.yaml"
    y.write_text("a: [1\n")
    out, code = _run(str(j), str(t), str(y))
    assert "a.json:3:1: error SY001 invalid JSON: expected ',' or ']' after an array item, found '}'" in out
    assert "b.toml:2:" in out and "SY002" in out
    assert "c.yaml:2:1: error SY001 invalid YAML" in out
    assert code == 1


def test_every_problem_of_the_run_is_reported(tmp_path: Path) -> None:
    a = tmp_path / "a.modelcc.json"
    a.write_text('{"modelcc": "1", "x": 1, "y": 2}')
    out, _ = _run(str(a), "missing.json")
    assert out.count("SC003") == 2 and "IO001" in out


def test_python_dash_m_and_exit_codes(tmp_path: Path) -> None:
    ok = tmp_path / "ok.modelcc.json"
    ok.write_text(IR_OK)
    r = subprocess.run([sys.executable, "-m", "compiler", "check", str(ok)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run([sys.executable, "-m", "compiler", "check", "--bogus"], capture_output=True, text=True)
    assert r.returncode == 2 and "No such option" in r.stderr
    r = subprocess.run([sys.executable, "-m", "compiler", "check", str(ok), "--format", "nope"],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
