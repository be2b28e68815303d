"""Our schemas: valid against their metaschema, draft-07-compatible, and the fast gate agrees
with jsonschema on every document the readers validate (fixtures and conformance corpora)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import compiler.schema as schema_mod
from compiler.pipeline import RunOptions, check
from tests.conftest import CONFORMANCE, FIXTURES, ROOT

SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_and_gate_compatible(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            used = schema_mod.POST_DRAFT7 & set(node)
            assert not used, f"{path.name} uses {used}, which the draft-07 fast gate would not enforce"
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)


def _inputs() -> list[Path]:
    out = [p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix in (".json", ".yaml", ".yml", ".toml")
           and "checks" not in p.parts]
    if CONFORMANCE.exists():
        out += sorted((CONFORMANCE / "plano" / "corpus").glob("*.yaml"))
        out += sorted((CONFORMANCE / "codex" / "cases").glob("*.toml"))
        out += sorted((CONFORMANCE / "plandex" / "examples").rglob("*.json"))
    return sorted(out)


def test_gate_agrees_with_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, bool, bool, str]] = []
    real_validate = schema_mod.validate

    def both(doc: Any, name: str, data: Any = None) -> Any:
        instance = doc.data if data is None else data
        gate = schema_mod.fast_validator(name)
        full = schema_mod.validator_for(name).is_valid(instance)
        calls.append((name, gate(instance), full, doc.path))
        return real_validate(doc, name, data)

    monkeypatch.setattr(schema_mod, "validate", both)
    for mod in ("plandex", "plano", "codex", "vscode", "ir"):
        reader = __import__(f"compiler.formats.{mod}.reader", fromlist=["x"])
        if getattr(reader, "validate", None) is real_validate:
            monkeypatch.setattr(reader, "validate", both)
    check([str(p) for p in _inputs()], RunOptions(environ={}))
    assert len(calls) > 50, "the readers did not go through compiler.schema.validate"
    disagreements = [c for c in calls if c[1] != c[2]]
    assert not disagreements, disagreements
    assert any(not c[2] for c in calls) and any(c[2] for c in calls)


def test_non_string_yaml_keys_are_explained_not_crashed(tmp_path: Path) -> None:
    # an IR YAML with `null:` / `1:` keys crashed the unknown-key explanation (IN001, exit 3)
    p = tmp_path / "g.modelcc.yaml"
    p.write_text("modelcc: 1\nproviders:\n  - id: a\n    base_url: http://localhost:1/v1\n"
                 "    headers: {2: x}\n    1: x\nnull: 3\n")
    got = [(d.code, d.span.line, d.span.col, d.message, d.hint) for d in check([str(p)], RunOptions()).diagnostics]
    assert [g[:3] for g in got] == [("SC004", 1, 10), ("SY006", 5, 15), ("SC003", 6, 5), ("SC003", 7, 1)], got
    assert got[0][4] == 'write "1" (a string), not 1'  # not "did you mean '1'?"
    assert got[1][3] == "providers[0].headers[2]: key 2 is not a string"
    assert got[2][3] == "providers[0][1]: unknown key '1'" and got[3][3] == "null: unknown key 'null'"
    assert schema_mod.where(("a", None, True, 1.5, 0)) == "a[null][true][1.5][0]"
