"""`modelcc schema FORMAT` prints the JSON Schema editors can use."""

from __future__ import annotations

import json

import pytest

from compiler.formats import FORMATS
from compiler.resources import load_schema


@pytest.mark.parametrize("name", sorted([*FORMATS, "manifest"]))
def test_schema_command_prints_the_schema(run, name: str) -> None:
    r = run("schema", name)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout) == load_schema(name)


def test_schema_command_rejects_unknown_formats(run) -> None:
    r = run("schema", "cursor")
    assert r.exit_code == 2
    assert "Invalid value for 'FORMAT'" in r.stderr
