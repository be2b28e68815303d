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


def secure(graph: Graph, ctx: WriteContext) -> Graph:
    """Replace literal keys by env-var references (LS001) unless literal secrets are allowed."""
    if ctx.allow_literal_secrets:
        return graph
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


def emit(graph: Graph, target: str, ctx: WriteContext) -> Emitted | None:
    """Write `graph` as `target`; returns None (with IN002 in ctx.sink) if the self-check fails."""
    fmt = FORMATS[target]
    graph = secure(graph, ctx)
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
