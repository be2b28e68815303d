"""Helpers shared by the graph checks: one index per graph, spans, binding walks, names.

Everything here is O(n) in the size of the graph. The index is built once per graph
object and reused by every check of the run (checks receive the same `Graph`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from compiler.diagnostics import Span
from compiler.ir import NOSPAN, AssignmentSet, Graph, Model, Provider, RoleBinding

AUTO = "auto"  # VS Code smart routing: a binding target that is not a model id

SET_KIND_LABEL = {
    "pack": "model pack",
    "profile": "profile",
    "assignment": "assignment",
    "default": "default assignment",
}


def has_span(span: Span | None) -> bool:
    """True for a real source position (not NOSPAN / "<none>")."""
    return span is not None and span.path != NOSPAN.path


def where(graph: Graph, *spans: Span | None) -> Span:
    """The first real span of `spans`; else the graph's first source file; else NOSPAN."""
    for s in spans:
        if has_span(s):
            return s  # type: ignore[return-value]
    for _fmt, path in graph.sources:
        if path and path != NOSPAN.path:
            return Span.file(path)
    return NOSPAN


def user_stated(node: Provider | Model) -> bool:
    """A custom node, or a built-in one the file itself touched (it then carries a span)."""
    return node.builtin is None or has_span(node.span)


def q(name: str) -> str:
    """Quote an id for a sentence: `"openai/gpt-4o"`."""
    return '"' + name.replace('"', '\\"') + '"'


def set_label(s: AssignmentSet) -> str:
    return f"{SET_KIND_LABEL.get(s.kind, s.kind)} {q(s.id)}"


def is_wildcard_ref(ref: str) -> bool:
    """A reference written as a wildcard (`openai/*`, `*`): never a valid target."""
    return ref == "*" or ref.endswith("/*")


@dataclass
class Index:
    """Lookups over one graph, built in one pass."""

    providers: dict[str, Provider] = field(default_factory=dict)  # first node of each id
    models: dict[str, Model] = field(default_factory=dict)  # first node of each id
    concrete: dict[str, Model] = field(default_factory=dict)  # non-wildcard models by id
    bare: dict[str, Model] = field(default_factory=dict)  # deployment model_name -> non-wildcard model
    wildcards: dict[str, Model] = field(default_factory=dict)  # wildcard models by id
    wildcard_prefixes: set[str] = field(default_factory=set)  # "openai/" for "openai/*"
    used_providers: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    visits: list[BindingVisit] | None = None  # walk_bindings(), computed on first use
    _suggest_budget: int = 25

    def covered_by_wildcard(self, ref: str) -> Model | None:
        """The wildcard model whose prefix covers `ref` (`openai/gpt-4o` by `openai/*`)."""
        if not self.wildcard_prefixes:
            return None
        i = ref.find("/")
        while i != -1:
            prefix = ref[: i + 1]
            if prefix in self.wildcard_prefixes:
                return self.wildcards.get(prefix + "*")
            i = ref.find("/", i + 1)
        return None

    def suggest(self, ref: str, candidates: Mapping[str, object] | None = None) -> str | None:
        """A close model id for a "did you mean" hint (bounded work per run)."""
        if self._suggest_budget <= 0:
            return None
        self._suggest_budget -= 1
        pool: Mapping[str, object] = candidates if candidates is not None else self.concrete
        if len(pool) > 5000:
            # keep it cheap on huge graphs: only ids sharing the reference's provider prefix
            head = ref.split("/", 1)[0]
            names = [k for k in pool if k.split("/", 1)[0] == head][:5000]
        else:
            names = list(pool)
        found = difflib.get_close_matches(ref, names, n=1, cutoff=0.75)
        return found[0] if found else None


_CACHE: list[tuple[Graph, Index]] = []


def forget() -> None:
    """Drop the cached index (the runner calls this after the checks of a graph)."""
    _CACHE.clear()


def index(graph: Graph) -> Index:
    """The Index of `graph`, built once per graph object."""
    if _CACHE and _CACHE[0][0] is graph:
        return _CACHE[0][1]
    idx = Index()
    for p in graph.providers:
        idx.providers.setdefault(p.id, p)
    for m in graph.models:
        idx.models.setdefault(m.id, m)
        for d in m.deployments:
            idx.used_providers.add(d.provider)
        if m.wildcard:
            idx.wildcards.setdefault(m.id, m)
            if m.id.endswith("/*") and len(m.id) > 2:
                idx.wildcard_prefixes.add(m.id[:-1])
        else:
            idx.concrete.setdefault(m.id, m)
            for d in m.deployments:
                idx.bare.setdefault(d.model_name, m)
    idx.aliases = {a.name for a in graph.aliases}
    _CACHE[:] = [(graph, idx)]
    return idx


class BindingVisit:
    """One binding met while walking an assignment set, with how it was reached."""

    __slots__ = ("aset", "root", "binding", "path", "span")

    def __init__(self, aset: AssignmentSet, root: RoleBinding, binding: RoleBinding, path: tuple[str, ...],
                 span: Span) -> None:
        self.aset = aset
        self.root = root  # the role's own binding
        self.binding = binding
        self.path = path  # fallback kinds from the root to here ("large-context", ...)
        self.span = span  # the binding's span, or the nearest enclosing real one

    def label(self) -> str:
        """`model pack "x", role planner` (+ `, large-context fallback` per level)."""
        out = f"{set_label(self.aset)}, role {self.root.role}"
        for kind in self.path:
            out += f", {kind} fallback"
        return out


def walk_bindings(graph: Graph) -> list[BindingVisit]:
    """Every binding of every set, fallbacks included, depth first; computed once per graph."""
    idx = index(graph)
    if idx.visits is None:
        idx.visits = list(_walk(graph))
    return idx.visits


def _walk(graph: Graph) -> Iterator[BindingVisit]:
    nospan = NOSPAN.path
    for s in graph.assignment_sets:
        set_span = where(graph, s.span)
        for b in s.bindings:
            root_span = b.span if b.span.path != nospan else set_span
            stack: list[tuple[RoleBinding, tuple[str, ...], Span]] = [(b, (), root_span)]
            while stack:
                cur, path, span = stack.pop()
                yield BindingVisit(s, b, cur, path, span)
                for f in reversed(cur.fallbacks):
                    child = f.binding
                    cspan = child.span if child.span.path != nospan else f.span if f.span.path != nospan else span
                    stack.append((child, (*path, f.kind), cspan))
