"""Plano conformance: modelcc's verdict on the real configs of the shared corpus matches planoai's.

For every file of ../shared/conformance/plano/corpus/ (29 real configs from katanemo/plano with
planoai 0.4.39's verdicts in expected_validation.json):
- an error from modelcc exactly when planoai rejects the file;
- when planoai rejects it, an error at the line of the key its message names (the key of an
  "Additional properties ... ('x' was unexpected)" error under its Location, else the Location);
- PL024 (inline routing_preferences deprecated) exactly when planoai prints its migration warning.
Skipped with a reason when the shared data is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from compiler.diagnostics import Severity
from compiler.pipeline import RunOptions, check
from compiler.syntax import yaml as syaml
from tests.conftest import CONFORMANCE


def _expected() -> dict[str, Any]:
    path = CONFORMANCE / "plano" / "corpus" / "expected_validation.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["files"]


EXPECTED = _expected()


def _corpus(name: str) -> Path:
    from tests.conftest import conformance

    return conformance("plano", "corpus", name)


def _pointer(location: str) -> tuple[Any, ...]:
    if location.strip() == "root":
        return ()
    return tuple(int(p) if p.isdigit() else p for p in location.split(" → "))


def _expected_line(path: Path, error: str) -> int:
    doc = syaml.read(str(path), path.read_text(encoding="utf-8"))
    loc = re.search(r"^\s*Location: (.*)$", error, re.M)
    ptr = _pointer(loc.group(1)) if loc else ()
    unexpected = re.search(r"\('([^']+)' was unexpected\)", error)
    if unexpected:
        return doc.span((*ptr, unexpected.group(1)), key=True).line
    return doc.span(ptr).line


@pytest.mark.skipif(not EXPECTED, reason="shared Plano conformance data not found")
@pytest.mark.parametrize("name", sorted(EXPECTED) or ["-"])
def test_verdict_matches_planoai(name: str) -> None:
    path = _corpus(name)
    want = EXPECTED[name]
    result = check([str(path)], RunOptions(environ={}, format="plano"))
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    shown = "\n".join(f"{d.span.line}:{d.span.col} {d.code} {d.message}" for d in result.diagnostics)
    assert bool(errors) == (not want["valid"]), f"planoai says valid={want['valid']}; modelcc:\n{shown}"
    if not want["valid"]:
        line = _expected_line(path, want["error"])
        assert any(d.span.line == line for d in errors), \
            f"no error at line {line} for planoai's {want['error'].splitlines()[0]!r}; modelcc:\n{shown}"
    warns_inline = any("inline routing_preferences" in w for w in want.get("warnings") or [])
    ours = any(d.code == "PL024" for d in result.diagnostics)
    assert ours == warns_inline, shown


def test_corpus_is_complete() -> None:
    """Every corpus config has a verdict (and the other way round)."""
    if not EXPECTED:
        pytest.skip("shared Plano conformance data not found")
    folder = _corpus("expected_validation.json").parent
    assert sorted(p.name for p in folder.glob("*.yaml")) == sorted(EXPECTED)
