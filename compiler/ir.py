"""The intermediate model graph: frozen dataclasses, one canonical dict form.

Node kinds: Provider, Model (with Deployments), AssignmentSet (with RoleBindings and their
Fallbacks), Alias, Route. Auth is a value. Whatever a format holds that the graph does not
model is kept in `extras[<format>]` on the node it belongs to (or on the Graph), so writing
the same format back loses nothing.

Identity and equality ignore spans (`compare=False`): two graphs read from different files
are equal when they say the same things. `to_dict()` is canonical (sorted, defaults
omitted) and `from_dict()` reads it back; `schemas/ir.schema.json` describes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from compiler.diagnostics import Span

NOSPAN = Span("<none>")

AUTH_KINDS = ("env", "secret", "passthrough", "none", "literal", "command", "default")


@dataclass(frozen=True, slots=True)
class Auth:
    """How a provider authenticates.

    kind:
      env          `value` is an environment variable name holding the key
      secret       `value` is a secret-store reference name (VS Code `${SECRET:name}`)
      passthrough  the client's own Authorization header is forwarded (Plano)
      none         no authentication (local servers; Plandex skipAuth)
      literal      `value` is a key written in the file (flagged by AU001)
      command      `value` is a command printing a token (Codex `auth.command`)
      default      not stated: the tool's built-in default applies (built-in providers)
    """

    kind: str = "default"
    value: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in AUTH_KINDS:
            raise ValueError(f"unknown auth kind {self.kind!r}")

    def describe(self) -> str:
        if self.kind == "env":
            return f"env var {self.value}"
        if self.kind == "secret":
            return f"secret {self.value}"
        if self.kind == "literal":
            return "a literal key"
        if self.kind == "command":
            return f"command {self.value!r}"
        return self.kind


@dataclass(frozen=True, slots=True)
class Cost:
    """Price in USD per 1M tokens."""

    input: float
    output: float


@dataclass(frozen=True)
class Provider:
    """An endpoint models are served from.

    `api` is the wire protocol family: openai (OpenAI-compatible chat/responses),
    anthropic, azure-openai, google-vertex, gemini, bedrock, ollama, or a tool-specific
    interface name (Plano `provider_interface` values such as groq, mistral, deepseek).
    `builtin` names the catalog a built-in provider comes from ("plandex", "plano", "codex",
    "vscode"); custom providers have builtin=None.
    """

    id: str
    name: str | None = None
    api: str = "openai"
    base_url: str | None = None
    auth: Auth = field(default_factory=Auth)
    headers: tuple[tuple[str, str], ...] = ()
    env_headers: tuple[tuple[str, str], ...] = ()  # header -> env var name
    query_params: tuple[tuple[str, str], ...] = ()
    builtin: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    span: Span = field(default=NOSPAN, compare=False)


@dataclass(frozen=True)
class Deployment:
    """A model served by a provider under a provider-side name."""

    provider: str  # Provider.id
    model_name: str  # what is sent to the provider as "model"
    deployment_name: str | None = None  # Azure deployment
    extras: dict[str, Any] = field(default_factory=dict)
    span: Span = field(default=NOSPAN, compare=False)


@dataclass(frozen=True)
class Model:
    """A model as the user refers to it, with the deployments that can serve it.

    Deployment order is priority order. Token limits: `context_window` is the input limit
    (Plandex maxTokens, VS Code contextWindow, Codex model_context_window);
    `max_output_tokens` and `reserved_output_tokens` are output limits.
    `settings` holds model-level request knobs that several tools share
    (reasoning_effort, temperature, top_p, max_tokens, image_support, output_format).
    """

    id: str
    display_name: str | None = None
    description: str | None = None
    publisher: str | None = None
    context_window: int | None = None
    max_output_tokens: int | None = None
    reserved_output_tokens: int | None = None
    cost: Cost | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    deployments: tuple[Deployment, ...] = ()
    builtin: str | None = None
    wildcard: bool = False  # a provider/* entry (Plano) standing for every model of a provider
    extras: dict[str, Any] = field(default_factory=dict)
    span: Span = field(default=NOSPAN, compare=False)


@dataclass(frozen=True)
class Fallback:
    """A fallback edge of a role binding: `kind` is large-context, large-output, error, strong."""

    kind: str
    binding: RoleBinding
    span: Span = field(default=NOSPAN, compare=False)


@dataclass(frozen=True)
class RoleBinding:
    """A role of an assignment set bound to a model, with per-role settings and fallbacks.

    `role` uses the canonical role names of `compiler.roles`. `model` is a Model.id, or
    "auto" (VS Code smart routing).
    """

    role: str
    model: str
    settings: dict[str, Any] = field(default_factory=dict)
    fallbacks: tuple[Fallback, ...] = ()
    extras: dict[str, Any] = field(default_factory=dict)
    span: Span = field(default=NOSPAN, compare=False)


@dataclass(frozen=True)
class AssignmentSet:
    """A named set of role bindings.

    kind: pack (Plandex model pack), profile (Codex profile), assignment (VS Code
    providerAssignment), default (the file's own top-level choice: Codex model +
    model_provider, Plano default model, VS Code unified choice).
    """

    id: str
    kind: str = "pack"
    description: str | None = None
    bindings: tuple[RoleBinding, ...] = ()
    builtin: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    span: Span = field(default=NOSPAN, compare=False)


@dataclass(frozen=True)
class Alias:
    """Another name for a model (Plano model_aliases)."""

    name: str
    target: str
    extras: dict[str, Any] = field(default_factory=dict)
    span: Span = field(default=NOSPAN, compare=False)


@dataclass(frozen=True)
class Route:
    """A routing preference: requests matching `description` go to `models` (in order)."""

    name: str
    description: str
    models: tuple[str, ...] = ()
    prefer: str | None = None  # cheapest | fastest | none
    extras: dict[str, Any] = field(default_factory=dict)
    span: Span = field(default=NOSPAN, compare=False)


@dataclass(frozen=True)
class Graph:
    """The whole model graph of one or more sources.

    `extras` maps a format name to what that format's file holds outside the graph
    (Plano listeners/tracing, Codex approval_policy, other VS Code settings, ...).
    `sources` lists (format, path) of what was read; it does not take part in equality.
    """

    providers: tuple[Provider, ...] = ()
    models: tuple[Model, ...] = ()
    assignment_sets: tuple[AssignmentSet, ...] = ()
    aliases: tuple[Alias, ...] = ()
    routes: tuple[Route, ...] = ()
    extras: dict[str, Any] = field(default_factory=dict)
    sources: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    # -- lookups -------------------------------------------------------------------------
    def provider(self, pid: str) -> Provider | None:
        for p in self.providers:
            if p.id == pid:
                return p
        return None

    def model(self, mid: str) -> Model | None:
        for m in self.models:
            if m.id == mid:
                return m
        return None

    def custom(self) -> Graph:
        """The graph without built-in nodes (what a file itself declares)."""
        return replace(
            self,
            providers=tuple(p for p in self.providers if p.builtin is None),
            models=tuple(m for m in self.models if m.builtin is None),
            assignment_sets=tuple(s for s in self.assignment_sets if s.builtin is None),
        )

    # -- canonical dict form ---------------------------------------------------------------
    def to_dict(self, *, spans: bool = False) -> dict[str, Any]:
        return _to_dict(self, spans)

    @classmethod
    def from_dict(cls, data: dict[str, Any], span_for: Any = None) -> Graph:
        """Read the canonical dict form. `span_for(pointer)` gives node spans (default: the
        `span` keys of the dict, if any)."""
        return _graph_from_dict(data, span_for)


# --- serialization helpers --------------------------------------------------------------------

_PAIR_FIELDS = {"headers", "env_headers", "query_params"}


def _to_dict(obj: Any, spans: bool) -> Any:
    if isinstance(obj, Span):
        return obj.to_dict()
    if isinstance(obj, (Auth, Cost)):
        return {k: v for k, v in ((f.name, getattr(obj, f.name)) for f in fields(obj)) if v is not None}
    if hasattr(obj, "__dataclass_fields__"):
        out: dict[str, Any] = {}
        for f in fields(obj):
            v = getattr(obj, f.name)
            if f.name == "sources":
                continue
            if f.name == "span":
                if spans and v is not NOSPAN:
                    out["span"] = v.to_dict()
                continue
            if f.name in _PAIR_FIELDS:
                if v:
                    out[f.name] = {k: val for k, val in v}
                continue
            if v is None or v == () or v == {} or v is False:
                continue
            if isinstance(v, Auth) and v.kind == "default" and v.value is None:
                continue
            if f.name == "api" and v == "openai" and isinstance(obj, Provider):
                out[f.name] = v  # always explicit
                continue
            out[f.name] = _to_dict(v, spans)
        return out
    if isinstance(obj, tuple):
        return [_to_dict(x, spans) for x in obj]
    if isinstance(obj, dict):
        return {k: _to_dict(v, spans) for k, v in obj.items()}
    return obj


def _span(d: dict[str, Any]) -> Span:
    s = d.get("span")
    if not s:
        return NOSPAN
    return Span(s["path"], s.get("line", 0), s.get("col", 0), s.get("end_line", 0), s.get("end_col", 0))


def _pairs(d: dict[str, Any], key: str) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in (d.get(key) or {}).items())


def _graph_from_dict(d: dict[str, Any], span_for: Any = None) -> Graph:
    sp = span_for or (lambda ptr, node: _span(node))

    def binding(b: dict[str, Any], ptr: tuple[Any, ...]) -> RoleBinding:
        return RoleBinding(
            role=b["role"],
            model=b["model"],
            settings=dict(b.get("settings", {})),
            fallbacks=tuple(
                Fallback(kind=f["kind"], binding=binding(f["binding"], (*ptr, "fallbacks", i, "binding")),
                         span=sp((*ptr, "fallbacks", i), f))
                for i, f in enumerate(b.get("fallbacks", []))
            ),
            extras=dict(b.get("extras", {})),
            span=sp(ptr, b),
        )

    providers = tuple(
        Provider(
            id=p["id"],
            name=p.get("name"),
            api=p.get("api", "openai"),
            base_url=p.get("base_url"),
            auth=Auth(**p["auth"]) if "auth" in p else Auth(),
            headers=_pairs(p, "headers"),
            env_headers=_pairs(p, "env_headers"),
            query_params=_pairs(p, "query_params"),
            builtin=p.get("builtin"),
            extras=dict(p.get("extras", {})),
            span=sp(("providers", i), p),
        )
        for i, p in enumerate(d.get("providers", []))
    )
    models = tuple(
        Model(
            id=m["id"],
            display_name=m.get("display_name"),
            description=m.get("description"),
            publisher=m.get("publisher"),
            context_window=m.get("context_window"),
            max_output_tokens=m.get("max_output_tokens"),
            reserved_output_tokens=m.get("reserved_output_tokens"),
            cost=Cost(**m["cost"]) if "cost" in m else None,
            settings=dict(m.get("settings", {})),
            deployments=tuple(
                Deployment(
                    provider=x["provider"],
                    model_name=x["model_name"],
                    deployment_name=x.get("deployment_name"),
                    extras=dict(x.get("extras", {})),
                    span=sp(("models", i, "deployments", j), x),
                )
                for j, x in enumerate(m.get("deployments", []))
            ),
            builtin=m.get("builtin"),
            wildcard=bool(m.get("wildcard", False)),
            extras=dict(m.get("extras", {})),
            span=sp(("models", i), m),
        )
        for i, m in enumerate(d.get("models", []))
    )
    sets = tuple(
        AssignmentSet(
            id=s["id"],
            kind=s.get("kind", "pack"),
            description=s.get("description"),
            bindings=tuple(binding(b, ("assignment_sets", i, "bindings", j)) for j, b in enumerate(s.get("bindings", []))),
            builtin=s.get("builtin"),
            extras=dict(s.get("extras", {})),
            span=sp(("assignment_sets", i), s),
        )
        for i, s in enumerate(d.get("assignment_sets", []))
    )
    aliases = tuple(
        Alias(name=a["name"], target=a["target"], extras=dict(a.get("extras", {})), span=sp(("aliases", i), a))
        for i, a in enumerate(d.get("aliases", []))
    )
    routes = tuple(
        Route(
            name=r["name"],
            description=r["description"],
            models=tuple(r.get("models", [])),
            prefer=r.get("prefer"),
            extras=dict(r.get("extras", {})),
            span=sp(("routes", i), r),
        )
        for i, r in enumerate(d.get("routes", []))
    )
    return Graph(providers, models, sets, aliases, routes, dict(d.get("extras", {})))


def merge(graphs: list[Graph]) -> Graph:
    """Concatenate graphs (for --together and manifests). Duplicates stay for the checks."""
    extras: dict[str, Any] = {}
    for g in graphs:
        for k, v in g.extras.items():
            extras.setdefault(k, v)
    return Graph(
        providers=tuple(p for g in graphs for p in g.providers),
        models=tuple(m for g in graphs for m in g.models),
        assignment_sets=tuple(s for g in graphs for s in g.assignment_sets),
        aliases=tuple(a for g in graphs for a in g.aliases),
        routes=tuple(r for g in graphs for r in g.routes),
        extras=extras,
        sources=tuple(s for g in graphs for s in g.sources),
    )
