"""GitHub Actions workflow commands: one `::error|warning|notice ...::message` line per diagnostic.

Chosen automatically when `GITHUB_ACTIONS=true`. Escaping follows the runner's rules
(actions/toolkit `command.ts`): in the message `%`, `\\r`, `\\n` become `%25`, `%0D`, `%0A`;
in property values `:` and `,` are escaped as well (`%3A`, `%2C`).
"""

from __future__ import annotations

from typing import IO, Any

from compiler.diagnostics import Diagnostic, Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    """`::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::message` (hint on a second line)."""

    def __init__(self, stream: IO[str], colour: bool = False):
        self.stream = stream

    def line(self, d: Diagnostic) -> str:
        s = d.span
        props = [("file", s.path)]
        if s.line:
            props += [("line", str(s.line)), ("col", str(s.col or 1))]
            if s.end_line and (s.end_line, s.end_col) >= (s.line, s.col):
                props += [("endLine", str(s.end_line)), ("endColumn", str(s.end_col or s.col or 1))]
        props.append(("title", d.code))
        message = d.message
        for r in d.related:
            message += f"\n{r.span.path}:{r.span.line}:{r.span.col}: {r.message}"
        if d.hint:
            message += f"\nhint: {d.hint}"
        head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
        return f"::{_COMMAND[d.severity]} {head}::{escape_data(message)}"

    def report(self, diagnostics: list[Diagnostic], summary: dict[str, Any] | None = None) -> None:
        for d in diagnostics:
            self.stream.write(self.line(d) + "\n")
        if summary is not None:
            e, w = summary.get("error", 0), summary.get("warning", 0)
            files = summary.get("files", 0)
            self.stream.write(f"modelcc: {e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)} "
                              f"in {files} file{'s' * (files != 1)}\n")
