"""`modelcc check` speed and memory on generated configs of 100 .. 20,000 models.

For every format and size it prints, each the median of --repeat runs:
  check     wall time and peak RSS of `python -m compiler check FILE` (a fresh process)
  parse     raw parse of the same file in-process (json / tomllib / PyYAML CSafeLoader), best of 7
  parse-p   the same raw parse as a fresh process (`python -c "import json; json.load(...)"`),
            i.e. with interpreter start-up, which `check` also pays
  cjs       `check-jsonschema --schemafile schemas/<fmt>.schema.json FILE` (if installed)
and the ratios the targets are stated in. Run: python bench/bench_check.py [--repeat 3] [--sizes ...]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.generate import GENERATORS, write  # noqa: E402

PARSERS = {
    "json": ("import json,sys; json.load(open(sys.argv[1], encoding='utf-8'))", lambda t: json.loads(t)),
    "toml": ("import tomllib,sys; tomllib.loads(open(sys.argv[1], encoding='utf-8').read())", tomllib.loads),
    "yaml": ("import yaml,sys; yaml.load(open(sys.argv[1], encoding='utf-8'), Loader=yaml.CSafeLoader)",
             lambda t: yaml.load(t, Loader=yaml.CSafeLoader)),
}
SYNTAX = {"plandex": "json", "plano": "yaml", "codex": "toml", "vscode": "json", "ir": "json"}


def compile_bytecode() -> None:
    """Write the bytecode caches of modelcc and its dependencies once, as `pip install` does, so
    that runs measure the tool and not Python compiling it (even under PYTHONDONTWRITEBYTECODE)."""
    import compileall
    import site

    compileall.compile_dir(str(ROOT / "compiler"), quiet=1)
    for d in site.getsitepackages():
        compileall.compile_dir(d, quiet=1, maxlevels=20)


def measure(cmd: list[str], repeat: int) -> tuple[float, float, int]:
    walls, rss, rc = [], [], 0
    for _ in range(repeat):
        out = subprocess.run([sys.executable, str(ROOT / "bench" / "_measure.py"), *cmd],
                             capture_output=True, text=True, check=True).stdout
        d = json.loads(out)
        walls.append(d["wall"])
        rss.append(d["rss_mib"])
        rc = d["rc"]
    return statistics.median(walls), max(rss), rc


def parse_inproc(path: Path, syntax: str, repeat: int) -> float:
    text = path.read_text(encoding="utf-8")
    fn = PARSERS[syntax][1]
    times = []
    for _ in range(max(repeat, 7)):  # best of several: in-process times are small and noisy
        t = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000, 20000])
    ap.add_argument("--formats", nargs="*", default=[f for f in GENERATORS if f in SYNTAX])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = ap.parse_args()
    compile_bytecode()
    out = Path(args.out)
    cjs = shutil.which("check-jsonschema")
    print("| format | models | file MiB | check s | check MiB | rc | parse s | parse-p s | check/parse-p | "
          "check/parse | cjs s | check/cjs |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    results: dict[tuple[str, int], dict[str, float]] = {}
    for fmt in args.formats:
        syntax = SYNTAX[fmt]
        for n in args.sizes:
            path = write(fmt, n, out)
            check_t, check_m, rc = measure([sys.executable, "-m", "compiler", "check", str(path)], args.repeat)
            parse_t = parse_inproc(path, syntax, args.repeat)
            parse_p, _, _ = measure([sys.executable, "-c", PARSERS[syntax][0], str(path)], args.repeat)
            cjs_t = None
            if cjs and fmt != "ir":
                schema = ROOT / "schemas" / f"{fmt}.schema.json"
                if schema.exists():
                    cjs_t, _, _ = measure([cjs, "--schemafile", str(schema), str(path)], args.repeat)
            results[(fmt, n)] = {"check": check_t, "parse": parse_t, "parse_p": parse_p}
            size = path.stat().st_size / 2**20
            cjs_s = f"{cjs_t:.3f}" if cjs_t else "-"
            ratio_cjs = f"{check_t / cjs_t:.2f}" if cjs_t else "-"
            print(f"| {fmt} | {n} | {size:.2f} | {check_t:.3f} | {check_m:.0f} | {rc} | {parse_t:.3f} | "
                  f"{parse_p:.3f} | {check_t / parse_p:.2f} | {check_t / parse_t:.1f} | {cjs_s} | {ratio_cjs} |",
                  flush=True)
    print()
    print("growth 10,000 -> 20,000 models (modelcc's growth / raw in-process parse's growth; target <= 1.15):")
    for fmt in args.formats:
        a, b = results.get((fmt, 10000)), results.get((fmt, 20000))
        if a and b:
            g_check = b["check"] / a["check"]
            g_parse = b["parse"] / a["parse"]
            print(f"  {fmt}: check x{g_check:.2f}, parse x{g_parse:.2f}, ratio {g_check / g_parse:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
