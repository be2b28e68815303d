"""SARIF 2.1.0 (for GitHub code scanning and other SARIF consumers).

One run; the tool's rules are every registered diagnostic code (id, name, shortDescription,
defaultConfiguration.level), results refer to them by `ruleId` and `ruleIndex`. Columns are
counted in Unicode code points, as modelcc's spans are (`columnKind`).
"""

from __future__ import annotations

import json
from typing import IO, Any
from urllib.parse import quote

from compiler.diagnostics import Diagnostic, Severity, Span

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    return quote(path.replace("\\", "/"), safe="/:._-~")


def _location(span: Span, message: str | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(span.path)}}
    if span.line >= 1:
        region: dict[str, Any] = {"startLine": span.line, "startColumn": max(span.col, 1)}
        if span.end_line >= span.line:
            region["endLine"] = span.end_line
            end_col = span.end_col if span.end_col >= 1 else region["startColumn"]
            if span.end_line == span.line:
                end_col = max(end_col, region["startColumn"])
            region["endColumn"] = end_col
        physical["region"] = region
    loc: dict[str, Any] = {"physicalLocation": physical}
    if message is not None:
        loc["message"] = {"text": message}
    return loc


def sarif_log(diagnostics: list[Diagnostic]) -> dict[str, Any]:
    from compiler import __version__
    from compiler.codes import all_codes

    codes = all_codes()
    index = {c.code: i for i, c in enumerate(codes)}
    rules = [
        {
            "id": c.code,
            "name": c.name,
            "shortDescription": {"text": c.summary},
            "defaultConfiguration": {"level": _LEVEL[c.severity]},
        }
        for c in codes
    ]
    results = []
    for d in diagnostics:
        text = d.message + (f"\nhint: {d.hint}" if d.hint else "")
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": _LEVEL[d.severity],
            "message": {"text": text},
            "locations": [_location(d.span)],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.related:
            result["relatedLocations"] = [dict(_location(r.span, r.message), id=i + 1)
                                          for i, r in enumerate(d.related)]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "modelcc", "version": __version__, "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


class SarifReporter:
    """The whole SARIF log as one JSON document."""

    def __init__(self, stream: IO[str], colour: bool = False):
        self.stream = stream

    def report(self, diagnostics: list[Diagnostic], summary: dict[str, Any] | None = None) -> None:
        self.stream.write(json.dumps(sarif_log(diagnostics), indent=2, ensure_ascii=False) + "\n")
