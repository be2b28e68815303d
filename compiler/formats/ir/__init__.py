"""modelcc's own graph format (`*.modelcc.json` / `.yaml`)."""
