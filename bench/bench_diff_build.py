"""`modelcc diff` of two 10,000-model configs and `modelcc build --check` of a 4-target manifest.

  diff    two generated configs of N models (default 10,000) in two formats, B differing from A
          in exactly 100 places (40 context windows, 20 output limits, 20 models removed,
          20 added); the run must report exactly 100 changes (checked with --output json).
          Formats: A is converted by `modelcc convert` to --format-a (default plandex), B is
          IR JSON (--format-b ir; another format is converted too). Plandex vs IR is the pair
          that can hold exactly the same graph: Codex keeps no unused models and Plano no
          token limits, so those pairs differ in more than the 100 planted changes.
  build   `modelcc build --check` of fixtures/manifests/four-targets (after one `modelcc build`
          into a temporary copy), or of fixtures/manifests/basic when not every writer exists.

Each command runs in a fresh process after one warm-up run; wall time is the median of
--repeat runs, peak RSS from
resource.getrusage(RUSAGE_CHILDREN). Targets: diff < 2 s, build --check < 0.3 s.
Run: python bench/bench_diff_build.py [--models 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHANGES = 100
TARGETS = {"diff": 2.0, "build --check": 0.3}


def graphs(n: int) -> tuple[dict, dict]:
    """Graph A of n models and graph B with exactly CHANGES differences."""
    providers = [{"id": "acme", "api": "openai", "base_url": "https://api.acme.example/v1",
                  "auth": {"kind": "env", "value": "ACME_API_KEY"}}]

    def model(i: int, cw: int = 128000, out: int = 16384) -> dict:
        return {"id": f"acme-{i:05d}", "context_window": cw, "max_output_tokens": out,
                "reserved_output_tokens": 16384, "settings": {"output_format": "xml"},
                "deployments": [{"provider": "acme", "model_name": f"acme-{i:05d}"}],
                "extras": {"plandex": {"defaultMaxConvoTokens": 10000}}}

    a_models = [model(i) for i in range(n)]
    b_models = []
    for i in range(n):
        if i % 250 == 7 and i < 250 * 40:  # 40 changed context windows
            b_models.append(model(i, cw=200000))
        elif i % 250 == 101 and i < 250 * 20:  # 20 changed output limits
            b_models.append(model(i, out=32768))
        elif i % 250 == 203 and i < 250 * 20:  # 20 removed
            continue
        else:
            b_models.append(model(i))
    b_models += [model(n + j) for j in range(20)]  # 20 added
    b_models.reverse()  # order must not matter
    a = {"modelcc": "1", "providers": providers, "models": a_models}
    b = {"modelcc": "1", "providers": providers, "models": b_models}
    return a, b


def has_writer(fmt: str) -> bool:
    return (ROOT / "compiler" / "formats" / fmt / "writer.py").exists()


def modelcc(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "compiler", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, check=check)


def measure(cmd: list[str], cwd: Path, repeat: int) -> tuple[float, float, int, str]:
    """Median wall seconds, peak RSS (MiB, from RUSAGE_CHILDREN in a fresh helper), exit code, stdout."""
    walls, rss, rc, out = [], [], 0, ""
    helper = ("import resource,subprocess,sys,time,json;t=time.perf_counter();"
              "r=subprocess.run(sys.argv[1:],capture_output=True,text=True);w=time.perf_counter()-t;"
              "print(json.dumps({'wall':w,'rss':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024,"
              "'rc':r.returncode,'out':r.stdout}))")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure with bytecode caches, as after `pip install`
    subprocess.run(cmd, cwd=cwd, capture_output=True, env=env)  # warm-up: bytecode and OS caches
    for _ in range(repeat):
        res = subprocess.run([sys.executable, "-c", helper, *cmd], cwd=cwd, capture_output=True, text=True,
                             env=env, check=True)
        d = json.loads(res.stdout)
        walls.append(d["wall"])
        rss.append(d["rss"])
        rc, out = d["rc"], d["out"]
    return statistics.median(walls), max(rss), rc, out


def bench_diff(work: Path, n: int, fmt_a: str, fmt_b: str, repeat: int) -> tuple[str, float, float, int]:
    a, b = graphs(n)
    pa, pb = work / "a.modelcc.json", work / "b.modelcc.yaml"
    pa.write_text(json.dumps(a, indent=2) + "\n", encoding="utf-8")
    pb.write_text(yaml.safe_dump(b, sort_keys=False), encoding="utf-8")
    label = "ir (json) vs ir (yaml)"
    if fmt_a != "ir" and has_writer(fmt_a):
        ca = work / f"a.{fmt_a}" / _name(fmt_a)
        ca.parent.mkdir()
        modelcc("convert", str(pa), "--to", fmt_a, "-o", str(ca))
        pa, label = ca, f"{fmt_a} vs ir (json)" if fmt_b == "ir" else f"{fmt_a} vs {fmt_b}"
    if fmt_b == "ir":
        pb = work / "b.modelcc.json"
        pb.write_text(json.dumps(b, indent=2) + "\n", encoding="utf-8")
    elif has_writer(fmt_b):
        cb = work / f"b.{fmt_b}" / _name(fmt_b)
        cb.parent.mkdir()
        modelcc("convert", str(pb), "--to", fmt_b, "-o", str(cb))
        pb = cb
    wall, rss, rc, out = measure([sys.executable, "-m", "compiler", "diff", str(pa), str(pb), "--output", "json"],
                                 work, repeat)
    found = json.loads(out)["summary"]["changes"] if out.strip() else -1
    assert rc == 1, f"modelcc diff exited {rc}"
    assert found == CHANGES, f"modelcc diff reported {found} changes, expected exactly {CHANGES}"
    return label, wall, rss, found


def _name(fmt: str) -> str:
    return {"plandex": "custom-models.json", "codex": "config.toml", "plano": "plano_config.yaml",
            "vscode": "settings.json"}.get(fmt, "graph.modelcc.json")


def bench_build(work: Path, repeat: int) -> tuple[str, float, float, int]:
    four = ROOT / "fixtures" / "manifests" / "four-targets"
    src = four if four.exists() and all(has_writer(f) for f in ("codex", "plano", "plandex", "vscode")) else \
        ROOT / "fixtures" / "manifests" / "basic"
    dest = work / "manifest"
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("out"))
    r = modelcc("build", cwd=dest, check=False)
    assert r.returncode == 0, r.stderr
    wall, rss, rc, _ = measure([sys.executable, "-m", "compiler", "build", "--check"], dest, repeat)
    assert rc == 0, f"build --check exited {rc} right after build"
    text = (dest / "modelcc.yaml").read_text(encoding="utf-8")
    return f"{src.relative_to(ROOT)} ({text.count('format:')} targets)", wall, rss, rc


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--format-a", default="plandex")
    ap.add_argument("--format-b", default="ir")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="modelcc-bench-") as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        d_label, d_wall, d_rss, d_n = bench_diff(work, args.models, args.format_a, args.format_b, args.repeat)
        b_label, b_wall, b_rss, _ = bench_build(work, args.repeat)
        setup = time.perf_counter() - t
    print("| command | input | wall s (median) | peak RSS MiB | target s | ok |")
    print("|---|---|---|---|---|---|")
    print(f"| diff | {args.models} models, {d_label}, {d_n} changes | {d_wall:.3f} | {d_rss:.0f} | "
          f"< {TARGETS['diff']} | {'yes' if d_wall < TARGETS['diff'] else 'NO'} |")
    print(f"| build --check | {b_label} | {b_wall:.3f} | {b_rss:.0f} | < {TARGETS['build --check']} | "
          f"{'yes' if b_wall < TARGETS['build --check'] else 'NO'} |")
    print(f"\n(total bench time {setup:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
