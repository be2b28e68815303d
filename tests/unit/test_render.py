"""The escaping filters: whatever goes in reads back as exactly the same value."""

from __future__ import annotations

import json
import tomllib

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.render import json_str, make_env, toml_key, toml_str, toml_value, yaml_key, yaml_scalar

TRICKY = ['a"b', "x#y", "line\nbreak", "0123", "ünïcødé", "yes", "no", "null", "~", "- a", ": x", "", "  sp ",
          "tab\there", "back\\slash", "{braces}", "[list]", "&anchor", "*alias", "!tag", "%pct", "@at", "`tick`",
          "1e3", "0x1F", ".inf", "2026-01-01", "true", "\u2028", "\x7f", "'single'"]

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


def test_tricky_strings() -> None:
    for v in TRICKY:
        assert yaml.safe_load("k: " + yaml_scalar(v))["k"] == v, v
        assert yaml.safe_load(yaml_key(v) + ": 1") == {v: 1}, v
        assert tomllib.loads("k = " + toml_str(v))["k"] == v, v
        if v:
            assert tomllib.loads(toml_key(v) + " = 1") == {v: 1}, v
        assert json.loads(json_str(v)) == v


@settings(max_examples=300)
@given(text)
def test_yaml_scalar_roundtrip(v: str) -> None:
    assert yaml.safe_load("k: " + yaml_scalar(v))["k"] == v


@settings(max_examples=300)
@given(text)
def test_toml_roundtrip(v: str) -> None:
    assert tomllib.loads("k = " + toml_str(v))["k"] == v
    if v:
        assert tomllib.loads(toml_key(v) + " = 1") == {v: 1}


@settings(max_examples=200)
@given(st.recursive(st.none() | st.booleans() | st.integers() | text,
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(text, c, max_size=3), max_leaves=8))
def test_toml_value_roundtrip(v: object) -> None:
    if v is None or (isinstance(v, (list, dict)) and "None" in repr(v)):
        return  # TOML has no null
    assert tomllib.loads("k = " + toml_value(v))["k"] == v


def test_env_is_strict() -> None:
    import jinja2
    import pytest

    env = make_env()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


@settings(max_examples=500)
@given(st.from_regex(r"[A-Za-z$_/][A-Za-z0-9_./@+:$-]{0,12}", fullmatch=True))
def test_yaml_plain_fast_path(v: str) -> None:
    out = yaml_scalar(v)
    assert yaml.safe_load("k: " + out)["k"] == v
    assert yaml.safe_load(out + ": 1") == {v: 1}
    assert yaml.safe_load("- " + out) == [v]
