"""Cross-file checks (XF001-XF005), run with `--together` only.

Several tools' files often declare the same provider, model or pack: that is normal as long
as they agree. For every id declared in more than one file, the first declaration in each
later file is compared with the first declaration overall; what differs is reported at the
later one, with a note at the earlier one. Only facts both sides state are compared (a
context window one tool does not record is not a conflict), and only custom nodes (built-in
catalogs of different tools legitimately differ). Duplicates inside one file are UQ*.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, TypeVar

from compiler.checks import CheckContext
from compiler.checks._common import q, set_label, where
from compiler.diagnostics import Diagnostic, Related, diag
from compiler.ir import Alias, AssignmentSet, Graph, Model, Provider, RoleBinding, Route

T = TypeVar("T")


def _across_files(nodes: Iterable[T], key: Callable[[T], Hashable]) -> Iterator[tuple[T, T]]:
    """(later, first): the first node of each (key, file) after the first file that has the key."""
    first: dict[Hashable, T] = {}
    seen: set[tuple[Hashable, str]] = set()
    for n in nodes:
        k = key(n)
        path = n.span.path  # type: ignore[attr-defined]
        if (k, path) in seen:
            continue
        seen.add((k, path))
        f = first.get(k)
        if f is None:
            first[k] = n
        else:
            yield n, f


class _Plain(str):
    """A value shown as is in a sentence (not quoted)."""


def _show(v: Any) -> str:
    if isinstance(v, _Plain):
        return str(v)
    if isinstance(v, str):
        return q(v)
    if isinstance(v, tuple):
        return "[" + ", ".join(_show(x) for x in v) + "]"
    return str(v)


def _diffs(pairs: Iterable[tuple[str, Any, Any]]) -> list[str]:
    """'name X here, Y there' for every pair stated on both sides that differs."""
    return [f"{name} {_show(mine)} here, {_show(theirs)} there"
            for name, mine, theirs in pairs
            if mine is not None and theirs is not None and mine != theirs]


def _report(code: str, graph: Graph, later: Any, first: Any, what: str, diffs: list[str], hint: str) -> Diagnostic:
    there = where(graph, first.span)
    return diag(code, where(graph, later.span),
                f"{what} is defined differently in {there.path}: {'; '.join(diffs)}",
                hint=hint, related=[Related(there, f"the other definition of {what} is here")])


def _url(u: str | None) -> str | None:
    return u.rstrip("/") if u is not None else None


_CREDENTIAL_KINDS = frozenset({"env", "secret", "literal", "command"})


def _auth_pair(later: Provider, first: Provider) -> tuple[str | None, str | None]:
    """The two auths as comparable sentences, or (None, None) when they are not comparable.

    Tools have different mechanisms (Plandex reads env vars, VS Code a secret store), so
    only the same kind with a different value, or a credential against `none`, conflict.
    """
    a, b = later.auth, first.auth
    same_kind = a.kind == b.kind and a.kind != "default"
    none_vs_key = {a.kind, b.kind} & {"none"} and {a.kind, b.kind} & _CREDENTIAL_KINDS
    if same_kind or none_vs_key:
        return _Plain(a.describe()), _Plain(b.describe())
    return None, None


def check_cross_providers(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """XF001: one provider id with a different base URL or auth in two files.

    Auth is compared when both files use the same mechanism (two env var names), or when
    one says `none` and the other names a credential; an env var in one tool and a VS Code
    secret in another is how those tools work, not a conflict.

    Bad (`modelcc check --together a.json b.toml`)::

        a: providers: [{id: together, base_url: "https://api.together.xyz/v1"}]
        b: providers: [{id: together, base_url: "https://api.together.ai/v1"}]

    Good: both files say the same, or use different ids for different endpoints.
    """
    if not ctx.cross_file:
        return
    custom = (p for p in graph.providers if p.builtin is None)
    for later, first in _across_files(custom, lambda p: p.id):
        diffs = _diffs([("base_url", _url(later.base_url), _url(first.base_url)),
                        ("auth", *_auth_pair(later, first))])
        if diffs:
            yield _report("XF001", graph, later, first, f"provider {q(later.id)}", diffs,
                          "make both files agree, or give the providers different ids")


def _deployment_diffs(later: Model, first: Model) -> list[str]:
    """On a provider both files deploy the model on, the model name (or Azure deployment) differs.

    Deploying a model on different providers in different tools is a choice, not a conflict.
    """
    theirs = {}
    for d in first.deployments:
        theirs.setdefault(d.provider, d)
    out = []
    seen = set()
    for d in later.deployments:
        t = theirs.get(d.provider)
        if t is None or d.provider in seen:
            continue
        seen.add(d.provider)
        if d.model_name != t.model_name:
            out.append(f"on provider {q(d.provider)} model_name {q(d.model_name)} here, {q(t.model_name)} there")
        elif d.deployment_name and t.deployment_name and d.deployment_name != t.deployment_name:
            out.append(f"on provider {q(d.provider)} deployment_name {q(d.deployment_name)} here, "
                       f"{q(t.deployment_name)} there")
    return out


def check_cross_models(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """XF002: one model id with different limits, prices or provider-side names in two files.

    Deployments conflict when both files deploy the model on one provider under different
    names; serving it from different providers in different tools is a choice.

    Bad (`--together`)::

        a: models: [{id: llama-4, context_window: 1048576}]
        b: models: [{id: llama-4, context_window: 131072}]

    Good: the same numbers in both files (or stated in only one of them).
    """
    if not ctx.cross_file:
        return
    custom = (m for m in graph.models if m.builtin is None and not m.wildcard)
    for later, first in _across_files(custom, lambda m: m.id):
        diffs = _diffs([
            ("context_window", later.context_window, first.context_window),
            ("max_output_tokens", later.max_output_tokens, first.max_output_tokens),
            ("reserved_output_tokens", later.reserved_output_tokens, first.reserved_output_tokens),
            ("cost", later.cost and _Plain(f"{later.cost.input:g}/{later.cost.output:g}"),
             first.cost and _Plain(f"{first.cost.input:g}/{first.cost.output:g}")),
        ]) + _deployment_diffs(later, first)
        if diffs:
            yield _report("XF002", graph, later, first, f"model {q(later.id)}", diffs,
                          "make both files agree, or give the models different ids")


def _settings_key(settings: dict[str, Any], keys: Iterable[str]) -> str:
    return json.dumps({k: settings[k] for k in sorted(keys)}, sort_keys=True, default=str)


def _binding_diff(a: RoleBinding, b: RoleBinding) -> str | None:
    if a.model != b.model:
        return f"model {q(a.model)} here, {q(b.model)} there"
    common = a.settings.keys() & b.settings.keys()
    if _settings_key(a.settings, common) != _settings_key(b.settings, common):
        keys = sorted(k for k in common if a.settings[k] != b.settings[k])
        return f"settings {', '.join(keys)} differ"
    if a.fallbacks and b.fallbacks:
        fa = {f.kind: f.binding for f in a.fallbacks}
        fb = {f.kind: f.binding for f in b.fallbacks}
        for kind in sorted(fa.keys() & fb.keys()):
            d = _binding_diff(fa[kind], fb[kind])
            if d:
                return f"{kind} fallback: {d}"
    return None


def check_cross_sets(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """XF003: one assignment set (same id and kind) binds a role differently in two files.

    Roles only one file binds are not compared (tools know different roles), nor are the
    files' own top-level choices (kind `default`: each tool may well default to another model).

    Bad (`--together`)::

        a: assignment_sets: [{id: daily, bindings: [{role: planner, model: a}]}]
        b: assignment_sets: [{id: daily, bindings: [{role: planner, model: b}]}]

    Good: the roles both files bind name the same models with the same settings.
    """
    if not ctx.cross_file:
        return
    custom = (s for s in graph.assignment_sets if s.builtin is None and s.kind != "default")
    for later, first in _across_files(custom, lambda s: (s.id, s.kind)):
        mine = _roles(later)
        theirs = _roles(first)
        diffs = []
        for role in sorted(mine.keys() & theirs.keys()):
            d = _binding_diff(mine[role], theirs[role])
            if d:
                diffs.append(f"role {role}: {d}")
        if diffs:
            yield _report("XF003", graph, later, first, set_label(later), diffs,
                          "make both files bind the role to the same model, or rename one set")


def _roles(s: AssignmentSet) -> dict[str, RoleBinding]:
    out: dict[str, RoleBinding] = {}
    for b in s.bindings:
        out.setdefault(b.role, b)
    return out


def check_cross_aliases(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """XF004: one alias targets different models in two files.

    Bad (`--together`)::

        a: aliases: [{name: fast, target: openai/gpt-4o-mini}]
        b: aliases: [{name: fast, target: groq/llama-3.1-8b-instant}]

    Good: the alias targets the same model in both files.
    """
    if not ctx.cross_file:
        return
    later: Alias
    for later, first in _across_files(graph.aliases, lambda a: a.name):
        diffs = _diffs([("target", later.target, first.target)])
        if diffs:
            yield _report("XF004", graph, later, first, f"alias {q(later.name)}", diffs,
                          "make both files agree, or rename one alias")


def check_cross_routes(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """XF005: one routing preference with a different description, models or policy in two files.

    Bad (`--together`)::

        a: routes: [{name: code, description: code generation, models: [openai/gpt-4o]}]
        b: routes: [{name: code, description: code generation, models: [anthropic/claude-sonnet-4]}]

    Good: the same route in both files.
    """
    if not ctx.cross_file:
        return
    later: Route
    for later, first in _across_files(graph.routes, lambda r: r.name):
        diffs = _diffs([("description", later.description, first.description),
                        ("models", later.models, first.models),
                        ("prefer", later.prefer, first.prefer)])
        if diffs:
            yield _report("XF005", graph, later, first, f"routing preference {q(later.name)}", diffs,
                          "make both files agree, or rename one routing preference")
