"""Canonical role names and how each tool names them.

The IR uses one vocabulary of roles. Each format maps its own role names onto it when
reading and back when writing; a role with no counterpart in the target is a loss
(reported, never guessed). This table is the one the README documents.
"""

from __future__ import annotations

# canonical role -> one-line meaning
CANONICAL: dict[str, str] = {
    "default": "the one model a single-model setup uses (Codex model, Plano default, VS Code unified choice)",
    "planner": "plans and main replies",
    "architect": "high-level plan and context selection",
    "coder": "writes code",
    "summarizer": "conversation summaries",
    "builder": "turns plans into file edits",
    "whole-file-builder": "whole-file rewrite fallback of the builder",
    "namer": "names plans and contexts",
    "commit-messages": "writes commit messages",
    "auto-continue": "decides whether to keep going",
    "reviewer": "reviews code",
    "tester": "writes tests",
    "documenter": "writes documentation",
}

# format -> {tool role name: canonical role}
TOOL_ROLES: dict[str, dict[str, str]] = {
    "plandex": {
        "planner": "planner",
        "architect": "architect",
        "coder": "coder",
        "summarizer": "summarizer",
        "builder": "builder",
        "wholeFileBuilder": "whole-file-builder",
        "names": "namer",
        "commitMessages": "commit-messages",
        "autoContinue": "auto-continue",
    },
    "vscode": {
        "planning": "planner",
        "architecture": "architect",
        "code": "coder",
        "review": "reviewer",
        "test": "tester",
        "document": "documenter",
    },
    # Codex has one model per config layer (config.toml or a profile file): role "default".
    "codex": {},
    # Plano: `default: true` is role "default"; aliases and routes are separate IR nodes.
    "plano": {},
    "ir": {r: r for r in CANONICAL},
}


def to_canonical(fmt: str, tool_role: str) -> str | None:
    return TOOL_ROLES.get(fmt, {}).get(tool_role)


def from_canonical(fmt: str, role: str) -> str | None:
    for tool_role, canon in TOOL_ROLES.get(fmt, {}).items():
        if canon == role:
            return tool_role
    return None


def markdown_table() -> str:
    """README table: canonical role and its name in each tool."""
    fmts = ["plandex", "vscode", "codex", "plano"]
    rows = ["| canonical role | " + " | ".join(fmts) + " | meaning |", "|---" * (len(fmts) + 2) + "|"]
    for role, meaning in CANONICAL.items():
        cells = []
        for f in fmts:
            name = from_canonical(f, role)
            if role == "default" and f == "codex":
                name = "top-level `model` (+ each profile file)"
            elif role == "default" and f == "plano":
                name = "`default: true` provider"
            elif role == "default" and f == "vscode":
                name = "`unifiedProviderChoice`"
            cells.append(f"`{name}`" if name and not name.startswith(("top", "`")) else (name or "—"))
        rows.append(f"| `{role}` | " + " | ".join(cells) + f" | {meaning} |")
    return "\n".join(rows) + "\n"
