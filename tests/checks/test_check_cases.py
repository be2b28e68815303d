"""Data-driven cases of the generic graph checks: `fixtures/checks/<CODE>.yaml`.

Each file holds named cases. A case is an inline IR document (`ir:`), or several (`files:`
name -> document, checked together with `together: true`), plus the diagnostics expected
from `modelcc check`, each as `[code, line, col]` (`[code, line, col, file]` with several
files). Options: `env:` (a mapping; turns on `--env` with exactly these variables) and
`ignore:` (codes not compared). Every diagnostic of the run is compared, so a case also
proves that nothing else fires.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler.checks.graph_checks import CODES, READER_CODES
from compiler.codes import all_codes
from compiler.pipeline import RunOptions, check
from compiler.reporters import TextReporter
from tests.conftest import FIXTURES

CASES = FIXTURES / "checks"
PREFIXES = ("UQ", "RF", "LM", "UR", "AU", "WC", "XF")


def _load(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("cases"), list), f"{path}: needs a `cases:` list"
    return data["cases"]


def _all_cases() -> list[tuple[str, dict[str, Any]]]:
    return [(p.stem, c) for p in sorted(CASES.glob("*.yaml")) for c in _load(p)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        cases = _all_cases()
        metafunc.parametrize(("code", "case"), cases, ids=[f"{code}:{c['name']}" for code, c in cases])


def test_check_case(code: str, case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    files: dict[str, str] = case.get("files") or {"x": case["ir"]}
    paths = []
    for name, text in files.items():
        (tmp_path / f"{name}.modelcc.yaml").write_text(text, encoding="utf-8")
        paths.append(f"{name}.modelcc.yaml")
    env = case.get("env")
    options = RunOptions(together=bool(case.get("together")), check_env=env is not None, environ=dict(env or {}))
    result = check(paths, options)
    ignore = set(case.get("ignore", ()))
    multi = len(files) > 1

    def key(d: Any) -> tuple[Any, ...]:
        t = (d.code, d.span.line, d.span.col)
        return (*t, d.span.path.removesuffix(".modelcc.yaml")) if multi else t

    got = sorted(key(d) for d in result.diagnostics if d.code not in ignore)
    want = sorted(tuple(e) for e in case.get("expect") or ())
    buf = io.StringIO()
    TextReporter(buf).report(result.diagnostics)
    assert got == want, f"diagnostics differ from the case's `expect:`\n{buf.getvalue()}"
    # the file of a code exercises that code: a case either expects it or expects silence
    assert not want or any(w[0] == code for w in want) or case.get("other_code"), \
        f"case {case['name']!r} in {code}.yaml expects only other codes"


def test_every_check_code_has_a_case() -> None:
    wanted = [c.code for c in all_codes() if c.code.startswith(PREFIXES) and not c.retired]
    missing = []
    for code in wanted:
        if code in READER_CODES:
            continue
        path = CASES / f"{code}.yaml"
        if not path.exists() or not any(any(e[0] == code for e in c.get("expect") or ()) for c in _load(path)):
            missing.append(code)
    assert not missing, f"no failing case in fixtures/checks/ for: {', '.join(missing)}"


def test_every_check_code_is_reported_by_a_check() -> None:
    wanted = {c.code for c in all_codes() if c.code.startswith(PREFIXES) and not c.retired}
    assert wanted == set(CODES) | set(READER_CODES)
    for fn in set(CODES.values()):
        assert fn.__doc__ and "Bad" in fn.__doc__ and "Good" in fn.__doc__, fn.__name__
