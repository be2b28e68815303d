"""Read a Plano `plano_config.yaml`: schema pass, planoai's rules, lowering to the IR.

Rules. planoai 0.4.39 validates in one pass and stops at the first failure (formats/plano.md
section 7); modelcc applies the same rules (PL001-PL024) but reports every finding, at the key
it concerns. It also reports what planoai lets through but the gateway refuses at start-up or
what makes an entry useless (PL025-PL036). The schema pass uses our own
`schemas/plano.schema.json`, which accepts what planoai's schema accepts.

Lowering (one `model_providers` / `llm_providers` entry = one Model):
- Model.id is the entry's `name`, else its full `model` string; `<prefix>/*` gives a
  wildcard Model. Its one Deployment is (provider id, model id = text after the first `/`).
- One Provider per distinct configuration (prefix, base_url, auth, provider_interface,
  http_host, headers). Its id is the prefix when the prefix has one configuration, else
  `<prefix>@<host[:port]>` (`<prefix>@default` without base_url), see `common.provider_ids`;
  then `extras.plano.prefix` holds the prefix. `api` is provider_interface for a custom
  prefix, else the prefix's interface from the catalog.
- Auth: `$VAR` -> env VAR (`${VAR}` too, with PL032); `passthrough_auth: true` -> passthrough
  (also chatgpt without a key, as planoai does); no key -> default (nothing stated; the
  gateway sends none); anything else -> literal (flagged by the generic AU001/AU006).
- `default: true` -> AssignmentSet "default" (kind default) binding role "default".
- model_aliases -> Alias (target = the Model id; a target spelled differently from the
  entry's model string is kept in `extras.plano.target`).
- Top-level routing_preferences -> Route (models = Model ids; other spellings kept in
  `extras.plano.models`). Inline v0.3.0 preferences are migrated as planoai does when the
  version is below v0.4.0 (Route with `extras.plano.inline`); the raw inline lists stay in
  the Model's extras so the file can be written back the way it was.
- Everything else (version, listeners, agents, tracing, ...) is kept in `Graph.extras.plano`
  (`version`, `sections`, `order` of the top-level keys, `providers_key` when the file used
  `llm_providers`).

When the reader reports a Plano error about a node that a generic check would report again
(a duplicate name, an unresolvable alias target or route model, a bad base_url scheme), the
node or value is left out of the graph, so each problem is reported once.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from compiler.context import ReadContext
from compiler.diagnostics import Diagnostic, Related, Span, diag
from compiler.formats.plano import common as C
from compiler.ir import NOSPAN, Alias, AssignmentSet, Auth, Deployment, Graph, Model, Provider, RoleBinding, Route
from compiler.schema import key_label, validate, where
from compiler.source import Document
from compiler.syntax.yaml import non_string_keys

SpanFn = Callable[..., Span]


def read(doc: Document, ctx: ReadContext) -> Graph:
    data = doc.data
    span: SpanFn = doc.span
    bad = list(non_string_keys(data))
    if bad:  # YAML allows `1:`, `yes:`, `null:` keys; planoai's schema check crashes on them
        data = _stringified(data)
        span = _OriginalKeys(doc).span
    schema_diags = validate(_Spans(span), "plano", data)  # type: ignore[arg-type]
    unknown = {(d.span.line, d.span.col) for d in schema_diags if d.code == "SC003"} if bad else set()
    for ptr, key in bad:
        text = key_label(key)
        at = doc.span((*ptr, key), key=True)
        if (at.line, at.col) in unknown:
            continue  # an unknown key anyway (SC003): quoting it would not help
        ctx.sink.append(diag("SY006", at, f"{where((*ptr, key))}: key {text} is not a string",
                             hint=f"quote it: \"{text}\"" if key is not None else "give the key a name"))
    ctx.sink.extend(schema_diags)
    graph, diags = lower(data, span, doc.path)
    ctx.sink.extend(diags)
    return graph


def _stringified(value: Any) -> Any:
    if isinstance(value, dict):
        return {k if isinstance(k, str) else key_label(k): _stringified(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringified(v) for v in value]
    return value


class _OriginalKeys:
    """Spans for pointers into the stringified data: each key is mapped back to the document's own
    (non-string) key, so diagnostics still point at the right line."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def span(self, ptr: Any = (), *, key: bool = False) -> Span:
        cur = self.doc.data
        out: list[Any] = []
        for part in ptr:
            if isinstance(cur, dict) and isinstance(part, str) and part not in cur:
                part = next((k for k in cur if not isinstance(k, str) and key_label(k) == part), part)
            out.append(part)
            try:
                cur = cur[part]
            except (KeyError, IndexError, TypeError):
                cur = None
        return self.doc.span(tuple(out), key=key)  # type: ignore[return-value]


@dataclass
class _Spans:
    """The Document-like interface compiler.schema uses (only `span`)."""

    span: SpanFn


def lower(data: Any, span: SpanFn | None = None, path: str = "<plano>") -> tuple[Graph, list[Diagnostic]]:
    """Plain parsed data -> (graph, Plano diagnostics). `span(pointer, key=False)` gives positions."""
    low = _Lowering(data, span or (lambda ptr, key=False: NOSPAN), path)
    return low.run(), low.diags


@dataclass
class _Entry:
    ptr: tuple[Any, ...]
    raw: dict[str, Any]
    model: str
    name: str
    explicit_name: bool
    keep: bool = True
    dup_model: bool = False
    parsed: bool = False
    prefix: str = ""
    model_id: str = ""
    wildcard: bool = False
    base_url: str | None = None
    interface: str | None = None
    auth: Auth = field(default_factory=lambda: Auth("none"))
    ignored_key: str | None = None
    provider: str = ""


def _s(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _d(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _l(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class _Lowering:
    def __init__(self, data: Any, span: SpanFn, path: str) -> None:
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        self._span = span
        self.path = path
        self.diags: list[Diagnostic] = []

    # -- helpers ------------------------------------------------------------------------------
    def span(self, ptr: tuple[Any, ...], key: bool = False) -> Span:
        return self._span(ptr, key=key)

    def add(self, code: str, ptr: tuple[Any, ...], msg: str, *, key: bool = False, hint: str | None = None,
            related: list[Related] | tuple[Related, ...] = ()) -> None:
        self.diags.append(diag(code, self.span(ptr, key), msg, hint=hint, related=related))

    def rel(self, ptr: tuple[Any, ...], msg: str, key: bool = False) -> Related:
        return Related(self.span(ptr, key), msg)

    # -- driver -------------------------------------------------------------------------------
    def run(self) -> Graph:
        d = self.data
        version = d.get("version")
        self.old = C.version_tuple(version if isinstance(version, str) else "") < (0, 4, 0)
        key = self._providers_key()
        self.key = key
        raw_list = d.get(key) if key else None
        self.entries = self._entries(key, _l(raw_list))
        self._listener_rules(bool(raw_list))
        clusters = self._agent_rules()
        self._endpoint_rules(clusters)
        self._tracing_rules()
        self._orchestrator_rule(clusters)
        default = self._defaults()
        providers = self._providers()
        models = self._models()
        self._index()
        aliases = self._aliases()
        routes = self._routes()
        sets: tuple[AssignmentSet, ...] = ()
        if default is not None:
            e = default
            sp = self.span((*e.ptr, "default"), key=True)
            sets = (AssignmentSet(id="default", kind="default",
                                  bindings=(RoleBinding(role="default", model=e.name, span=sp),), span=sp),)
        return Graph(providers=providers, models=models, assignment_sets=sets, aliases=aliases, routes=routes,
                     extras={C.FORMAT: self._extras()}, sources=((C.FORMAT, self.path),))

    def _extras(self) -> dict[str, Any]:
        d = self.data
        out: dict[str, Any] = {"order": [str(k) for k in d]}
        if "version" in d:
            out["version"] = d["version"]
        if self.key == "llm_providers":
            out["providers_key"] = "llm_providers"
        sections = {str(k): v for k, v in d.items() if k not in C.MODEL_KEYS and k != "version"}
        if sections:
            out["sections"] = sections
        return out

    # -- rule 1 and the legacy key ------------------------------------------------------------
    def _providers_key(self) -> str | None:
        d = self.data
        if "llm_providers" in d and "model_providers" in d:
            self.add("PL001", ("llm_providers",),
                     "both model_providers and llm_providers are given; planoai accepts only one",
                     key=True, hint="move these entries into model_providers (llm_providers is its deprecated name)",
                     related=[self.rel(("model_providers",), "model_providers is here", key=True)])
            return "model_providers"
        if "llm_providers" in d:
            self.add("PL035", ("llm_providers",), "llm_providers is deprecated; it is read as model_providers",
                     key=True, hint="rename the key to model_providers")
            return "llm_providers"
        if "model_providers" in d:
            return "model_providers"
        return None

    # -- rules 10-20 per entry, plus the runtime-only ones ----------------------------------------
    def _entries(self, key: str | None, items: list[Any]) -> list[_Entry]:
        out: list[_Entry] = []
        names: dict[str, tuple[tuple[Any, ...], bool]] = {}  # name -> (entry ptr, explicit)
        keys: dict[str, tuple[tuple[Any, ...], str]] = {}  # model_name_keys -> (entry ptr, what)
        for i, raw in enumerate(items):
            if not isinstance(raw, dict) or not isinstance(raw.get("model"), str):
                continue  # the schema pass reported it
            ptr = (key, i)
            model = raw["model"]
            name_raw = _s(raw.get("name"))
            explicit = name_raw is not None
            e = _Entry(ptr=ptr, raw=raw, model=model, name=name_raw if explicit else model, explicit_name=explicit)
            out.append(e)
            # rule 10: a name already taken (given, or defaulted from an earlier model string)
            if explicit and name_raw in names:
                first, first_explicit = names[name_raw]
                how = "is named" if first_explicit else "has this model string (its default name)"
                self.add("PL010", (*ptr, "name"), f"duplicate provider name {name_raw!r}",
                         hint="every entry needs its own name; change or remove this one",
                         related=[self.rel(first, f"the entry here {how} {name_raw!r}")])
                e.keep = False
            simple_wild = "/" in model and model.split("/")[-1] == "*"
            # rule 11: the model string is already a model name key
            if not simple_wild and model in keys:
                first, what = keys[model]
                self.add("PL011", (*ptr, "model"), f"model {model!r} is declared twice",
                         hint="planoai serves one entry per model; remove this entry or merge the two",
                         related=[self.rel((*first, "model"), f"{model!r} is already the {what} of this entry")])
                e.keep, e.dup_model = False, True
            elif not simple_wild:
                keys[model] = (ptr, "model string")
            # runtime: an earlier explicit name equals this entry's model string (its default name)
            if not explicit and e.keep and model in names and names[model][1]:
                first = names[model][0]
                self.add("PL030", (*first, "name"),
                         f"name {model!r} is also the model string of a later entry, which takes it as its name; "
                         "the gateway refuses two providers with one name",
                         hint="give this entry another name (or none)",
                         related=[self.rel((*ptr, "model"), "the later entry is here")])
                e.keep = False
            names.setdefault(e.name, (ptr, explicit))
            split = C.split_model(model)
            if split is None:
                self.add("PL012", (*ptr, "model"), f"model {model!r} has no provider prefix",
                         hint=f"write <provider>/<model_id>, e.g. openai/{model.strip() or 'gpt-4o'}")
                e.keep = False
                continue
            prefix, model_id, wildcard = split
            if not prefix or not model_id:
                part = "provider prefix" if not prefix else "model id"
                self.add("PL033", (*ptr, "model"), f"model {model!r} has an empty {part}",
                         hint="write <provider>/<model_id>, e.g. openai/gpt-4o, or <provider>/* for every model")
                e.keep = False
                continue
            e.parsed, e.prefix, e.model_id, e.wildcard = True, prefix, model_id, wildcard
            self._entry_rules(e, keys)
        return out

    def _entry_rules(self, e: _Entry, keys: dict[str, tuple[tuple[Any, ...], str]]) -> None:
        raw, ptr, model = e.raw, e.ptr, e.model
        if e.wildcard and raw.get("default") is True:  # rule 13
            self.add("PL013", (*ptr, "default"), f"wildcard {model!r} cannot be the default model", key=True,
                     hint="mark one explicit model default: true, e.g. " + f"{e.prefix}/<model_id>")
        base_url = _s(raw.get("base_url")) or None
        interface = _s(raw.get("provider_interface"))
        cls = C.prefix_class(e.prefix)
        if cls == "base-url-required" and base_url is None:  # rule 14
            self.add("PL014", (*ptr, "model"), f"provider {e.prefix!r} requires base_url (model {model!r})",
                     hint=f"add base_url: http(s)://host[:port] of your {e.prefix} endpoint")
        if cls == "custom" and (base_url is None or interface is None):  # rules 15, 16
            missing = " and ".join(k for k, v in (("base_url", base_url), ("provider_interface", interface))
                                   if v is None)
            what = "wildcard model" if e.wildcard else "model"
            self.add("PL015", (*ptr, "model"),
                     f"{e.prefix!r} is not a provider planoai knows, so {what} {model!r} needs {missing}",
                     hint=f"add base_url and provider_interface (one of {', '.join(C.interfaces())}), or use a "
                          f"supported prefix: {C.supported_list()}")
        if cls != "custom" and "provider_interface" in raw and raw["provider_interface"] is not None:  # rule 17
            self.add("PL016", (*ptr, "provider_interface"),
                     f"provider_interface is only for custom prefixes; {e.prefix!r} is a supported provider",
                     key=True, hint=f"remove provider_interface: the prefix of {model!r} already says how to talk "
                                    "to it")
        if not e.wildcard and not e.dup_model:  # rule 18 (a repeated model string is reported once, by 11)
            if e.model_id in keys:
                first, what = keys[e.model_id]
                self.add("PL017", (*ptr, "model"),
                         f"model id {e.model_id!r} of {model!r} is already declared; planoai needs model ids "
                         "unique across providers",
                         hint="clients may send the bare model id, so it must name one entry; keep one of them",
                         related=[self.rel((*first, "model"), f"{e.model_id!r} is the {what} of this entry")])
            else:
                keys[e.model_id] = (ptr, "model id")
        access_key = _s(raw.get("access_key"))
        passthrough = raw.get("passthrough_auth") is True
        if passthrough and access_key:  # rule 19
            self.add("PL018", (*ptr, "access_key"),
                     f"{e.name!r} has passthrough_auth: true, so this access_key is ignored", key=True,
                     hint="remove access_key (the client's Authorization header is forwarded) or passthrough_auth")
        if base_url is not None:  # rule 20
            try:
                scheme = urlsplit(base_url).scheme
            except ValueError:
                scheme = ""
            if scheme not in ("http", "https"):
                self.add("PL019", (*ptr, "base_url"), f"base_url {base_url!r} must start with http:// or https://",
                         hint="write the full URL, e.g. https://api.example.com/v1")
                base_url = None
        if cls == "needs-cluster" and not _s(raw.get("base_url")):
            url = C.prefixes()[e.prefix].get("default_base_url", "")
            self.add("PL029", (*ptr, "model"),
                     f"{e.prefix!r} entries need base_url: without it the gateway routes {model!r} to a cluster "
                     "that does not exist",
                     hint=f"add base_url: {url}")
        if e.wildcard and e.explicit_name and e.name != model:
            self.add("PL031", (*ptr, "name"),
                     f"wildcard {model!r} has the name {e.name!r}: the gateway takes the provider prefix from the "
                     "name, so this entry expands to no models and matches no requests",
                     hint="remove name from wildcard entries")
            e.keep = False
        # auth
        if passthrough:
            e.auth = Auth("passthrough")
            if access_key and C.auth_of_key(access_key)[0].kind == "env":
                e.ignored_key = access_key
        elif access_key:
            e.auth, braced = C.auth_of_key(access_key)
            if braced:
                self.add("PL032", (*ptr, "access_key"),
                         f"access_key {access_key!r}: planoai strips one '$' and looks up the variable "
                         f"'{access_key[1:]}', so `planoai up` fails",
                         hint=f"write access_key: ${e.auth.value}")
        elif e.prefix == "chatgpt":
            e.auth = Auth("passthrough")  # planoai turns passthrough on for chatgpt without a key
        else:
            e.auth = Auth("default")  # no key stated: none is sent
        e.base_url, e.interface = base_url, interface if cls == "custom" else None
        # inline routing preferences
        if "routing_preferences" in raw and raw["routing_preferences"]:
            rp = (*ptr, "routing_preferences")
            if not self.old:
                self.add("PL034", rp, "inline routing_preferences are ignored in a v0.4.0 file", key=True,
                         hint="move them to the top-level routing_preferences list with models: "
                              f"[{model}]")
            elif e.wildcard:
                self.add("PL002", rp, f"wildcard {model!r} cannot carry routing_preferences", key=True,
                         hint="routing preferences need an explicit model; declare one and move them there")
            else:
                self.add("PL024", rp, "inline routing_preferences are deprecated; planoai migrates them to the "
                                      "top-level routing_preferences list", key=True,
                         hint=f"move them to top level with models: [{model}] and set version: v0.4.0")

    def _defaults(self) -> _Entry | None:
        first: _Entry | None = None
        for e in self.entries:
            if not (e.keep and e.parsed and not e.wildcard and e.raw.get("default") is True):
                continue
            if first is None:
                first = e
                continue
            self.add("PL025", (*e.ptr, "default"), f"{e.name!r} is a second default model", key=True,
                     hint="the gateway refuses to start with more than one default: true; keep one",
                     related=[self.rel((*first.ptr, "default"), f"{first.name!r} is the default already", key=True)])
        return first

    # -- lowering of entries ----------------------------------------------------------------------
    def _kept(self) -> list[_Entry]:
        return [e for e in self.entries if e.keep and e.parsed]

    def _providers(self) -> tuple[Provider, ...]:
        configs: dict[tuple[Any, ...], list[_Entry]] = {}
        for e in self._kept():
            headers = tuple((str(k), str(v)) for k, v in _d(e.raw.get("headers")).items())
            cfg = (e.prefix, e.base_url, e.auth, e.interface, _s(e.raw.get("http_host")), headers, e.ignored_key)
            configs.setdefault(cfg, []).append(e)
        ids = C.provider_ids([(cfg[0], cfg[1]) for cfg in configs])
        out = []
        for pid, (cfg, entries) in zip(ids, configs.items()):
            prefix, base_url, auth, interface, http_host, headers, ignored = cfg
            for e in entries:
                e.provider = pid
            extras: dict[str, Any] = {}
            if pid != prefix:
                extras["prefix"] = prefix
            if http_host is not None:
                extras["http_host"] = http_host
            if ignored is not None:
                extras["ignored_access_key"] = ignored
            api = interface if interface else (C.prefix_api(prefix) if C.is_supported(prefix) else "openai")
            out.append(Provider(id=pid, api=api, base_url=base_url, auth=auth, headers=headers,
                                extras={C.FORMAT: extras} if extras else {}, span=self.span(entries[0].ptr)))
        return tuple(out)

    def _models(self) -> tuple[Model, ...]:
        out = []
        for e in self._kept():
            extras: dict[str, Any] = {}
            if e.explicit_name and e.name == e.model:
                extras["explicit_name"] = True
            if "routing_preferences" in e.raw:
                extras["routing_preferences"] = e.raw["routing_preferences"]
            dep = Deployment(provider=e.provider, model_name=e.model_id, span=self.span((*e.ptr, "model")))
            out.append(Model(id=e.name, wildcard=e.wildcard, deployments=(dep,),
                             extras={C.FORMAT: extras} if extras else {}, span=self.span(e.ptr)))
        return tuple(out)

    # -- references -------------------------------------------------------------------------------
    def _index(self) -> None:
        """Lookup tables: what an alias target / route model may say -> the entry."""
        self.alias_keys: dict[str, _Entry] = {}  # planoai's model_name_keys (full model string, model id)
        self.route_keys: dict[str, _Entry] = {}  # plus the entry names
        self.dropped_keys: set[str] = set()  # keys of entries left out of the graph (reported there)
        for e in self.entries:
            if not (e.keep and e.parsed):
                self.dropped_keys.update({e.model, e.name} | ({e.model_id} if e.parsed else set()))
        for e in self._kept():
            if e.wildcard:
                continue
            for k in (e.model, e.model_id):
                self.alias_keys.setdefault(k, e)
                self.route_keys.setdefault(k, e)
        for e in self._kept():
            if not e.wildcard:
                self.route_keys.setdefault(e.name, e)

    def _ref_hint(self, ref: str, keys: list[str]) -> str:
        for e in self._kept():
            if e.wildcard and (ref.startswith(e.prefix + "/") or ref in C.registry_models(e.prefix)):
                full = ref if ref.startswith(e.prefix + "/") else f"{e.prefix}/{ref}"
                return (f"{e.model} serves it at runtime, but planoai accepts only models declared by their own "
                        f"entry: add `- model: {full}` to model_providers")
        close = difflib.get_close_matches(ref, keys, n=1, cutoff=0.6)
        if close:
            return f"did you mean {close[0]!r}?"
        shown = ", ".join(sorted(keys)[:12]) + (", ..." if len(keys) > 12 else "")
        return f"declared models: {shown}" if keys else "declare the model in model_providers first"

    def _aliases(self) -> tuple[Alias, ...]:
        out = []
        aliases = _d(self.data.get("model_aliases"))
        for alias, cfg in aliases.items():
            target = _s(_d(cfg).get("target"))
            if target is None:
                continue
            ptr = ("model_aliases", alias)
            entry = self.alias_keys.get(target)
            if entry is None:
                if target in self.dropped_keys:
                    continue  # the entry itself is in error (reported there)
                named = [e for e in self._kept() if e.explicit_name and e.name == target and not e.wildcard]
                if named:
                    hint = (f"{target!r} is the name of the entry for {named[0].model}; an alias must target its "
                            f"model string {named[0].model!r} or model id {named[0].model_id!r}")
                elif target in aliases:
                    hint = f"aliases cannot point at other aliases; target what {target!r} targets instead"
                else:
                    hint = self._ref_hint(target, sorted(self.alias_keys))
                self.add("PL021", (*ptr, "target"),
                         f"model alias {alias!r} targets {target!r}, which is not a declared model", hint=hint)
                continue
            extras = {C.FORMAT: {"target": target}} if target != entry.model else {}
            out.append(Alias(name=str(alias), target=entry.name, extras=extras, span=self.span(ptr, key=True)))
        return tuple(out)

    def _routes(self) -> tuple[Route, ...]:
        metrics = self._metrics_sources()
        out: list[Route] = []
        seen: dict[str, tuple[Any, ...]] = {}
        for i, item in enumerate(_l(self.data.get("routing_preferences"))):
            if not isinstance(item, dict):
                continue
            ptr = ("routing_preferences", i)
            name = _s(item.get("name"))
            if name is not None and name in seen:  # rule 9
                self.add("PL009", (*ptr, "name"), f"duplicate routing preference name {name!r}",
                         hint="give each routing preference its own name",
                         related=[self.rel((*seen[name], "name"), "first defined here")])
                continue
            if name is None:
                continue
            seen[name] = ptr
            ids, spelled = self._route_models(name, ptr, _l(item.get("models")))
            prefer = _s(_d(item.get("selection_policy")).get("prefer"))
            need = {"cheapest": "cost", "fastest": "latency"}.get(prefer or "")
            if need and need not in metrics:
                self.add("PL027", (*ptr, "selection_policy", "prefer"),
                         f"routing preference {name!r} prefers {prefer} models, but model_metrics_sources has no "
                         f"type: {need} entry", hint=f"add a type: {need} source to model_metrics_sources, or "
                                                     "remove selection_policy")
            extras = {C.FORMAT: {"models": spelled}} if spelled != ids else {}
            out.append(Route(name=name, description=_s(item.get("description")) or "", models=tuple(ids),
                             prefer=prefer, extras=extras, span=self.span(ptr)))
        if self.old:
            out.extend(self._migrated(set(seen)))
        return tuple(out)

    def _route_models(self, route: str, ptr: tuple[Any, ...], models: list[Any]) -> tuple[list[str], list[str]]:
        ids: list[str] = []
        spelled: list[str] = []
        for j, m in enumerate(models):
            if not isinstance(m, str):
                continue
            entry = self.route_keys.get(m)
            if entry is None:
                if m in self.dropped_keys:
                    continue  # its entry is in error (reported there)
                self.add("PL026", (*ptr, "models", j),
                         f"routing preference {route!r} names {m!r}, which no model_providers entry declares; the "
                         "gateway refuses to start", hint=self._ref_hint(m, sorted(self.route_keys)))
                continue
            ids.append(entry.name)
            spelled.append(m)
        return ids, spelled

    def _migrated(self, top_names: set[str]) -> list[Route]:
        """planoai's migrate_inline_routing_preferences (version below v0.4.0)."""
        merged: dict[str, dict[str, Any]] = {}
        for e in self._kept():
            if e.wildcard:
                continue
            for k, pref in enumerate(_l(e.raw.get("routing_preferences"))):
                if not isinstance(pref, dict):
                    continue
                name = pref.get("name")
                if not name or not isinstance(name, str):
                    continue
                desc = pref.get("description", "")
                ptr = (*e.ptr, "routing_preferences", k)
                if name in merged:
                    r = merged[name]
                    if desc and desc != r["description"]:
                        self.add("PL036", (*ptr, "description"),
                                 f"routing preference {name!r} has another description on {e.model!r}; planoai "
                                 "keeps the first one", hint="use one description for one routing preference",
                                 related=[self.rel((*r["ptr"], "description"), "the description kept")])
                    if e.name not in r["ids"]:
                        r["ids"].append(e.name)
                        r["models"].append(e.model)
                else:
                    merged[name] = {"description": desc if isinstance(desc, str) else "", "ids": [e.name],
                                    "models": [e.model], "ptr": ptr}
        out = []
        for name, r in merged.items():
            if name in top_names:
                continue
            extras: dict[str, Any] = {"inline": True}
            if r["models"] != r["ids"]:
                extras["models"] = r["models"]
            out.append(Route(name=name, description=r["description"], models=tuple(r["ids"]),
                             extras={C.FORMAT: extras}, span=self.span(r["ptr"])))
        return out

    def _metrics_sources(self) -> set[str]:
        found: dict[str, tuple[Any, ...]] = {}
        for i, src in enumerate(_l(self.data.get("model_metrics_sources"))):
            kind = _s(_d(src).get("type"))
            if kind not in ("cost", "latency"):
                continue
            ptr = ("model_metrics_sources", i, "type")
            if kind in found:
                self.add("PL028", ptr, f"a second type: {kind} metrics source; the gateway accepts one",
                         hint="keep one cost and at most one latency source",
                         related=[self.rel(found[kind], "the first one")])
            else:
                found[kind] = ptr
        return set(found)

    # -- rules on the other sections -------------------------------------------------------------
    def _listener_rules(self, has_providers: bool) -> None:
        listeners = self.data.get("listeners")
        if isinstance(listeners, dict):  # rule 3
            if not has_providers:
                self.add("PL003", ("listeners",),
                         "the legacy listeners mapping needs model_providers with at least one entry",
                         key=True, hint="add model_providers, or write listeners as a list "
                                        "(- name: llm, type: model, port: 12000)")
            return
        first: tuple[Any, ...] | None = None
        for i, lst in enumerate(_l(listeners)):
            if isinstance(lst, dict) and lst.get("type") == "model":  # rule 4
                if first is None:
                    first = ("listeners", i)
                else:
                    self.add("PL004", ("listeners", i, "type"), "a second listener of type model; planoai allows one",
                             hint="serve every model through one model listener",
                             related=[self.rel((*first, "type"), "the first model listener")])

    def _agent_rules(self) -> set[str]:
        """Rule 5 and the set of cluster names (endpoints + agents/filters with a URL)."""
        ids: dict[Any, tuple[Any, ...]] = {}
        clusters = {str(k) for k in _d(self.data.get("endpoints"))}
        for section in ("agents", "filters"):
            for i, item in enumerate(_l(self.data.get(section))):
                if not isinstance(item, dict):
                    continue
                aid = item.get("id")
                ptr = (section, i, "id")
                if not isinstance(aid, (str, int, float, bool, type(None))):
                    continue  # the schema pass reported it
                if aid in ids:
                    self.add("PL005", ptr, f"duplicate agent/filter id {aid!r}",
                             hint="agents and filters share one id space; give each its own id",
                             related=[self.rel(ids[aid], "first defined here")])
                else:
                    ids[aid] = ptr
                url = _s(item.get("url"))
                if isinstance(aid, str) and aid and url:
                    try:
                        parts = urlsplit(url)
                        if parts.scheme and parts.hostname:
                            clusters.add(aid)
                    except ValueError:
                        pass
        self.filter_ids = {k for k in ids if isinstance(k, str)}
        listeners = self.data.get("listeners")
        for i, lst in enumerate(_l(listeners)):  # rule 21
            if not isinstance(lst, dict):
                continue
            for fld in ("input_filters", "output_filters"):
                for j, fid in enumerate(_l(lst.get(fld))):
                    if not isinstance(fid, str) or fid not in self.filter_ids:
                        avail = ", ".join(sorted(self.filter_ids)) or "none"
                        self.add("PL020", ("listeners", i, fld, j),
                                 f"listener {lst.get('name', 'unknown')!r} names {fld[:-1].replace('_', ' ')} "
                                 f"{fid!r}, which is not defined in agents or filters",
                                 hint=f"defined ids: {avail}")
        return clusters

    def _endpoint_rules(self, clusters: set[str]) -> None:
        for i, pt in enumerate(_l(self.data.get("prompt_targets"))):  # rule 6
            name = _d(_d(pt).get("endpoint")).get("name")
            if name and (not isinstance(name, str) or name not in clusters):
                self.add("PL006", ("prompt_targets", i, "endpoint", "name"),
                         f"prompt target endpoint {name!r} is not defined",
                         hint=self._close(str(name), sorted(clusters), "add it to the endpoints section"))
        agent_ids = self.filter_ids
        for name, ep in _d(self.data.get("endpoints")).items():
            endpoint = _s(_d(ep).get("endpoint"))
            if endpoint is None or name in agent_ids:
                continue
            tokens = endpoint.split(":")
            if len(tokens) > 1:
                try:
                    int(tokens[1])
                except ValueError:
                    self.add("PL023", ("endpoints", name, "endpoint"),
                             f"endpoint {endpoint!r}: {tokens[1]!r} is not a port number (planoai crashes on it)",
                             hint="write host[:port] without a scheme, e.g. host.docker.internal:8000")

    def _close(self, ref: str, keys: list[str], otherwise: str) -> str:
        close = difflib.get_close_matches(ref, keys, n=1, cutoff=0.6)
        return f"did you mean {close[0]!r}?" if close else otherwise

    def _tracing_rules(self) -> None:  # rules 7, 8
        tracing = _d(self.data.get("tracing"))
        value = _s(tracing.get("opentracing_grpc_endpoint"))
        if not value or "$" in value:
            return  # `$VAR`s are expanded from the environment planoai runs in
        ptr = ("tracing", "opentracing_grpc_endpoint")
        try:
            parts = urlsplit(value)
            scheme, path = parts.scheme, parts.path
        except ValueError:
            scheme, path = "", ""
        if scheme != "http":
            self.add("PL007", ptr, f"opentracing_grpc_endpoint {value!r} must be an http:// URL",
                     hint="write http://host:port, e.g. http://localhost:4317")
        elif path and path != "/":
            self.add("PL008", ptr, f"opentracing_grpc_endpoint {value!r} must not have a path ({path!r})",
                     hint="write only http://host:port")

    def _orchestrator_rule(self, clusters: set[str]) -> None:  # rule 23
        overrides = _d(self.data.get("overrides"))
        if overrides.get("use_agent_orchestrator") is not True:
            return
        n = len(clusters)
        if n == 1:
            return
        msg = ("use_agent_orchestrator needs the orchestrator in the endpoints section, and there is none"
               if n == 0 else f"use_agent_orchestrator needs exactly one endpoint, found {n} "
                              "(endpoints plus agents and filters with a URL)")
        self.add("PL022", ("overrides", "use_agent_orchestrator"), msg,
                 hint="define the agent orchestrator as the only endpoint")
