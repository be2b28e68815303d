"""Write the canonical IR document through `targets/ir/graph.modelcc.json.j2`."""

from __future__ import annotations

from typing import Any

from compiler.context import Emitted, WriteContext
from compiler.ir import Graph
from compiler.render import render

IR_VERSION = "1"


def document(graph: Graph) -> dict[str, Any]:
    return {"modelcc": IR_VERSION, **graph.to_dict()}


def write(graph: Graph, ctx: WriteContext) -> Emitted:
    text = render("ir/graph.modelcc.json.j2", document=document(graph))
    return Emitted(files=[("graph.modelcc.json", text)], expected=graph)
