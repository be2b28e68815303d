"""Conversion-loss codes: what a target format cannot express (`--strict` makes them errors)."""

from __future__ import annotations

from compiler.codes import Code, register
from compiler.diagnostics import Severity

W, I, E = Severity.WARNING, Severity.INFO, Severity.ERROR

register(
    Code("LS001", "loss.literal-secret", "A literal key was replaced by an env-var reference in the output.", W, True),
    Code("LS002", "loss.field", "A field the target format cannot express was dropped.", W, True),
    Code("LS003", "loss.role", "A role has no counterpart in the target tool and was dropped.", W, True),
    Code("LS004", "loss.assignment-set", "An assignment set (pack/profile) cannot be expressed by the target.", W, True),
    Code("LS005", "loss.alias", "An alias cannot be expressed by the target.", W, True),
    Code("LS006", "loss.route", "A routing preference cannot be expressed by the target.", W, True),
    Code("LS007", "loss.fallback", "A fallback edge cannot be expressed by the target.", W, True),
    Code("LS008", "loss.deployment", "A model's alternative deployments cannot be expressed by the target.", W, True),
    Code("LS009", "loss.api", "The target tool cannot talk to this provider's API.", W, True),
    Code("LS010", "loss.auth", "The provider's authentication cannot be expressed by the target.", W, True),
    Code("LS011", "loss.cost", "Prices cannot be expressed by the target.", W, True),
    Code("LS012", "loss.extras", "Settings specific to the source tool have no place in the target.", W, True),
    Code("LS013", "loss.renamed", "An id was renamed to satisfy the target tool's rules.", W, True),
    Code("LS014", "loss.wildcard", "A wildcard model cannot be expressed by the target.", W, True),
    Code("LS015", "loss.required-missing", "The target requires a value the graph does not have.", E),
    Code("LS016", "loss.limit", "A token limit or model setting cannot be expressed by the target.", W, True),
)
