"""Read an IR document: schema pass, then `Graph.from_dict` with spans from the source."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from compiler.context import ReadContext
from compiler.diagnostics import diag
from compiler.ir import Graph
from compiler.schema import validate
from compiler.source import Document


def read(doc: Document, ctx: ReadContext) -> Graph:
    problems = validate(doc, "ir")
    if doc.syntax == "yaml":  # the schema cannot see a `1:` key in a map of strings (headers, extras)
        from compiler.schema import key_label, where
        from compiler.syntax.yaml import non_string_keys

        reported = {(d.span.line, d.span.col) for d in problems if d.code == "SC003"}
        for ptr, key in non_string_keys(doc.data):
            at = doc.span((*ptr, key), key=True)
            if (at.line, at.col) not in reported:
                text = key_label(key)
                problems.append(diag("SY006", at, f"{where((*ptr, key))}: key {text} is not a string",
                                     hint=f"quote it: \"{text}\"" if key is not None else "give the key a name"))
    ctx.sink.extend(problems)
    if problems:
        return Graph(sources=(("ir", doc.path),))
    data: dict[str, Any] = {k: v for k, v in doc.data.items() if k != "modelcc"}
    g = Graph.from_dict(data, span_for=lambda ptr, _node: doc.span(ptr))
    return replace(g, sources=(("ir", doc.path),))
