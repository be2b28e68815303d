"""Diagnostic codes of area `build` (see compiler/codes/__init__.py for the scheme)."""

from __future__ import annotations

from compiler.codes import Code, register  # noqa: F401
from compiler.diagnostics import Severity  # noqa: F401

register()
