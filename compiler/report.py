"""Human views of a graph: the `inspect` tree and the canonical IR JSON."""

from __future__ import annotations

import json
from typing import Any

from compiler.ir import Graph, RoleBinding


def ir_json(graph: Graph) -> str:
    from compiler.formats.ir.writer import document

    return json.dumps(document(graph), indent=2, ensure_ascii=False) + "\n"


def _kv(parts: list[tuple[str, Any]]) -> str:
    return ", ".join(f"{k} {v}" for k, v in parts if v not in (None, "", {}, ()))


def _binding(b: RoleBinding, label: str, prefix: str, last: bool, out: list[str]) -> None:
    settings = _kv(list(b.settings.items()))
    out.append(f"{prefix}{'└─ ' if last else '├─ '}{label} -> {b.model}" + (f"  ({settings})" if settings else ""))
    child = prefix + ("   " if last else "│  ")
    for i, f in enumerate(b.fallbacks):
        _binding(f.binding, f"{f.kind} fallback", child, i == len(b.fallbacks) - 1, out)


def tree(graph: Graph, loaded: list[Any] | None = None, *, show_builtins: bool = False) -> str:
    g = graph if show_builtins else graph.custom()
    out: list[str] = []
    if loaded:
        for lo in loaded:
            out.append(f"{lo.path} ({lo.format.name if lo.format else '?'})")
    sections: list[tuple[str, list[str]]] = []

    lines: list[str] = []
    for p in g.providers:
        tag = f" [built-in {p.builtin}]" if p.builtin else ""
        lines.append(f"{p.id}{tag}  api {p.api}" + (f"  {p.base_url}" if p.base_url else "") +
                     f"  auth: {p.auth.describe()}")
    sections.append((f"providers ({len(g.providers)})", lines))

    mlines: list[str] = []
    for m in g.models:
        tag = f" [built-in {m.builtin}]" if m.builtin else ""
        wc = " [wildcard]" if m.wildcard else ""
        limits = _kv([("context", m.context_window), ("output", m.max_output_tokens),
                      ("reserved", m.reserved_output_tokens)])
        cost = f"  cost ${m.cost.input}/${m.cost.output} per 1M" if m.cost else ""
        mlines.append(f"{m.id}{tag}{wc}" + (f"  {limits}" if limits else "") + cost)
        for i, d in enumerate(m.deployments):
            last = i == len(m.deployments) - 1
            dep = f" (deployment {d.deployment_name})" if d.deployment_name else ""
            mlines.append(f"{'└─ ' if last else '├─ '}on {d.provider}: {d.model_name}{dep}")
    sections.append((f"models ({len(g.models)})", mlines))

    slines: list[str] = []
    for s in g.assignment_sets:
        slines.append(f"{s.kind} {s.id}" + (f"  — {s.description}" if s.description else ""))
        for i, b in enumerate(s.bindings):
            _binding(b, b.role, "", i == len(s.bindings) - 1, slines)
    sections.append((f"assignment sets ({len(g.assignment_sets)})", slines))

    if g.aliases:
        sections.append((f"aliases ({len(g.aliases)})", [f"{a.name} -> {a.target}" for a in g.aliases]))
    if g.routes:
        rl = []
        for r in g.routes:
            rl.append(f"{r.name}: {', '.join(r.models)}" + (f"  (prefer {r.prefer})" if r.prefer else ""))
            rl.append(f"   {r.description}")
        sections.append((f"routes ({len(g.routes)})", rl))
    if g.extras:
        sections.append(("kept as is", [f"{fmt}: {', '.join(map(str, v)) if isinstance(v, dict) else type(v).__name__}"
                                        for fmt, v in g.extras.items()]))

    for si, (title, lines) in enumerate(sections):
        last_section = si == len(sections) - 1
        out.append(("└─ " if last_section else "├─ ") + title)
        pad = "   " if last_section else "│  "
        for i, line in enumerate(lines):
            # nested lines already carry their own tree glyphs
            if line.startswith(("├─", "└─", "│", "   ")):
                out.append(pad + "   " + line)
            else:
                is_last = all(ln.startswith(("├─", "└─", "│", "   ")) for ln in lines[i + 1:])
                out.append(pad + ("└─ " if is_last else "├─ ") + line)
    return "\n".join(out) + "\n"
