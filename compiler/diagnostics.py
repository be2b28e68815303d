"""Diagnostics: values with a code, a severity and a source span.

Nothing in this module imports from the rest of the package except the code registry,
so readers, checks and reporters can all depend on it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any


class Severity(enum.IntEnum):
    """How bad a diagnostic is. Higher is worse."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A region of a source file. Lines and columns are 1-based."""

    path: str
    line: int = 0
    col: int = 0
    end_line: int = 0
    end_col: int = 0

    @classmethod
    def file(cls, path: str) -> Span:
        """The whole file (reported at 1:1)."""
        return cls(path, 1, 1, 1, 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "end_line": self.end_line,
            "end_col": self.end_col,
        }

    def short(self) -> str:
        """`path:line` (or just `path` for whole-file spans), for sentences."""
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Related:
    """A second place a diagnostic refers to (the other half of a duplicate, ...)."""

    span: Span
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.message, **self.span.to_dict()}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding. Checks create these with `diag()`; severity comes from the code registry."""

    code: str
    severity: Severity
    message: str
    span: Span
    hint: str | None = None
    related: tuple[Related, ...] = ()

    def sort_key(self) -> tuple[Any, ...]:
        return (self.span.path, self.span.line, self.span.col, self.code, self.message)

    def __lt__(self, other: Diagnostic) -> bool:
        return self.sort_key() < other.sort_key()

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def to_dict(self) -> dict[str, Any]:
        from compiler.codes import lookup

        info = lookup(self.code)
        return {
            "code": self.code,
            "name": info.name if info else None,
            "severity": self.severity.label,
            "message": self.message,
            "hint": self.hint,
            **self.span.to_dict(),
            "related": [r.to_dict() for r in self.related],
        }


def diag(
    code: str,
    span: Span,
    message: str,
    *,
    hint: str | None = None,
    related: tuple[Related, ...] | list[Related] = (),
) -> Diagnostic:
    """Build a diagnostic with the registry's default severity for `code`.

    Raises KeyError for an unregistered code: using an undocumented code is a bug.
    """
    from compiler.codes import get

    return Diagnostic(code, get(code).severity, message, concrete(span), hint,
                      tuple(Related(concrete(r.span), r.message) for r in related))


def concrete(span: Any) -> Span:
    """A Span from a Span or a lazy SpanRef (see compiler.source)."""
    resolve = getattr(span, "resolve", None)
    return resolve() if resolve is not None else span


@dataclass
class Sink:
    """Collects diagnostics of a run."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, d: Diagnostic) -> None:
        self.items.append(d)

    def extend(self, ds: Any) -> None:
        self.items.extend(ds)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)


def finalize(diags: list[Diagnostic], *, strict: bool = False) -> list[Diagnostic]:
    """Sort, de-duplicate, and apply `--strict` (warnings of strict-able codes become errors)."""
    from compiler.codes import get

    seen: set[tuple[Any, ...]] = set()
    out: list[Diagnostic] = []
    for d in sorted(diags):
        key = (d.sort_key(), d.severity)
        if key in seen:
            continue
        seen.add(key)
        if strict and d.severity is Severity.WARNING and get(d.code).strictable:
            d = d.with_severity(Severity.ERROR)
        out.append(d)
    return out
