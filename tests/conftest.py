"""Shared pytest setup: the --update-golden flag and paths to the shared conformance data."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFORMANCE = ROOT.parent / "shared" / "conformance"
FIXTURES = ROOT / "fixtures"
GOLDEN = ROOT / "tests" / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files from the current output (the tests then fail, so an "
                          "update never passes silently; rerun without the flag)")


def conformance(*parts: str) -> Path:
    """Path under ../shared/conformance, or skip the test with a reason when it is absent."""
    p = CONFORMANCE.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"upstream conformance data not found at {p} (it lives beside the project in "
                    "the development workspace; a plain clone has none)")
    return p


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """`golden(path, actual)`: compare with the file, or rewrite it under --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(path: Path, actual: str) -> None:
        if update:
            old = path.read_text(encoding="utf-8") if path.exists() else None
            if old != actual:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(actual, encoding="utf-8", newline="")
                pytest.fail(f"golden file updated: {path.relative_to(ROOT)} (rerun without --update-golden)")
            return
        if not path.exists():
            pytest.fail(f"golden file missing: {path.relative_to(ROOT)}; run pytest --update-golden")
        expected = path.read_text(encoding="utf-8")
        if expected != actual:
            diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                f"a/{path.relative_to(ROOT)}", "b/actual"))
            pytest.fail(f"output differs from golden file:\n{diff}")

    return check


def pointers(value: Any, ptr: tuple = ()) -> list[tuple]:
    """Every pointer in a JSON-like value, containers included (root excluded)."""
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append((*ptr, k))
            out.extend(pointers(v, (*ptr, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.append((*ptr, i))
            out.extend(pointers(v, (*ptr, i)))
    return out


def value_at(value: Any, ptr: tuple) -> Any:
    for p in ptr:
        value = value[p]
    return value
