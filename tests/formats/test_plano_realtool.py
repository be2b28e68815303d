"""Every Plano file modelcc writes passes planoai 0.4.39's own validator (tests/realtools.py).

- each valid config of the shared corpus, converted plano -> plano;
- each valid fixture of every format (fixtures/*/valid/*) converted to plano; a format whose
  reader is not there yet is skipped.
Needs the planoai venv (see tests/realtools.py); skips without it, fails under CI=true.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from compiler.context import WriteContext
from compiler.emit import emit
from compiler.formats import FORMATS, detect, syntax_for_path
from compiler.pipeline import RunOptions, read_graph
from tests.conftest import CONFORMANCE, FIXTURES, ROOT
from tests.realtools import plano_validate, plano_validate_full, require_plano

pytestmark = pytest.mark.realtool

INPUT_SUFFIXES = (".json", ".jsonc", ".toml", ".yaml", ".yml")


def _valid_corpus() -> list[Path]:
    expected = CONFORMANCE / "plano" / "corpus" / "expected_validation.json"
    if not expected.exists():
        return []
    files = json.loads(expected.read_text(encoding="utf-8"))["files"]
    return [expected.parent / name for name, v in sorted(files.items()) if v["valid"]]


def _valid_fixtures() -> list[Path]:
    out = []
    for p in sorted(FIXTURES.glob("*/valid/**/*")):
        if p.is_file() and p.name.endswith(INPUT_SUFFIXES) and not p.name.startswith("."):
            if p.parent.name == "profiles" or p.name.endswith(".config.toml") and p.name != "config.toml":
                continue  # Codex profile files are read with their config.toml
            out.append(p)
    return out


def _convert(path: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    graph, diags, loaded = read_graph(str(path), RunOptions(environ={}))
    if loaded.format is not None:
        try:
            importlib.import_module(f"{loaded.format.package}.reader")
        except ModuleNotFoundError:
            pytest.skip(f"the {loaded.format.name} reader does not exist yet")
    assert graph is not None, [d.message for d in diags]
    ctx = WriteContext()
    emitted = emit(graph, "plano", ctx)
    assert emitted is not None, [d.message for d in ctx.sink]
    out = tmp_path / "plano_config.yaml"
    out.write_text(emitted.text, encoding="utf-8")
    return out, [f"{d.code} {d.message}" for d in ctx.sink]


def _check(out: Path, losses: list[str]) -> None:
    verdict = plano_validate_full(out)
    assert verdict["valid"], f"planoai rejects the output: {verdict['error']}\n--- losses: {losses}\n" \
                             f"--- output:\n{out.read_text(encoding='utf-8')}"


@pytest.mark.parametrize("path", _valid_corpus(), ids=lambda p: p.name)
def test_corpus_plano_to_plano_passes_planoai(path: Path, tmp_path: Path) -> None:
    require_plano()
    out, losses = _convert(path, tmp_path)
    _check(out, losses)


@pytest.mark.parametrize("path", _valid_fixtures(), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture_to_plano_passes_planoai(path: Path, tmp_path: Path) -> None:
    require_plano()
    fmt = detect_format(path)
    if fmt is None:
        pytest.skip(f"{path.relative_to(ROOT)}: no format detected")
    out, losses = _convert(path, tmp_path)
    _check(out, losses)


def detect_format(path: Path) -> str | None:
    from compiler.pipeline import parse

    text = path.read_text(encoding="utf-8")
    doc, _ = parse(str(path), text, syntax_for_path(str(path)))
    if doc is None:
        return None
    fmt = detect(doc.data, str(path))
    return fmt.name if fmt and fmt.name in FORMATS else None


@pytest.mark.parametrize("path", sorted((FIXTURES / "plano").glob("*/*.yaml")), ids=lambda p: p.name)
def test_planoai_rejections_are_modelcc_errors(path: Path) -> None:
    """Where planoai rejects a Plano fixture, modelcc reports an error too (it reports more: the
    gateway's start-up failures); valid fixtures pass planoai."""
    require_plano()
    valid, message = plano_validate(path)
    from compiler.pipeline import check

    result = check([str(path)], RunOptions(environ={}))
    if "valid" in path.parent.name and path.parent.name == "valid":
        assert valid, message
    if not valid:
        assert result.exit_code == 1, f"planoai: {message}"


def test_updated_file_passes_planoai(tmp_path: Path) -> None:
    """update() on a commented corpus file (a model removed) gives a file planoai accepts."""
    require_plano()
    from dataclasses import replace

    from compiler.formats.plano import writer

    src = CONFORMANCE / "plano" / "corpus" / "docs__source__resources__includes__plano_config_full_reference.yaml"
    if not src.exists():
        pytest.skip("shared Plano conformance data not found")
    graph, _, _ = read_graph(str(src), RunOptions(environ={}))
    assert graph is not None
    graph = replace(graph, models=tuple(m for m in graph.models if m.id != "mistral/ministral-3b-latest"))
    out = tmp_path / "plano_config.yaml"
    out.write_text(writer.update(src.read_text(encoding="utf-8"), graph, WriteContext()), encoding="utf-8")
    _check(out, [])
