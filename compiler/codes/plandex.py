"""Diagnostic codes of area `plandex` (see compiler/codes/__init__.py for the scheme).

These are the rules Plandex itself applies beyond its JSON Schema (CLI on save, server on
import; docs: /formats/plandex.md §2) and its quirks a user should hear about. Schema
problems, duplicates (UQ*), dangling references (RF*) and Go-integer fields (SC007) use the
shared codes.
"""

from __future__ import annotations

from compiler.codes import Code, register
from compiler.diagnostics import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

register(
    Code("PX001", "plandex.empty-name",
         "A provider name, model id or pack name is empty (the Plandex server rejects it)."),
    Code("PX002", "plandex.builtin-model-id",
         "A custom model reuses a built-in Plandex model id (the server rejects it with 422)."),
    Code("PX003", "plandex.builtin-pack-name",
         "A custom model pack reuses a built-in pack name (the server rejects it with 422)."),
    Code("PX004", "plandex.convo-tokens-ignored",
         "maxConvoTokens is set on a role other than planner (or on a fallback); Plandex drops it.", W, True),
    Code("PX005", "plandex.two-custom-providers",
         "A model lists two `custom` providers; Plandex sends the first one's modelName to both.", W, True),
    Code("PX006", "plandex.local-provider-dropped",
         "A custom pack sets localProvider; the Plandex server does not store it.", W, True),
    Code("PX007", "plandex.role-dropped",
         "A non-integer token count in an optional role makes Plandex silently drop the role.", W, True),
)
