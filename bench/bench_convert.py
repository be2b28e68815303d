"""`modelcc convert` of a 10,000-model graph to all four targets (issue: under 3x the read time).

The graph is `ir-full` of bench/generate.py: every model carries what every target needs
(limits, prices, Plandex's conversation budget), so each target writes all of it (Codex: the
default model and one profile file per 1,000 models, as Codex holds one model per file). For
each target it prints the wall time and peak RSS of `python -m compiler convert SRC --to T`
in a fresh process next to `modelcc check` of the same file, and the ratio.
Also the in-process split: read (reader + checks) vs emit (writer + render + self-check).
Run: python bench/bench_convert.py [--models 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.bench_check import compile_bytecode, measure  # noqa: E402
from bench.generate import write  # noqa: E402

TARGETS = ("plandex", "plano", "codex", "vscode")


def in_process(path: Path, repeat: int) -> tuple[float, dict[str, float]]:
    from compiler.context import WriteContext
    from compiler.emit import emit
    from compiler.pipeline import RunOptions, read_graph

    reads, emits = [], {t: [] for t in TARGETS}
    for _ in range(repeat):
        t0 = time.perf_counter()
        graph, _, _ = read_graph(str(path), RunOptions(environ={}))
        reads.append(time.perf_counter() - t0)
        assert graph is not None
        for t in TARGETS:
            t0 = time.perf_counter()
            emit(graph, t, WriteContext())
            emits[t].append(time.perf_counter() - t0)
    return statistics.median(reads), {t: statistics.median(v) for t, v in emits.items()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    compile_bytecode()
    src = write("ir-full", args.models, ROOT / "bench" / "out")
    read_t, read_m, _ = measure([sys.executable, "-m", "compiler", "check", str(src)], args.repeat)
    print(f"source: {src.relative_to(ROOT)} ({args.models} models)")
    print("| step | wall s | peak MiB | x read |")
    print("|---|---|---|---|")
    print(f"| read + check (`modelcc check`) | {read_t:.3f} | {read_m:.0f} | 1.00 |")
    total = 0.0
    for t in TARGETS:
        wall, mem, rc = measure([sys.executable, "-m", "compiler", "convert", str(src), "--to", t], args.repeat)
        total += wall - read_t
        print(f"| convert --to {t} (exit {rc}) | {wall:.3f} | {mem:.0f} | {wall / read_t:.2f} |")
    print()
    r, e = in_process(src, args.repeat)
    print("in-process split (one read, four emissions of the same graph):")
    print(f"  read {r:.3f} s; " + "; ".join(f"emit {t} {v:.3f} s" for t, v in e.items()))
    four = sum(e.values())
    print(f"  all four outputs: {four:.3f} s = {four / r:.2f} x the read time (target < 3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
