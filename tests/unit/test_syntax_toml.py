"""The position-aware TOML reader (compiler.syntax.toml_locate).

Its values must equal tomllib's on every text tomllib accepts, and every pointer in the
data must have a located span whose slice of the text is that value (or key).
"""

from __future__ import annotations

import math
import re
import string
import time as _time
import tomllib
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.source import Document
from compiler.syntax import toml as toml_reader
from compiler.syntax.toml_locate import TOMLLocateError, locate, parse_located
from tests.conftest import pointers, value_at

CONFORMANCE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance"


# -- helpers ----------------------------------------------------------------------------------


def _doc(text: str) -> Document:
    return Document(path="x", text=text, syntax="toml", data=None, locator=locate)



def _same(a: Any, b: Any, *, ordered: bool = True) -> bool:
    """Equality that also compares types (1 != 1.0 != True), tz offsets and key order
    (unless ordered=False), and treats nan as equal to nan."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict):
        if (list(a) if ordered else set(a)) != (list(b) if ordered else set(b)):
            return False
        return all(_same(a[k], b[k], ordered=ordered) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y, ordered=ordered) for x, y in zip(a, b))
    if isinstance(a, datetime):
        return a == b and a.utcoffset() == b.utcoffset()
    return a == b


def _check_spans(text: str, data: dict, locs: dict) -> None:
    """Every pointer located; every scalar's slice parses back to it; every key's slice names it."""
    assert locs[()] == (0, len(text), -1, -1)
    for ptr in pointers(data):
        assert ptr in locs, f"no location for {ptr}"
        vs, ve, ks, ke = locs[ptr]
        assert 0 <= vs <= ve <= len(text)
        value = value_at(data, ptr)
        inline = ks == -1 or ke <= vs  # written as a value (not a [table] or dotted-key table)
        if inline:
            # scalars, inline arrays and inline tables: the slice is the value itself
            back = tomllib.loads("x = " + text[vs:ve])["x"]
            assert _same(back, value), (ptr, text[vs:ve])
        elif ks == vs:  # a table made by a dotted key: from its segment to its last value
            assert isinstance(value, dict), ptr
        else:  # a [table] / [[array of tables]] header
            assert text[vs] == "[" and vs < ks < ke <= ve, (ptr, text[vs:ve])
        if isinstance(ptr[-1], str):
            assert 0 <= ks < ke <= len(text), ptr
            assert tomllib.loads(text[ks:ke] + " = 1") == {ptr[-1]: 1}, (ptr, text[ks:ke])
        else:  # array items have no key, except [[array of tables]] elements (their header's)
            assert (ks, ke) == (-1, -1) or text[vs:vs + 2] == "[[", (ptr, text[vs:ve])


def _check(text: str) -> tuple[dict, dict]:
    expected = tomllib.loads(text)
    data, locs = parse_located(text)
    assert _same(data, expected)
    _check_spans(text, data, locs)
    assert locate(text) == locs
    return data, locs


# -- 1. hand-written cases ------------------------------------------------------------------------

CASES = {
    "empty": "",
    "only-comments": "# a\n\n   # b\t\n",
    "bare-keys": "key = 1\nbare_key = 2\nbare-key = 3\n1234 = 4\n-_- = 5\n",
    "quoted-keys": '"127.0.0.1" = 1\n"character encoding" = 2\n"ʎǝʞ" = 3\n\'key2\' = 4\n'
                   '\'quoted "value"\' = 5\n"" = 6\n"a\\tb\\u00e9" = 7\n',
    "dotted-keys": 'name = "Orange"\nphysical.color = "orange"\nphysical.shape = "round"\n'
                   'site."google.com" = true\n fruit . flavor  =  "sweet"\n',
    "dotted-then-subtable": "fruit.apple.color = 1\nfruit.apple.taste.sweet = true\n"
                            "[fruit.apple.texture]\nsmooth = true\n",
    "basic-strings": 'a = "I\'m a string. \\"You can quote me\\". Name\\tJos\\u00E9\\nLocation\\tSF."\n'
                     'b = "\\b\\t\\n\\f\\r\\"\\\\"\nc = "\\U0001F600 \\u00e9"\nd = ""\ne = "tab\there"\n',
    "ml-basic": 'a = """\nRoses are red\nViolets are blue"""\n'
                'b = """\\\n       The quick brown \\\n\n\n       fox jumps over \\\n'
                '         the lazy dog.\\\n       """\n'
                'c = """Here are two quotation marks: "". Simple enough."""\n'
                'd = """Here are three quotation marks: ""\\"."""\n'
                'e = """"This," she said, "is just a pointless statement.""""\n'
                'f = """x\\   \n  y"""\ng = """"""\nh = """a"""""\n',
    "literal-strings": "winpath = 'C:\\Users\\nodejs\\templates'\nquoted = 'Tom \"Dubs\" Preston-Werner'\n"
                       "regex = '<\\i\\c*\\s*>'\nempty = ''\n",
    "ml-literal": "regex2 = '''I [dw]on't need \\d{2} apples'''\n"
                  "lines = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n"
                  "   is preserved.\n'''\n"
                  "q = '''Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"'''\n"
                  "apos = ''''That,' she said, 'is still pointless.''''\n",
    "integers": "a = +99\nb = 42\nc = 0\nd = -17\ne = 1_000\nf = 5_349_221\ng = 1_2_3_4_5\n"
                "h = 0xDEADBEEF\ni = 0xdead_beef\nj = 0o01234567\nk = 0o755\nl = 0b11010110\n"
                "m = -0\nn = +0\no = 9223372036854775807\np = -9223372036854775808\n",
    "floats": "a = +1.0\nb = 3.1415\nc = -0.01\nd = 5e+22\ne = 1e06\nf = -2E-2\ng = 6.626e-34\n"
              "h = 224_617.445_991_228\ni = -0.0\nj = +0.0\nk = inf\nl = +inf\nm = -inf\n"
              "n = nan\no = +nan\np = -nan\nq = 1e1_0\n",
    "booleans": "t = true\nf = false\n",
    "datetimes": "odt1 = 1979-05-27T07:32:00Z\nodt2 = 1979-05-27T00:32:00-07:00\n"
                 "odt3 = 1979-05-27T00:32:00.999999-07:00\nodt4 = 1979-05-27 07:32:00Z\n"
                 "odt5 = 1979-05-27t07:32:00z\nodt6 = 1979-05-27T07:32:00.1234567+05:30\n"
                 "ldt1 = 1979-05-27T07:32:00\nldt2 = 1979-05-27T00:32:00.5\nld1 = 1979-05-27\n"
                 "lt1 = 07:32:00\nlt2 = 00:32:00.999999\nlt3 = 23:59:59.12\n",
    "arrays": 'integers = [ 1, 2, 3 ]\ncolors = [ "red", "yellow", "green" ]\n'
              "nested_arrays_of_ints = [ [ 1, 2 ], [3, 4, 5] ]\n"
              'nested_mixed_array = [ [ 1, 2 ], ["a", "b", "c"] ]\n'
              "string_array = [ \"all\", 'strings', \"\"\"are the same\"\"\", '''type''' ]\n"
              "numbers = [ 0.1, 0.2, 0.5, 1, 2, 5 ]\n"
              'contributors = [\n  "Foo Bar <foo@example.com>",\n'
              '  { name = "Baz Qux", email = "bazqux@example.com", url = "https://example.com/bazqux" }\n]\n'
              "integers2 = [\n  1, 2, 3\n]\nintegers3 = [\n  1,\n  2, # this is ok\n]\n"
              "empty = [ ]\nempty2 = [\n # c\n]\ndeep = [[[[]]]]\n"
              "commented = [ # start\n  1 , # one\n  # alone\n  2 # two\n  , 3 ,\n]\n",
    "tables": '[table-1]\nkey1 = "some string"\nkey2 = 123\n\n[table-2]\nkey1 = "another string"\n'
              'key2 = 456\n\n[dog."tater.man"]\ntype.name = "pug"\n\n[a.b.c]\n[ d.e.f ]\n[ g .  h  . i ]\n'
              "[ j . \"ʞ\" . 'l' ]\n[x.y.z.w]\n[x]\n",
    "implicit-then-explicit": "[fruit.apple]\ncolor = 1\n[fruit]\norange = 2\n",
    "inline-tables": 'name = { first = "Tom", last = "Preston-Werner" }\npoint = { x = 1, y = 2 }\n'
                     'animal = { type.name = "pug" }\nempty = {}\nsp = {  }\n'
                     "nested = { a = { b = { c = [1, {d = 2}] } }, e.f.g = 3, e.h = 4 }\n",
    "array-of-tables": '[[products]]\nname = "Hammer"\nsku = 738594937\n\n[[products]]  # empty\n\n'
                       '[[products]]\nname = "Nail"\nsku = 284758393\ncolor = "gray"\n',
    "nested-array-of-tables": '[[fruits]]\nname = "apple"\n\n[fruits.physical]\ncolor = "red"\n'
                              'shape = "round"\n\n[[fruits.varieties]]\nname = "red delicious"\n\n'
                              '[[fruits.varieties]]\nname = "granny smith"\n\n\n'
                              '[[fruits]]\nname = "banana"\n\n'
                              '[[fruits.varieties]]\nname = "plantain"\n',
    "array-of-tables-then-subtable": "[[a]]\n[a.b]\nc = 1\n[[a]]\n[a.b]\nc = 2\n[a.b.d]\n",
    "points-inline-aot": "points = [ { x = 1, y = 2, z = 3 },\n           { x = 7, y = 8, z = 9 },\n"
                         "           { x = 2, y = 4, z = 8 } ]\n",
    "whitespace-and-comments": "  a   =   1   # comment\n\t\tb=2#c\n[ t ] # header comment\n  c = 3\n"
                               "[[ u ]]\t# c\n",
    "unicode": '"ключ" = "значение"\n"🙂" = "😀 \\U0001F642"\nk = "日本語"\n',
    "crlf": 'a = 1\r\nb = """x\r\ny"""\r\n[t]\r\nc = [\r\n  1,\r\n  2,\r\n]\r\n# c\r\n',
    "no-trailing-newline": "a = 1",
    "codex-like": '# Codex config\nmodel = "gpt-5"\nmodel_provider = "azure"\n\n'
                  '[model_providers.azure]\nname = "Azure"\n'
                  'base_url = "https://res.openai.azure.com/openai"\n'
                  'env_key = "AZURE_OPENAI_API_KEY"\nquery_params = { api-version = "2025-04-01-preview" }\n'
                  'wire_api = "responses"\n\n[model_providers."my.local"]\nname = "Local"\n'
                  'base_url = "http://localhost:11434/v1"\nhttp_headers = { "X-Title" = "x" }\n'
                  "\n[profiles.fast]\nmodel = 'o4-mini'\n",
}


@pytest.mark.parametrize("text", list(CASES.values()), ids=list(CASES))
def test_values_and_spans(text: str) -> None:
    _check(text)


def _span(text: str, ptr: tuple, *, key: bool = False) -> tuple[int, int, int, int]:
    s = _doc(text).span(ptr, key=key)
    return s.line, s.col, s.end_line, s.end_col


def _slice(text: str, ptr: tuple, *, key: bool = False) -> str:
    vs, ve, ks, ke = locate(text)[ptr]
    return text[ks:ke] if key else text[vs:ve]


def test_spans_keys_and_values() -> None:
    t = CASES["codex-like"]
    assert _span(t, ("model",)) == (2, 9, 2, 16)
    assert _span(t, ("model",), key=True) == (2, 1, 2, 6)
    assert _span(t, ("model_providers", "azure", "base_url")) == (7, 12, 7, 49)
    assert _span(t, ("model_providers", "azure", "base_url"), key=True) == (7, 1, 7, 9)
    assert _span(t, ("model_providers", "azure", "query_params", "api-version")) == (9, 32, 9, 52)
    assert _span(t, ("model_providers", "azure", "query_params", "api-version"), key=True) == (9, 18, 9, 29)
    # the table: its header through its last value; key = last header segment
    assert _span(t, ("model_providers", "azure")) == (5, 1, 10, 23)
    assert _span(t, ("model_providers", "azure"), key=True) == (5, 18, 5, 23)
    # a quoted segment is one key, quotes included in its span
    assert _slice(t, ("model_providers", "my.local"), key=True) == '"my.local"'
    assert _slice(t, ("model_providers", "my.local", "http_headers", "X-Title"), key=True) == '"X-Title"'
    # an implicit table named by a header segment: the segment
    assert _span(t, ("model_providers",)) == (5, 2, 5, 17)
    assert _span(t, ("model_providers",), key=True) == (5, 2, 5, 17)
    assert _span(t, ("profiles",)) == (17, 2, 17, 10)
    assert _slice(t, ("profiles", "fast")) == "[profiles.fast]\nmodel = 'o4-mini'"
    # a missing pointer resolves to its nearest ancestor's key
    assert _span(t, ("model_providers", "azure", "nope")) == (5, 18, 5, 23)
    # root: whole text, no key
    assert _doc(t).locmap()[()] == (0, len(t), -1, -1)


def test_spans_dotted_keys() -> None:
    t = 'a.b . "c.d" = 1\na.x = [\n  2,\n]\n[t]\nu.v = {w = 3}\n'
    lm = locate(t)
    assert _slice(t, ("a", "b", "c.d"), key=True) == '"c.d"'
    assert _slice(t, ("a", "b", "c.d")) == "1"
    assert _slice(t, ("a",), key=True) == "a"
    assert _slice(t, ("a", "b"), key=True) == "b"
    # a dotted-key table runs from its segment to the end of the last value written through it
    assert _slice(t, ("a", "b")) == 'b . "c.d" = 1'
    assert _slice(t, ("a",)) == 'a.b . "c.d" = 1\na.x = [\n  2,\n]'
    assert _span(t, ("a", "x")) == (2, 7, 4, 2)
    assert _slice(t, ("t", "u")) == "u.v = {w = 3}"
    assert _slice(t, ("t", "u", "v", "w")) == "3"
    assert lm[("a", "x", 0)][2:] == (-1, -1)


def test_spans_tables_and_arrays_of_tables() -> None:
    t = CASES["nested-array-of-tables"]
    assert _slice(t, ("fruits",)) == "[[fruits]]"
    assert _slice(t, ("fruits",), key=True) == "fruits"
    assert _slice(t, ("fruits", 0)) == '[[fruits]]\nname = "apple"'
    assert _slice(t, ("fruits", 1)) == '[[fruits]]\nname = "banana"'
    assert _span(t, ("fruits", 1), key=True) == (15, 3, 15, 9)
    assert _slice(t, ("fruits", 0, "physical")) == '[fruits.physical]\ncolor = "red"\nshape = "round"'
    assert _slice(t, ("fruits", 0, "physical"), key=True) == "physical"
    assert _slice(t, ("fruits", 0, "varieties")) == "[[fruits.varieties]]"
    assert _slice(t, ("fruits", 0, "varieties", 1)) == '[[fruits.varieties]]\nname = "granny smith"'
    assert _slice(t, ("fruits", 1, "varieties", 0, "name")) == '"plantain"'
    assert _span(t, ("fruits", 1, "varieties", 0, "name")) == (19, 8, 19, 18)
    # an empty array-of-tables element: just its header
    t2 = CASES["array-of-tables"]
    assert _slice(t2, ("products", 1)) == "[[products]]"
    # whitespace inside headers
    t3 = CASES["tables"]
    assert _slice(t3, ("g", "h", "i")) == "[ g .  h  . i ]"
    assert _slice(t3, ("g", "h", "i"), key=True) == "i"
    assert _slice(t3, ("g", "h"), key=True) == "h"
    assert _slice(t3, ("j", "ʞ", "l"), key=True) == "'l'"
    assert _slice(t3, ("dog", "tater.man", "type", "name")) == '"pug"'
    # declared after its subtable: the explicit header wins over the implicit segment
    assert _slice(t3, ("x",)) == "[x]"
    t4 = CASES["implicit-then-explicit"]
    assert _slice(t4, ("fruit",)) == "[fruit]\norange = 2"
    t5 = CASES["array-of-tables-then-subtable"]
    assert _slice(t5, ("a", 1, "b")) == "[a.b]\nc = 2"
    assert _slice(t5, ("a", 1, "b", "d")) == "[a.b.d]"


def test_spans_strings_and_arrays() -> None:
    t = CASES["ml-basic"]
    assert _slice(t, ("b",)).startswith('"""\\\n') and _slice(t, ("b",)).endswith('"""')
    assert _slice(t, ("e",)) == '""""This," she said, "is just a pointless statement.""""'
    assert _slice(t, ("h",)) == '"""a"""""'
    t = CASES["arrays"]
    assert _slice(t, ("contributors", 1, "url")) == '"https://example.com/bazqux"'
    assert _span(t, ("contributors",)) == (7, 16, 10, 2)
    assert _span(t, ("contributors", 1)) == (9, 3, 9, 89)
    assert _slice(t, ("commented", 2)) == "3"
    assert _slice(t, ("deep", 0, 0, 0)) == "[]"
    t = CASES["inline-tables"]
    assert _slice(t, ("nested", "a", "b", "c", 1, "d"), key=True) == "d"
    assert _slice(t, ("nested", "e")) == "e.f.g = 3, e.h = 4"
    assert _slice(t, ("empty",)) == "{}"


def test_crlf_offsets_are_in_the_original_text() -> None:
    t = CASES["crlf"]
    assert _slice(t, ("b",)) == '"""x\r\ny"""'
    assert _slice(t, ("t", "c", 1)) == "2"
    assert _span(t, ("t", "c", 1)) == (7, 3, 7, 4)
    assert _slice(t, ("t",)) == "[t]\r\nc = [\r\n  1,\r\n  2,\r\n]"
    assert parse_located(t)[0]["b"] == "x\ny"


def test_value_types_match_tomllib() -> None:
    data, _ = _check(CASES["datetimes"])
    assert data["odt1"].tzinfo is timezone.utc
    assert data["odt2"].utcoffset() == timedelta(hours=-7)
    ist = timezone(timedelta(hours=5, minutes=30))
    assert data["odt6"] == datetime(1979, 5, 27, 7, 32, 0, 123456, tzinfo=ist)  # digits past 6 dropped
    assert data["ldt1"].tzinfo is None
    assert type(data["ld1"]) is date and type(data["lt1"]) is time
    data, _ = _check(CASES["integers"])
    assert data["h"] == 0xDEADBEEF and data["j"] == 0o1234567 and data["l"] == 0b11010110
    data, _ = _check(CASES["floats"])
    assert math.isnan(data["n"]) and data["m"] == -math.inf and type(data["q"]) is float


INVALID = [
    "a = 1\na = 2",
    "[a]\n[a]",
    "a = {b = 1}\na.c = 2",
    "a.b = 1\n[a]",
    "[a]\nb = 1\n[a.b]",
    "a = [1]\n[[a]]",
    "a = \"unterminated",
    "a = 'x\ny'",
    'a = "\\x41"',
    'a = "\\uD800"',
    'a = """\\ x"""',
    "a = 1979-02-30",
    "a = 01",
    "a = 1__0",
    "a = 0x",
    "a = 1.",
    "a = .5",
    "a = [1, 2",
    "a = [1,,2]",
    "a = {b = 1,}",
    "a = {b = 1\n}",
    "a = {b = 1, b = 2}",
    "a = { b = {c = 1}, b.d = 2 }",
    "a = 1 b = 2",
    "= 1",
    "a =",
    "[a",
    "[[a]",
    "[]",
    "a = 1\r",
    "a = tru",
    "# bad \x01 comment",
    "a = 'x\x7f'",
    "\ufeffa = 1",
    "a = 07:32",
    "a = 1979-05-27T07:32:00+7:00",
]


@pytest.mark.parametrize("text", INVALID)
def test_invalid_text_raises_with_offset(text: str) -> None:
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)
    with pytest.raises(ValueError) as info:
        parse_located(text)
    err = info.value
    assert isinstance(err, TOMLLocateError)
    assert isinstance(err.offset, int) and 0 <= err.offset <= len(text)
    assert re.search(r"\(at line \d+, column \d+\)$", str(err))
    # locate() on an invalid text does not raise: it returns what it found before the error
    assert () in locate(text)


def test_error_offsets() -> None:
    def offset(text: str) -> int:
        with pytest.raises(TOMLLocateError) as info:
            parse_located(text)
        return info.value.offset

    assert offset("a = 1\nb = [1, 2") == 6 + 4
    assert offset('a = "x\\qy"') == 6
    assert offset("a = 1\r\nb = ?") == 11
    assert offset("a = 1\nb = 'x\x01'") == 12
    assert offset("x = 1\n[t]\nk = 1\nk = 2") == 16


def test_reader_document_span() -> None:
    text = '[model_providers.x]\nname = "X"\n  base_url   =   "http://h/v1"  # c\n'
    d = toml_reader.read("c.toml", text)
    s = d.span(("model_providers", "x", "base_url"))
    assert (s.path, s.line, s.col, s.end_line, s.end_col) == ("c.toml", 3, 18, 3, 31)
    s = d.span(("model_providers", "x", "base_url"), key=True)
    assert (s.line, s.col, s.end_line, s.end_col) == (3, 3, 3, 11)
    s = d.span(("model_providers", "x", "env_key"))  # missing: the table's key
    assert (s.line, s.col, s.end_line, s.end_col) == (1, 18, 1, 19)


def test_large_document_is_fast() -> None:
    parts = [
        f'[model_providers.p{i}]\nname = "P{i}"\nbase_url = "https://h{i}/v1"\n'
        f"query_params = {{ v = \"1\" }}\nretries = [1, 2]\n\n"
        for i in range(20000)
    ]
    text = "".join(parts)
    t0 = _time.perf_counter()
    locs = locate(text)
    elapsed = _time.perf_counter() - t0
    vs, ve, _, _ = locs[("model_providers", "p19999", "base_url")]
    assert text[vs:ve] == '"https://h19999/v1"'
    assert elapsed < 10, elapsed  # ~1.5 s on a developer machine; generous for slow CI


# -- 2. conformance cases -------------------------------------------------------------------------


def _conformance_files() -> list[Path]:
    cases = CONFORMANCE / "codex" / "cases"
    if not cases.is_dir():
        return []
    return sorted(p for p in cases.rglob("*.toml") if p.is_file())


_CONF_FILES = _conformance_files()


@pytest.mark.skipif(not CONFORMANCE.exists(), reason=f"shared conformance suite not found at {CONFORMANCE}")
@pytest.mark.parametrize(
    "path", _CONF_FILES or [None], ids=[str(p.relative_to(CONFORMANCE)) for p in _CONF_FILES] or ["none"]
)
def test_conformance_cases(path: Path | None) -> None:
    if path is None:
        pytest.skip(f"no *.toml files under {CONFORMANCE / 'codex' / 'cases'}")
    text = path.read_bytes().decode("utf-8")
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        with pytest.raises(ValueError):
            parse_located(text)
        return
    data, locs = parse_located(text)
    assert _same(data, expected)
    _check_spans(text, data, locs)


# -- 3. property test -----------------------------------------------------------------------------

_BARE = re.compile(r"[A-Za-z0-9_-]+\Z")
_KEY_CHARS = string.ascii_letters + string.digits + "-_ .\"'\\#=[]{}\té😀\x01ʞ"

keys = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=8),
    st.text(alphabet=_KEY_CHARS, max_size=8),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=6),
)
strings = st.one_of(
    st.text(alphabet=string.ascii_letters + " ", max_size=10),
    st.text(alphabet="ab \"'\\\n\t\r\x00\x7f\x1féß😀#=[]{},.", max_size=15),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=10),
)
_TZS = [timezone.utc, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=30))]
scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    strings,
    st.dates(),
    st.times(),
    st.datetimes(),
    st.datetimes(timezones=st.sampled_from(_TZS)),
)


def _dict_of(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.dictionaries(keys, children, max_size=4)


values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        _dict_of(inner),
        st.lists(_dict_of(inner), min_size=1, max_size=3),
    ),
    max_leaves=12,
)
documents = _dict_of(values)


class _Writer:
    """Serialises a Python value as TOML, choosing styles at random."""

    def __init__(self, rnd: Any):
        self.rnd = rnd
        self.lines: list[str] = []

    def chance(self, p: float = 0.5) -> bool:
        return self.rnd.random() < p

    def sp(self) -> str:
        return self.rnd.choice(["", " ", " ", "  ", "\t"])

    def comment(self) -> str:
        return self.rnd.choice(["", "", "", "  # c", " #"])

    # -- scalars
    def key(self, k: str) -> str:
        if _BARE.match(k) and self.chance(0.8):
            return k
        if "'" not in k and not any(ord(c) < 32 or ord(c) == 127 for c in k) and self.chance(0.3):
            return f"'{k}'"
        return self.basic(k)

    def basic(self, s: str) -> str:
        out = []
        for c in s:
            if c == '"':
                out.append('\\"')
            elif c == "\\":
                out.append("\\\\")
            elif c in "\b\t\n\f\r":
                out.append({"\b": "\\b", "\t": self.rnd.choice(["\\t", "\t"]), "\n": "\\n",
                            "\f": "\\f", "\r": "\\r"}[c])
            elif ord(c) < 32 or ord(c) == 127:
                out.append(f"\\u{ord(c):04x}")
            elif ord(c) > 127 and self.chance(0.3):
                if self.chance() or ord(c) >= 0x10000:
                    out.append(f"\\U{ord(c):08X}")
                else:
                    out.append(f"\\u{ord(c):04X}")
            else:
                out.append(c)
        return '"' + "".join(out) + '"'

    def string(self, s: str) -> str:
        ctrl = any((ord(c) < 32 and c not in "\t\n") or ord(c) == 127 for c in s)
        style = self.rnd.randrange(4)
        if style == 1 and "'" not in s and "\n" not in s and not ctrl:
            return f"'{s}'"
        if style == 2:  # multi-line basic: raw newlines, escapes for the rest
            body = "\n".join(self.basic(line)[1:-1] for line in s.split("\n"))
            lead = "\n" if body.startswith("\n") or self.chance() else ""
            return '"""' + lead + body + '"""'
        if style == 3 and "'''" not in s and not ctrl and not s.endswith("'"):
            lead = "\n" if s.startswith("\n") or self.chance() else ""
            return "'''" + lead + s + "'''"
        return self.basic(s)

    def scalar(self, v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            r = self.rnd.randrange(5)
            if v >= 0 and r == 1:
                return hex(v)
            if v >= 0 and r == 2:
                return oct(v)
            if v >= 0 and r == 3:
                return bin(v)
            s = str(v)
            if r == 4 and len(s.lstrip("-")) > 1:
                digits = s.lstrip("-")
                s = s[: len(s) - len(digits)] + "_".join(digits)
            return s if v < 0 or not self.chance(0.1) else "+" + s
        if isinstance(v, float):
            return repr(v)
        if isinstance(v, str):
            return self.string(v)
        if isinstance(v, datetime):
            s = v.isoformat()
            if v.tzinfo is timezone.utc and self.chance():
                s = s[: -len("+00:00")] + "Z"
            return s.replace("T", " ") if self.chance(0.2) else s
        if isinstance(v, (date, time)):
            if isinstance(v, time) and v.microsecond == 0:
                return v.isoformat(timespec="seconds")
            return v.isoformat()
        raise TypeError(v)

    # -- inline values
    def inline(self, v: Any) -> str:
        if isinstance(v, dict):
            if not v:
                return "{" + self.sp() + "}"
            items = [f"{self.key(k)}{self.sp()}={self.sp()}{self.inline(x)}" for k, x in v.items()]
            return "{" + self.sp() + ("," + self.sp()).join(items) + self.sp() + "}"
        if isinstance(v, list):
            if v and self.chance(0.3):  # multi-line with comments and a trailing comma
                items = [f"\n  {self.inline(x)},{self.comment()}" for x in v]
                return "[" + self.comment() + "".join(items) + "\n]"
            return "[" + self.sp() + ("," + self.sp()).join(self.inline(x) for x in v) + self.sp() + "]"
        return self.scalar(v)

    def kv(self, path: list[str], v: Any) -> None:
        dots = f"{self.sp()}.{self.sp()}" if self.chance(0.2) else "."
        key = dots.join(self.key(k) for k in path)
        self.lines.append(f"{self.sp()}{key}{self.sp()}={self.sp()}{self.inline(v)}{self.comment()}")

    def dotted(self, path: list[str], v: dict) -> None:
        """A nested table written as dotted keys (empty ones as `k = {}`)."""
        if not v:
            self.kv(path, v)
            return
        for k, x in v.items():
            if isinstance(x, dict) and self.chance(0.7):
                self.dotted([*path, k], x)
            else:
                self.kv([*path, k], x)

    # -- tables
    def table_body(self, header: list[str], d: dict) -> None:
        later: list[tuple[str, Any]] = []
        for k, v in d.items():
            is_aot = isinstance(v, list) and v and all(isinstance(x, dict) for x in v)
            if isinstance(v, dict) and self.chance(0.5):
                later.append((k, v))
            elif isinstance(v, dict) and self.chance(0.5):
                self.dotted([k], v)
            elif is_aot and self.chance(0.6):
                later.append((k, v))
            else:
                self.kv([k], v)
        for k, v in later:
            path = [*header, k]
            name = ".".join(self.key(p) for p in path)
            if isinstance(v, dict):
                self.lines.append(f"[{self.sp()}{name}{self.sp()}]{self.comment()}")
                self.table_body(path, v)
            else:
                for item in v:
                    self.lines.append(f"[[{self.sp()}{name}{self.sp()}]]{self.comment()}")
                    self.table_body(path, item)
            if self.chance(0.3):
                self.lines.append(self.rnd.choice(["", "# between tables"]))

    def document(self, d: dict) -> str:
        self.table_body([], d)
        return "\n".join(self.lines) + ("\n" if self.chance(0.8) else "")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents, rnd=st.randoms(use_true_random=False))
def test_property_random_documents(doc: dict, rnd: Any) -> None:
    text = _Writer(rnd).document(doc)
    expected = tomllib.loads(text)
    assert _same(expected, doc, ordered=False), text  # the writer wrote what was generated
    data, locs = parse_located(text)
    assert _same(data, expected), text
    _check_spans(text, data, locs)
    if rnd.random() < 0.2:
        crlf = text.replace("\n", "\r\n")
        data2, locs2 = parse_located(crlf)
        assert _same(data2, tomllib.loads(crlf))
        _check_spans(crlf, data2, locs2)
