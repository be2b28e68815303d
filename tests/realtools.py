"""Helpers for tests that run the real external tools: the Codex CLI and Plano's validator.

Where the tools come from (`.ci/run` installs both; a developer can run the same commands):
  codex   npm install --prefix ~/.cache/modelcc-tools/codex @openai/codex@0.169.0
          (or set MODELCC_CODEX_BIN to a `codex` executable)
  planoai python3.11 -m venv ~/.cache/modelcc-tools/plano-venv &&
          ~/.cache/modelcc-tools/plano-venv/bin/pip install planoai==0.4.39
          (or set MODELCC_PLANO_PYTHON to a python that can `import planoai`)

`require_codex()` / `require_plano()` skip a test when the tool is missing, except under CI
(`CI=true`), where a missing tool fails the test: CI never skips real-tool tests silently.

Every subprocess here has a timeout, runs in its own process group (killed whole on timeout)
and gets a minimal environment, so results do not depend on the developer's shell.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

TESTS_DIR = Path(__file__).resolve().parent
FAKE_SERVER_SCRIPT = TESTS_DIR / "fake_responses_server.py"
PLANO_VALIDATE_SCRIPT = TESTS_DIR / "plano_validate.py"

CODEX_VERSION = "0.169.0"
PLANOAI_VERSION = "0.4.39"
TOOLS_DIR = Path(os.environ.get("MODELCC_TOOLS") or Path.home() / ".cache" / "modelcc-tools")

INSTALL_HINT_CODEX = (
    f"install it with `npm install --prefix {TOOLS_DIR / 'codex'} @openai/codex@{CODEX_VERSION}` "
    "(or run .ci/run), or set MODELCC_CODEX_BIN to a codex executable"
)
INSTALL_HINT_PLANO = (
    f"install it with `python3.11 -m venv {TOOLS_DIR / 'plano-venv'} && "
    f"{TOOLS_DIR / 'plano-venv' / 'bin' / 'pip'} install planoai=={PLANOAI_VERSION}` "
    "(or run .ci/run), or set MODELCC_PLANO_PYTHON to a python that has planoai"
)


# --------------------------------------------------------------------------- locating tools


def _executable(path: str | os.PathLike[str] | None) -> str | None:
    if path and os.path.isfile(path) and os.access(path, os.X_OK):
        return str(path)
    return None


def codex_bin() -> str | None:
    """The Codex CLI to test with: $MODELCC_CODEX_BIN, else the .ci/run install, else PATH."""
    env = os.environ.get("MODELCC_CODEX_BIN")
    if env:
        return _executable(env)
    return _executable(TOOLS_DIR / "codex" / "node_modules" / ".bin" / "codex") or shutil.which(
        "codex"
    )


def plano_python() -> str | None:
    """A python with planoai: $MODELCC_PLANO_PYTHON, else the .ci/run venv."""
    env = os.environ.get("MODELCC_PLANO_PYTHON")
    if env:
        return _executable(env)
    return _executable(TOOLS_DIR / "plano-venv" / "bin" / "python")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _missing(what: str, hint: str) -> None:
    msg = f"{what}: {hint}"
    if in_ci():
        pytest.fail(f"CI=true and {msg}", pytrace=False)
    pytest.skip(msg)


def require_codex() -> str:
    """Path of the codex executable, or skip (fail under CI) with how to install it."""
    path = codex_bin()
    if path is None:
        where = os.environ.get("MODELCC_CODEX_BIN")
        what = (
            f"MODELCC_CODEX_BIN={where!r} is not an executable file"
            if where
            else f"the Codex CLI {CODEX_VERSION} is not installed"
        )
        _missing(what, INSTALL_HINT_CODEX)
    return path  # type: ignore[return-value]


def require_plano() -> str:
    """Path of a python that has planoai, or skip (fail under CI) with how to install it."""
    path = plano_python()
    if path is None:
        where = os.environ.get("MODELCC_PLANO_PYTHON")
        what = (
            f"MODELCC_PLANO_PYTHON={where!r} is not an executable file"
            if where
            else f"Plano's validator (planoai {PLANOAI_VERSION}) is not installed"
        )
        _missing(what, INSTALL_HINT_PLANO)
    return path  # type: ignore[return-value]


# --------------------------------------------------------------------------- subprocesses


def _run(
    cmd: Sequence[str],
    *,
    cwd: str | os.PathLike[str],
    env: Mapping[str, str],
    timeout: float,
) -> subprocess.CompletedProcess[str]:
    """subprocess.run with stdin=DEVNULL whose timeout kills the whole process group.

    (The npm `codex` launcher is a node script that spawns the native binary; killing only
    the launcher would leave the binary running.)
    """
    proc = subprocess.Popen(
        list(cmd),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, err = proc.communicate()
        raise subprocess.TimeoutExpired(list(cmd), timeout, output=out, stderr=err) from None
    finally:
        if proc.poll() is None:  # e.g. KeyboardInterrupt
            _kill_group(proc)
            proc.wait()
    return subprocess.CompletedProcess(list(cmd), proc.returncode, out, err)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _base_env(home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", os.defpath),  # the npm launcher needs `node`
        "HOME": str(home),
        "LANG": "C.UTF-8",
    }


# --------------------------------------------------------------------------- codex


def _run_codex(
    subcommand: Sequence[str],
    config_toml_text: str,
    *,
    extra_files: Mapping[str, str] | None,
    env: Mapping[str, str] | None,
    timeout: float,
) -> subprocess.CompletedProcess[str]:
    codex = require_codex()
    with tempfile.TemporaryDirectory(prefix="modelcc-codex-") as tmp:
        root = Path(tmp)
        home, codex_home, cwd = root / "home", root / "codex_home", root / "cwd"
        for d in (home, codex_home, cwd):
            d.mkdir()
        (codex_home / "config.toml").write_text(config_toml_text, encoding="utf-8")
        for name, text in (extra_files or {}).items():
            target = (codex_home / name).resolve()
            if codex_home.resolve() not in target.parents:
                raise ValueError(f"extra file {name!r} escapes CODEX_HOME")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        full_env = _base_env(home)
        full_env["CODEX_HOME"] = str(codex_home)
        # Codex 0.169 runs `git ls-remote https://github.com/openai/plugins.git` in the
        # background; keep git off the network (it fails at once instead of resolving names).
        full_env["GIT_ALLOW_PROTOCOL"] = "file"
        full_env.update(env or {})
        result = _run([codex, *subcommand], cwd=cwd, env=full_env, timeout=timeout)
        # Codex writes back into its config layer (e.g. trust entries); keep what it left.
        result.codex_home_files = {  # type: ignore[attr-defined]
            p.name: p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(codex_home.glob("*.toml"))
        }
        return result


def run_codex_exec(
    config_toml_text: str,
    *,
    extra_files: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
    timeout: float = 90,
) -> subprocess.CompletedProcess[str]:
    """Run `codex exec --skip-git-repo-check --ephemeral [args] "hi"` on this config.

    config.toml (plus extra_files, e.g. {"work.config.toml": ...} for `args=["-p", "work"]`) is
    written into a fresh CODEX_HOME; codex runs from a fresh empty cwd with stdin from
    /dev/null and env = PATH, HOME (a fresh dir), LANG, CODEX_HOME, plus `env`.
    The result also carries `.codex_home_files`: the *.toml files in CODEX_HOME afterwards.
    Raises subprocess.TimeoutExpired after killing codex when it runs past `timeout`.
    """
    return _run_codex(
        ["exec", "--skip-git-repo-check", "--ephemeral", *args, "hi"],
        config_toml_text,
        extra_files=extra_files,
        env=env,
        timeout=timeout,
    )


def codex_debug_load(
    config_toml_text: str,
    *,
    extra_files: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Load the config without a provider server: `codex debug prompt-input [args] "x"`.

    Exit 0 = the config loads (formats/codex.md section 9); exit 1 with the load error on
    stderr otherwise. Env vars named by env_key are not checked by this command.
    """
    return _run_codex(
        ["debug", "prompt-input", *args, "x"],
        config_toml_text,
        extra_files=extra_files,
        env=env,
        timeout=timeout,
    )


class FakeResponsesServer:
    """Loopback fake Responses-API server (tests/fake_responses_server.py) on a free port.

        with FakeResponsesServer() as srv:
            run_codex_exec(f'... base_url = "{srv.base_url()}" ...')
            [req] = srv.requests()

    The server process is ours: __exit__ terminates it and waits (then kills) with a timeout;
    it also stops by itself after `max_seconds`.
    """

    def __init__(self, *, startup_timeout: float = 15.0, max_seconds: float = 900.0) -> None:
        self.startup_timeout = startup_timeout
        self.max_seconds = max_seconds
        self.port: int = 0
        self._proc: subprocess.Popen | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._log: Path | None = None
        self._final: list[dict[str, Any]] | None = None

    def __enter__(self) -> FakeResponsesServer:
        self._tmp = tempfile.TemporaryDirectory(prefix="modelcc-fake-server-")
        tmp = Path(self._tmp.name)
        self._log = tmp / "requests.jsonl"
        port_file = tmp / "port"
        stderr = open(tmp / "stderr.txt", "wb")
        try:
            self._proc = subprocess.Popen(
                [
                    sys.executable,
                    str(FAKE_SERVER_SCRIPT),
                    "0",
                    str(self._log),
                    "--port-file",
                    str(port_file),
                    "--max-seconds",
                    str(self.max_seconds),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                cwd=tmp,
            )
        finally:
            stderr.close()
        deadline = time.monotonic() + self.startup_timeout
        while not port_file.exists():
            if self._proc.poll() is not None or time.monotonic() > deadline:
                err = (tmp / "stderr.txt").read_text(errors="replace")
                self._stop()
                self._tmp.cleanup()
                raise RuntimeError(f"fake responses server did not start: {err.strip()}")
            time.sleep(0.02)
        self.port = int(port_file.read_text())
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()
        if self._tmp is not None:
            self._final = self._read()
            self._tmp.cleanup()
            self._tmp = None

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    def base_url(self, path: str = "/v1") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _read(self) -> list[dict[str, Any]]:
        if self._log is None or not self._log.exists():
            return []
        with open(self._log, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def requests(self) -> list[dict[str, Any]]:
        """Requests received so far (also after exit), oldest first, as logged."""
        if self._final is not None:
            return list(self._final)
        return self._read()


def header(request: Mapping[str, Any], name: str) -> str | None:
    """A logged request's header, looked up case-insensitively."""
    name = name.lower()
    for key, value in request["headers"].items():
        if key.lower() == name:
            return value
    return None


# --------------------------------------------------------------------------- plano


def plano_validate_full(
    path: str | os.PathLike[str], *, outdir: str | os.PathLike[str] | None = None, timeout: float = 120
) -> dict[str, Any]:
    """Plano's own verdict on one file: {"valid", "error", "warnings", "outdir", "planoai_version"}.

    Runs tests/plano_validate.py with the plano venv's python (isolated mode, minimal env,
    OTEL_TRACING_GRPC_ENDPOINT unset). With `outdir`, the rendered files are kept there.
    """
    python = require_plano()
    cmd = [python, "-I", str(PLANO_VALIDATE_SCRIPT), str(Path(path).resolve())]
    if outdir is not None:
        cmd += ["--outdir", str(Path(outdir).resolve())]
    with tempfile.TemporaryDirectory(prefix="modelcc-plano-") as tmp:
        result = _run(cmd, cwd=tmp, env=_base_env(Path(tmp)), timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(
            f"plano validator harness failed (exit {result.returncode}):\n{result.stderr[-4000:]}"
        )
    return json.loads(result.stdout.strip().splitlines()[-1])


def plano_validate(path: str | os.PathLike[str]) -> tuple[bool, str]:
    """(valid, message): message is planoai's error text, or "" when the file is valid."""
    verdict = plano_validate_full(path)
    return bool(verdict["valid"]), verdict["error"] or ""
