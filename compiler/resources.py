"""The only place that locates `schemas/` and `targets/` (source tree or installed wheel)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

_PKG = Path(__file__).resolve().parent


@functools.cache
def _root(name: str) -> Path:
    installed = _PKG / "_resources" / name
    if installed.is_dir():
        return installed
    source = _PKG.parent / name
    if source.is_dir():
        return source
    raise FileNotFoundError(f"modelcc resource folder {name!r} is missing from the installation")


def schemas_dir() -> Path:
    return _root("schemas")


def targets_dir() -> Path:
    return _root("targets")


def catalog_dir() -> Path:
    return _PKG / "catalog"


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """`name` without the `.schema.json` suffix: plandex, plano, codex, vscode, ir, manifest."""
    return json.loads((schemas_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))


@functools.cache
def load_catalog(name: str) -> dict[str, Any]:
    return json.loads((catalog_dir() / f"{name}.json").read_text(encoding="utf-8"))
