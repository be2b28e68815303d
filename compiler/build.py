"""`modelcc build`: one manifest, one graph, every target written (or checked for drift).

    manifest --read--> sources --load+merge--> graph --checks--> --env overrides-->
    for each target: emit (mode generate) or writer.update (mode update)
                     -> compare with the file on disk -> write / report a unified diff

Nothing is written when any source or target has an error. Writes are atomic. Under
`WriteBack.CHECK` nothing is written and a stale output makes the exit code 1; under
`WriteBack.DIFF` the same diffs are printed but the run does not fail (black's model).
This module returns a `BuildResult`; the CLI prints it.
"""

from __future__ import annotations

import difflib
import enum
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from compiler.diagnostics import Diagnostic, Severity, Span, diag, finalize
from compiler.ir import Graph
from compiler.manifest import Manifest, Target, apply_environment, find_manifest, read_manifest, select_environment


class WriteBack(enum.Enum):
    WRITE = "write"  # write every changed output
    CHECK = "check"  # write nothing; stale outputs fail the run
    DIFF = "diff"  # write nothing; print diffs; do not fail


@dataclass(frozen=True)
class Output:
    """One file a target produces: its new text and what is on disk now (None: missing)."""

    path: Path
    text: str
    current: str | None
    target: Target

    @property
    def stale(self) -> bool:
        return self.current != self.text

    def unified_diff(self, shown: str) -> str:
        old = (self.current or "").splitlines(keepends=True)
        new = self.text.splitlines(keepends=True)
        lines = list(difflib.unified_diff(old, new, f"a/{shown}", f"b/{shown}"))
        out = []
        for ln in lines:
            out.append(ln if ln.endswith("\n") else ln + "\n\\ No newline at end of file\n")
        return "".join(out)


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    usage_error: bool = False
    write_back: WriteBack = WriteBack.WRITE

    @property
    def errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def stale(self) -> list[Output]:
        return [o for o in self.outputs if o.stale]

    @property
    def exit_code(self) -> int:
        from compiler.pipeline import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE

        if any(d.code.startswith("IN") for d in self.diagnostics):
            return EXIT_INTERNAL
        if self.usage_error:
            return EXIT_USAGE
        if self.errors:
            return EXIT_FINDINGS
        if self.write_back is WriteBack.CHECK and self.stale:
            return EXIT_FINDINGS
        return EXIT_OK


def display(path: Path) -> str:
    from compiler.pipeline import display_path

    return display_path(str(path)).replace(os.sep, "/")


def run_build(manifest_path: str | None, *, env: str | None = None, write_back: WriteBack = WriteBack.WRITE,
              strict: bool = False, environ: dict[str, str] | None = None) -> BuildResult:
    """Build every target of the manifest (see the module docstring)."""
    result = BuildResult(write_back=write_back)
    if manifest_path is None:
        found = find_manifest()
        if found is None:
            result.usage_error = True
            result.diagnostics.append(diag("BD001", Span.file("modelcc.yaml"),
                                           f"no modelcc.yaml in {display(Path.cwd()) or '.'}",
                                           hint="run modelcc build in the folder that holds modelcc.yaml, "
                                                "or pass --manifest PATH"))
            return result
        path = found
    else:
        path = Path(manifest_path)
        if not path.exists():
            result.usage_error = True
            result.diagnostics.append(diag("BD001", Span.file(manifest_path), f"manifest {manifest_path} not found",
                                           hint="check the path given to --manifest"))
            return result
    manifest, diags = read_manifest(path)
    result.diagnostics.extend(diags)
    if manifest is None:
        result.diagnostics = finalize(result.diagnostics)
        return result
    manifest, diags = select_environment(manifest, env)
    if diags:
        result.usage_error = True
        result.diagnostics = finalize(result.diagnostics + diags)
        return result
    result.diagnostics.extend(_check_targets(manifest))

    graph, diags = load_sources(manifest, environ=environ, env=env)
    result.diagnostics.extend(diags)
    if graph is not None:
        result.diagnostics.extend(_check_sets(manifest, graph))
    if graph is None or _has_errors(result.diagnostics):
        result.diagnostics = finalize(result.diagnostics, strict=strict)
        return result

    for target in manifest.targets:
        outputs, diags = render_target(graph, target)
        result.diagnostics.extend(diags)
        result.outputs.extend(outputs)
    result.diagnostics.extend(_duplicate_outputs(manifest, result.outputs))
    result.diagnostics = finalize(result.diagnostics, strict=strict)
    if _has_errors(result.diagnostics) or write_back is not WriteBack.WRITE:
        return result
    from compiler.convert import write_atomic

    for out in result.stale:
        try:
            write_atomic(out.path, out.text)
        except OSError as e:
            result.diagnostics.append(diag("BD010", out.target.span, f"cannot write {display(out.path)}: "
                                                                     f"{e.strerror or e}"))
            continue
        result.written.append(out.path)
    return result


def _has_errors(diags: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diags)


def load_sources(manifest: Manifest, *, environ: dict[str, str] | None = None,
                 env: str | None = None) -> tuple[Graph | None, list[Diagnostic]]:
    """Read every source, merge them into one graph, apply environment `env`'s overrides and
    check the result as a whole (like check --together).

    The checks run on the graph as it will be written: an override (a header holding a literal
    key, a base URL, a context window below the output limit, ...) is checked like a source value.
    """
    from compiler.ir import merge
    from compiler.pipeline import RunOptions, load, run_checks

    diags: list[Diagnostic] = []
    graphs = []
    environ = environ if environ is not None else dict(os.environ)
    for src in manifest.sources:
        lo = load(str(src.path), RunOptions(format=src.format, environ=environ))
        diags.extend(lo.diagnostics)
        if lo.graph is None:
            diags.append(diag("BD002", src.span, f"source {display(src.path)} could not be read"
                                                 + (" (see above)" if lo.diagnostics else ""),
                              hint="the path is relative to the manifest's folder"))
            continue
        graphs.append(lo.graph)
    if len(graphs) != len(manifest.sources):
        return None, diags
    graph = merge(graphs) if len(graphs) > 1 else graphs[0]
    graph, env_diags = apply_environment(graph, manifest, env)
    diags.extend(env_diags)
    try:
        diags.extend(run_checks(graph, cross_file=len(graphs) > 1, environ=environ))
    except Exception as e:  # noqa: BLE001 - a crash in a check is a bug, reported as one
        from compiler.pipeline import internal_error

        diags.append(internal_error(display(manifest.path), e))
    return graph, diags


def _check_targets(manifest: Manifest) -> list[Diagnostic]:
    from compiler.formats import FORMATS

    out = []
    for i, t in enumerate(manifest.targets):
        if t.mode != "update":
            continue
        mode_span = manifest.document.span(("targets", i, "mode"))
        writer = FORMATS[t.format].writer()
        if not callable(getattr(writer, "update", None)):
            out.append(diag("BD006", mode_span, f"format {t.format} does not support mode: update",
                            hint="use mode: generate (modelcc then owns the whole file)"))
        elif not t.path.exists():
            out.append(diag("BD007", mode_span, f"{display(t.path)} does not exist, so it cannot be updated",
                            hint="create the tool's file first, or use mode: generate"))
    return out


def _check_sets(manifest: Manifest, graph: Graph) -> list[Diagnostic]:
    known = {s.id for s in graph.assignment_sets}
    out = []
    for i, t in enumerate(manifest.targets):
        if t.set is not None and t.set not in known:
            out.append(diag("BD008", manifest.document.span(("targets", i, "set")),
                            f"target {t.raw_path}: assignment set {t.set!r} is not defined by any source",
                            hint="assignment sets: " + (", ".join(sorted(known)) or "none")))
    return out


def _duplicate_outputs(manifest: Manifest, outputs: list[Output]) -> list[Diagnostic]:
    seen: dict[Path, Output] = {}
    out = []
    for o in outputs:
        key = o.path.resolve()
        if key in seen:
            out.append(diag("BD009", o.target.span, f"{display(o.path)} is written by two targets",
                            hint="give every target its own path"))
        else:
            seen[key] = o
    return out


def _read_current(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return f.read()
    except (FileNotFoundError, IsADirectoryError, UnicodeDecodeError):
        return None


def render_target(graph: Graph, target: Target) -> tuple[list[Output], list[Diagnostic]]:
    """The files of one target (main file first) and the target's loss diagnostics."""
    from compiler.context import WriteContext
    from compiler.emit import emit

    ctx = WriteContext(allow_literal_secrets=target.allow_literal_secrets, active_set=target.set,
                       output_name=target.path.name, options={"role": target.role} if target.role else {})
    if target.mode == "update":
        return _update(graph, target, ctx)
    emitted = emit(graph, target.format, ctx)
    diags = [_at_target(d, target) for d in ctx.sink]
    if emitted is None:
        return [], diags
    folder = target.path.parent
    files = [(target.path, emitted.files[0][1])] + [(folder / n, t) for n, t in emitted.files[1:]]
    return [Output(p, t, _read_current(p), target) for p, t in files], diags


def _at_target(d: Diagnostic, target: Target) -> Diagnostic:
    """Internal-error diagnostics point at `<emitted ...>`; show the manifest's target instead."""
    if d.span.path.startswith("<emitted"):
        from dataclasses import replace

        return replace(d, span=target.span, message=f"target {target.raw_path}: {d.message}")
    return d


def _update(graph: Graph, target: Target, ctx: object) -> tuple[list[Output], list[Diagnostic]]:
    """Mode update: the writer edits the existing text; the result must read back cleanly."""
    from compiler.context import WriteContext
    from compiler.emit import secure
    from compiler.formats import FORMATS
    from compiler.pipeline import read_text

    assert isinstance(ctx, WriteContext)
    fmt = FORMATS[target.format]
    text, diags = read_text(str(target.path))
    if text is None:
        return [], diags + [diag("BD011", target.span, f"cannot read {display(target.path)} to update it")]
    ctx.existing = text
    secured = secure(graph, ctx, target.format)
    try:
        new_text = fmt.writer().update(text, secured, ctx)
    except Exception as e:  # noqa: BLE001 - a crash in a writer is a bug, reported as one
        from compiler.pipeline import internal_error

        return [], [*ctx.sink, internal_error(display(target.path), e)]
    expected = fmt.writer().write(secured, WriteContext(allow_literal_secrets=ctx.allow_literal_secrets,
                                                        active_set=ctx.active_set, output_name=ctx.output_name,
                                                        options=dict(ctx.options))).expected
    problem = _check_updated(new_text, target, fmt.syntax, expected)
    if problem is not None:
        return [], [*ctx.sink, problem]
    return [Output(target.path, new_text, text, target)], list(ctx.sink)


def _owned(graph: Graph) -> dict[str, object]:
    """What update mode owns: the graph's nodes without the format extras kept from the old file."""

    def strip(v: object) -> object:
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items() if k != "extras"}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v

    d = graph.to_dict()
    d.pop("extras", None)
    return strip(d)  # type: ignore[return-value]


def _check_updated(text: str, target: Target, syntax: str, expected: Graph | None = None) -> Diagnostic | None:
    """The self-check of an update: the new text must read back without errors, and its
    providers, models, sets, aliases and routes must be what a generated file would hold."""
    from compiler.context import ReadContext
    from compiler.formats import FORMATS
    from compiler.pipeline import parse

    doc, diags = parse(f"<updated {target.format}>/{target.path.name}", text, syntax)
    rctx = ReadContext()
    back = None
    if doc is not None:
        try:
            back = FORMATS[target.format].reader().read(doc, rctx)
        except Exception as e:  # noqa: BLE001
            return diag("IN002", target.span, f"target {target.raw_path}: the updated text cannot be read back: "
                                              f"{type(e).__name__}: {e}")
        diags = list(doc.problems) + rctx.sink
    errors = [d for d in diags if d.severity is Severity.ERROR]
    if doc is None or errors:
        first = errors[0] if errors else None
        msg = f"{first.code} {first.message}" if first else "unreadable"
        return diag("IN002", target.span, f"target {target.raw_path}: the updated text does not read back "
                                          f"cleanly: {msg}",
                    hint="this is a modelcc bug; please report it with the file being updated")
    if expected is not None and back is not None and _owned(back) != _owned(expected):
        from deepdiff import DeepDiff

        change = str(DeepDiff(_owned(expected), _owned(back), verbose_level=2))[:600]
        return diag("IN002", target.span, f"target {target.raw_path}: the updated file reads back to other "
                                          f"providers/models than a generated one would hold: {change}",
                    hint="this is a modelcc bug; please report it with the file being updated")
    return None


def print_build(result: BuildResult, out: IO[str], err: IO[str], colour: bool = False) -> None:
    """Diagnostics and status lines to `err`; unified diffs (check/diff) to `out`."""
    from compiler.reporters import TextReporter

    TextReporter(err, colour).report(result.diagnostics)
    if result.errors or result.usage_error:
        if result.write_back is WriteBack.WRITE and not result.usage_error:
            err.write("Nothing written: fix the errors above.\n")
        return
    n = len(result.outputs)
    if result.write_back is WriteBack.WRITE:
        for p in result.written:
            err.write(f"wrote {display(p)}\n")
        err.write(f"{len(result.written)} written, {n - len(result.written)} unchanged.\n")
        return
    for o in result.stale:
        shown = display(o.path)
        out.write(o.unified_diff(shown))
        err.write(f"would write {shown}\n")
    stale = len(result.stale)
    if stale:
        err.write(f"{stale} of {n} output{'s' * (n != 1)} would change.\n")
    else:
        err.write(f"All {n} output{'s' * (n != 1)} up to date.\n")
