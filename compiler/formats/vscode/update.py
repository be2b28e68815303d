"""Update mode: splice new aiOrchestrator settings into an existing settings.json.

Only the values modelcc owns change; every other byte (other settings, comments, blank
lines, the file's indentation) is kept. The JSON locator gives each member's key and value
offsets; the edits are:

- a value equal to the wanted one is left alone (bytes and comments inside it too);
- objects are updated member by member, arrays of the same length item by item (so an
  unchanged model entry keeps its comments); anything else is replaced by the new value,
  pretty-printed at the member's indentation;
- an owned member the plan no longer has is removed with its separating comma (and its
  line, when nothing else is on it); a comma left dangling before the closing brace by a
  removed last member is removed too;
- new members go after the last member (after its trailing line comment), with a comma
  after the previous member when it had none; the file's trailing-comma style is kept.

Which top-level keys are owned: the five aiOrchestrator settings, the dotted members of
`aiOrchestrator.providers.fireworks`, and the known members inside `aiOrchestrator.providers`
/ `aiOrchestrator.agents` objects (those settings are then written as dotted keys). Unknown
`aiOrchestrator.*` keys are other settings and stay as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from compiler.formats.vscode import reader as R
from compiler.render import json_value
from compiler.syntax import json as sjson

_SKIP = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.S)
_REST_OF_LINE = re.compile(r"[ \t]*(?://[^\n]*)?(?=\r?\n|$)")

Owned = Callable[[str], bool]


def _all(_: str) -> bool:
    return True


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)


class _Splicer:
    def __init__(self, text: str):
        self.text = text
        doc = sjson.read("<existing settings.json>", text)
        if not isinstance(doc.data, dict):
            raise ValueError("the existing settings.json is not a JSON object")
        self.data = doc.data
        self.locs = doc.locmap()
        self.edits: list[tuple[int, int, str, int]] = []
        self.nl = "\r\n" if "\r\n" in text else "\n"

    # -- text helpers ------------------------------------------------------------------------------------
    def line_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1

    def indent_of(self, pos: int) -> str:
        ls = self.line_start(pos)
        prefix = self.text[ls:pos]
        return prefix if prefix.strip() == "" else re.match(r"[ \t]*", prefix).group(0)  # type: ignore[union-attr]

    def comma_after(self, pos: int) -> int:
        m = _SKIP.match(self.text, pos)
        p = m.end() if m else pos
        return p if p < len(self.text) and self.text[p] == "," else -1

    def dump(self, value: Any, indent: str, unit: str) -> str:
        text = json.dumps(value, ensure_ascii=False, indent=unit) if isinstance(value, (dict, list)) and value \
            else json_value(value)
        return text.replace("\n", self.nl + indent)

    # -- the edit operations ---------------------------------------------------------------------------------
    def splice(self, ptr: tuple[Any, ...], old: Any, new: Any, owned: Owned = _all) -> None:
        if _same(old, new):
            return
        if isinstance(old, dict) and isinstance(new, dict):
            items = [(k, *self.locs[(*ptr, k)]) for k in old]
            for k in old:
                if k in new and owned(k):
                    self.splice((*ptr, k), old[k], new[k])
            removed = [k for k in old if owned(k) and k not in new]
            inserts = [(json.dumps(k, ensure_ascii=False) + ": ", v) for k, v in new.items() if k not in old]
            self.splice_seq(ptr, items, set(removed), inserts)
            return
        if isinstance(old, list) and isinstance(new, list):
            plan = _match_items(old, new)
            if plan is not None:
                pairs, removed_idx, appended = plan
                for i, j in pairs:
                    self.splice((*ptr, i), old[i], new[j])
                items = [(i, *self.locs[(*ptr, i)]) for i in range(len(old))]
                self.splice_seq(ptr, items, set(removed_idx), [("", v) for v in appended])
                return
        vs, ve, ks, _ = self.locs[ptr]
        indent = self.indent_of(ks if ks >= 0 else vs)
        self.edit(vs, ve, self.dump(new, indent, self.unit))

    def edit(self, start: int, end: int, text: str) -> None:
        self.edits.append((start, end, text, len(self.edits)))

    def splice_seq(self, ptr: tuple[Any, ...], items: list[tuple[Any, int, int, int, int]], removed: set[Any],
                   inserts: list[tuple[str, Any]]) -> None:
        """Remove `removed` items (members or array items) and append `inserts` (prefix, value)."""
        text = self.text
        ostart, oend, _, _ = self.locs[ptr]
        # (name, value start, value end, item start): an array item starts at its value
        members = sorted(((n, vs, ve, ks if ks >= 0 else vs) for n, vs, ve, ks, _ke in items), key=lambda m: m[3])
        commas = {m[0]: self.comma_after(m[2]) for m in members}
        for name, _vs, ve, start in members:
            if name not in removed:
                continue
            end = commas[name] + 1 if commas[name] >= 0 else ve
            ls = self.line_start(start)
            rest = _REST_OF_LINE.match(text, end)
            if text[ls:start].strip() == "" and rest is not None and rest.group(0).strip() == "":
                start, end = ls, rest.end()
                if text.startswith("\r\n", end):
                    end += 2
                elif text.startswith("\n", end):
                    end += 1
            self.edit(start, end, "")
        kept = [m for m in members if m[0] not in removed]
        trailing_style = bool(members) and commas[members[-1][0]] >= 0
        if members and self.line_start(members[0][3]) > ostart:
            indent = self.indent_of(members[0][3])
        else:  # empty or inline (`{"a": 1}`): one level deeper than the line of the opening brace
            indent = self.indent_of(ostart) + self.unit
        if not inserts:
            if kept and removed and not trailing_style:
                last = kept[-1]
                if commas[last[0]] >= 0 and all(m[0] in removed for m in members[members.index(last) + 1:]):
                    self.edit(commas[last[0]], commas[last[0]] + 1, "")
            return
        body = [f"{indent}{prefix}{self.dump(v, indent, self.unit)}" for prefix, v in inserts]
        close = oend - 1
        if kept:
            last = kept[-1]
            c = commas[last[0]]
            if c >= 0:
                pos = c + 1
            else:
                self.edit(last[2], last[2], ",")
                pos = last[2]
            rest = _REST_OF_LINE.match(text, pos)
            if rest is not None and rest.end() < oend:
                pos = rest.end()
            new_text = "".join(self.nl + b + ("," if i < len(body) - 1 or trailing_style else "")
                               for i, b in enumerate(body))
            between = text[pos:close]
            if "\n" not in between and not any(m[3] >= pos for m in kept):
                new_text += self.nl + self.indent_of(ostart)  # the closing brace was on the last item's line
            self.edit(pos, pos, new_text)
        elif text[self.line_start(close):close].strip() == "":
            pos = self.line_start(close)
            self.edit(pos, pos, "".join(b + ("," if i < len(body) - 1 else "") + self.nl
                                        for i, b in enumerate(body)))
        else:
            self.edit(close, close, self.nl + ("," + self.nl).join(body) + self.nl + self.indent_of(ostart))

    def apply(self) -> str:
        out = self.text
        last_start = len(out) + 1
        # later edits at the same offset are applied first, so they end up after earlier ones
        for start, end, rep, _seq in sorted(self.edits, key=lambda e: (e[0], e[1], e[3]), reverse=True):
            if end > last_start:
                raise AssertionError("overlapping edits in settings.json update")  # a bug, never bad input
            out = out[:start] + rep + out[end:]
            last_start = start
        return out

    @property
    def unit(self) -> str:
        m = re.search(r"\n([ \t]+)\S", self.text)
        if m is None:
            return "  "
        ws = m.group(1)
        return "\t" if ws.startswith("\t") else " " * min(len(ws), 4)


def _match_items(old: list[Any], new: list[Any]) -> tuple[list[tuple[int, int]], list[int], list[Any]] | None:
    """Pair array items for an in-place update, or None to replace the whole array.

    Same length: item by item. Arrays of objects with unique "id"s: items are paired by id
    when the kept ids keep their order and new ids only come after the last kept one
    (removals anywhere, additions at the end); anything else is replaced whole.
    """
    if len(old) == len(new):
        return [(i, i) for i in range(len(old))], [], []

    def ids(xs: list[Any]) -> list[Any] | None:
        out = [x.get("id") if isinstance(x, dict) else None for x in xs]
        return out if None not in out and len(set(map(str, out))) == len(out) else None

    a, b = ids(old), ids(new)
    if a is None or b is None:
        return None
    kept = [x for x in b if x in a]
    if kept != [x for x in a if x in kept]:
        return None
    appended_from = b.index(kept[-1]) + 1 if kept else 0
    if any(x not in a for x in b[:appended_from]):
        return None
    pairs = [(a.index(x), b.index(x)) for x in kept]
    removed = [i for i, x in enumerate(a) if x not in kept]
    return pairs, removed, new[appended_from:]


def _known_member(parent: str) -> Owned:
    node = R.TREE[parent.removeprefix(R.PREFIX)]
    return lambda k: k in node


def update(existing_text: str, plan: Any) -> str:
    """Splice `plan.ours` (writer.Plan) into `existing_text`; raises SyntaxProblem on unreadable text."""
    sp = _Splicer(existing_text)
    data = sp.data
    target: dict[str, Any] = {}
    ours = dict(plan.ours)
    fw = dict(ours.pop(R.S_FIREWORKS, {})) if R.S_FIREWORKS in ours else None
    if fw is not None:
        for m in R.FIREWORKS_MEMBERS:
            dotted = f"{R.S_FIREWORKS}.{m}"
            if dotted in data and m in fw:
                target[dotted] = fw.pop(m)
        dotted_used = any(k.startswith(R.S_FIREWORKS + ".") for k in target)
        if fw or R.S_FIREWORKS in data or not dotted_used:
            target[R.S_FIREWORKS] = fw
    target.update(ours)
    owners: dict[str, Owned] = {R.S_FIREWORKS: lambda k: k in R.FIREWORKS_MEMBERS}
    for inter in ("aiOrchestrator.providers", "aiOrchestrator.agents"):
        if isinstance(data.get(inter), dict):
            owned = _known_member(inter)
            if all(owned(k) for k in data[inter]):
                continue  # removed below: every member is a setting the plan writes as a dotted key
            target[inter] = {}
            owners[inter] = owned

    def owned_top(k: str) -> bool:
        if k in target:
            return True
        if not k.startswith(R.PREFIX):
            return False
        if k in ("aiOrchestrator.providers", "aiOrchestrator.agents"):
            return isinstance(data.get(k), dict)
        return k in R.SETTINGS or k.startswith(R.S_FIREWORKS + ".") and \
            k[len(R.S_FIREWORKS) + 1:] in R.FIREWORKS_MEMBERS

    # top level: values of kept keys are spliced with their own ownership rules
    new_top: dict[str, Any] = {}
    for k in data:
        if k in target:
            owned = owners.get(k)
            if owned is not None and isinstance(data[k], dict) and isinstance(target[k], dict):
                merged = {m: v for m, v in data[k].items() if not owned(m)}
                merged = {**target[k], **merged}
                new_top[k] = merged
            else:
                new_top[k] = target[k]
        elif not owned_top(k):
            new_top[k] = data[k]
    for k, v in target.items():
        if k not in data:
            new_top[k] = v
    sp.splice((), data, new_top, lambda k: owned_top(k) or k in target)
    return sp.apply()
