"""The whole flow of a decision tree as a picture: an SVG laid out at build time, and Mermaid text.

No diagram library runs in the browser: the SVG is computed here (layers by longest path from the
start, order within a layer by the mean position of parents), so it works offline, without
JavaScript and in print. The Mermaid export lets GitHub draw the same flow in the comms repo.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ..engine.graph import NodeKey, resolve
from ..engine.loader import Project
from ..engine.models import Playbook, Question
from .html import Markup, el
from .tree import node_title

BOX_WIDTH = 210
CHARS_PER_LINE = 30
LINE_HEIGHT = 16
PADDING = 10
H_GAP = 36
V_GAP = 64
LABEL_CHARS = 22
CHAR_WIDTH = 6.4


@dataclass
class Box:
    key: NodeKey
    kind: str  # question | outcome | external
    lines: list[str]
    layer: int = 0
    x: float = 0
    y: float = 0

    @property
    def height(self) -> float:
        return len(self.lines) * LINE_HEIGHT + 2 * PADDING


def _edges(pb: Playbook) -> list[tuple[NodeKey, str, NodeKey]]:
    """One edge per (question, next node); answers that lead to the same node share it, labels joined."""
    found: dict[tuple[NodeKey, NodeKey], list[str]] = {}
    for node_id, node in pb.tree.nodes.items():
        if isinstance(node, Question):
            for answer in node.answers:
                found.setdefault(((pb.id, node_id), resolve(answer.next, pb.id)), []).append(answer.label)
    return [(source, " / ".join(labels), target) for (source, target), labels in found.items()]


def _boxes(project: Project, pb: Playbook) -> dict[NodeKey, Box]:
    boxes: dict[NodeKey, Box] = {}
    for node_id, node in pb.tree.nodes.items():
        kind = "question" if isinstance(node, Question) else "outcome"
        label = node_title(project, (pb.id, node_id))
        boxes[(pb.id, node_id)] = Box((pb.id, node_id), kind, textwrap.wrap(label, CHARS_PER_LINE) or [""])
    for _, _, target in _edges(pb):
        if target[0] != pb.id and target not in boxes:
            other = project.playbooks[target[0]].title
            lines = textwrap.wrap(f"Continue in “{other}”: {node_title(project, target)}", CHARS_PER_LINE)
            boxes[target] = Box(target, "external", lines)
    return boxes


def layout(
    project: Project, pb: Playbook
) -> tuple[dict[NodeKey, Box], list[tuple[NodeKey, str, NodeKey]], float, float]:
    boxes, edges = _boxes(project, pb), _edges(pb)
    parents: dict[NodeKey, list[NodeKey]] = {key: [] for key in boxes}
    children: dict[NodeKey, list[NodeKey]] = {key: [] for key in boxes}
    for source, _, target in edges:
        parents[target].append(source)
        children[source].append(target)
    # longest path from the start gives each box its layer (the graph is acyclic: validated)
    indegree = {key: len(parents[key]) for key in boxes}
    ready = [key for key in boxes if indegree[key] == 0]
    order: list[NodeKey] = []
    while ready:
        key = ready.pop(0)
        order.append(key)
        for child in children[key]:
            boxes[child].layer = max(boxes[child].layer, boxes[key].layer + 1)
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    layers: dict[int, list[NodeKey]] = {}
    for key in order:
        layers.setdefault(boxes[key].layer, []).append(key)
    position: dict[NodeKey, float] = {}
    for depth in sorted(layers):
        row = layers[depth]
        if depth:
            row.sort(key=lambda k: sum(position[p] for p in parents[k]) / max(len(parents[k]), 1))
        for index, key in enumerate(row):
            position[key] = index
    widest = max((len(row) for row in layers.values()), default=1)
    width = widest * BOX_WIDTH + (widest - 1) * H_GAP + 2 * PADDING
    y = PADDING
    for depth in sorted(layers):
        row = layers[depth]
        row_width = len(row) * BOX_WIDTH + (len(row) - 1) * H_GAP
        left = (width - row_width) / 2
        for index, key in enumerate(row):
            boxes[key].x = left + index * (BOX_WIDTH + H_GAP)
            boxes[key].y = y
        y += max(boxes[key].height for key in row) + V_GAP
    return boxes, edges, width, y - V_GAP + PADDING


def flow_svg(project: Project, playbook_id: str) -> Markup:
    """The flow as inline SVG; text is escaped, colours come from the site's CSS (light, dark, print)."""
    pb = project.playbooks[playbook_id]
    boxes, edges, width, height = layout(project, pb)
    marker = f"icp-arrow-{pb.id}"
    title_id = f"icp-flow-title-{pb.id}"
    parts: list[Markup] = [
        el("title", {"id": title_id}, f"Flow of “{pb.title}”: {len(pb.tree.nodes)} steps"),
        Markup(
            f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
            'class="icp-flow__arrowhead"/></marker></defs>'
        ),
    ]
    labels: list[Markup] = []
    for source, label, target in edges:
        a, b = boxes[source], boxes[target]
        x1, y1 = a.x + BOX_WIDTH / 2, a.y + a.height
        x2, y2 = b.x + BOX_WIDTH / 2, b.y
        bend = max((y2 - y1) / 2, 20)
        parts.append(
            el(
                "path",
                {
                    "class": "icp-flow__edge",
                    "marker-end": f"url(#{marker})",
                    "d": f"M {x1:.1f} {y1:.1f} C {x1:.1f} {y1 + bend:.1f}, {x2:.1f} {y2 - bend:.1f}, {x2:.1f} {y2:.1f}",
                },
            )
        )
        lines = textwrap.wrap(label, LABEL_CHARS) or [""]
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        box_w = max(len(line) for line in lines) * CHAR_WIDTH + 8
        box_h = len(lines) * 13 + 4
        labels.append(
            el(
                "g",
                {"class": "icp-flow__label"},
                el(
                    "rect",
                    {
                        "x": f"{mx - box_w / 2:.1f}",
                        "y": f"{my - box_h / 2:.1f}",
                        "width": f"{box_w:.1f}",
                        "height": f"{box_h:.1f}",
                        "rx": "3",
                    },
                ),
                *[
                    el(
                        "text",
                        {"x": f"{mx:.1f}", "y": f"{my - box_h / 2 + 13 * (i + 1) - 1:.1f}", "text-anchor": "middle"},
                        line,
                    )
                    for i, line in enumerate(lines)
                ],
            )
        )
    for box in boxes.values():
        texts = [
            el(
                "text",
                {
                    "x": f"{box.x + BOX_WIDTH / 2:.1f}",
                    "y": f"{box.y + PADDING + LINE_HEIGHT * (i + 1) - 4:.1f}",
                    "text-anchor": "middle",
                },
                line,
            )
            for i, line in enumerate(box.lines)
        ]
        parts.append(
            el(
                "g",
                {"class": f"icp-flow__node icp-flow__node--{box.kind}"},
                el(
                    "rect",
                    {
                        "x": f"{box.x:.1f}",
                        "y": f"{box.y:.1f}",
                        "width": BOX_WIDTH,
                        "height": f"{box.height:.1f}",
                        "rx": "8" if box.kind == "outcome" else "2",
                    },
                ),
                *texts,
            )
        )
    parts += labels
    svg = el(
        "svg",
        {
            "class": "icp-flow__svg",
            "viewBox": f"0 0 {width:.0f} {height:.0f}",
            "width": f"{width:.0f}",
            "role": "img",
            "aria-labelledby": title_id,
            "xmlns": "http://www.w3.org/2000/svg",
        },
        *parts,
    )
    # the picture may be wider than the column: keyboard users can focus it to scroll sideways
    scroll = {"class": "icp-flow__scroll", "tabindex": "0", "role": "group", "aria-label": f"Flow of “{pb.title}”"}
    return el("figure", {"class": "icp-flow"}, el("div", scroll, svg))


def _mermaid_text(value: str) -> str:
    cleaned = " ".join(value.split())
    for raw, entity in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;")):
        cleaned = cleaned.replace(raw, entity)
    return f'"{cleaned}"'


def _mermaid_id(key: NodeKey, playbook_id: str) -> str:
    prefix = "" if key[0] == playbook_id else f"ext_{key[0]}__"
    return (prefix + key[1]).replace("-", "_")


def flow_mermaid(project: Project, playbook_id: str) -> str:
    """The flow as Mermaid ``flowchart`` text: questions as diamonds, outcomes as rounded boxes."""
    pb = project.playbooks[playbook_id]
    lines = ["---", f"title: {_mermaid_text(pb.title)}", "---", "flowchart TD"]
    for node_id, node in pb.tree.nodes.items():
        ident = _mermaid_id((pb.id, node_id), pb.id)
        if isinstance(node, Question):
            lines.append(f"    {ident}{{{_mermaid_text(node.question)}}}")
        else:
            lines.append(f"    {ident}({_mermaid_text(node.title)})")
    external: set[NodeKey] = set()
    for source, label, target in _edges(pb):
        if target[0] != pb.id and target not in external:
            external.add(target)
            title = project.playbooks[target[0]].title
            lines.append(f"    {_mermaid_id(target, pb.id)}[[{_mermaid_text('Continue in ' + title)}]]")
        lines.append(f"    {_mermaid_id(source, pb.id)} -->|{_mermaid_text(label)}| {_mermaid_id(target, pb.id)}")
    return "\n".join(lines) + "\n"
