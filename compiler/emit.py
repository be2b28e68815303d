"""Emission: secure the graph, call the target writer, read the output back and compare.

Before anything is printed or written, every emitted text is read back by our own reader
and the graph it gives is compared with what the writer said it expressed. A mismatch is
an internal error (IN002) with a description of the difference, never a file.
"""

from __future__ import annotations

import re
from dataclasses import replace

from compiler.context import Emitted, ReadContext, WriteContext
from compiler.diagnostics import Diagnostic, Span, diag
from compiler.formats import FORMATS
from compiler.ir import Auth, Graph


def env_name_for(provider_id: str) -> str:
    """Derived env-var name for a literal key: `<PROVIDER>_API_KEY`."""
    base = re.sub(r"[^A-Za-z0-9]+", "_", provider_id).strip("_").upper() or "PROVIDER"
    if base[0].isdigit():
        base = "P_" + base
    return base if base.endswith("_API_KEY") else f"{base}_API_KEY"


def secure(graph: Graph, ctx: WriteContext, target: str = "") -> Graph:
    """Replace literal keys by env-var references (LS001) unless literal secrets are allowed:
    provider auth, and literal keys inside the settings kept verbatim (extras)."""
    if ctx.allow_literal_secrets:
        return graph
    graph = _secure_kept_settings(graph, ctx, target)
    providers = []
    changed = False
    for p in graph.providers:
        if p.auth.kind == "literal":
            name = env_name_for(p.id)
            ctx.sink.append(diag("LS001", p.span,
                                 f"provider {p.id}: literal API key not written; the output reads it from "
                                 f"env var {name} instead",
                                 hint=f"export {name}=<key> where the tool runs, or pass "
                                      f"--allow-literal-secrets to write the key itself"))
            p = replace(p, auth=Auth("env", name))
            changed = True
        providers.append(p)
    return replace(graph, providers=tuple(providers)) if changed else graph


def _secure_kept_settings(graph: Graph, ctx: WriteContext, target: str) -> Graph:
    from compiler.secrets import display, scrub, where_is

    def report(label: str, found: list[tuple[object, str, str]], fallback: Span) -> None:
        for path, name, old in found:
            ctx.sink.append(diag("LS001", where_is(graph, old, fallback),
                                 f"{label} {display(path)}: literal key not written; the output refers to "
                                 f"env var {name} instead",
                                 hint=f"export {name}=<key> where the tool runs (check that the tool expands "
                                      "env vars in this setting), or pass --allow-literal-secrets"))

    extras = {}
    changed = False
    sources = dict(graph.sources)
    for fmt, kept in graph.extras.items():
        new, found = scrub(kept, target or fmt)
        report(f"{fmt} setting", found, Span.file(sources.get(fmt, "<graph>")))
        extras[fmt] = new
        changed |= bool(found)

    def node_extras(nodes: tuple) -> tuple:  # type: ignore[type-arg]
        nonlocal changed
        out = []
        for n in nodes:
            new, found = scrub(n.extras, target) if n.extras else (n.extras, [])
            if found:
                label = getattr(n, "id", None) or getattr(n, "name", "?")
                report(f"{label} setting", found, n.span)
                n = replace(n, extras=new)
                changed = True
            out.append(n)
        return tuple(out)

    providers, models = node_extras(graph.providers), node_extras(graph.models)
    sets, aliases, routes = node_extras(graph.assignment_sets), node_extras(graph.aliases), node_extras(graph.routes)
    if not changed:
        return graph
    return replace(graph, providers=providers, models=models, assignment_sets=sets, aliases=aliases,
                   routes=routes, extras=extras)


def emit(graph: Graph, target: str, ctx: WriteContext) -> Emitted | None:
    """Write `graph` as `target`; returns None (with IN002 in ctx.sink) if the self-check fails."""
    fmt = FORMATS[target]
    graph = secure(graph, ctx, target)
    emitted: Emitted = fmt.writer().write(graph, ctx)
    problem = selfcheck(emitted, target, ctx.output_name or fmt.default_filename())
    if problem is not None:
        ctx.sink.append(problem)
        return None
    return emitted


def reread(emitted: Emitted, target: str, name: str) -> tuple[Graph | None, list[Diagnostic]]:
    """Read emitted files back with our own reader."""
    from compiler.pipeline import parse

    fmt = FORMATS[target]
    main_name, main_text = emitted.files[0]
    path = f"<emitted {target}>/{name or main_name}"
    doc, diags = parse(path, main_text, fmt.syntax)
    if doc is None:
        return None, diags
    rctx = ReadContext(siblings={n: t for n, t in emitted.files[1:]})
    graph = fmt.reader().read(doc, rctx)
    return graph, list(doc.problems) + rctx.sink


def selfcheck(emitted: Emitted, target: str, name: str) -> Diagnostic | None:
    back, diags = reread(emitted, target, name)
    errors = [d for d in diags if d.severity.name == "ERROR"]
    where = Span.file(f"<emitted {target}>")
    if back is None or errors:
        first = errors[0] if errors else (diags[0] if diags else None)
        msg = f"{first.code} {first.message}" if first else "unreadable"
        return diag("IN002", where, f"the emitted {target} text does not read back cleanly: {msg}",
                    hint="this is a modelcc bug; please report it with the input file")
    if emitted.expected == back:  # dataclass equality (spans excluded): the common, cheap case
        return None
    want = emitted.expected.to_dict()
    got = back.to_dict()
    if want != got:
        from deepdiff import DeepDiff

        dd = DeepDiff(want, got, ignore_order=False, verbose_level=2)
        text = dd.pretty() if hasattr(dd, "pretty") else str(dd)
        text = text.replace("\n", "; ")
        return diag("IN002", where, f"the emitted {target} text reads back to a different graph: {text[:800]}",
                    hint="this is a modelcc bug; please report it with the input file")
    return None
