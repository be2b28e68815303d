"""Run contexts handed to readers, checks and writers."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from compiler.diagnostics import Diagnostic
from compiler.ir import Graph


@dataclass
class ReadContext:
    """What a reader may consult. Readers append diagnostics to `sink`."""

    sink: list[Diagnostic] = field(default_factory=list)
    check_env: bool = False  # --env: referenced env vars must exist
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    # Other files of the same source set (e.g. Codex profile files next to config.toml)
    # path -> text; readers may use it, they never read the disk themselves.
    siblings: Mapping[str, str] = field(default_factory=dict)


@dataclass
class WriteContext:
    """What a writer may consult. Writers append loss diagnostics to `sink`."""

    sink: list[Diagnostic] = field(default_factory=list)
    allow_literal_secrets: bool = False
    active_set: str | None = None  # the assignment set to make active where a tool has one
    output_name: str | None = None  # file name of the main output (for naming extra files)
    existing: str | None = None  # current text of the output file (update mode)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Emitted:
    """A writer's result.

    files: (name, text) pairs; the first is the main file, names of the others are relative
    to the main file's folder (Codex profile files). expected: the graph that reading the
    files back must give (the source graph projected onto what the target can express).
    """

    files: list[tuple[str, str]]
    expected: Graph

    @property
    def text(self) -> str:
        return self.files[0][1]
