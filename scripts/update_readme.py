"""Regenerate the README's generated tables (diagnostic codes, roles) from the code."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from compiler.codes import markdown_table  # noqa: E402
from compiler.roles import markdown_table as roles_table  # noqa: E402


def _replace(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    i, j = text.index(start) + len(start), text.index(end)
    return text[:i] + body + text[j:]


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = _replace(text, "codes", markdown_table())
    new = _replace(new, "roles", roles_table())
    if new != text:
        readme.write_text(new, encoding="utf-8")
        print("README.md updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
