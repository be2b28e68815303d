"""Jinja environment factory and the escaping filters for each syntax.

Templates only lay out a view model; every value that lands in config text goes through
one of these filters. No config text is built by string concatenation elsewhere.
"""

from __future__ import annotations

import functools
import json
import math
import re
from typing import Any

_BARE_TOML_KEY = re.compile(r"^[A-Za-z0-9_-]+\Z")


def toml_key(key: str) -> str:
    """A TOML key: bare when possible, else a basic string."""
    key = str(key)
    return key if _BARE_TOML_KEY.match(key) else toml_str(key)


def toml_str(value: str) -> str:
    """A TOML basic string with every character that needs it escaped."""
    out = ['"']
    for ch in str(value):
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\u{o:04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_value(value: Any) -> str:
    """Any JSON-like value as TOML (inline tables for dicts)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def json_str(value: Any) -> str:
    """A JSON string literal (non-ASCII kept as is)."""
    return json.dumps(str(value), ensure_ascii=False)


def json_value(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


def json_value_indented(value: Any, level: int = 0, indent: int = 2) -> str:
    """A JSON value pretty-printed and re-indented to sit at `level` indents in a template."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    pad = " " * (indent * level)
    return text.replace("\n", "\n" + pad)


def yaml_scalar(value: Any) -> str:
    """A YAML scalar that reads back as exactly `value` (quoted whenever needed)."""
    import yaml

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip().removesuffix("...").strip()
    text = str(value)
    if _YAML_PLAIN.match(text) and text.lower() not in _YAML_WORDS and not text.endswith(":"):
        return text  # cannot be read as anything but this string (see _YAML_PLAIN)
    if any(c in _YAML_BREAKS for c in text):
        return _dump_scalar(text, '"')
    dumped = _dump_scalar(text, None)
    if "\n" in dumped:  # PyYAML folded it over lines: force one double-quoted line with escapes
        dumped = _dump_scalar(text, '"')
    return dumped


# Strings that are safe as plain YAML scalars without asking PyYAML: they start with a letter,
# `$`, `_` or `/` (so they are never numbers, dates or sexagesimals), hold no space, `#`, quote,
# bracket or flow character, and a `:` is never followed by a space (there is none). Words the
# YAML 1.1 resolver turns into booleans or null are excluded below.
_YAML_PLAIN = re.compile(r"^[A-Za-z$_/][A-Za-z0-9_./@+:$-]*\Z")
_YAML_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"})
_YAML_BREAKS = frozenset("\n\r\x85\u2028\u2029")


def _dump_scalar(text: str, style: str | None) -> str:
    import yaml

    dumped = yaml.safe_dump(text, default_style=style, default_flow_style=True, allow_unicode=True,
                            width=1 << 30)
    dumped = dumped.rstrip("\n")
    if dumped.endswith("\n..."):
        dumped = dumped[: -len("\n...")]
    return dumped


def yaml_key(key: Any) -> str:
    return yaml_scalar(key)


def yaml_value(value: Any) -> str:
    """Any JSON-like value as a YAML flow value (for extras kept verbatim)."""
    import yaml

    if isinstance(value, (dict, list, tuple)):
        text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=1 << 30)
        return text.strip()
    return yaml_scalar(value)


def yaml_block(value: Any, level: int = 0) -> str:
    """Any JSON-like value as a YAML block, indented `level` * 2 spaces (no trailing newline)."""
    import yaml

    text = yaml.safe_dump(value, default_flow_style=False, allow_unicode=True, sort_keys=False, width=1 << 30)
    text = text.rstrip("\n")
    if text.endswith("\n..."):
        text = text[:-4]
    pad = "  " * level
    return "\n".join(pad + line if line else line for line in text.split("\n"))


FILTERS: dict[str, Any] = {
    "toml_key": toml_key,
    "toml_str": toml_str,
    "toml_value": toml_value,
    "json_str": json_str,
    "json_value": json_value,
    "json_indented": json_value_indented,
    "yaml_scalar": yaml_scalar,
    "yaml_key": yaml_key,
    "yaml_value": yaml_value,
    "yaml_block": yaml_block,
}


@functools.cache
def make_env(extra_dirs: tuple[str, ...] = ()) -> Any:
    """The one Jinja environment: StrictUndefined, no autoescape, filters above."""
    import jinja2

    from compiler.resources import targets_dir

    loaders: list[Any] = [jinja2.FileSystemLoader(d) for d in extra_dirs]
    loaders.append(jinja2.FileSystemLoader(str(targets_dir())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def render(template: str, **context: Any) -> str:
    """Render `targets/<template>` with a view model."""
    return make_env().get_template(template).render(**context)
