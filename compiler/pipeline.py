"""load -> read (schema + lowering + tool rules) -> graph checks -> Result.

The CLI calls these functions and reports; nothing here prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.context import ReadContext
from compiler.diagnostics import Diagnostic, Severity, Span, diag, finalize
from compiler.formats import FORMATS, WHAT_WE_LOOK_FOR, Format, detect, syntax_for_path
from compiler.ir import Graph, merge
from compiler.source import Document, SyntaxProblem

DEFAULT_MAX_SIZE = 32 * 1024 * 1024

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


@dataclass(frozen=True)
class RunOptions:
    """Options of a check/inspect/convert run, copied from click parameters."""

    format: str | None = None  # --format override
    strict: bool = False
    together: bool = False
    check_env: bool = False
    max_size: int = DEFAULT_MAX_SIZE
    environ: dict[str, str] | None = None


@dataclass
class Loaded:
    """One input after reading: its document, format and graph (any may be None on failure)."""

    path: str
    document: Document | None = None
    format: Format | None = None
    graph: Graph | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class Result:
    loaded: list[Loaded]
    diagnostics: list[Diagnostic]
    graph: Graph | None = None  # merged graph (--together) or the single file's graph

    @property
    def exit_code(self) -> int:
        if any(d.code.startswith("IN") for d in self.diagnostics):
            return EXIT_INTERNAL
        return EXIT_FINDINGS if any(d.severity is Severity.ERROR for d in self.diagnostics) else EXIT_OK


def display_path(path: str) -> str:
    try:
        rel = os.path.relpath(path)
        return path if rel.startswith("..") else rel
    except ValueError:
        return path


def read_text(path: str, max_size: int = DEFAULT_MAX_SIZE) -> tuple[str | None, list[Diagnostic]]:
    """Read a file as UTF-8 text with a diagnostic for every way that can fail."""
    shown = display_path(path) if path != "-" else "<stdin>"
    span = Span.file(shown)
    if path == "-":
        import sys

        raw = sys.stdin.buffer.read(max_size + 1)
    else:
        p = Path(path)
        try:
            st = p.stat()
        except FileNotFoundError:
            return None, [diag("IO001", span, f"file not found: {path}", hint="check the path and its spelling")]
        except OSError as e:
            return None, [diag("IO003", span, f"cannot read {path}: {e.strerror}")]
        if p.is_dir():
            return None, [diag("IO002", span, f"{path} is a directory, not a config file",
                               hint="name the files to check, e.g. dir/*.json")]
        if st.st_size > max_size:
            return None, [diag("IO005", span, f"file is {st.st_size / 2**20:.1f} MiB, over the "
                                              f"{max_size / 2**20:.0f} MiB limit",
                               hint="raise the limit with --max-size if this really is a config file")]
        try:
            raw = p.read_bytes()
        except OSError as e:
            return None, [diag("IO003", span, f"cannot read {path}: {e.strerror}")]
    if len(raw) > max_size:
        return None, [diag("IO005", span, f"input is over the {max_size / 2**20:.0f} MiB limit")]
    out: list[Diagnostic] = []
    if b"\x00" in raw:
        return None, [diag("IO009", span, "file contains NUL bytes: this is not a text config file")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        out.append(diag("IO008", span, "file starts with a UTF-8 byte-order mark",
                        hint="some tools (Go's JSON decoder, Codex) reject a BOM; save without it"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [diag("IO004", Span(shown, line, col, line, col + 1),
                           f"file is not valid UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start})",
                           hint="re-save the file as UTF-8")]
    return text, out


def parse(path: str, text: str, syntax: str | None) -> tuple[Document | None, list[Diagnostic]]:
    """Parse by the given syntax, or by extension, or by trying json, toml, yaml in turn."""
    import importlib

    def reader(name: str) -> Any:  # import only the syntax module that is needed
        return importlib.import_module(f"compiler.syntax.{name}").read

    order = [syntax] if syntax else ["json", "toml", "yaml"]
    first: list[Diagnostic] | None = None
    for s in order:
        try:
            return reader(s)(path, text), []
        except SyntaxProblem as e:
            if first is None:
                first = e.diagnostics
    return None, first or []


def load(path: str, options: RunOptions, *, ctx: ReadContext | None = None) -> Loaded:
    """Read, parse, detect and lower one file."""
    text, diags = read_text(path, options.max_size)
    shown = display_path(path) if path != "-" else "<stdin>"
    loaded = Loaded(shown, diagnostics=diags)
    if text is None:
        return loaded
    fmt = FORMATS[options.format] if options.format else None
    syntax = fmt.syntax if fmt else syntax_for_path(path)
    if fmt and fmt.name == "ir" and syntax_for_path(path) == "yaml":
        syntax = "yaml"
    if not text.strip() or (syntax == "json" and _only_comments(text)):
        loaded.diagnostics.append(diag("IO006", Span.file(shown), "file is empty: there is nothing to check",
                                       hint="an empty config is written as {} (JSON) or left out"))
        return loaded
    doc, sdiags = parse(shown, text, syntax)
    loaded.diagnostics.extend(sdiags)
    if doc is None:
        return loaded
    loaded.document = doc
    loaded.diagnostics.extend(doc.problems)
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else type(doc.data).__name__
        loaded.diagnostics.append(diag("SY004", doc.span(()), f"the top level is {kind}, not an object/mapping",
                                       hint="config files of every supported format are a mapping of keys"))
        return loaded
    if fmt is None:
        fmt = detect(doc.data, path)
    if fmt is None:
        loaded.diagnostics.append(diag("IO007", Span.file(shown), "cannot tell which format this file is",
                                       hint=f"looked for: {WHAT_WE_LOOK_FOR}; use --format to say"))
        return loaded
    loaded.format = fmt
    rctx = ctx or ReadContext(check_env=options.check_env,
                              environ=options.environ if options.environ is not None else dict(os.environ))
    rctx.sink = []
    if path != "-" and not rctx.siblings:
        rctx.siblings = _siblings(path, fmt)
    try:
        loaded.graph = fmt.reader().read(doc, rctx)
    except Exception as e:  # noqa: BLE001 - a crash in a reader is a bug, reported as one
        loaded.diagnostics.append(internal_error(shown, e))
    loaded.diagnostics.extend(rctx.sink)
    return loaded


def _only_comments(text: str) -> bool:
    import re

    stripped = re.sub(r"//[^\n]*|/\*.*?\*/", "", text, flags=re.S)
    return not stripped.strip()


def _siblings(path: str, fmt: Format) -> dict[str, str]:
    """Codex profile files (`<name>.config.toml`) next to a `config.toml`; for a profile file
    itself, the `config.toml` it is layered over (`codex --profile <name>` reads both)."""
    if fmt.name != "codex":
        return {}
    name = Path(path).name
    if name != "config.toml":
        base = Path(path).parent / "config.toml"
        if not name.endswith(".config.toml") or not base.is_file():
            return {}
        try:
            return {"config.toml": base.read_text(encoding="utf-8")}
        except (OSError, UnicodeDecodeError):
            return {}
    out: dict[str, str] = {}
    for p in sorted(Path(path).parent.glob("*.config.toml")):
        try:
            out[p.name] = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return out


def internal_error(path: str, e: BaseException) -> Diagnostic:
    import traceback

    tb = traceback.extract_tb(e.__traceback__)
    where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"
    return diag("IN001", Span.file(path), f"internal error while reading: {type(e).__name__}: {e} (at {where})",
                hint="this is a modelcc bug; please report it with the input file")


def run_checks(graph: Graph, *, cross_file: bool = False, check_env: bool = False,
               environ: dict[str, str] | None = None) -> list[Diagnostic]:
    from compiler.checks import run

    return run(graph, cross_file=cross_file, check_env=check_env,
               environ=environ if environ is not None else dict(os.environ))


def check(paths: list[str], options: RunOptions) -> Result:
    """`modelcc check`: every file on its own, or all together with --together."""
    loaded = [load(p, options) for p in paths]
    diags: list[Diagnostic] = [d for lo in loaded for d in lo.diagnostics]
    env = options.environ if options.environ is not None else dict(os.environ)
    merged: Graph | None = None
    if options.together:
        graphs = [lo.graph for lo in loaded if lo.graph is not None]
        merged = merge(graphs)
        diags.extend(_safe_checks(merged, True, options.check_env, env))
    else:
        for lo in loaded:
            if lo.graph is not None:
                diags.extend(_safe_checks(lo.graph, False, options.check_env, env, lo.path))
        if len(loaded) == 1:
            merged = loaded[0].graph
    return Result(loaded, finalize(diags, strict=options.strict), merged)


def _safe_checks(graph: Graph, cross: bool, check_env: bool, env: dict[str, str],
                 path: str = "<graph>") -> list[Diagnostic]:
    try:
        return run_checks(graph, cross_file=cross, check_env=check_env, environ=env)
    except Exception as e:  # noqa: BLE001
        return [internal_error(path, e)]


def read_graph(path: str, options: RunOptions) -> tuple[Graph | None, list[Diagnostic], Loaded]:
    """One file to a graph plus all its diagnostics (reader + graph checks)."""
    lo = load(path, options)
    diags = list(lo.diagnostics)
    if lo.graph is not None:
        env = options.environ if options.environ is not None else dict(os.environ)
        diags.extend(_safe_checks(lo.graph, False, options.check_env, env, lo.path))
    return lo.graph, finalize(diags, strict=options.strict), lo


def summarize(result: Result) -> dict[str, Any]:
    sev = {s: 0 for s in ("error", "warning", "info")}
    for d in result.diagnostics:
        sev[d.severity.label] += 1
    return {"files": len(result.loaded), **sev}
