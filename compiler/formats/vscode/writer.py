"""Write a graph as VS Code `aiOrchestrator.*` settings (JSONC), or update an existing settings.json.

Target rewrite (`plan()`), then a plain view model (a list of top-level settings), then
`targets/vscode/settings.json.j2`. What VS Code settings cannot express is reported:

- models: every model that is not a built-in preset becomes a CustomModel. VS Code requires
  `contextWindow` and `cost`: a model without them is not written (LS015, error; nothing is
  guessed). A model on the provider with id "fireworks" (the extension's Fireworks provider)
  goes to `aiOrchestrator.providers.fireworks.customModels` with `modelPath`; any other
  model becomes a `providers.custom` endpoint entry (api openai -> type openai-compatible,
  anthropic, azure-openai, google-vertex; other APIs: LS009). Only the first deployment is
  kept (LS008); max output / reserved tokens and other settings than temperature, top_p,
  max_tokens are lost (LS016).
- providers have no id in VS Code: reading the output back derives one from the endpoint
  host (see reader.provider_id); a changed id is reported (LS013). Names, headers and query
  parameters are lost (LS002).
- auth: secret -> `${SECRET:name}`, none -> "not-needed", literal -> the key (only with
  --allow-literal-secrets; otherwise compiler.emit already turned it into an env var).
  Environment variables: the extension has no env-var syntax and VS Code expands
  `${env:NAME}` only in some of its own settings, not in extension settings, so the
  writer emits `${SECRET:NAME}` (a secret of the same name, which the user stores in the
  extension's secret storage) and reports LS010. passthrough / command: LS010, no key.
- role bindings: the set of kind "assignment", else `ctx.active_set`, else the first pack,
  becomes `agents.providerAssignment` (roles via compiler.roles; no counterpart: LS003;
  per-role settings LS016; fallbacks LS007); the first set of kind "default" becomes
  `agents.unifiedProviderChoice`; other sets LS004; aliases LS005; routes LS006.
- `graph.extras["vscode"]["settings"]` (the file's other settings) is written back verbatim.

`update(existing_text, graph, ctx)` rewrites only the aiOrchestrator keys of an existing
settings.json and keeps every other byte (see `update`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compiler import roles
from compiler.context import Emitted, WriteContext
from compiler.diagnostics import Span, diag
from compiler.formats.vscode import reader as R
from compiler.ir import AssignmentSet, Auth, Cost, Deployment, Graph, Model, Provider, RoleBinding
from compiler.render import render

FMT = R.FMT
FILENAME = "settings.json"
_FW_URLS = (R.FIREWORKS_URL, R.FIREWORKS_URL + "/")


@dataclass
class Plan:
    """The settings to write (ours, in order) and the graph reading them back gives."""

    ours: list[tuple[str, Any]] = field(default_factory=list)
    other: list[tuple[str, Any]] = field(default_factory=list)
    expected: Graph = field(default_factory=Graph)


def write(graph: Graph, ctx: WriteContext) -> Emitted:
    plan = make_plan(graph, ctx)
    text = render("vscode/settings.json.j2", settings=plan.other + plan.ours)
    return Emitted(files=[(ctx.output_name or FILENAME, text)], expected=plan.expected)


# -- the target rewrite -------------------------------------------------------------------------------


def is_fireworks(p: Provider | None) -> bool:
    return p is not None and p.id == R.FIREWORKS_ID and p.api == "openai" and p.base_url in (None, *_FW_URLS)


class _Planner:
    def __init__(self, graph: Graph, ctx: WriteContext):
        self.g = graph
        self.ctx = ctx
        self.sink = ctx.sink
        self.reported: set[tuple[str, str]] = set()

    def loss(self, code: str, span: Span, message: str, hint: str | None = None, once: str | None = None) -> None:
        if once is not None:
            if (code, once) in self.reported:
                return
            self.reported.add((code, once))
        self.sink.append(diag(code, span, message, hint=hint))

    # -- auth ---------------------------------------------------------------------------------------------
    def api_key(self, p: Provider) -> tuple[str | None, Auth]:
        a = p.auth
        if a.kind == "secret" and a.value:
            return f"${{SECRET:{a.value}}}", Auth("secret", a.value)
        if a.kind == "none":
            return R.NOT_NEEDED, Auth("none")
        if a.kind == "literal" and a.value:
            return a.value, R.auth_of(a.value)
        if a.kind == "env" and a.value:
            self.loss("LS010", p.span, f"provider {p.id}: VS Code settings cannot read env var {a.value}; "
                                       f"written as the secret reference ${{SECRET:{a.value}}}",
                      hint=f"store the key in the aiOrchestrator extension's secret storage as {a.value!r}",
                      once=p.id)
            return f"${{SECRET:{a.value}}}", Auth("secret", a.value)
        if a.kind in ("passthrough", "command"):
            self.loss("LS010", p.span, f"provider {p.id}: auth {a.describe()} cannot be expressed in VS Code "
                                       "settings; no apiKey written", once=p.id)
        return None, Auth("default")

    # -- models -----------------------------------------------------------------------------------------
    def lacks_required(self, m: Model) -> bool:
        missing = [n for n, v in (("contextWindow", m.context_window), ("cost", m.cost)) if v is None]
        if missing:
            self.loss("LS015", m.span, f"model {m.id}: VS Code custom models require "
                                       f"{' and '.join(missing)}, which the graph does not have; "
                                       "the model is not written",
                      hint="add " + " and ".join(missing) + " to the source (cost in USD per 1M tokens)")
        return bool(missing)

    def entry_common(self, m: Model) -> tuple[dict[str, Any], dict[str, Any]]:
        if len(m.deployments) > 1:
            self.loss("LS008", m.span, f"model {m.id}: VS Code serves a model from one endpoint; only the "
                                       f"deployment on {m.deployments[0].provider} is written, "
                                       + ", ".join(x.provider for x in m.deployments[1:]) + " dropped")
        head: dict[str, Any] = {"id": m.id}
        if m.display_name is not None:
            head["displayName"] = m.display_name
        if m.description is not None:
            head["description"] = m.description
        tail: dict[str, Any] = {"contextWindow": m.context_window,
                                "cost": {"input": m.cost.input, "output": m.cost.output}}  # type: ignore[union-attr]
        lost = []
        for name, f in (("temperature", "temperature"), ("top_p", "topP"), ("max_tokens", "maxTokens")):
            if name in m.settings:
                v = m.settings[name]
                ok = isinstance(v, (int, float)) and not isinstance(v, bool)
                if name == "max_tokens":
                    ok = ok and float(v).is_integer() and v > 0
                    v = int(v) if ok else v
                if ok:
                    tail[f] = v
                else:
                    lost.append(name)
        lost += [k for k in m.settings if k not in ("temperature", "top_p", "max_tokens")]
        for name, v in (("max_output_tokens", m.max_output_tokens), ("reserved_output_tokens",
                                                                     m.reserved_output_tokens)):
            if v is not None:
                lost.append(name)
        if lost:
            self.loss("LS016", m.span, f"model {m.id}: {', '.join(lost)} cannot be expressed in VS Code "
                                       "settings (only temperature, top_p, max_tokens)")
        if m.publisher is not None:
            self.loss("LS002", m.span, f"model {m.id}: publisher is not kept in VS Code settings")
        others = sorted(k for k in m.extras if k != FMT)
        if others:
            self.loss("LS012", m.span, f"model {m.id}: settings specific to {', '.join(others)} have no place "
                                       "in VS Code settings")
        return head, tail

    def plan(self) -> Plan:
        g = self.g
        fw_entries: list[dict[str, Any]] = []
        custom_entries: list[dict[str, Any]] = []
        fw_models: list[Model] = []
        custom_models: list[Model] = []
        written: set[str] = set()
        endpoint_ids: dict[tuple[str, str, str | None], str] = {}
        new_providers: list[Provider] = []
        renamed: dict[str, str] = {}
        fw_provider = next((p for p in g.providers if is_fireworks(p)), None)
        for m in g.models:
            if m.builtin == FMT:
                continue
            if m.wildcard:
                self.loss("LS014", m.span, f"model {m.id}: a wildcard model cannot be a VS Code custom model; "
                                           "not written")
                continue
            if not m.deployments:
                self.loss("LS015", m.span, f"model {m.id}: has no deployment, and a VS Code custom model needs "
                                           "an endpoint or a Fireworks modelPath; not written")
                continue
            d = m.deployments[0]
            p = g.provider(d.provider)
            if p is None:
                self.loss("LS015", m.span, f"model {m.id}: its provider {d.provider} is not defined; not written")
                continue
            mextras = dict(m.extras.get(FMT, {}))
            fields = dict(mextras.get("fields", {}))
            if is_fireworks(p):
                if self.lacks_required(m):
                    continue
                head, tail = self.entry_common(m)
                if d.deployment_name:
                    self.loss("LS002", d.span, f"model {m.id}: Fireworks models have no deployment name "
                                               f"({d.deployment_name!r} dropped)")
                fields = _without(fields, head, tail, "modelPath")
                entry = {**head, "modelPath": d.model_name, **tail, **fields}
                dep = Deployment(provider=R.FIREWORKS_ID, model_name=d.model_name)
                in_custom = mextras.get("list") == "custom"
                (custom_entries if in_custom else fw_entries).append(entry)
                x = {k: v for k, v in (("fields", fields), ("list", "custom" if in_custom else None)) if v}
                model = _expected_model(m, dep, tail, x)
                (custom_models if in_custom else fw_models).append(model)
                written.add(m.id)
                continue
            typ = R.TYPE_OF_API.get(p.api)
            if typ is None:
                self.loss("LS009", m.span, f"model {m.id}: the aiOrchestrator extension cannot talk to provider "
                                           f"{p.id}'s API {p.api!r} (it knows " + ", ".join(R.API_OF_TYPE) +
                                           "); not written")
                continue
            if not p.base_url:
                self.loss("LS015", m.span, f"model {m.id}: provider {p.id} has no base URL, which a VS Code "
                                           "custom endpoint requires; not written")
                continue
            if typ == "azure-openai" and not d.deployment_name:
                self.loss("LS015", m.span, f"model {m.id}: an azure-openai endpoint needs a deployment name, "
                                           "which the graph does not have; not written")
                continue
            if self.lacks_required(m):
                continue
            head, tail = self.entry_common(m)
            key, auth = self.api_key(p)
            entry = {**head, "type": typ, "endpoint": p.base_url, "modelName": d.model_name}
            if typ == "azure-openai":
                entry["deploymentName"] = d.deployment_name
            elif d.deployment_name:
                self.loss("LS002", d.span, f"model {m.id}: deployment name {d.deployment_name!r} is only "
                                           "kept for azure-openai endpoints; dropped")
            if key is not None:
                entry["apiKey"] = key
            entry.update(tail)
            fields = _without(fields, entry)
            entry.update(fields)
            triple = (typ, p.base_url, key)
            pid = endpoint_ids.get(triple)
            if pid is None:
                base = R.provider_id(p.base_url)
                taken = {x.id for x in new_providers} | {R.FIREWORKS_ID}
                pid, n = base, 1
                while pid in taken:
                    n += 1
                    pid = f"{base}-{n}"
                endpoint_ids[triple] = pid
                new_providers.append(Provider(id=pid, api=p.api, base_url=p.base_url, auth=auth, span=p.span))
            if p.id != pid and renamed.get(p.id) != pid:
                renamed[p.id] = pid
                self.loss("LS013", p.span, f"provider {p.id}: VS Code settings have no provider ids; reading "
                                           f"the output back calls it {pid} (derived from the endpoint)")
            self.provider_losses(p)
            dep = Deployment(provider=pid, model_name=d.model_name,
                             deployment_name=d.deployment_name if typ == "azure-openai" else None)
            x = {"fields": fields} if fields else {}
            custom_models.append(_expected_model(m, dep, tail, x))
            custom_entries.append(entry)
            written.add(m.id)

        # -- the Fireworks provider -----------------------------------------------------------------------
        ours: list[tuple[str, Any]] = []
        exp_providers: list[Provider] = []
        if fw_provider is not None and (fw_provider.builtin is None or fw_entries):
            obj: dict[str, Any] = {}
            key, auth = self.api_key(fw_provider)
            if key is not None:
                obj["apiKey"] = key
            fx = dict(fw_provider.extras.get(FMT, {}))
            for k in ("enabled", "defaultModel"):
                if k in fx:
                    obj[k] = fx[k]
            if fw_entries:
                obj["customModels"] = fw_entries
            ours.append((R.S_FIREWORKS, obj))
            if fw_provider.builtin is None:
                self.provider_losses(fw_provider, name_ok=True)
            exp_providers.append(Provider(id=R.FIREWORKS_ID, name="Fireworks AI", api="openai",
                                          base_url=R.FIREWORKS_URL, auth=auth,
                                          extras={FMT: {k: fx[k] for k in ("enabled", "defaultModel") if k in fx}}
                                          if any(k in fx for k in ("enabled", "defaultModel")) else {}))
        if custom_entries:
            ours.append((R.S_CUSTOM, custom_entries))
        exp_providers.extend(new_providers)
        for p in g.providers:
            used = any(d.provider == p.id for m in g.models for d in m.deployments)
            if not used and p.builtin is None and not is_fireworks(p):
                self.loss("LS002", p.span, f"provider {p.id}: no model uses it, and VS Code settings have no "
                                           "list of providers; not written")

        # -- assignment sets ------------------------------------------------------------------------------
        exp_sets: list[AssignmentSet] = []
        ids = {m.id for m in g.models if m.id in written}
        presets = set(R.presets())
        preset_ids = {m.id for m in g.models if m.builtin == FMT and m.id in presets}

        def ref(b: RoleBinding, where: str) -> str | None:
            if b.model == R.AUTO:
                return R.AUTO
            if b.model in ids:
                return R.CUSTOM_REF + b.model
            if b.model in preset_ids or (b.model in presets and g.model(b.model) is None):
                return b.model
            self.loss("LS002", b.span, f"{where}: model {b.model} was not written, so the binding is dropped")
            return None

        sets = [s for s in g.assignment_sets if s.builtin is None]
        chosen = next((s for s in sets if s.kind == "assignment"), None)
        if chosen is None and self.ctx.active_set:
            chosen = next((s for s in sets if s.id == self.ctx.active_set and s.kind != "default"), None)
        if chosen is None:
            chosen = next((s for s in sets if s.kind == "pack"), None)
        unified = next((s for s in sets if s.kind == "default"), None)
        for s in sets:
            if s is not chosen and s is not unified:
                self.loss("LS004", s.span, f"{s.kind} {s.id}: VS Code settings hold one providerAssignment and "
                                           "one unified choice; this set is not written",
                          hint="pick the set to write with --active-set" if s.kind in ("pack", "profile") else None)
        if chosen is not None:
            if chosen.id != R.ASSIGNMENT_SET_ID or chosen.description:
                self.loss("LS004", chosen.span, f"{chosen.kind} {chosen.id}: written as "
                                                "aiOrchestrator.agents.providerAssignment; its name"
                                                + (" and description are" if chosen.description else " is")
                                                + " not kept")
            pa: dict[str, str] = {}
            bindings: list[RoleBinding] = []
            for b in chosen.bindings:
                where = f"{chosen.kind} {chosen.id!r}, role {b.role}"
                tool_role = roles.from_canonical(FMT, b.role)
                if tool_role is None:
                    self.loss("LS003", b.span, f"{where}: the aiOrchestrator extension has no such agent role; "
                                               "dropped", hint="its roles: " + ", ".join(roles.TOOL_ROLES[FMT]))
                    continue
                if tool_role in pa:
                    self.loss("LS003", b.span, f"{where}: role {tool_role} is already assigned; dropped")
                    continue
                r = ref(b, where)
                if r is None:
                    continue
                self.binding_losses(b, where)
                pa[tool_role] = r
                bindings.append(RoleBinding(role=b.role, model=b.model))
            unknown: dict[str, Any] = {}
            for role, v in dict(chosen.extras.get(FMT, {}).get("roles", {})).items():
                if role not in pa and roles.to_canonical(FMT, role) is None:
                    pa[role] = v
                    unknown[role] = v
            ours.append((R.S_ASSIGN, pa))
            exp_sets.append(AssignmentSet(id=R.ASSIGNMENT_SET_ID, kind="assignment", bindings=tuple(bindings),
                                          extras={FMT: {"roles": unknown}} if unknown else {}))
        if unified is not None:
            use = unified.extras.get(FMT, {}).get("useUnifiedProvider")
            choice = None
            b0 = next((b for b in unified.bindings if b.role == "default"), None) or \
                (unified.bindings[0] if unified.bindings else None)
            for b in unified.bindings:
                if b is not b0:
                    self.loss("LS003", b.span, f"{unified.kind} set {unified.id!r}, role {b.role}: the unified "
                                               "choice is one model; dropped")
            if b0 is not None:
                choice = ref(b0, f"{unified.kind} set {unified.id!r}")
                if choice is not None:
                    self.binding_losses(b0, f"{unified.kind} set {unified.id!r}")
            if use is True and choice is None:
                self.loss("LS002", unified.span, "useUnifiedProvider is not written: its model was not written")
                use = None
            if isinstance(use, bool):
                ours.append((R.S_USE, use))
            if choice is not None:
                ours.append((R.S_CHOICE, choice))
            if choice is not None or isinstance(use, bool):
                exp_sets.append(AssignmentSet(
                    id=R.UNIFIED_SET_ID, kind="default",
                    bindings=(RoleBinding(role="default", model=b0.model),) if choice is not None and b0 else (),
                    extras={FMT: {"useUnifiedProvider": use}} if isinstance(use, bool) else {}))
        for a in g.aliases:
            self.loss("LS005", a.span, f"alias {a.name} -> {a.target}: VS Code settings have no model aliases")
        for r in g.routes:
            self.loss("LS006", r.span, f"routing preference {r.name}: VS Code settings have no routing "
                                       "preferences (use \"auto\" for the extension's smart routing)")

        # -- other settings -------------------------------------------------------------------------------
        gx = g.extras.get(FMT, {})
        other = list((gx.get("settings") or {}).items()) if isinstance(gx, dict) else []
        for k in sorted(x for x in g.extras if x != FMT):
            self.loss("LS012", Span.file(_source_path(g, k)), f"settings specific to {k} have no place in "
                                                              "VS Code settings; not written")
        extras = {FMT: {"settings": dict(other)}} if other else {}
        expected = Graph(providers=tuple(exp_providers), models=tuple(fw_models + custom_models),
                         assignment_sets=tuple(exp_sets), extras=extras)
        expected = R.pull_builtins(expected)
        return Plan(ours=ours, other=other, expected=expected)

    def provider_losses(self, p: Provider, *, name_ok: bool = False) -> None:
        lost = [n for n, v in (("name", None if name_ok else p.name), ("headers", p.headers),
                               ("env_headers", p.env_headers), ("query_params", p.query_params)) if v]
        if lost:
            self.loss("LS002", p.span, f"provider {p.id}: {', '.join(lost)} cannot be expressed in VS Code "
                                       "settings; dropped", once=p.id + "/fields")
        others = sorted(k for k in p.extras if k != FMT)
        if others:
            self.loss("LS012", p.span, f"provider {p.id}: settings specific to {', '.join(others)} have no "
                                       "place in VS Code settings", once=p.id + "/extras")

    def binding_losses(self, b: RoleBinding, where: str) -> None:
        if b.settings:
            self.loss("LS016", b.span, f"{where}: per-role settings ({', '.join(sorted(b.settings))}) cannot be "
                                       "expressed in VS Code settings")
        for f in b.fallbacks:
            self.loss("LS007", f.span if f.span.path != "<none>" else b.span,
                      f"{where}: {f.kind} fallback to {f.binding.model} cannot be expressed in VS Code settings")


def _source_path(g: Graph, fmt: str) -> str:
    for f, path in g.sources:
        if f == fmt:
            return path
    return g.sources[0][1] if g.sources else "<graph>"


def _without(fields: dict[str, Any], *taken: Any) -> dict[str, Any]:
    used: set[str] = set()
    for t in taken:
        used |= set(t) if not isinstance(t, str) else {t}
    return {k: v for k, v in fields.items() if k not in used}


def _expected_model(m: Model, dep: Deployment, tail: dict[str, Any], x: dict[str, Any]) -> Model:
    settings = {n: tail[f] for n, f in (("temperature", "temperature"), ("top_p", "topP"),
                                        ("max_tokens", "maxTokens")) if f in tail}
    return Model(id=m.id, display_name=m.display_name, description=m.description,
                 context_window=m.context_window, cost=Cost(m.cost.input, m.cost.output),  # type: ignore[union-attr]
                 settings=settings, deployments=(dep,), extras={FMT: x} if x else {})


def make_plan(graph: Graph, ctx: WriteContext) -> Plan:
    return _Planner(graph, ctx).plan()


# -- update mode ---------------------------------------------------------------------------------------------


def update(existing_text: str, graph: Graph, ctx: WriteContext) -> str:
    """Rewrite only the aiOrchestrator settings of `existing_text`; keep every other byte.

    - an owned key (one of reader.SETTINGS, or a dotted/object variant of one) that the plan
      still has gets its value replaced in place (a dotted fireworks member keeps its key);
    - owned keys the plan no longer has are removed with their separator and line;
    - new keys are inserted before the closing brace, with the file's indentation and a comma
      after the previous member when it has none.
    Unknown aiOrchestrator.* keys are other settings: kept as they are.
    """
    from compiler.formats.vscode import update as U

    return U.update(existing_text, make_plan(graph, ctx))

