"""The position-aware JSON/JSONC reader (compiler.syntax.json).

Its values must equal `json.loads`' on every strict-JSON text, every pointer must have a
span whose slice of the text is that value (and key), JSONC extras (comments, trailing
commas) must be accepted and noted, duplicates diagnosed, and every malformed text must
give one SY001 diagnostic at the right place, never a Python exception.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.pipeline import RunOptions, load
from compiler.source import Document, SyntaxProblem
from compiler.syntax import json as sjson
from compiler.syntax.json import MAX_DEPTH, locate, parse_located
from tests.conftest import pointers, value_at

# -- helpers ----------------------------------------------------------------------------------



def _same(a: Any, b: Any) -> bool:
    """Equality that compares types too (1 != 1.0 != True) and key order of objects."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _check_spans(text: str, data: Any, locs: dict) -> None:
    """Every pointer located; every value's slice parses back to it; every key's slice names it."""
    root = locs[()]
    assert text[: root[0]].strip() == "" or text[: root[0]].lstrip().startswith(("//", "/*"))
    for ptr in pointers(data):
        assert ptr in locs, f"no location for {ptr}"
        vs, ve, ks, ke = locs[ptr]
        assert 0 <= vs < ve <= len(text)
        sliced = text[vs:ve]
        if "//" not in sliced and "/*" not in sliced and not _has_trailing_comma(sliced):
            assert _same(json.loads(sliced), value_at(data, ptr)), (ptr, sliced)
        else:
            assert _same(parse_located(sliced)[0], value_at(data, ptr)), (ptr, sliced)
        if isinstance(ptr[-1], str):
            assert 0 <= ks < ke <= vs, ptr
            assert json.loads(text[ks:ke]) == ptr[-1], (ptr, text[ks:ke])
        else:
            assert (ks, ke) == (-1, -1), ptr


def _has_trailing_comma(s: str) -> bool:
    import re

    return re.search(r",\s*[}\]]", s) is not None


def _check(text: str) -> Any:
    data, locs = parse_located(text)
    _check_spans(text, data, locs)
    assert locate(text) == locs
    return data


def _doc(text: str) -> Document:
    return sjson.read("f.json", text)


def _problem(text: str) -> tuple[str, int, int, str]:
    with pytest.raises(SyntaxProblem) as ei:
        sjson.read("f.json", text)
    (d,) = ei.value.diagnostics
    return d.code, d.span.line, d.span.col, d.message


# -- 1. property: equal to json.loads on json.dumps output --------------------------------------

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.text(alphabet=st.sampled_from('"\\/\b\f\n\r\t\x00\x1f\u2028\ud7ff\ue000é😀 a'))
)
_values = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=40,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(value=_values, indent=st.sampled_from([None, 0, 1, 2, 4, "\t"]), ascii=st.booleans(),
       compact=st.booleans())
def test_property_equals_json_loads(value: Any, indent: Any, ascii: bool, compact: bool) -> None:
    seps = (",", ":") if compact else None
    text = json.dumps(value, indent=indent, ensure_ascii=ascii, separators=seps)
    expected = json.loads(text)
    data = _check(text)
    assert _same(data, expected)
    doc = _doc(text)
    assert _same(doc.data, expected)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.dictionaries(st.text(max_size=6), _values, max_size=6), comment=st.text(max_size=10))
def test_property_jsonc_variants_parse_the_same(value: dict, comment: str) -> None:
    """Comments after every comma and trailing commas change nothing but the features."""
    text = json.dumps(value, indent=2)
    comment = comment.replace("\n", " ").replace("\r", " ")
    jsonc = "// head " + comment + "\n" + text.replace(",\n", ", // c " + comment + "\n")
    if text.endswith("}") and value:
        jsonc = jsonc[:-1].rstrip() + ",\n}"
    data = _check(jsonc)
    assert _same(data, json.loads(text))
    doc = _doc(jsonc)
    assert _same(doc.data, json.loads(text))
    assert "comments" in doc.features
    if value:
        assert "trailing-commas" in doc.features


def test_big_and_odd_numbers() -> None:
    text = '[12345678901234567890123456789012345678901234567890, -0, -0.0, 1e400, 1E-400, 0.1e+2, 5e0]'
    data = _check(text)
    assert _same(data, json.loads(text))
    assert data[0] == 12345678901234567890123456789012345678901234567890


def test_unicode_escapes_and_surrogates() -> None:
    text = r'{"\u00e9t\u00E9": "\ud83d\ude00 \ud800 \/ \" \\ \b\f\n\r\t", "ключ": "日本語"}'
    assert _same(_check(text), json.loads(text))


def test_lone_surrogate_escape_is_a_syntax_error_not_a_crash(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # json.loads accepts "\ud800" and gives a str that cannot be printed as UTF-8: exit 3 in every reporter
    assert _problem(r'{"a": "\ud83d\ude00 \\ud800", "b": "x\udc00"}')[:3] == ("SY001", 1, 38)
    assert _problem('{\n  // c\n  "k": "\\uD83D",\n}')[:3] == ("SY001", 3, 9)  # JSONC path
    assert _doc(r'{"a": "\ud83d\ude00 \\ud800"}').data == {"a": "\U0001F600 \\ud800"}  # a pair, an escaped \
    p = tmp_path / "settings.json"
    p.write_text('{"aiOrchestrator.agents.providerAssignment": {"code": "custom:\\ud83d"}}')
    lo = load(str(p), RunOptions(environ={}))
    assert [(d.code, d.span.line, d.span.col) for d in lo.diagnostics] == [("SY001", 1, 63)]


# -- 2. spans -----------------------------------------------------------------------------------

SETTINGS = """{
  // editor settings
  "editor.fontSize": 14,
  /* block
     comment */
  "aiOrchestrator.providers.custom": [
    {"id": "a", "cost": {"input": 1, "output": 2},},
  ],
}
"""


def test_spans_line_col() -> None:
    doc = _doc(SETTINGS)
    s = doc.span(("editor.fontSize",))
    assert (s.line, s.col, s.end_line, s.end_col) == (3, 22, 3, 24)
    k = doc.span(("editor.fontSize",), key=True)
    assert (k.line, k.col, k.end_line, k.end_col) == (3, 3, 3, 20)
    s = doc.span(("aiOrchestrator.providers.custom", 0, "cost", "output"))
    assert (s.line, s.col) == (7, 48)
    # a missing key resolves to its nearest ancestor, at that ancestor's key
    s = doc.span(("aiOrchestrator.providers.custom", 0, "nope"))
    assert (s.line, s.col) == (7, 5)
    s = doc.span(("editor.fontSize", "x"))
    assert (s.line, s.col) == (3, 3)
    assert doc.features == {"comments", "trailing-commas"}


def test_crlf_line_and_column() -> None:
    text = SETTINGS.replace("\n", "\r\n")
    doc = _doc(text)
    assert _same(doc.data, _doc(SETTINGS).data)
    s = doc.span(("aiOrchestrator.providers.custom", 0, "cost", "output"))
    assert (s.line, s.col) == (7, 48)
    _check(text)
    assert _problem('{\r\n  "a": 1\r\n  "b": 2\r\n}')[1:3] == (3, 3)


def test_fast_path_locates_lazily() -> None:
    doc = _doc('{"a": [1, {"b": null}]}')
    assert doc._locmap is None
    s = doc.span(("a", 1, "b"))
    assert (s.line, s.col, s.end_col) == (1, 17, 21)
    assert doc.features == set()


# -- 3. duplicates ------------------------------------------------------------------------------


def test_duplicate_keys_last_wins_and_sy002_points_at_both() -> None:
    text = '{\n  "a": 1,\n  "b": {"x": 1, "x": 2},\n  "a": 3\n}'
    doc = _doc(text)
    assert doc.data == json.loads(text) == {"a": 3, "b": {"x": 2}}
    assert list(doc.data) == list(json.loads(text))
    probs = sorted(doc.problems)
    assert [p.code for p in probs] == ["SY002", "SY002"]
    b, a = probs
    assert (b.span.line, b.span.col) == (3, 17) and "'x'" in b.message
    assert (b.related[0].span.line, b.related[0].span.col) == (3, 9)
    assert (a.span.line, a.span.col) == (4, 3) and "line 2" in a.message
    assert a.related[0].message == "first defined here" and a.related[0].span.line == 2
    # the located value of a duplicate is the last one
    vs, ve, _, _ = doc.locmap()[("a",)]
    assert text[vs:ve] == "3"


def test_duplicate_in_jsonc() -> None:
    doc = _doc('{"a": 1, // c\n "a": 2,}')
    assert doc.data == {"a": 2}
    assert [p.code for p in doc.problems] == ["SY002"]


# -- 4. syntax errors: one SY001 at the right place, never an exception ------------------------

ERRORS = {
    "unterminated-string": ('{"a": "abc', 1, 7, "unterminated string"),
    "newline-in-string": ('{"a": "ab\ncd"}', 1, 10, "control character U+000A"),
    "tab-in-string": ('{"a": "a\tb"}', 1, 9, "control character U+0009"),
    "unterminated-block-comment": ('{"a": 1 /* never closed\n}', 1, 9, "unterminated block comment"),
    "missing-comma-object": ('{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}'"),
    "missing-comma-array": ("[1 2]", 1, 4, "expected ',' or ']'"),
    "missing-colon": ('{"a" 1}', 1, 6, "expected ':'"),
    "missing-value": ('{"a": }', 1, 7, "expected a value"),
    "trailing-garbage": ('{"a": 1} x', 1, 10, "unexpected 'x'"),
    "second-value": ("{} {}", 1, 4, "after the end of the JSON value"),
    "unclosed-object": ('{"a": 1', 1, 1, "unclosed object"),
    "unclosed-array": ("[1, 2", 1, 1, "unclosed array"),
    "eof-after-colon": ('{"a":', 1, 6, "unexpected end of file"),
    "empty": ("   ", 1, 4, "no JSON value"),
    "only-comment": ("// x\n", 2, 1, "no JSON value"),
    "single-quotes": ("{'a': 1}", 1, 2, "single-quoted string"),
    "unquoted-key": ("{a: 1}", 1, 2, "unexpected 'a'"),
    "bad-escape": ('{"a": "x\\qy"}', 1, 9, "invalid escape '\\q'"),
    "bad-unicode-escape": ('{"a": "\\u12g4"}', 1, 8, "invalid escape '\\u12g4'"),
    "bad-escape-in-key": ('{"\\x": 1}', 1, 3, "invalid escape"),
    "leading-zero": ("[01]", 1, 2, "unexpected '01'"),
    "nan": ("[NaN]", 1, 2, "unexpected 'NaN'"),
    "infinity": ("[-Infinity]", 1, 2, "unexpected '-Infinity'"),
    "plus-number": ("[+1]", 1, 2, "unexpected '+1'"),
    "huge-int": ("[" + "9" * 5000 + "]", 1, 2, "number too long"),
    "capital-true": ("[True]", 1, 2, "unexpected 'True'"),
    "lone-comma": ("[,]", 1, 2, "expected a value"),
    "double-trailing-comma": ("[1,,]", 1, 4, "expected a value"),
    "key-not-string": ("{1: 2}", 1, 2, "expected a string key"),
    "bom-in-text": ("\ufeff{}", 1, 1, "unexpected '\\ufeff'"),
    # an earlier grammar error is reported before a later token error
    "earlier-error-wins": ('{"a" 1, "b": \'x\'}', 1, 6, "expected ':'"),
}


@pytest.mark.parametrize("case", list(ERRORS.values()), ids=list(ERRORS))
def test_syntax_errors(case: tuple[str, int, int, str]) -> None:
    text, line, col, fragment = case
    code, got_line, got_col, message = _problem(text)
    assert code == "SY001"
    assert fragment in message, message
    assert (got_line, got_col) == (line, col), message
    assert message.startswith("invalid JSON: ")


def test_deep_nesting_is_a_diagnostic() -> None:
    deep = "[" * 5000 + "]" * 5000
    code, line, col, msg = _problem(deep + "// jsonc")
    assert code == "SY001" and "deeper than" in msg and col == MAX_DEPTH + 1
    # C json may accept a depth our reader refuses: positions then fall back, never raise
    ok = "[" * (MAX_DEPTH + 20) + "]" * (MAX_DEPTH + 20)
    try:
        doc = _doc(ok)
    except SyntaxProblem:
        return
    s = doc.span((0,) * (MAX_DEPTH + 10))
    assert s.line == 1
    dobj = '{"a":' * 3000 + "1" + "}" * 3000
    try:
        _doc(dobj)
    except SyntaxProblem as e:
        assert e.diagnostics[0].code == "SY001"


def test_exactly_max_depth_parses() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH + " // c"
    data = _doc(text).data
    for _ in range(MAX_DEPTH - 1):
        data = data[0]
    assert data == []


# -- 5. through the pipeline: BOM, empty files, not-an-object -----------------------------------


def _load(tmp_path, raw: bytes):  # type: ignore[no-untyped-def]
    p = tmp_path / "settings.json"
    p.write_bytes(raw)
    return load(str(p), RunOptions(format="ir"))


def test_pipeline_bom_is_stripped_and_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lo = _load(tmp_path, b'\xef\xbb\xbf{"modelcc": "1"}')
    codes = [d.code for d in lo.diagnostics]
    assert "IO008" in codes and "SY001" not in codes
    assert lo.document is not None and lo.document.data == {"modelcc": "1"}


def test_pipeline_empty_and_comment_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert [d.code for d in _load(tmp_path, b"  \n").diagnostics] == ["IO006"]
    assert [d.code for d in _load(tmp_path, b"// nothing\n/* here */\n").diagnostics] == ["IO006"]


def test_pipeline_syntax_error_has_span(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lo = _load(tmp_path, b'{\r\n  "a": 1,\r\n  "b" 2\r\n}\r\n')
    (d,) = lo.diagnostics
    assert d.code == "SY001" and (d.span.line, d.span.col) == (3, 7)


# --- the point locator agrees with the full locator ------------------------------------------

from hypothesis import given as _given  # noqa: E402
from hypothesis import settings as _settings  # noqa: E402
from hypothesis import strategies as _st  # noqa: E402

from compiler.syntax.json import PointLocator  # noqa: E402

_json_values = _st.recursive(
    _st.none() | _st.booleans() | _st.integers() | _st.floats(allow_nan=False, allow_infinity=False) | _st.text(),
    lambda c: _st.lists(c, max_size=4) | _st.dictionaries(_st.text(max_size=5), c, max_size=4),
    max_leaves=20,
)


@_settings(max_examples=200, deadline=None)
@_given(_json_values, _st.sampled_from([None, 0, 2]))
def test_point_locator_matches_full_locator(value: object, indent: int | None) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    full = locate(text)
    point = PointLocator(text)
    for ptr, loc in full.items():
        assert point(ptr) == loc, ptr
    assert point(("no", "such", 1)) is None


@_settings(max_examples=200, deadline=None)
@_given(_json_values, _st.integers(0, 2**16))
def test_jsonc_fast_path_matches_the_reference_parser(value: object, seed: int) -> None:
    """Comments and trailing commas blanked for the C parser give the same values and spans."""
    import random

    from compiler.syntax.json import parse_located, read

    rnd = random.Random(seed)
    text = json.dumps(value, indent=2, ensure_ascii=False)
    lines = []
    for line in text.split("\n"):
        r = rnd.random()
        if r < 0.2:
            line += '  // note: "q" // x'
        elif r < 0.3:
            line = "/* a * b\n */ " + line
        lines.append(line)
    jsonc = "\n".join(lines)
    jsonc = jsonc.replace("\n}", ",\n}") if rnd.random() < 0.5 and jsonc.count("{") else jsonc
    try:
        ref_value, ref_locs = parse_located(jsonc)
    except Exception:
        return  # the edit made it invalid (e.g. ",}" after "{"): covered by the error tests
    doc = read("x.jsonc", jsonc)
    assert doc.data == ref_value
    for ptr in list(ref_locs)[:50]:
        assert doc.point_locator is not None
        assert doc.point_locator(ptr) == ref_locs[ptr], ptr
