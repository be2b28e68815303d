"""Validate one Plano config with planoai's own code; print one JSON object on stdout.

usage: PLANO_VENV_PYTHON plano_validate.py CONFIG [--outdir DIR]

Runs inside the separate virtual environment that has PyPI `planoai==0.4.39` (it pins its own
dependencies, so it is never imported into the project's venv). This is the in-process check of
formats/plano.md section 11, the same as `planoai.native_runner.native_validate_config`:
`config_generator.validate_and_render_schema()` with its inputs and outputs given by env vars.

Output: {"valid": bool, "error": str | null, "warnings": [str], "outdir": str | null,
         "planoai_version": str}
  - schema failure: planoai prints the message to stdout and calls exit(1); `error` is that text
  - semantic failure: an exception; `error` is "<ExceptionType>: <message>"
  - `warnings`: the "WARNING: ..." lines planoai printed
  - `outdir`: where plano_config_rendered.yaml and envoy.yaml were rendered, only with --outdir
Exit status 0 whenever a verdict was reached (valid or not); anything else is a harness failure.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import io
import json
import os
import shutil
import sys
import tempfile


def validate(path: str, outdir: str) -> dict:
    import planoai
    from planoai import config_generator

    data = os.path.join(os.path.dirname(planoai.__file__), "data")
    os.makedirs(outdir, exist_ok=True)
    env = {
        "PLANO_CONFIG_FILE": os.path.abspath(path),
        "PLANO_CONFIG_SCHEMA_FILE": os.path.join(data, "plano_config_schema.yaml"),
        "TEMPLATE_ROOT": data,
        "ENVOY_CONFIG_TEMPLATE_FILE": "envoy.template.yaml",
        "PLANO_CONFIG_FILE_RENDERED": os.path.join(outdir, "plano_config_rendered.yaml"),
        "ENVOY_CONFIG_FILE_RENDERED": os.path.join(outdir, "envoy.yaml"),
    }
    # Validated even for configs without a tracing section (plano.md section 11).
    os.environ.pop("OTEL_TRACING_GRPC_ENDPOINT", None)
    os.environ.update(env)
    buf = io.StringIO()
    error = None
    valid = False
    with contextlib.redirect_stdout(buf):
        try:
            config_generator.validate_and_render_schema()
            valid = True
        except SystemExit:  # schema failure: printed, then exit(1)
            error = None  # filled from the captured text below
        except Exception as e:  # semantic failure
            error = f"{type(e).__name__}: {e}"
    printed = buf.getvalue()
    if not valid and error is None:
        error = printed.strip() or "config validation failed (no message)"
    warnings = [ln.strip() for ln in printed.splitlines() if ln.strip().startswith("WARNING")]
    return {"valid": valid, "error": error, "warnings": warnings}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("config")
    ap.add_argument("--outdir")
    a = ap.parse_args()
    outdir = a.outdir or tempfile.mkdtemp(prefix="plano_render_")
    os.makedirs(outdir, exist_ok=True)
    os.chdir(outdir)  # as the shell form does; nothing is written to the caller's cwd
    try:
        result = validate(a.config, outdir)
    finally:
        if not a.outdir:
            os.chdir("/")
            shutil.rmtree(outdir, ignore_errors=True)
    result["outdir"] = a.outdir
    result["planoai_version"] = importlib.metadata.version("planoai")
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
