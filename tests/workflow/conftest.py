"""Helpers for the workflow tests: run the CLI in a folder, make small manifests."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import cli
from tests.conftest import FIXTURES

BASIC = FIXTURES / "manifests" / "basic"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """`run(*args, cwd=..., env=...)`: the CLI in-process, stdout and stderr apart."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")

    def go(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
        old = Path.cwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            r = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
        finally:
            os.chdir(old)
        return Run(r.exit_code, r.stdout, r.stderr)

    return go


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of fixtures/manifests/basic in a temporary folder."""
    dest = tmp_path / "proj"
    shutil.copytree(BASIC, dest, ignore=shutil.ignore_patterns("out"))
    return dest


def write_graph(path: Path, graph: dict) -> Path:
    path.write_text(json.dumps({"modelcc": "1", **graph}, indent=2) + "\n", encoding="utf-8")
    return path
