"""Diagnostic codes of area `plano` (see compiler/codes/__init__.py for the scheme).

PL001-PL024 follow the validator of planoai 0.4.39 (`config_generator.validate_and_render_schema`,
formats/plano.md section 7, in its order); PL025-PL036 are failures the validator lets through
but the gateway refuses at start-up or that make an entry useless (section 7 "NOT checked by
the CLI", section 4), plus deprecations.
"""

from __future__ import annotations

from compiler.codes import Code, register
from compiler.diagnostics import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

register(
    # --- planoai's own validator (rule numbers of formats/plano.md section 7) --------------
    Code("PL001", "plano.both-provider-lists", "Both model_providers and llm_providers are given (rule 1)."),
    Code("PL002", "plano.wildcard-routing-preferences",
         "A wildcard entry carries inline routing_preferences (rule 2)."),
    Code("PL003", "plano.legacy-listeners-without-providers",
         "Legacy dict-form listeners need a non-empty provider list (rule 3)."),
    Code("PL004", "plano.multiple-model-listeners", "More than one listener has type: model (rule 4)."),
    Code("PL005", "plano.duplicate-agent-id", "Two agents/filters share one id (rule 5)."),
    Code("PL006", "plano.unknown-endpoint", "A prompt target names an endpoint that is not defined (rule 6)."),
    Code("PL007", "plano.tracing-endpoint-scheme", "The tracing gRPC endpoint is not an http:// URL (rule 7)."),
    Code("PL008", "plano.tracing-endpoint-path", "The tracing gRPC endpoint has a path (rule 8)."),
    Code("PL009", "plano.duplicate-route-name", "Two routing preferences share one name (rule 9)."),
    Code("PL010", "plano.duplicate-provider-name",
         "Two provider entries have the same name, given or defaulted from model (rule 10)."),
    Code("PL011", "plano.duplicate-model", "The same model string is declared twice (rule 11)."),
    Code("PL012", "plano.model-without-provider", "A model string has no <provider>/ prefix (rule 12)."),
    Code("PL013", "plano.wildcard-default", "A wildcard entry is marked default: true (rule 13)."),
    Code("PL014", "plano.base-url-required",
         "azure_openai, ollama, qwen, amazon_bedrock and plano entries need base_url (rule 14)."),
    Code("PL015", "plano.custom-provider-incomplete",
         "A custom provider prefix needs both base_url and provider_interface (rules 15, 16)."),
    Code("PL016", "plano.interface-on-supported",
         "provider_interface is set on a supported provider prefix (rule 17)."),
    Code("PL017", "plano.duplicate-model-id",
         "The same model id is declared under two prefixes, or equals another full model string (rule 18)."),
    Code("PL018", "plano.passthrough-with-key",
         "passthrough_auth and access_key are both set; the key is ignored (rule 19).", W, True),
    Code("PL019", "plano.base-url-scheme", "base_url does not start with http:// or https:// (rule 20)."),
    Code("PL020", "plano.unknown-filter", "A listener names an input/output filter that is not defined (rule 21)."),
    Code("PL021", "plano.alias-target", "A model alias targets something that is not a declared model (rule 22)."),
    Code("PL022", "plano.agent-orchestrator-endpoints",
         "use_agent_orchestrator needs exactly one endpoint (rule 23)."),
    Code("PL023", "plano.endpoint-port", "An endpoint's port is not a number (the validator crashes on it)."),
    Code("PL024", "plano.inline-routing-preferences",
         "Inline routing_preferences under a provider entry are deprecated (migrated by planoai).", W, True),
    # --- what the validator lets through but the gateway refuses (section 7, section 4) ----------
    Code("PL025", "plano.multiple-defaults", "More than one entry is marked default: true (gateway refuses)."),
    Code("PL026", "plano.route-model-undeclared",
         "A routing preference names a model that no entry declares explicitly (gateway refuses)."),
    Code("PL027", "plano.prefer-without-metrics",
         "selection_policy.prefer needs a matching model_metrics_sources entry (gateway refuses)."),
    Code("PL028", "plano.duplicate-metrics-source",
         "More than one cost (or latency) entry in model_metrics_sources (gateway refuses)."),
    Code("PL029", "plano.cluster-missing",
         "A vercel/openrouter/edenai entry without base_url routes to a cluster that does not exist."),
    Code("PL030", "plano.name-shadows-model",
         "An entry's name equals a later entry's model string (gateway refuses: not a unique name)."),
    Code("PL031", "plano.wildcard-name", "A wildcard entry has a custom name, so it expands and matches nothing."),
    Code("PL032", "plano.braced-env-ref",
         "access_key is written ${VAR}; planoai looks up the variable '{VAR}' (write $VAR).", W, True),
    Code("PL033", "plano.empty-model-part", "A model string has an empty provider prefix or an empty model id."),
    Code("PL034", "plano.inline-routing-ignored",
         "Inline routing_preferences in a v0.4.0 file are ignored by planoai.", W, True),
    Code("PL035", "plano.legacy-llm-providers", "llm_providers is the deprecated name of model_providers.", W, True),
    Code("PL036", "plano.inline-route-conflict",
         "The same inline routing preference has different descriptions; the first one wins.", W, True),
)
