"""The real playbooks in ``playbooks/``: valid, every walk ends in something to do, nothing left off a walk,
and their paths unchanged unless on purpose.

Golden files: ``tests/engine/golden/<playbook-id>.paths.txt`` holds exactly what ``python -m macros paths <id>``
prints, one path a line. When a change to a playbook changes its paths on purpose (or a playbook is added),
rewrite them and review the diff::

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/engine/test_our_playbooks.py

A golden file without a playbook fails the suite; delete it when the playbook is removed or renamed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from macros.cli.main import main
from macros.engine.graph import iter_paths
from macros.engine.loader import PLAYBOOK_DIR, Project, load_project, playbook_files
from macros.engine.models import Outcome, Question
from macros.engine.validate import related_links

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
# a playbook's id is its file name (the checker enforces it), so the ids are known before loading
PLAYBOOK_IDS = [path.stem for path in playbook_files([PLAYBOOK_DIR])]


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project()  # the real organisation file, today's date


@pytest.fixture(scope="module")
def valid(project: Project) -> Project:
    """The project, for tests that walk it: walking is defined only for valid playbooks (no loops)."""
    if not project.ok:
        pytest.fail("playbooks/ has errors:\n" + "\n".join(map(str, project.diagnostics)))
    return project


@pytest.fixture(scope="module")
def walks(valid: Project):
    """Every walk of every playbook: from each start, and from each node a 'related' link opens a walk at."""
    graph = valid.graph
    roots = [graph.starts[playbook_id] for playbook_id in valid.playbooks]
    roots += [target for targets in related_links(valid.loaded, graph).values() for target in targets]
    return [walk for root in dict.fromkeys(roots) for walk in iter_paths(graph, root)]


def test_there_are_playbooks():
    assert PLAYBOOK_IDS


def test_playbooks_load_without_errors(project: Project):
    assert [str(d) for d in project.diagnostics if d.is_error] == []
    assert sorted(project.playbooks) == sorted(PLAYBOOK_IDS)


def test_no_value_of_ours_is_cut_short_by_a_comment(project: Project):
    # a warning elsewhere (the checker accepts it), but our own playbooks must not hold one
    assert [str(d) for d in project.diagnostics if d.code == "yaml-comment-in-value"] == []


@pytest.mark.parametrize("playbook_id", PLAYBOOK_IDS)
def test_every_path_ends_in_an_outcome_with_actions(valid: Project, playbook_id: str):
    paths = valid.paths(playbook_id)
    assert paths
    for path in paths:
        other, node_id = path.outcome
        outcome = valid.playbooks[other].tree.nodes[node_id]
        assert isinstance(outcome, Outcome), path.text(playbook_id)
        assert len(outcome.actions) >= 1, path.text(playbook_id)


@pytest.mark.parametrize("playbook_id", PLAYBOOK_IDS)
def test_path_count_equals_the_paths_listed(valid: Project, playbook_id: str):
    assert valid.path_count(playbook_id) == len(valid.paths(playbook_id))


@pytest.mark.parametrize("playbook_id", PLAYBOOK_IDS)
def test_every_node_and_answer_is_on_some_path(valid: Project, walks, playbook_id: str):
    # walks cross playbooks: a node of this playbook may be covered by a walk that started in another one
    nodes_on_a_path = {walk.outcome for walk in walks} | {step.node for walk in walks for step in walk.steps}
    answers_on_a_path = {(step.node, step.answer) for walk in walks for step in walk.steps}
    tree = valid.playbooks[playbook_id].tree
    assert [node for node in tree.nodes if (playbook_id, node) not in nodes_on_a_path] == []
    missing_answers = [
        f"{node_id}={answer.id}"
        for node_id, node in tree.nodes.items()
        if isinstance(node, Question)
        for answer in node.answers
        if ((playbook_id, node_id), answer.id) not in answers_on_a_path
    ]
    assert missing_answers == []


@pytest.mark.parametrize("playbook_id", PLAYBOOK_IDS)
def test_paths_match_the_golden_file(valid: Project, capsys, playbook_id: str):
    assert main(["paths", playbook_id]) == 0  # exactly what `python -m macros paths <id>` prints
    printed, _ = capsys.readouterr()
    assert printed == "".join(f"{path.text(playbook_id)}\n" for path in valid.paths(playbook_id))
    golden = GOLDEN / f"{playbook_id}.paths.txt"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(printed, encoding="utf-8")
    update = f"UPDATE_GOLDEN=1 pytest {__file__}"
    assert golden.is_file(), f"no golden file for '{playbook_id}': run {update}"
    assert printed == golden.read_text(encoding="utf-8"), (
        f"the paths of '{playbook_id}' changed; if on purpose, run {update} and review the diff"
    )


def test_every_golden_file_has_its_playbook():
    golden_ids = [path.name.removesuffix(".paths.txt") for path in GOLDEN.glob("*.paths.txt")]
    stale = [f"{playbook_id}.paths.txt" for playbook_id in golden_ids if playbook_id not in PLAYBOOK_IDS]
    assert stale == [], "delete golden files of playbooks that no longer exist"
