"""JSON and JSONC reader.

Fast path: the C `json` parser gives the value (with a duplicate-key hook). The
position-aware reader below is a small tokenizer + recursive-descent parser over the same
text; it runs only when positions are needed, when the text uses JSONC features (comments,
trailing commas), or to explain a syntax error. Its values equal `json.loads`' on every
strict-JSON text (tests/unit/test_syntax_json.py checks this with hypothesis).
"""

from __future__ import annotations

import json
import re
from typing import Any

from compiler.diagnostics import Related, Span, diag
from compiler.source import Document, LocMap, Pointer, SyntaxProblem

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\n\r]+)
  | (?P<lc>//[^\n]*)
  | (?P<bc>/\*.*?\*/)
  | (?P<str>"(?:[^"\\\x00-\x1f]|\\.)*")
  | (?P<num>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)(?![0-9A-Za-z_.+-])
  | (?P<punct>[{}\[\]:,])
  | (?P<lit>true|false|null)(?![0-9A-Za-z_])
    """,
    re.X | re.S,
)


_STR_PREFIX = re.compile(r'"(?:[^"\\\x00-\x1f]|\\[^\x00-\x1f])*')
MAX_DEPTH = 256  # deeper nesting is reported (SY001), never a RecursionError


class _Err(Exception):
    def __init__(self, offset: int, message: str, hint: str | None = None):
        super().__init__(message)
        self.offset = offset
        self.message = message
        self.hint = hint


class _Dup(Exception):
    pass


def _no_const(name: str) -> Any:
    raise ValueError(name)


def _strict_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) != len(pairs):
        raise _Dup()
    return d


_COMMENT_SCAN = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?\*/', re.S)
# A trailing comma counts only right after a value: a string, or a number/literal/container end.
_COMMA_SCAN = re.compile(r'"(?:[^"\\\n]|\\.)*"(?P<s>[ \t\r\n]*,(?=[ \t\r\n]*[}\]]))?'
                         r'|(?P<v>[0-9el}\]])(?P<w>[ \t\r\n]*),(?=[ \t\r\n]*[}\]])')


def _blank_jsonc(text: str) -> tuple[str, set[str], dict[str, int]] | None:
    """Replace comments and trailing commas by spaces (newlines kept), so that the C parser can
    read JSONC and every offset still points at the same place. None when there is nothing to do."""
    features: set[str] = set()
    first: dict[str, int] = {}

    def comment(m: re.Match[str]) -> str:
        tok = m.group(0)
        if tok[0] == '"':
            return tok
        features.add("comments")
        first.setdefault("comments", m.start())
        return "".join(c if c == "\n" else " " for c in tok)

    def comma(m: re.Match[str]) -> str:
        tok = m.group(0)
        if m.group("v") is None and m.group("s") is None:
            return tok  # a string without a trailing comma
        features.add("trailing-commas")
        first.setdefault("trailing-commas", m.end() - 1)
        return tok[:-1] + " "

    out = _COMMA_SCAN.sub(comma, _COMMENT_SCAN.sub(comment, text))
    return (out, features, first) if features else None


class _Parser:
    """Recursive-descent JSONC parser that records offsets for every pointer."""

    def __init__(self, text: str, *, jsonc: bool):
        self.text = text
        self.jsonc = jsonc
        self.tokens: list[tuple[str, int, int]] = []
        self.i = 0
        self.locs: LocMap = {}
        self.dups: list[tuple[Pointer, int, int, int, int]] = []
        self.features: set[str] = set()
        self.feature_at: dict[str, int] = {}
        self.depth = 0
        self.tok_err: _Err | None = None
        try:
            self._tokenize()
        except _Err as e:  # reported when the parser reaches it, so earlier errors win
            self.tok_err = e
            self.tokens.append(("err", e.offset, e.offset))

    def _tokenize(self) -> None:
        text, pos, n = self.text, 0, len(self.text)
        match = _TOKEN.match
        toks = self.tokens
        while pos < n:
            m = match(text, pos)
            if m is None:
                ch = text[pos]
                if ch == '"':
                    body = _STR_PREFIX.match(text, pos)
                    stop = body.end() if body else pos + 1
                    if stop >= n:
                        raise _Err(pos, "unterminated string", "close the string with '\"'")
                    raise _Err(stop, f"control character U+{ord(text[stop]):04X} inside a string",
                               "write newlines and tabs as \\n and \\t, or close the string with '\"'")
                if text.startswith("/*", pos):
                    raise _Err(pos, "unterminated block comment", "close the comment with '*/'")
                if ch == "'":
                    raise _Err(pos, "single-quoted string", "JSON strings use double quotes")
                word = re.match(r"[A-Za-z_$][\w$]*|[-+.0-9][-+.\w]*|.", text[pos:pos + 40], re.S)
                w = word.group(0) if word else ch
                raise _Err(pos, f"unexpected {w!r}")
            kind = m.lastgroup
            end = m.end()
            if kind == "lc" or kind == "bc":
                self.features.add("comments")
                self.feature_at.setdefault("comments", pos)
            elif kind != "ws":
                toks.append((kind, pos, end))  # type: ignore[arg-type]
            pos = end
        toks.append(("eof", n, n))

    def _peek(self) -> tuple[str, int, int]:
        tok = self.tokens[self.i]
        if tok[0] == "err":
            raise self.tok_err  # type: ignore[misc]
        return tok

    def _is(self, tok: tuple[str, int, int], ch: str) -> bool:
        return tok[0] == "punct" and self.text[tok[1]] == ch

    def _desc(self, tok: tuple[str, int, int]) -> str:
        if tok[0] == "eof":
            return "end of file"
        return repr(self.text[tok[1]:tok[2]][:30])

    def parse(self) -> Any:
        self._peek()
        if self.tokens[0][0] == "eof":
            raise _Err(len(self.text), "no JSON value in file", "an empty settings file is written as {}")
        value = self._value((), -1, -1)
        tok = self._peek()
        if tok[0] != "eof":
            raise _Err(tok[1], f"unexpected {self._desc(tok)} after the end of the JSON value")
        return value

    def _value(self, ptr: Pointer, ks: int, ke: int) -> Any:
        tok = self._peek()
        kind, start, end = tok
        if kind == "punct":
            ch = self.text[start]
            if ch in "{[":
                if self.depth >= MAX_DEPTH:
                    raise _Err(start, f"nesting is deeper than {MAX_DEPTH} levels",
                               "a config file has no reason to nest this deep")
                self.depth += 1
                try:
                    return self._object(ptr, ks, ke) if ch == "{" else self._array(ptr, ks, ke)
                finally:
                    self.depth -= 1
            raise _Err(start, f"expected a value, found {self._desc(tok)}")
        if kind == "eof":
            raise _Err(start, "unexpected end of file, expected a value")
        self.i += 1
        raw = self.text[start:end]
        if kind == "str":
            val = self._string(start, end)
        elif kind == "num":
            try:
                val = json.loads(raw)
            except ValueError:  # Python refuses to convert integers of more than 4300 digits
                raise _Err(start, f"number too long ({end - start} characters)",
                           "write it as a string or a float") from None
        else:
            val = {"true": True, "false": False, "null": None}[raw]
        self.locs[ptr] = (start, end, ks, ke)
        return val

    def _string(self, start: int, end: int) -> str:
        raw = self.text[start:end]
        try:
            return json.loads(raw)  # type: ignore[no-any-return]
        except json.JSONDecodeError as e:
            at = raw.rfind("\\", 0, e.pos + 1)  # the backslash that starts the bad escape
            at = e.pos if at < 0 else at
            bad = raw[at:at + 6] if raw[at + 1:at + 2] == "u" else raw[at:at + 2]
            raise _Err(start + at, f"invalid escape '{bad}' in string",
                       "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX") from None

    def _object(self, ptr: Pointer, ks: int, ke: int) -> dict[str, Any]:
        start = self.tokens[self.i][1]
        self.i += 1
        out: dict[str, Any] = {}
        first_key: dict[str, tuple[int, int]] = {}
        while True:
            tok = self._peek()
            if self._is(tok, "}"):
                self.i += 1
                break
            if tok[0] != "str":
                if tok[0] == "eof":
                    raise _Err(start, "unclosed object: '{' has no matching '}'")
                raise _Err(tok[1], f"expected a string key, found {self._desc(tok)}",
                           "object keys are double-quoted strings")
            key = self._string(tok[1], tok[2])
            kstart, kend = tok[1], tok[2]
            self.i += 1
            colon = self._peek()
            if not self._is(colon, ":"):
                raise _Err(colon[1], f"expected ':' after key, found {self._desc(colon)}")
            self.i += 1
            child = (*ptr, key)
            if key in first_key:
                fk = first_key[key]
                self.dups.append((child, fk[0], fk[1], kstart, kend))
            else:
                first_key[key] = (kstart, kend)
            out[key] = self._value(child, kstart, kend)
            sep = self._peek()
            if self._is(sep, ","):
                self.i += 1
                nxt = self._peek()
                if self._is(nxt, "}"):
                    self.features.add("trailing-commas")
                    self.feature_at.setdefault("trailing-commas", sep[1])
                continue
            if self._is(sep, "}"):
                self.i += 1
                break
            if sep[0] == "eof":
                raise _Err(start, "unclosed object: '{' has no matching '}'")
            raise _Err(sep[1], f"expected ',' or '}}' after an object member, found {self._desc(sep)}",
                       "separate members with commas")
        self.locs[ptr] = (start, self.tokens[self.i - 1][2], ks, ke)
        return out

    def _array(self, ptr: Pointer, ks: int, ke: int) -> list[Any]:
        start = self.tokens[self.i][1]
        self.i += 1
        out: list[Any] = []
        while True:
            tok = self._peek()
            if self._is(tok, "]"):
                self.i += 1
                break
            if tok[0] == "eof":
                raise _Err(start, "unclosed array: '[' has no matching ']'")
            out.append(self._value((*ptr, len(out)), -1, -1))
            sep = self._peek()
            if self._is(sep, ","):
                self.i += 1
                if self._is(self._peek(), "]"):
                    self.features.add("trailing-commas")
                    self.feature_at.setdefault("trailing-commas", sep[1])
                continue
            if self._is(sep, "]"):
                self.i += 1
                break
            if sep[0] == "eof":
                raise _Err(start, "unclosed array: '[' has no matching ']'")
            raise _Err(sep[1], f"expected ',' or ']' after an array item, found {self._desc(sep)}",
                       "separate items with commas")
        self.locs[ptr] = (start, self.tokens[self.i - 1][2], ks, ke)
        return out


def locate(text: str) -> LocMap:
    """Pointer -> offsets map of a JSON/JSONC text.

    The text normally parses (it was read first). If it does not (the C parser accepts
    nesting deeper than MAX_DEPTH), the offsets found so far are returned: spans then fall
    back to the nearest located ancestor instead of failing.
    """
    p = _Parser(text, jsonc=True)
    try:
        p.parse()
    except (_Err, RecursionError):
        pass
    return p.locs


def parse_located(text: str) -> tuple[Any, LocMap]:
    """Value and offsets (for tests and for callers that need both)."""
    p = _Parser(text, jsonc=True)
    return p.parse(), p.locs


# an escaped UTF-16 surrogate that is not part of a pair (a match needs an even run of backslashes before it)
_LONE_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
                             r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_SURROGATE_CHAR = re.compile("[\ud800-\udfff]")


def _has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE_CHAR.search(value) is not None
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


def _lone_surrogate(doc: Document) -> None:
    """JSON may escape half of a UTF-16 surrogate pair (`"\\ud83d"`); the result is no Unicode text
    (TOML and YAML reject the same escape), so it is a syntax error here rather than a crash later."""
    text = doc.text
    if "\\u" not in text or not _has_surrogate(doc.data):
        return
    at = None
    for m in _LONE_SURROGATE.finditer(text):
        i = m.start()
        while i > 0 and text[i - 1] == "\\":
            i -= 1
        if (m.start() - i) % 2 == 0:
            at = m
            break
    span = doc.span_of_offsets(at.start(), at.end()) if at else Span.file(doc.path)
    esc = at.group(0) if at else "\\uD800-\\uDFFF"
    raise SyntaxProblem([diag("SY001", span, f"invalid JSON: {esc} is half of a UTF-16 surrogate pair, not a "
                                             "Unicode character",
                              hint="write the character itself, or both halves of the pair "
                                   "(e.g. \\ud83d\\ude00)")])


def read(path: str, text: str) -> Document:
    """Parse JSON/JSONC text into a Document; raises SyntaxProblem on invalid syntax."""
    doc = _read(path, text)
    _lone_surrogate(doc)
    return doc


def _read(path: str, text: str) -> Document:
    doc = Document(path=path, text=text, syntax="json", data=None, locator=locate)
    try:
        doc.data = json.loads(text, object_pairs_hook=_strict_pairs, parse_constant=_no_const)
        doc.point_locator = PointLocator(text)
        return doc
    except (_Dup, ValueError, RecursionError):
        pass
    blanked = _blank_jsonc(text)  # JSONC: comments and trailing commas blanked, offsets unchanged
    if blanked is not None:
        plain, features, first_at = blanked
        try:
            doc.data = json.loads(plain, object_pairs_hook=_strict_pairs, parse_constant=_no_const)
            doc.point_locator = PointLocator(plain)
            doc.features |= features
            doc.feature_offsets = first_at  # type: ignore[attr-defined]
            return doc
        except (_Dup, ValueError, RecursionError):
            pass  # fall through to the position-aware parser, which explains or accepts
    parser = _Parser.__new__(_Parser)
    try:
        parser.__init__(text, jsonc=True)  # type: ignore[misc]
        data = parser.parse()
    except _Err as e:
        doc.data = None
        span = doc.span_of_offsets(e.offset, e.offset + 1)
        raise SyntaxProblem([diag("SY001", span, f"invalid JSON: {e.message}", hint=e.hint)]) from None
    except RecursionError:
        raise SyntaxProblem([diag("SY001", Span.file(path), "invalid JSON: nesting is too deep")]) from None
    doc.data = data
    doc._locmap = parser.locs
    doc.features |= parser.features
    doc.feature_offsets = parser.feature_at  # type: ignore[attr-defined]
    for child, k1s, k1e, k2s, k2e in parser.dups:
        first = doc.span_of_offsets(k1s, k1e)
        doc.problems.append(
            diag(
                "SY002",
                doc.span_of_offsets(k2s, k2e),
                f"duplicate key {child[-1]!r}: this value replaces the one at line {first.line}",
                hint="remove one of the two; most tools keep the last one silently",
                related=[Related(first, "first defined here")],
            )
        )
    return doc


_WS = re.compile(r"[ \t\n\r]*")
_KEY = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"')


class PointLocator:
    """Finds the offsets of single pointers in strict JSON without parsing the whole text in Python.

    Values are skipped with the C decoder (`raw_decode`); the members of each container that a
    lookup passes through are indexed once and cached. Used for texts the C parser accepted
    (no comments, no trailing commas); `locate()` stays the reference for everything else.
    """

    def __init__(self, text: str):
        self.text = text
        self.decoder = json.JSONDecoder()
        self.index: dict[int, Any] = {}
        self.root = _WS.match(text, 0).end()  # type: ignore[union-attr]

    def _members(self, start: int) -> Any:
        got = self.index.get(start)
        if got is not None:
            return got
        text, ws, raw = self.text, _WS.match, self.decoder.raw_decode
        pos = ws(text, start + 1).end()  # type: ignore[union-attr]
        if text[start] == "{":
            members: dict[str, tuple[int, int, int, int]] = {}
            while text[pos] != "}":
                m = _KEY.match(text, pos)
                if m is None:
                    raise ValueError(pos)
                ks, ke = m.span()
                pos = ws(text, ws(text, ke).end() + 1).end()  # type: ignore[union-attr]  # skip ':'
                _, ve = raw(text, pos)
                members[json.loads(text[ks:ke])] = (pos, ve, ks, ke)
                pos = ws(text, ve).end()  # type: ignore[union-attr]
                if text[pos] == ",":
                    pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
            self.index[start] = members
            return members
        items: list[tuple[int, int, int, int]] = []
        while text[pos] != "]":
            _, ve = raw(text, pos)
            items.append((pos, ve, -1, -1))
            pos = ws(text, ve).end()  # type: ignore[union-attr]
            if text[pos] == ",":
                pos = ws(text, pos + 1).end()  # type: ignore[union-attr]
        self.index[start] = items
        return items

    def __call__(self, pointer: Pointer) -> tuple[int, int, int, int] | None:
        text = self.text
        try:
            _, end = self.decoder.raw_decode(text, self.root) if not pointer else (None, 0)
            loc = (self.root, end, -1, -1)
            for part in pointer:
                vs = loc[0]
                if text[vs] not in "{[":
                    return None
                members = self._members(vs)
                if isinstance(members, dict):
                    if not isinstance(part, str) or part not in members:
                        return None
                    loc = members[part]
                else:
                    if not isinstance(part, int) or not 0 <= part < len(members):
                        return None
                    loc = members[part]
            return loc
        except (ValueError, IndexError):
            return None
