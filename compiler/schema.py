"""JSON Schema pass: validate a Document against one of `schemas/`, report plain sentences.

Every jsonschema error becomes an `SC*` diagnostic at the span of the value (or key) it
concerns. Schemas may carry two non-standard keywords that this module honours:
`x-message` (the sentence to print when that subschema fails, `{value}` and `{key}`
substituted) and `x-hint` (the hint line).
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Iterable, Iterator
from typing import Any

from compiler.diagnostics import Diagnostic, diag
from compiler.source import Document

_JSON_TYPE = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    type(None): "null",
}
_TYPE_WORD = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "boolean": "a boolean (true/false)",
    "integer": "a whole number",
    "number": "a number",
    "null": "null",
}


def _what(value: Any) -> str:
    for t, word in _JSON_TYPE.items():
        if type(value) is t:
            if t in (str, int, float, bool):
                return f"{word} ({_short(value)})"
            return word
    return f"a {type(value).__name__} ({_short(value)})"


def _short(value: Any) -> str:
    try:
        s = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        s = repr(value)
    return s if len(s) <= 60 else s[:57] + "..."


def where(path: Iterable[Any]) -> str:
    """`models[3].maxTokens` from a pointer."""
    out = ""
    for p in path:
        if isinstance(p, int) and not isinstance(p, bool):
            out += f"[{p}]"
        elif not isinstance(p, str):  # a YAML key that is not a string (null, true, 1.5, a date)
            label = key_label(p)
            out += f"[{label}]" if out else label
        elif out:
            out += f".{p}" if _plain(p) else f"[{json.dumps(p, ensure_ascii=False)}]"
        else:
            out = p if _plain(p) else json.dumps(p, ensure_ascii=False)
    return out or "(top level)"


def key_label(key: Any) -> str:
    """A mapping key as the file spells it: YAML keys may be null, true, 1.5 or a date."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, (bool, float)):
        return json.dumps(key)
    if hasattr(key, "isoformat"):
        return str(key.isoformat())
    return str(key)


def _plain(key: str) -> bool:
    return key.replace("_", "").replace("-", "").replace("$", "").isalnum()


@functools.cache
def validator_for(name: str) -> Any:
    import jsonschema

    from compiler.resources import load_schema

    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


# Keywords that only exist after draft-07. The fast gate compiles schemas as draft-07, so a
# schema using any of these would be checked less strictly by the gate: forbidden (tested).
POST_DRAFT7 = frozenset({"prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired",
                         "dependentSchemas", "$dynamicRef", "$dynamicAnchor", "minContains", "maxContains",
                         "$anchor", "$recursiveRef"})


@functools.cache
def fast_validator(name: str) -> Any:
    """A compiled validator (fastjsonschema) used as a gate: when it accepts, the document
    is valid and jsonschema never runs; when it rejects, jsonschema explains every error.
    Returns None when fastjsonschema is not installed (then jsonschema always runs)."""
    import marshal
    import os
    import sys
    import zlib
    from pathlib import Path

    from compiler.resources import schemas_dir

    try:
        raw = (schemas_dir() / f"{name}.schema.json").read_bytes()
    except OSError:
        return None
    # The cache key is the schema's bytes and the interpreter; a hit needs neither the schema's
    # JSON nor the code generator (which matters for start-up time in pre-commit).
    tag = f"{sys.implementation.cache_tag}-{zlib.crc32(raw):08x}-{len(raw)}"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "modelcc" / f"gate-{name}-{tag}.bin"
    code_obj = None
    try:
        code_obj = marshal.loads(cache.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    if code_obj is None:
        try:
            import fastjsonschema
        except ImportError:  # pragma: no cover - optional speed-up
            return None
        schema = json.loads(raw)
        schema["$schema"] = "http://json-schema.org/draft-07/schema#"
        schema.pop("$id", None)  # the generated entry point is then named `validate`
        code_obj = compile(fastjsonschema.compile_to_code(schema), f"<schema gate {name}>", "exec")
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(code_obj))
            os.replace(tmp, cache)
        except OSError:
            pass
    namespace: dict[str, Any] = {}
    try:
        exec(code_obj, namespace)  # noqa: S102 - code generated from our own schema
        from fastjsonschema import JsonSchemaException as exc
    except ImportError:  # pragma: no cover - fastjsonschema uninstalled after caching
        return None
    validate_fn = namespace["validate"]

    def gate(instance: Any) -> bool:
        try:
            validate_fn(instance)
            return True
        except exc:
            return False
        except Exception:  # noqa: BLE001 - anything odd: let jsonschema decide
            return False

    return gate


def validate(doc: Document, schema_name: str, data: Any = None) -> list[Diagnostic]:
    """Validate `data` (default: the document's data) and return diagnostics."""
    instance = doc.data if data is None else data
    gate = fast_validator(schema_name)
    if gate is not None and gate(instance):
        return []
    v = validator_for(schema_name)
    out: list[Diagnostic] = []
    for err in v.iter_errors(instance):
        out.extend(_explain(doc, err))
    return out


def is_valid(schema_name: str, data: Any) -> bool:
    gate = fast_validator(schema_name)
    if gate is not None and gate(data):
        return True
    return bool(validator_for(schema_name).is_valid(data))


def _custom(err: Any) -> tuple[str | None, str | None]:
    schema = err.schema if isinstance(err.schema, dict) else {}
    return schema.get("x-message"), schema.get("x-hint")


def _explain(doc: Document, err: Any) -> Iterator[Diagnostic]:
    path = tuple(err.absolute_path)
    loc = where(path)
    value = err.instance
    kind = err.validator
    custom, hint = _custom(err)
    key = str(path[-1]) if path and not isinstance(path[-1], int) else ""
    if custom:
        code = {"type": "SC001", "required": "SC002", "additionalProperties": "SC003", "enum": "SC004",
                "const": "SC004", "anyOf": "SC006", "oneOf": "SC006", "not": "SC003"}.get(kind, "SC005")
        msg = custom.replace("{value}", _short(value)).replace("{key}", key).replace("{where}", loc)
        yield diag(code, doc.span(path, key=kind in ("required", "not")), f"{loc}: {msg}", hint=hint)
        return
    if kind == "type":
        expected = err.validator_value
        types = [expected] if isinstance(expected, str) else list(expected)
        if "integer" in types and isinstance(value, float) and value.is_integer() is False:
            yield diag("SC007", doc.span(path), f"{loc}: expected a whole number, found {_short(value)}",
                       hint=hint or "the tool stores this as an integer")
            return
        words = " or ".join(_TYPE_WORD.get(t, t) for t in types)
        yield diag("SC001", doc.span(path), f"{loc}: expected {words}, found {_what(value)}", hint=hint)
    elif kind == "required":
        missing = [k for k in err.validator_value if not (isinstance(value, dict) and k in value)]
        for k in missing:
            yield diag("SC002", doc.span(path, key=True), f"{loc}: missing required key {k!r}",
                       hint=hint or f"add {k!r} to this object")
    elif kind == "additionalProperties":
        props = set((err.schema.get("properties") or {}).keys())
        patterns = (err.schema.get("patternProperties") or {}).keys()
        import re

        extras = [k for k in value if k not in props and not (isinstance(k, str) and any(re.search(p, k)
                                                                                          for p in patterns))]
        for k in extras:
            text = key_label(k)  # YAML allows null/number/bool keys
            close = difflib.get_close_matches(text, sorted(props), n=1, cutoff=0.6)
            h = hint or (f"did you mean {close[0]!r}?" if close else
                         ("allowed keys: " + ", ".join(sorted(props)) if 0 < len(props) <= 16 else None))
            yield diag("SC003", doc.span((*path, k), key=True), f"{where((*path, k))}: unknown key {text!r}", hint=h)
    elif kind in ("enum", "const"):
        allowed = err.validator_value if kind == "enum" else [err.validator_value]
        close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1, cutoff=0.6)
        shown = ", ".join(_short(a) for a in allowed[:24]) + (", ..." if len(allowed) > 24 else "")
        same_text = [a for a in allowed if str(a) == str(value)]  # 1 for "1": right text, wrong type
        suggestion = (f"write {_short(same_text[0])} ({_what(same_text[0]).split(' (')[0]}), not {_short(value)}"
                      if same_text else f"did you mean {close[0]!r}?" if close else None)
        yield diag("SC004", doc.span(path), f"{loc}: {_short(value)} is not one of: {shown}",
                   hint=hint or suggestion)
    elif kind in ("anyOf", "oneOf"):
        subs = list(err.context or [])
        reqs = [e for e in subs if e.validator == "required" and not e.relative_path]
        if subs and len(reqs) == len(subs) and kind == "anyOf":
            keys = sorted({k for e in reqs for k in e.validator_value})
            yield diag("SC006", doc.span(path, key=True), f"{loc}: needs one of the keys {', '.join(keys)}",
                       hint=hint)
            return
        if kind == "oneOf" and not subs:
            yield diag("SC006", doc.span(path), f"{loc}: matches more than one allowed shape", hint=hint)
            return
        import jsonschema.exceptions

        best = jsonschema.exceptions.best_match(subs) if subs else None
        if best is not None and (best.validator != "type" or len(subs) == 1):
            yield from _explain(doc, best)
            return
        shapes = sorted({_TYPE_WORD.get(str(e.validator_value), str(e.validator_value))
                         for e in subs if e.validator == "type" and isinstance(e.validator_value, str)})
        msg = f"{loc}: expected " + (" or ".join(shapes) if shapes else "another shape") + f", found {_what(value)}"
        yield diag("SC006", doc.span(path), msg, hint=hint)
    elif kind == "not":
        yield diag("SC003", doc.span(path, key=True), f"{loc}: this key is not allowed here", hint=hint)
    elif kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {"minimum": "at least", "exclusiveMinimum": "greater than", "maximum": "at most",
                 "exclusiveMaximum": "less than"}[kind]
        yield diag("SC005", doc.span(path), f"{loc}: must be {words} {err.validator_value}, found {_short(value)}",
                   hint=hint)
    elif kind in ("minLength", "maxLength"):
        words = "at least" if kind == "minLength" else "at most"
        n = err.validator_value
        msg = f"{loc}: must not be empty" if kind == "minLength" and n == 1 else \
            f"{loc}: must be {words} {n} characters long"
        yield diag("SC005", doc.span(path), msg, hint=hint)
    elif kind in ("minItems", "maxItems", "minProperties", "maxProperties"):
        n = err.validator_value
        noun = "items" if "Items" in kind else "keys"
        words = "at least" if kind.startswith("min") else "at most"
        msg = f"{loc}: must not be empty" if kind.startswith("min") and n == 1 else f"{loc}: needs {words} {n} {noun}"
        yield diag("SC005", doc.span(path), msg, hint=hint)
    elif kind == "pattern":
        yield diag("SC005", doc.span(path), f"{loc}: {_short(value)} does not match the pattern {err.validator_value}",
                   hint=hint)
    elif kind == "uniqueItems":
        yield diag("SC005", doc.span(path), f"{loc}: items must be unique", hint=hint)
    else:
        yield diag("SC005", doc.span(path), f"{loc}: {err.message}", hint=hint)
