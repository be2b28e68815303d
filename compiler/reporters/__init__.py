"""Reporters: small classes over `Diagnostic.to_dict()`, writing to an injected stream."""

from __future__ import annotations

import json
import os
from typing import IO, Any

from compiler.diagnostics import Diagnostic, Severity


def use_colour(stream: IO[str], force: bool | None = None) -> bool:
    """Colour on a terminal, or when forced with --color; never when NO_COLOR is set."""
    if os.environ.get("NO_COLOR"):
        return False
    if force is not None:
        return force
    return bool(getattr(stream, "isatty", lambda: False)())


_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"


class TextReporter:
    """`PATH:LINE:COL: SEVERITY CODE message`, then `  hint: ...` and related places."""

    def __init__(self, stream: IO[str], colour: bool = False):
        self.stream = stream
        self.colour = colour

    def line(self, d: Diagnostic) -> str:
        sev = d.severity.label
        if self.colour:
            sev = f"{_COLOURS[d.severity]}{sev}{_RESET}"
            code = f"{_BOLD}{d.code}{_RESET}"
        else:
            code = d.code
        out = [f"{d.span.path}:{d.span.line}:{d.span.col}: {sev} {code} {d.message}"]
        for r in d.related:
            out.append(f"  note: {r.span.path}:{r.span.line}:{r.span.col}: {r.message}")
        if d.hint:
            out.append(f"  hint: {d.hint}")
        return "\n".join(out)

    def report(self, diagnostics: list[Diagnostic], summary: dict[str, Any] | None = None) -> None:
        for d in diagnostics:
            self.stream.write(self.line(d) + "\n")
        if summary is not None:
            e, w = summary.get("error", 0), summary.get("warning", 0)
            files = summary.get("files", 0)
            if e or w:
                self.stream.write(f"Found {e} error{'s' * (e != 1)} and {w} warning{'s' * (w != 1)} "
                                  f"in {files} file{'s' * (files != 1)}.\n")
            else:
                self.stream.write(f"All good: {files} file{'s' * (files != 1)} checked, no problems.\n")


class JsonReporter:
    """A JSON document: {"diagnostics": [...], "summary": {...}} with stable key order."""

    def __init__(self, stream: IO[str], colour: bool = False):
        self.stream = stream

    def report(self, diagnostics: list[Diagnostic], summary: dict[str, Any] | None = None) -> None:
        doc = {"diagnostics": [d.to_dict() for d in diagnostics], "summary": summary or {}}
        self.stream.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _registry() -> dict[str, type]:
    from compiler.reporters.github import GithubReporter
    from compiler.reporters.sarif import SarifReporter

    return {"text": TextReporter, "json": JsonReporter, "github": GithubReporter, "sarif": SarifReporter}


REPORTERS: dict[str, type] = _registry()
