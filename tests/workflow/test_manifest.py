"""The manifest: schema errors and BD codes, each at its line and column."""

from __future__ import annotations

from pathlib import Path

from compiler.manifest import output_path, read_manifest
from compiler.resources import load_schema


def _write(folder: Path, text: str) -> Path:
    p = folder / "modelcc.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_manifest_schema_is_a_valid_schema() -> None:
    import jsonschema

    schema = load_schema("manifest")
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_schema_errors_have_line_and_col(project, run) -> None:
    _write(project, "sources: [models.modelcc.json]\n"
                    "targets:\n"
                    "  - format: codexx\n"
                    "    path: out/config.toml\n"
                    "    mode: replace\n"
                    "    sett: x\n"
                    "  - path: out/b.json\n")
    r = run("build", cwd=project)
    assert r.exit_code == 1
    lines = [ln for ln in r.stderr.splitlines() if not ln.startswith("  ")]
    assert lines == [
        'modelcc.yaml:3:13: error SC004 targets[0].format: "codexx" is not one of: "plandex", "plano", '
        '"codex", "vscode", "ir"',
        'modelcc.yaml:5:11: error SC004 targets[0].mode: "replace" is not one of: "generate", "update"',
        "modelcc.yaml:6:5: error SC003 targets[0].sett: unknown key 'sett'",
        "modelcc.yaml:7:5: error SC002 targets[1]: missing required key 'format'",
        "Nothing written: fix the errors above.",
    ]
    assert "  hint: did you mean 'codex'?" in r.stderr
    assert not (project / "out").exists()


def test_missing_required_and_yaml_syntax(project, run) -> None:
    _write(project, "targets: []\n")
    r = run("build", cwd=project)
    assert r.exit_code == 1
    assert "modelcc.yaml:1:1: error SC002 (top level): missing required key 'sources'" in r.stderr
    assert "modelcc.yaml:1:10: error SC005 targets: must not be empty" in r.stderr
    _write(project, "sources: [a\ntargets: x\n")
    r = run("build", cwd=project)
    assert r.exit_code == 1
    assert "error SY001" in r.stderr


def test_environment_overrides_with_unknown_ids(project, run) -> None:
    _write(project, "sources: [models.modelcc.json]\n"
                    "targets:\n"
                    "  - {format: ir, path: out/a.modelcc.json, set: nope}\n"
                    "environments:\n"
                    "  prod:\n"
                    "    providers:\n"
                    "      azuer: {base_url: 'https://x.example.com'}\n"
                    "    models:\n"
                    "      gpt-4: {context_window: 1}\n"
                    "    default_model: gpt4o\n")
    r = run("build", "--env", "prod", cwd=project)
    assert r.exit_code == 1
    lines = [ln for ln in r.stderr.splitlines() if not ln.startswith("  ")]
    assert lines == [
        "modelcc.yaml:3:49: error BD008 target out/a.modelcc.json: assignment set 'nope' is not defined by any source",
        "modelcc.yaml:7:7: error BD004 environment prod: provider 'azuer' is not defined by any source",
        "modelcc.yaml:9:7: error BD005 environment prod: model 'gpt-4' is not defined by any source",
        "modelcc.yaml:10:20: error BD005 environment prod: default_model 'gpt4o' is not defined by any source",
        "Nothing written: fix the errors above.",
    ]
    assert "  hint: did you mean 'azure'?" in r.stderr
    assert not (project / "out").exists()


def test_unknown_environment_is_a_usage_error(project, run) -> None:
    r = run("build", "--env", "staging", cwd=project)
    assert r.exit_code == 2
    assert "error BD003 environment 'staging' is not defined in the manifest" in r.stderr
    assert "hint: environments: prod" in r.stderr


def test_no_manifest(tmp_path, run) -> None:
    r = run("build", cwd=tmp_path)
    assert r.exit_code == 2
    assert "error BD001 no modelcc.yaml in" in r.stderr
    r = run("build", "--manifest", "elsewhere/m.yaml", cwd=tmp_path)
    assert r.exit_code == 2
    assert "error BD001 manifest elsewhere/m.yaml not found" in r.stderr


def test_missing_source_points_at_manifest(project, run) -> None:
    _write(project, "sources: [models.modelcc.json, gone.json]\ntargets: [{format: ir, path: o.modelcc.json}]\n")
    r = run("build", cwd=project)
    assert r.exit_code == 1
    assert "gone.json:1:1: error IO001 file not found" in r.stderr
    assert "modelcc.yaml:1:32: error BD002 source gone.json could not be read (see above)" in r.stderr


def test_update_mode_needs_a_writer_with_update_and_a_file(project, run) -> None:
    _write(project, "sources: [models.modelcc.json]\n"
                    "targets:\n"
                    "  - {format: ir, path: out/a.modelcc.json, mode: update}\n")
    r = run("build", cwd=project)
    assert r.exit_code == 1
    assert "modelcc.yaml:3:50: error BD006 format ir does not support mode: update" in r.stderr


def test_duplicate_outputs(project, run) -> None:
    _write(project, "sources: [models.modelcc.json]\n"
                    "targets:\n"
                    "  - {format: ir, path: out/a.modelcc.json}\n"
                    "  - {format: ir, path: out/../out/a.modelcc.json}\n")
    r = run("build", cwd=project)
    assert r.exit_code == 1
    assert "modelcc.yaml:4:5: error BD009 out/a.modelcc.json is written by two targets" in r.stderr


def test_paths_are_relative_to_the_manifest(project, tmp_path, run) -> None:
    r = run("build", "--manifest", str(project / "modelcc.yaml"), cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert (project / "out" / "graph.modelcc.json").is_file()
    assert not (tmp_path / "out").exists()


def test_source_with_explicit_format(project) -> None:
    _write(project, "sources: [{path: models.modelcc.json, format: ir}]\n"
                    "targets: [{format: ir, path: o.modelcc.json}]\n")
    m, diags = read_manifest(project / "modelcc.yaml")
    assert diags == [] and m is not None
    assert m.sources[0].format == "ir"
    assert m.sources[0].path == project.resolve() / "models.modelcc.json"


def test_output_path_rules(tmp_path) -> None:
    root = tmp_path
    assert output_path(root, "out/config.toml", {}) == root / "out" / "config.toml"
    assert output_path(root, "out/config.toml", {"suffix": ".prod"}) == root / "out" / "config.prod.toml"
    assert output_path(root, "out/config.toml", {"suffix": "prod"}) == root / "out" / "config.prod.toml"
    assert output_path(root, "out/config.toml", {"dir": "deploy/prod"}) == root / "deploy" / "prod" / "config.toml"
    assert output_path(root, "out/config.toml", {"dir": "d", "paths": {"out/config.toml": "x/c.toml"}}) == \
        root / "x" / "c.toml"
    assert output_path(root, "Makefile", {"suffix": ".prod"}) == root / "Makefile.prod"
