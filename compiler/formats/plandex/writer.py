"""Write a graph as a Plandex custom models file, laid out the way Plandex writes it.

Layout (formats/plandex.md §6): `$schema`, `models`, `providers`, `modelPacks` (empty arrays
left out); Plandex's key order inside models, providers and packs; every pack carries the
inline-pack `$schema`; a role is a bare model id when it has nothing else, else an object
with sorted keys; 2-space indent. Unlike Plandex we end the file with a newline and do not
HTML-escape `&<>` (Go reads both forms the same).

What is written (decisions, see also the README):
- Built-in Plandex nodes (builtin="plandex") are not written: Plandex has them. Another tool's
  built-in provider that *is* a Plandex built-in (same id, one of the ids Plandex's schema
  accepts, same or no endpoint, compatible auth; e.g. Codex's `openai`) is referenced as that
  built-in; every provider a source declares itself is written as a custom provider
  (`"provider": "custom"` + customProvider), even when named like a built-in.
- Auth: env -> apiKeyEnvVar; none -> skipAuth: true; Plandex extraAuthVars are kept. Plandex
  reads keys only from env vars, so secret/command/passthrough/literal/unstated auth on a
  remote endpoint becomes apiKeyEnvVar `<PROVIDER>_API_KEY` with LS010 (loopback endpoints with
  unstated auth get skipAuth: true, also LS010).
- Required model fields: maxTokens (context_window), maxOutputTokens and defaultMaxConvoTokens
  must be in the graph, else LS015 (error) and the model is left out. reservedOutputTokens
  defaults to maxOutputTokens (what Plandex's own built-ins do when nothing is reserved apart);
  preferredOutputFormat defaults to "xml" (Plandex's choice for every non-OpenAI model).
- A custom model may not reuse a built-in model id and a custom pack not a built-in pack name:
  they are renamed `<id>-custom` (LS013) and references follow.
- A set becomes a pack only if it binds every role Plandex requires (planner, summarizer,
  builder, names, commitMessages, autoContinue); otherwise it is left out with LS004 naming
  the missing roles — modelcc does not guess which model should fill them. Roles Plandex has
  no counterpart for (reviewer, tester, documenter, default) are dropped with LS003.
- Costs (LS011), aliases (LS005), routes (LS006), headers/query params (LS002), other tools'
  extras (LS012), fallback kinds Plandex lacks (LS007) are reported and dropped.
`Emitted.expected` is the graph the reader gives for the emitted document (`reader.lower`).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from compiler.context import Emitted, WriteContext
from compiler.diagnostics import Span, diag
from compiler.emit import env_name_for
from compiler.formats.plandex.catalog import FALLBACK_KEYS, FLAG_KEYS, PACK_SCHEMA_URL, SCHEMA_URL, catalog
from compiler.formats.plandex.reader import lower
from compiler.ir import NOSPAN, AssignmentSet, Graph, Model, Provider, RoleBinding
from compiler.render import render
from compiler.roles import from_canonical

FILENAME = "custom-models.json"
TEMPLATE = "plandex/models.json.j2"

# hosts of the upstream services behind Plandex's built-in providers (identity check)
_KNOWN_HOSTS: dict[str, tuple[str, ...]] = {
    "openai": ("api.openai.com",),
    "openrouter": ("openrouter.ai",),
    "anthropic": ("api.anthropic.com",),
    "google-ai-studio": ("generativelanguage.googleapis.com",),
    "google-vertex": ("aiplatform.googleapis.com",),
    "azure-openai": ("openai.azure.com",),
    "deepseek": ("api.deepseek.com",),
    "perplexity": ("api.perplexity.ai",),
}
_LOOPBACK = ("localhost", "127.0.0.1", "::1", "0.0.0.0")
_MODEL_SETTINGS = {"output_format", "image_support", "reasoning_effort"}
_ROLE_SETTINGS = {"temperature": "temperature", "top_p": "topP", "reserved_output_tokens": "reservedOutputTokens",
                  "max_convo_tokens": "maxConvoTokens"}
_INT_ROLE_SETTINGS = {"reserved_output_tokens", "max_convo_tokens"}
_SET_WORD = {"pack": "model pack", "profile": "profile", "assignment": "assignment", "default": "default set"}


def write(graph: Graph, ctx: WriteContext) -> Emitted:
    doc = build(graph, ctx)
    return Emitted(files=[(ctx.output_name or FILENAME, _render(doc))], expected=expected_graph(doc))


def update(existing_text: str, graph: Graph, ctx: WriteContext) -> str:
    """Plandex's file is wholly model config, so updating it means generating it again.

    What is kept from the existing file: its top-level `$schema` value, the order of its
    top-level keys, and the key order of each model, provider and pack that is still there
    (matched by modelId / name). Comments cannot be kept: Plandex's file is strict JSON.
    """
    doc = build(graph, ctx)
    try:
        old = json.loads(existing_text)
    except ValueError:
        return _render(doc)
    if not isinstance(old, dict):
        return _render(doc)
    if isinstance(old.get("$schema"), str):
        doc["$schema"] = old["$schema"]
    for section, key in (("models", "modelId"), ("providers", "name"), ("modelPacks", "name")):
        if section in doc and isinstance(old.get(section), list):
            orders = {o[key]: list(o) for o in old[section] if isinstance(o, dict) and isinstance(o.get(key), str)}
            doc[section] = [_reorder(item, orders.get(item[key])) for item in doc[section]]
    order = [k for k in old if k in doc]
    doc = {**{k: doc[k] for k in order}, **{k: v for k, v in doc.items() if k not in order}}
    return _render(doc)


def _reorder(item: dict[str, Any], order: list[str] | None) -> dict[str, Any]:
    if not order:
        return item
    keys = [k for k in order if k in item] + [k for k in item if k not in order]
    return {k: item[k] for k in keys}


def _render(doc: dict[str, Any]) -> str:
    return render(TEMPLATE, sections=list(doc.items()))


def expected_graph(doc: dict[str, Any]) -> Graph:
    return lower({k: v for k, v in doc.items() if k != "$schema"})


# --- the document ---------------------------------------------------------------------------------

def _go_number(v: Any) -> Any:
    """Go writes integral float32/float64 values without a fraction (1.0 -> 1)."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


def _host(url: str | None) -> str:
    try:
        return (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""


class _Builder:
    def __init__(self, graph: Graph, ctx: WriteContext):
        self.g = graph
        self.ctx = ctx
        self.cat = catalog()
        self.loss = ctx.sink.append
        self.dropped: set[str] = set()  # ids of graph models that were not written

    # -- providers ---------------------------------------------------------------------------------
    def builtin_identity(self, p: Provider) -> bool:
        """Is this provider one of Plandex's built-ins that a models file may name directly?"""
        if p.id not in self.cat.schema_enum:
            return False
        if p.builtin == "plandex":
            return True
        if p.builtin is None:
            return False  # a provider the source declares itself stays a custom provider (fixed point)
        if p.headers or p.env_headers or p.query_params:
            return False
        host = _host(p.base_url)
        if p.base_url is not None and p.base_url != self.cat.providers[p.id]["baseUrl"] and \
                not any(host == h or host.endswith("." + h) for h in _KNOWN_HOSTS.get(p.id, ())):
            return False
        want = self.cat.providers[p.id].get("apiKeyEnvVar")
        return p.auth.kind == "default" or (p.auth.kind == "env" and p.auth.value == want)

    def provider_entry(self, p: Provider) -> dict[str, Any] | None:
        if not p.id:
            self.loss(diag("LS015", p.span, "provider with an empty id: Plandex needs a provider name; "
                                            "the provider is left out"))
            return None
        plx = p.extras.get("plandex") or {}
        base = p.base_url
        if base is None and p.builtin == "plandex":
            base = plx.get("baseUrl")
        if not base:
            self.loss(diag("LS015", p.span, f"provider {p.id}: Plandex requires baseUrl, which the graph does not "
                                            "have; the provider is left out",
                           hint="state the provider's base URL in the source"))
            return None
        if p.api != "openai" and p.builtin != "plandex":
            self.loss(diag("LS009", p.span, f"provider {p.id}: Plandex custom providers speak the OpenAI API, "
                                            f"not {p.api}; written as an OpenAI-compatible provider",
                           hint="point baseUrl at an OpenAI-compatible endpoint (e.g. a LiteLLM proxy)"))
        if p.name and p.name != p.id:
            self.loss(diag("LS002", p.span, f"provider {p.id}: display name {p.name!r} has no place in Plandex"))
        if p.headers or p.env_headers:
            names = ", ".join(k for k, _ in (*p.headers, *p.env_headers))
            self.loss(diag("LS002", p.span, f"provider {p.id}: Plandex cannot send extra HTTP headers ({names}); "
                                            "they are dropped"))
        if p.query_params:
            names = ", ".join(k for k, _ in p.query_params)
            self.loss(diag("LS002", p.span, f"provider {p.id}: Plandex cannot add query parameters ({names}); "
                                            "they are dropped"))
        self.other_extras(p.extras, p.span, f"provider {p.id}")
        out: dict[str, Any] = {"name": p.id, "baseUrl": base}
        eav = [dict(v) for v in plx.get("extraAuthVars") or []]
        kind = p.auth.kind
        if kind == "env" and p.auth.value:
            if plx.get("skipAuth"):
                out["skipAuth"] = True
            out["apiKeyEnvVar"] = p.auth.value
        elif kind == "none":
            out["skipAuth"] = True
        elif kind == "default" and eav:
            pass
        elif kind == "default" and _host(base) in _LOOPBACK:
            out["skipAuth"] = True
            self.loss(diag("LS010", p.span, f"provider {p.id}: no authentication is stated; Plandex needs one, so "
                                            "this local endpoint is written with skipAuth: true"))
        else:
            env = env_name_for(p.id)
            what = {"default": "no authentication is stated", "secret": f"the key is a secret reference ({p.auth.value})",
                    "command": "the key comes from a command", "passthrough": "the client's key is passed through",
                    "literal": "the key is written literally", "env": "the env var name is empty"}.get(kind, kind)
            out["apiKeyEnvVar"] = env
            self.loss(diag("LS010", p.span, f"provider {p.id}: {what}, but Plandex reads keys only from env vars; "
                                            f"written as apiKeyEnvVar {env}",
                           hint=f"export {env}=<key> where Plandex runs"))
        if eav:
            out["extraAuthVars"] = eav
        return out

    # -- models ------------------------------------------------------------------------------------
    def model_entry(self, m: Model, new_id: str, refs: dict[str, tuple[str, str] | None]) -> dict[str, Any] | None:
        plx = m.extras.get("plandex") or {}
        label = f"model {m.id}"
        missing = []
        if m.context_window is None:
            missing.append("maxTokens (the context window)")
        if m.max_output_tokens is None and m.reserved_output_tokens is None:
            missing.append("maxOutputTokens")
        if not isinstance(plx.get("defaultMaxConvoTokens"), int):
            missing.append("defaultMaxConvoTokens (when Plandex starts summarizing)")
        entries = []
        for d in m.deployments:
            e = self.deployment_entry(m, d, refs)
            if e is not None:
                entries.append(e)
        if not entries:
            missing.append("providers (at least one deployment)")
        if missing:
            self.loss(diag("LS015", m.span, f"{label}: Plandex requires {', '.join(missing)}, which the graph does "
                                            "not have; the model is left out",
                           hint="state the missing values in the source (a modelcc IR file can carry "
                                "extras.plandex.defaultMaxConvoTokens)"))
            return None
        max_out = m.max_output_tokens if m.max_output_tokens is not None else m.reserved_output_tokens
        reserved = m.reserved_output_tokens if m.reserved_output_tokens is not None else max_out
        fmt = m.settings.get("output_format")
        if fmt not in ("xml", "tool-call-json"):
            if fmt is not None:
                self.loss(diag("LS016", m.span, f"{label}: output format {fmt!r} is not one Plandex knows; "
                                                "written as preferredOutputFormat \"xml\""))
            fmt = "xml"
        description = m.description
        if m.display_name and not description:
            description = m.display_name
        elif m.display_name and m.display_name != description:
            self.loss(diag("LS002", m.span, f"{label}: display name {m.display_name!r} has no place in Plandex "
                                            "(description is kept)"))
        if m.cost is not None:
            self.loss(diag("LS011", m.span, f"{label}: Plandex has no field for prices; the cost is dropped"))
        other = sorted(k for k in m.settings if k not in _MODEL_SETTINGS)
        if other:
            self.loss(diag("LS016", m.span, f"{label}: Plandex has no model-level {', '.join(other)}; dropped",
                           hint="Plandex sets temperature/topP per role in a pack"))
        self.other_extras(m.extras, m.span, label)
        out: dict[str, Any] = {
            "modelId": new_id,
            "publisher": m.publisher or "",
            "description": description or "",
            "defaultMaxConvoTokens": plx["defaultMaxConvoTokens"],
            "maxTokens": m.context_window,
            "maxOutputTokens": max_out,
            "reservedOutputTokens": reserved,
            "preferredOutputFormat": fmt,
        }
        effort = m.settings.get("reasoning_effort")
        if effort is not None and effort not in ("low", "medium", "high"):
            self.loss(diag("LS016", m.span, f"{label}: reasoning effort {effort!r} is not low/medium/high; dropped"))
            effort = None
        for k in FLAG_KEYS:
            if k == "reasoningEffortEnabled" and effort is not None:
                out[k] = True  # Plandex sends reasoningEffort only when this is on
                out["reasoningEffort"] = effort
                continue
            v = plx.get(k)
            if v:
                out[k] = _go_number(v)
        out["hasImageSupport"] = m.settings.get("image_support") is True
        out["providers"] = entries
        return out

    def deployment_entry(self, m: Model, d: Any, refs: dict[str, tuple[str, str] | None]) -> dict[str, Any] | None:
        if d.deployment_name:
            self.loss(diag("LS002", d.span or m.span, f"model {m.id}: Azure deployment name {d.deployment_name!r} "
                                                      "has no place in Plandex; dropped"))
        self.other_extras(d.extras, d.span, f"model {m.id} on {d.provider}")
        if (d.extras.get("plandex") or {}).get("builtinProvider") and d.provider in self.cat.schema_enum:
            return {"provider": d.provider, "modelName": d.model_name}
        if d.provider in refs:
            ref = refs[d.provider]
        elif d.provider in self.cat.schema_enum:
            ref = ("builtin", d.provider)  # not in the graph: Plandex's own provider of that id
        else:
            ref = ("custom", d.provider)  # dangling in the source too (RF001)
        if ref is None:
            self.loss(diag("LS008", d.span if d.span is not NOSPAN else m.span,
                           f"model {m.id}: deployment on provider {d.provider} is dropped (the provider cannot be "
                           "written for Plandex)"))
            return None
        kind, name = ref
        if kind == "builtin":
            return {"provider": name, "modelName": d.model_name}
        return {"provider": "custom", "customProvider": name, "modelName": d.model_name}

    # -- packs -------------------------------------------------------------------------------------
    def pack_entry(self, s: AssignmentSet, name: str, ids: dict[str, str]) -> dict[str, Any] | None:
        label = f"{_SET_WORD.get(s.kind, s.kind)} {s.id}"
        roles: dict[str, tuple[RoleBinding, Any]] = {}
        notes = []  # losses of single bindings, reported only if the set is written at all
        for b in s.bindings:
            key = from_canonical("plandex", b.role)
            at = b.span if b.span is not NOSPAN else s.span
            if key is None:
                notes.append(diag("LS003", at, f"{label}: Plandex has no {b.role} role; the binding to {b.model} "
                                               "is dropped"))
            elif b.model == "auto":
                notes.append(diag("LS003", at, f"{label}: role {b.role} uses automatic model choice, which Plandex "
                                               "does not have; dropped"))
            elif key in roles:
                notes.append(diag("LS003", at, f"{label}: role {b.role} is bound twice; Plandex keeps one model per "
                                               f"role, the binding to {b.model} is dropped"))
            elif b.model in self.dropped:
                notes.append(diag("LS003", at, f"{label}: role {b.role} uses model {b.model}, which could not be "
                                               "written for Plandex; the binding is dropped"))
            else:
                roles[key] = (b, None)
        missing = [k for k in self.cat.required_roles if k not in roles]
        if missing:
            self.loss(diag("LS004", s.span, f"{label}: a Plandex pack needs the roles {', '.join(missing)}, which "
                                            "this set does not bind (to a model that could be written); the set "
                                            "is left out",
                           hint="bind those roles in the source; modelcc does not guess which model fills them"))
            return None
        for n in notes:
            self.loss(n)
        self.other_extras(s.extras, s.span, label)
        out: dict[str, Any] = {"name": name, "description": s.description or "", "$schema": PACK_SCHEMA_URL}
        local = (s.extras.get("plandex") or {}).get("localProvider")
        if isinstance(local, str):
            out["localProvider"] = local
        for key in ("planner", "architect", "coder", "summarizer", "builder", "wholeFileBuilder", "names",
                    "commitMessages", "autoContinue"):
            if key in roles:
                out[key] = self.role_value(roles[key][0], ids, label)
        return out

    def role_value(self, b: RoleBinding, ids: dict[str, str], label: str) -> Any:
        obj: dict[str, Any] = {"modelId": ids.get(b.model, b.model)}
        where = b.span if b.span is not NOSPAN else NOSPAN
        for k, v in b.settings.items():
            key = _ROLE_SETTINGS.get(k)
            ok = isinstance(v, (int, float)) and not isinstance(v, bool)
            if ok and k in _INT_ROLE_SETTINGS:
                ok = float(v).is_integer()
            if key is None or not ok:
                self.loss(diag("LS016", where, f"{label}, role {b.role}: Plandex has no role setting {k} = {v!r}; "
                                               "dropped"))
                continue
            obj[key] = _go_number(v)
        kinds = dict((kind, key) for key, kind in FALLBACK_KEYS)
        for f in b.fallbacks:
            key = kinds.get(f.kind)
            if f.binding.model in self.dropped:
                self.loss(diag("LS007", f.span if f.span is not NOSPAN else where,
                               f"{label}, role {b.role}: the {f.kind} fallback uses model {f.binding.model}, which "
                               "could not be written for Plandex; dropped"))
                continue
            if key is None or key in obj:
                self.loss(diag("LS007", f.span if f.span is not NOSPAN else where,
                               f"{label}, role {b.role}: Plandex has no {f.kind!r} fallback (or has one already); "
                               f"the fallback to {f.binding.model} is dropped"))
                continue
            obj[key] = self.role_value(f.binding, ids, label)
        self.other_extras(b.extras, where, f"{label}, role {b.role}")
        if len(obj) == 1:
            return obj["modelId"]
        return {k: obj[k] for k in sorted(obj)}  # Plandex keeps roles in a Go map: sorted keys

    # -- the rest ----------------------------------------------------------------------------------
    def other_extras(self, extras: dict[str, Any], span: Span, label: str) -> None:
        for fmt in sorted(extras):
            if fmt != "plandex" and extras[fmt]:
                keys = ", ".join(sorted(extras[fmt])) if isinstance(extras[fmt], dict) else fmt
                self.loss(diag("LS012", span, f"{label}: {fmt} settings ({keys}) have no place in Plandex; dropped"))

    def build(self) -> dict[str, Any]:
        g, cat = self.g, self.cat
        # providers: built-in by identity, custom, or dropped
        refs: dict[str, tuple[str, str] | None] = {}
        providers: list[dict[str, Any]] = []
        for p in g.providers:
            if p.id in refs:
                continue  # a duplicate id (UQ001 in the source): the first one wins
            if self.builtin_identity(p):
                refs[p.id] = ("builtin", p.id)
                continue
            if p.builtin == "plandex":
                refs[p.id] = None  # a Plandex built-in the file format cannot name (ollama, aws-bedrock, ...)
                continue
            entry = self.provider_entry(p)
            refs[p.id] = ("custom", entry["name"]) if entry else None
            if entry is not None and (p.builtin is None or self._used(p.id)):
                providers.append(entry)
        # model ids: built-in ids cannot be reused
        taken = {m.id for m in g.models} | set(cat.models)
        ids: dict[str, str] = {}
        models: list[dict[str, Any]] = []
        for m in g.models:
            if m.builtin == "plandex" and m.id in cat.models:
                continue
            if m.wildcard:
                self.loss(diag("LS014", m.span, f"model {m.id}: Plandex has no wildcard models; dropped"))
                self.dropped.add(m.id)
                continue
            new_id = m.id
            if m.id in cat.models:
                new_id = _fresh(f"{m.id}-custom", taken)
                taken.add(new_id)
                self.loss(diag("LS013", m.span, f"model {m.id}: {m.id!r} is a built-in Plandex model id, which a "
                                                f"custom model may not reuse; written as {new_id!r}",
                               hint="packs that used it refer to the new id"))
            ids.setdefault(m.id, new_id)
            entry = self.model_entry(m, new_id, refs)
            if entry is not None:
                models.append(entry)
            else:
                self.dropped.add(m.id)
        written_ids = {e["modelId"] for e in models}
        self.dropped -= {m.id for m in g.models if m.id in ids and ids[m.id] in written_ids}
        # packs
        packs: list[dict[str, Any]] = []
        names = {s.id for s in g.assignment_sets} | set(cat.packs)
        for s in g.assignment_sets:
            if s.builtin == "plandex":
                continue
            name = s.id
            if not name:
                self.loss(diag("LS015", s.span, f"{_SET_WORD.get(s.kind, s.kind)} with an empty name: Plandex "
                                                "needs a pack name; left out"))
                continue
            if name in cat.packs:
                name = _fresh(f"{s.id}-custom", names)
                names.add(name)
                self.loss(diag("LS013", s.span, f"{_SET_WORD.get(s.kind, s.kind)} {s.id}: {s.id!r} is a built-in "
                                                f"Plandex pack name; written as {name!r}"))
            entry = self.pack_entry(s, name, ids)
            if entry is not None:
                packs.append(entry)
        for a in g.aliases:
            self.loss(diag("LS005", a.span, f"alias {a.name} -> {a.target}: Plandex has no model aliases; dropped",
                           hint="packs refer to models by modelId"))
        for r in g.routes:
            self.loss(diag("LS006", r.span, f"routing preference {r.name}: Plandex has no request routing; dropped",
                           hint="Plandex chooses models per role in a pack"))
        where = Span.file(g.sources[0][1]) if g.sources else NOSPAN
        self.other_extras(g.extras, where, "file")
        doc: dict[str, Any] = {"$schema": SCHEMA_URL}
        if models:
            doc["models"] = models
        if providers:
            doc["providers"] = providers
        if packs:
            doc["modelPacks"] = packs
        return doc

    def _used(self, pid: str) -> bool:
        return any(d.provider == pid for m in self.g.models if m.builtin != "plandex" for d in m.deployments)


def _fresh(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def build(graph: Graph, ctx: WriteContext) -> dict[str, Any]:
    """The Plandex document (a dict in Plandex's key order) for `graph`; losses go to ctx.sink."""
    return _Builder(graph, ctx).build()


__all__ = ["write", "update", "build", "expected_graph"]
