"""The whole flow of a decision tree as a picture: SVG laid out at build time, and Mermaid text.

No diagram library runs in the browser: the pictures are computed here, so they work offline, without
JavaScript and in print. Each flow is drawn twice and the stylesheet shows one:

- **wide** (screens from 45em): layered top to bottom, every answer a label in its own row between the
  question and the step it leads to, so labels never sit on boxes or on each other; drawn at its natural
  size (1 unit = 1 CSS pixel, never shrunk) in a region that scrolls sideways, with a hint that says so,
  when it is wider than the column. A flow wider than ``WIDE_MAX`` gets only the second drawing;
- **tall** (phones and print): an outline, one box under another, each answer above the box it leads to,
  indented under its question; it fits a phone's column and a printed page.

The build has no font metrics, so text is measured with a conservative width per character (the wider of
DejaVu Sans and Liberation Sans/Arial for each class of character) and wrapped to fit; boxes are sized to
their wrapped text. The Mermaid export lets GitHub draw the same flow in the comms repo.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from ..engine.graph import NodeKey, resolve
from ..engine.loader import Project
from ..engine.models import Playbook, Question
from .html import Markup, el
from .tree import node_title

FONT = 14  # px, text in boxes (the stylesheet sets the same sizes)
LABEL_FONT = 13  # px, answers on the arrows
LINE = 18  # px between baselines in a box
LABEL_LINE = 17
ASCENT = 0.95  # of the font size: baseline below the top of a line (DejaVu Sans ascends 0.93 em)
PAD_X, PAD_Y = 10, 8  # inside a box
LABEL_PAD_X, LABEL_PAD_Y = 4, 2
BOX_TEXT = 176  # px: the widest line in a box of the wide picture
LABEL_TEXT = 150  # px: the widest line of an answer in the wide picture
MIN_BOX = 120
GAP_X = 20  # between neighbours in a row of the wide picture
ROW_GAP = 26  # between rows of the wide picture: the arrows bend here, and nowhere else
MARGIN = 4  # around each picture (strokes are 2 px)
TALL_WIDTH = 340  # px: the outline fits a 390 px phone's column
INDENT = 24  # px: a step is indented this much under its question in the outline
TRUNK = 12  # px: the outline's arrows run down this far right of the question's left edge
SWEEPS = 8  # rounds of ordering rows to untangle arrows
PICTURE_MAX_NODES = 150  # a bigger flow is no picture one can read: the page says so and offers the list of steps
WIDE_MAX = 1400  # px: a wider picture is drawn only as the outline (at 1366 px the column is 688 px wide)


# ------------------------------------------------------------------------------------------ text


@lru_cache(maxsize=4096)
def _char_em(ch: str) -> float:
    if ch in "iljI.,:;'|":
        return 0.36
    if ch == " ":
        return 0.34
    if ch in "frt()[]{}-/!*":
        return 0.46
    if ch in "mwMW@%—…":
        return 1.02
    if ch.isascii():
        return 0.82 if ch.isupper() else 0.66
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.1
    if unicodedata.combining(ch):
        return 0.0
    return 0.86


@lru_cache(maxsize=1 << 16)
def text_width(value: str, size: float) -> float:
    """A width that the text's rendering does not exceed in the site's sans-serif fonts."""
    return sum(_char_em(ch) for ch in value) * size


def _greedy(words: list[str], max_px: float, size: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in words:
        while text_width(word, size) > max_px and len(word) > 1:  # a word wider than a line is cut
            cut = 1
            while cut < len(word) and text_width(word[: cut + 1], size) <= max_px:
                cut += 1
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if not line or text_width(candidate, size) <= max_px:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines or [""]


def wrap(value: str, max_px: float, size: float, *, balance: bool = False) -> list[str]:
    """``value`` in lines no wider than ``max_px``; balanced: as few lines, but as narrow as they can be."""
    words = value.split()
    lines = _greedy(words, max_px, size)
    if balance and len(lines) > 1:
        low, high = max(text_width(w, size) for w in words), max_px
        while high - low > 2:
            middle = (low + high) / 2
            if len(_greedy(words, middle, size)) <= len(lines):
                high = middle
            else:
                low = middle
        lines = _greedy(words, high, size)
    return lines


def _widest(lines: list[str], size: float) -> float:
    return max(text_width(line, size) for line in lines)


# ------------------------------------------------------------------------------------------ the graph


def _edges(pb: Playbook) -> list[tuple[NodeKey, str, NodeKey]]:
    """One edge per (question, next node); answers that lead to the same node share it, labels joined."""
    found: dict[tuple[NodeKey, NodeKey], list[str]] = {}
    for node_id, node in pb.tree.nodes.items():
        if isinstance(node, Question):
            for answer in node.answers:
                found.setdefault(((pb.id, node_id), resolve(answer.next, pb.id)), []).append(answer.label)
    return [(source, " / ".join(labels), target) for (source, target), labels in found.items()]


def _steps(project: Project, pb: Playbook, edges) -> dict[NodeKey, tuple[str, str]]:
    """Every box of the flow: its kind (question | outcome | external) and its text, start first."""
    steps: dict[NodeKey, tuple[str, str]] = {}
    for node_id in sorted(pb.tree.nodes, key=lambda n: n != pb.tree.start):
        node = pb.tree.nodes[node_id]
        steps[(pb.id, node_id)] = ("question" if isinstance(node, Question) else "outcome",
                                   node_title(project, (pb.id, node_id)))
    for _, _, target in edges:
        if target[0] != pb.id and target not in steps:
            other = project.playbooks[target[0]].title
            steps[target] = ("external", f"Continue in “{other}”: {node_title(project, target)}")
    return steps


@dataclass(eq=False)
class Item:
    """A box, an answer label or a bend point of a long arrow, in one row of the wide picture."""

    kind: str  # question | outcome | external | label | dummy
    lines: list[str]
    w: float
    h: float
    rank: int
    x: float = 0.0  # centre
    y: float = 0.0  # top
    ups: list[Item] = field(default_factory=list)
    downs: list[Item] = field(default_factory=list)


@dataclass
class Wide:
    items: list[Item]
    chains: list[list[Item]]  # one per edge: source box, label, bend points, target box
    row_top: list[float]
    row_bottom: list[float]
    width: float
    height: float


def _crossings(rows: list[list[Item]], pos: dict[Item, int]) -> int:
    total = 0
    for row in rows[:-1]:
        pairs = sorted((pos[a], pos[b]) for a in row for b in a.downs)
        seen: list[int] = []
        for _, b in pairs:
            total += len(seen) - bisect.bisect_right(seen, b)
            bisect.insort(seen, b)
    return total


def _order(rows: list[list[Item]]) -> None:
    """Order each row by the mean position of its neighbours, sweeping down and up; keep the fewest crossings."""
    pos = {item: i for row in rows for i, item in enumerate(row)}
    best, best_rows = _crossings(rows, pos), [list(row) for row in rows]
    for sweep in range(SWEEPS * 2):
        down = sweep % 2 == 0
        indices = range(1, len(rows)) if down else range(len(rows) - 2, -1, -1)
        for r in indices:
            def key(item: Item, down: bool = down) -> float:
                near = item.ups if down else item.downs
                return sum(pos[n] for n in near) / len(near) if near else pos[item]

            rows[r].sort(key=key)
            pos.update({item: i for i, item in enumerate(rows[r])})
        found = _crossings(rows, pos)
        if found < best:
            best, best_rows = found, [list(row) for row in rows]
    rows[:] = best_rows


def _place(row: list[Item], desired: list[float]) -> None:
    """Centres as near ``desired`` as they can be (least squares) with every neighbour ``GAP_X`` apart."""
    offsets = [0.0]
    for a, b in pairwise(row):
        offsets.append(offsets[-1] + (a.w + b.w) / 2 + GAP_X)
    blocks: list[list[float]] = []  # pool adjacent violators: [sum, count] of shifted targets
    for want, offset in zip(desired, offsets, strict=True):
        blocks.append([want - offset, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    index = 0
    for total, count in blocks:
        for _ in range(int(count)):
            row[index].x = total / count + offsets[index]
            index += 1


def wide_layout(project: Project, pb: Playbook) -> Wide:
    edges = _edges(pb)
    steps = _steps(project, pb, edges)
    parents: dict[NodeKey, list[NodeKey]] = {key: [] for key in steps}
    children: dict[NodeKey, list[NodeKey]] = {key: [] for key in steps}
    for source, _, target in edges:
        parents[target].append(source)
        children[source].append(target)
    # longest path from the start gives each box its layer (the graph is acyclic: validated)
    layer = dict.fromkeys(steps, 0)
    indegree = {key: len(parents[key]) for key in steps}
    ready = [key for key in steps if indegree[key] == 0]
    order: list[NodeKey] = []
    while ready:
        key = ready.pop(0)
        order.append(key)
        for child in children[key]:
            layer[child] = max(layer[child], layer[key] + 1)
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    rows: list[list[Item]] = [[] for _ in range(2 * max(layer.values(), default=0) + 1)]
    boxes: dict[NodeKey, Item] = {}
    for key in order:
        kind, value = steps[key]
        lines = wrap(value, BOX_TEXT, FONT, balance=True)
        w = max(MIN_BOX, _widest(lines, FONT) + 2 * PAD_X)
        boxes[key] = Item(kind, lines, w, len(lines) * LINE + 2 * PAD_Y, 2 * layer[key])
        rows[2 * layer[key]].append(boxes[key])
    chains: list[list[Item]] = []
    for source, label, target in edges:
        lines = wrap(label, LABEL_TEXT, LABEL_FONT, balance=True)
        rank = 2 * layer[source] + 1
        chain = [boxes[source], Item("label", lines, _widest(lines, LABEL_FONT) + 2 * LABEL_PAD_X,
                                     len(lines) * LABEL_LINE + 2 * LABEL_PAD_Y, rank)]
        chain += [Item("dummy", [], 0, 0, r) for r in range(rank + 1, 2 * layer[target])]
        chain.append(boxes[target])
        for a, b in pairwise(chain):
            a.downs.append(b)
            b.ups.append(a)
        for item in chain[1:-1]:
            rows[item.rank].append(item)
        chains.append(chain)
    _order(rows)
    for row in rows:  # start packed, each row centred on 0, then pull every item towards its neighbours
        _place(row, [0.0] * len(row))
        shift = (row[0].x + row[-1].x) / 2 if row else 0
        for item in row:
            item.x -= shift
    for sweep in range(SWEEPS * 2 + 1):
        down = sweep % 2 == 0
        for r in range(1, len(rows)) if down else range(len(rows) - 2, -1, -1):
            near = [item.ups if down else item.downs for item in rows[r]]
            _place(rows[r], [sum(n.x for n in ns) / len(ns) if ns else item.x for item, ns in zip(rows[r], near,
                                                                                                   strict=True)])
    items = [item for row in rows for item in row]
    left = min(item.x - item.w / 2 for item in items)
    row_top: list[float] = []
    row_bottom: list[float] = []
    y = MARGIN
    for row in rows:
        height = max((item.h for item in row), default=0)
        row_top.append(y)
        row_bottom.append(y + height)
        for item in row:
            item.x += MARGIN - left
            if item.kind == "dummy":
                item.y, item.h = y, height
            elif item.kind == "label":
                item.y = y + (height - item.h) / 2
            else:
                item.y = y
        y += height + ROW_GAP
    width = max(item.x + item.w / 2 for item in items) + MARGIN
    return Wide(items, chains, row_top, row_bottom, width, y - ROW_GAP + MARGIN)


# ------------------------------------------------------------------------------------------ drawing


def _lines(lines: list[str], x: float, top: float, size: float, step: float, anchor: str) -> list[Markup]:
    return [
        el("text", {"x": f"{x:.1f}", "y": f"{top + step * i + (step - size) / 2 + ASCENT * size:.1f}",
                    "text-anchor": anchor}, line)
        for i, line in enumerate(lines)
    ]


def _box(kind: str, lines: list[str], x: float, y: float, w: float, h: float) -> Markup:
    """A step: its rectangle and its lines, centred; x is the left edge."""
    rect = {"x": f"{x:.1f}", "y": f"{y:.1f}", "width": f"{w:.1f}", "height": f"{h:.1f}",
            "rx": "8" if kind == "outcome" else "2"}
    return el("g", {"class": f"icp-flow__node icp-flow__node--{kind}"}, el("rect", rect),
              *_lines(lines, x + w / 2, y + PAD_Y, FONT, LINE, "middle"))


def _label(lines: list[str], x: float, y: float, w: float, h: float, anchor: str) -> Markup:
    """An answer: its lines on a patch of the page's background; x is the left edge."""
    rect = {"x": f"{x:.1f}", "y": f"{y:.1f}", "width": f"{w:.1f}", "height": f"{h:.1f}"}
    tx = x + w / 2 if anchor == "middle" else x + LABEL_PAD_X
    return el("g", {"class": "icp-flow__label"}, el("rect", rect),
              *_lines(lines, tx, y + LABEL_PAD_Y, LABEL_FONT, LABEL_LINE, anchor))


def _edge(d: str, marker: str) -> Markup:
    return el("path", {"class": "icp-flow__edge", "marker-end": f"url(#{marker})", "d": d})


def _spread(item: Item, others: list[Item]) -> dict[int, float]:
    """Where each arrow leaves (or meets) a box: spread along its edge, in the order of the other ends."""
    ranked = sorted(range(len(others)), key=lambda i: others[i].x)
    step = min(14.0, (item.w - 16) / max(len(others), 1))
    middle = (len(others) - 1) / 2
    return {i: item.x + (place - middle) * step for place, i in enumerate(ranked)}


def _wide_svg(project: Project, pb: Playbook, marker: str) -> tuple[list[Markup], float, float]:
    wide = wide_layout(project, pb)
    starts = {id(item): _spread(item, item.downs) for item in wide.items if len(item.downs) > 1}
    ends = {id(item): _spread(item, item.ups) for item in wide.items if len(item.ups) > 1}
    paths: list[Markup] = []
    for chain in wide.chains:
        first, last = chain[0], chain[-1]
        x = starts[id(first)][first.downs.index(chain[1])] if id(first) in starts else first.x
        d = f"M {x:.1f} {first.y + first.h:.1f}"
        for a, b in pairwise(chain):
            if a is not first:
                x = a.x
            if a.kind == "label":  # the arrow goes on below the answer, not through it
                d += f" M {x:.1f} {a.y + a.h:.1f}"
            top, bottom = wide.row_top[b.rank], wide.row_bottom[a.rank]
            if a.kind == "dummy" or a.y + a.h < bottom:  # down to the foot of the row: bends stay between rows
                d += f" L {x:.1f} {bottom:.1f}"
            bx = ends[id(b)][b.ups.index(a)] if b is last and id(b) in ends else b.x
            bend = (bottom + top) / 2
            d += f" C {x:.1f} {bend:.1f}, {bx:.1f} {bend:.1f}, {bx:.1f} {top:.1f}"
            if b.y > top:
                d += f" L {bx:.1f} {b.y:.1f}"
        paths.append(_edge(d, marker))
    shapes: list[Markup] = []
    for item in wide.items:
        left = item.x - item.w / 2
        if item.kind == "label":
            shapes.append(_label(item.lines, left, item.y, item.w, item.h, "middle"))
        elif item.kind != "dummy":
            shapes.append(_box(item.kind, item.lines, left, item.y, item.w, item.h))
    return paths + shapes, wide.width, wide.height


def _tall_svg(project: Project, pb: Playbook, marker: str) -> tuple[list[Markup], float, float]:
    """The outline: boxes one under another; a question's answers and steps indented under it, except its
    last step when that is a question (the main line goes straight down, so deep trees stay narrow)."""
    edges = _edges(pb)
    steps = _steps(project, pb, edges)
    children: dict[NodeKey, list[tuple[str, NodeKey]]] = {key: [] for key in steps}
    for source, label, target in edges:
        children[source].append((label, target))
    paths: list[Markup] = []
    shapes: list[Markup] = []
    expanded: set[NodeKey] = set()
    y = MARGIN
    width = TALL_WIDTH
    # a stack of (key, left edge, answer, trunk x of the question above or None)
    stack: list[tuple[NodeKey, float, str, float | None, float]] = [
        (key, MARGIN, "", None, 0) for key in reversed([k for k in steps if k[0] == pb.id])]
    pending = set(steps)
    while stack:
        key, x, answer, trunk, trunk_top = stack.pop()
        if trunk is None and key not in pending:
            continue  # a later root already drawn under the start
        pending.discard(key)
        if trunk is not None:
            y += 8
            lx = trunk + TRUNK
            lw = max(TALL_WIDTH - MARGIN - lx, MIN_BOX)
            lines = wrap(answer, lw - 2 * LABEL_PAD_X, LABEL_FONT)
            h = len(lines) * LABEL_LINE + 2 * LABEL_PAD_Y
            lw = _widest(lines, LABEL_FONT) + 2 * LABEL_PAD_X
            shapes.append(_label(lines, lx, y, lw, h, "start"))
            width = max(width, lx + lw + MARGIN)
            y += h + 4
        elif y > MARGIN:
            y += 16
        kind, value = steps[key]
        repeat = key in expanded and bool(children[key])
        if repeat:
            value += " (as above)"
        w = max(TALL_WIDTH - MARGIN - x, MIN_BOX)
        lines = wrap(value, w - 2 * PAD_X, FONT, balance=True)
        h = len(lines) * LINE + 2 * PAD_Y
        shapes.append(_box(kind, lines, x, y, w, h))
        width = max(width, x + w + MARGIN)
        if trunk is not None:
            if x > trunk:  # indented: down the trunk, then right into the box
                paths.append(_edge(f"M {trunk:.1f} {trunk_top:.1f} V {y + 16:.1f} H {x:.1f}", marker))
            else:  # the main line: straight down into the box
                paths.append(_edge(f"M {trunk:.1f} {trunk_top:.1f} V {y:.1f}", marker))
        top_of_trunk = y + h
        y += h
        if repeat or key in expanded:
            continue
        expanded.add(key)
        kids = children[key]
        for index in range(len(kids) - 1, -1, -1):
            label, target = kids[index]
            main_line = index == len(kids) - 1 and bool(children.get(target)) and target not in expanded
            stack.append((target, x if main_line else x + INDENT, label, x + TRUNK, top_of_trunk))
    return paths + shapes, width, y + MARGIN


def _svg(pb: Playbook, layout: str, parts: list[Markup], width: float, height: float, marker: str) -> Markup:
    title_id = f"icp-flow-title-{pb.id}-{layout}"
    return el(
        "svg",
        {
            "class": "icp-flow__svg",
            "viewBox": f"0 0 {width:.0f} {height:.0f}",
            "width": f"{width:.0f}",
            "height": f"{height:.0f}",
            "role": "img",
            "aria-labelledby": title_id,
            "xmlns": "http://www.w3.org/2000/svg",
        },
        el("title", {"id": title_id}, f"Flow of “{pb.title}”: {len(pb.tree.nodes)} steps"),
        Markup(
            f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
            'class="icp-flow__arrowhead"/></marker></defs>'
        ),
        *parts,
    )


def flow_svg(project: Project, playbook_id: str) -> Markup:
    """The flow as inline SVG: wide and tall, or only tall when even a wide screen would show a small part of
    the wide picture; text is escaped, colours come from the site's CSS (light, dark, print)."""
    pb = project.playbooks[playbook_id]
    if len(pb.tree.nodes) > PICTURE_MAX_NODES:
        return el("div", {"class": "icp-flow", "data-icp-style": "flow"}, el("p", {"class": "icp-notice"},
                  f"This flow has {len(pb.tree.nodes):,} steps, more than one picture can show readably (at most "
                  f"{PICTURE_MAX_NODES}). Every step is listed on the playbook's page of steps, and the whole flow "
                  "is offered as Mermaid text."))
    views = []
    for layout, draw in (("wide", _wide_svg), ("tall", _tall_svg)):
        marker = f"icp-arrow-{pb.id}-{layout}"
        parts, width, height = draw(project, pb, marker)
        if layout == "wide" and width > WIDE_MAX:
            continue
        # wider than the column (on a small phone, or a wide picture): a region to focus and scroll sideways
        scroll = {"class": "icp-flow__scroll", "tabindex": "0", "role": "region", "aria-label": f"Flow of “{pb.title}”"}
        views.append(el("div", {"class": f"icp-flow__{layout}"},
                        el("p", {"class": "icp-flow__hint"}, "Wider than the page: scroll sideways ",
                           "(or focus the picture and use the arrow keys) to see all of it."),
                        el("div", scroll, _svg(pb, layout, parts, width, height, marker))))
    return el("div", {"class": "icp-flow", "data-icp-style": "flow"}, *views)


# ------------------------------------------------------------------------------------------ Mermaid


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
