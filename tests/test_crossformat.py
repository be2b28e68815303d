"""Cross-format round trips: A -> B -> A keeps every fact B can express.

Facts are compared on a format-neutral signature of the graph (deployments with their
endpoint and auth, token limits, prices, headers, role bindings, aliases, routes), keyed by
the provider-side model name, because ids are what formats legitimately rename.

For every valid fixture A and every other target B: each fact of the original graph that B
expressed must still be there after converting B's output back to A's format — unless the
conversion back reported a loss for that model (e.g. LS015: A requires a field B cannot hold).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compiler.context import WriteContext
from compiler.emit import emit, reread
from compiler.formats import FORMATS
from compiler.ir import Graph, RoleBinding
from compiler.pipeline import RunOptions, read_graph
from tests.conftest import FIXTURES, ROOT

VALID = sorted(p for p in FIXTURES.glob("*/valid/**/*") if p.is_file() and not p.name.endswith(".config.toml")
               and p.suffix in (".json", ".yaml", ".yml", ".toml"))


def facts(g: Graph) -> dict[str, set[tuple[Any, ...]]]:
    """Facts per provider-side model name (plus graph-level ones under "")."""
    providers = {p.id: p for p in g.providers}
    by_model: dict[str, str] = {}
    out: dict[str, set[tuple[Any, ...]]] = {}
    for m in g.models:
        if m.wildcard or not m.deployments:
            continue
        name = m.deployments[0].model_name
        by_model[m.id] = name
        f = out.setdefault(name, set())
        for d in m.deployments[:1]:
            p = providers.get(d.provider)
            if p is not None:
                f.add(("endpoint", (p.base_url or "").rstrip("/")))
                if p.auth.kind in ("env", "secret", "none"):
                    f.add(("auth", p.auth.kind, p.auth.value))
                for k, v in p.headers:
                    f.add(("header", k.lower(), v))
        for attr in ("context_window", "max_output_tokens"):
            if getattr(m, attr) is not None:
                f.add((attr, getattr(m, attr)))
        if m.cost is not None:
            f.add(("cost", m.cost.input, m.cost.output))

    def bind(b: RoleBinding, set_kind: str) -> None:
        name = by_model.get(b.model)
        if name is not None:
            out.setdefault(name, set()).add(("role", set_kind, b.role))

    for s in g.assignment_sets:
        for b in s.bindings:
            bind(b, "default" if s.kind == "default" else "set")
    for a in g.aliases:
        if a.target in by_model:
            out.setdefault(by_model[a.target], set()).add(("alias", a.name))
    return out


# fixtures/<format>/valid/...: same-format round trips are the per-format tests' job
PAIRS = [(p, t) for p in VALID for t in sorted(FORMATS) if t != p.relative_to(FIXTURES).parts[0]]


@pytest.mark.parametrize(("path", "target"), PAIRS,
                         ids=[f"{p.relative_to(FIXTURES).as_posix()}-{t}" for p, t in PAIRS])
def test_a_b_a_keeps_what_b_expresses(path: Path, target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    graph, _diags, loaded = read_graph(str(path.relative_to(ROOT)), RunOptions(environ={}))
    assert graph is not None and loaded.format is not None
    source_fmt = loaded.format.name
    assert source_fmt != target
    first = emit(graph, target, WriteContext())
    assert first is not None
    g_b, _ = reread(first, target, "")
    assert g_b is not None
    back_ctx = WriteContext()
    back = emit(g_b, source_fmt, back_ctx)
    assert back is not None, f"{source_fmt} writer failed on what {target} expressed"
    g_ba, _ = reread(back, source_fmt, "")
    assert g_ba is not None

    missing = lost_facts(graph, g_b, g_ba, " ".join(d.message for d in back_ctx.sink))
    assert not missing, f"facts lost without a diagnostic on the way back to {source_fmt}: {missing}"


def lost_facts(graph: Graph, g_b: Graph, g_ba: Graph, reported: str) -> dict[str, list[str]]:
    """Facts of `graph` that B expressed (`g_b`) but that are missing after the way back
    (`g_ba`), for models the way back did not report a loss for."""
    original, via_b, after = facts(graph), facts(g_b), facts(g_ba)
    missing = {}
    for name, fs in via_b.items():
        expressed = fs & original.get(name, set())
        lost = expressed - after.get(name, set())
        if lost and name not in reported and not any(n in reported for n in _ids_of(g_b, name)):
            missing[name] = sorted(map(str, lost))
    return missing


def test_lost_facts_notices_a_silent_drop() -> None:
    from dataclasses import replace

    from compiler.ir import Auth, Cost, Deployment, Model, Provider

    p = Provider("p", base_url="https://x.example/v1", auth=Auth("env", "K"))
    m = Model("m", context_window=1000, cost=Cost(1.0, 2.0), deployments=(Deployment("p", "served-m"),))
    g = Graph(providers=(p,), models=(m,))
    silently = replace(g, models=(replace(m, cost=None),))
    assert lost_facts(g, g, silently, "") == {"served-m": ["('cost', 1.0, 2.0)"]}
    assert lost_facts(g, g, silently, "model m: prices dropped") == {}
    assert lost_facts(g, g, g, "") == {}


def _ids_of(g: Graph, model_name: str) -> list[str]:
    return [m.id for m in g.models if m.deployments and m.deployments[0].model_name == model_name]
