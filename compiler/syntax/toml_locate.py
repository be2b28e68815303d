"""Position-aware TOML 1.0 reader.

`compiler.syntax.toml` takes values from `tomllib`; this module runs only when a diagnostic
needs a source position. It is a complete TOML 1.0 parser that follows tomllib's rules
(including its checks for redefined tables and keys) so that on every text tomllib accepts
it returns the same value, and besides the value it records, for every JSON pointer in the
document, where that value and the key naming it are written:

    pointer -> (value_start, value_end, key_start, key_end)

as character offsets into the original text (end exclusive; key offsets are -1 without a
key: the root and array items).

Spans by construct:

* `k = v`: the value token (strings include their quotes, arrays and inline tables their
  brackets) and the key; for a dotted key `a.b.c = v` the key span is the last segment `c`.
* Tables created by dotted keys (`("a",)` and `("a", "b")` above): key span = their
  segment; value span = from that segment to the end of the last value written through it.
* `[a.b]`: value span = from the `[` of the header to the end of the section's last value
  (just the header when the section is empty); key span = the last header segment.
  Tables a header creates implicitly (`("a",)` here, unless `[a]` is declared too) get
  their segment for both spans.
* `[[x]]`: `("x", i)` as for tables, for the i-th header; `("x",)` is the first header.
* The root `()` spans the whole text.

CRLF line endings are normalised to LF before parsing (as tomllib does) and offsets are
mapped back to the original text.
"""

from __future__ import annotations

import bisect
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any

from compiler.source import LocMap, Pointer

__all__ = ["TOMLLocateError", "locate", "parse_located"]


class TOMLLocateError(ValueError):
    """The text is not valid TOML. `offset` is a character offset into the original text."""

    def __init__(self, message: str, offset: int, line: int, col: int):
        super().__init__(f"{message} (at line {line}, column {col})")
        self.message = message
        self.offset = offset
        self.line = line
        self.col = col


# -- tokens -------------------------------------------------------------------------------------

_CTRL = r"\x00-\x08\x0a-\x1f\x7f"  # ASCII control characters except tab
_CTRL_ML = r"\x00-\x08\x0b-\x1f\x7f"  # ... except tab and newline
_ESC = r'\\(?:[btnfr"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})'

_WS = re.compile(r"[ \t]*")
_WS_NL_COMMENTS = re.compile(rf"(?:[ \t\n]|#[^{_CTRL}]*)*+")
_COMMENT = re.compile(rf"#[^{_CTRL}]*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(rf'"((?:[^"\\{_CTRL}]|{_ESC})*+)"')
_LITERAL = re.compile(rf"'([^'{_CTRL}]*)'")
_ML_BASIC = re.compile(
    rf'"""\n?((?:[^"\\{_CTRL_ML}]|"(?!"")|{_ESC}|\\[ \t]*\n[ \t\n]*)*+)"""("{{0,2}})'
)
_ML_LITERAL = re.compile(rf"'''\n?((?:[^'{_CTRL_ML}]|'(?!''))*+)'''('{{0,2}})")
_UNESCAPE = re.compile(r'\\(?:([btnfr"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|[ \t]*\n[ \t\n]*)')
_ESC_RE = re.compile(_ESC)
_LINE_END_ESC = re.compile(r"\\[ \t]*\n")
_ESCAPE_CHARS = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_ILLEGAL = frozenset(chr(i) for i in range(32) if i != 9) | {"\x7f"}
_ILLEGAL_ML = _ILLEGAL - {"\n"}

# Same grammar as tomllib's (Lib/tomllib/_re.py), so values convert identically.
_TIME = r"([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])(?:\.([0-9]{1,6})[0-9]*)?"
_DATETIME = re.compile(
    rf"""
([0-9]{{4}})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])
(?:
    [Tt ]
    {_TIME}
    (?:([Zz])|([+-])([01][0-9]|2[0-3]):([0-5][0-9]))?
)?
""",
    re.X,
)
_LOCALTIME = re.compile(_TIME)
_NUMBER = re.compile(
    r"""
0
(?:
    x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*
    |
    b[01](?:_?[01])*
    |
    o[0-7](?:_?[0-7])*
)
|
[+-]?(?:0|[1-9](?:_?[0-9])*)
(?P<floatpart>
    (?:\.[0-9](?:_?[0-9])*)?
    (?:[eE][+-]?[0-9](?:_?[0-9])*)?
)
""",
    re.X,
)
_SPECIAL_FLOATS = {"inf", "nan", "+inf", "-inf", "+nan", "-nan"}
_KEY_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_\"'")
_DIGITS = frozenset("0123456789")


@lru_cache(maxsize=None)
def _tz(hours: str, minutes: str, sign: str) -> timezone:
    s = 1 if sign == "+" else -1
    return timezone(timedelta(hours=s * int(hours), minutes=s * int(minutes)))


def _to_datetime(m: re.Match[str]) -> datetime | date:
    y, mo, d, h, mi, s, us, zulu, sign, oh, om = m.groups()
    if h is None:
        return date(int(y), int(mo), int(d))
    tz: tzinfo | None
    if sign:
        tz = _tz(oh, om, sign)
    elif zulu:
        tz = timezone.utc
    else:
        tz = None
    micros = int(us.ljust(6, "0")) if us else 0
    return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), micros, tzinfo=tz)


def _to_time(m: re.Match[str]) -> time:
    h, mi, s, us = m.groups()
    return time(int(h), int(mi), int(s), int(us.ljust(6, "0")) if us else 0)


class _BadScalar(Exception):
    def __init__(self, at: int):
        self.at = at


def _unescape_one(m: re.Match[str]) -> str:
    c = m.group(1)
    if c:
        return _ESCAPE_CHARS[c]
    h = m.group(2) or m.group(3)
    if h is None:  # line-ending backslash
        return ""
    cp = int(h, 16)
    if 0xD800 <= cp <= 0xDFFF or cp > 0x10FFFF:
        raise _BadScalar(m.start())
    return chr(cp)


# -- tomllib's namespace flags --------------------------------------------------------------------

_FROZEN = 0  # an inline table or array: nothing may be added under it
_EXPLICIT = 1  # declared with [table] or by dotted keys: cannot be declared again


class _Flags:
    """Per-key flags (keys without array indexes), with tomllib's exact semantics."""

    __slots__ = ("_root", "_pending")

    def __init__(self) -> None:
        # node: [flags, recursive_flags, children]
        self._root: dict[str, list[Any]] = {}
        self._pending: set[tuple[tuple[str, ...], int]] = set()

    def add_pending(self, key: tuple[str, ...], flag: int) -> None:
        self._pending.add((key, flag))

    def finalize_pending(self) -> None:
        for key, flag in self._pending:
            self.set(key, flag, recursive=False)
        self._pending.clear()

    def unset_all(self, key: tuple[str, ...]) -> None:
        cont = self._root
        for k in key[:-1]:
            if k not in cont:
                return
            cont = cont[k][2]
        cont.pop(key[-1], None)

    def set(self, key: tuple[str, ...], flag: int, *, recursive: bool) -> None:
        cont = self._root
        for k in key[:-1]:
            node = cont.get(k)
            if node is None:
                node = cont[k] = [set(), set(), {}]
            cont = node[2]
        node = cont.get(key[-1])
        if node is None:
            node = cont[key[-1]] = [set(), set(), {}]
        node[1 if recursive else 0].add(flag)

    def is_(self, key: tuple[str, ...], flag: int) -> bool:
        if not key:
            return False
        cont = self._root
        for k in key[:-1]:
            node = cont.get(k)
            if node is None:
                return False
            if flag in node[1]:
                return True
            cont = node[2]
        node = cont.get(key[-1])
        return node is not None and (flag in node[0] or flag in node[1])


# -- parser ---------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str):
        self.text = text
        crlf: list[int] = []
        if "\r\n" in text:
            src = text.replace("\r\n", "\n")
            removed, i = 0, text.find("\r\n")
            while i != -1:
                crlf.append(i - removed)  # position of the "\n" in the normalised text
                removed += 1
                i = text.find("\r\n", i + 2)
        else:
            src = text
        self.src = src
        self.n = len(src)
        self.crlf = crlf
        self.data: dict[str, Any] = {}
        self.flags = _Flags()
        self.locs: LocMap = {}
        self.dotted: set[Pointer] = set()  # tables created by dotted keys (their span grows)

    # -- positions / errors ---------------------------------------------------------------------
    def orig(self, offset: int) -> int:
        if not self.crlf or offset < 0:
            return offset
        return offset + bisect.bisect_left(self.crlf, offset)

    def err(self, pos: int, message: str) -> TOMLLocateError:
        off = self.orig(min(pos, self.n))
        text = self.text
        line = text.count("\n", 0, off) + 1
        col = off - (text.rfind("\n", 0, off) + 1) + 1
        return TOMLLocateError(message, off, line, col)

    def finish_locs(self) -> LocMap:
        locs = self.locs
        if self.crlf:
            o = self.orig
            locs = {p: (o(a), o(b), o(c), o(d)) for p, (a, b, c, d) in locs.items()}
        locs[()] = (0, len(self.text), -1, -1)
        self.locs = locs
        return locs

    # -- document -------------------------------------------------------------------------------
    def parse(self) -> dict[str, Any]:
        src, n = self.src, self.n
        ws = _WS.match
        comment = _COMMENT.match
        header: tuple[str, ...] = ()
        hptr: Pointer = ()
        hcont: dict[str, Any] = self.data
        pos = 0
        while True:
            pos = ws(src, pos).end()
            if pos >= n:
                break
            c = src[pos]
            if c == "\n":
                pos += 1
                continue
            if c in _KEY_START:
                pos = self._key_value_rule(pos, header, hptr, hcont)
                pos = ws(src, pos).end()
            elif c == "[":
                self.flags.finalize_pending()
                if src.startswith("[[", pos):
                    pos, header, hptr, hcont = self._array_table_rule(pos)
                else:
                    pos, header, hptr, hcont = self._table_rule(pos)
                pos = ws(src, pos).end()
            elif c != "#":
                raise self.err(pos, "invalid statement")
            m = comment(src, pos)
            if m:
                pos = m.end()
            if pos >= n:
                break
            if src[pos] != "\n":
                if m:
                    raise self.err(pos, f"invalid character {src[pos]!r} in comment")
                raise self.err(pos, "expected newline or end of document after a statement")
            pos += 1
        return self.data

    # -- keys -----------------------------------------------------------------------------------
    def _key(self, pos: int) -> tuple[int, tuple[str, ...], list[tuple[int, int]]]:
        src, n = self.src, self.n
        ws = _WS.match
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        while True:
            start = pos
            c = src[pos] if pos < n else ""
            if c == '"':
                m = _BASIC.match(src, pos)
                if m is None:
                    raise self._string_error(pos, '"', multiline=False)
                part = m.group(1)
                if "\\" in part:
                    part = self._unescape(part, pos + 1)
                pos = m.end()
            elif c == "'":
                m = _LITERAL.match(src, pos)
                if m is None:
                    raise self._string_error(pos, "'", multiline=False)
                part = m.group(1)
                pos = m.end()
            else:
                m = _BARE_KEY.match(src, pos)
                if m is None:
                    raise self.err(pos, "invalid initial character for a key part")
                part = m.group()
                pos = m.end()
            parts.append(part)
            spans.append((start, pos))
            pos = ws(src, pos).end()
            if pos < n and src[pos] == ".":
                pos = ws(src, pos + 1).end()
                continue
            return pos, tuple(parts), spans

    def _walk(
        self, cont: dict[str, Any], ptr: Pointer, key: tuple[str, ...], pos: int, *, access_lists: bool
    ) -> tuple[dict[str, Any], list[Pointer]]:
        """tomllib's get_or_create_nest, also returning the pointer of each prefix of `key`."""
        ptrs: list[Pointer] = []
        if not key:
            return cont, ptrs
        for k in key:
            nxt = cont.get(k)
            if nxt is None:
                nxt = cont[k] = {}
            ptr = (*ptr, k)
            if access_lists and isinstance(nxt, list):
                ptr = (*ptr, len(nxt) - 1)
                nxt = nxt[-1]
            if not isinstance(nxt, dict):
                raise self.err(pos, "cannot overwrite a value")
            cont = nxt
            ptrs.append(ptr)
        return cont, ptrs

    def _implicit(self, ptrs: list[Pointer], spans: list[tuple[int, int]]) -> None:
        """Tables named by a header's leading segments: their segment, unless already located."""
        locs = self.locs
        for p, (s, e) in zip(ptrs, spans):
            if p not in locs:
                locs[p] = (s, e, s, e)

    def _dotted(self, ptrs: list[Pointer], spans: list[tuple[int, int]], end: int) -> None:
        """Tables named by a dotted key's leading segments: segment .. end of the value."""
        locs, dotted = self.locs, self.dotted
        for p, (s, e) in zip(ptrs, spans):
            loc = locs.get(p)
            if loc is None:
                locs[p] = (s, end, s, e)
                dotted.add(p)
            elif p in dotted and loc[1] < end:
                locs[p] = (loc[0], end, loc[2], loc[3])

    # -- statements -----------------------------------------------------------------------------
    def _table_rule(self, pos: int) -> tuple[int, tuple[str, ...], Pointer, dict[str, Any]]:
        start = pos
        pos = _WS.match(self.src, pos + 1).end()
        pos, key, spans = self._key(pos)
        flags = self.flags
        if flags.is_(key, _EXPLICIT) or flags.is_(key, _FROZEN):
            raise self.err(spans[0][0], f"cannot declare table {'.'.join(key)!r} twice")
        flags.set(key, _EXPLICIT, recursive=False)
        cont, ptrs = self._walk(self.data, (), key, spans[0][0], access_lists=True)
        if not self.src.startswith("]", pos):
            raise self.err(pos, "expected ']' at the end of a table header")
        end = pos + 1
        self._implicit(ptrs[:-1], spans[:-1])
        self.locs[ptrs[-1]] = (start, end, *spans[-1])
        return end, key, ptrs[-1], cont

    def _array_table_rule(self, pos: int) -> tuple[int, tuple[str, ...], Pointer, dict[str, Any]]:
        start = pos
        pos = _WS.match(self.src, pos + 2).end()
        pos, key, spans = self._key(pos)
        flags = self.flags
        if flags.is_(key, _FROZEN):
            raise self.err(spans[0][0], f"cannot append to immutable array {'.'.join(key)!r}")
        flags.unset_all(key)
        flags.set(key, _EXPLICIT, recursive=False)
        parent, ptrs = self._walk(self.data, (), key[:-1], spans[0][0], access_lists=True)
        last = key[-1]
        pptr = ptrs[-1] if ptrs else ()
        lst = parent.get(last)
        new = lst is None
        if new:
            lst = parent[last] = []
        elif not isinstance(lst, list):
            raise self.err(spans[-1][0], "cannot overwrite a value")
        item: dict[str, Any] = {}
        lst.append(item)
        if not self.src.startswith("]]", pos):
            raise self.err(pos, "expected ']]' at the end of an array-of-tables header")
        end = pos + 2
        self._implicit(ptrs, spans[:-1])
        lptr = (*pptr, last)
        loc = (start, end, *spans[-1])
        if new:
            self.locs[lptr] = loc
        iptr = (*lptr, len(lst) - 1)
        self.locs[iptr] = loc
        return end, key, iptr, item

    def _key_value_rule(self, pos: int, header: tuple[str, ...], hptr: Pointer, hcont: dict[str, Any]) -> int:
        src = self.src
        kstart = pos
        pos, key, spans = self._key(pos)
        if pos >= self.n or src[pos] != "=":
            raise self.err(pos, "expected '=' after a key in a key/value pair")
        pos = _WS.match(src, pos + 1).end()
        flags = self.flags
        for i in range(1, len(key)):
            cont_key = header + key[:i]
            if flags.is_(cont_key, _EXPLICIT):
                raise self.err(kstart, f"cannot redefine table {'.'.join(cont_key)!r} with a dotted key")
            flags.add_pending(cont_key, _EXPLICIT)
        if flags.is_(header + key[:-1], _FROZEN):
            raise self.err(kstart, f"cannot add keys to inline value {'.'.join(header + key[:-1])!r}")
        stem = key[-1]
        nest, ptrs = self._walk(hcont, hptr, key[:-1], kstart, access_lists=True)
        if stem in nest:
            name = ".".join(header + key)
            raise self.err(spans[-1][0], f"cannot overwrite a value: {name!r} is already defined")
        pptr = ptrs[-1] if ptrs else hptr
        pos, value = self._value(pos, (*pptr, stem), *spans[-1])
        if isinstance(value, (dict, list)):
            flags.set(header + key, _FROZEN, recursive=True)
        nest[stem] = value
        if ptrs:
            self._dotted(ptrs, spans[:-1], pos)
        if hptr:
            loc = self.locs[hptr]
            if loc[1] < pos:
                self.locs[hptr] = (loc[0], pos, loc[2], loc[3])
        return pos

    # -- values ---------------------------------------------------------------------------------
    def _value(self, pos: int, ptr: Pointer, ks: int, ke: int) -> tuple[int, Any]:
        src, n = self.src, self.n
        c = src[pos] if pos < n else ""
        value: Any
        if c == '"':
            if src.startswith('"""', pos):
                m = _ML_BASIC.match(src, pos)
                if m is None:
                    raise self._string_error(pos, '"', multiline=True)
                value = m.group(1)
                if "\\" in value:
                    value = self._unescape(value, m.start(1))
                value += m.group(2)
            else:
                m = _BASIC.match(src, pos)
                if m is None:
                    raise self._string_error(pos, '"', multiline=False)
                value = m.group(1)
                if "\\" in value:
                    value = self._unescape(value, pos + 1)
            end = m.end()
        elif c == "'":
            if src.startswith("'''", pos):
                m = _ML_LITERAL.match(src, pos)
                if m is None:
                    raise self._string_error(pos, "'", multiline=True)
                value = m.group(1) + m.group(2)
            else:
                m = _LITERAL.match(src, pos)
                if m is None:
                    raise self._string_error(pos, "'", multiline=False)
                value = m.group(1)
            end = m.end()
        elif c == "t" and src.startswith("true", pos):
            value, end = True, pos + 4
        elif c == "f" and src.startswith("false", pos):
            value, end = False, pos + 5
        elif c == "[":
            return self._array(pos, ptr, ks, ke)
        elif c == "{":
            return self._inline_table(pos, ptr, ks, ke)
        else:
            m = None
            if c in _DIGITS:
                m = _DATETIME.match(src, pos)
                if m:
                    try:
                        value = _to_datetime(m)
                    except ValueError:
                        raise self.err(pos, "invalid date or datetime") from None
                else:
                    m = _LOCALTIME.match(src, pos)
                    if m:
                        value = _to_time(m)
            if m is None:
                m = _NUMBER.match(src, pos)
                if m:
                    value = float(m.group()) if m.group("floatpart") else int(m.group(), 0)
            if m is not None:
                end = m.end()
            elif src[pos:pos + 3] in _SPECIAL_FLOATS:
                value, end = float(src[pos:pos + 3]), pos + 3
            elif src[pos:pos + 4] in _SPECIAL_FLOATS:
                value, end = float(src[pos:pos + 4]), pos + 4
            else:
                raise self.err(pos, "invalid value")
        self.locs[ptr] = (pos, end, ks, ke)
        return end, value

    def _array(self, pos: int, ptr: Pointer, ks: int, ke: int) -> tuple[int, list[Any]]:
        src = self.src
        skip = _WS_NL_COMMENTS.match
        start = pos
        out: list[Any] = []
        pos = skip(src, pos + 1).end()
        if src.startswith("]", pos):
            pos += 1
        else:
            while True:
                pos, val = self._value(pos, (*ptr, len(out)), -1, -1)
                out.append(val)
                pos = skip(src, pos).end()
                c = src[pos:pos + 1]
                if c == "]":
                    pos += 1
                    break
                if c != ",":
                    raise self.err(pos if c else start, "unclosed array: expected ',' or ']'")
                pos = skip(src, pos + 1).end()
                if src.startswith("]", pos):
                    pos += 1
                    break
        self.locs[ptr] = (start, pos, ks, ke)
        return pos, out

    def _inline_table(self, pos: int, ptr: Pointer, ks: int, ke: int) -> tuple[int, dict[str, Any]]:
        src = self.src
        ws = _WS.match
        start = pos
        out: dict[str, Any] = {}
        flags: _Flags | None = None  # created on first use: most inline tables never need it
        pos = ws(src, pos + 1).end()
        if src.startswith("}", pos):
            pos += 1
        else:
            while True:
                kstart = pos
                pos, key, spans = self._key(pos)
                if pos >= self.n or src[pos] != "=":
                    raise self.err(pos, "expected '=' after a key in a key/value pair")
                pos = ws(src, pos + 1).end()
                if flags is not None and flags.is_(key, _FROZEN):
                    raise self.err(kstart, f"cannot add keys to inline value {'.'.join(key[:-1])!r}")
                nest, ptrs = self._walk(out, ptr, key[:-1], kstart, access_lists=False)
                stem = key[-1]
                if stem in nest:
                    raise self.err(spans[-1][0], f"duplicate inline table key {stem!r}")
                pptr = ptrs[-1] if ptrs else ptr
                pos, value = self._value(pos, (*pptr, stem), *spans[-1])
                nest[stem] = value
                if ptrs:
                    self._dotted(ptrs, spans[:-1], pos)
                pos = ws(src, pos).end()
                c = src[pos:pos + 1]
                if c == "}":
                    pos += 1
                    break
                if c != ",":
                    raise self.err(pos if c else start, "unclosed inline table: expected ',' or '}'")
                if isinstance(value, (dict, list)):
                    if flags is None:
                        flags = _Flags()
                    flags.set(key, _FROZEN, recursive=True)
                pos = ws(src, pos + 1).end()
        self.locs[ptr] = (start, pos, ks, ke)
        return pos, out

    # -- strings --------------------------------------------------------------------------------
    def _unescape(self, raw: str, base: int) -> str:
        try:
            return _UNESCAPE.sub(_unescape_one, raw)
        except _BadScalar as e:
            raise self.err(base + e.at, "escaped character is not a Unicode scalar value") from None

    def _string_error(self, pos: int, delim: str, *, multiline: bool) -> TOMLLocateError:
        """Explain why the string starting at `pos` did not match its token pattern."""
        src, n = self.src, self.n
        i = pos + (3 if multiline else 1)
        if multiline and src.startswith("\n", i):
            i += 1
        illegal = _ILLEGAL_ML if multiline else _ILLEGAL
        while i < n:
            c = src[i]
            if c == delim and (not multiline or src.startswith(delim * 3, i)):
                break
            if c == "\\" and delim == '"':
                m = _ESC_RE.match(src, i)
                if m is None and multiline:
                    m = _LINE_END_ESC.match(src, i)
                if m is None:
                    return self.err(i, "invalid escape sequence in string")
                i = m.end()
                continue
            if c in illegal:
                what = "newline" if c == "\n" else f"character {c!r}"
                return self.err(i, f"illegal {what} in string")
            i += 1
        else:
            return self.err(pos, "unterminated string")
        return self.err(pos, "invalid string")


def parse_located(text: str) -> tuple[dict[str, Any], LocMap]:
    """Value (equal to `tomllib.loads(text)`) and pointer -> offsets map.

    Raises TOMLLocateError (a ValueError with `.offset`) when the text is not valid TOML.
    """
    p = _Parser(text)
    data = p.parse()
    return data, p.finish_locs()


def locate(text: str) -> LocMap:
    """Pointer -> offsets map of a TOML text.

    Meant for texts tomllib accepted. On a text it cannot parse it returns what it located
    before the error rather than raising (this runs while reporting other diagnostics).
    """
    p = _Parser(text)
    try:
        p.parse()
    except (TOMLLocateError, RecursionError):
        pass
    return p.finish_locs()
