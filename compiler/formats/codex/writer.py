"""Write a graph as Codex CLI 0.169 `config.toml` plus one `<name>.config.toml` per other profile.

The writer turns the graph into plain TOML values, one table per file (`layers`), lays them
out with `targets/codex/*.j2`, and states what reading them back gives by lowering those
same values with the reader's `lower` (so the self-check in `compiler.emit` verifies the
layout, escaping and parsing of every emitted byte).

Rules (see the Codex format notes):
* Providers -> `[model_providers.<id>]` with a non-empty `name`, an explicit `base_url` (a
  query string moves to `query_params`, a trailing `/responses` is dropped), `wire_api =
  "responses"`, auth as env_key / experimental_bearer_token (only with
  --allow-literal-secrets) / `[...auth]` command; `query_params` values are percent-encoded
  (Codex puts them into the URL as written). Everything in the provider's extras["codex"]
  (retries, timeouts, websockets, ...) is written back verbatim.
* Codex's own built-ins (builtin="codex") are not redefined: the openai provider's base URL
  becomes top-level `openai_base_url`, amazon-bedrock keeps only its allowed overrides.
  Any other provider whose id is reserved (openai, ollama, lmstudio, amazon-bedrock*) is
  renamed `<id>-custom` (LS013) -- except an `openai` provider with no stated auth, which is
  Codex's own openai provider (its URL becomes openai_base_url).
* Codex speaks only the OpenAI Responses API: providers of other APIs (anthropic, gemini,
  bedrock, ...) are dropped (LS009) with the deployments on them.
* The active assignment set (ctx.active_set, else the kind="default" set, else the one named
  "default", else the first) becomes the top-level model / model_provider /
  model_context_window / model_reasoning_* keys; every other set becomes a profile file.
  A Codex layer has one model: the set's binding of role "default" (or of the role given as
  WriteContext.options["role"]) is used; the other roles are dropped (LS003), and a set
  without such a binding gets no model (LS004). No role is ever guessed.
* Costs (LS011), output-token limits (LS016: Codex 0.169 has no such key), other model
  settings (LS016), fallbacks (LS007), alternative deployments (LS008), aliases (LS005),
  routes (LS006), wildcard models (LS014), models no set uses (LS002) and other tools'
  extras (LS012) are reported as losses.
* extras["codex"] of the graph (approval_policy, [projects], [mcp_servers], ...) and of
  profile sets are written back verbatim.
"""

from __future__ import annotations

import os
import re
from types import SimpleNamespace
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

from compiler.context import Emitted, WriteContext
from compiler.diagnostics import Span, diag
from compiler.formats.codex.reader import (
    FMT,
    HEADER_NAME,
    MODEL_KEYS,
    PROFILE_NAME,
    PROVIDER_MODELED,
    SETTING_KEYS,
    _lower_provider,
    builtin_provider,
    catalog,
    layers_from_data,
    lower,
)
from compiler.ir import NOSPAN, AssignmentSet, Graph, Provider, RoleBinding
from compiler.render import render, toml_key, toml_value

CODEX_APIS = ("openai", "azure-openai")
INLINE_PROVIDER_TABLES = ("http_headers", "env_http_headers", "query_params", "aws")
QUERY_SAFE = "-._~:/@!$'()*,;"  # RFC 3986 query characters, minus & = + # %
MAIN = "config.toml"
SETTING_OF = {v: k for k, v in SETTING_KEYS.items()}


def _span(node: Any) -> Span:
    return getattr(node, "span", NOSPAN) or NOSPAN


def split_base_url(url: str) -> tuple[str, list[tuple[str, str]], bool]:
    """(base URL without query/fragment/trailing /responses, its query pairs, fragment dropped?)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url, [], False
    path = parts.path
    stripped = path.rstrip("/")
    if stripped.endswith("/responses"):
        path = stripped[: -len("/responses")]
    pairs = parse_qsl(parts.query, keep_blank_values=True) if parts.query else []
    base = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return base, pairs, bool(parts.fragment)


class _Writer:
    def __init__(self, graph: Graph, ctx: WriteContext):
        self.g = graph
        self.ctx = ctx
        self.cat = catalog()
        self.role = str(ctx.options.get("role") or "default")
        self.id_map: dict[str, str | None] = {}
        self.tables: dict[str, dict[str, Any]] = {}
        self.openai_base_url: str | None = None
        self._reported: set[tuple[str, str]] = set()

    def loss(self, code: str, node: Any, message: str, hint: str | None = None, *, once: str | None = None) -> None:
        if once is not None:
            if (code, once) in self._reported:
                return
            self._reported.add((code, once))
        self.ctx.sink.append(diag(code, _span(node), message, hint=hint))

    # -- providers ---------------------------------------------------------------------------------
    def _fresh_id(self, wanted: str) -> str:
        taken = {p.id for p in self.g.providers} | set(self.tables) | set(self.cat["reserved_ids"]) | \
            set(self.cat["restricted_ids"])
        cid, n = wanted, 2
        while cid in taken:
            cid, n = f"{wanted}-{n}", n + 1
        return cid

    def providers(self) -> None:
        reserved = set(self.cat["reserved_ids"])
        restricted = set(self.cat["restricted_ids"])
        for p in self.g.providers:
            if p.api not in CODEX_APIS:
                self.id_map[p.id] = None
                self.loss("LS009", p, f"provider {p.id}: Codex only speaks the OpenAI Responses API, not {p.api}; "
                                      "the provider and the models deployed on it are left out",
                          hint="put a Responses-API gateway in front of it and describe that as an openai provider")
                continue
            if p.builtin == FMT and p.id in reserved | restricted:
                self.id_map[p.id] = p.id
                self._builtin_override(p)
                continue
            if p.id == "openai" and p.auth.kind == "default" and not (p.headers or p.env_headers or p.query_params):
                # the tool's own OpenAI provider: Codex's built-in (Codex login), maybe behind a proxy URL
                self.id_map[p.id] = "openai"
                base = builtin_provider("openai")
                if p.base_url and base is not None and p.base_url.rstrip("/") != (base.base_url or "").rstrip("/"):
                    self.openai_base_url = split_base_url(p.base_url)[0]
                continue
            cid = p.id
            if cid in reserved or cid in restricted:
                cid = self._fresh_id(f"{p.id}-custom")
                self.loss("LS013", p, f"provider {p.id}: `{p.id}` is a built-in id Codex does not let a config "
                                      f"redefine; written as `{cid}`",
                          hint="Codex's built-in provider of that name uses Codex's own login and URL")
            self.id_map[p.id] = cid
            self.tables[cid] = self._provider_table(p)

    def _builtin_override(self, p: Provider) -> None:
        base = builtin_provider(p.id)
        if base is None:
            return
        if p.id == "openai":
            if p.base_url and p.base_url != base.base_url:
                self.openai_base_url = p.base_url
            return
        if p.id not in self.cat["restricted_ids"]:
            return  # ollama / lmstudio: nothing can be overridden
        t: dict[str, Any] = {}
        if p.base_url and p.base_url != base.base_url:
            t["base_url"] = p.base_url
        if p.headers:
            t["http_headers"] = dict(p.headers)
        ex = p.extras.get(FMT, {})
        if p.auth.kind == "command" and p.auth.value:
            t["auth"] = {"command": p.auth.value, **(ex.get("auth") or {})}
        for k, v in ex.items():
            if k in self.cat["restricted_fields"] and k not in t and k != "auth":
                t[k] = v
        if t:
            self.tables[p.id] = t

    def _provider_table(self, p: Provider) -> dict[str, Any]:
        ex = dict(p.extras.get(FMT, {}))
        t: dict[str, Any] = {}
        name = p.name if isinstance(p.name, str) and p.name.strip() else p.id
        t["name"] = name
        url = p.base_url or self.cat["default_base_url"]
        base, url_params, fragment = split_base_url(url)
        if fragment:
            self.loss("LS002", p, f"provider {p.id}: the #fragment of base_url {url} was dropped")
        if p.api == "azure-openai" and urlsplit(base).path in ("", "/"):
            # an Azure OpenAI resource root: the Responses API lives under /openai (with api-version)
            # or /openai/v1 (the v1 surface, no api-version)
            has_version = any(k == "api-version" for k, _ in [*url_params, *p.query_params])
            base = base.rstrip("/") + ("/openai" if has_version else "/openai/v1")
        t["base_url"] = base
        t["wire_api"] = "responses"
        kind = p.auth.kind
        if kind == "env" and p.auth.value:
            t["env_key"] = p.auth.value
        elif kind == "literal" and p.auth.value:
            t["experimental_bearer_token"] = p.auth.value  # only reached with --allow-literal-secrets
        elif kind in ("secret", "passthrough"):
            self.loss("LS010", p, f"provider {p.id}: Codex cannot use {p.auth.describe()} authentication; no key "
                                  "is sent", hint="set env_key to an environment variable that holds the key")
        for k, v in ex.items():
            if k in PROVIDER_MODELED or k in t:
                continue
            t[k] = v
        headers = {}
        for hk, hv in p.headers:
            if HEADER_NAME.match(hk):
                headers[hk] = hv
            else:
                self.loss("LS002", p, f"provider {p.id}: header {hk!r} is not a valid HTTP header name; left out")
        if headers:
            t["http_headers"] = headers
        env_headers = {hk: hv for hk, hv in p.env_headers if HEADER_NAME.match(hk)}
        if env_headers:
            t["env_http_headers"] = env_headers
        params = [*url_params, *p.query_params]
        if params:
            t["query_params"] = {k: quote(v, safe=QUERY_SAFE) for k, v in params}
        if kind == "command" and p.auth.value:
            auth = {"command": p.auth.value}
            rest = ex.get("auth")
            if isinstance(rest, dict):
                auth.update({k: v for k, v in rest.items() if k != "command"})
            t["auth"] = auth
        return t

    # -- models and sets ------------------------------------------------------------------------------
    def binding_of(self, s: AssignmentSet) -> RoleBinding | None:
        chosen = None
        for b in s.bindings:
            if b.role == self.role and chosen is None:
                chosen = b
            else:
                self.loss("LS003", b, f"set {s.id}: role {b.role} has no place in a Codex config (one model per "
                                      f"profile); only role {self.role} is written")
        if chosen is None and s.bindings:
            self.loss("LS004", s, f"set {s.id} has no binding of role {self.role}: Codex gets no model for it",
                      hint="bind role default in the source, or choose the role to write with the `role` option")
        return chosen

    def model_keys(self, s: AssignmentSet, b: RoleBinding) -> dict[str, Any] | None:
        m = self.g.model(b.model)
        if m is None and b.model == "auto":
            self.loss("LS004", b, f"set {s.id}: automatic model choice (`auto`) has no Codex counterpart; Codex "
                                  "gets no model for it", hint="choose a model in the source for this set")
            return None
        if m is None:
            self.loss("LS004", b, f"set {s.id}: model {b.model} is not defined, so Codex gets no model for it")
            return None
        if m.wildcard:
            self.loss("LS014", b, f"set {s.id}: {m.id} stands for many models; Codex needs one model name")
            return None
        usable = [d for d in m.deployments if self.id_map.get(d.provider)]
        if not usable:
            self.loss("LS004", b, f"set {s.id}: model {m.id} has no deployment on a provider Codex can use")
            return None
        dep = usable[0]
        if len(m.deployments) > 1:
            self.loss("LS008", m, f"model {m.id}: Codex uses one provider per model; only the deployment on "
                                  f"{dep.provider} is written", once=m.id)
        keys: dict[str, Any] = {"model": dep.deployment_name or dep.model_name,
                                "model_provider": self.id_map[dep.provider]}
        if m.context_window is not None:
            keys["model_context_window"] = m.context_window
        settings = {**m.settings, **b.settings}
        dropped = []
        for name, value in settings.items():
            key = SETTING_OF.get(name)
            if key and isinstance(value, str) and value.strip():
                keys[key] = value
            else:
                dropped.append(name)
        if dropped:
            self.loss("LS016", b, f"set {s.id}: Codex has no setting for {', '.join(sorted(dropped))} of model "
                                  f"{m.id}; left out", once=f"{s.id}/{m.id}")
        if m.max_output_tokens is not None or m.reserved_output_tokens is not None:
            self.loss("LS016", m, f"model {m.id}: Codex 0.169 has no output-token limit (model_max_output_tokens "
                                  "was removed); the limit is left out", once=m.id)
        if m.cost is not None:
            self.loss("LS011", m, f"model {m.id}: Codex config has no prices; left out", once=m.id)
        for f in b.fallbacks:
            self.loss("LS007", f, f"set {s.id}: Codex has no fallback models; the {f.kind} fallback to "
                                  f"{f.binding.model} is left out")
        return keys

    def profile_name(self, s: AssignmentSet, taken: set[str]) -> str:
        name = s.id if PROFILE_NAME.match(s.id) else (re.sub(r"[^A-Za-z0-9_-]+", "-", s.id).strip("-") or "profile")
        base, n = name, 2
        while name in taken or name == "config":
            name, n = f"{base}-{n}", n + 1
        if name != s.id:
            self.loss("LS013", s, f"set {s.id}: written as profile {name} (`codex --profile` takes letters, digits, "
                                  "- and _)")
        return name

    # -- the whole thing -----------------------------------------------------------------------------
    def layers(self) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        self.providers()
        sets = list(self.g.assignment_sets)
        active: AssignmentSet | None = None
        if self.ctx.active_set:
            active = next((s for s in sets if s.id == self.ctx.active_set), None)
            if active is None:
                self.ctx.sink.append(diag("LS015", Span.file("<graph>"),
                                          f"there is no assignment set {self.ctx.active_set!r} to make active",
                                          hint="sets in the graph: " + (", ".join(s.id for s in sets) or "none")))
        if active is None:
            active = next((s for s in sets if s.kind == "default"), None) or \
                next((s for s in sets if s.id == "default"), None) or (sets[0] if sets else None)

        main: dict[str, Any] = {}
        bound: set[str] = set()
        if active is not None:
            b = self.binding_of(active)
            keys = self.model_keys(active, b) if b else None
            if keys:
                main.update(keys)
                bound.add(b.model)  # type: ignore[union-attr]
        if self.openai_base_url:
            main["openai_base_url"] = self.openai_base_url
        if self.tables:
            main["model_providers"] = self.tables
        for src in (self.g.extras.get(FMT, {}), active.extras.get(FMT, {}) if active else {}):
            for k, v in src.items():
                if k in main or (k in MODEL_KEYS and "model" in main) or k == "model_providers":
                    continue
                main[k] = v

        profiles: dict[str, dict[str, Any]] = {}
        taken: set[str] = set()
        for s in sets:
            if s is active:
                continue
            name = self.profile_name(s, taken)
            taken.add(name)
            layer: dict[str, Any] = {}
            b = self.binding_of(s)
            keys = self.model_keys(s, b) if b else None
            if keys:
                layer.update(keys)
                bound.add(b.model)  # type: ignore[union-attr]
            for k, v in s.extras.get(FMT, {}).items():
                if k in layer or (k in MODEL_KEYS and keys):
                    continue
                layer[k] = v
            if not layer:
                if not s.bindings:
                    self.loss("LS004", s, f"set {s.id} has nothing Codex can express; no profile file written")
                continue
            profiles[name] = layer
            if keys:
                inherited = [k for k in ("model_context_window", *SETTING_KEYS) if k in main and k not in layer]
                if inherited:
                    self.loss("LS016", s, f"set {s.id}: Codex layers profile {name} over config.toml and cannot "
                                          "unset a key, so it inherits " +
                              ", ".join(f"{k} = {main[k]!r}" for k in inherited))

        for m in self.g.models:
            if m.id not in bound and m.builtin is None:
                self.loss("LS002", m, f"model {m.id} is not used by any assignment set; a Codex config has no "
                                      "model list, so it is left out")
        for a in self.g.aliases:
            self.loss("LS005", a, f"alias {a.name} -> {a.target}: Codex has no model aliases; left out")
        for r in self.g.routes:
            self.loss("LS006", r, f"routing preference {r.name}: Codex has no routing; left out")
        for fmt, ex in sorted(self.g.extras.items()):
            if fmt != FMT and ex:
                keys = ", ".join(sorted(ex)) if isinstance(ex, dict) else fmt
                self.loss("LS012", SimpleNamespace(span=Span.file(self.g.sources[0][1]) if self.g.sources else NOSPAN),
                          f"{fmt} settings ({keys}) have no place in a Codex config; left out")
        return main, profiles


# --------------------------------------------------------------------------------------- layout


def _inline(path: tuple[str, ...], key: str, value: dict[str, Any]) -> bool:
    return (len(path) == 2 and path[0] == "model_providers" and key in INLINE_PROVIDER_TABLES
            and not any(isinstance(v, dict) for v in value.values()))


def _flatten(table: dict[str, Any], path: tuple[str, ...] = ()) -> tuple[list[tuple[str, Any]], list[dict[str, Any]]]:
    scalars = [(k, v) for k, v in table.items() if not isinstance(v, dict) or _inline(path, k, v)]
    tables: list[dict[str, Any]] = []
    for k, v in table.items():
        if isinstance(v, dict) and not _inline(path, k, v):
            sub_scalars, sub_tables = _flatten(v, (*path, k))
            if sub_scalars or not sub_tables:
                tables.append({"path": [*path, k], "items": sub_scalars})
            tables.extend(sub_tables)
    return scalars, tables


def render_layer(data: dict[str, Any], *, profile: str | None = None) -> str:
    scalars, tables = _flatten(data)
    if profile is None:
        comments = ["generated by modelcc: OpenAI Codex CLI config (codex 0.169 or later)"]
        template = "codex/config.toml.j2"
    else:
        comments = ["generated by modelcc: a Codex profile, layered over config.toml by",
                    f"`codex --profile {profile}`"]
        template = "codex/profile.config.toml.j2"
    return render(template, comments=comments, scalars=scalars, tables=tables)


def expected_graph(main: dict[str, Any], profiles: dict[str, dict[str, Any]]) -> Graph:
    base, layers = layers_from_data(main, profiles)
    return lower(base, layers)


def write(graph: Graph, ctx: WriteContext) -> Emitted:
    main, profiles = _Writer(graph, ctx).layers()
    name = os.path.basename(ctx.output_name) if ctx.output_name else MAIN
    files = [(name, render_layer(main))]
    for pname in sorted(profiles):
        files.append((f"{pname}.config.toml", render_layer(profiles[pname], profile=pname)))
    return Emitted(files=files, expected=expected_graph(main, profiles))


def layers(graph: Graph, ctx: WriteContext) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The TOML values the writer would emit (for update mode and tests)."""
    return _Writer(graph, ctx).layers()


# --------------------------------------------------------------------------------------- update

OWNED_TOP = (*MODEL_KEYS, "openai_base_url")


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _line_end(text: str, pos: int) -> int:
    """Offset just past the newline ending the line that holds `pos` (or len(text))."""
    i = text.find("\n", pos)
    return len(text) if i == -1 else i + 1


def _skip_blank_lines(text: str, pos: int) -> int:
    while pos < len(text):
        end = _line_end(text, pos)
        if text[pos:end].strip():
            break
        pos = end
    return pos


def _pid_of(pieces: dict[str, list[_Piece]], piece: _Piece) -> str | None:
    return next((pid for pid, ps in pieces.items() if piece in ps), None)


class _Piece(NamedTuple):
    """Where one provider's bytes are in a config.toml being updated."""

    start: int  # start of its first line
    end: int  # past its last line and the blank lines after it
    line_end: int  # past its last line
    prefix: str | None  # key/value style: the text before the provider's key (`model_providers.`, ``); None: [table]


def _is_header(text: str, vs: int) -> bool:
    return text.startswith("[", vs) and not text[_line_start(text, vs):vs].strip()


def update(existing_text: str, graph: Graph, ctx: WriteContext) -> str:
    """Rewrite only what modelcc owns in an existing config.toml; every other byte stays.

    Owned: the top-level model, model_provider, model_context_window, model_reasoning_effort,
    model_reasoning_summary, model_verbosity and openai_base_url keys, and the
    [model_providers.*] tables. An owned key or provider table whose value does not change
    keeps its bytes (comments included); a changed one is rewritten in place; a new one is
    added (keys after the last top-level key, tables after the last provider table); one the
    graph no longer has is removed with its lines. Profile files are not touched (write them
    with `write`). A file that is not valid TOML is returned unchanged, with its syntax error
    in ctx.sink.
    """
    from compiler.source import SyntaxProblem
    from compiler.syntax.toml import read as read_toml

    try:
        doc = read_toml(ctx.output_name or MAIN, existing_text)
    except SyntaxProblem as e:
        ctx.sink.extend(e.diagnostics)
        return existing_text
    text = existing_text
    data = doc.data
    lm = doc.locmap()
    nl = "\r\n" if "\r\n" in text else "\n"
    main, _ = _Writer(graph, ctx).layers()
    edits: list[tuple[int, int, str]] = []

    def render_text(scalars: list[tuple[str, Any]], tables: list[dict[str, Any]]) -> str:
        out = render("codex/config.toml.j2", comments=[], scalars=scalars, tables=tables)
        return out.replace("\n", nl)

    # -- top-level keys
    headers = [vs for p, (vs, ve, ks, ke) in lm.items() if p and _is_header(text, vs)]
    first_header = min(headers, default=len(text) + 1)
    root_ends = [_line_end(text, ve) for p, (vs, ve, ks, ke) in lm.items()
                 if len(p) == 1 and 0 <= ks < first_header and p[0] != "model_providers"]
    new_keys: list[tuple[str, Any]] = []
    for k in OWNED_TOP:
        new = main.get(k)
        if k in data and (k,) in lm and not isinstance(data[k], dict):
            vs, ve, ks, ke = lm[(k,)]
            if new is None:
                edits.append((_line_start(text, ks), _line_end(text, ve), ""))
            elif type(data[k]) is not type(new) or data[k] != new:
                edits.append((vs, ve, render_text([("x", new)], []).split("= ", 1)[1].rstrip("\r\n")))
        elif new is not None and not (k == "model_provider" and new == "openai"):  # Codex's default
            new_keys.append((k, new))
    if new_keys:
        block = render_text(new_keys, [])
        if root_ends:
            at = max(root_ends)
            if at == len(text) and not text.endswith("\n"):
                block = nl + block  # the last root key ends the file without a newline
        elif headers:
            at = _line_start(text, min(headers))
            block += nl
        else:
            at = len(text)
            if text and not text.endswith("\n"):
                block = nl + block
        edits.append((at, at, block))

    # -- provider tables
    old = data.get("model_providers") if isinstance(data.get("model_providers"), dict) else {}
    new_tables: dict[str, Any] = main.get("model_providers") or {}
    # where each provider's bytes are: [model_providers.<id>] tables (and their sub-tables), or
    # key/value lines -- `model_providers.<id> = { ... }` / dotted keys among the root keys, or
    # `<id> = { ... }` under a [model_providers] header. A key/value provider is rewritten as a
    # key/value line with the same key prefix: a [table] header there would swallow the keys that
    # follow it (root keys such as approval_policy would become provider fields).
    pieces: dict[str, list[_Piece]] = {}
    for p, (vs, ve, ks, _ke) in lm.items():
        if len(p) < 2 or p[0] != "model_providers":
            continue
        pid = p[1]
        if len(p) == 2 or _is_header(text, vs):
            if len(p) > 2 and not _is_header(text, lm[p[:2]][0]) and lm[p[:2]][0] <= vs <= lm[p[:2]][1]:
                continue
            start = _line_start(text, min(vs, ks) if ks >= 0 else vs)
            prefix = None if _is_header(text, vs) or ks < 0 else text[start:ks]
            pieces.setdefault(pid, []).append(
                _Piece(start, _skip_blank_lines(text, _line_end(text, ve)), _line_end(text, ve), prefix))
    for pid in pieces:
        pieces[pid] = sorted(set(pieces[pid]))

    def kv_lines(prefix: str, tables: dict[str, Any]) -> str:
        return "".join(f"{prefix}{toml_key(pid)} = {toml_value(t)}{nl}" for pid, t in tables.items())

    last = max((pc for ps in pieces.values() for pc in ps), key=lambda pc: pc.end, default=None)
    for pid, ps in pieces.items():
        if pid in new_tables and isinstance(old.get(pid), dict) and \
                _lower_provider(pid, old[pid], NOSPAN) == _lower_provider(pid, new_tables[pid], NOSPAN):
            continue  # same provider: keep its bytes (and comments)
        for i, pc in enumerate(ps):
            if i == 0 and pid in new_tables and pc.prefix is not None:
                line = kv_lines(pc.prefix, {pid: new_tables[pid]})
                if not text.endswith("\n", 0, pc.line_end):
                    line = line[: -len(nl)]
                edits.append((pc.start, pc.line_end, line))  # the blank lines after it stay
                continue
            if pc.prefix is not None:  # a key/value line: remove that line only (blank lines after it separate
                edits.append((pc.start, pc.line_end, ""))  # what follows)
                continue
            repl = ""
            if i == 0 and pid in new_tables:
                _, tables = _flatten({"model_providers": {pid: new_tables[pid]}})
                repl = render_text([], tables).lstrip("\r\n")
                if pc.end < len(text):
                    repl += nl
            edits.append((pc.start, pc.end, repl))
    added = {pid: t for pid, t in new_tables.items() if pid not in pieces}
    if added and last is not None and last.prefix is not None:
        block = kv_lines(last.prefix, added)  # next to the last key/value provider, in its style
        if _pid_of(pieces, last) not in new_tables:
            at = last.start  # in place of that provider, which goes
        else:
            at = last.line_end
            if not text.endswith("\n", 0, at):
                block = nl + block[: -len(nl)]
        edits.append((at, at, block))
    elif added:
        _, tables = _flatten({"model_providers": added})
        block = render_text([], tables).lstrip("\r\n")
        if last is not None:
            at = last.end
            if at < len(text):
                block += nl
            elif not text.endswith("\n\n"):
                block = nl + block
        else:
            at = len(text)
            block = ("" if text.endswith("\n") or not text else nl) + (nl if text.strip() else "") + block
        edits.append((at, at, block))
    # explicit [model_providers] header left without entries
    if not new_tables and ("model_providers",) in lm and _is_header(text, lm[("model_providers",)][0]):
        vs, ve, _, _ = lm[("model_providers",)]
        edits.append((_line_start(text, vs), _skip_blank_lines(text, _line_end(text, vs)), ""))

    # right to left; of two insertions at one place the earlier one ends up first (new top-level keys
    # before new tables, at the end of a file that has no table: after a table they would be its fields)
    out = text
    for s, e, repl, _ in sorted(((*x, i) for i, x in enumerate(edits)), key=lambda x: (x[0], x[1], x[3]),
                                reverse=True):
        out = out[:s] + repl + out[e:]
    return out
