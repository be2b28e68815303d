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
