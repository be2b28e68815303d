"""OpenAI Codex CLI `config.toml` (release 0.169) and its profile files `<name>.config.toml`."""
