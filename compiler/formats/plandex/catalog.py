"""Plandex's built-ins (compiler/catalog/plandex.json) with lookups, and the graph nodes made from them."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from compiler.diagnostics import Span
from compiler.ir import NOSPAN, Auth, Deployment, Model, Provider
from compiler.resources import load_catalog

# file key -> canonical role, in the order Plandex writes a pack
ROLE_KEYS: tuple[str, ...] = ("planner", "architect", "coder", "summarizer", "builder", "wholeFileBuilder",
                              "names", "commitMessages", "autoContinue")
# fallback key -> Fallback.kind, in the order the graph keeps them
FALLBACK_KEYS: tuple[tuple[str, str], ...] = (
    ("largeContextFallback", "large-context"),
    ("largeOutputFallback", "large-output"),
    ("errorFallback", "error"),
    ("strongModel", "strong"),
)
# model flags kept in extras["plandex"], in Plandex's struct (= write) order
FLAG_KEYS: tuple[str, ...] = ("systemPromptDisabled", "roleParamsDisabled", "stopDisabled", "predictedOutputEnabled",
                              "reasoningEffortEnabled", "includeReasoning", "reasoningBudget", "supportsCacheControl",
                              "singleMessageNoSystemPrompt", "tokenEstimatePaddingPct")
MODEL_INT_FIELDS: tuple[str, ...] = ("defaultMaxConvoTokens", "maxTokens", "maxOutputTokens", "reservedOutputTokens",
                                     "reasoningBudget")
ROLE_INT_FIELDS: tuple[str, ...] = ("reservedOutputTokens", "maxConvoTokens")
EXTRA_AUTH_KEYS: tuple[str, ...] = ("var", "maybeJSONFilePath", "required", "default")

SCHEMA_URL = "https://plandex.ai/schemas/models-input.schema.json"
PACK_SCHEMA_URL = "https://plandex.ai/schemas/model-pack-inline.schema.json"


@dataclass(frozen=True)
class Catalog:
    providers: dict[str, dict[str, Any]]
    models: dict[str, dict[str, Any]]
    packs: dict[str, dict[str, Any]]
    roles: dict[str, dict[str, Any]]
    schema_enum: tuple[str, ...]

    @property
    def required_roles(self) -> tuple[str, ...]:
        return tuple(k for k in ROLE_KEYS if self.roles[k]["required"])


@functools.cache
def catalog() -> Catalog:
    raw = load_catalog("plandex")
    return Catalog(
        providers={p["id"]: p for p in raw["providers"]},
        models={m["modelId"]: m for m in raw["models"]},
        packs={p["name"]: p for p in raw["packs"]},
        roles={r["key"]: r for r in raw["roles"]},
        schema_enum=tuple(raw["schemaProviderEnum"]),
    )


def extra_auth_vars(value: Any) -> list[dict[str, Any]]:
    """extraAuthVars as Go keeps them: known keys only, false/"" left out."""
    out = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("var"), str):
            continue
        out.append({k: item[k] for k in EXTRA_AUTH_KEYS
                    if k in item and item[k] not in (False, "", None)
                    and isinstance(item[k], bool if k in ("maybeJSONFilePath", "required") else str)})
    return out


def builtin_provider(pid: str, span: Span = NOSPAN) -> Provider:
    p = catalog().providers[pid]
    if p.get("apiKeyEnvVar"):
        auth = Auth("env", p["apiKeyEnvVar"])
    elif p.get("skipAuth"):
        auth = Auth("none")
    else:
        auth = Auth()
    extras: dict[str, Any] = {"baseUrl": p["baseUrl"]}
    if p.get("extraAuthVars"):
        extras["extraAuthVars"] = [dict(v) for v in p["extraAuthVars"]]
    for k in ("localOnly", "hasAWSAuth", "hasClaudeMaxAuth", "liteLLMId"):
        if p.get(k):
            extras[k] = p[k]
    # Plandex reaches every provider but openai/openrouter through its LiteLLM proxy (baseUrl
    # http://localhost:4000/v1); the graph describes the upstream service, so other targets
    # get the provider's own endpoint (base_url None = that API's default).
    base = p["baseUrl"] if not p["baseUrl"].startswith("http://localhost:4000") else None
    return Provider(id=pid, api=p["api"], base_url=base, auth=auth, builtin="plandex",
                    extras={"plandex": extras}, span=span)


def builtin_model(mid: str, span: Span = NOSPAN) -> Model:
    m = catalog().models[mid]
    settings: dict[str, Any] = {"output_format": m["preferredOutputFormat"]}
    if m.get("hasImageSupport"):
        settings["image_support"] = True
    if m.get("reasoningEffort"):
        settings["reasoning_effort"] = m["reasoningEffort"]
    extras: dict[str, Any] = {"defaultMaxConvoTokens": m["defaultMaxConvoTokens"]}
    for k in (*FLAG_KEYS, "hideReasoning", "localOnly"):
        if m.get(k):
            extras[k] = m[k]
    return Model(
        id=mid,
        description=m.get("description") or None,
        publisher=m.get("publisher") or None,
        context_window=m["maxTokens"],
        max_output_tokens=m["maxOutputTokens"],
        reserved_output_tokens=m["reservedOutputTokens"],
        settings=settings,
        deployments=tuple(Deployment(provider=pv, model_name=name, span=span) for pv, name in m["providers"]),
        builtin="plandex",
        extras={"plandex": extras},
        span=span,
    )
