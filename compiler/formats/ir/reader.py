"""Read an IR document: schema pass, then `Graph.from_dict` with spans from the source."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from compiler.context import ReadContext
from compiler.ir import Graph, RoleBinding
from compiler.schema import validate
from compiler.source import Document


def read(doc: Document, ctx: ReadContext) -> Graph:
    problems = validate(doc, "ir")
    ctx.sink.extend(problems)
    if problems:
        return Graph(sources=(("ir", doc.path),))
    data: dict[str, Any] = {k: v for k, v in doc.data.items() if k != "modelcc"}
    g = Graph.from_dict(data)
    return _with_spans(g, doc)


def _binding_spans(b: RoleBinding, doc: Document, ptr: tuple[Any, ...]) -> RoleBinding:
    fbs = tuple(
        replace(f, span=doc.span((*ptr, "fallbacks", i)),
                binding=_binding_spans(f.binding, doc, (*ptr, "fallbacks", i, "binding")))
        for i, f in enumerate(b.fallbacks)
    )
    return replace(b, span=doc.span(ptr), fallbacks=fbs)


def _with_spans(g: Graph, doc: Document) -> Graph:
    providers = tuple(replace(p, span=doc.span(("providers", i))) for i, p in enumerate(g.providers))
    models = tuple(
        replace(m, span=doc.span(("models", i)),
                deployments=tuple(replace(d, span=doc.span(("models", i, "deployments", j)))
                                  for j, d in enumerate(m.deployments)))
        for i, m in enumerate(g.models)
    )
    sets = tuple(
        replace(s, span=doc.span(("assignment_sets", i)),
                bindings=tuple(_binding_spans(b, doc, ("assignment_sets", i, "bindings", j))
                               for j, b in enumerate(s.bindings)))
        for i, s in enumerate(g.assignment_sets)
    )
    aliases = tuple(replace(a, span=doc.span(("aliases", i))) for i, a in enumerate(g.aliases))
    routes = tuple(replace(r, span=doc.span(("routes", i))) for i, r in enumerate(g.routes))
    return replace(g, providers=providers, models=models, assignment_sets=sets, aliases=aliases, routes=routes,
                   sources=(("ir", doc.path),))
