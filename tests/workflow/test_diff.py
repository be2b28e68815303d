"""`modelcc diff`: sentences, JSON records, exit codes; order and formatting do not matter."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, replace

import pytest

from compiler.diff import MISSING, Change, diff_graphs
from compiler.ir import Graph, Model
from tests.conftest import FIXTURES, GOLDEN

DIFF = FIXTURES / "manifests" / "diff"
GOLD = GOLDEN / "workflow"


def test_sentences_golden(run, golden) -> None:
    r = run("diff", "a.modelcc.json", "b.modelcc.yaml", cwd=DIFF)
    assert r.exit_code == 1
    assert r.stderr == "10 changes.\n"
    golden(GOLD / "diff-a-b.txt", r.stdout)


def test_json_golden(run, golden) -> None:
    r = run("diff", "a.modelcc.json", "b.modelcc.yaml", "--output", "json", cwd=DIFF)
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["summary"] == {"changes": 10, "added": 2, "removed": 2, "changed": 6}
    golden(GOLD / "diff-a-b.json", r.stdout)


def test_same_graph_in_other_syntax_and_order_is_no_change(run, tmp_path) -> None:
    import yaml

    data = json.loads((DIFF / "a.modelcc.json").read_text(encoding="utf-8"))
    data["providers"].reverse()
    data["models"].reverse()
    data["assignment_sets"][0]["bindings"].reverse()
    (tmp_path / "a.modelcc.yaml").write_text(yaml.safe_dump(data, sort_keys=True), encoding="utf-8")
    r = run("diff", str(DIFF / "a.modelcc.json"), str(tmp_path / "a.modelcc.yaml"))
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "No semantic differences.\n")
    r = run("diff", "a.modelcc.json", "same.modelcc.json", "-o", "json", cwd=DIFF)
    assert r.exit_code == 0
    assert json.loads(r.stdout)["changes"] == []


def test_unreadable_input_is_exit_2(run, tmp_path) -> None:
    r = run("diff", "a.modelcc.json", "missing.json", cwd=DIFF)
    assert r.exit_code == 2
    assert "missing.json:1:1: error IO001 file not found" in r.stderr
    bad = tmp_path / "bad.modelcc.json"
    bad.write_text('{"modelcc": "1", "models": [{"id": 3}]}', encoding="utf-8")
    r = run("diff", str(DIFF / "a.modelcc.json"), str(bad))
    assert r.exit_code == 2 and "error SC001" in r.stderr
    r = run("diff", "a.modelcc.json", cwd=DIFF)
    assert r.exit_code == 2  # click usage error


def test_deployment_order_is_priority(tmp_path) -> None:
    from compiler.ir import Deployment

    m = Model("m", deployments=(Deployment("p1", "x"), Deployment("p2", "x")))
    a = Graph(models=(m,))
    b = Graph(models=(replace(m, deployments=tuple(reversed(m.deployments))),))
    [c] = diff_graphs(a, b)
    assert c.message() == 'model m: deployment order ["p1", "p2"] -> ["p2", "p1"]'


def test_deployment_order_with_one_deployment_is_that_one_not_unset() -> None:
    """A model with one deployment has an order too: adding a second one in front must not read
    `deployment order (unset) -> [...]`, which says the old order was unknown."""
    from compiler.ir import Deployment

    one = Model("m", deployments=(Deployment("p1", "x"),))
    two = replace(one, deployments=(Deployment("p2", "x"), Deployment("p1", "x")))
    none = replace(one, deployments=())
    msgs = [c.message() for c in diff_graphs(Graph(models=(one,)), Graph(models=(two,)))]
    assert msgs == ['model m: deployment order ["p1"] -> ["p2", "p1"]', "model m, deployment on p2 added"]
    back = [(c.kind, c.message()) for c in diff_graphs(Graph(models=(two,)), Graph(models=(one,)))]
    assert back[0] == ("changed", 'model m: deployment order ["p2", "p1"] -> ["p1"]')
    # every field of the model went: still one sentence per field, not "model m changed"
    assert [c.message() for c in diff_graphs(Graph(models=(two,)), Graph(models=(none,)))] == [
        'model m: deployment order ["p2", "p1"] -> []', "model m, deployment on p1 removed",
        "model m, deployment on p2 removed"]


def test_change_records_are_frozen_and_plain() -> None:
    a = Graph(models=(Model("m", context_window=1),))
    b = Graph(models=(Model("m", context_window=2, max_output_tokens=1),))
    changes = diff_graphs(a, b, file_a="a.json", file_b="b.toml")
    assert [(c.kind, c.path, c.old, c.new) for c in changes] == [
        ("changed", ("models", "m", "context_window"), 1, 2),
        ("added", ("models", "m", "max_output_tokens"), MISSING, 1),
    ]
    assert changes[1].sentence() == "model m: max output tokens (unset) -> 1 (a.json, b.toml)"
    with pytest.raises(FrozenInstanceError):
        changes[0].kind = "x"  # type: ignore[misc]
    assert isinstance(changes[0], Change)
    assert changes[1].to_dict()["old"] is None


def test_builtins_are_ignored_by_default() -> None:
    a = Graph(models=(Model("m"), Model("b1", builtin="codex")))
    b = Graph(models=(Model("m"),))
    assert diff_graphs(a, b) == []
    assert [c.kind for c in diff_graphs(a, b, builtins=True)] == ["removed"]


def test_extras_of_a_format_only_one_side_has_are_ignored() -> None:
    a = Graph(models=(Model("m", extras={"codex": {"x": 1}}),), extras={"codex": {"approval_policy": "never"}},
              sources=(("codex", "a.toml"),))
    b = Graph(models=(Model("m"),), sources=(("plandex", "b.json"),))
    assert diff_graphs(a, b) == []
    b2 = replace(a, extras={"codex": {"approval_policy": "on-request"}})
    [c] = diff_graphs(a, b2)
    assert c.message() == "extras: codex.approval_policy never -> on-request"
