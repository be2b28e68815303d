"""What the pre-commit hook needs beyond `modelcc check`: `--skip-unknown`.

The hook's `files:` pattern matches common names (config.yaml, config.toml, settings.json,
models.json, ...) that other tools use too. With `--skip-unknown`, a file whose content
does not look like any supported format, or that is empty (detection by file name alone does not count) is
left out silently, so an unrelated `config.yaml` never fails a commit. Files that do look
like model configs are checked as usual; a file that is not even valid JSON/TOML/YAML is
still reported.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath

from compiler.pipeline import Loaded, Result


def is_unknown(lo: Loaded) -> bool:
    """True when the content of a file matches no format's distinctive keys."""
    if any(d.code in ("IO006", "IO007") for d in lo.diagnostics):
        return True
    if lo.document is None or lo.format is None:
        return False
    return not lo.format.sniff(lo.document.data, PurePath(lo.path).name.lower())


def skip_unknown(result: Result) -> Result:
    """The result without the files that are not model configs (and their diagnostics)."""
    skipped = {lo.path for lo in result.loaded if is_unknown(lo)}
    if not skipped:
        return result
    return replace(result, loaded=[lo for lo in result.loaded if lo.path not in skipped],
                   diagnostics=[d for d in result.diagnostics if d.span.path not in skipped],
                   graph=None)
