"""Diagnostic codes of area `codex` (see compiler/codes/__init__.py for the scheme).

The rules are those the OpenAI Codex CLI 0.169 applies when it loads config.toml (and its
profile files); the facts behind each one are in docs/formats (codex.md) and were checked
against the real binary. Codex rejects at load what is an error here; what it accepts with
a warning (or silently ignores) is a warning here.
"""

from __future__ import annotations

from compiler.codes import Code, register
from compiler.diagnostics import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

register(
    Code("CX001", "codex.reserved-provider-id",
         "A [model_providers] table redefines a built-in provider id (openai, ollama, lmstudio)."),
    Code("CX002", "codex.bedrock-field",
         "An amazon-bedrock provider table sets a field Codex does not let users change."),
    Code("CX003", "codex.provider-name-empty", "A custom provider has no name, or a blank one."),
    Code("CX004", "codex.wire-api-chat",
         "wire_api = \"chat\": Codex no longer speaks the Chat Completions API."),
    Code("CX005", "codex.wire-api-unknown", "wire_api is not \"responses\", the only value Codex knows."),
    Code("CX006", "codex.legacy-profile-selector",
         "Top-level `profile = ...` is no longer supported (profiles are <name>.config.toml files)."),
    Code("CX007", "codex.legacy-profiles-table",
         "A legacy [profiles.<name>] table: Codex type-checks it but never applies it.", W, True),
    Code("CX008", "codex.unknown-model-provider",
         "model_provider names no built-in provider and no [model_providers] table (ids are case-sensitive)."),
    Code("CX009", "codex.ollama-chat-removed", "The `ollama-chat` provider was removed from Codex."),
    Code("CX010", "codex.aws-not-bedrock", "`aws` auth is set on a provider other than amazon-bedrock(-runtime)."),
    Code("CX011", "codex.max-output-tokens-ignored",
         "model_max_output_tokens is not a Codex setting any more; Codex ignores it.", W, True),
    Code("CX012", "codex.root-provider-key",
         "A provider setting (base_url, wire_api, ...) at the top level, where Codex ignores it.", W, True),
    Code("CX013", "codex.reasoning-effort-empty", "A reasoning effort is an empty string."),
    Code("CX014", "codex.reasoning-effort-unknown",
         "A reasoning effort outside none/minimal/low/medium/high/xhigh (sent to the model verbatim).", W, True),
    Code("CX015", "codex.unknown-key",
         "A key Codex does not know: it ignores it with a warning (an error with --strict-config).", W, True),
    Code("CX016", "codex.profile-conflict",
         "A profile file and a legacy [profiles.<name>] table of the same name: `--profile` fails."),
    Code("CX017", "codex.bearer-token-shadowed",
         "experimental_bearer_token is ignored because env_key is also set.", W, True),
    Code("CX018", "codex.missing-base-url",
         "A custom provider without base_url: Codex sends its requests to api.openai.com.", W, True),
    Code("CX019", "codex.invalid-header-name",
         "An HTTP header name Codex cannot send: it drops the header silently.", W, True),
    Code("CX020", "codex.query-param-unencoded",
         "A query_params value with characters Codex puts into the URL unescaped.", W, True),
    Code("CX021", "codex.oss-provider",
         "oss_provider is not ollama or lmstudio: `codex --oss` fails with it.", W, True),
    Code("CX022", "codex.profile-file-name",
         "A profile file whose name `--profile` cannot select (letters, digits, - and _ only).", W, True),
)
