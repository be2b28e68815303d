"""TOML reader.

Values come from `tomllib` (the standard library parser, also what most tools use), so
they are exactly tomllib's. Positions come from `compiler.syntax.toml_locate`, a
position-aware TOML reader that runs only when a diagnostic needs a span.
"""

from __future__ import annotations

import re
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from compiler.diagnostics import Span, diag
from compiler.source import Document, LocMap, SyntaxProblem

_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$|\s*\(at end of document\)\s*$")


def locate(text: str) -> LocMap:
    from compiler.syntax.toml_locate import locate as _locate

    return _locate(text)


def read(path: str, text: str) -> Document:
    """Parse TOML text; raises SyntaxProblem (with line:col) when tomllib rejects it."""
    doc = Document(path=path, text=text, syntax="toml", data=None, locator=locate)
    try:
        doc.data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e.args[0] if e.args else e)
        m = _AT.search(msg)
        span = Span.file(path)
        if m and m.group(1):
            line, col = int(m.group(1)), int(m.group(2))
            span = Span(path, line, col, line, col + 1)
        elif m:  # end of document
            lines = text.split("\n")
            span = Span(path, len(lines), len(lines[-1]) + 1, len(lines), len(lines[-1]) + 1)
        base = _AT.sub("", msg)
        code, hint = "SY001", None
        if base.startswith("Cannot overwrite a value") or base.startswith("Cannot declare"):
            code = "SY002"
            hint = "a key or table may be defined only once in TOML"
        raise SyntaxProblem([diag(code, span, f"invalid TOML: {base}", hint=hint)]) from None
    return doc
