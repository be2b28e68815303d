"""Semantic diff of two graphs (`modelcc diff A B`), as our own `Change` records.

Both graphs are turned into dicts keyed by identity (provider id, model id, deployment
provider, assignment-set id, role, fallback kind, alias and route name) so order and
formatting never matter. Entries that are equal are skipped with a plain `==`; deepdiff
runs only on the entries that differ, and its result is converted at once into frozen
`Change` records, so reporters and golden files never depend on deepdiff's output shape.

Each change points at the node it concerns on each side (`span_a`, `span_b`). Lists of
plain values (route models, settings lists) and small value objects (auth, cost) are
compared whole: one change, old list -> new list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from compiler.diagnostics import Span, concrete
from compiler.ir import NOSPAN, Auth, Graph, RoleBinding

Path = tuple[str, ...]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

SECTIONS = ("providers", "models", "assignment_sets", "aliases", "routes")
_SECTION_KEY = {"providers": "id", "models": "id", "assignment_sets": "id", "aliases": "name", "routes": "name"}
_ATOMIC = {"auth"}  # value objects compared whole
_SET_WORD = {"pack": "model pack", "profile": "profile", "assignment": "assignment", "default": "default set"}
_FIELD_WORD = {"base_url": "base URL", "api": "API", "auth": "auth", "model_name": "model name",
               "deployment_order": "deployment order"}


@dataclass(frozen=True)
class Change:
    """One semantic difference. `path` is keyed by identity, e.g. ("models", "gpt-4o", "context_window").

    kind: added (only in B), removed (only in A), changed (in both, different).
    """

    kind: str
    path: Path
    old: Any
    new: Any
    span_a: Span | None
    span_b: Span | None
    subject: str = ""
    field: str = ""

    def message(self) -> str:
        if not self.field:
            return f"{self.subject} {self.kind}"
        return f"{self.subject}: {self.field} {_show(self.old)} -> {_show(self.new)}"

    def where(self) -> str:
        parts = [s.short() if s.line else s.path for s in (self.span_a, self.span_b) if s is not None]
        return f"({', '.join(parts)})" if parts else ""

    def sentence(self) -> str:
        w = self.where()
        return f"{self.message()} {w}" if w else self.message()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": list(self.path),
            "subject": self.subject,
            "field": self.field or None,
            "old": None if self.old is MISSING else self.old,
            "new": None if self.new is MISSING else self.new,
            "a": self.span_a.to_dict() if self.span_a is not None else None,
            "b": self.span_b.to_dict() if self.span_b is not None else None,
            "message": self.message(),
        }


def _show(v: Any) -> str:
    if v is MISSING or v is None:
        return "(unset)"
    if isinstance(v, str):
        return v if v and v.strip() == v and " -> " not in v else json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict) and set(v) <= {"kind", "value"} and "kind" in v:
        try:
            return Auth(v["kind"], v.get("value")).describe()
        except ValueError:
            pass
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


# --- keyed form --------------------------------------------------------------------------------

def _unique(key: str, seen: dict[str, Any]) -> str:
    if key not in seen:
        return key
    n = 2
    while f"{key}#{n}" in seen:
        n += 1
    return f"{key}#{n}"


def _binding(b: RoleBinding, d: dict[str, Any], path: Path, spans: dict[Path, Span]) -> dict[str, Any]:
    spans[path] = b.span
    out = {k: v for k, v in d.items() if k not in ("role", "fallbacks")}
    fbs: dict[str, Any] = {}
    for f, fd in zip(b.fallbacks, d.get("fallbacks", []), strict=True):
        k = _unique(f.kind, fbs)
        fp = (*path, "fallbacks", k)
        fbs[k] = _binding(f.binding, fd["binding"], fp, spans)
        spans[fp] = f.span if f.span is not NOSPAN else f.binding.span
    if fbs:
        out["fallbacks"] = fbs
    return out


class Keyed:
    """A graph as dicts keyed by identity, built lazily: only nodes that differ are normalized.

    `nodes[section][key]` are the graph's nodes; `item(section, key)` is a node's dict form
    (canonical `to_dict()` with deployments, bindings and fallbacks keyed too, `extras`
    limited to `formats`), and `spans` the span of every normalized node.
    """

    def __init__(self, graph: Graph, file: str, formats: set[str] | None = None):
        self.file = file
        self.formats = formats
        self.spans: dict[Path, Span] = {}
        self.nodes: dict[str, dict[str, Any]] = {}
        self._items: dict[Path, Any] = {}
        for sec in SECTIONS:
            section: dict[str, Any] = {}
            attr = _SECTION_KEY[sec]
            for node in getattr(graph, sec):
                k = _unique(str(getattr(node, attr)), section)
                section[k] = node
                self.spans[(sec, k)] = node.span
            self.nodes[sec] = section
        self.extras = {k: v for k, v in graph.extras.items() if formats is None or k in formats}

    def item(self, sec: str, key: str) -> Any:
        path = (sec, key)
        if path not in self._items:
            self._items[path] = self._normalize(sec, key, self.nodes[sec][key])
        return self._items[path]

    def get(self, path: Path) -> Any:
        """The value at `path` (MISSING when absent)."""
        if path[0] == "extras":
            return _get(self.extras, path[1:])
        if path[1] not in self.nodes.get(path[0], {}):
            return MISSING
        return _get(self.item(path[0], path[1]), path[2:])

    def _normalize(self, sec: str, key: str, node: Any) -> dict[str, Any]:
        nd = _node_dict(sec, node)
        path = (sec, key)
        item = {kk: vv for kk, vv in nd.items() if kk != _SECTION_KEY[sec]}
        if sec == "models" and "deployments" in item:
            deps: dict[str, Any] = {}
            for dep, dd in zip(node.deployments, item["deployments"], strict=True):
                dk = _unique(dd["provider"], deps)
                deps[dk] = {kk: vv for kk, vv in dd.items() if kk != "provider"}
                self.spans[(*path, "deployments", dk)] = dep.span
            item["deployments"] = deps
            if len(deps) > 1:  # deployment order is priority order
                item["deployment_order"] = list(deps)
        if sec == "assignment_sets" and "bindings" in item:
            bs: dict[str, Any] = {}
            for b, bd in zip(node.bindings, item["bindings"], strict=True):
                bk = _unique(b.role, bs)
                bs[bk] = _binding(b, bd, (*path, "bindings", bk), self.spans)
            item["bindings"] = bs
        return _filter_extras(item, self.formats)  # type: ignore[no-any-return]


def _node_dict(sec: str, node: Any) -> dict[str, Any]:
    """The canonical dict of one node (`Graph.to_dict()` of a one-node graph)."""
    return Graph(**{sec: (node,)}).to_dict()[sec][0]  # type: ignore[no-any-return]


def keyed(graph: Graph, file: str, formats: set[str] | None = None) -> Keyed:
    """The keyed form of `graph`; `formats` limits `extras` to those format names."""
    return Keyed(graph, file, formats)


def _filter_extras(item: Any, formats: set[str] | None) -> Any:
    if formats is None or not isinstance(item, dict):
        return item
    out = {}
    for k, v in item.items():
        if k == "extras" and isinstance(v, dict):
            v = {f: x for f, x in v.items() if f in formats}
            if not v:
                continue
        elif isinstance(v, dict):
            v = _filter_extras(v, formats)
        out[k] = v
    return out


# --- comparison ---------------------------------------------------------------------------------

def diff_graphs(a: Graph, b: Graph, *, file_a: str = "a", file_b: str = "b", builtins: bool = False) -> list[Change]:
    """Every semantic difference between graph A and graph B, in a stable order.

    Format-specific `extras` are compared only for formats both sides were read from.
    """
    if not builtins:
        a, b = a.custom(), b.custom()
    fa = {f for f, _ in a.sources}
    fb = {f for f, _ in b.sources}
    common = fa & fb if (fa and fb) else None
    ka, kb = keyed(a, file_a, common), keyed(b, file_b, common)
    return diff_keyed(ka, kb)


def diff_keyed(ka: Keyed, kb: Keyed) -> list[Change]:
    changes: list[Change] = []
    for sec in SECTIONS:
        na, nb = ka.nodes[sec], kb.nodes[sec]
        for k, node in na.items():
            if k not in nb:
                changes.append(_change("removed", (sec, k), ka.item(sec, k), MISSING, ka, kb))
            elif node != nb[k]:  # dataclass equality ignores spans; cheap for the many equal nodes
                a, b = ka.item(sec, k), kb.item(sec, k)
                if a != b:
                    changes.extend(_deep(a, b, (sec, k), ka, kb))
        for k in nb:
            if k not in na:
                changes.append(_change("added", (sec, k), MISSING, kb.item(sec, k), ka, kb))
    if ka.extras != kb.extras:
        changes.extend(_deep(ka.extras, kb.extras, ("extras",), ka, kb))
    return changes


def _deepdiff() -> Any:
    """deepdiff's DeepDiff, imported without numpy when numpy is not loaded yet.

    deepdiff imports numpy (when installed) only to support numpy values; graph dicts hold
    plain JSON values, and the numpy import alone costs ~0.5 s of `modelcc diff`.
    """
    import sys

    if "deepdiff" in sys.modules or "numpy" in sys.modules:
        from deepdiff import DeepDiff

        return DeepDiff
    sys.modules["numpy"] = None  # type: ignore[assignment]  # import numpy -> ImportError inside deepdiff
    try:
        from deepdiff import DeepDiff
    finally:
        del sys.modules["numpy"]
    return DeepDiff


def _deep(a: Any, b: Any, base: Path, ka: Keyed, kb: Keyed) -> list[Change]:
    dd = _deepdiff()(a, b, ignore_order=False, view="tree", verbose_level=2)
    paths: list[Path] = []
    seen: set[Path] = set()
    for report in dd.values():
        for level in report:
            p = _collapse(tuple(level.path(output_format="list")))
            full = (*base, *p)
            if full not in seen:
                seen.add(full)
                paths.append(full)
    if base in paths and isinstance(a, dict) and isinstance(b, dict):
        # deepdiff reports a node whose every field went (or came) as the node itself changing
        # ("model m changed"): say which fields
        paths.remove(base)
        paths.extend((*base, str(k)) for k in sorted({*a, *b}, key=str) if (*base, str(k)) not in seen and
                     _get(a, (k,)) != _get(b, (k,)))
    out = []
    for full in sorted(_expand(paths, a, b, base), key=lambda p: [str(x) for x in p]):
        rel = full[len(base):]
        old, new = _get(a, rel), _get(b, rel)
        if rel[-1:] == ("deployment_order",):
            # kept only for two or more deployments: a side with one (or none) has that order,
            # not "unset" (`["p1"] -> ["p2", "p1"]`: p2 was added in front of p1)
            old, new = (_deployment_keys(x, rel[:-1]) if v is MISSING else v for x, v in ((a, old), (b, new)))
        kind = "added" if old is MISSING else "removed" if new is MISSING else "changed"
        out.append(_change(kind, full, old, new, ka, kb))
    return out


def _deployment_keys(item: Any, model: Path) -> list[str]:
    deps = _get(item, (*model, "deployments"))
    return list(deps) if isinstance(deps, dict) else []


def _expand(paths: list[Path], a: Any, b: Any, base: Path) -> list[Path]:
    """A plain dict (settings, headers, extras) added or removed whole: one change per key."""
    out: list[Path] = []
    for full in paths:
        rel = full[len(base):]
        old, new = _get(a, rel), _get(b, rel)
        whole = new if old is MISSING else old if new is MISSING else None
        node, field = _split(full)
        if isinstance(whole, dict) and field and field[-1] not in _ATOMIC and whole:
            out.extend(_expand([(*full, str(k)) for k in whole], a, b, base))
        else:
            out.append(full)
    return out


def _collapse(p: tuple[Any, ...]) -> Path:
    """Cut a deepdiff path at the first list index or value object: those compare whole."""
    out: list[str] = []
    for part in p:
        if isinstance(part, int):
            break
        out.append(str(part))
        if part in _ATOMIC:
            break
    return tuple(out)


def _get(d: Any, path: Iterable[str]) -> Any:
    for part in path:
        if not isinstance(d, dict) or part not in d:
            return MISSING
        d = d[part]
    return d


def _node_span(spans: dict[Path, Span], path: Path, present: bool) -> Span | None:
    if not present:
        return None
    p = path
    while p:
        s = spans.get(p)
        if s is not None and s is not NOSPAN:
            s = concrete(s)
            if s.line:
                return s
        p = p[:-1]
    return None


def _change(kind: str, path: Path, old: Any, new: Any, ka: Keyed, kb: Keyed) -> Change:
    node, field = _split(path)
    in_a = ka.get(node) is not MISSING
    in_b = kb.get(node) is not MISSING
    span_a = _node_span(ka.spans, path, in_a) or (Span(ka.file) if in_a else None)
    span_b = _node_span(kb.spans, path, in_b) or (Span(kb.file) if in_b else None)
    subject = _subject(node, ka, kb)
    words = ".".join(field) if node == ("extras",) else _field_words(field)
    return Change(kind, path, old, new, span_a, span_b, subject, words)


def _split(path: Path) -> tuple[Path, Path]:
    """(node path, field path): nodes are sections' entries, deployments, bindings, fallbacks."""
    if path[0] == "extras":
        return ("extras",), path[1:]
    node = path[:2]
    rest = path[2:]
    while len(rest) >= 2 and rest[0] in ("deployments", "bindings", "fallbacks"):
        node, rest = (*node, *rest[:2]), rest[2:]
    return node, rest


def _subject(node: Path, ka: Keyed, kb: Keyed) -> str:
    if node[0] == "extras":
        return "extras"
    sec, key = node[0], node[1]
    if sec == "providers":
        words = f"provider {key}"
    elif sec == "models":
        words = f"model {key}"
    elif sec == "assignment_sets":
        node_obj = kb.nodes[sec].get(key) or ka.nodes[sec].get(key)
        kind = getattr(node_obj, "kind", None)
        words = f"{_SET_WORD.get(kind, 'assignment set')} {key}"
    elif sec == "aliases":
        words = f"alias {key}"
    else:
        words = f"route {key}"
    rest = node[2:]
    while rest:
        what, k = rest[0], rest[1]
        if what == "deployments":
            words += f", deployment on {k}"
        elif what == "bindings":
            words += f", role {k}"
        else:
            words += f", {k} fallback"
        rest = rest[2:]
    return words


def _field_words(field: Path) -> str:
    if not field:
        return ""
    first = _FIELD_WORD.get(field[0], field[0].replace("_", " "))
    return first + (" " + ".".join(field[1:]) if len(field) > 1 else "")


# --- running ------------------------------------------------------------------------------------

@dataclass
class DiffResult:
    changes: list[Change]
    diagnostics: list[Any]
    file_a: str
    file_b: str
    usage_error: bool = False

    @property
    def exit_code(self) -> int:
        if self.usage_error:
            return 2
        return 1 if self.changes else 0

    def to_dict(self) -> dict[str, Any]:
        kinds = {k: sum(1 for c in self.changes if c.kind == k) for k in ("added", "removed", "changed")}
        return {"a": self.file_a, "b": self.file_b, "changes": [c.to_dict() for c in self.changes],
                "summary": {"changes": len(self.changes), **kinds}}


def run_diff(path_a: str, path_b: str, *, format_a: str | None = None, format_b: str | None = None,
             builtins: bool = False) -> DiffResult:
    """Read both files (any formats) and compare their graphs. Unreadable input: usage_error."""
    from compiler.diagnostics import Severity
    from compiler.pipeline import RunOptions, load

    la = load(path_a, RunOptions(format=format_a))
    lb = load(path_b, RunOptions(format=format_b))
    diags = la.diagnostics + lb.diagnostics
    errors = [d for d in diags if d.severity is Severity.ERROR]
    if errors or la.graph is None or lb.graph is None:
        return DiffResult([], sorted(errors or diags), la.path, lb.path, usage_error=True)
    return DiffResult(diff_graphs(la.graph, lb.graph, file_a=la.path, file_b=lb.path, builtins=builtins),
                      [], la.path, lb.path)


def print_diff(result: DiffResult, out: Any, err: Any, output: str = "text") -> None:
    from compiler.reporters import TextReporter

    if result.usage_error:
        TextReporter(err).report(result.diagnostics)
        err.write("modelcc diff: cannot compare: fix the errors above\n")
        return
    if output == "json":
        out.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    for c in result.changes:
        out.write(c.sentence() + "\n")
    n = len(result.changes)
    err.write(f"{n} change{'s' * (n != 1)}.\n" if n else "No semantic differences.\n")
