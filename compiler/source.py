"""Source documents: text, the plain value read from it, and lazily computed positions.

Readers parse with the fastest parser available (C `json`, `tomllib`, libyaml) and keep
the text. Positions are computed only when a diagnostic asks for one: `Document.span()`
runs the syntax's position-aware reader once and caches a map from JSON pointers
(tuples of keys and indexes) to offsets. Clean files never pay for positions.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from compiler.diagnostics import Diagnostic, Span

Pointer = tuple[str | int, ...]
# pointer -> (value_start, value_end, key_start, key_end); key offsets are -1 without a key
LocMap = dict[Pointer, tuple[int, int, int, int]]


class SyntaxProblem(Exception):
    """Raised by a reader when the text cannot be parsed; carries the diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


@dataclass
class Document:
    """A parsed source file."""

    path: str
    text: str
    syntax: str  # "json" | "toml" | "yaml"
    data: Any
    locator: Callable[[str], LocMap] | None = None
    problems: list[Diagnostic] = field(default_factory=list)
    features: set[str] = field(default_factory=set)  # e.g. {"comments", "trailing-commas", "bom"}
    # Optional: finds one pointer without building the whole map (strict JSON); see syntax/json.py
    point_locator: Callable[[Pointer], tuple[int, int, int, int] | None] | None = None
    _locmap: LocMap | None = field(default=None, repr=False)
    _lines: list[int] | None = field(default=None, repr=False)

    # -- positions ---------------------------------------------------------------------------
    def locmap(self) -> LocMap:
        if self._locmap is None:
            self._locmap = self.locator(self.text) if self.locator else {}
        return self._locmap

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        if self._lines is None:
            starts = [0]
            text = self.text
            i = text.find("\n")
            while i != -1:
                starts.append(i + 1)
                i = text.find("\n", i + 1)
            self._lines = starts
        line = bisect.bisect_right(self._lines, offset) - 1
        return line + 1, offset - self._lines[line] + 1

    def span_of_offsets(self, start: int, end: int) -> Span:
        line, col = self.position(start)
        end_line, end_col = self.position(max(start, end))
        return Span(self.path, line, col, end_line, end_col)

    def span(self, pointer: Sequence[str | int] = (), *, key: bool = False) -> SpanRef:
        """A lazy span of the value at `pointer` (or of its key with key=True).

        Nothing is computed until a line or column is asked for (normally: when a diagnostic
        is made), so clean files never run the position-aware reader.
        """
        return SpanRef(self, tuple(pointer), key)

    def resolve_span(self, pointer: Sequence[str | int] = (), *, key: bool = False) -> Span:
        """Span of the value at `pointer` (or of its key with key=True).

        A pointer that does not exist (a missing required key, say) resolves to the nearest
        existing ancestor, at its key when it has one, so the diagnostic still points into
        the right object.
        """
        ptr = tuple(pointer)
        exact = True
        lookup = self._lookup
        loc = lookup(ptr)
        while loc is None and ptr:
            ptr = ptr[:-1]
            exact = False
            loc = lookup(ptr)
        if loc is None:
            return Span.file(self.path) if not self.text.strip() else self.span_of_offsets(0, 0)
        vs, ve, ks, ke = loc
        if (key or not exact) and ks >= 0:
            return self.span_of_offsets(ks, ke)
        return self.span_of_offsets(vs, ve)

    def _lookup(self, ptr: Pointer) -> tuple[int, int, int, int] | None:
        if self._locmap is None and self.point_locator is not None:
            return self.point_locator(ptr)
        return self.locmap().get(ptr)

    def has(self, pointer: Sequence[str | int]) -> bool:
        cur = self.data
        for p in pointer:
            try:
                cur = cur[p]
            except (KeyError, IndexError, TypeError):
                return False
        return True


class SpanRef:
    """A span that is computed from its document on first use; otherwise behaves like Span."""

    __slots__ = ("doc", "pointer", "key", "_span")

    def __init__(self, doc: Document, pointer: tuple[str | int, ...], key: bool = False):
        self.doc = doc
        self.pointer = pointer
        self.key = key
        self._span: Span | None = None

    def resolve(self) -> Span:
        if self._span is None:
            self._span = self.doc.resolve_span(self.pointer, key=self.key)
        return self._span

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def line(self) -> int:
        return self.resolve().line

    @property
    def col(self) -> int:
        return self.resolve().col

    @property
    def end_line(self) -> int:
        return self.resolve().end_line

    @property
    def end_col(self) -> int:
        return self.resolve().end_col

    def to_dict(self) -> dict[str, Any]:
        return self.resolve().to_dict()

    def short(self) -> str:
        return self.resolve().short()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SpanRef):
            other = other.resolve()
        return self.resolve() == other

    def __hash__(self) -> int:
        return hash(self.resolve())

    def __repr__(self) -> str:
        return f"SpanRef({self.doc.path!r}, {self.pointer!r}, key={self.key})"
