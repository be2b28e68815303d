"""What the Plano reader and writer share: the catalog, model strings, auth values, provider ids."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from compiler.ir import Auth

FORMAT = "plano"
# top-level keys modelcc owns (rewritten in update mode); everything else is kept verbatim
MODEL_KEYS = ("model_providers", "llm_providers", "model_aliases", "routing_preferences")
DEFAULT_VERSION = "v0.4.0"
DEFAULT_LISTENERS = [{"name": "llm", "type": "model", "port": 12000}]

_ENV = re.compile(r"^\$([A-Za-z_][A-Za-z0-9_]*)\Z")
_BRACED_ENV = re.compile(r"^\$\{([^{}]*)\}\Z")


@functools.cache
def catalog() -> dict[str, Any]:
    from compiler.resources import load_catalog

    return load_catalog(FORMAT)


def prefixes() -> dict[str, dict[str, Any]]:
    """Supported model prefixes -> {class, api, registry?, default_base_url?}, in planoai's order."""
    return catalog()["prefixes"]


def is_supported(prefix: str) -> bool:
    return prefix in prefixes()


def prefix_class(prefix: str) -> str:
    """builtin | needs-cluster | chatgpt | base-url-required | custom."""
    info = prefixes().get(prefix)
    return info["class"] if info else "custom"


def prefix_api(prefix: str) -> str:
    return prefixes()[prefix]["api"]


def interfaces() -> list[str]:
    """The provider_interface enum (what a custom prefix may speak)."""
    return list(catalog()["provider_interfaces"])


def registry_models(prefix: str) -> list[str]:
    """Model ids a `<prefix>/*` wildcard expands to at gateway start (empty: matched dynamically)."""
    info = prefixes().get(prefix) or {}
    key = info.get("registry")
    return list(catalog()["registry_models"].get(key, [])) if key else []


def supported_list() -> str:
    return ", ".join(prefixes())


def version_tuple(version: Any) -> tuple[int, int, int]:
    """planoai's `_version_tuple`: `v`/`V` stripped, `-suffix` dropped, non-numeric parts are 0."""
    stripped = str(version if version is not None else "").strip().lstrip("vV")
    if not stripped:
        return (0, 0, 0)
    out: list[int] = []
    for part in stripped.split("-", 1)[0].split(".")[:3]:
        try:
            out.append(int(part))
        except ValueError:
            out.append(0)
    while len(out) < 3:
        out.append(0)
    return (out[0], out[1], out[2])


def split_model(model: str) -> tuple[str, str, bool] | None:
    """`<prefix>/<model_id>` -> (prefix, model_id, wildcard); None without a `/`."""
    if "/" not in model:
        return None
    tokens = model.split("/")
    prefix = tokens[0].strip()
    model_id = "/".join(tokens[1:])
    return prefix, model_id, tokens[-1].strip() == "*"


def auth_of_key(access_key: str) -> tuple[Auth, bool]:
    """An access_key value as an Auth, and whether it used the `${VAR}` spelling.

    `$NAME` is an env var reference (what planoai expects); `${NAME}` is read as env var NAME
    (planoai itself would look up `{NAME}`, reported by PL032); any other `$...` is an env var
    reference with a bad name (AU005); anything else is a literal key (AU001).
    """
    m = _ENV.match(access_key)
    if m:
        return Auth("env", m.group(1)), False
    m = _BRACED_ENV.match(access_key)
    if m:
        return Auth("env", m.group(1)), True
    if access_key.startswith("$") and len(access_key) > 1:
        return Auth("env", access_key[1:]), False
    return Auth("literal", access_key), False


def _label(base_url: str | None) -> str:
    if not base_url:
        return "default"
    try:
        parts = urlsplit(base_url)
        host = parts.hostname
        port = parts.port
    except ValueError:
        host, port = None, None
    if not host:
        return "custom"
    return f"{host}:{port}" if port else host


def provider_ids(configs: Sequence[tuple[str, str | None]]) -> list[str]:
    """Provider ids for distinct provider configurations, given as (prefix, base_url) in order.

    A prefix with one configuration gets the prefix itself as id (`openai`). A prefix with
    several (different base_url, key, headers, ...) gets `<prefix>@<host[:port]>` for each, or
    `<prefix>@default` for the one without base_url; a repeated id gets `-2`, `-3`, ... in
    order of first appearance.
    """
    count: dict[str, int] = {}
    for prefix, _ in configs:
        count[prefix] = count.get(prefix, 0) + 1
    out: list[str] = []
    used: set[str] = set()
    for prefix, base_url in configs:
        base = prefix if count[prefix] == 1 else f"{prefix}@{_label(base_url)}"
        pid, n = base, 1
        while pid in used:
            n += 1
            pid = f"{base}-{n}"
        used.add(pid)
        out.append(pid)
    return out
