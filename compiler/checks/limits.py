"""Limit checks (LM001-LM006): token limits that fit together, prices and sampling knobs in range.

Built-in models and sets are catalog data and are not checked (an IR file that lists them
repeats the catalog; a problem there is a catalog bug, not the user's).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from compiler.checks import CheckContext
from compiler.checks._common import index, q, walk_bindings, where
from compiler.diagnostics import Diagnostic, Related, Span, diag
from compiler.ir import Graph

_RANGES = {"temperature": (0.0, 2.0), "top_p": (0.0, 1.0)}


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_token_limits(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """LM001 (output > context), LM002 (reserved > output), LM003 (a limit <= 0).

    Bad::

        models:
          - {id: m, context_window: 8192, max_output_tokens: 16384}          # LM001
          - {id: n, max_output_tokens: 4096, reserved_output_tokens: 8192}   # LM002
          - {id: o, context_window: 0}                                       # LM003

    Good::

        models:
          - {id: m, context_window: 131072, max_output_tokens: 16384, reserved_output_tokens: 16384}
    """
    for m in graph.models:
        if m.builtin is not None:
            continue
        if m.context_window is None and m.max_output_tokens is None and m.reserved_output_tokens is None:
            continue
        span = where(graph, m.span)
        limits = (("context_window", m.context_window), ("max_output_tokens", m.max_output_tokens),
                  ("reserved_output_tokens", m.reserved_output_tokens))
        bad = False
        for name, v in limits:
            if _number(v) and v <= 0:
                bad = True
                yield diag("LM003", span, f"model {q(m.id)}: {name} is {v}; it must be a positive number of tokens",
                           hint=f"set {name} to the model's real limit, or leave it out")
        if bad:
            continue
        ctxw, out, res = (v if _number(v) else None for _, v in limits)
        if ctxw is not None and out is not None and out > ctxw:
            yield diag("LM001", span,
                       f"model {q(m.id)}: max_output_tokens ({out}) is larger than context_window ({ctxw})",
                       hint="check both numbers against the provider's model card; the output limit is "
                            "usually the smaller one")
        if out is not None and res is not None and res > out:
            yield diag("LM002", span,
                       f"model {q(m.id)}: reserved_output_tokens ({res}) is larger than max_output_tokens ({out})",
                       hint="reserve at most max_output_tokens for the reply")


def check_costs(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """LM004: a negative price.

    Bad::

        models: [{id: m, cost: {input: -3, output: 15}}]

    Good::

        models: [{id: m, cost: {input: 3, output: 15}}]     # USD per 1M tokens
    """
    for m in graph.models:
        if m.cost is None or m.builtin is not None:
            continue
        for name, v in (("input", m.cost.input), ("output", m.cost.output)):
            if _number(v) and v < 0:
                yield diag("LM004", where(graph, m.span), f"model {q(m.id)}: {name} cost is negative ({v})",
                           hint="prices are USD per 1M tokens and at least 0")


def _sampling(settings: Mapping[str, Any], what: str, span: Span) -> Iterator[Diagnostic]:
    for key, (lo, hi) in _RANGES.items():
        v = settings.get(key)
        if _number(v) and not lo <= v <= hi:
            yield diag("LM005", span, f"{what}: {key} is {v}, outside {lo:g}..{hi:g}",
                       hint=f"use a {key} between {lo:g} and {hi:g}; providers reject or clamp other values")


def check_sampling(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """LM005 (warning): temperature outside 0..2 or top_p outside 0..1.

    Checked in model settings and in role-binding settings (fallbacks included).

    Bad::

        models: [{id: m, settings: {temperature: 3}}]
        bindings: [{role: planner, model: m, settings: {top_p: 1.5}}]

    Good::

        models: [{id: m, settings: {temperature: 0.7}}]
        bindings: [{role: planner, model: m, settings: {top_p: 0.9}}]
    """
    for m in graph.models:
        if m.settings and m.builtin is None:
            yield from _sampling(m.settings, f"model {q(m.id)}", where(graph, m.span))
    for v in walk_bindings(graph):
        if v.binding.settings and v.aset.builtin is None:
            yield from _sampling(v.binding.settings, v.label(), v.span)


def check_convo_budget(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """LM006 (warning): a binding's max_convo_tokens is larger than its model's context window.

    Bad::

        models: [{id: m, context_window: 128000}]
        bindings: [{role: planner, model: m, settings: {max_convo_tokens: 200000}}]

    Good::

        bindings: [{role: planner, model: m, settings: {max_convo_tokens: 100000}}]

    The conversation is summarized when it passes max_convo_tokens; a budget the model
    cannot read means requests fail before that happens.
    """
    idx = index(graph)
    for v in walk_bindings(graph):
        budget = v.binding.settings.get("max_convo_tokens")
        if not _number(budget) or v.aset.builtin is not None:
            continue
        m = idx.concrete.get(v.binding.model)
        if m is None or m.context_window is None or m.context_window <= 0:
            continue
        if budget > m.context_window:
            yield diag("LM006", v.span,
                       f"{v.label()}: max_convo_tokens ({budget}) is larger than the context window of "
                       f"{q(m.id)} ({m.context_window})",
                       hint=f"keep max_convo_tokens below {m.context_window}, leaving room for the prompt "
                            "and the reply",
                       related=[Related(where(graph, m.span, v.span), f"model {q(m.id)} is defined here")])
