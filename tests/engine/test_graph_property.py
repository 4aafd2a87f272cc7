"""Property tests: the validator agrees with an independent oracle on random decision graphs.

Hypothesis draws small graphs three ways: anything (questions with 0..4 answers pointing at random node
ids, some of them not defined; outcomes with 0..2 actions; a random start), valid by construction, and
valid with one thing changed (a loop, a label repeated in another case, ...), which tests each rule alone
where random graphs break several at once. Each is written as a playbook file and loaded. The
oracle below shares no code with the engine: a breadth-first search for reachability, Kahn's algorithm
for loops, and the counting rules written out again. The loader must never raise, must report errors
exactly when the oracle rejects the graph, and for accepted graphs count and list the same walks as a
naive recursive walk.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, database=None)
NODE_IDS = [f"n{i}" for i in range(6)]
UNDEFINED = ["gone", "n9"]  # never defined: answers pointing here dangle
ANSWER_IDS = ["a", "b", "c", "d"]
LABELS = ["Yes", "No", "yes", "Maybe", "on"]  # 'Yes' and 'yes' are the same label
GRAPH_CODES = {
    "dead-end",
    "too-few-answers",
    "duplicate-answer",
    "dangling-next",
    "outcome-without-actions",
    "unknown-start",
    "unreachable",
    "cycle",
}


@dataclass(frozen=True)
class TreeSpec:
    start: str
    questions: dict[str, list[tuple[str, str, str]]]  # node id: its answers as (id, label, next)
    outcomes: dict[str, int]  # node id: number of actions

    def yaml(self) -> str:
        lines = [
            "id: prop",
            "title: Property playbook",
            "summary: Generated.",
            "audience:",
            "  - Testers",
            "owner: QA",
            "last_reviewed: 2026-11-01",
            "tree:",
            f"  start: {self.start}",
            "  nodes:",
        ]
        for node, answers in self.questions.items():
            lines += [f"    {node}:", f"      question: Question {node}?"]
            lines += ["      answers: []"] if not answers else ["      answers:"]
            for answer_id, label, target in answers:
                lines += [f"        - id: {answer_id}", f"          label: {label}", f"          next: {target}"]
        for node, actions in self.outcomes.items():
            lines += [
                f"    {node}:",
                f"      title: Outcome {node}",
                "      summary: Generated.",
                "      actions: []" if not actions else "      actions:",
            ]
            lines += [f"        - text: Action {i}" for i in range(actions)]
        return "\n".join(lines) + "\n"


# --- the oracle ---------------------------------------------------------------------------------------


def oracle_accepts(graph: TreeSpec) -> bool:
    nodes = set(graph.questions) | set(graph.outcomes)
    if graph.start not in nodes:
        return False
    for answers in graph.questions.values():
        if len(answers) < 2:
            return False
        if len({answer_id for answer_id, _, _ in answers}) < len(answers):
            return False
        if len({label.lower() for _, label, _ in answers}) < len(answers):
            return False
        if any(target not in nodes for _, _, target in answers):
            return False
    if 0 in graph.outcomes.values():
        return False
    successors = {node: [target for _, _, target in graph.questions.get(node, [])] for node in nodes}
    seen, queue = {graph.start}, deque([graph.start])
    while queue:
        for target in successors[queue.popleft()]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    if seen != nodes:
        return False
    incoming = dict.fromkeys(nodes, 0)
    for targets in successors.values():
        for target in targets:
            incoming[target] += 1
    ready = [node for node, count in incoming.items() if count == 0]
    removed = 0
    while ready:
        node = ready.pop()
        removed += 1
        for target in successors[node]:
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    return removed == len(nodes)


def oracle_walks(graph: TreeSpec, node: str) -> list[str]:
    """Every walk from ``node``, in answer order, written as ``python -m macros paths`` writes it."""
    if node in graph.outcomes:
        return [node]
    return [
        f"{node}={answer_id} → {rest}"
        for answer_id, _, target in graph.questions[node]
        for rest in oracle_walks(graph, target)
    ]


# --- graphs -------------------------------------------------------------------------------------------


@st.composite
def any_graphs(draw) -> TreeSpec:
    """Anything small: often broken in several ways at once."""
    ids = draw(st.lists(st.sampled_from(NODE_IDS), min_size=1, max_size=len(NODE_IDS), unique=True))
    questions, outcomes = {}, {}
    for node in ids:
        if draw(st.booleans()):
            answers = draw(
                st.lists(
                    st.tuples(st.sampled_from(ANSWER_IDS), st.sampled_from(LABELS), st.sampled_from(ids + UNDEFINED)),
                    max_size=4,
                )
            )
            questions[node] = answers
        else:
            outcomes[node] = draw(st.integers(0, 2))
    return TreeSpec(draw(st.sampled_from(ids + UNDEFINED[:1])), questions, outcomes)


@st.composite
def valid_graphs(draw) -> TreeSpec:
    """Loop-free by construction (answers only point further on), everything reachable from the start."""
    size = draw(st.integers(1, 7))
    questions, outcomes = {}, {}
    for i in range(size):
        if i < size - 1 and draw(st.booleans()):
            targets = draw(st.lists(st.integers(i + 1, size - 1), min_size=2, max_size=3))
            questions[f"n{i}"] = [(ANSWER_IDS[j], f"Option {j}", f"n{t}") for j, t in enumerate(targets)]
        else:
            outcomes[f"n{i}"] = draw(st.integers(1, 2))
    reached, todo = set(), ["n0"]
    while todo:
        node = todo.pop()
        if node not in reached:
            reached.add(node)
            todo += [target for _, _, target in questions.get(node, [])]
    return TreeSpec(
        "n0", {n: a for n, a in questions.items() if n in reached}, {n: a for n, a in outcomes.items() if n in reached}
    )


@st.composite
def nearly_valid_graphs(draw) -> TreeSpec:
    """A valid graph with one thing changed, which usually breaks exactly one rule (a loop, a label twice...)."""
    graph = draw(valid_graphs())
    questions = {node: list(answers) for node, answers in graph.questions.items()}
    outcomes = dict(graph.outcomes)
    start = graph.start
    change = draw(
        st.sampled_from(
            ["loop", "same-label", "same-id", "dangle", "one-answer", "no-answers", "no-actions", "bad-start", "orphan"]
        )
    )
    if questions and change not in ("no-actions", "bad-start", "orphan"):
        node = draw(st.sampled_from(sorted(questions)))
        answers = questions[node]
        (first_id, first_label, _), (_, label, target) = answers[0], answers[1]
        if change == "loop":  # back to this node or one before it
            answers[1] = (answers[1][0], label, f"n{draw(st.integers(0, int(node[1:])))}")
        elif change == "same-label":
            answers[1] = (answers[1][0], first_label.swapcase(), target)
        elif change == "same-id":
            answers[1] = (first_id, label, target)
        elif change == "dangle":
            answers[1] = (answers[1][0], label, "gone")
        else:
            del answers[0 if change == "no-answers" else 1 :]
    elif change == "no-actions":
        outcomes[draw(st.sampled_from(sorted(outcomes)))] = 0
    elif change == "bad-start":
        start = "gone"
    elif change == "orphan":
        outcomes["n8"] = 1
    return TreeSpec(start, questions, outcomes)


@pytest.fixture(scope="module")
def load_graph(tmp_path_factory, load_paths):
    folder = tmp_path_factory.mktemp("property")

    def load(graph: TreeSpec):
        path = folder / "prop.yaml"
        path.write_text(graph.yaml(), encoding="utf-8")
        return load_paths([path])

    return load


# --- properties ---------------------------------------------------------------------------------------


@SETTINGS
@given(graph=st.one_of(any_graphs(), valid_graphs(), nearly_valid_graphs()))
def test_validator_accepts_exactly_what_the_oracle_accepts(load_graph, graph: TreeSpec):
    project = load_graph(graph)  # must not raise
    problems = [str(d) for d in project.diagnostics]
    assert {d.code for d in project.diagnostics} <= GRAPH_CODES, problems  # only graph rules, no schema noise
    assert project.ok == oracle_accepts(graph), f"{graph.yaml()}\n" + "\n".join(problems)
    if project.ok:  # only now is the graph known to be loop-free, so walking it ends
        assert project.path_count("prop") == len(project.paths("prop")) == len(oracle_walks(graph, graph.start))


@SETTINGS
@given(graph=valid_graphs())
def test_path_count_equals_the_walks_listed_and_a_naive_count(load_graph, graph: TreeSpec):
    project = load_graph(graph)
    assert project.ok, [str(d) for d in project.diagnostics]
    walks = [path.text("prop") for path in project.paths("prop")]
    assert walks == oracle_walks(graph, graph.start)
    assert project.path_count("prop") == len(walks)
