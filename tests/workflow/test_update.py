"""Mode `update`: for every format whose writer has `update`, a build over a file with comments
and foreign keys changes only the parts modelcc owns (the provider and model settings).

Each case is fixtures/manifests/update/<format>/ (modelcc.yaml, a source, the tool's file).
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from compiler.formats import FORMATS
from compiler.pipeline import parse
from tests.conftest import FIXTURES

CASES = FIXTURES / "manifests" / "update"

# top-level keys of each tool's file that modelcc owns in update mode
OWNED = {
    "vscode": lambda k: k.startswith("aiOrchestrator."),
    "plandex": lambda k: True,
    "codex": lambda k: k in ("model_providers", "model_provider", "model", "profiles") or k.startswith("model_"),
    "plano": lambda k: k in ("model_providers", "llm_providers", "model_aliases", "routing_preferences"),
}


def _has_update(fmt: str) -> bool:
    try:
        return callable(getattr(FORMATS[fmt].writer(), "update", None))
    except ImportError:
        return False


def _doc(path: Path, fmt: str):  # type: ignore[no-untyped-def]
    doc, diags = parse(path.name, path.read_text(encoding="utf-8"), FORMATS[fmt].syntax)
    assert doc is not None, diags
    return doc


def _owned_lines(path: Path, fmt: str) -> set[int]:
    """Lines of the owned top-level keys: every located key and value under them."""
    doc = _doc(path, fmt)
    lines: set[int] = set()
    for ptr in doc.locmap():
        if ptr and isinstance(ptr[0], str) and OWNED[fmt](ptr[0]):
            for key in (False, True):
                sp = doc.resolve_span(ptr, key=key)
                lines.update(range(sp.line, sp.end_line + 1))
    return lines


@pytest.mark.parametrize("fmt", sorted(OWNED))
def test_update_changes_only_owned_parts(fmt: str, tmp_path: Path, run) -> None:
    if not _has_update(fmt):
        pytest.skip(f"the {fmt} writer has no update() yet")
    case = CASES / fmt
    if not case.exists():
        pytest.skip(f"no update fixture for {fmt} in {case}")
    work = tmp_path / fmt
    shutil.copytree(case, work)
    target = next(p for p in work.iterdir() if p.name not in ("modelcc.yaml",) and not p.name.startswith("source"))
    before = target.read_text(encoding="utf-8")
    owned = _owned_lines(target, fmt)

    r = run("build", "--check", cwd=work)
    assert r.exit_code == 1, r.stderr
    assert r.stdout.startswith(f"--- a/{target.name}\n+++ b/{target.name}\n")
    r = run("build", cwd=work)
    assert r.exit_code == 0, r.stderr
    after = target.read_text(encoding="utf-8")
    assert after != before

    old, new = before.splitlines(), after.splitlines()
    sm = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag in ("replace", "delete"):
            for i in range(i1, i2):
                only_comma = tag == "replace" and any(n.rstrip() == old[i].rstrip() + "," for n in new[j1:j2])
                assert i + 1 in owned or only_comma, \
                    f"line {i + 1} outside the model/provider parts changed: {old[i]!r}"
    # every foreign top-level key has exactly the value it had
    data_old, data_new = _doc(target, fmt).data, _doc_text(target.name, after, fmt).data
    foreign = [k for k in data_old if not OWNED[fmt](k)]
    assert {k: data_new.get(k) for k in foreign} == {k: data_old[k] for k in foreign}
    assert [k for k in data_new if not OWNED[fmt](k)] == foreign
    for line in old:
        if line.lstrip().startswith(("//", "/*", "#")):
            assert line in new, f"comment lost: {line!r}"
    # the updated file reads back, and a second build changes nothing
    assert run("build", "--check", cwd=work).exit_code == 0
    r = run("check", target.name, cwd=work)
    assert r.exit_code == 0, r.stdout


def _doc_text(name: str, text: str, fmt: str):  # type: ignore[no-untyped-def]
    doc, diags = parse(name, text, FORMATS[fmt].syntax)
    assert doc is not None, diags
    return doc
