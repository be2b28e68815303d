"""Uniqueness checks (UQ001-UQ005): one id, one definition.

Only what a file declares itself is compared: built-in nodes (pulled in from a catalog)
are skipped, because whether a custom item may reuse a built-in id is a rule of each tool
and the readers report it with the tool's own code.

With `--together` (cross-file), duplicates are looked for within each file only: the same
provider declared in two tools' files is normal. Whether such a pair agrees is the job of
the cross-file checks (XF001-XF005 in `crossfile.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, TypeVar

from compiler.checks import CheckContext
from compiler.checks._common import index, q, set_label, where
from compiler.diagnostics import Diagnostic, Related, diag
from compiler.ir import Graph

T = TypeVar("T")


def duplicates(nodes: Iterable[T], key: Callable[[T], Hashable | None],
               ctx: CheckContext) -> Iterator[tuple[T, T]]:
    """(duplicate, first) pairs: same key in one graph, or in one file with `--together`."""
    first: dict[Any, T] = {}
    for n in nodes:
        k = key(n)
        if k is None:
            continue
        scope = (k, n.span.path) if ctx.cross_file else k  # type: ignore[attr-defined]
        f = first.get(scope)
        if f is None:
            first[scope] = n
        else:
            yield n, f


def check_unique_providers(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """UQ001: two custom providers share one id.

    Bad::

        providers:
          - {id: together, base_url: "https://api.together.xyz/v1"}
          - {id: together, base_url: "https://api.together.ai/v1"}

    Good::

        providers:
          - {id: together, base_url: "https://api.together.xyz/v1"}
          - {id: together-eu, base_url: "https://eu.api.together.ai/v1"}
    """
    custom = (p for p in graph.providers if p.builtin is None)
    for dup, first in duplicates(custom, lambda p: p.id, ctx):
        yield diag("UQ001", where(graph, dup.span), f"provider {q(dup.id)} is defined twice",
                   hint="give one of them another id, or delete the duplicate",
                   related=[Related(where(graph, first.span), f"provider {q(first.id)} is first defined here")])


def check_unique_models(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """UQ002: two custom models share one id (wildcard entries are exempt).

    Bad::

        models:
          - {id: llama-4, context_window: 131072}
          - {id: llama-4, context_window: 1048576}

    Good::

        models:
          - {id: llama-4, context_window: 1048576,
             deployments: [{provider: together, model_name: ...}, {provider: groq, model_name: ...}]}

    Serve one model from several providers with several deployments, not several models.
    `openai/*` twice is fine: a wildcard stands for a provider's models and may repeat.
    """
    custom = (m for m in graph.models if m.builtin is None and not m.wildcard)
    for dup, first in duplicates(custom, lambda m: m.id, ctx):
        yield diag("UQ002", where(graph, dup.span), f"model {q(dup.id)} is defined twice",
                   hint="merge them into one model (several deployments serve one model from several "
                        "providers), or give one another id",
                   related=[Related(where(graph, first.span), f"model {q(first.id)} is first defined here")])


def check_unique_sets(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """UQ003: two custom assignment sets of one kind (packs, profiles, ...) share one id.

    Bad::

        assignment_sets:
          - {id: fast, kind: pack, bindings: [{role: planner, model: a}]}
          - {id: fast, kind: pack, bindings: [{role: planner, model: b}]}

    Good::

        assignment_sets:
          - {id: fast, kind: pack, bindings: [{role: planner, model: a}]}
          - {id: fast-b, kind: pack, bindings: [{role: planner, model: b}]}

    A pack and a profile may share a name: they are different kinds of set.
    """
    custom = (s for s in graph.assignment_sets if s.builtin is None)
    for dup, first in duplicates(custom, lambda s: (s.id, s.kind), ctx):
        yield diag("UQ003", where(graph, dup.span), f"{set_label(dup)} is defined twice",
                   hint="rename one of them, or merge their bindings into one",
                   related=[Related(where(graph, first.span), f"{set_label(first)} is first defined here")])


def check_unique_aliases(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """UQ004: two aliases share one name, or an alias has the id of a model.

    Bad::

        models: [{id: openai/gpt-4o, deployments: [{provider: openai, model_name: gpt-4o}]}]
        aliases:
          - {name: fast, target: openai/gpt-4o}
          - {name: fast, target: openai/gpt-4o-mini}
          - {name: openai/gpt-4o, target: openai/gpt-4o-mini}   # shadows the model

    Good::

        aliases:
          - {name: fast, target: openai/gpt-4o-mini}
          - {name: smart, target: openai/gpt-4o}
    """
    idx = index(graph)
    for dup, first in duplicates(graph.aliases, lambda a: a.name, ctx):
        yield diag("UQ004", where(graph, dup.span), f"alias {q(dup.name)} is defined twice",
                   hint="an alias names one model: keep one of them, or rename the other",
                   related=[Related(where(graph, first.span), f"alias {q(first.name)} is first defined here")])
    for a in graph.aliases:
        m = idx.concrete.get(a.name)
        if m is not None:
            yield diag("UQ004", where(graph, a.span),
                       f"alias {q(a.name)} has the same name as model {q(m.id)}, so requests for it are ambiguous",
                       hint="rename the alias",
                       related=[Related(where(graph, m.span, a.span), f"model {q(m.id)} is defined here")])


def check_unique_routes(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """UQ005: two routing preferences share one name.

    Bad::

        routes:
          - {name: code, description: code generation, models: [openai/gpt-4o]}
          - {name: code, description: code review, models: [anthropic/claude-sonnet-4]}

    Good::

        routes:
          - {name: code generation, description: write new code, models: [openai/gpt-4o]}
          - {name: code review, description: review changes, models: [anthropic/claude-sonnet-4]}
    """
    for dup, first in duplicates(graph.routes, lambda r: r.name, ctx):
        yield diag("UQ005", where(graph, dup.span), f"routing preference {q(dup.name)} is defined twice",
                   hint="give every routing preference its own name",
                   related=[Related(where(graph, first.span), f"routing preference {q(first.name)} is first "
                                                              "defined here")])
