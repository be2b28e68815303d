"""Read an IR document: schema pass, then `Graph.from_dict` with spans from the source."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from compiler.context import ReadContext
from compiler.ir import Graph
from compiler.schema import validate
from compiler.source import Document


def read(doc: Document, ctx: ReadContext) -> Graph:
    problems = validate(doc, "ir")
    ctx.sink.extend(problems)
    if problems:
        return Graph(sources=(("ir", doc.path),))
    data: dict[str, Any] = {k: v for k, v in doc.data.items() if k != "modelcc"}
    g = Graph.from_dict(data, span_for=lambda ptr, _node: doc.span(ptr))
    return replace(g, sources=(("ir", doc.path),))
