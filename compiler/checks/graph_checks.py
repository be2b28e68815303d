"""Generic graph checks (uniqueness, references, limits, URLs, auth, wildcards)."""

from __future__ import annotations

CHECKS: tuple = ()
