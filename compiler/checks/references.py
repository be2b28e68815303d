"""Reference checks (RF001-RF007): every name points at something, fallbacks terminate.

References resolve against the whole graph, built-in nodes included: readers pull the
built-in providers and models a file references into the graph. References *made by*
built-in nodes (a catalog model's deployments, a built-in pack's roles) are catalog data and
are not checked. References written as a wildcard (`openai/*`) are WC001's business and are
skipped here.
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.checks import CheckContext
from compiler.checks._common import AUTO, index, is_wildcard_ref, q, set_label, walk_bindings, where
from compiler.diagnostics import Diagnostic, Related, Span, diag
from compiler.ir import NOSPAN, Graph, RoleBinding

MAX_FALLBACK_DEPTH = 10  # Plandex walks a fallback chain at most 10 deep


def check_deployment_providers(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """RF001: a deployment names a provider that is not defined.

    Bad::

        providers: [{id: together, base_url: "https://api.together.xyz/v1"}]
        models:
          - id: llama-4
            deployments: [{provider: togther, model_name: meta-llama/Llama-4}]

    Good::

        models:
          - id: llama-4
            deployments: [{provider: together, model_name: meta-llama/Llama-4}]
    """
    idx = index(graph)
    for m in graph.models:
        if m.builtin is not None:
            continue
        for d in m.deployments:
            if d.provider in idx.providers:
                continue
            near = idx.suggest(d.provider, idx.providers)
            hint = f"did you mean {q(near)}?" if near else "define the provider, or fix the name"
            yield diag("RF001", where(graph, d.span, m.span),
                       f"model {q(m.id)} is deployed on provider {q(d.provider)}, which is not defined",
                       hint=hint)


def check_binding_models(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """RF002: a role binding (or one of its fallbacks) names a model that is not defined.

    Bad::

        assignment_sets:
          - id: daily
            bindings: [{role: planner, model: anthropic/claude-sonet-4}]

    Good::

        assignment_sets:
          - id: daily
            bindings: [{role: planner, model: anthropic/claude-sonnet-4}]

    The model must be declared in the file or built into the tool. `auto` (VS Code smart
    routing) is not a model id and is accepted; so is an id a wildcard entry covers
    (`openai/gpt-4o` when `openai/*` is declared), since the gateway serves it.
    """
    idx = index(graph)
    for v in walk_bindings(graph):
        ref = v.binding.model
        if v.aset.builtin is not None:
            continue
        if ref == AUTO or ref in idx.models or is_wildcard_ref(ref) or idx.covered_by_wildcard(ref):
            continue
        if ref in idx.aliases:
            hint = f"{q(ref)} is an alias; bind the model it targets instead"
        else:
            near = idx.suggest(ref)
            hint = f"did you mean {q(near)}?" if near else "declare the model, or use the id of a built-in one"
        yield diag("RF002", v.span, f"{v.label()}: model {q(ref)} is not defined", hint=hint)


def _chain_text(chain: tuple[tuple[str, Span], ...], last: str) -> str:
    return " -> ".join([m for m, _ in chain] + [last])


def check_fallback_chains(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """RF003 (cycle) and RF007 (too deep): fallback chains must end, and within 10 steps.

    A chain is followed along fallbacks of one kind (large-context, large-output, error,
    strong), the way a tool walks it: when the next model of a chain is one already on it,
    the fallback can only lead back to a model that has already failed.

    Bad::

        bindings:
          - role: planner
            model: a
            fallbacks:
              - kind: large-context
                binding:
                  model: b
                  fallbacks: [{kind: large-context, binding: {role: planner, model: a}}]   # a -> b -> a

    Good::

        bindings:
          - role: planner
            model: a
            fallbacks: [{kind: large-context, binding: {role: planner, model: b}}]

    A chain with more than 10 steps (RF007) is cut short by Plandex, which walks 10 deep.
    """
    nospan = NOSPAN.path
    for s in graph.assignment_sets:
        if s.builtin is not None or not any(b.fallbacks for b in s.bindings):
            continue
        set_span = where(graph, s.span)
        for root in s.bindings:
            root_span = root.span if root.span.path != nospan else set_span
            # (binding, incoming kind, chain of (model, span) along that kind, span)
            stack: list[tuple[RoleBinding, str | None, tuple[tuple[str, Span], ...], Span]] = [
                (root, None, ((root.model, root_span),), root_span)]
            while stack:
                cur, kind_in, chain, span = stack.pop()
                for f in reversed(cur.fallbacks):
                    child = f.binding
                    cspan = child.span if child.span.path != nospan else f.span if f.span.path != nospan else span
                    base = chain if kind_in == f.kind else ((cur.model, span),)
                    seen = [i for i, (m, _) in enumerate(base) if m == child.model and m != AUTO]
                    if seen:
                        first_model, first_span = base[seen[0]]
                        yield diag("RF003", cspan,
                                   f"{set_label(s)}, role {root.role}: {f.kind} fallback chain loops back to "
                                   f"{q(child.model)}: {_chain_text(base, child.model)}",
                                   hint="end the chain with a model that is not already on it, or drop this "
                                        "fallback",
                                   related=[Related(first_span, f"{q(first_model)} is first on the chain here")])
                        continue  # do not walk around the loop
                    new_chain = (*base, (child.model, cspan))
                    if len(new_chain) - 1 == MAX_FALLBACK_DEPTH + 1:
                        yield diag("RF007", cspan,
                                   f"{set_label(s)}, role {root.role}: {f.kind} fallback chain is "
                                   f"{MAX_FALLBACK_DEPTH + 1}+ steps deep; tools stop after {MAX_FALLBACK_DEPTH}",
                                   hint=f"shorten the chain to at most {MAX_FALLBACK_DEPTH} fallbacks; later "
                                        "ones are never used",
                                   related=[Related(root_span, f"the chain starts at role {root.role} here")])
                    stack.append((child, f.kind, new_chain, cspan))


def _target_problem(ref: str, graph: Graph) -> tuple[str, str] | None:
    """Why `ref` is not a declared, non-wildcard model (message tail, hint), or None."""
    idx = index(graph)
    if ref in idx.concrete or ref in idx.bare:
        return None
    if ref in idx.aliases:
        return (f"{q(ref)}, which is an alias, not a model",
                "aliases do not chain: name the model the other alias targets")
    w = idx.covered_by_wildcard(ref)
    if w is not None:
        return (f"{q(ref)}, which only wildcard {q(w.id)} covers",
                f"declare {q(ref)} as its own model entry; wildcard expansions do not count here")
    near = idx.suggest(ref)
    return (f"{q(ref)}, which is not a declared model",
            f"did you mean {q(near)}?" if near else "declare the model, or use its full provider/model id")


def check_alias_targets(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """RF004: an alias targets something that is not a declared (non-wildcard) model.

    The target may be a model's full id (`openai/gpt-4o`) or the bare name a deployment sends
    (`gpt-4o`), as Plano accepts both. Another alias, or a model only a wildcard covers, is
    not accepted.

    Bad::

        models: [{id: openai/*, wildcard: true, deployments: [{provider: openai, model_name: "*"}]}]
        aliases: [{name: fast, target: openai/gpt-4o-mini}]

    Good::

        models: [{id: openai/gpt-4o-mini, deployments: [{provider: openai, model_name: gpt-4o-mini}]}]
        aliases: [{name: fast, target: openai/gpt-4o-mini}]
    """
    for a in graph.aliases:
        if is_wildcard_ref(a.target):
            continue
        problem = _target_problem(a.target, graph)
        if problem:
            msg, hint = problem
            yield diag("RF004", where(graph, a.span), f"alias {q(a.name)} targets {msg}", hint=hint)


def check_route_models(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """RF005: a routing preference names a model that is not declared.

    The same rule as alias targets (RF004): a full model id or a deployment's bare name,
    not an alias, not a wildcard expansion.

    Bad::

        routes: [{name: code, description: code generation, models: [openai/gpt-4.1]}]   # not declared

    Good::

        models: [{id: openai/gpt-4.1, deployments: [{provider: openai, model_name: gpt-4.1}]}]
        routes: [{name: code, description: code generation, models: [openai/gpt-4.1]}]
    """
    for r in graph.routes:
        for ref in r.models:
            if is_wildcard_ref(ref):
                continue
            problem = _target_problem(ref, graph)
            if problem:
                msg, hint = problem
                yield diag("RF005", where(graph, r.span), f"routing preference {q(r.name)} names {msg}", hint=hint)


def check_unused_providers(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """RF006 (info): a custom provider that no model is deployed on.

    Bad::

        providers: [{id: groq, base_url: "https://api.groq.com/openai/v1", auth: {kind: env, value: GROQ_API_KEY}}]
        models: []          # nothing uses groq

    Good::

        models: [{id: llama-4, deployments: [{provider: groq, model_name: meta-llama/llama-4-scout}]}]

    Not for files read as Codex config.toml: there, defining several providers and choosing one per
    run (`-c model_provider=...`, profile files) is how the tool is meant to be used.
    """
    idx = index(graph)
    reported: set[str] = set()
    codex_paths = {path for fmt, path in graph.sources if fmt == "codex"}
    for p in graph.providers:
        if p.builtin is not None or p.id in idx.used_providers or p.id in reported:
            continue
        if codex_paths and getattr(p.span, "path", None) in codex_paths:
            continue
        reported.add(p.id)
        yield diag("RF006", where(graph, p.span), f"provider {q(p.id)} is defined but no model is deployed on it",
                   hint="add a model that uses it, or remove the provider")
