"""modelcc's Codex verdicts against the real codex-cli 0.169.0's, case by case.

../shared/conformance/codex/cases/results.json records what the real CLI did with each case
(arguments, environment, exit status, messages). For every case:

* the CLI rejected the config AT LOAD (exit != 0 with an `Error loading config.toml: ...` or
  `Error: ...` message) -> modelcc reports an error at the line of the key the CLI's message
  names (within that key's table when the message names a table);
* the CLI loaded it (exit 0, a timeout while talking to a server, or a request-time `ERROR:`
  such as a missing env var or a bad URL, or a CLI-argument error) -> modelcc reports no error,
  except the deliberate differences below.

Profile files (`NN-name.extra/<name>.config.toml`) are read as siblings when the case runs
with `--profile`; `--strict-config` maps to modelcc's --strict.

Deliberate differences (modelcc is stricter than Codex's loader; documented in the README):
* 04-base-url-with-query-string: UR002 error. Codex loads it and then requests the broken
  URL `/v1?x=1/responses?y=2` (it fails at request time, exit 1).
* 67-invalid-base-url: UR001 error. Codex loads `base_url = "not a url"` and fails at request
  time (`builder error`).
Warnings where Codex is silent or only warns (not errors, so not differences in verdict):
05 (CX020 unencoded query value), 07 (CX017 shadowed bearer token), 10 (CX019 header name
Codex drops), 25 (CX007 inert legacy profile), 26/62 (CX015 unknown key; an error with
--strict, as with --strict-config), 28 (CX012 root-level provider keys), 29 (CX014
non-standard effort), 31 (CX018 no base_url), 55/56/58/64 (CX007 besides their errors).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from compiler.context import ReadContext
from compiler.diagnostics import Diagnostic, Severity, finalize
from compiler.pipeline import RunOptions, load, run_checks
from compiler.syntax.toml import read as read_toml
from tests.conftest import CONFORMANCE, conformance

DELIBERATE_ERRORS = {
    "04-base-url-with-query-string": {"UR002"},
    "67-invalid-base-url": {"UR001"},
}


def _cases() -> list[dict[str, Any]]:
    p = CONFORMANCE / "codex" / "cases" / "results.json"
    if not p.exists():
        return [{"id": "<no conformance data>"}]
    return json.loads(p.read_text(encoding="utf-8"))


def rejected_at_load(case: dict[str, Any]) -> bool:
    rc = case["rc"]
    if not isinstance(rc, int) or rc in (0, 2):  # timeout = loaded; 2 = clap argument error
        return False
    err = case["stderr"]
    if "OSS setup failed" in err:
        return False
    return re.search(r"^Error( loading config\.toml)?:", err, re.M) is not None


def _profile(case: dict[str, Any]) -> str | None:
    args = case["args"]
    for flag in ("--profile", "-p"):
        if flag in args:
            return args[args.index(flag) + 1]
    return None


def named_location(case: dict[str, Any], cases_dir: Path) -> tuple[Path, tuple[Any, ...] | int]:
    """(file, pointer or line) of what the CLI's load error names."""
    err = case["stderr"]
    main = cases_dir / f"{case['id']}.toml"
    m = re.search(r"^\s*(\d+) \| ", err, re.M)
    if "duplicate key" in err and m:
        return main, int(m.group(1))
    m = re.search(r"unknown configuration field `([^`]+)`", err)
    if m:
        return main, tuple(m.group(1).split("."))
    m = re.search(r"Model provider `([^`]+)` not found", err)
    if m:
        prof = _profile(case)
        if prof:
            pfile = cases_dir / f"{case['id']}.extra" / f"{prof}.config.toml"
            if pfile.exists() and "model_provider" in read_toml(str(pfile), pfile.read_text()).data:
                return pfile, ("model_provider",)
        return main, ("model_provider",)
    if "legacy `profile" in err:
        return main, ("profile",)
    if "`ollama-chat` is no longer supported" in err:
        return main, ("model_provider",)
    m = re.search(r"--profile `([^`]+)` cannot be used", err)
    if m:
        return main, ("profiles", m.group(1))
    m = re.search(r"in `([^`]+)`", err)
    assert m, f"cannot tell which key the CLI's message names: {err[:300]}"
    ptr: tuple[Any, ...] = tuple(m.group(1).split("."))
    if ptr == ("model_providers",):
        m2 = re.search(r"model_providers\.([^:\s]+):", err) or re.search(r"provider IDs: `([^`]+)`", err)
        if m2:
            ptr = ("model_providers", m2.group(1))
    return main, ptr


def line_range(path: Path, where: tuple[Any, ...] | int) -> tuple[int, int]:
    if isinstance(where, int):
        return where, where
    doc = read_toml(str(path), path.read_text(encoding="utf-8"))
    return doc.span(where, key=True).line, doc.span(where).end_line


def modelcc_verdict(case: dict[str, Any], cases_dir: Path) -> list[Diagnostic]:
    main = cases_dir / f"{case['id']}.toml"
    siblings: dict[str, str] = {}
    extra = cases_dir / f"{case['id']}.extra"
    if _profile(case) and extra.is_dir():
        siblings = {p.name: p.read_text(encoding="utf-8") for p in sorted(extra.glob("*.config.toml"))}
    opts = RunOptions(format="codex", strict="--strict-config" in case["args"], environ={})
    lo = load(str(main), opts, ctx=ReadContext(siblings=siblings, environ={}))
    diags = list(lo.diagnostics)
    if lo.graph is not None:
        diags += run_checks(lo.graph, environ={})
    return finalize(diags, strict=opts.strict)


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["id"])
def test_codex_case(case: dict[str, Any]) -> None:
    cases_dir = conformance("codex", "cases")
    diags = modelcc_verdict(case, cases_dir)
    errors = [d for d in diags if d.severity is Severity.ERROR]
    shown = "\n".join(f"{d.span.path}:{d.span.line}:{d.span.col} {d.code} {d.message}" for d in diags)
    if rejected_at_load(case):
        path, where = named_location(case, cases_dir)
        lo, hi = line_range(path, where)
        hits = [d for d in errors if Path(d.span.path).name == path.name and lo <= d.span.line <= hi]
        assert hits, (f"codex rejects {case['id']} at load ({case['stderr'].strip().splitlines()[0]}); modelcc "
                      f"has no error at {path.name}:{lo}-{hi}:\n{shown}")
    else:
        allowed = DELIBERATE_ERRORS.get(case["id"], set())
        unexpected = [d for d in errors if d.code not in allowed]
        assert not unexpected, f"codex loads {case['id']}; modelcc reports errors:\n{shown}"


def test_every_case_file_has_a_verdict() -> None:
    cases_dir = conformance("codex", "cases")
    ids = {c["id"] for c in _cases()}
    files = {p.stem for p in cases_dir.glob("*.toml")}
    assert files <= ids, files - ids
    # and the deliberate differences are still real differences
    for cid in DELIBERATE_ERRORS:
        case = next(c for c in _cases() if c["id"] == cid)
        assert not rejected_at_load(case)
        assert {d.code for d in modelcc_verdict(case, cases_dir) if d.severity is Severity.ERROR} \
            & DELIBERATE_ERRORS[cid]


def test_profile_file_checked_on_its_own_sees_config_toml(tmp_path: Path) -> None:
    # `modelcc check ~/.codex/*.toml`: a profile file is layered over config.toml by `codex --profile`,
    # so a provider defined (or partly overridden) there is neither "not found" (CX008) nor nameless (CX003)
    (tmp_path / "config.toml").write_text('[model_providers.gw]\nname = "Gateway"\nbase_url = "https://gw/v1"\n')
    prof = tmp_path / "work.config.toml"
    prof.write_text('model = "m"\nmodel_provider = "gw"\n\n[model_providers.gw]\nbase_url = "https://gw2/v1"\n')
    assert [d.code for d in load(str(prof), RunOptions(environ={})).diagnostics] == []
    # without config.toml next to it, both are real problems
    (tmp_path / "config.toml").unlink()
    codes = sorted(d.code for d in load(str(prof), RunOptions(environ={})).diagnostics)
    assert codes == ["CX003"], codes
    prof.write_text('model = "m"\nmodel_provider = "gw"\n')
    assert [d.code for d in load(str(prof), RunOptions(environ={})).diagnostics] == ["CX008"]
