"""Codes shared by every format: I/O, syntax, schema, graph checks, cross-file, internal."""

from __future__ import annotations

from compiler.codes import Code, register
from compiler.diagnostics import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

register(
    # --- input / output -------------------------------------------------------------------
    Code("IO001", "io.not-found", "The file does not exist."),
    Code("IO002", "io.is-directory", "A directory was given where a file was expected."),
    Code("IO003", "io.unreadable", "The file could not be read (permissions, device error)."),
    Code("IO004", "io.not-utf8", "The file is not valid UTF-8 text."),
    Code("IO005", "io.too-large", "The file is larger than the size limit (--max-size)."),
    Code("IO006", "io.empty", "The file is empty or holds only whitespace and comments."),
    Code("IO007", "io.unknown-format", "The file matches none of the supported formats."),
    Code("IO008", "io.bom", "The file starts with a UTF-8 byte-order mark.", W),
    Code("IO009", "io.binary", "The file holds NUL bytes: it is not a text config."),
    # --- syntax ---------------------------------------------------------------------------
    Code("SY001", "syntax.invalid", "The text is not valid JSON / JSONC / TOML / YAML."),
    Code("SY002", "syntax.duplicate-key", "A key appears twice in the same object or table."),
    Code("SY003", "syntax.jsonc-in-json", "Comments or trailing commas in a strict .json file.", W),
    Code("SY004", "syntax.not-a-mapping", "The document's top level is not an object / mapping."),
    Code("SY005", "syntax.multiple-documents", "A YAML file holds more than one document."),
    Code("SY006", "syntax.unsupported-yaml", "YAML feature modelcc does not accept (tags, complex keys)."),
    # --- schema ---------------------------------------------------------------------------
    Code("SC001", "schema.type", "A value has the wrong type."),
    Code("SC002", "schema.required", "A required key is missing."),
    Code("SC003", "schema.unknown-key", "A key the format does not allow."),
    Code("SC004", "schema.enum", "A value is not one of the allowed values."),
    Code("SC005", "schema.constraint", "A value breaks a constraint (range, length, pattern, count)."),
    Code("SC006", "schema.combination", "A value matches none (or more than one) of the allowed shapes."),
    Code("SC007", "schema.not-integer", "A whole number was expected (the tool stores it as an integer)."),
    # --- graph checks ---------------------------------------------------------------------
    Code("UQ001", "unique.provider", "Two providers share one id."),
    Code("UQ002", "unique.model", "Two models share one id."),
    Code("UQ003", "unique.assignment-set", "Two assignment sets (packs, profiles) share one name."),
    Code("UQ004", "unique.alias", "Two aliases share one name, or an alias shadows a model."),
    Code("UQ005", "unique.route", "Two routing preferences share one name."),
    Code("RF001", "ref.provider", "A reference names a provider that is not defined."),
    Code("RF002", "ref.model", "A reference names a model that is not defined or built in."),
    Code("RF003", "ref.fallback-cycle", "Fallback chain loops back on itself (tools stop after a few steps).", W, True),
    Code("RF004", "ref.alias-target", "An alias targets something that is not a declared model."),
    Code("RF005", "ref.route-model", "A routing preference names a model that is not declared."),
    Code("RF006", "ref.unused-provider", "A provider is defined but no model uses it.", I),
    Code("RF007", "ref.fallback-depth", "A fallback chain is deeper than the tool follows.", W),
    Code("LM001", "limit.output-exceeds-context", "Max output tokens exceed the context window."),
    Code("LM002", "limit.reserved-exceeds-output", "Reserved output tokens exceed max output tokens."),
    Code("LM003", "limit.non-positive", "A token limit or context window is zero or negative."),
    Code("LM004", "limit.negative-cost", "A price is negative."),
    Code("LM005", "limit.out-of-range", "A sampling setting is outside its usual range.", W),
    Code("LM006", "limit.convo-exceeds-context", "Conversation budget exceeds the input limit.", W),
    Code("UR001", "url.invalid", "A URL is malformed or not http(s)."),
    Code("UR002", "url.query-in-base", "A base URL carries a query string or fragment."),
    Code("UR003", "url.insecure", "A remote (non-loopback) endpoint uses plain http.", I),
    Code("UR004", "url.endpoint-suffix", "A base URL ends in an endpoint path (/responses, /chat/completions).", W),
    Code("AU001", "auth.literal-secret", "A literal API key is written in the file."),
    Code("AU002", "auth.env-missing", "A referenced environment variable is not set (--env)."),
    Code("AU003", "auth.conflict", "Two authentication methods are set where the tool allows one."),
    Code("AU004", "auth.missing", "A remote provider has no authentication.", W),
    Code("AU005", "auth.bad-env-name", "An env-var reference is not a valid variable name."),
    Code("AU006", "auth.literal-key", "A literal key that does not look like a real secret is written in the file.", W),
    Code("WC001", "wildcard.invalid", "A wildcard is malformed or used where it is not allowed."),
    Code("WC002", "wildcard.empty-expansion", "A wildcard expands to no known models.", I),
    # --- several files --------------------------------------------------------------------
    Code("XF001", "cross.provider-conflict", "The same provider id is defined differently in two files."),
    Code("XF002", "cross.model-conflict", "The same model id is defined differently in two files."),
    Code("XF003", "cross.set-conflict", "The same assignment set is defined differently in two files."),
    Code("XF004", "cross.alias-conflict", "The same alias targets different models in two files."),
    Code("XF005", "cross.route-conflict", "The same routing preference is defined differently in two files."),
    # --- internal -------------------------------------------------------------------------
    Code("IN001", "internal.error", "modelcc itself failed; please report this as a bug."),
    Code("IN002", "internal.roundtrip-mismatch", "Emitted text does not read back to the same graph (a bug)."),
)
