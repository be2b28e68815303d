"""Auth checks (AU001, AU002, AU004, AU005, AU006): keys stay out of files and env vars exist.

AU003 (two auth methods where a tool allows one) is a reader code: the graph holds one
`Auth` per provider, so only a reader sees both.

Literal keys are classified, never printed in full:
  placeholder  "", "none", "not-needed", "ollama", "EMPTY", "sk-no-key-required", "xxxx",
               "<your key>", ... : what local servers expect; and `$VAR` / `${env:VAR}` style
               references a tool does not expand (the readers report those): no diagnostic.
  secret       a known key prefix (sk-, sk-ant-, AIza, gsk_, xai-, fw_, hf_, ...) followed by at
               least 8 key characters, or any string of >= 20 characters without spaces that
               mixes character classes with high entropy (>= 3.3 bits a character): AU001 error.
  other        a short or low-entropy literal ("mykey", "letmein"): AU006 warning, since it is
               still a credential written into the file, but probably not a real one.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator

from compiler.checks import CheckContext
from compiler.checks._common import q, user_stated, where
from compiler.checks.urls import is_remote
from compiler.diagnostics import Diagnostic, diag
from compiler.ir import Graph

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")

SECRET_PREFIXES = (
    "sk-", "sk_", "AIza", "gsk_", "xai-", "fw_", "hf_", "r8_", "pplx-", "nvapi-", "csk-", "tgp_v1_",
    "ghp_", "gho_", "ghu_", "github_pat_", "glpat-", "AKIA", "ASIA", "dsk-", "sess-",
)
PLACEHOLDERS = frozenset({
    "", "none", "null", "nil", "empty", "na", "n/a", "-", "no", "off", "false",
    "not-needed", "not_needed", "notneeded", "not-required", "not_required", "unused", "unnecessary",
    "no-key", "no_key", "nokey", "no-key-required", "sk-no-key-required", "no-auth", "noauth",
    "dummy", "placeholder", "fake", "test", "testing", "example", "changeme", "change-me",
    "key", "apikey", "api-key", "api_key", "token", "secret", "password", "any", "anything",
    "ollama", "lm-studio", "lmstudio", "llama", "llama.cpp", "vllm", "local", "localhost", "tgi",
    "sk-xxx", "sk-dummy", "sk-fake", "sk-test", "sk-local", "sk-none", "sk-placeholder", "sk-1234",
})
_PLACEHOLDER_SHAPES = (
    re.compile(r"^(sk-|sk_)?([x*.#0_-])\2*\Z", re.I),            # xxxx, ****, sk-xxxxxxxx
    re.compile(r"^<.*>\Z|^\{.*\}\Z|^\[.*\]\Z"),                     # <your-key>, {key}
    re.compile(r"^\$[A-Za-z_][A-Za-z0-9_]*\Z|^\$\{[^}]*\}\Z|^\{\{.*\}\}\Z|^%[A-Za-z_][A-Za-z0-9_]*%\Z"),
    #   $VAR, ${VAR}, ${env:VAR}, {{ var }}, %VAR%: a variable reference the tool may not expand
    #   (readers report that with their own code), not a key
    re.compile(r"^(your|insert|put|enter)[-_ ].*|.*[-_ ](here|goes-here)\Z", re.I),  # your-api-key-here
)
_AUTH_HEADERS = frozenset({"authorization", "api-key", "x-api-key", "proxy-authorization", "x-goog-api-key",
                           "ocp-apim-subscription-key", "x-auth-token"})
AUTH_SCHEMES = ("bearer ", "basic ", "token ")  # value prefixes of an Authorization header


def _entropy(s: str) -> float:
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def classify_literal(value: str) -> str:
    """'placeholder', 'secret' or 'other' (see the module docstring)."""
    v = value.strip()
    low = v.lower()
    for scheme in AUTH_SCHEMES:
        if low.startswith(scheme):
            v = v[len(scheme):].strip()
            low = v.lower()
            break
    if low in PLACEHOLDERS or any(p.match(v) for p in _PLACEHOLDER_SHAPES):
        return "placeholder"
    for prefix in SECRET_PREFIXES:
        if v.startswith(prefix) and len(v) - len(prefix) >= 8 and " " not in v:
            return "secret"
    if len(v) >= 20 and not any(c.isspace() for c in v):
        classes = sum((any(c.islower() for c in v), any(c.isupper() for c in v), any(c.isdigit() for c in v)))
        if classes >= 2 and _entropy(v) >= 3.3:
            return "secret"
    return "other"


def redact(value: str) -> str:
    """`sk-a…(51 chars)`: enough to recognise a key, not enough to use it."""
    v = value.strip()
    for scheme in AUTH_SCHEMES:
        if v.lower().startswith(scheme):
            return v[: len(scheme)] + redact(v[len(scheme):])
    return f"{v[:4]}…({len(v)} chars)" if len(v) > 6 else f"({len(v)} chars)"


_REF = ("reference an environment variable instead (Plandex apiKeyEnvVar, Codex env_key, Plano $VAR) "
        "or a secret (VS Code ${SECRET:name})")
_HINT = f"keep keys out of config files: {_REF}; rotate the key if the file was shared"


def check_literal_secrets(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """AU001 (a real-looking key) and AU006 (some other literal key) written in the file.

    Also looks at literal header values (`Authorization: Bearer sk-...`).

    Bad::

        providers:
          - {id: openai-proxy, base_url: "https://proxy.example.com/v1",
             auth: {kind: literal, value: "sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"}}

    Good::

        providers:
          - {id: openai-proxy, base_url: "https://proxy.example.com/v1",
             auth: {kind: env, value: OPENAI_PROXY_KEY}}
          - {id: ollama, base_url: "http://localhost:11434/v1", auth: {kind: literal, value: ollama}}

    Placeholders that local servers expect ("ollama", "not-needed", "EMPTY", "") are fine.
    """
    for p in graph.providers:
        if not user_stated(p):
            continue
        span = where(graph, p.span)
        if p.auth.kind == "literal" and isinstance(p.auth.value, str):
            kind = classify_literal(p.auth.value)
            if kind == "secret":
                yield diag("AU001", span, f"provider {q(p.id)}: an API key is written in the file "
                                          f"({redact(p.auth.value)})", hint=_HINT)
            elif kind == "other":
                yield diag("AU006", span, f"provider {q(p.id)}: a literal key is written in the file "
                                          f"({redact(p.auth.value)})",
                           hint=f"if it is a real credential, {_REF}; if the server needs no key, "
                                "use auth none")
        for name, value in p.headers:
            if isinstance(value, str) and classify_literal(value) == "secret" and (name.lower() in _AUTH_HEADERS or
                                                        value.strip().lower().startswith(AUTH_SCHEMES) or
                                                        value.strip().startswith(SECRET_PREFIXES)):
                yield diag("AU001", span, f"provider {q(p.id)}: header {name} holds a literal key "
                                          f"({redact(value)})",
                           hint="send it from an environment variable instead (env_headers); rotate the "
                                "key if the file was shared")


def _env_refs(graph: Graph) -> Iterator[tuple[str, str, str]]:
    """(provider id, env var name, what it is for) of custom providers."""
    for p in graph.providers:
        if not user_stated(p):
            continue
        if p.auth.kind == "env" and isinstance(p.auth.value, str):
            yield p.id, p.auth.value, "key"
        for header, var in p.env_headers:
            if isinstance(var, str):
                yield p.id, var, f"header {header}"


def check_env_present(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """AU002 (with `--env`): a referenced environment variable is not set (or blank).

    Only custom providers are checked: of a built-in model's providers a tool uses the first
    one whose key is set, so a missing built-in key is not an error.

    Bad::

        providers: [{id: together, auth: {kind: env, value: TOGETHER_API_KEY}}]   # and it is unset

    Good::

        export TOGETHER_API_KEY=...   # before `modelcc check --env`
    """
    if not ctx.check_env:
        return
    env = ctx.environ or {}
    pspan = {p.id: p.span for p in graph.providers}
    for pid, var, what in _env_refs(graph):
        if not ENV_NAME.match(var):
            continue  # AU005 says it
        val = env.get(var)
        if val is None or not val.strip():
            state = "is not set" if val is None else "is empty"
            yield diag("AU002", where(graph, pspan.get(pid)),
                       f"provider {q(pid)}: env var {var} ({what}) {state}",
                       hint=f"export {var}=... where the tool runs (or drop --env to skip this check)")


def check_env_names(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """AU005: an env-var reference that is not a valid variable name.

    Bad::

        providers: [{id: groq, auth: {kind: env, value: "$GROQ_API_KEY"}}]

    Good::

        providers: [{id: groq, auth: {kind: env, value: GROQ_API_KEY}}]
    """
    pspan = {p.id: p.span for p in graph.providers}
    for pid, var, what in _env_refs(graph):
        if ENV_NAME.match(var):
            continue
        bare = var.strip().lstrip("$").strip("{}")
        hint = (f"write the name only: {bare}" if ENV_NAME.match(bare) else
                "a name has letters, digits and underscores and does not start with a digit")
        yield diag("AU005", where(graph, pspan.get(pid)),
                   f"provider {q(pid)}: {q(var)} ({what}) is not a valid environment variable name", hint=hint)


def check_remote_without_auth(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """AU004 (warning): a custom provider on a public host with no credential stated.

    Fires when the provider's auth is not stated at all (kind `default`) and no auth header
    (Authorization, api-key, x-api-key, ...) is set either, so no key will be sent to a host
    on the public internet. An explicit `auth: {kind: none}` (Plandex skipAuth) is a
    deliberate choice and is not reported; nor are local hosts.

    Bad::

        providers: [{id: together, base_url: "https://api.together.xyz/v1"}]

    Good::

        providers:
          - {id: together, base_url: "https://api.together.xyz/v1", auth: {kind: env, value: TOGETHER_API_KEY}}
          - {id: open-gw, base_url: "https://gw.example.com/v1", auth: {kind: none}}
    """
    for p in graph.providers:
        if p.builtin is not None or p.auth.kind != "default" or not is_remote(p.base_url):
            continue
        if any(h.lower() in _AUTH_HEADERS for h, _ in (*p.headers, *p.env_headers)):
            continue
        if (p.extras.get("plandex") or {}).get("extraAuthVars"):
            continue  # Plandex extraAuthVars: credentials come from those env vars
        yield diag("AU004", where(graph, p.span),
                   f"provider {q(p.id)}: no credential is configured for remote host {p.base_url}",
                   hint="reference the key from an environment variable, or state auth none if the "
                        "endpoint really needs no key")


def check_secrets_in_kept_settings(graph: Graph, ctx: CheckContext) -> Iterator[Diagnostic]:
    """AU001: a literal key in a setting modelcc keeps as it is (outside provider auth and headers).

    Bad (Plano)::

        prompt_targets:
          - name: weather
            endpoint: {name: api, http_headers: {Authorization: "Bearer sk-live-4f9a8b7c6d5e4f3a2b1c"}}

    Good::

            endpoint: {name: api, http_headers: {Authorization: "Bearer $WEATHER_API_KEY"}}
    """
    from compiler.diagnostics import Span
    from compiler.secrets import display, literal_secrets, where_is

    sources = dict(graph.sources)
    for fmt, kept in graph.extras.items():
        fallback = Span.file(sources.get(fmt, "<graph>"))
        for path, value in literal_secrets(kept):
            yield diag("AU001", where_is(graph, value, fallback),
                       f"{fmt} setting {display(path)}: an API key is written in the file ({redact(value)})",
                       hint=_HINT)
    for node in (*graph.providers, *graph.models, *graph.assignment_sets, *graph.aliases, *graph.routes):
        if not node.extras or getattr(node, "builtin", None) is not None:
            continue
        label = getattr(node, "id", None) or getattr(node, "name", "?")
        for path, value in literal_secrets(node.extras):
            span = where_is(graph, value, where(graph, node.span))
            yield diag("AU001", span, f"{q(label)} setting {display(path)}: an API key is written in the file "
                                      f"({redact(value)})", hint=_HINT)
