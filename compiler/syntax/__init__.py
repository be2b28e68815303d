"""Position-aware readers, one module per syntax (json covers JSONC, toml, yaml)."""

from __future__ import annotations
