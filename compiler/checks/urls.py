"""URL checks (UR001-UR004) on provider base URLs.

URLs are parsed with `urllib.parse.urlsplit`. Built-in providers are catalog data and are
not checked unless the file itself set something on them (they then carry a span).
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from compiler.checks import CheckContext
from compiler.checks._common import q, user_stated, where
from compiler.diagnostics import Diagnostic, diag
from compiler.ir import Graph, Provider

ENDPOINT_SUFFIXES = ("/chat/completions", "/responses")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".localdomain", ".svc",
                   ".cluster.local")


@dataclass(frozen=True)
class ParsedURL:
    """A base URL after parsing: `error` says what is wrong, else `parts` holds the pieces."""

    error: str | None
    hint: str | None = None
    parts: SplitResult | None = None


@functools.lru_cache(maxsize=4096)
def parse_url(url: str) -> ParsedURL:
    """Parse an absolute http(s) URL; explain the first thing wrong with it."""
    if not url.strip():
        return ParsedURL("is empty", "write the full URL, e.g. https://api.example.com/v1")
    if any(c.isspace() for c in url):
        return ParsedURL("contains whitespace", "remove the spaces (encode a space inside a path as %20)")
    if any(ord(c) < 32 or ord(c) == 127 for c in url):
        return ParsedURL("contains control characters", "retype the URL")
    if "://" not in url:
        guess = ("http://" if is_local_host(url.split("/", 1)[0].rsplit(":", 1)[0].strip("[]")) else "https://")
        return ParsedURL("has no scheme", f"write it as {guess}{url.lstrip('/')}")
    try:
        parts = urlsplit(url)
    except ValueError as e:
        return ParsedURL(f"cannot be parsed ({e})", "check the brackets around an IPv6 address")
    if parts.scheme.lower() not in ("http", "https"):
        return ParsedURL(f'uses scheme "{parts.scheme}"; only http and https are supported',
                         "use an http:// or https:// URL")
    if not parts.hostname:
        return ParsedURL("has no host", "write the host after the scheme, e.g. https://api.example.com/v1")
    try:
        port = parts.port
    except ValueError:
        return ParsedURL("has an invalid port", "a port is a number from 1 to 65535, e.g. http://localhost:8080")
    if port == 0:
        return ParsedURL("has port 0", "a port is a number from 1 to 65535")
    return ParsedURL(None, parts=parts)


def is_local_host(host: str) -> bool:
    """Loopback, private, link-local, or a name that only resolves inside a network."""
    h = host.lower().rstrip(".")
    if not h:
        return False
    if h == "localhost" or h.endswith(_LOCAL_SUFFIXES):
        return True
    try:
        ip = ipaddress.ip_address(h)
    except ValueError:
        return "." not in h  # single-label names: Docker services, LAN hosts
    return ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified


def is_remote(url: str | None) -> bool:
    """A well-formed URL whose host is on the public internet."""
    if not isinstance(url, str):
        return False
    p = parse_url(url)
    return p.parts is not None and not is_local_host(p.parts.hostname or "")


def _checked(graph: Graph) -> Iterator[tuple[Provider, ParsedURL]]:
    for p in graph.providers:
        if isinstance(p.base_url, str) and user_stated(p):
            yield p, parse_url(p.base_url)


def check_url_valid(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """UR001: a base URL that is not an absolute http(s) URL with a host.

    Bad::

        providers:
          - {id: local, base_url: "localhost:11434/v1"}          # no scheme
          - {id: proxy, base_url: "https://proxy.example.com:99999/v1"}   # bad port
          - {id: ftp, base_url: "ftp://models.example.com"}

    Good::

        providers:
          - {id: local, base_url: "http://localhost:11434/v1"}
    """
    for p, parsed in _checked(graph):
        if parsed.error:
            yield diag("UR001", where(graph, p.span), f"provider {q(p.id)}: base_url {q(p.base_url)} {parsed.error}",
                       hint=parsed.hint)


def check_url_query(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """UR002: a base URL with a query string or a fragment.

    Tools append endpoint paths (`/chat/completions`) to the base URL, which a query string
    or fragment would end up in front of.

    Bad::

        providers: [{id: azure, base_url: "https://x.openai.azure.com/openai?api-version=2025-04-01"}]

    Good::

        providers:
          - id: azure
            base_url: "https://x.openai.azure.com/openai"
            query_params: {api-version: "2025-04-01"}
    """
    for p, parsed in _checked(graph):
        if parsed.parts is None:
            continue
        what = [w for w, v in (("a query string", parsed.parts.query), ("a fragment", parsed.parts.fragment)) if v]
        if what:
            yield diag("UR002", where(graph, p.span),
                       f"provider {q(p.id)}: base_url {q(p.base_url)} has {' and '.join(what)}",
                       hint="tools append paths to the base URL; move query parameters to query_params "
                            "and drop any #fragment")


def check_url_insecure(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """UR003 (info): plain http to a host on the public internet.

    Loopback, private and link-local addresses, `localhost`, single-label names (Docker
    services) and `.local` / `.internal` / `.lan` names count as local and may use http.

    Bad::

        providers: [{id: gw, base_url: "http://llm.example.com/v1"}]

    Good::

        providers:
          - {id: gw, base_url: "https://llm.example.com/v1"}
          - {id: ollama, base_url: "http://localhost:11434/v1"}
    """
    for p, parsed in _checked(graph):
        if parsed.parts is None or parsed.parts.scheme.lower() != "http":
            continue
        if not is_local_host(parsed.parts.hostname or ""):
            yield diag("UR003", where(graph, p.span),
                       f"provider {q(p.id)}: {parsed.parts.hostname} is reached over plain http; keys and "
                       "prompts travel unencrypted",
                       hint="use https:// unless the host is on a trusted network")


def check_url_endpoint_suffix(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """UR004 (warning): a base URL that already ends in an endpoint path.

    Bad::

        providers: [{id: gw, base_url: "https://llm.example.com/v1/chat/completions"}]

    Good::

        providers: [{id: gw, base_url: "https://llm.example.com/v1"}]

    Tools append `/chat/completions` or `/responses` themselves; with the suffix in the base
    URL the request goes to `.../chat/completions/chat/completions`.
    """
    for p, parsed in _checked(graph):
        if parsed.parts is None:
            continue
        path = parsed.parts.path.rstrip("/")
        for suffix in ENDPOINT_SUFFIXES:
            if path.lower().endswith(suffix):
                yield diag("UR004", where(graph, p.span),
                           f"provider {q(p.id)}: base_url ends in the endpoint path {suffix}",
                           hint=f"drop {suffix} from base_url; the tool appends it to every request")
                break
