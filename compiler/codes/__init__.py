"""The diagnostic code registry.

Every code modelcc can emit is declared once, in one of the area modules below
(`core`, `plandex`, `plano`, `codex`, `vscode`, `loss`, `build`), with a stable code, a
kebab-case name, a one-line summary and a default severity. Codes are never reused or
renumbered; a retired code stays registered with `retired=True`.

Code scheme: two letters for the area, three digits.
  IO  input/output          SY  syntax              SC  schema
  UQ  uniqueness            RF  references          LM  limits
  UR  URLs                  AU  auth / secrets      WC  wildcards
  XF  cross-file conflicts  PX  Plandex rules       PL  Plano rules
  CX  Codex rules           VS  VS Code rules       LS  conversion losses
  BD  build / manifest      IN  internal errors
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.diagnostics import Severity


@dataclass(frozen=True, slots=True)
class Code:
    """A registered diagnostic code."""

    code: str
    name: str
    summary: str
    severity: Severity = Severity.ERROR
    strictable: bool = False  # --strict turns this warning into an error
    retired: bool = False


_REGISTRY: dict[str, Code] = {}
_LOADED = False


def register(*codes: Code) -> None:
    """Add codes to the registry; a duplicate code or name is a programming error."""
    names = {c.name for c in _REGISTRY.values()}
    for c in codes:
        if c.code in _REGISTRY:
            raise ValueError(f"diagnostic code {c.code} registered twice")
        if c.name in names:
            raise ValueError(f"diagnostic name {c.name} registered twice")
        _REGISTRY[c.code] = c
        names.add(c.name)


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    from compiler.codes import build, codex, core, loss, plandex, plano, vscode  # noqa: F401


def get(code: str) -> Code:
    _load()
    return _REGISTRY[code]


def lookup(code_or_name: str) -> Code | None:
    _load()
    if code_or_name in _REGISTRY:
        return _REGISTRY[code_or_name]
    for c in _REGISTRY.values():
        if c.name == code_or_name:
            return c
    return None


def all_codes() -> list[Code]:
    _load()
    return sorted(_REGISTRY.values(), key=lambda c: c.code)


def markdown_table() -> str:
    """The README's diagnostic-code table (kept current by a test)."""
    rows = ["| code | name | default | summary |", "|---|---|---|---|"]
    for c in all_codes():
        sev = c.severity.label + (" (error with --strict)" if c.strictable else "")
        summary = c.summary.replace("|", "\\|")
        if c.retired:
            summary = "(retired) " + summary
        rows.append(f"| `{c.code}` | `{c.name}` | {sev} | {summary} |")
    return "\n".join(rows) + "\n"
