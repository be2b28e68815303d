"""Read a Plandex custom models file: strict JSON, schema pass, Go-int rule, lowering, Plandex's rules.

What Plandex does with the file (formats/plandex.md §2): the CLI strips the top-level
`$schema`, validates with its JSON Schema, unmarshals into Go structs (integer fields reject
fractions) and rejects duplicates; the server then rejects empty names, custom models that
reuse a built-in model id, packs that reuse a built-in pack name, unknown custom providers and
pack model ids that are neither custom nor built in. modelcc reports the schema problems
(SC*), the Go-int rule (SC007) and the server rules that are Plandex's own (PX*) here; the
generic graph checks report duplicates (UQ*) and dangling references (RF*).

Lowering (`lower`) is a pure function of the parsed data, so the writer can compute the graph
its own output reads back to. It is defensive: items with schema errors are lowered as far as
they make sense, so one mistake does not cascade into unrelated reference errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compiler.context import ReadContext
from compiler.diagnostics import Diagnostic, Related, Severity, Span, diag
from compiler.formats.plandex.catalog import (
    FALLBACK_KEYS,
    FLAG_KEYS,
    MODEL_INT_FIELDS,
    ROLE_INT_FIELDS,
    ROLE_KEYS,
    builtin_model,
    builtin_provider,
    catalog,
    extra_auth_vars,
)
from compiler.ir import NOSPAN, AssignmentSet, Auth, Deployment, Fallback, Graph, Model, Provider, RoleBinding
from compiler.roles import to_canonical
from compiler.schema import validate, where
from compiler.source import Document

SpanFn = Callable[[tuple[Any, ...]], Span]

_GO_INT_MAX = 2**63 - 1


# --- entry point ----------------------------------------------------------------------------------

def read(doc: Document, ctx: ReadContext) -> Graph:
    data = doc.data
    if not isinstance(data, dict):
        return Graph(sources=(("plandex", doc.path),))
    ctx.sink.extend(_strict_json(doc))
    body = {k: v for k, v in data.items() if k != "$schema"}  # Plandex strips it before validating
    ctx.sink.extend(validate(doc, "plandex", data=body))
    ctx.sink.extend(_go_ints(doc, body))
    ctx.sink.extend(_plandex_rules(doc, body))
    graph = lower(body, doc.span)
    return Graph(graph.providers, graph.models, graph.assignment_sets, sources=(("plandex", doc.path),))


# --- syntax: Go's encoding/json is strict ---------------------------------------------------------

def _strict_json(doc: Document) -> list[Diagnostic]:
    out = []
    offsets: dict[str, int] = getattr(doc, "feature_offsets", {}) or {}
    words = {"comments": "comments are", "trailing-commas": "trailing commas are"}
    for feature, what in words.items():
        if feature not in doc.features:
            continue
        at = offsets.get(feature, 0)
        d = diag("SY003", doc.span_of_offsets(at, at + 1),
                 f"{what} not allowed: Plandex reads this file with Go's strict JSON decoder",
                 hint="the CLI fails with 'invalid json'; remove them (only plain JSON is accepted)")
        # SY003 is a warning for tools that tolerate JSONC; for Plandex the file does not load.
        out.append(d.with_severity(Severity.ERROR))
    return out


# --- Go integers ----------------------------------------------------------------------------------

def _fraction(v: Any) -> bool:
    """A JSON number Go's decoder cannot put into an int field (fractions, out of int64 range)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    if isinstance(v, float) and not v.is_integer():
        return True
    return abs(v) > _GO_INT_MAX


def _num(v: Any) -> str:
    return repr(v) if isinstance(v, float) else str(v)


def _go_ints(doc: Document, body: dict[str, Any]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    models = body.get("models")
    for i, m in enumerate(models if isinstance(models, list) else []):
        if not isinstance(m, dict):
            continue
        for k in MODEL_INT_FIELDS:
            v = m.get(k)
            if _fraction(v):
                ptr = ("models", i, k)
                out.append(diag("SC007", doc.span(ptr), f"{where(ptr)}: Plandex stores {k} as a whole number, "
                                                         f"found {_num(v)}",
                                hint=f"the CLI fails with: json: cannot unmarshal number {_num(v)} into Go struct "
                                     f"field CustomModel.models.{k} of type int"))
    packs = body.get("modelPacks")
    required = set(catalog().required_roles)
    for i, p in enumerate(packs if isinstance(packs, list) else []):
        if not isinstance(p, dict):
            continue
        for key in ROLE_KEYS:
            if key not in p:
                continue
            for ptr, v in _role_ints(p[key], ("modelPacks", i, key)):
                if key in required:
                    out.append(diag("SC007", doc.span(ptr), f"{where(ptr)}: Plandex stores {ptr[-1]} as a whole "
                                                             f"number, found {_num(v)}",
                                    hint=f"{key} is a required role: Plandex's CLI crashes on this file (nil "
                                         "pointer dereference while converting the pack)"))
                else:
                    fallback = "builder" if key == "wholeFileBuilder" else "planner"
                    out.append(diag("PX007", doc.span(ptr), f"{where(ptr)}: {_num(v)} is not a whole number, so "
                                                             f"Plandex silently drops the whole {key} role",
                                    hint=f"write a whole number; without the role Plandex uses the {fallback} "
                                         "model instead"))
    return out


def _role_ints(value: Any, ptr: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], Any]]:
    if not isinstance(value, dict):
        return []
    out = [((*ptr, k), value[k]) for k in ROLE_INT_FIELDS if _fraction(value.get(k))]
    for key, _ in FALLBACK_KEYS:
        if key in value:
            out.extend(_role_ints(value[key], (*ptr, key)))
    return out


# --- Plandex's own rules (CLI and server) ---------------------------------------------------------

def _plandex_rules(doc: Document, body: dict[str, Any]) -> list[Diagnostic]:
    cat = catalog()
    out: list[Diagnostic] = []
    providers = body.get("providers")
    for i, p in enumerate(providers if isinstance(providers, list) else []):
        if isinstance(p, dict) and p.get("name") == "":
            out.append(diag("PX001", doc.span(("providers", i, "name")), f"providers[{i}].name is empty",
                            hint="the Plandex server rejects it: 'Provider name is required'"))
    models = body.get("models")
    for i, m in enumerate(models if isinstance(models, list) else []):
        if not isinstance(m, dict):
            continue
        mid = m.get("modelId")
        if mid == "":
            out.append(diag("PX001", doc.span(("models", i, "modelId")), f"models[{i}].modelId is empty",
                            hint="the Plandex server rejects it: 'Model id is required'"))
        elif isinstance(mid, str) and mid in cat.models:
            out.append(diag("PX002", doc.span(("models", i, "modelId")),
                            f"models[{i}].modelId: {mid!r} is a built-in Plandex model id, so it can't be used for "
                            "a custom model",
                            hint="the server rejects the import (422); choose another id, or drop this entry and "
                                 "use the built-in model directly in your packs"))
        entries = m.get("providers")
        first_custom: int | None = None
        for j, e in enumerate(entries if isinstance(entries, list) else []):
            if not (isinstance(e, dict) and e.get("provider") == "custom"):
                continue
            if first_custom is None:
                first_custom = j
                continue
            ptr = ("models", i, "providers", j)
            first = doc.span(("models", i, "providers", first_custom))
            out.append(diag("PX005", doc.span(ptr),
                            f"{where(ptr)}: second 'custom' provider of model {mid!r}; Plandex looks providers up "
                            "by kind, so it sends the first custom entry's modelName to this provider too",
                            hint="declare one model per custom provider (with different modelIds) if the "
                                 "provider-side names differ",
                            related=[Related(first, "first custom provider entry")]))
    packs = body.get("modelPacks")
    for i, p in enumerate(packs if isinstance(packs, list) else []):
        if not isinstance(p, dict):
            continue
        name = p.get("name")
        if name == "":
            out.append(diag("PX001", doc.span(("modelPacks", i, "name")), f"modelPacks[{i}].name is empty",
                            hint="the Plandex server rejects it: 'Model pack name is required'"))
        elif isinstance(name, str) and name in cat.packs:
            out.append(diag("PX003", doc.span(("modelPacks", i, "name")),
                            f"modelPacks[{i}].name: {name!r} is a built-in model pack name, so it can't be used for "
                            "a custom model pack",
                            hint="the server rejects the import (422); choose another name"))
        if p.get("localProvider") == "ollama":  # other values are schema errors
            out.append(diag("PX006", doc.span(("modelPacks", i, "localProvider"), key=True),
                            f"modelPacks[{i}].localProvider: the Plandex server does not store localProvider for "
                            "custom packs, so this setting is lost on import",
                            hint="it only takes effect in `plandex set-model` JSON; built-in local packs "
                                 "(ollama, ollama-oss, ollama-daily) have it already"))
        for key in ROLE_KEYS:
            if key in p:
                out.extend(_convo_tokens(doc, p[key], ("modelPacks", i, key), planner=key == "planner"))
    return out


def _convo_tokens(doc: Document, value: Any, ptr: tuple[Any, ...], *, planner: bool) -> list[Diagnostic]:
    if not isinstance(value, dict):
        return []
    out = []
    if "maxConvoTokens" in value and not planner:
        role = next((p for p in reversed(ptr) if isinstance(p, str) and p in ROLE_KEYS), "?")
        place = "a fallback" if ptr[-1] not in ROLE_KEYS else f"the {role} role"
        out.append(diag("PX004", doc.span((*ptr, "maxConvoTokens"), key=True),
                        f"{where((*ptr, 'maxConvoTokens'))}: Plandex only honours maxConvoTokens on the planner "
                        f"role itself and drops it on {place}",
                        hint="move it to the pack's planner role (or remove it)"))
    for key, _ in FALLBACK_KEYS:
        if key in value:
            out.extend(_convo_tokens(doc, value[key], (*ptr, key), planner=False))
    return out


# --- lowering ---------------------------------------------------------------------------------------

def _int(v: Any) -> int | None:
    """A Go int field: integral numbers (128000.0 included) become int; anything else is None."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    if isinstance(v, float) and not v.is_integer():
        return None
    if abs(v) > _GO_INT_MAX:
        return None
    return int(v)


def _number(v: Any) -> int | float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 2**53 else v


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []


def lower(body: dict[str, Any], span: SpanFn | None = None) -> Graph:
    """The graph of a (parsed, `$schema`-stripped) models file; built-ins it references are pulled in."""
    sp: SpanFn = span or (lambda _ptr: NOSPAN)
    cat = catalog()

    providers: list[Provider] = []
    for i, p in enumerate(_list(body.get("providers"))):
        if isinstance(p, dict) and isinstance(p.get("name"), str) and p["name"]:  # "" is PX001
            providers.append(_provider(p, sp(("providers", i))))
    custom_providers = {p.id for p in providers}

    models: list[Model] = []
    for i, m in enumerate(_list(body.get("models"))):
        if isinstance(m, dict) and isinstance(m.get("modelId"), str) and m["modelId"]:
            models.append(_model(m, ("models", i), sp, custom_providers))
    custom_models = {m.id for m in models}

    sets: list[AssignmentSet] = []
    for i, p in enumerate(_list(body.get("modelPacks"))):
        if isinstance(p, dict) and isinstance(p.get("name"), str) and p["name"]:
            sets.append(_pack(p, ("modelPacks", i), sp))

    # built-in models the packs use (a custom model of the same id wins: PX002 reports that)
    pulled: dict[str, Model] = {}
    for s in sets:
        for b in s.bindings:
            for mid, where_span in _model_refs(b):
                if mid not in custom_models and mid not in pulled and mid in cat.models:
                    pulled[mid] = builtin_model(mid, where_span)
    models_all = models + list(pulled.values())

    # built-in providers the deployments use
    pulled_p: dict[str, Provider] = {}
    for m in models_all:
        for d in m.deployments:
            explicit = bool(d.extras.get("plandex", {}).get("builtinProvider"))
            if d.provider in pulled_p or d.provider not in cat.providers:
                continue
            if d.provider in custom_providers and not explicit:
                continue
            pulled_p[d.provider] = builtin_provider(d.provider, d.span)
    return Graph(providers=tuple(providers + list(pulled_p.values())), models=tuple(models_all),
                 assignment_sets=tuple(sets))


def _provider(p: dict[str, Any], span: Span) -> Provider:
    key = _str(p.get("apiKeyEnvVar"))
    skip = p.get("skipAuth") is True
    if key is not None:
        auth = Auth("env", key)
    elif skip:
        auth = Auth("none")
    elif not p.get("extraAuthVars"):
        # No auth key at all: the schema pass already reports it (SC006, an error that also stops
        # conversions); "none" keeps the generic AU004 from saying the same thing again.
        auth = Auth("none")
    else:
        auth = Auth()
    extras: dict[str, Any] = {}
    if skip and key is not None:
        extras["skipAuth"] = True
    eav = extra_auth_vars(p.get("extraAuthVars"))
    if eav:
        extras["extraAuthVars"] = eav
    return Provider(id=p["name"], api="openai", base_url=_str(p.get("baseUrl")), auth=auth,
                    extras={"plandex": extras} if extras else {}, span=span)


def _model(m: dict[str, Any], ptr: tuple[Any, ...], sp: SpanFn, custom_providers: set[str]) -> Model:
    settings: dict[str, Any] = {}
    if isinstance(m.get("preferredOutputFormat"), str):
        settings["output_format"] = m["preferredOutputFormat"]
    if m.get("hasImageSupport") is True:
        settings["image_support"] = True
    if isinstance(m.get("reasoningEffort"), str) and m["reasoningEffort"]:
        settings["reasoning_effort"] = m["reasoningEffort"]
    extras: dict[str, Any] = {}
    convo = _int(m.get("defaultMaxConvoTokens"))
    if convo is not None:
        extras["defaultMaxConvoTokens"] = convo
    for k in FLAG_KEYS:
        v = m.get(k)
        if k == "reasoningBudget":
            v = _int(v)
        elif k == "tokenEstimatePaddingPct":
            v = _number(v)
        elif v is not True:
            v = None
        if v:  # Go's omitempty: false and 0 are the same as absent
            extras[k] = v
    deployments = []
    for j, e in enumerate(_list(m.get("providers"))):
        if not isinstance(e, dict) or not isinstance(e.get("provider"), str) or not isinstance(e.get("modelName"), str):
            continue
        kind = e["provider"]
        dx: dict[str, Any] = {}
        if kind == "custom":
            pid = _str(e.get("customProvider"))
            if pid is None:
                continue
        else:
            pid = kind
            if pid in custom_providers:  # a custom provider shadows the built-in name
                dx = {"plandex": {"builtinProvider": True}}
        deployments.append(Deployment(provider=pid, model_name=e["modelName"], extras=dx,
                                      span=sp((*ptr, "providers", j))))
    return Model(
        id=m["modelId"],
        description=_str(m.get("description")) or None,
        publisher=_str(m.get("publisher")) or None,
        context_window=_int(m.get("maxTokens")),
        max_output_tokens=_int(m.get("maxOutputTokens")),
        reserved_output_tokens=_int(m.get("reservedOutputTokens")),
        settings=settings,
        deployments=tuple(deployments),
        extras={"plandex": extras} if extras else {},
        span=sp(ptr),
    )


def _pack(p: dict[str, Any], ptr: tuple[Any, ...], sp: SpanFn) -> AssignmentSet:
    bindings = []
    for key in ROLE_KEYS:
        if key in p:
            b = _role(p[key], to_canonical("plandex", key) or key, (*ptr, key), sp)
            if b is not None:
                bindings.append(b)
    extras: dict[str, Any] = {}
    if isinstance(p.get("localProvider"), str):
        extras["localProvider"] = p["localProvider"]
    return AssignmentSet(id=p["name"], kind="pack", description=_str(p.get("description")),
                         bindings=tuple(bindings), extras={"plandex": extras} if extras else {}, span=sp(ptr))


def _role(value: Any, role: str, ptr: tuple[Any, ...], sp: SpanFn) -> RoleBinding | None:
    if isinstance(value, str):
        return RoleBinding(role=role, model=value, span=sp(ptr)) if value else None
    if not isinstance(value, dict) or not isinstance(value.get("modelId"), str):
        return None
    settings: dict[str, Any] = {}
    for key, name in (("temperature", "temperature"), ("topP", "top_p")):
        v = _number(value.get(key))
        if v is not None:
            settings[name] = v
    for key, name in (("reservedOutputTokens", "reserved_output_tokens"), ("maxConvoTokens", "max_convo_tokens")):
        v = _int(value.get(key))
        if v is not None:
            settings[name] = v
    fallbacks = []
    for key, kind in FALLBACK_KEYS:
        if key in value:
            fb = _role(value[key], role, (*ptr, key), sp)
            if fb is not None:
                fallbacks.append(Fallback(kind=kind, binding=fb, span=sp((*ptr, key))))
    return RoleBinding(role=role, model=value["modelId"], settings=settings, fallbacks=tuple(fallbacks), span=sp(ptr))


def _model_refs(b: RoleBinding) -> list[tuple[str, Span]]:
    out = [(b.model, b.span)]
    for f in b.fallbacks:
        out.extend(_model_refs(f.binding))
    return out
