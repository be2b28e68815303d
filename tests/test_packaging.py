"""The wheel ships the package with its schemas, templates and catalogs (resources are
found through compiler/resources.py, not the source tree)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.realtool
def test_wheel_contains_resources(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    wheel = next(tmp_path.glob("modelcc-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for fmt in ("plandex", "plano", "codex", "vscode", "ir"):
        assert f"compiler/_resources/schemas/{fmt}.schema.json" in names
        assert any(n.startswith(f"compiler/_resources/targets/{fmt}/") and n.endswith(".j2") for n in names), fmt
    assert "compiler/_resources/schemas/manifest.schema.json" in names
    for cat in ("plandex", "plano", "codex", "vscode"):
        assert f"compiler/catalog/{cat}.json" in names
    assert not any(n.startswith(("tests/", "fixtures/", "bench/")) for n in names)
    entry = [n for n in names if n.endswith("entry_points.txt")]
    assert entry and "modelcc = compiler.cli:main" in zipfile.ZipFile(wheel).read(entry[0]).decode()
