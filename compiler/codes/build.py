"""Diagnostic codes of area `build`: the manifest (`modelcc.yaml`) and `modelcc build`.

Structural problems of a manifest are reported by the schema pass with the same `SC*`
codes as every other input (at the line and column of the offending value); the `BD*`
codes below are what the schema cannot say.
"""

from __future__ import annotations

from compiler.codes import Code, register
from compiler.diagnostics import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

register(
    Code("BD001", "build.no-manifest", "No manifest was found (modelcc.yaml in this folder, or --manifest PATH)."),
    Code("BD002", "build.source-unreadable", "A source listed in the manifest could not be read as a config."),
    Code("BD003", "build.unknown-environment", "--env names an environment the manifest does not define."),
    Code("BD004", "build.unknown-provider", "An environment overrides a provider that no source defines."),
    Code("BD005", "build.unknown-model", "An environment overrides (or makes default) a model that no source defines."),
    Code("BD006", "build.update-unsupported", "A target asks for mode `update`, which its format's writer cannot do."),
    Code("BD007", "build.update-missing-file", "A target in mode `update` names a file that does not exist yet."),
    Code("BD008", "build.unknown-set", "A target's `set` names an assignment set that no source defines."),
    Code("BD009", "build.duplicate-output", "Two targets (or a target's extra files) write the same path."),
    Code("BD010", "build.write-failed", "An output file could not be written."),
    Code("BD011", "build.update-unreadable", "The existing file of an `update` target could not be read or parsed."),
)
