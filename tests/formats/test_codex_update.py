"""Update mode: `compiler.formats.codex.writer.update` rewrites only what modelcc owns.

Owned: top-level model / model_provider / model_context_window / model_reasoning_* /
model_verbosity / openai_base_url and the [model_providers.*] tables. Every other byte
(comments, approval_policy, [projects], [mcp_servers], ...) must survive exactly.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from compiler.context import ReadContext, WriteContext
from compiler.formats.codex import reader
from compiler.formats.codex.writer import OWNED_TOP, layers, update
from compiler.ir import AssignmentSet, Auth, Deployment, Graph, Model, Provider, RoleBinding
from compiler.syntax.toml import read as read_toml
from tests.conftest import FIXTURES

EXISTING = """\
# my codex config -- hand written
model = "gpt-5.1"   # the default
approval_policy = "on-request"
model_reasoning_effort = "low"

[model_providers.gw]
# our gateway
name = "GW"
base_url = "https://gw.example.com/v1"
env_key = "GW_KEY"

[projects."/src/x"]
trust_level = "trusted"

[model_providers.old]
name = "Old"
base_url = "http://old.example.com/v1"

[model_providers.old.auth]
command = "tok"

[mcp_servers.docs]
command = "npx"   # keep me
args = ["-y", "docs"]
"""


def _graph(text: str) -> Graph:
    return reader.read(read_toml("config.toml", text), ReadContext())


def non_owned(text: str) -> list[str]:
    """The lines modelcc does not own, in order (blank lines ignored)."""
    out, section = [], ""
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("["):
            section = s
        if not s or section.startswith("[model_providers"):
            continue
        key = re.match(r"^([A-Za-z0-9_-]+)\s*=", s)
        if not section and key and key.group(1) in OWNED_TOP:
            continue
        out.append(line)
    return out


def changed_graph() -> Graph:
    g = _graph(EXISTING)
    gw = g.provider("gw")
    assert gw is not None
    new = Provider(id="new2", name="New 2", base_url="https://n2.example.com/v1", auth=Auth("env", "N2_KEY"))
    m = Model(id="qwen", context_window=65536, settings={"reasoning_effort": "high"},
              deployments=(Deployment("new2", "qwen3-coder"),))
    return replace(g, providers=(gw, new), models=(m,),
                   assignment_sets=(AssignmentSet("default", "default", bindings=(RoleBinding("default", "qwen"),)),))


def test_update_touches_only_owned_parts() -> None:
    out = update(EXISTING, changed_graph(), WriteContext())
    assert non_owned(out) == non_owned(EXISTING)
    assert "# our gateway" in out  # unchanged provider keeps its bytes
    assert "[model_providers.old" not in out
    data = read_toml("config.toml", out).data
    assert data["model"] == "qwen3-coder" and data["model_provider"] == "new2"
    assert data["model_context_window"] == 65536 and data["model_reasoning_effort"] == "high"
    assert data["model_providers"]["new2"]["env_key"] == "N2_KEY"
    assert data["projects"] == {"/src/x": {"trust_level": "trusted"}}
    # what modelcc owns now equals what a fresh write says
    main, _ = layers(changed_graph(), WriteContext())
    for k in OWNED_TOP:
        assert data.get(k) == main.get(k), k
    back = _graph(out)
    assert [p.id for p in back.providers] == ["gw", "new2"]
    assert update(out, changed_graph(), WriteContext()) == out  # a second update changes nothing


def test_update_keeps_line_comment_of_changed_value() -> None:
    out = update(EXISTING, changed_graph(), WriteContext())
    assert 'model = "qwen3-coder"   # the default\n' in out


@pytest.mark.parametrize("path", sorted(p for p in (FIXTURES / "codex" / "valid").rglob("*.toml")
                                         if p.name == "config.toml" or not p.name.endswith(".config.toml")),
                         ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_update_with_own_graph_is_identity(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert update(text, _graph(text), WriteContext()) == text
    crlf = text.replace("\n", "\r\n")
    assert update(crlf, _graph(crlf), WriteContext()) == crlf


def test_update_crlf_stays_crlf() -> None:
    crlf = EXISTING.replace("\n", "\r\n")
    out = update(crlf, changed_graph(), WriteContext())
    assert "\n" not in out.replace("\r\n", "")
    assert non_owned(out) == non_owned(EXISTING)


def test_update_inline_and_dotted_provider_tables() -> None:
    text = ('model = "a"\nmodel_provider = "x"\n\n[model_providers]\nx = { name = "X", base_url = "http://x/v1" }\n'
            'y = { name = "Y", base_url = "http://y/v1" }\n\n[tui]\nnotifications = true\n')
    g = _graph(text)
    g2 = replace(g, providers=tuple(p for p in g.providers if p.id == "x"))
    out = update(text, g2, WriteContext())
    assert 'y = {' not in out and 'x = { name = "X"' in out
    assert out.endswith("[tui]\nnotifications = true\n")


@pytest.mark.parametrize("text", [
    # an inline provider among the root keys: a [model_providers.gw] header in its place would make
    # approval_policy (and the model keys added after it) fields of that provider
    '# root\nmodel_providers.gw = { name = "GW", base_url = "https://gw.example.com/v1" }  # note\n'
    'approval_policy = "on-request"\n\n[tui]\nnotifications = true\n',
    # the same as dotted keys, without a final newline
    'model_providers.gw.name = "GW"\nmodel_providers.gw.base_url = "https://gw.example.com/v1"\n'
    'approval_policy = "on-request"',
    # one that goes, one that comes
    'model_providers.old = { name = "Old", base_url = "https://old.example.com/v1" }\napproval_policy = "on-request"\n',
    # under a [model_providers] header, at the end of the file without a final newline
    'approval_policy = "on-request"\n\n[model_providers]\nold = { name = "Old", base_url = "https://o.example.com/v1" }',
], ids=["root-inline", "root-dotted", "root-replaced", "header-inline-eof"])
def test_update_of_key_value_providers_keeps_root_keys_at_the_root(text: str) -> None:
    g = changed_graph()
    out = update(text, g, WriteContext())
    data = read_toml("config.toml", out).data
    assert data["approval_policy"] == "on-request"
    assert data["model"] == "qwen3-coder" and data["model_provider"] == "new2"
    assert set(data["model_providers"]) == {"gw", "new2"}
    assert data["model_providers"]["gw"]["base_url"] == "https://gw.example.com/v1"
    assert data["model_providers"]["new2"]["env_key"] == "N2_KEY"
    assert "[model_providers." not in out  # written in the file's own (key/value) style
    back = _graph(out)
    assert [(p.id, p.base_url) for p in back.providers] == [(p.id, p.base_url) for p in g.providers]
    assert update(out, g, WriteContext()) == out
    if "[tui]" in text:
        assert out.endswith("\n\n[tui]\nnotifications = true\n")


@pytest.mark.parametrize("text", ['approval_policy = "on-request"\n', 'approval_policy = "on-request"'])
def test_update_of_a_file_without_tables_puts_model_keys_before_the_new_tables(text: str) -> None:
    # the new keys and the new tables are both inserted at the end of the file: the keys must come
    # first, or Codex reads model / model_provider as fields of the last [model_providers.*] table
    out = update(text, changed_graph(), WriteContext())
    assert out.startswith('approval_policy = "on-request"\nmodel = "qwen3-coder"\n')
    data = read_toml("config.toml", out).data
    assert data["model"] == "qwen3-coder" and data["model_provider"] == "new2"
    assert set(data["model_providers"]["new2"]) == {"name", "base_url", "wire_api", "env_key"}
    assert update(out, changed_graph(), WriteContext()) == out


def test_update_adds_keys_and_tables_to_a_file_without_them() -> None:
    text = "# only settings\napproval_policy = \"never\"\n\n[tui]\nnotifications = true\n"
    g = changed_graph()
    out = update(text, g, WriteContext())
    assert non_owned(out) == non_owned(text)
    data = read_toml("config.toml", out).data
    assert data["model"] == "qwen3-coder" and set(data["model_providers"]) == {"gw", "new2"}
    assert out.index("model =") < out.index("[tui]")


def test_update_of_broken_toml_returns_it_unchanged() -> None:
    ctx = WriteContext()
    assert update("model = \n[", changed_graph(), ctx) == "model = \n["
    assert [d.code for d in ctx.sink] == ["SY001"]
