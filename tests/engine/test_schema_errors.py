"""Schema problems (what pydantic finds) become messages at the key or value an author has to edit.

Each row of ``CASES`` names a file in ``fixtures/broken/`` holding exactly one problem, and where and
how it must be reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.engine.models import Action, Answer, Outcome, Playbook, Question, Tree

BROKEN = Path(__file__).parent / "fixtures" / "broken"
ID_HINT = "use lower-case letters, digits and single hyphens, e.g. 'night-shift-lead'"


def _allowed(model, present=()) -> str:
    """The hint for an unknown key where ``present`` keys are already used: the model's other keys (fixing a
    spelling to a key the mapping has would repeat that key)."""
    free = [key for key in model.model_fields if key not in present]
    return f"remove it or fix its spelling (allowed here: {', '.join(free)})" if free else "remove it"


CASES = [
    # fixture, line, col, code, message (exact), hint (exact)
    # an unknown key in an outcome node: the allowed keys are those of an outcome it does not have yet
    (
        "schema-unknown-key.yaml",
        29,
        7,
        "schema-extra-forbidden",
        "unknown key 'colour'",
        _allowed(Outcome, {"title", "summary", "actions"}),
    ),
    # a missing key is reported at the key of the mapping that lacks it ...
    (
        "schema-missing-key.yaml",
        32,
        5,
        "schema-missing",
        "missing required key 'summary' in 'wait'",
        "add 'summary: ...'",
    ),
    # ... or, for an item of a list, at that item (the second action, not the list)
    ("schema-missing-key-in-list.yaml", 37, 11, "schema-missing", "missing required key 'text'", "add 'text: ...'"),
    (
        "schema-wrong-type.yaml",
        4,
        11,
        "schema-list-type",
        "'audience' should be a list, not 'Testers'",
        "fix the value's type",
    ),
    (
        "schema-wrong-type-answers.yaml",
        19,
        16,
        "schema-list-type",
        "'answers' should be a list, not 'text'",
        "fix the value's type",
    ),
    ("schema-bad-id.yaml", 9, 9, "schema-string-pattern-mismatch", "'id': 'Comms_Lead' is not a valid id", ID_HINT),
    (
        "schema-bad-next.yaml",
        25,
        17,
        "schema-string-pattern-mismatch",
        "'next': 'Wait Here' is not a valid value",
        "write 'node-id', or 'playbook-id#node-id' for a node of another playbook",
    ),
    (
        "schema-bad-date.yaml",
        7,
        16,
        "schema-date-from-datetime-parsing",
        "'last_reviewed': '2026-13-01' is not a date",
        "write it as YYYY-MM-DD, e.g. 2026-11-26",
    ),
    (
        "schema-no-value.yaml",
        2,
        7,
        "schema-string-type",
        "'title' has no value",
        "write a value after the colon, or remove the key",
    ),
    (
        "schema-empty-text.yaml",
        34,
        16,
        "schema-string-too-short",
        "'summary' is empty",
        "write some text, or remove the key if it is optional",
    ),
    (
        "schema-node-kind.yaml",
        33,
        7,
        "schema-node-kind",
        "node 'wait' is neither a question nor an outcome",
        "give it 'question' and 'answers', or 'title', 'summary' and 'actions'",
    ),
    (
        "schema-bad-channel.yaml",
        40,
        14,
        "schema-literal-error",
        "'channel': 'fax' is not allowed",
        "use one of 'issue', 'issue-form', 'email', 'status-page', 'chat' or 'document'",
    ),
    # a node id is a key: pydantic's loc ends in '[key]', the position is the key's
    (
        "schema-bad-node-key.yaml",
        32,
        5,
        "schema-string-pattern-mismatch",
        "key 'Wait_Here': 'Wait_Here' is not a valid id",
        ID_HINT,
    ),
]


@pytest.mark.parametrize(("fixture", "line", "col", "code", "message", "hint"), CASES, ids=[c[0] for c in CASES])
def test_problem_is_reported_where_it_is(only_problem, fixture, line, col, code, message, hint):
    problem = only_problem(fixture)
    assert (problem.line, problem.col, problem.code, problem.message, problem.hint) == (line, col, code, message, hint)


def test_every_schema_fixture_is_in_the_table():
    on_disk = {path.name for path in BROKEN.glob("schema-*.yaml")}
    assert on_disk == {case[0] for case in CASES}


@pytest.mark.parametrize(
    ("old", "new", "line", "col", "hint"),
    [
        (
            "owner: QA\n",
            "owner: QA\nversion: 2\n",
            7,
            1,
            _allowed(Playbook, {"id", "title", "summary", "audience", "owner", "last_reviewed", "roles", "tree"}),
        ),
        ("  start: ask\n", "  start: ask\n  end: wait\n", 16, 3, _allowed(Tree, {"start", "nodes"})),
        (
            "      question: Is the building on fire?\n",
            "      question: Is the building on fire?\n      help: Look.\n",
            19,
            7,
            _allowed(Question, {"question", "answers"}),
        ),
        (
            "          next: act\n",
            "          next: act\n          weight: 2\n",
            23,
            11,
            _allowed(Answer, {"id", "label", "next"}),
        ),
        (
            "          owner: lead\n",
            "          owner: lead\n          due: now\n",
            32,
            11,
            _allowed(Action, {"text", "owner"}),
        ),
    ],
    ids=["playbook", "tree", "question", "answer", "action"],
)
def test_unknown_key_names_the_keys_allowed_where_it_is(load_text, valid_playbook, old, new, line, col, hint):
    assert valid_playbook.count(old) == 1
    [problem] = load_text(valid_playbook.replace(old, new)).diagnostics
    assert (problem.line, problem.col, problem.code, problem.hint) == (line, col, "schema-extra-forbidden", hint)
    assert problem.message == f"unknown key '{new.split()[-2].rstrip(':')}'"


def test_allowed_keys_of_an_outcome_are_its_fields_not_used_yet():
    assert CASES[0][5].startswith("remove it or fix its spelling (allowed here: related")
    assert _allowed(Tree, {"start", "nodes"}) == "remove it"  # every key of the tree is there: nothing to fix to


def test_fixing_the_spelling_as_the_hint_says_passes(load_text, valid_playbook):
    # 'hnt' in a question: 'question' and 'answers' are not suggested (they would repeat), 'hint' is, and it works
    text = valid_playbook.replace(
        "      question: Is the building on fire?\n", "      question: Is the building on fire?\n      hnt: Look.\n"
    )
    [problem] = load_text(text).diagnostics
    assert "question" not in problem.hint.split("allowed here: ")[1]
    assert "hint" in problem.hint.split("allowed here: ")[1].rstrip(")").split(", ")
    assert load_text(text.replace("      hnt: Look.", "      hint: Look.")).diagnostics == []


def test_every_schema_problem_of_a_file_is_reported(load_text, valid_playbook):
    text = (
        valid_playbook.replace("last_reviewed: 2026-11-01", "last_reviewed: yesterday")
        .replace("  - id: lead\n", "  - id: Lead\n")
        .replace("      summary: Keep watching.\n", "      summary: Keep watching.\n      colour: red\n")
        .replace("          label: It is calm\n", "")
    )
    found = [(d.line, d.col, d.code) for d in load_text(text).diagnostics]
    assert found == [
        (7, 16, "schema-date-from-datetime-parsing"),
        (9, 9, "schema-string-pattern-mismatch"),
        (23, 11, "schema-missing"),
        (34, 7, "schema-extra-forbidden"),
    ]
