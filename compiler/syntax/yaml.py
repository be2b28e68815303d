"""YAML reader on PyYAML (libyaml's C parser where present).

The document is composed once into nodes (which carry marks) and constructed with
PyYAML's safe constructor, so values equal `yaml.safe_load`'s. The node tree is kept:
positions come from node marks, computed into a pointer map only when asked for.
"""

from __future__ import annotations

from typing import Any

import yaml

from compiler.diagnostics import Related, Span, diag
from compiler.source import Document, LocMap, Pointer, SyntaxProblem

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader that notices mappings whose key count shrank (duplicates or merges)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.suspects: list[yaml.MappingNode] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep)
        if len(mapping) != len(node.value):
            self.suspects.append(node)
        return mapping


def _scalar_key(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    return None


def _walk(node: yaml.Node, ptr: Pointer, locs: LocMap, ks: int, ke: int, seen: set[int]) -> None:
    locs[ptr] = (node.start_mark.index, node.end_mark.index, ks, ke)
    if id(node) in seen:  # aliases may share nodes; do not loop
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for knode, vnode in node.value:
            key = _key_value(knode)
            _walk(vnode, (*ptr, key), locs, knode.start_mark.index, knode.end_mark.index, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*ptr, i), locs, -1, -1, seen)


def _key_value(knode: yaml.Node) -> Any:
    if knode.tag == "tag:yaml.org,2002:str":
        return knode.value
    if isinstance(knode, yaml.ScalarNode):
        loader = yaml.SafeLoader("")
        try:
            return loader.construct_object(knode)
        finally:
            loader.dispose()
    return repr(knode)


def read(path: str, text: str) -> Document:
    """Parse YAML text; raises SyntaxProblem for invalid YAML or several documents."""
    doc = Document(path=path, text=text, syntax="yaml", data=None)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        msg = e.problem or str(e)
        if e.context and "expected a single document" in e.context:
            raise SyntaxProblem([diag("SY005", _mark_span(path, mark),
                                      "the file holds more than one YAML document",
                                      hint="tools read only one document: remove the extra '---' section")]) from None
        if e.context:
            msg = f"{msg} ({e.context})"
        raise SyntaxProblem([diag("SY001", _mark_span(path, mark), f"invalid YAML: {msg}")]) from None
    except yaml.YAMLError as e:
        raise SyntaxProblem([diag("SY001", Span.file(path), f"invalid YAML: {e}")]) from None
    except (ValueError, TypeError, RecursionError) as e:  # e.g. unhashable keys, bad timestamps
        raise SyntaxProblem([diag("SY006", Span.file(path), f"YAML value modelcc cannot read: {e}")]) from None
    finally:
        loader.dispose()
    doc.data = data

    def locator(_text: str) -> LocMap:
        locs: LocMap = {}
        if node is not None:
            _walk(node, (), locs, -1, -1, set())
        return locs

    doc.locator = locator
    for m in loader.suspects:
        _report_duplicates(doc, m)
    return doc


def _report_duplicates(doc: Document, node: yaml.MappingNode) -> None:
    first: dict[Any, yaml.Node] = {}
    for knode, _v in node.value:
        if isinstance(knode, yaml.ScalarNode) and knode.tag == "tag:yaml.org,2002:merge":
            continue
        try:
            key = _key_value(knode)
            hash(key)
        except Exception:  # noqa: BLE001 - unhashable/odd keys are not duplicates we can name
            continue
        if key in first:
            k1 = first[key]
            a = doc.span_of_offsets(k1.start_mark.index, k1.end_mark.index)
            b = doc.span_of_offsets(knode.start_mark.index, knode.end_mark.index)
            if a == b:  # entries copied in by a merge key
                continue
            doc.problems.append(diag(
                "SY002", b, f"duplicate key {key!r}: this value replaces the one at line {a.line}",
                hint="remove one of the two; YAML loaders keep the last one silently",
                related=[Related(a, "first defined here")]))
        else:
            first[key] = knode


def non_string_keys(value: Any, ptr: Pointer = ()) -> Any:
    """(pointer of the mapping, key) for every key that is not a string (`1:`, `null:`, `yes:`)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                yield ptr, k
            yield from non_string_keys(v, (*ptr, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from non_string_keys(v, (*ptr, i))


def _mark_span(path: str, mark: Any) -> Span:
    if mark is None:
        return Span.file(path)
    return Span(path, mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)
