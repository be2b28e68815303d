"""Diagnostic codes of area `vscode` (see compiler/codes/__init__.py for the scheme).

The VS Code `aiOrchestrator.*` settings rules (formats/vscode.md). Generic problems are
reported by the graph checks, not here: duplicate model ids (UQ002), `custom:x` naming no
model (RF002), endpoints that are not http(s) URLs (UR001), literal keys (AU001).
"""

from __future__ import annotations

from compiler.codes import Code, register
from compiler.diagnostics import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

register(
    Code("VS001", "vscode.unknown-setting",
         "An aiOrchestrator.* setting (or member of one) the extension does not define; VS Code ignores it.", W, True),
    Code("VS002", "vscode.unknown-field", "A custom model field the extension does not define.", W, True),
    Code("VS003", "vscode.dotted-conflict",
         "A setting is given both as a dotted key and inside its parent object; the dotted key wins."),
    Code("VS004", "vscode.unknown-role", "A providerAssignment role the extension does not know.", W, True),
    Code("VS005", "vscode.bad-model-ref",
         "A model reference is not `auto`, a built-in preset or `custom:<id>`."),
    Code("VS006", "vscode.endpoint-missing-type", "A custom endpoint entry has no `type`."),
    Code("VS007", "vscode.endpoint-missing-model-name", "A custom endpoint entry has no `modelName`."),
    Code("VS008", "vscode.endpoint-missing-url", "A custom endpoint entry (with a `type`) has no `endpoint`."),
    Code("VS009", "vscode.azure-missing-deployment", "An `azure-openai` entry has no `deploymentName`."),
    Code("VS010", "vscode.fireworks-missing-model-path", "A Fireworks custom model has no `modelPath`."),
    Code("VS011", "vscode.unified-without-choice",
         "`useUnifiedProvider` is true but `unifiedProviderChoice` is not set."),
    Code("VS012", "vscode.ignored-field", "A field that has no effect on this kind of entry.", W, True),
    Code("VS013", "vscode.bad-secret-ref",
         "An apiKey looks like a variable reference but is not `${SECRET:<name>}`.", W, True),
)
