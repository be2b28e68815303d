"""Literal keys inside the settings modelcc keeps verbatim (format extras).

Provider auth and headers are checked in `compiler.checks.auth`; this module looks at everything
else a file holds (Plano `prompt_targets[].endpoint.http_headers`, `tracing.exporters[].api_key`,
Codex `[mcp_servers.*.env]`, other VS Code settings, ...). A string counts as a literal key when
the classifier of `compiler.checks.auth` calls it a secret and either its key names a credential
(key, token, secret, password, authorization, ...) or the value itself has a key prefix or an
auth scheme (`Bearer sk-...`). `check` reports them (AU001); emission replaces them with an
env-var reference unless literal secrets are allowed (LS001).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from compiler.diagnostics import Span

Path = tuple[str | int, ...]

_CREDENTIAL_KEY = re.compile(r"key|token|secret|passw|authoriz|auth|credential|bearer|cookie|session", re.I)
_CONTAINERS = ("sections", "settings")  # where readers keep a file's other top-level settings


def _has_long_string(value: Any) -> bool:
    """Cheap pre-test: does the value hold any string long enough to be a key?"""
    stack = [value]
    while stack:
        v = stack.pop()
        if type(v) is dict:
            stack.extend(v.values())
        elif type(v) is list:
            stack.extend(v)
        elif type(v) is str and len(v) >= 8:
            return True
    return False


def literal_secrets(value: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """(path, value) of every literal key in a JSON-like value."""
    if not _has_long_string(value):
        return iter(())
    from compiler.checks.auth import AUTH_SCHEMES, SECRET_PREFIXES, classify_literal

    out: list[tuple[Path, str]] = []

    def walk(v: Any, p: Path) -> None:
        if isinstance(v, dict):
            for k, x in v.items():
                if isinstance(x, (dict, list)) or (isinstance(x, str) and len(x) >= 8):
                    walk(x, (*p, str(k)))
        elif isinstance(v, list):
            for i, x in enumerate(v):
                if isinstance(x, (dict, list)) or (isinstance(x, str) and len(x) >= 8):
                    walk(x, (*p, i))
        elif isinstance(v, str) and classify_literal(v) == "secret":
            key = next((k for k in reversed(p) if isinstance(k, str)), "")
            s = v.strip()
            if _CREDENTIAL_KEY.search(key) or s.lower().startswith(AUTH_SCHEMES) or s.startswith(SECRET_PREFIXES):
                out.append((p, v))

    walk(value, path)
    return iter(out)


def env_name(path: Path) -> str:
    """An env-var name for the secret at `path`: the key itself under an `env` table, else the last
    two keys (`exporters[0].api_key` -> EXPORTERS_API_KEY)."""
    if len(path) > 1 and path[0] in _CONTAINERS:
        path = path[1:]
    keys = [p for p in path if isinstance(p, str)]
    if len(keys) >= 2 and keys[-2].lower() in ("env", "environment") and re.fullmatch(r"[A-Za-z_]\w*", keys[-1]):
        return keys[-1]
    base = re.sub(r"[^A-Za-z0-9]+", "_", "_".join(keys[-2:])).strip("_").upper() or "SECRET"
    return "SECRET_" + base if base[0].isdigit() else base


def reference(name: str, fmt: str) -> str:
    """How the target tool's settings name an env var (Plano expands `$VAR` in its config)."""
    return {"plano": f"${name}", "vscode": f"${{env:{name}}}"}.get(fmt, f"${{{name}}}")


def scrub(value: Any, fmt: str, path: Path = ()) -> tuple[Any, list[tuple[Path, str, str]]]:
    """`value` with every literal key replaced by an env-var reference; and (path, name, old) of each."""
    from compiler.checks.auth import AUTH_SCHEMES

    found = list(literal_secrets(value, path))
    if not found:
        return value, []
    out: list[tuple[Path, str, str]] = []
    for p, old in found:
        name = env_name(p)
        stripped = old.strip()
        scheme = next((stripped[: len(s)] for s in AUTH_SCHEMES if stripped.lower().startswith(s)), "")
        value = _set(value, p[len(path):], scheme + reference(name, fmt))
        out.append((p, name, old))
    return value, out


def _set(value: Any, rel: Path, new: str) -> Any:
    if not rel:
        return new
    head, rest = rel[0], rel[1:]
    if isinstance(value, dict):
        copy = dict(value)
        copy[head] = _set(value[head], rest, new)  # type: ignore[index]
        return copy
    copy_list = list(value)
    copy_list[head] = _set(value[head], rest, new)  # type: ignore[index]
    return copy_list


def where_is(graph: Any, value: str, fallback: Span) -> Span:
    """The span of `value` in a source file of `graph` (found in the text), else `fallback`."""
    seen: set[int] = set()
    for node in (*graph.providers, *graph.models, *graph.assignment_sets, *graph.aliases, *graph.routes):
        doc = getattr(node.span, "doc", None)
        if doc is None or id(doc) in seen:
            continue
        seen.add(id(doc))
        i = doc.text.find(value)
        if i >= 0:
            return doc.span_of_offsets(i, i + len(value))
    return fallback


def display(path: Path) -> str:
    """`prompt_targets[0].endpoint.http_headers.Authorization`. The first key is left out when it is
    the container a reader keeps a file's other top-level settings in (`sections`, `settings`)."""
    if len(path) > 1 and path[0] in _CONTAINERS:
        path = path[1:]
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out
