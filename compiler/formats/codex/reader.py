"""Read a Codex CLI `config.toml` (plus its profile files) into the IR.

Two passes, kept apart so the writer can reuse the second one:

* `_Checker` reports what Codex 0.169 itself rejects or warns about (schema types as strict
  as serde's, unknown keys as warnings, reserved ids, legacy profiles, wire_api, auth
  combinations, unknown `model_provider`, ...), each at the key it concerns.
* `lower(base, profiles)` turns the plain TOML values of the layers into a Graph. It never
  reports and never raises: values of the wrong type are skipped (the checker has said so).
  The writer builds the same layers from a graph and calls `lower` on them to state what
  reading its output back must give (`Emitted.expected`).

Layers. `config.toml` is the base layer. A profile is either a file `<name>.config.toml`
next to it (`codex --profile <name>` deep-merges it over the base) or a legacy
`[profiles.<name>]` table (inert since 0.134, still read so that it can be converted).
A layer's effective model settings are its own keys over the base's.

Lowering:
* `[model_providers.<id>]` -> Provider (api "openai", or "azure-openai" when Codex would treat it
  as Azure); auth from env_key (env), experimental_bearer_token (literal), `auth` (command),
  requires_openai_auth (default), nothing (none); every other field -> extras["codex"].
* Built-in providers a layer uses (openai, ollama, lmstudio, amazon-bedrock[-runtime]) come
  from compiler/catalog/codex.json with builtin="codex"; top-level openai_base_url is the
  built-in openai provider's base_url.
* Each layer with a model -> a Model (deployment on the layer's provider, context window,
  reasoning_effort / verbosity / reasoning_summary settings) and an AssignmentSet binding
  role "default" to it: id "default" (kind default) for config.toml, the profile name (kind
  profile) for profiles. A Model is one (model, provider, context window, settings)
  combination: its id is the model name, or `<model>@<profile>` when an earlier layer already
  uses that name differently.
* Every other key stays verbatim in extras["codex"] (of the Graph for config.toml, of the
  AssignmentSet for a profile), so writing Codex back loses nothing. Unknown keys that look
  like secrets (api_key, token, ...) are the one exception: they are reported, not kept.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote, urlsplit

from compiler.context import ReadContext
from compiler.diagnostics import Diagnostic, Span, diag
from compiler.ir import NOSPAN, AssignmentSet, Auth, Deployment, Graph, Model, Provider, RoleBinding
from compiler.resources import load_catalog, load_schema
from compiler.schema import validate
from compiler.source import Document, Pointer, SyntaxProblem

FMT = "codex"

# keys of a layer that the graph models (the rest is kept in extras)
SETTING_KEYS = {
    "model_reasoning_effort": "reasoning_effort",
    "model_verbosity": "verbosity",
    "model_reasoning_summary": "reasoning_summary",
}
MODEL_KEYS = ("model", "model_provider", "model_context_window", *SETTING_KEYS)
# provider fields the graph models
PROVIDER_MODELED = ("name", "base_url", "wire_api", "env_key", "experimental_bearer_token", "auth",
                    "http_headers", "env_http_headers", "query_params")
EFFORT_KEYS = ("model_reasoning_effort", "plan_mode_reasoning_effort")
INT_KEYS_TOP = ("model_context_window", "model_auto_compact_token_limit")
INT_KEYS_PROVIDER = ("request_max_retries", "stream_max_retries", "stream_idle_timeout_ms",
                     "websocket_connect_timeout_ms")
INT_KEYS_AUTH = ("timeout_ms", "refresh_interval_ms")
PROFILE_NAME = re.compile(r"^[A-Za-z0-9_-]+\Z")
# RFC 7230 token characters: what an HTTP header name may contain
HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
SECRET_KEY = re.compile(r"(api[_-]?key|secret|password|passwd|token|bearer)$", re.I)
PROFILE_SUFFIX = ".config.toml"


def catalog() -> dict[str, Any]:
    return load_catalog(FMT)


def builtin_ids() -> set[str]:
    return {p["id"] for p in catalog()["providers"]}


def builtin_provider(pid: str) -> Provider | None:
    for p in catalog()["providers"]:
        if p["id"] == pid:
            return Provider(id=p["id"], name=p.get("name"), api=p.get("api", "openai"), base_url=p.get("base_url"),
                            auth=Auth(**p.get("auth", {})), builtin=FMT)
    return None


def is_azure(name: str | None, base_url: str | None) -> bool:
    """Codex treats a provider as Azure when it is named `azure` or its host is an Azure OpenAI host."""
    if isinstance(name, str) and name.strip().lower() == "azure":
        return True
    if isinstance(base_url, str):
        try:
            host = (urlsplit(base_url).hostname or "").lower()
        except ValueError:
            return False
        return host.endswith((".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com"))
    return False


# --------------------------------------------------------------------------------------- layers


@dataclass
class Layer:
    """One config layer: config.toml itself, a profile file, or a legacy [profiles.<name>] table."""

    name: str | None  # None for config.toml
    kind: str  # "base" | "file" | "legacy"
    data: dict[str, Any]
    doc: Document | None = None
    prefix: Pointer = ()
    path: str | None = None

    def span(self, pointer: Iterable[str | int] = (), *, key: bool = False) -> Span:
        if self.doc is None:
            return NOSPAN
        ptr = (*self.prefix, *pointer)
        if not ptr and self.kind == "file":
            return Span.file(self.doc.path)
        return self.doc.span(ptr, key=key)

    def has(self, key: str) -> bool:
        return key in self.data


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _strmap(v: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(v, dict):
        return ()
    return tuple((str(k), val) for k, val in v.items() if isinstance(val, str))


def looks_secret(key: str, value: Any) -> bool:
    return isinstance(value, str) and bool(SECRET_KEY.search(key))


# --------------------------------------------------------------------------------------- lowering


@dataclass
class _Eff:
    model: str | None = None
    provider: str = "openai"
    provider_set: bool = False
    context_window: int | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    model_layer: Layer | None = None  # the layer whose `model` key applies
    provider_layer: Layer | None = None


def _effective(layer: Layer, base: Layer) -> _Eff:
    e = _Eff()
    for src in ((base,) if layer is base else (base, layer)):
        d = src.data
        if _str(d.get("model")):
            e.model, e.model_layer = d["model"], src
        if _str(d.get("model_provider")) is not None:
            e.provider, e.provider_set, e.provider_layer = d["model_provider"], True, src
        if _int(d.get("model_context_window")) is not None:
            e.context_window = d["model_context_window"]
        for key, setting in SETTING_KEYS.items():
            if isinstance(d.get(key), str) and d[key] != "":
                e.settings[setting] = d[key]
    return e


def _lower_provider(pid: str, t: dict[str, Any], span: Span) -> Provider:
    cat = catalog()
    extras: dict[str, Any] = {}
    auth_tbl = t.get("auth") if isinstance(t.get("auth"), dict) else None
    if pid in cat["restricted_ids"]:
        bp = builtin_provider(pid)
        assert bp is not None
        auth = Auth("command", _str(auth_tbl.get("command"))) if auth_tbl else bp.auth
        if auth_tbl:
            rest = {k: v for k, v in auth_tbl.items() if k != "command"}
            if rest:
                extras["auth"] = rest
        for k, v in t.items():
            if k in ("base_url", "http_headers", "auth") or looks_secret(k, v) and k != "experimental_bearer_token":
                continue
            extras[k] = v
        return Provider(id=pid, name=bp.name, api=bp.api, base_url=_str(t.get("base_url")) or bp.base_url,
                        auth=auth, headers=_strmap(t.get("http_headers")), builtin=FMT,
                        extras={FMT: extras} if extras else {}, span=span)

    name = _str(t.get("name"))
    base_url = _str(t.get("base_url"))
    if "base_url" not in t:
        base_url = cat["default_base_url"]
    env_key = _str(t.get("env_key"))
    bearer = _str(t.get("experimental_bearer_token"))
    if auth_tbl is not None:
        auth = Auth("command", _str(auth_tbl.get("command")))
        rest = {k: v for k, v in auth_tbl.items() if k != "command"}
        if rest:
            extras["auth"] = rest
    elif env_key is not None:
        auth = Auth("env", env_key)
    elif bearer is not None:
        auth = Auth("literal", bearer)
    elif t.get("requires_openai_auth") is True:
        auth = Auth("default")
    else:
        auth = Auth("none")
    known = set(load_schema(FMT)["$defs"]["provider"]["properties"])
    for k, v in t.items():
        if k in ("name", "base_url", "http_headers", "env_http_headers", "query_params", "auth",
                 "experimental_bearer_token"):
            # a wrongly typed value is kept so that writing back shows the same problem
            if k in ("name", "base_url") and not isinstance(v, str):
                extras[k] = v
            if k in ("http_headers", "env_http_headers", "query_params") and not isinstance(v, dict):
                extras[k] = v
            continue
        if k == "env_key" and auth.kind == "env":
            continue
        if k == "wire_api" and v == "responses":
            continue
        if k not in known and looks_secret(k, v):
            continue  # never carried over: reported by the checker
        extras[k] = v
    return Provider(
        id=pid, name=name, api="azure-openai" if is_azure(name, base_url) else "openai", base_url=base_url,
        auth=auth, headers=_strmap(t.get("http_headers")), env_headers=_strmap(t.get("env_http_headers")),
        query_params=tuple((k, unquote(v)) for k, v in _strmap(t.get("query_params"))),
        extras={FMT: extras} if extras else {}, span=span,
    )


def _layer_extras(layer: Layer, consumed: set[str]) -> dict[str, Any]:
    out = {}
    for k, v in layer.data.items():
        if k in consumed:
            continue
        if looks_secret(k, v) and k not in load_schema(FMT)["x-known-keys"]:
            continue
        out[k] = v
    return out


def lower(base: Layer, profiles: list[Layer], sources: tuple[tuple[str, str], ...] = ()) -> Graph:
    """The graph of a base layer and its profile layers (see the module docstring)."""
    profiles = sorted(profiles, key=lambda p: p.name or "")
    providers: dict[str, Provider] = {}
    defined_in: dict[str, str | None] = {}
    overrides: dict[str, dict[str, Any]] = {}

    def add_providers(layer: Layer) -> None:
        mp = layer.data.get("model_providers")
        if not isinstance(mp, dict):
            return
        for pid, t in mp.items():
            if not isinstance(t, dict):
                continue
            if pid in providers:
                overrides.setdefault(layer.name or "", {})[pid] = t
                continue
            providers[pid] = _lower_provider(pid, t, layer.span(("model_providers", pid), key=True))
            defined_in[pid] = layer.name

    add_providers(base)
    for prof in profiles:
        if prof.kind == "file":
            add_providers(prof)

    def visible(pid: str, layer: Layer) -> bool:
        if pid in providers:
            return defined_in[pid] is None or defined_in[pid] == layer.name
        return pid in builtin_ids()

    # models and sets, layer by layer
    models: list[Model] = []
    by_key: dict[tuple[Any, ...], str] = {}
    used: set[str] = set()
    sets: list[AssignmentSet] = []
    referenced: list[str] = []
    referenced_at: dict[str, Any] = {}  # a built-in provider points at the first key that selects it

    def bind(layer: Layer) -> RoleBinding | None:
        e = _effective(layer, base)
        if e.model is None:
            return None
        pid = e.provider if visible(e.provider, layer) else None
        if pid is not None and pid not in providers and pid not in referenced:
            referenced.append(pid)
            key_ptr = ("model_provider",) if "model_provider" in (layer.data or {}) else ("model",)
            referenced_at[pid] = layer.span(key_ptr)
        key = (e.model, pid, e.context_window, tuple(sorted(e.settings.items())))
        mlayer = e.model_layer or layer
        if key not in by_key:
            mid = e.model
            if mid in used:
                mid = f"{e.model}@{layer.name}"
                n = 2
                while mid in used:
                    mid, n = f"{e.model}@{layer.name}-{n}", n + 1
            used.add(mid)
            by_key[key] = mid
            dep_span = (e.provider_layer or mlayer).span(("model_provider",) if e.provider_set else ("model",))
            models.append(Model(
                id=mid, context_window=e.context_window, settings=dict(sorted(e.settings.items())),
                deployments=(Deployment(provider=pid, model_name=e.model, span=dep_span),) if pid else (),
                span=mlayer.span(("model",)),
            ))
        return RoleBinding(role="default", model=by_key[key], span=layer.span(("model",) if layer.has("model")
                                                                            else ()))

    base_binding = bind(base)
    if base_binding is not None:
        sets.append(AssignmentSet(id="default", kind="default", bindings=(base_binding,),
                                  span=base.span(("model",))))
    for prof in profiles:
        b = bind(prof)
        consumed = {"model_providers"} if prof.kind == "file" else set()
        if b is not None:
            consumed |= set(MODEL_KEYS)
        ex = _layer_extras(prof, consumed)
        if prof.name in overrides:
            ex["model_providers"] = overrides[prof.name]
        sets.append(AssignmentSet(id=prof.name or "", kind="profile", bindings=(b,) if b else (),
                                  extras={FMT: ex} if ex else {},
                                  span=prof.span(() if prof.kind == "file" else (), key=prof.kind == "legacy")))

    for pid in referenced:
        bp = builtin_provider(pid)
        if bp is not None:
            if pid == "openai" and _str(base.data.get("openai_base_url")):
                bp = replace(bp, base_url=base.data["openai_base_url"])
            providers[pid] = replace(bp, span=referenced_at.get(pid, bp.span))

    consumed = {"model_providers"}
    if base_binding is not None:
        consumed |= set(MODEL_KEYS)
    if "openai" in providers and providers["openai"].builtin == FMT:
        consumed.add("openai_base_url")
    legacy = {p.name for p in profiles if p.kind == "legacy"}
    extras = _layer_extras(base, consumed)
    if isinstance(extras.get("profiles"), dict):
        rest = {k: v for k, v in extras["profiles"].items() if k not in legacy}
        if rest:
            extras["profiles"] = rest
        else:
            del extras["profiles"]
    return Graph(
        providers=tuple(providers.values()),
        models=tuple(models),
        assignment_sets=tuple(sets),
        extras={FMT: extras} if extras else {},
        sources=sources,
    )


# --------------------------------------------------------------------------------------- checks


def _q(value: str) -> str:
    """A string as TOML writes it (a basic string)."""
    from compiler.render import toml_str

    return toml_str(value)


def _where(ptr: Iterable[Any]) -> str:
    from compiler.schema import where

    return where(tuple(ptr))


class _Checker:
    """Codex's own rules over one document (config.toml or a profile file)."""

    def __init__(self, doc: Document, out: list[Diagnostic], *, inherited: Iterable[str] = ()):
        self.doc = doc
        self.out = out
        # provider ids config.toml defines: a profile file's table for one of them is a partial override
        self.inherited = set(inherited)
        self.cat = catalog()
        self.schema = load_schema(FMT)

    def add(self, code: str, ptr: Pointer, message: str, *, key: bool = False, hint: str | None = None) -> None:
        self.out.append(diag(code, self.doc.span(ptr, key=key), message, hint=hint))

    def run(self) -> None:
        data = self.doc.data
        self.out.extend(validate(self.doc, FMT))
        self.integers(data)
        self.top_level(data)
        mp = data.get("model_providers")
        if isinstance(mp, dict):
            for pid, t in mp.items():
                if isinstance(t, dict):
                    self.provider(pid, t)
        profiles = data.get("profiles")
        if isinstance(profiles, dict):
            for name, t in profiles.items():
                if isinstance(t, dict):
                    self.legacy_profile(name, t)

    # -- types serde is strict about -----------------------------------------------------------
    def _no_float(self, ptr: Pointer, value: Any, key: str) -> None:
        if isinstance(value, float) and value.is_integer():
            self.add("SC007", ptr, f"{_where(ptr)}: expected a whole number, found the float {value!r}",
                     hint=f"Codex reads {key} as an integer and rejects floats: write {int(value)}")

    def integers(self, data: dict[str, Any]) -> None:
        for k in INT_KEYS_TOP:
            self._no_float((k,), data.get(k), k)
        mp = data.get("model_providers")
        if isinstance(mp, dict):
            for pid, t in mp.items():
                if not isinstance(t, dict):
                    continue
                for k in INT_KEYS_PROVIDER:
                    self._no_float(("model_providers", pid, k), t.get(k), k)
                if isinstance(t.get("auth"), dict):
                    for k in INT_KEYS_AUTH:
                        self._no_float(("model_providers", pid, "auth", k), t["auth"].get(k), k)

    # -- unknown keys ---------------------------------------------------------------------------
    def unknown(self, ptr: Pointer, table: dict[str, Any], known: Iterable[str], *, what: str) -> None:
        known = sorted(set(known))
        for k, v in table.items():
            if k in known:
                continue
            kp = (*ptr, k)
            dotted = ".".join(str(p) for p in kp)
            if k == "model_max_output_tokens":
                self.add("CX011", kp, f"`{dotted}` is not a Codex setting (removed before 0.169): Codex ignores it",
                         key=True, hint="Codex has no output-token limit setting; remove the key")
                continue
            if not ptr and k in self.cat["root_provider_keys"]:
                self.add("CX012", kp, f"`{k}` at the top level is ignored by Codex: provider settings belong in "
                                      "a [model_providers.<id>] table", key=True,
                         hint=f"move `{k}` into the [model_providers.<id>] table that model_provider names")
                continue
            close = difflib.get_close_matches(k, known, n=1, cutoff=0.75)
            if looks_secret(k, v):
                hint = ("this looks like a key or token: Codex reads API keys from the environment variable named "
                        "by env_key; modelcc will not copy this value into any output")
            elif close:
                hint = f"did you mean `{close[0]}`?"
            else:
                hint = f"Codex ignores unknown {what} keys with a warning; `codex --strict-config` rejects them"
            self.add("CX015", kp, f"`{dotted}` is not a Codex {what} setting: Codex ignores it", key=True, hint=hint)

    # -- top level -------------------------------------------------------------------------------
    def top_level(self, data: dict[str, Any]) -> None:
        known = set(self.schema["x-known-keys"])
        self.unknown((), data, known, what="config")
        if "profile" in data:
            val = data["profile"]
            name = val if isinstance(val, str) else "name"
            self.add("CX006", ("profile",), f"legacy `profile = \"{val}\"` is no longer supported by Codex (since "
                                           f"0.134): it refuses to start", key=True,
                     hint=f"remove it; put the profile's settings in {name}.config.toml next to config.toml and "
                          f"run `codex --profile {name}`")
        self.efforts((), data)
        oss = data.get("oss_provider")
        if isinstance(oss, str) and oss not in self.cat["oss_providers"]:
            if oss in self.cat["removed_ids"]:
                msg = f"oss_provider `{oss}` is no longer supported by Codex"
                hint = f"replace `{oss}` with `ollama`"
            else:
                msg = f"oss_provider `{oss}` is not a local provider Codex knows: `codex --oss` fails with it"
                hint = "use `ollama` or `lmstudio`"
            self.add("CX021", ("oss_provider",), msg, hint=hint)

    def efforts(self, ptr: Pointer, table: dict[str, Any]) -> None:
        allowed = self.cat["reasoning_efforts"]
        for k in EFFORT_KEYS:
            v = table.get(k)
            if not isinstance(v, str):
                continue
            if v.strip() == "":
                self.add("CX013", (*ptr, k), f"{_where((*ptr, k))}: a reasoning effort must not be empty",
                         hint="use one of " + ", ".join(allowed) + ", or remove the key for the model's default")
            elif v not in allowed:
                close = difflib.get_close_matches(v, allowed, n=1, cutoff=0.6)
                self.add("CX014", (*ptr, k), f"{_where((*ptr, k))}: {_q(v)} is not a standard reasoning effort; "
                                             "Codex sends it to the model as written",
                         hint=(f"did you mean {_q(close[0])}? " if close else "") +
                         "standard values: " + ", ".join(allowed))

    # -- providers -------------------------------------------------------------------------------
    def provider(self, pid: str, t: dict[str, Any]) -> None:
        cat = self.cat
        base = ("model_providers", pid)
        props = self.schema["$defs"]["provider"]["properties"]
        self.unknown(base, t, props, what="provider")
        if isinstance(t.get("auth"), dict):
            self.unknown((*base, "auth"), t["auth"], props["auth"]["properties"], what="provider auth")
        if pid in cat["reserved_ids"]:
            hint = (f"rename it (e.g. [model_providers.{pid}-custom]) and point model_provider at the new id")
            if pid == "openai":
                hint += "; to send the built-in openai provider elsewhere, set top-level openai_base_url instead"
            self.add("CX001", base, f"model_providers: `{pid}` is a built-in provider id of Codex and cannot be "
                                    "redefined", key=True, hint=hint)
        if pid in cat["restricted_ids"]:
            allowed = set(cat["restricted_fields"])
            for k in t:
                if k not in allowed and k in props:
                    self.add("CX002", (*base, k), f"model_providers.{pid}: `{k}` cannot be changed on the built-in "
                                                  f"{pid} provider", key=True,
                             hint="only base_url, auth, http_headers and aws.profile/region/credential_export/"
                                  "auth_refresh may be set; define a provider with another id for anything else")
            aws = t.get("aws")
            if isinstance(aws, dict):
                for k in aws:
                    if k not in cat["restricted_aws_fields"]:
                        self.add("CX002", (*base, "aws", k), f"model_providers.{pid}: `aws.{k}` is not supported",
                                 key=True, hint="aws allows profile, region, credential_export and auth_refresh")
        elif pid not in cat["reserved_ids"] and pid not in self.inherited:
            name = t.get("name")
            if "name" not in t:
                self.add("CX003", base, f"model_providers.{pid}: provider name must not be empty (Codex refuses to "
                                        "start)", key=True, hint=f"add name = \"{pid}\" (any display name)")
            elif isinstance(name, str) and not name.strip():
                self.add("CX003", (*base, "name"), f"model_providers.{pid}: provider name must not be empty",
                         hint=f"write a display name, e.g. name = \"{pid}\"")
            if "base_url" not in t and "aws" not in t:
                self.add("CX018", base, f"model_providers.{pid} has no base_url: Codex sends its requests to "
                                        f"{cat['default_base_url']}", key=True,
                         hint="set base_url to the provider's endpoint, including /v1 where it needs it")
            if "aws" in t:
                self.add("CX010", (*base, "aws"), f"model_providers.{pid}: `aws` auth is only supported for "
                                                  "`amazon-bedrock` and `amazon-bedrock-runtime`", key=True,
                         hint="remove aws, or use model_provider = \"amazon-bedrock\" with an override table")
        wire = t.get("wire_api")
        if isinstance(wire, str) and wire != "responses":
            if wire == "chat":
                self.add("CX004", (*base, "wire_api"), f"model_providers.{pid}: wire_api = \"chat\" is no longer "
                                                       "supported: Codex only speaks the Responses API",
                         hint="use wire_api = \"responses\" with a server that implements POST /responses, or put "
                              "a Responses-API gateway in front of a chat-completions-only server")
            else:
                self.add("CX005", (*base, "wire_api"), f"model_providers.{pid}: unknown wire_api {_q(wire)}; the "
                                                       "only value is \"responses\"",
                         hint="write wire_api = \"responses\" (or leave it out)")
        self.auth(pid, t)
        self.headers(base, t)
        qp = t.get("query_params")
        if isinstance(qp, dict):
            for k, v in qp.items():
                if isinstance(v, str) and _unencoded(v):
                    self.add("CX020", (*base, "query_params", k),
                             f"model_providers.{pid}.query_params.{k}: Codex puts {_q(v)} into the URL as written "
                             "(only spaces are escaped)", hint="percent-encode & = # and % yourself, e.g. "
                                                               "%26 for & and %3D for =")

    def auth(self, pid: str, t: dict[str, Any]) -> None:
        base = ("model_providers", pid)
        if isinstance(t.get("auth"), dict):
            for other in ("env_key", "experimental_bearer_token", "requires_openai_auth"):
                if other in t and (other != "requires_openai_auth" or t[other] is True):
                    self.out.append(diag(
                        "AU003", self.doc.span((*base, other), key=True),
                        f"model_providers.{pid}: provider auth cannot be combined with {other} (Codex refuses to "
                        "start)", hint=f"keep either the [model_providers.{pid}.auth] command or {other}"))
        elif "env_key" in t and "experimental_bearer_token" in t:
            self.add("CX017", (*base, "experimental_bearer_token"),
                     f"model_providers.{pid}: experimental_bearer_token is ignored because env_key is set "
                     "(and it writes a secret into the file)", key=True,
                     hint="remove experimental_bearer_token; Codex sends the value of the env_key variable")

    def headers(self, base: Pointer, t: dict[str, Any]) -> None:
        for field_ in ("http_headers", "env_http_headers"):
            h = t.get(field_)
            if not isinstance(h, dict):
                continue
            for name in h:
                if not HEADER_NAME.match(name):
                    self.add("CX019", (*base, field_, name),
                             f"{_where((*base, field_))}: {_q(name)} is not a valid HTTP header name; Codex drops "
                             "this header without a word", key=True,
                             hint="header names are letters, digits and !#$%&'*+-.^_`|~ (no spaces or colons)")

    # -- legacy profiles ----------------------------------------------------------------------
    def legacy_profile(self, name: str, t: dict[str, Any]) -> None:
        ptr = ("profiles", name)
        self.add("CX007", ptr, f"[profiles.{name}] is a legacy profile: Codex 0.134+ checks it but never applies "
                               "it", key=True,
                 hint=f"move its settings into {name}.config.toml next to config.toml and run "
                      f"`codex --profile {name}` (`modelcc convert` writes that file)")
        self.unknown(ptr, t, self.schema["$defs"]["profile"]["x-known-keys"], what="profile")
        self.efforts(ptr, t)


def _unencoded(v: str) -> bool:
    if any(c in v for c in "&=#"):
        return True
    return bool(re.search(r"%(?![0-9A-Fa-f]{2})", v))


# --------------------------------------------------------------------------------------- read


def _sibling_layers(doc: Document, ctx: ReadContext, out: list[Diagnostic]) -> list[Layer]:
    from compiler.syntax.toml import read as read_toml

    layers = []
    folder = os.path.dirname(doc.path)
    for fname, text in sorted(ctx.siblings.items()):
        base = os.path.basename(fname)
        if not base.endswith(PROFILE_SUFFIX) or base == "config.toml":
            continue
        name = base[: -len(PROFILE_SUFFIX)]
        path = os.path.join(folder, base) if folder else base
        if not PROFILE_NAME.match(name):
            out.append(diag("CX022", Span.file(path), f"profile file {base}: `codex --profile {name}` is refused "
                                                      "(a profile name has only letters, digits, - and _)",
                            hint="rename the file; modelcc does not read it as a profile"))
            continue
        try:
            pdoc = read_toml(path, text)
        except SyntaxProblem as e:
            out.extend(e.diagnostics)
            continue
        out.extend(pdoc.problems)
        if not isinstance(pdoc.data, dict):
            continue
        mp = doc.data.get("model_providers") if isinstance(doc.data, dict) else None
        _Checker(pdoc, out, inherited=mp if isinstance(mp, dict) else ()).run()
        layers.append(Layer(name=name, kind="file", data=pdoc.data, doc=pdoc, path=path))
    return layers


def _check_references(base: Layer, profiles: list[Layer], out: list[Diagnostic],
                      inherited: Iterable[str] = ()) -> None:
    """model_provider of every layer must name a provider that layer can see (Codex: exit 1)."""
    cat = catalog()
    base_defined = set(base.data.get("model_providers") or {}) if isinstance(base.data.get("model_providers"),
                                                                            dict) else set()
    base_defined |= set(inherited)
    for layer in [base, *profiles]:
        val = layer.data.get("model_provider")
        if not isinstance(val, str):
            continue
        own = layer.data.get("model_providers") if layer.kind == "file" else None
        visible = base_defined | builtin_ids() | (set(own) if isinstance(own, dict) else set())
        if val in visible:
            continue
        where = "" if layer.kind == "base" else (f" (profile {layer.name})")
        if val in cat["removed_ids"]:
            out.append(diag("CX009", layer.span(("model_provider",)),
                            f"model_provider `{val}` is no longer supported by Codex{where}",
                            hint=f"replace `{val}` with `ollama` (Codex talks to Ollama's Responses API)"))
            continue
        close = [p for p in sorted(visible) if p.lower() == val.lower()]
        close = close or difflib.get_close_matches(val, sorted(visible), n=1, cutoff=0.6)
        if close:
            hint = f"did you mean `{close[0]}`? provider ids are case-sensitive"
        elif val == "oss":
            hint = "`oss` is not a built-in id in Codex 0.169: use `ollama` or `lmstudio`, or define the provider"
        else:
            hint = (f"define [model_providers.{val}] with name and base_url, or use a built-in id: "
                    + ", ".join(sorted(builtin_ids())))
        legacy = " (the legacy table is inert, but its converted profile file would fail)" \
            if layer.kind == "legacy" else ""
        out.append(diag("CX008", layer.span(("model_provider",)),
                        f"model provider `{val}` not found{where}: Codex refuses to start{legacy}", hint=hint))


def _base_providers(doc: Document, ctx: ReadContext) -> set[str]:
    """For a profile file `<name>.config.toml` read on its own: the provider ids of the
    `config.toml` next to it, which `codex --profile <name>` layers it over (errors in that
    file are reported when it is checked itself)."""
    base = os.path.basename(doc.path)
    text = ctx.siblings.get("config.toml")
    if text is None or base == "config.toml" or not base.endswith(PROFILE_SUFFIX):
        return set()
    try:
        import tomllib

        mp = tomllib.loads(text).get("model_providers")
    except ValueError:
        return set()
    return {str(k) for k in mp} if isinstance(mp, dict) else set()


def read(doc: Document, ctx: ReadContext) -> Graph:
    out: list[Diagnostic] = []
    data = doc.data if isinstance(doc.data, dict) else {}
    inherited = _base_providers(doc, ctx)
    _Checker(doc, out, inherited=inherited).run()
    base = Layer(name=None, kind="base", data=data, doc=doc, path=doc.path)
    files = _sibling_layers(doc, ctx, out)
    file_names = {p.name for p in files}
    profiles: list[Layer] = list(files)
    legacy = data.get("profiles")
    if isinstance(legacy, dict):
        for name, t in legacy.items():
            if not isinstance(t, dict):
                continue
            if name in file_names:
                out.append(diag("CX016", doc.span(("profiles", name), key=True),
                                f"[profiles.{name}] conflicts with the profile file {name}.config.toml: "
                                f"`codex --profile {name}` refuses to start while the legacy table exists",
                                hint=f"move what is still needed into {name}.config.toml and delete "
                                     f"[profiles.{name}]"))
                continue
            profiles.append(Layer(name=name, kind="legacy", data=t, doc=doc, prefix=("profiles", name),
                                  path=doc.path))
    _check_references(base, profiles, out, inherited)
    ctx.sink.extend(out)
    sources = ((FMT, doc.path), *((FMT, p.path) for p in files if p.path))
    return lower(base, profiles, sources)


def layers_from_data(main: Mapping[str, Any], profile_files: Mapping[str, Mapping[str, Any]]) -> tuple[Layer,
                                                                                                    list[Layer]]:
    """Layers of plain TOML values (no documents, no spans): what the writer lowers for `expected`."""
    base = Layer(name=None, kind="base", data=dict(main))
    profiles = [Layer(name=n, kind="file", data=dict(d)) for n, d in profile_files.items()]
    legacy = main.get("profiles")
    if isinstance(legacy, dict):
        profiles += [Layer(name=n, kind="legacy", data=t) for n, t in legacy.items()
                     if isinstance(t, dict) and n not in profile_files]
    return base, profiles
