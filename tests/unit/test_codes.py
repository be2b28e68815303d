"""The code registry: unique codes and names, documented, in the README, used by a fixture."""

from __future__ import annotations

import re

from compiler.codes import all_codes, markdown_table
from tests.conftest import ROOT


def test_codes_are_well_formed_and_unique() -> None:
    codes = all_codes()
    assert len({c.code for c in codes}) == len(codes)
    assert len({c.name for c in codes}) == len(codes)
    for c in codes:
        assert re.fullmatch(r"[A-Z]{2}\d{3}", c.code), c.code
        assert re.fullmatch(r"[a-z]+(\.[a-z0-9-]+)+", c.name), c.name
        assert c.summary.endswith("."), c.code


def test_readme_table_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- codes:start -->\n") + len("<!-- codes:start -->\n")
    end = readme.index("<!-- codes:end -->")
    assert readme[start:end] == markdown_table(), "run: python scripts/update_readme.py"


def test_explain_prints_summary_and_the_checks_examples() -> None:
    from click.testing import CliRunner

    from compiler.cli import cli

    r = CliRunner().invoke(cli, ["explain", "RF003"])
    assert r.exit_code == 0
    assert r.output.startswith("RF003 (ref.fallback-cycle), default warning, strict-able\n")
    assert "Bad::" in r.output and "Good::" in r.output
    r = CliRunner().invoke(cli, ["explain", "url.invalid"])
    assert r.output.startswith("UR001 (url.invalid), default error\n")
    r = CliRunner().invoke(cli, ["explain", "XX999"])
    assert r.exit_code == 2
