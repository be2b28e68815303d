"""`modelcc build`: generate, --check, --diff, atomic writes, environments."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from compiler.build import WriteBack, run_build

OUT = Path("out") / "graph.modelcc.json"


def test_generate_then_check_is_clean(project, run) -> None:
    r = run("build", cwd=project)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert r.stderr == "wrote out/graph.modelcc.json\n1 written, 0 unchanged.\n"
    text = (project / OUT).read_text(encoding="utf-8")
    assert json.loads(text)["modelcc"] == "1"
    r = run("build", "--check", cwd=project)
    assert (r.exit_code, r.stdout) == (0, "")
    assert r.stderr == "All 1 output up to date.\n"
    # a second build writes nothing
    mtime = (project / OUT).stat().st_mtime_ns
    r = run("build", cwd=project)
    assert r.stderr == "0 written, 1 unchanged.\n"
    assert (project / OUT).stat().st_mtime_ns == mtime


def test_check_reports_stale_output_as_unified_diff(project, run) -> None:
    assert run("build", cwd=project).exit_code == 0
    out = project / OUT
    good = out.read_text(encoding="utf-8")
    out.write_text(good.replace('"context_window": 128000', '"context_window": 64000'), encoding="utf-8")
    before = out.read_text(encoding="utf-8")
    r = run("build", "--check", cwd=project)
    assert r.exit_code == 1
    assert r.stdout.startswith("--- a/out/graph.modelcc.json\n+++ b/out/graph.modelcc.json\n@@ ")
    assert '-      "context_window": 64000,\n+      "context_window": 128000,\n' in r.stdout
    assert r.stderr == "would write out/graph.modelcc.json\n1 of 1 output would change.\n"
    assert out.read_text(encoding="utf-8") == before  # --check writes nothing
    r = run("build", "--diff", cwd=project)
    assert r.exit_code == 0  # --diff does not fail
    assert '+      "context_window": 128000,\n' in r.stdout
    assert out.read_text(encoding="utf-8") == before
    r = run("build", "--check", "--diff", cwd=project)
    assert r.exit_code == 1


def test_check_of_missing_output_diffs_from_empty(project, run) -> None:
    r = run("build", "--check", cwd=project)
    assert r.exit_code == 1
    assert r.stdout.startswith("--- a/out/graph.modelcc.json\n+++ b/out/graph.modelcc.json\n@@ -0,0 +1,")
    assert not (project / "out").exists()


def test_source_errors_write_nothing(project, run) -> None:
    src = project / "models.modelcc.json"
    data = json.loads(src.read_text(encoding="utf-8"))
    data["models"][0]["deployments"][0]["provider"] = "nowhere"
    src.write_text(json.dumps(data, indent=2), encoding="utf-8")
    r = run("build", cwd=project)
    assert r.exit_code == 1
    assert "error RF001" in r.stderr
    assert r.stderr.endswith("Nothing written: fix the errors above.\n")
    assert not (project / "out").exists()
    r = run("build", "--check", cwd=project)
    assert r.exit_code == 1 and r.stdout == ""


def test_write_is_atomic(project, monkeypatch) -> None:
    assert run_build(str(project / "modelcc.yaml")).exit_code == 0
    out = project / OUT
    before = out.read_text(encoding="utf-8")
    src = project / "models.modelcc.json"
    src.write_text(src.read_text(encoding="utf-8").replace("128000", "64000"), encoding="utf-8")

    def boom(a: str, b: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    result = run_build(str(project / "modelcc.yaml"))
    assert result.exit_code == 1
    assert [d.code for d in result.diagnostics] == ["BD010"]
    assert "No space left on device" in result.diagnostics[0].message
    assert out.read_text(encoding="utf-8") == before  # the old file is intact
    assert sorted(p.name for p in out.parent.iterdir()) == ["graph.modelcc.json"]  # no temp file left


def test_environment_values_and_output_dir(project, run) -> None:
    r = run("build", "--env", "prod", cwd=project)
    assert r.exit_code == 0, r.stderr
    assert not (project / OUT).exists()
    doc = json.loads((project / "out" / "prod" / "graph.modelcc.json").read_text(encoding="utf-8"))
    azure = doc["providers"][0]
    assert azure["base_url"] == "https://prod-example.openai.azure.com/openai"
    assert azure["auth"] == {"kind": "env", "value": "AZURE_OPENAI_PROD_KEY"}
    gpt = doc["models"][0]
    assert gpt["context_window"] == 200000
    assert doc["assignment_sets"][0]["bindings"] == [{"role": "default", "model": "llama-4-maverick"}]
    # the source is unchanged and the dev build is unaffected
    assert run("build", cwd=project).exit_code == 0
    dev = json.loads((project / OUT).read_text(encoding="utf-8"))
    assert dev["models"][0]["context_window"] == 128000
    assert run("build", "--env", "prod", "--check", cwd=project).exit_code == 0


def test_environment_overrides_are_checked_like_sources(project, run) -> None:
    """An environment's values go through the checks too: a literal key in an override header
    is AU001 and nothing is written (it used to land in every output); so is a bad limit."""
    (project / "modelcc.yaml").write_text(
        "sources: [models.modelcc.json]\n"
        "targets: [{format: codex, path: out/config.toml}, {format: plano, path: out/plano_config.yaml}]\n"
        "environments:\n"
        "  prod:\n"
        "    providers:\n"
        "      together: {headers: {Authorization: 'Bearer sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c'}}\n"
        "    models: {gpt-4o: {max_output_tokens: 300000}}\n", encoding="utf-8")
    r = run("build", "--env", "prod", cwd=project)
    assert r.exit_code == 1
    assert "error AU001" in r.stderr and "header Authorization holds a literal key" in r.stderr
    assert "error LM001" in r.stderr
    assert "sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c" not in r.stdout + r.stderr
    assert not (project / "out").exists()
    # --check fails the same way, and the build without the environment is unaffected
    assert run("build", "--env", "prod", "--check", cwd=project).exit_code == 1
    assert run("build", cwd=project).exit_code == 0


def test_default_model_adds_a_default_set_when_missing(project, run) -> None:
    src = project / "models.modelcc.json"
    data = json.loads(src.read_text(encoding="utf-8"))
    del data["assignment_sets"]
    src.write_text(json.dumps(data), encoding="utf-8")
    (project / "modelcc.yaml").write_text(
        "sources: [models.modelcc.json]\n"
        "targets: [{format: ir, path: out/graph.modelcc.json}]\n"
        "environments: {dev: {default_model: gpt-4o, outputs: {suffix: .dev}}}\n", encoding="utf-8")
    assert run("build", "--env", "dev", cwd=project).exit_code == 0
    doc = json.loads((project / "out" / "graph.modelcc.dev.json").read_text(encoding="utf-8"))
    assert doc["assignment_sets"] == [{"id": "default", "kind": "default",
                                       "bindings": [{"role": "default", "model": "gpt-4o"}]}]


def test_several_sources_are_merged(project, run) -> None:
    extra = project / "extra.modelcc.yaml"
    extra.write_text("modelcc: '1'\n"
                     "models:\n"
                     "  - id: small\n"
                     "    deployments: [{provider: together, model_name: small-1}]\n", encoding="utf-8")
    (project / "modelcc.yaml").write_text(
        "sources: [models.modelcc.json, extra.modelcc.yaml]\n"
        "targets: [{format: ir, path: out/graph.modelcc.json}]\n", encoding="utf-8")
    r = run("build", cwd=project)
    assert r.exit_code == 0, r.stderr
    doc = json.loads((project / OUT).read_text(encoding="utf-8"))
    assert [m["id"] for m in doc["models"]] == ["gpt-4o", "llama-4-maverick", "small"]


def test_cross_source_conflicts_are_errors(project, run) -> None:
    extra = project / "extra.modelcc.json"
    extra.write_text(json.dumps({"modelcc": "1", "providers": [
        {"id": "together", "api": "openai", "base_url": "https://other.example.com/v1",
         "auth": {"kind": "env", "value": "TOGETHER_API_KEY"}}]}), encoding="utf-8")
    (project / "modelcc.yaml").write_text(
        "sources: [models.modelcc.json, extra.modelcc.json]\n"
        "targets: [{format: ir, path: out/graph.modelcc.json}]\n", encoding="utf-8")
    r = run("build", cwd=project)
    assert r.exit_code == 1
    assert not (project / "out").exists()


def test_run_build_api_check_mode(project) -> None:
    result = run_build(str(project / "modelcc.yaml"), write_back=WriteBack.CHECK)
    assert result.exit_code == 1
    assert [o.path.name for o in result.stale] == ["graph.modelcc.json"]
    assert not (project / "out").exists()


@pytest.mark.parametrize("flag", ["--check", "--diff"])
def test_check_and_diff_write_nothing_for_environments(project, run, flag) -> None:
    r = run("build", "--env", "prod", flag, cwd=project)
    assert "b/out/prod/graph.modelcc.json" in r.stdout
    assert not (project / "out").exists()


FOUR = Path(__file__).resolve().parents[2] / "fixtures" / "manifests" / "four-targets"
TOOLS = ("codex", "plano", "plandex", "vscode")


def test_four_targets_generate_check_and_environment(tmp_path, run) -> None:
    import shutil

    missing = [f for f in TOOLS if not (FOUR.parents[2] / "compiler" / "formats" / f / "writer.py").exists()]
    if missing:
        pytest.skip(f"writers not there yet: {', '.join(missing)}")
    work = tmp_path / "four"
    shutil.copytree(FOUR, work, ignore=shutil.ignore_patterns("out"))
    r = run("build", cwd=work)
    assert r.exit_code == 0, r.stderr
    outs = ["out/codex/config.toml", "out/plano/plano_config.yaml", "out/plandex/custom-models.json",
            "out/vscode/settings.json"]
    for rel in outs:
        assert f"wrote {rel}\n" in r.stderr
    assert "warning LS" in r.stderr  # losses are reported on stderr
    assert run("build", "--check", cwd=work).exit_code == 0
    # every output reads back as its own format, cleanly
    r = run("check", *outs, cwd=work)
    assert r.exit_code == 0, r.stdout
    # drift in one output: only that one is reported
    codex = work / "out/codex/config.toml"
    codex.write_text(codex.read_text(encoding="utf-8").replace("together", "t0gether", 1), encoding="utf-8")
    r = run("build", "--check", cwd=work)
    assert r.exit_code == 1
    assert r.stdout.count("--- a/") == 1 and "+++ b/out/codex/config.toml" in r.stdout
    # the prod environment changes the base URL in every tool's file
    r = run("build", "--env", "prod", cwd=work)
    assert r.exit_code == 0, r.stderr
    for rel in outs:
        text = (work / "out" / "prod" / Path(rel).name).read_text(encoding="utf-8")
        assert "together-proxy.prod.example.com" in text, rel
        assert "api.together.xyz" not in text, rel
    r = run("diff", "out/plandex/custom-models.json", "out/prod/custom-models.json", cwd=work)
    assert r.exit_code == 1
    assert "provider together: base URL https://api.together.xyz/v1 -> https://together-proxy.prod.example.com/v1" \
        in r.stdout


def test_minimal_manifest_from_the_issue_with_a_role(run, tmp_path) -> None:
    """The minimal manifest works as written; `role:` picks a Plandex pack's role for Codex."""
    import shutil

    from tests.conftest import FIXTURES

    shutil.copy(FIXTURES / "plandex" / "valid" / "basic.json", tmp_path / "models.json")
    manifest = "sources:\n  - models.json\ntargets:\n  - format: codex\n    path: out/config.toml\n    mode: generate\n"
    (tmp_path / "modelcc.yaml").write_text(manifest, encoding="utf-8")
    r = run("build", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    text = (tmp_path / "out" / "config.toml").read_text(encoding="utf-8")
    assert "[model_providers.togetherai]" in text and "\nmodel = " not in text
    assert "LS004" in r.stderr  # the pack has no `default` role: said, not guessed
    (tmp_path / "modelcc.yaml").write_text(manifest + "    role: planner\n", encoding="utf-8")
    assert run("build", "--check", cwd=tmp_path).exit_code == 1
    assert run("build", cwd=tmp_path).exit_code == 0
    text = (tmp_path / "out" / "config.toml").read_text(encoding="utf-8")
    assert 'model = "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8"\nmodel_provider = "togetherai"' in text
    assert run("build", "--check", cwd=tmp_path).exit_code == 0


def test_update_self_check_catches_a_writer_that_loses_a_provider(run, tmp_path, monkeypatch) -> None:
    """An update whose text reads back to other providers than a generated file would hold is
    refused (IN002), not written."""
    import shutil

    import compiler.formats.codex.writer as codex_writer
    from tests.conftest import FIXTURES

    for f in (FIXTURES / "manifests" / "update" / "codex").iterdir():
        shutil.copy(f, tmp_path / f.name)
    before = (tmp_path / "config.toml").read_text(encoding="utf-8")
    real_update = codex_writer.update

    def lossy(existing, graph, ctx):  # type: ignore[no-untyped-def]
        from dataclasses import replace

        return real_update(existing, replace(graph, providers=graph.providers[:-1]), ctx)

    monkeypatch.setattr(codex_writer, "update", lossy)
    r = run("build", cwd=tmp_path)
    assert r.exit_code == 3, r.stderr
    assert "IN002" in r.stderr and "reads back to other providers/models" in r.stderr
    assert (tmp_path / "config.toml").read_text(encoding="utf-8") == before
