"""modelcc: a compiler and validator for AI model-provider configuration files."""

from __future__ import annotations

__version__ = "0.1.0"
