"""Graph checks: plain functions over the IR, registered in CHECKS, run in order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from compiler.diagnostics import Diagnostic
from compiler.ir import Graph


@dataclass(frozen=True)
class CheckContext:
    cross_file: bool = False
    check_env: bool = False
    environ: Mapping[str, str] | None = None


CheckFn = Callable[[Graph, CheckContext], Iterable[Diagnostic]]


def _registry() -> tuple[CheckFn, ...]:
    from compiler.checks import graph_checks

    return graph_checks.CHECKS


def run(graph: Graph, *, cross_file: bool = False, check_env: bool = False,
        environ: Mapping[str, str] | None = None) -> list[Diagnostic]:
    from compiler.checks import _common

    ctx = CheckContext(cross_file=cross_file, check_env=check_env, environ=environ or {})
    out: list[Diagnostic] = []
    try:
        for check in _registry():
            out.extend(check(graph, ctx))
    finally:
        _common.forget()  # the per-graph index is only kept for the checks of one run
    return out
