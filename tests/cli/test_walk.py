"""The terminal walker (``python -m macros walk``), driven through stdin like a person at a keyboard."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from macros.cli.walk import WIDTH, run_template, run_walk, safe
from macros.engine.loader import load_project
from macros.engine.models import Question
from tests.conftest import REPO

PROJECT = load_project()


def walk(playbook_id: str, keys: list[str], at: str | None = None, project=PROJECT) -> tuple[int, str]:
    out = io.StringIO()
    code = run_walk(project, playbook_id, at, read=io.StringIO("".join(k + "\n" for k in keys)), out=out)
    return code, out.getvalue()


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("playbook_id", list(PROJECT.playbooks))
def test_every_path_reaches_its_outcome(playbook_id):
    for path in PROJECT.paths(playbook_id):
        keys = []
        for step in path.steps:
            node = PROJECT.playbooks[step.node[0]].tree.nodes[step.node[1]]
            keys.append(str([a.id for a in node.answers].index(step.answer) + 1))
        code, output = walk(playbook_id, [*keys, "q"])
        assert code == 0
        outcome = PROJECT.playbooks[path.outcome[0]].tree.nodes[path.outcome[1]]
        screen = flat(output)
        assert f"Outcome: {flat(outcome.title)}" in screen, path.text(playbook_id)
        for action in outcome.actions:
            assert f"[ ] {flat(action.text)}" in screen
            for template_id in action.templates:
                assert PROJECT.templates[template_id].filename in screen
        assert all(len(line) <= WIDTH for line in output.splitlines())


def test_back_restart_invalid_input_and_end_of_input():
    code, output = walk("who-leads-comms", ["3", "9", "b", "x", "3", "2", "r", "1"])
    assert code == 0, "end of input quits cleanly"
    screen = flat(output)
    any_pmm = PROJECT.playbooks["who-leads-comms"].tree.nodes["any-pmm"].question
    # shown after "3", again after the invalid "9", and after "3" once back at the first question
    assert screen.count(any_pmm) == 3
    assert "Type a number from 1 to 2, b, r or q." in screen
    assert "Type a number from 1 to 3, r or q." in screen, "no 'back' on the first question"
    assert "Outcome: The product's PMM is Comms Lead" in screen, "restart went back to the first question"


def test_start_at_a_node_and_continue_into_another_playbook():
    jumps = [(pid, p) for pid in PROJECT.playbooks for p in PROJECT.paths(pid) if p.outcome[0] != pid]
    playbook_id, path = jumps[0]
    keys = []
    for step in path.steps:
        node = PROJECT.playbooks[step.node[0]].tree.nodes[step.node[1]]
        assert isinstance(node, Question)
        keys.append(str([a.id for a in node.answers].index(step.answer) + 1))
    code, output = walk(playbook_id, keys)
    assert code == 0
    other = PROJECT.playbooks[path.outcome[0]]
    assert f"(in “{other.title}”)" in output or len({s.node[0] for s in path.steps}) == 1
    assert "Outcome:" in output
    code, output = walk("running-comms", ["q"], at="first-steps")
    assert code == 0 and "Outcome: First steps as Comms Lead" in output


def test_control_characters_cannot_reach_the_terminal(load_text, valid_playbook):
    hostile = valid_playbook.replace("summary: Put the fire out.", 'summary: "Put \\e[2J\\e]0;owned\\a out."')
    project = load_text(hostile)
    assert project.ok, [str(d) for d in project.diagnostics]
    start = project.playbooks["fixture"].tree.nodes[project.playbooks["fixture"].tree.start]
    key = str([a.id for a in start.answers].index("fire") + 1)
    code, output = walk("fixture", [key], project=project)
    assert code == 0
    assert "\x1b" not in output and "\x07" not in output
    assert "Put \\x1b[2J\\x1b]0;owned\\x07 out." in output
    assert safe("ok\nline") == "ok\nline"


def test_the_real_command_through_stdin():
    result = subprocess.run(
        [sys.executable, "-m", "macros", "walk", "who-leads-comms"],
        input="2\n2\n3\n",
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Outcome: Team Blitzscale appoints a Comms Lead" in flat(result.stdout)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["walk", "nope"], "no playbook 'nope'"),
        (["walk", "who-leads-comms", "--at", "nope"], "has no node 'nope'"),
        (["template", "nope"], "no template 'nope'"),
    ],
)
def test_usage_errors(args, message):
    result = subprocess.run(
        [sys.executable, "-m", "macros", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert message in result.stderr


def test_template_prints_the_body_for_copying():
    out = io.StringIO()
    assert run_template(PROJECT, "handover-note", out) == 0
    assert out.getvalue() == PROJECT.templates["handover-note"].body + "\n"
