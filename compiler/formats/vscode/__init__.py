"""VS Code settings.json (`aiOrchestrator.*` settings of the aiOrchestrator extension)."""
