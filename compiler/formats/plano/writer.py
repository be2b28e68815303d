"""Write a Plano `plano_config.yaml` (formats/plano.md section 10), or update the model sections of one.

Steps: project the graph onto what Plano can say (losses reported as LS* at the span of the
dropped fact), build the file's plain data, lay it out with `targets/plano/plano_config.yaml.j2`.
`Emitted.expected` is the reader's lowering of that same data, so the self-check proves that the
text reads back as the data the writer meant.

Provider -> model prefix. A provider read from Plano keeps its prefix (`extras.plano.prefix`, or
its id). Otherwise: a provider whose id is a supported prefix (openai, groq, openrouter, ...) and
whose api matches it (or is OpenAI-compatible for an OpenAI-compatible prefix) uses it; a
provider whose api names a supported prefix (anthropic, gemini, azure-openai -> azure_openai,
bedrock -> amazon_bedrock, ollama, groq, mistral, ...) uses that prefix with its base_url; any
other OpenAI-compatible provider (a custom endpoint from Plandex, VS Code or Codex) becomes a
custom prefix named after the provider id (characters other than letters, digits, `_`, `.`,
`-` replaced by `_`; `-custom` appended if that is a supported prefix) with `base_url` and
`provider_interface: openai` (or its api, if that is a Plano interface). Since Plano names
providers by prefix, a provider can come back under another id (LS013).

Auth: env -> `access_key: $VAR`; passthrough -> `passthrough_auth: true`; secret and command
auth cannot be written (Plano reads access_key as an env var name): LS010, no key. A literal key
(only reaching the writer with --allow-literal-secrets, which `compiler.emit.secure` honours) is
written as given then; without that flag it becomes `$<PROVIDER>_API_KEY` with LS010.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from compiler.context import Emitted, WriteContext
from compiler.diagnostics import Span, diag
from compiler.emit import env_name_for
from compiler.formats.plano import common as C
from compiler.formats.plano.reader import lower
from compiler.ir import NOSPAN, Graph, Model, Provider
from compiler.render import render

TEMPLATE = "plano/plano_config.yaml.j2"
FILENAME = "plano_config.yaml"

# IR api -> the supported Plano prefix that speaks it
_API_PREFIX = {"anthropic": "anthropic", "gemini": "gemini", "azure-openai": "azure_openai",
               "ollama": "ollama", "bedrock": "amazon_bedrock"}
# supported prefixes whose model ids name other vendors' models (openrouter/anthropic/claude-...)
_AGGREGATORS = {"openrouter", "together_ai", "vercel", "edenai", "digitalocean", "chatgpt", "plano"}
# supported prefixes that do not speak the OpenAI chat API
_NOT_OPENAI = {"anthropic", "gemini", "azure_openai", "amazon_bedrock", "chatgpt"}


@dataclass(frozen=True)
class _Plan:
    prefix: str | None  # None: the provider cannot be written (reason given)
    interface: str | None = None
    base_url: str | None = None
    reason: str = ""


def write(graph: Graph, ctx: WriteContext) -> Emitted:
    data = build(graph, ctx)
    text = render_data(data, header=True)
    expected, _ = lower(data)
    return Emitted(files=[(ctx.output_name or FILENAME, text)], expected=expected)


def render_data(data: dict[str, Any], *, header: bool) -> str:
    return render(TEMPLATE, header=header, blocks=_blocks(data))


def _blocks(data: dict[str, Any]) -> list[dict[str, Any]]:
    kinds = {"version": "version", "model_providers": "providers", "llm_providers": "providers",
             "model_aliases": "aliases", "routing_preferences": "routes"}
    return [{"kind": kinds.get(k, "section"), "key": k, "value": v} for k, v in data.items()]


def _sanitize(pid: str) -> str:
    s = re.sub(r"[^A-Za-z0-9_.-]+", "_", pid).strip("_") or "custom"
    return f"{s}-custom" if C.is_supported(s) else s


def _span(*spans: Span | None) -> Span:
    for s in spans:
        if s is not None and s is not NOSPAN:
            return s
    return NOSPAN


class _Writer:
    def __init__(self, graph: Graph, ctx: WriteContext) -> None:
        self.g = graph
        self.ctx = ctx
        self.plans: dict[str, _Plan] = {}
        self.reported: set[tuple[str, str]] = set()
        self.file_span = Span.file(graph.sources[0][1]) if graph.sources else NOSPAN

    def resolve(self, ref: str) -> Model | None:
        """A model reference as the generic checks read it: a Model id, or a deployment's bare name."""
        m = self.g.model(ref)
        if m is not None:
            return m
        for m in self.g.models:
            if not m.wildcard and any(d.model_name == ref for d in m.deployments):
                return m
        return None

    def loss(self, code: str, span: Span | None, msg: str, hint: str | None = None) -> None:
        self.ctx.sink.append(diag(code, _span(span, self.file_span), msg, hint=hint))

    # -- providers -----------------------------------------------------------------------------
    def plan(self, p: Provider) -> _Plan:
        if p.id not in self.plans:
            self.plans[p.id] = self._plan(p)
            self._provider_losses(p)
        return self.plans[p.id]

    def _plan(self, p: Provider) -> _Plan:
        ex = p.extras.get(C.FORMAT) or {}
        prefix = ex.get("prefix")
        if prefix is None:
            if C.is_supported(p.id) and (p.api == C.prefix_api(p.id) or
                                         p.api == "openai" and p.id not in _NOT_OPENAI):
                prefix = p.id
            elif p.api in C.interfaces() and p.base_url and _sanitize(p.id) == p.id:
                prefix = p.id  # a custom prefix (also every custom provider read from Plano)
            elif p.api in _API_PREFIX:
                prefix = _API_PREFIX[p.api]
            elif C.is_supported(p.api) and p.api != "openai":
                prefix = p.api
            elif p.api == "openai" or p.api in C.interfaces():
                prefix = _sanitize(p.id)
            else:
                self.loss("LS009", p.span, f"provider {p.id}: Plano cannot talk to the {p.api} API; its models "
                                           "are left out", hint="Plano speaks: " + C.supported_list())
                return _Plan(None, reason="api")
        cls = C.prefix_class(prefix)
        base_url = p.base_url
        if base_url is not None:
            try:
                scheme = urlsplit(base_url).scheme
            except ValueError:
                scheme = ""
            if scheme not in ("http", "https"):
                self.loss("LS002", p.span, f"provider {p.id}: base_url {base_url!r} is not an http(s) URL; "
                                           "Plano cannot use it")
                base_url = None
        if base_url is None and cls == "needs-cluster":
            base_url = C.prefixes()[prefix]["default_base_url"]
        if base_url is None and cls in ("custom", "base-url-required"):
            self.loss("LS015", p.span, f"provider {p.id}: Plano needs a base_url for {prefix!r} models, and "
                                       "the provider has none; its models are left out",
                      hint="give the provider a base_url")
            return _Plan(None, reason="base_url")
        interface = None
        if cls == "custom":
            interface = p.api if p.api in C.interfaces() else "openai"
        return _Plan(prefix, interface, base_url)

    def _provider_losses(self, p: Provider) -> None:
        if p.name:
            self.loss("LS002", p.span, f"provider {p.id}: the display name {p.name!r} has no place in Plano")
        for h, var in p.env_headers:
            self.loss("LS002", p.span, f"provider {p.id}: header {h} from env var {var} cannot be written in "
                                       "Plano (header values are literal)")
        if p.query_params:
            self.loss("LS002", p.span, f"provider {p.id}: query parameters "
                                       f"{', '.join(k for k, _ in p.query_params)} cannot be written in Plano")
        if p.auth.kind in ("secret", "command"):
            self.loss("LS010", p.span, f"provider {p.id}: {p.auth.describe()} cannot be written in Plano, which "
                                       "reads the key from an env var; no access_key is written",
                      hint=f"export the key as an env var and set access_key: ${env_name_for(p.id)}")
        elif p.auth.kind == "literal" and not self.ctx.allow_literal_secrets:
            self.loss("LS010", p.span, f"provider {p.id}: Plano reads access_key as an env var name, so a literal "
                                       f"key cannot be written; access_key: ${env_name_for(p.id)} is written instead",
                      hint=f"export {env_name_for(p.id)}=<key> where the gateway runs")
        self._foreign(p.extras, p.span, f"provider {p.id}")

    def _foreign(self, extras: dict[str, Any], span: Span | None, what: str) -> None:
        for fmt, value in extras.items():
            if fmt == C.FORMAT or not value:
                continue
            keys = ", ".join(sorted(value)) if isinstance(value, dict) else str(value)
            self.loss("LS012", span, f"{what}: {fmt} settings ({keys}) have no place in Plano")

    def auth_fields(self, p: Provider, plan: _Plan | None = None) -> dict[str, Any]:
        ex = p.extras.get(C.FORMAT) or {}
        a = p.auth
        if a.kind == "env" and a.value:
            return {"access_key": f"${a.value}"}
        if a.kind == "passthrough":
            out: dict[str, Any] = {}
            if ex.get("ignored_access_key"):
                out["access_key"] = ex["ignored_access_key"]
            if out or not (plan and plan.prefix == "chatgpt"):  # planoai turns it on for chatgpt without a key
                out["passthrough_auth"] = True
            return out
        if a.kind == "literal":
            if self.ctx.allow_literal_secrets and a.value:  # --allow-literal-secrets: written as given
                return {"access_key": a.value}
            return {"access_key": f"${env_name_for(p.id)}"}
        return {}

    # -- models ----------------------------------------------------------------------------------
    def entries(self, default_model: str | None) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """model_providers entries and, per written Model id, its model string."""
        out: list[dict[str, Any]] = []
        written: dict[str, str] = {}
        keys: dict[str, str] = {}
        for m in self.g.models:
            entry = self.entry(m, keys, default_model)
            if entry is not None:
                out.append(entry)
                written[m.id] = entry["model"]
        return out, written

    def entry(self, m: Model, keys: dict[str, str], default_model: str | None) -> dict[str, Any] | None:
        if not m.deployments:
            self.loss("LS015", m.span, f"model {m.id}: no provider serves it, so Plano cannot declare it")
            return None
        dep = m.deployments[0]
        for extra in m.deployments[1:]:
            self.loss("LS008", _span(extra.span, m.span),
                      f"model {m.id}: Plano serves a model from one provider; the deployment on {extra.provider} "
                      "is left out", hint="declare it as a model of its own to keep it")
        p = self.g.provider(dep.provider)
        if p is None:
            self.loss("LS015", m.span, f"model {m.id}: provider {dep.provider} is not defined; the model is left out")
            return None
        plan = self.plan(p)
        if plan.prefix is None:
            return None
        model_id = "*" if m.wildcard else dep.model_name
        if plan.interface is None and plan.prefix not in _AGGREGATORS and model_id.startswith(plan.prefix + "/"):
            model_id = model_id[len(plan.prefix) + 1:]  # a LiteLLM-style name (anthropic/claude-...)
        if not model_id.strip():
            self.loss("LS015", m.span, f"model {m.id}: the provider-side model name is empty")
            return None
        model = f"{plan.prefix}/{model_id}"
        if not m.wildcard:
            for k, _what in ((model, "model string"), (model_id, "model id")):
                if k in keys:
                    self.loss("LS002", m.span, f"model {m.id}: Plano needs model strings and model ids unique "
                                               f"across entries, and {k!r} is already the {keys[k]}; the model "
                                               "is left out")
                    return None
            keys[model], keys[model_id] = f"model string of {model}", f"model id of {model}"
        self.model_losses(m, dep)
        entry: dict[str, Any] = {"model": model}
        ex = m.extras.get(C.FORMAT) or {}
        if m.wildcard:
            if m.id != model:
                self.loss("LS013", m.span, f"wildcard model {m.id} is written as {model} (Plano wildcards have "
                                           "no name of their own)")
        elif m.id != model or ex.get("explicit_name"):
            entry["name"] = m.id
        entry.update(self.auth_fields(p, plan))
        if plan.base_url is not None:
            entry["base_url"] = plan.base_url
        pex = p.extras.get(C.FORMAT) or {}
        if pex.get("http_host") is not None:
            entry["http_host"] = pex["http_host"]
        if plan.interface is not None:
            entry["provider_interface"] = plan.interface
        if p.headers:
            entry["headers"] = {k: v for k, v in p.headers}
        if default_model is not None and m.id == default_model and not m.wildcard:
            entry["default"] = True
        if "routing_preferences" in ex:
            entry["routing_preferences"] = ex["routing_preferences"]
        return entry

    def model_losses(self, m: Model, dep: Any) -> None:
        for fld in ("display_name", "description", "publisher"):
            if getattr(m, fld):
                self.loss("LS002", m.span, f"model {m.id}: {fld.replace('_', ' ')} has no place in Plano")
        limits = [f for f in ("context_window", "max_output_tokens", "reserved_output_tokens") if getattr(m, f)]
        if limits or m.settings:
            what = ", ".join(limits + sorted(m.settings))
            self.loss("LS016", m.span, f"model {m.id}: {what} cannot be written in Plano")
        if m.cost is not None:
            self.loss("LS011", m.span, f"model {m.id}: prices cannot be written in Plano",
                      hint="Plano reads prices from model_metrics_sources (type: cost)")
        if dep.deployment_name:
            self.loss("LS002", _span(dep.span, m.span),
                      f"model {m.id}: deployment name {dep.deployment_name} has no place in Plano")
        self._foreign(m.extras, m.span, f"model {m.id}")
        self._foreign(dep.extras, _span(dep.span, m.span), f"model {m.id} on {dep.provider}")

    # -- assignment sets -----------------------------------------------------------------------------
    def default_model(self) -> str | None:
        chosen: str | None = None
        for s in self.g.assignment_sets:
            if s.kind != "default" or chosen is not None:
                self.loss("LS004", s.span, f"{s.kind} {s.id}: Plano has no assignment sets; only one default "
                                           "model can be written", hint="its models are still declared")
                continue
            for b in s.bindings:
                if b.role != "default":
                    self.loss("LS003", b.span, f"role {b.role} of {s.id}: Plano has no roles, only one default model")
                    continue
                if chosen is not None:
                    self.loss("LS003", b.span, f"a second default binding of {s.id} is left out")
                    continue
                m = self.resolve(b.model)
                if m is None or m.wildcard:
                    self.loss("LS002", b.span, f"default model {b.model}: Plano's default must be a declared, "
                                               "non-wildcard model; no default is written")
                    continue
                chosen = m.id
                if b.settings:
                    self.loss("LS016", b.span, f"default {b.model}: settings {', '.join(sorted(b.settings))} "
                                               "cannot be written in Plano")
                for f in b.fallbacks:
                    self.loss("LS007", _span(f.span, b.span), f"default {b.model}: the {f.kind} fallback to "
                                                              f"{f.binding.model} cannot be written in Plano")
                self._foreign(b.extras, b.span, f"default {b.model}")
        return chosen

    # -- aliases and routes -----------------------------------------------------------------------------
    def aliases(self, written: dict[str, str], entries: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
        alias_keys = _alias_keys(entries)
        out: dict[str, dict[str, str]] = {}
        for a in self.g.aliases:
            if a.name in out:
                self.loss("LS005", a.span, f"alias {a.name} is defined twice; the second is left out")
                continue
            m = self.resolve(a.target)
            if m is None or m.id not in written or m.wildcard:
                self.loss("LS005", a.span, f"alias {a.name}: its target {a.target} is not a model Plano declares; "
                                           "the alias is left out")
                continue
            spelled = (a.extras.get(C.FORMAT) or {}).get("target") or a.target
            target = spelled if alias_keys.get(spelled) == written[m.id] else written[m.id]
            out[a.name] = {"target": target}
            self._foreign(a.extras, a.span, f"alias {a.name}")
        return out

    def routes(self, written: dict[str, str], entries: list[dict[str, Any]], old: bool,
               metrics: set[str]) -> list[dict[str, Any]]:
        inline = _inline_names(entries) if old else set()
        route_keys = _route_keys(entries)
        out: list[dict[str, Any]] = []
        names: set[str] = set()
        for r in self.g.routes:
            ex = r.extras.get(C.FORMAT) or {}
            if ex.get("inline") and r.name in inline:
                continue  # written back inline, under its models
            if r.name in names:
                self.loss("LS006", r.span, f"routing preference {r.name} is defined twice; the second is left out")
                continue
            spelled = ex.get("models")
            models: list[str] = []
            for i, mid in enumerate(r.models):
                m = self.resolve(mid)
                if m is None or m.id not in written or m.wildcard:
                    self.loss("LS006", r.span, f"routing preference {r.name}: model {mid} is not a model Plano "
                                               "declares; it is left out of the route")
                    continue
                name = _entry_name(entries, written[m.id])
                alt = spelled[i] if isinstance(spelled, list) and i < len(spelled) else mid
                models.append(alt if alt and route_keys.get(alt) == written[m.id] else name)
            if not models:
                self.loss("LS006", r.span, f"routing preference {r.name}: none of its models can be written; "
                                           "the route is left out")
                continue
            names.add(r.name)
            route: dict[str, Any] = {"name": r.name, "description": r.description, "models": models}
            if r.prefer is not None:
                need = {"cheapest": "cost", "fastest": "latency"}.get(r.prefer)
                if need and need not in metrics:
                    self.loss("LS006", r.span, f"routing preference {r.name}: prefer {r.prefer} needs a type: "
                                               f"{need} model_metrics_sources entry; selection_policy is left out")
                else:
                    route["selection_policy"] = {"prefer": r.prefer}
            self._foreign(r.extras, r.span, f"routing preference {r.name}")
            out.append(route)
        return out


def _alias_keys(entries: list[dict[str, Any]]) -> dict[str, str]:
    """What an alias target may say -> the entry's model string (planoai's model_name_keys)."""
    out: dict[str, str] = {}
    for e in entries:
        split = C.split_model(e["model"])
        if split is None or split[2]:
            continue
        out.setdefault(e["model"], e["model"])
        out.setdefault(split[1], e["model"])
    return out


def _route_keys(entries: list[dict[str, Any]]) -> dict[str, str]:
    out = _alias_keys(entries)
    for e in entries:
        if "name" in e and not (C.split_model(e["model"]) or ("", "", True))[2]:
            out.setdefault(e["name"], e["model"])
    return out


def _entry_name(entries: list[dict[str, Any]], model: str) -> str:
    for e in entries:
        if e["model"] == model:
            return str(e.get("name", model))
    return model


def _inline_names(entries: list[dict[str, Any]]) -> set[str]:
    out: set[str] = set()
    for e in entries:
        prefs = e.get("routing_preferences")
        for pref in prefs if isinstance(prefs, list) else []:
            if isinstance(pref, dict) and isinstance(pref.get("name"), str) and pref["name"]:
                out.add(pref["name"])
    return out


def _metrics(sections: dict[str, Any]) -> set[str]:
    kinds = set()
    sources = sections.get("model_metrics_sources")
    for src in sources if isinstance(sources, list) else []:
        if isinstance(src, dict) and src.get("type") in ("cost", "latency"):
            kinds.add(src["type"])
    return kinds


def build(graph: Graph, ctx: WriteContext) -> dict[str, Any]:
    """The plain data of the Plano file for `graph` (losses go to ctx.sink)."""
    w = _Writer(graph, ctx)
    ex = graph.extras.get(C.FORMAT) or {}
    for fmt, value in graph.extras.items():
        if fmt != C.FORMAT and value:
            keys = ", ".join(sorted(value)) if isinstance(value, dict) else str(value)
            w.loss("LS012", None, f"{fmt} settings ({keys}) have no place in Plano")
    version = ex.get("version", C.DEFAULT_VERSION)
    sections: dict[str, Any] = dict(ex.get("sections") or {})
    if "listeners" not in sections:
        sections["listeners"] = [dict(x) for x in C.DEFAULT_LISTENERS]
    providers_key = ex.get("providers_key", "model_providers")
    default = w.default_model()
    entries, written = w.entries(default)
    old = C.version_tuple(version if isinstance(version, str) else "") < (0, 4, 0)
    aliases = w.aliases(written, entries)
    routes = w.routes(written, entries, old, _metrics(sections))
    _report_renames(w, graph, entries)
    values: dict[str, Any] = {"version": version, **sections}
    order = [k for k in (ex.get("order") or []) if k in values or k in C.MODEL_KEYS]
    for k in values:
        if k == "version" and k not in order:
            order.insert(0, k)
        elif k not in order:
            order.insert(_after(order, ("listeners",), ("version",)), k)
    model_values = {providers_key: entries, "model_aliases": aliases, "routing_preferences": routes}
    other_list = "llm_providers" if providers_key == "model_providers" else "model_providers"
    order = [k for k in order if k != other_list]
    for k in (providers_key, "model_aliases", "routing_preferences"):
        if k not in order and model_values[k]:
            order.insert(_after(order, C.MODEL_KEYS, ("listeners",), ("version",)), k)
    values.update(model_values)
    return {k: values[k] for k in order}


def _after(order: list[str], *groups: tuple[str, ...]) -> int:
    """Index just after the last key of `order` in the first group that has one, else the end."""
    for group in groups:
        idx = [i for i, k in enumerate(order) if k in group]
        if idx:
            return idx[-1] + 1
    return len(order)


def _report_renames(w: _Writer, graph: Graph, entries: list[dict[str, Any]]) -> None:
    """LS013 for providers that read back under another id (Plano names them by prefix)."""
    if not entries:
        return
    back, _ = lower({"version": "v0.4.0", "listeners": [], "model_providers": entries})
    by_model = {m.id: m.deployments[0].provider for m in back.models if m.deployments}
    seen: set[str] = set()
    for m in graph.models:
        if not m.deployments or m.id not in by_model:
            continue
        src, dst = m.deployments[0].provider, by_model[m.id]
        if src != dst and src not in seen:
            seen.add(src)
            p = graph.provider(src)
            w.loss("LS013", p.span if p else m.span,
                   f"provider {src} is written as {dst} (Plano names a provider by its model prefix)")


# --- update mode --------------------------------------------------------------------------------

def update(existing_text: str, graph: Graph, ctx: WriteContext) -> str:
    """Rewrite only the model sections of an existing Plano file; every other byte stays.

    Owned: the top-level model_providers (or llm_providers, whichever the file uses),
    model_aliases and routing_preferences. Each is located by its key's position (YAML node
    marks) and spans the key's line up to the next top-level key, less the blank lines and
    column-0 comments just before that key (they belong to what follows). An owned section
    whose data does not change keeps its bytes, comments included; a changed one is re-rendered
    in place; a new one is added after the last model section (else after listeners, else at the
    end); one the graph no longer has is removed. Version, listeners and every other section are
    taken from the file, never from the graph. A file that is not valid YAML is returned
    unchanged, with its syntax error in ctx.sink; one that is not a block mapping is rewritten
    whole.
    """
    from dataclasses import replace

    from compiler.source import SyntaxProblem
    from compiler.syntax.yaml import read as read_yaml

    try:
        doc = read_yaml(ctx.output_name or FILENAME, existing_text)
    except SyntaxProblem as e:
        ctx.sink.extend(e.diagnostics)
        return existing_text
    old = doc.data
    root = doc.locmap().get(())
    if not isinstance(old, dict) or not old or root is None or existing_text[root[0]:root[0] + 1] == "{":
        return render_data(build(graph, ctx), header=True)
    old_graph, _ = lower(old)
    data = build(replace(graph, extras={**graph.extras, C.FORMAT: old_graph.extras.get(C.FORMAT, {})}), ctx)
    text = existing_text
    nl = "\r\n" if "\r\n" in text else "\n"
    regions = _regions(text, doc)
    edits: list[tuple[int, int, str]] = []
    for key in C.MODEL_KEYS:
        if key not in old:
            continue
        start, end = regions[key]
        if key not in data or not data[key] and old[key]:
            if start == 0 or text[:start].endswith(("\n\n", "\n\r\n")):
                while text.startswith(("\n", "\r\n"), end):  # and the blank lines that separated it
                    end = text.index("\n", end) + 1
            edits.append((start, end, ""))
        elif data[key] != old[key]:
            edits.append((start, end, _section(key, data[key], nl)))
    new_keys = [k for k in data if k in C.MODEL_KEYS and k not in old]
    if new_keys:
        anchor = [k for k in old if k in C.MODEL_KEYS] or [k for k in old if k == "listeners"]
        at = regions[anchor[-1]][1] if anchor else len(text)
        block = "".join(nl + _section(k, data[k], nl) for k in new_keys)
        if at == len(text) and text and not text.endswith(("\n", "\r")):
            block = nl + block
        edits.append((at, at, block))
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _section(key: str, value: Any, nl: str) -> str:
    out = render_data({key: value}, header=False)
    return out.replace("\n", nl) if nl != "\n" else out


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _regions(text: str, doc: Any) -> dict[str, tuple[int, int]]:
    """Top-level key -> (start, end) character range of its lines (see `update`)."""
    lm = doc.locmap()
    keys = [(lm[(k,)][2], k) for k in doc.data if (k,) in lm and lm[(k,)][2] >= 0]
    keys.sort()
    out: dict[str, tuple[int, int]] = {}
    for i, (ks, k) in enumerate(keys):
        start = _line_start(text, ks)
        limit = _line_start(text, keys[i + 1][0]) if i + 1 < len(keys) else len(text)
        end = _last_content(text, start, limit)
        out[str(k)] = (start, end)
    return out


def _last_content(text: str, start: int, limit: int) -> int:
    """End of the last line in [start, limit) that is neither blank nor a column-0 comment."""
    pos = limit
    while pos > start:
        line_start = text.rfind("\n", start, pos - 1) + 1
        line = text[line_start:pos].rstrip("\r\n")
        if line.strip() and not line.startswith("#"):
            return pos
        pos = line_start
    return start
