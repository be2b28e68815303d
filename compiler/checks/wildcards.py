"""Wildcard checks (WC001, WC002).

A wildcard model (`Model.wildcard`, Plano's `openai/*`) stands for every model of a
provider. It is written `<provider>/*` and can be served, but never named as the one model
of a role, an alias or a route.
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks import CheckContext
from compiler.checks._common import index, is_wildcard_ref, q, walk_bindings, where
from compiler.diagnostics import Diagnostic, Related, Span, diag
from compiler.ir import Graph


def _target_hint(ref: str) -> str:
    prefix = ref[:-1] if ref.endswith("*") else ref
    return f"name one model, e.g. {prefix}<model-id>"


def check_wildcards(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """WC001: a malformed wildcard, or a wildcard used as a target.

    Bad::

        models:
          - {id: myopenai, wildcard: true}        # must be written provider/*
          - {id: openai/gpt-*}                    # partial patterns are not wildcards
        aliases: [{name: fast, target: openai/*}]

    Good::

        models: [{id: openai/*, wildcard: true, deployments: [{provider: openai, model_name: "*"}]}]
        aliases: [{name: fast, target: openai/gpt-4o-mini}]
    """
    idx = index(graph)
    for m in graph.models:
        if m.builtin is not None or not (m.wildcard or "*" in m.id):
            continue
        span = where(graph, m.span)
        if m.wildcard:
            prefix = m.id[:-2] if m.id.endswith("/*") else None
            if prefix is None:
                yield diag("WC001", span, f"wildcard model {q(m.id)} is not written <provider>/*",
                           hint="a wildcard entry is named after its provider, e.g. openai/*; Plano derives "
                                "the provider prefix from this name")
            elif not prefix.strip() or "*" in prefix:
                yield diag("WC001", span, f"wildcard model {q(m.id)} has no usable provider prefix",
                           hint="write it as <provider>/*, e.g. openai/*")
        elif "*" in m.id:
            what = "ends in /* but is not marked as a wildcard" if m.id.endswith("/*") else \
                "contains * but only <provider>/* is a wildcard"
            yield diag("WC001", span, f"model {q(m.id)} {what}",
                       hint="declare a wildcard as <provider>/* with wildcard: true, or name one model")

    def target(ref: str, what: str, span: Span) -> Iterator[Diagnostic]:
        w = idx.wildcards.get(ref)
        related = [Related(where(graph, w.span, span), f"wildcard {q(ref)} is defined here")] if w else []
        yield diag("WC001", span, f"{what} names wildcard {q(ref)}; it needs one model", hint=_target_hint(ref),
                   related=related)

    for v in walk_bindings(graph):
        if is_wildcard_ref(v.binding.model) and v.aset.builtin is None:
            yield from target(v.binding.model, v.label(), v.span)
    for a in graph.aliases:
        if is_wildcard_ref(a.target):
            yield from target(a.target, f"alias {q(a.name)}", where(graph, a.span))
    for r in graph.routes:
        for ref in r.models:
            if is_wildcard_ref(ref):
                yield from target(ref, f"routing preference {q(r.name)}", where(graph, r.span))


def check_wildcard_expansion(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """WC002 (info): a wildcard that no provider serves, so it expands to nothing.

    Bad::

        models: [{id: openai/*, wildcard: true}]          # no deployment

    Good::

        models: [{id: openai/*, wildcard: true, deployments: [{provider: openai, model_name: "*"}]}]
    """
    for m in graph.models:
        if m.wildcard and m.builtin is None and not m.deployments:
            yield diag("WC002", where(graph, m.span), f"wildcard {q(m.id)} is served by no provider, so it "
                                                       "stands for no models",
                       hint="add a deployment on the provider whose models it stands for")
