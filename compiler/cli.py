"""Command line: parse options, call the pipeline, report, exit. No format logic here."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from compiler import __version__
from compiler.formats import FORMATS
from compiler.pipeline import DEFAULT_MAX_SIZE, EXIT_INTERNAL, EXIT_USAGE, RunOptions

_FORMAT_CHOICE = click.Choice(sorted(FORMATS))


def _output_choice() -> click.Choice:
    from compiler.reporters import REPORTERS

    return click.Choice(sorted(REPORTERS))


def _default_output() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" and _has_reporter("github") else "text"


def _has_reporter(name: str) -> bool:
    from compiler.reporters import REPORTERS

    return name in REPORTERS


def _reporter(name: str, stream: Any, colour: bool | None = None) -> Any:
    from compiler.reporters import REPORTERS, use_colour

    return REPORTERS[name](stream, use_colour(stream, colour))


def _env_option(f: Any) -> Any:
    return click.option("--env", "check_env", is_flag=True,
                        help="Also check that every referenced environment variable is set.")(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="modelcc")
def cli() -> None:
    """modelcc: check, inspect and convert AI model-provider configs.

    Formats: plandex (custom models JSON), plano (gateway YAML), codex (config.toml),
    vscode (settings.json, aiOrchestrator.*), ir (modelcc's own graph).
    """


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=_FORMAT_CHOICE, help="Read every FILE as this format (skip detection).")
@click.option("--output", "-o", "output", default=None, help="text, json, github or sarif (default: text; "
              "github under GITHUB_ACTIONS).")
@click.option("--strict", is_flag=True, help="Treat warnings of loss/strict-able codes as errors.")
@click.option("--together", is_flag=True, help="Build one graph from all FILES and check it as a whole, "
              "including cross-file conflicts.")
@_env_option
@click.option("--max-size", type=int, default=DEFAULT_MAX_SIZE, show_default=True, help="Largest file to read, in bytes.")
@click.option("--color/--no-color", "colour", default=None, help="Force colour on or off (default: on a "
              "terminal). NO_COLOR in the environment always turns it off.")
@click.option("--skip-unknown", is_flag=True, help="Silently skip files whose content is not a model config "
              "(for the pre-commit hook, whose file-name pattern also matches other tools' config.yaml, ...).")
def check(files: tuple[str, ...], fmt: str | None, output: str | None, strict: bool, together: bool,
          check_env: bool, max_size: int, colour: bool | None, skip_unknown: bool) -> None:
    """Read, check and report every problem in FILES (exit 0 clean, 1 errors, 2 usage)."""
    from compiler.pipeline import check as run_check
    from compiler.pipeline import summarize

    output = _validate_output(output)
    options = RunOptions(format=fmt, strict=strict, together=together, check_env=check_env, max_size=max_size)
    result = run_check(list(files), options)
    if skip_unknown and fmt is None:
        from compiler.precommit import skip_unknown as drop_unknown

        result = drop_unknown(result)
    _reporter(output, sys.stdout, colour).report(result.diagnostics, summarize(result))
    sys.exit(result.exit_code)


def _validate_output(output: str | None) -> str:
    from compiler.reporters import REPORTERS

    output = output or _default_output()
    if output not in REPORTERS:
        raise click.BadParameter(f"{output!r} is not one of {', '.join(sorted(REPORTERS))}", param_hint="--output")
    return output


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=_FORMAT_CHOICE, help="Read every FILE as this format.")
@click.option("--output", "-o", "output", type=click.Choice(["tree", "json"]), default="tree", show_default=True,
              help="tree: readable; json: canonical IR JSON (reads back as an `ir` source).")
@click.option("--builtins/--no-builtins", default=False, help="Show built-in nodes pulled in from catalogs.")
def inspect(files: tuple[str, ...], fmt: str | None, output: str, builtins: bool) -> None:
    """Print the model graph modelcc understood from FILES (merged when several)."""
    from compiler.ir import merge
    from compiler.pipeline import load
    from compiler.report import ir_json, tree

    options = RunOptions(format=fmt)
    loaded = [load(p, options) for p in files]
    problems = [d for lo in loaded for d in lo.diagnostics if d.severity.name == "ERROR"]
    graphs = [lo.graph for lo in loaded if lo.graph is not None]
    if problems:
        _reporter("text", sys.stderr).report(problems)
    if not graphs:
        sys.exit(1)
    graph = merge(graphs) if len(graphs) > 1 else graphs[0]
    if output == "json":
        sys.stdout.write(ir_json(graph))
    else:
        sys.stdout.write(tree(graph, [lo for lo in loaded if lo.graph is not None], show_builtins=builtins))
    sys.exit(1 if problems else 0)


@cli.command()
@click.argument("src")
@click.option("--to", "target", type=_FORMAT_CHOICE, required=True, help="Target format.")
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False), help="Write here (atomically) instead of stdout.")
@click.option("--format", "fmt", type=_FORMAT_CHOICE, help="Read SRC as this format.")
@click.option("--strict", is_flag=True, help="Losses are errors (nothing is written).")
@click.option("--force", is_flag=True, help="Overwrite an existing file modelcc did not generate.")
@click.option("--allow-literal-secrets", is_flag=True, help="Write literal API keys as they are (never the default).")
@click.option("--set", "active_set", help="Assignment set to make active where the target has one (Codex).")
@click.option("--role", "role", help="Role whose model a single-model target uses (Codex; default: the "
              "`default` role). E.g. --role planner to take a Plandex pack's planner.")
def convert(src: str, target: str, out: str | None, fmt: str | None, strict: bool, force: bool,
            allow_literal_secrets: bool, active_set: str | None, role: str | None) -> None:
    """Convert SRC (any format) to --to FORMAT. Diagnostics and losses go to stderr."""
    from compiler.convert import run_convert

    code = run_convert(src, target, out=out, fmt=fmt, strict=strict, force=force,
                       allow_literal_secrets=allow_literal_secrets, active_set=active_set, role=role)
    sys.exit(code)


@cli.command()
@click.option("--manifest", "manifest", type=click.Path(dir_okay=False), default=None,
              help="The manifest to build (default: modelcc.yaml in the current folder).")
@click.option("--env", "env", default=None, help="Build this environment of the manifest (e.g. dev, prod).")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; print a unified diff of every stale "
              "output and exit 1 if any.")
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print a unified diff of every stale output.")
@click.option("--strict", is_flag=True, help="Losses are errors (nothing is written).")
@click.option("--color/--no-color", "colour", default=None, help="Colour diagnostics (default: on a terminal). "
              "NO_COLOR in the environment always turns it off.")
def build(manifest: str | None, env: str | None, check_only: bool, show_diff: bool, strict: bool,
          colour: bool | None) -> None:
    """Generate every target of the manifest from its sources (exit 0 ok, 1 errors or stale, 2 usage)."""
    from compiler.build import WriteBack, print_build, run_build
    from compiler.reporters import use_colour

    mode = WriteBack.CHECK if check_only else WriteBack.DIFF if show_diff else WriteBack.WRITE
    result = run_build(manifest, env=env, write_back=mode, strict=strict)
    print_build(result, sys.stdout, sys.stderr, use_colour(sys.stderr, colour))
    sys.exit(result.exit_code)


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--format-a", type=_FORMAT_CHOICE, help="Read A as this format.")
@click.option("--format-b", type=_FORMAT_CHOICE, help="Read B as this format.")
@click.option("--output", "-o", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one sentence per change; json: change records.")
@click.option("--builtins/--no-builtins", default=False, help="Also compare built-in nodes pulled in from catalogs.")
def diff(a: str, b: str, format_a: str | None, format_b: str | None, output: str, builtins: bool) -> None:
    """Semantic diff of two configs of any formats (exit 0 same, 1 different, 2 unreadable)."""
    from compiler.diff import print_diff, run_diff

    result = run_diff(a, b, format_a=format_a, format_b=format_b, builtins=builtins)
    print_diff(result, sys.stdout, sys.stderr, output)
    sys.exit(result.exit_code)


@cli.command()
@click.argument("format_name", metavar="FORMAT", type=click.Choice(sorted([*FORMATS, "manifest"])))
def schema(format_name: str) -> None:
    """Print the JSON Schema of FORMAT (or of the build manifest), for editors."""
    import json

    from compiler.resources import load_schema

    try:
        data = load_schema(format_name)
    except FileNotFoundError:
        click.echo(f"modelcc: no schema is installed for {format_name}", err=True)
        sys.exit(EXIT_USAGE)
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@cli.command()
@click.argument("code", required=False)
@click.option("--list", "as_list", is_flag=True, help="Print the table of every code.")
def explain(code: str | None, as_list: bool) -> None:
    """Explain a diagnostic CODE (or name), or list them all."""
    from compiler.codes import lookup, markdown_table

    if as_list or not code:
        sys.stdout.write(markdown_table())
        return
    c = lookup(code)
    if c is None:
        click.echo(f"unknown code {code!r}; `modelcc explain --list` lists them", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"{c.code} ({c.name}), default {c.severity.label}{', strict-able' if c.strictable else ''}")
    click.echo(c.summary)
    from compiler.checks.graph_checks import CODES

    check_fn = CODES.get(c.code)
    if check_fn is not None and check_fn.__doc__:
        import inspect as _inspect

        click.echo("")
        click.echo(_inspect.cleandoc(check_fn.__doc__))


def main() -> None:
    """Console-script entry: click handles usage errors (exit 2); crashes exit 3 with a message."""
    import gc

    # A short-lived process whose data holds no reference cycles (reference counting frees it):
    # the cyclic collector only costs time here (~30% of reading a 10,000-entry YAML file), and
    # peak memory is the same without it (bench/bench_check.py measures both).
    gc.disable()
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 - last-resort guard: never a bare traceback
        import traceback

        tb = traceback.extract_tb(e.__traceback__)
        where = f"{tb[-1].filename}:{tb[-1].lineno}" if tb else "?"
        sys.stderr.write(f"modelcc: internal error: {type(e).__name__}: {e} (at {where})\n"
                         "This is a bug in modelcc; please report it with the command and input.\n")
        if os.environ.get("MODELCC_DEBUG"):
            traceback.print_exc()
        sys.exit(EXIT_INTERNAL)
