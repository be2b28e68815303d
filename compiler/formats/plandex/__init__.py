"""Plandex custom models file (`plandex models custom`, models-input.schema.json).

`reader.read` checks the file the way Plandex's CLI and server do and lowers it to the
graph; `writer.write` emits a graph the way Plandex writes the file; `catalog` holds the
built-in providers, models and packs.
"""
