"""Property tests: generated graphs through every target.

For random graphs with awkward ids and values (quotes, `#`, newlines, unicode, leading zeros):
emission succeeds, the self-check (read back + compare, inside `emit`) passes, and emitting the
re-read graph again gives the same bytes.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.context import WriteContext
from compiler.emit import emit, reread
from compiler.formats import FORMATS
from compiler.ir import AssignmentSet, Auth, Cost, Deployment, Graph, Model, Provider, RoleBinding

TARGETS = sorted(FORMATS)

# ids: printable, with the characters that break naive emitters, never empty or all-space
_alphabet = string.ascii_letters + string.digits + "-_./:#\"'\\ üé中"
ident = st.text(_alphabet, min_size=1, max_size=20).filter(lambda s: s.strip() == s and s.strip())
model_id = st.one_of(ident, st.from_regex(r"0[0-9]{1,4}", fullmatch=True))
env_name = st.from_regex(r"[A-Z][A-Z0-9_]{0,15}", fullmatch=True)
header_value = st.text(string.printable.replace("\r", "").replace("\x0b", "").replace("\x0c", ""),
                       min_size=1, max_size=20).filter(lambda s: s.strip() == s and s)
host = st.from_regex(r"[a-z][a-z0-9]{0,10}\.example", fullmatch=True)


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    n_prov = draw(st.integers(1, 3))
    pids = draw(st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True), min_size=n_prov,
                         max_size=n_prov, unique=True))
    providers = []
    for pid in pids:
        providers.append(Provider(
            id=pid,
            name=draw(st.one_of(st.none(), ident)),
            api="openai",
            base_url=f"https://{draw(host)}/v1",
            auth=Auth("env", draw(env_name)),
            headers=tuple(draw(st.dictionaries(st.from_regex(r"X-[A-Za-z]{1,8}", fullmatch=True), header_value,
                                               max_size=2)).items()),
        ))
    mids = draw(st.lists(model_id, min_size=1, max_size=4, unique=True))
    models = []
    for mid in mids:
        ctx_window = draw(st.integers(1000, 2_000_000))
        out = draw(st.integers(1, ctx_window))
        models.append(Model(
            id=mid,
            context_window=ctx_window,
            max_output_tokens=out,
            reserved_output_tokens=draw(st.integers(1, out)),
            cost=Cost(draw(st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2))),
                      draw(st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2)))),
            deployments=(Deployment(provider=draw(st.sampled_from(pids)), model_name=draw(ident)),),
        ))
    default = AssignmentSet(id="default", kind="default",
                            bindings=(RoleBinding(role="default", model=draw(st.sampled_from(mids))),))
    return Graph(providers=tuple(providers), models=tuple(models), assignment_sets=(default,))


@pytest.mark.parametrize("target", TARGETS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(g=graphs())
def test_emit_selfcheck_and_stability(target: str, g: Graph) -> None:
    ctx = WriteContext()
    emitted = emit(g, target, ctx)
    internal = [d for d in ctx.sink if d.code.startswith("IN")]
    assert emitted is not None and not internal, [d.message for d in internal]
    back, diags = reread(emitted, target, "")
    assert back is not None, diags
    again = emit(back, target, WriteContext())
    assert again is not None
    assert again.files == emitted.files
