"""The pre-commit hooks: the hooks file, `check --skip-unknown`, and a real `pre-commit try-repo`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, ROOT

HOOKS = ROOT / ".pre-commit-hooks.yaml"
BROKEN = '{"modelcc": "1", "models": [{"id": "m", "context_window": "big"}]}\n'


def _hooks() -> dict[str, dict]:
    return {h["id"]: h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}


def test_hooks_file() -> None:
    hooks = _hooks()
    assert set(hooks) == {"modelcc-check", "modelcc-build-check"}
    check = hooks["modelcc-check"]
    assert check["entry"] == "modelcc check --skip-unknown"
    assert check["language"] == "python"
    build = hooks["modelcc-build-check"]
    assert build["entry"] == "modelcc build --check"
    assert build["pass_filenames"] is False and build["always_run"] is True


@pytest.mark.parametrize("path, matched", [
    ("settings.json", True), (".vscode/settings.json", True), ("codex/config.toml", True),
    ("plano_config.yaml", True), ("gw/config.yml", True), ("arch_config.yaml", True),
    ("custom-models.json", True), ("models.json", True), ("a/b.modelcc.json", True), ("x.modelcc.yaml", True),
    ("package.json", False), ("pyproject.toml", False), ("mysettings.json", False), ("modelcc.yaml", False),
    ("work.config.toml", False),
])
def test_files_pattern(path: str, matched: bool) -> None:
    assert bool(re.search(_hooks()["modelcc-check"]["files"], path)) is matched


def test_skip_unknown(run, tmp_path) -> None:
    (tmp_path / "config.yaml").write_text("server:\n  port: 8080\n", encoding="utf-8")
    (tmp_path / "settings.json").write_text('{"editor.fontSize": 14}\n', encoding="utf-8")
    (tmp_path / "models.json").write_text("", encoding="utf-8")
    (tmp_path / "config.toml").write_text('[tool]\nname = "x"\n', encoding="utf-8")
    files = ["config.yaml", "settings.json", "models.json", "config.toml"]
    r = run("check", *files, cwd=tmp_path)
    assert r.exit_code != 0  # without the flag each is a problem
    r = run("check", "--skip-unknown", *files, cwd=tmp_path)
    assert r.exit_code == 0, r.stdout
    assert "error" not in r.stdout
    (tmp_path / "bad.modelcc.json").write_text(BROKEN, encoding="utf-8")
    r = run("check", "--skip-unknown", *files, "bad.modelcc.json", cwd=tmp_path)
    assert r.exit_code == 1
    assert "bad.modelcc.json:1:" in r.stdout and "config.yaml" not in r.stdout


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env, timeout=60)


def _snapshot(dest: Path) -> Path:
    """The working tree (uncommitted work included) as a one-commit git repository."""
    ignore = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".pytest_cache", ".mypy_cache", ".ruff_cache",
                                    "*.egg-info", "build", "dist", ".venv", "node_modules", ".hypothesis")
    shutil.copytree(ROOT, dest, ignore=ignore)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "snapshot", "--no-verify")
    return dest


@pytest.mark.realtool
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e .[test])")
    hooks_repo = _snapshot(tmp_path / "modelcc")
    work = tmp_path / "work"
    work.mkdir()
    _git(work, "init", "-q")
    target = work / "team.modelcc.json"
    target.write_text(BROKEN, encoding="utf-8")
    (work / "config.yaml").write_text("server: {port: 8080}\n", encoding="utf-8")  # not a model config
    _git(work, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("GITHUB_ACTIONS", None)

    def try_repo(hook: str, *files: str) -> subprocess.CompletedProcess[str]:
        args = [pre_commit, "try-repo", str(hooks_repo), hook, "--color", "never", "--verbose"]
        args += ["--files", *files] if files else ["--all-files"]
        return subprocess.run(args, cwd=work, capture_output=True, text=True, env=env, timeout=900)

    r = try_repo("modelcc-check", "team.modelcc.json", "config.yaml")
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "team.modelcc.json:1:" in out and "SC001" in out, out
    assert "context_window" in out
    assert "config.yaml:" not in out  # skipped: not a model config

    target.write_text('{"modelcc": "1", "models": [{"id": "m", "context_window": 8192}]}\n', encoding="utf-8")
    _git(work, "add", "-A")
    r = try_repo("modelcc-check", "team.modelcc.json", "config.yaml")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Passed" in r.stdout

    # the build hook: a manifest whose output is stale fails, a fresh one passes
    shutil.copy(FIXTURES / "manifests" / "basic" / "models.modelcc.json", work / "models.modelcc.json")
    shutil.copy(FIXTURES / "manifests" / "basic" / "modelcc.yaml", work / "modelcc.yaml")
    _git(work, "add", "-A")
    r = try_repo("modelcc-build-check")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "+++ b/out/graph.modelcc.json" in r.stdout
    subprocess.run([sys.executable, "-m", "compiler", "build"], cwd=work, check=True, capture_output=True,
                   env={**env, "PYTHONPATH": str(ROOT)}, timeout=120)
    _git(work, "add", "-A")
    r = try_repo("modelcc-build-check")
    assert r.returncode == 0, r.stdout + r.stderr
