"""The decision trees of all playbooks as one graph: resolve, reach, find cycles, count and list paths.

Nodes are addressed as ``(playbook id, node id)``; an answer may lead into another playbook
(``playbook-id#node-id``), so a walk can cross files and every check here works across them.
Everything is iterative: a 10,000-node chain must not hit Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

NodeKey = tuple[str, str]


def resolve(ref: str, playbook_id: str) -> NodeKey:
    """``node`` is a node of ``playbook_id``; ``other#node`` is a node of playbook ``other``."""
    if "#" in ref:
        other, node = ref.split("#", 1)
        return other, node
    return playbook_id, ref


def ref_text(key: NodeKey, from_playbook: str) -> str:
    """Inverse of :func:`resolve`: the shortest reference to ``key`` from ``from_playbook``."""
    return key[1] if key[0] == from_playbook else f"{key[0]}#{key[1]}"


@dataclass
class Graph:
    starts: dict[str, NodeKey] = field(default_factory=dict)
    # answer edges of each question node, in the author's order: (answer id, target)
    edges: dict[NodeKey, list[tuple[str, NodeKey]]] = field(default_factory=dict)
    outcomes: set[NodeKey] = field(default_factory=set)

    def __contains__(self, key: NodeKey) -> bool:
        return key in self.edges or key in self.outcomes


@dataclass(frozen=True)
class Step:
    node: NodeKey
    answer: str


@dataclass(frozen=True)
class Path:
    steps: tuple[Step, ...]
    outcome: NodeKey

    def text(self, playbook_id: str) -> str:
        """``question=answer → question=answer → outcome``, ids only, for reviewers and golden files."""
        parts = [f"{ref_text(step.node, playbook_id)}={step.answer}" for step in self.steps]
        parts.append(ref_text(self.outcome, playbook_id))
        return " → ".join(parts)


def reachable(graph: Graph, roots: list[NodeKey], extra: dict[NodeKey, list[NodeKey]] | None = None) -> set[NodeKey]:
    """Nodes reachable from ``roots`` along answers (and ``extra`` links such as related playbooks)."""
    seen: set[NodeKey] = set()
    todo = [root for root in roots if root in graph]
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        todo.extend(target for _, target in graph.edges.get(key, ()) if target in graph)
        todo.extend(target for target in (extra or {}).get(key, ()) if target in graph)
    return seen


def find_cycles(graph: Graph) -> list[tuple[NodeKey, str, list[NodeKey]]]:
    """Every edge that closes a loop: ``(source, answer id, loop from its target back to source)``."""
    white, grey, black = 0, 1, 2
    colour: dict[NodeKey, int] = {}
    found: list[tuple[NodeKey, str, list[NodeKey]]] = []
    for root in sorted(graph.edges):
        if colour.get(root, white) != white:
            continue
        colour[root] = grey
        path = [root]
        stack = [iter(graph.edges.get(root, ()))]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                colour[path.pop()] = black
                stack.pop()
                continue
            answer, target = step
            if target not in graph:
                continue
            state = colour.get(target, white)
            if state == grey:
                found.append((path[-1], answer, path[path.index(target) :]))
            elif state == white:
                colour[target] = grey
                path.append(target)
                stack.append(iter(graph.edges.get(target, ())))
    return found


def count_paths(graph: Graph, start: NodeKey, counts: dict[NodeKey, int] | None = None) -> int:
    """Number of distinct walks from ``start`` to an outcome, without listing them (graph must be acyclic).

    ``counts``: a memo to share between calls on the same graph, so counting from every start stays linear."""
    counts = {} if counts is None else counts
    stack = [start]
    while stack:
        key = stack[-1]
        if key in counts:
            stack.pop()
            continue
        if key in graph.outcomes or key not in graph:
            counts[key] = 1 if key in graph.outcomes else 0
            stack.pop()
            continue
        pending = [target for _, target in graph.edges[key] if target not in counts]
        if pending:
            stack.extend(pending)
            continue
        counts[key] = sum(counts[target] for _, target in graph.edges[key])
        stack.pop()
    return counts[start]


def iter_paths(graph: Graph, start: NodeKey) -> Iterator[Path]:
    """Every walk from ``start`` to an outcome, depth first in the authors' answer order."""
    if start in graph.outcomes:
        yield Path((), start)
        return
    steps: list[Step] = []
    stack = [iter(graph.edges.get(start, ()))]
    nodes = [start]
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            nodes.pop()
            if steps:
                steps.pop()
            continue
        answer, target = step
        if target not in graph:
            continue
        if target in graph.outcomes:
            yield Path((*steps, Step(nodes[-1], answer)), target)
            continue
        steps.append(Step(nodes[-1], answer))
        nodes.append(target)
        stack.append(iter(graph.edges.get(target, ())))
