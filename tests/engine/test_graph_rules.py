"""Checks across values and files: ids, the decision graph, references, placeholders, freshness, names.

Each row of ``CASES`` names a file in ``fixtures/broken/`` holding exactly one problem (for a rule that
spans files, a file in a folder of two, loaded together), and where and how it must be reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.engine.loader import shown

BROKEN = Path(__file__).parent / "fixtures" / "broken"
HERE = "<broken>"  # stands for fixtures/broken/ as the messages show it (relative to the working folder)

CASES = [
    # fixture, line, col, code, message (exact; <broken> replaced), part of the hint
    # ids
    (
        "duplicate-playbook-id/b/same-id.yaml",
        1,
        5,
        "duplicate-id",
        f"playbook id 'same-id' is already used ({HERE}/duplicate-playbook-id/a/same-id.yaml:line 1)",
        "give this playbook another id",
    ),
    (
        "duplicate-role-id/second.yaml",
        9,
        9,
        "duplicate-id",
        f"role id 'lead' is already used ({HERE}/duplicate-role-id/first.yaml:line 9)",
        "give this role another id",
    ),
    (
        "duplicate-template-id.yaml",
        51,
        9,
        "duplicate-id",
        "template id 'fire-email' is already used (line 38)",
        "give this template another id",
    ),
    (
        "duplicate-template-filename.yaml",
        55,
        15,
        "duplicate-id",
        "template file name 'emails/fire.md' is already used (line 42)",
        "give this template file another name",
    ),
    (
        "duplicate-responsibility-id.yaml",
        18,
        9,
        "duplicate-id",
        "responsibility id 'call-brigade' is already used (line 15)",
        "give this responsibility another id",
    ),
    (
        "id-mismatch.yaml",
        1,
        5,
        "id-mismatch",
        "playbook id 'not-the-file-name' differs from the file name 'id-mismatch'",
        "rename the file to 'not-the-file-name.yaml' or set 'id: id-mismatch'",
    ),
    # 'Fire Drill' is no id, so the hint does not suggest 'id: Fire Drill'
    (
        "Fire Drill.yaml",
        1,
        5,
        "id-mismatch",
        "playbook id 'fire-drill' differs from the file name 'Fire Drill'",
        "rename the file to 'fire-drill.yaml'",
    ),
    # ids the site or the playbook folder keeps: the hand-written list pages, and files that are no playbooks
    (
        "reserved-id-playbook.yaml",
        1,
        5,
        "reserved-id",
        "playbook id 'index' is reserved: playbooks/index.md is the list of playbooks, "
        "so this playbook would get no page of its own",
        "set 'id: reserved-id-playbook'",
    ),
    (
        "reserved-id-role.yaml",
        9,
        9,
        "reserved-id",
        "role id 'index' is reserved: roles/index.md is the list of roles, so this role would get no page of its own",
        "give the role another id, e.g. 'id: lead', and change the 1 reference to it",
    ),
    (
        "reserved-id-organisation.yaml",
        1,
        5,
        "reserved-id",
        "playbook id 'organisation' is reserved: "
        "a file 'organisation.yaml' beside the playbooks is not read as a playbook",
        "set 'id: reserved-id-organisation'",
    ),
    # the decision tree
    (
        "dangling-next.yaml",
        28,
        17,
        "dangling-next",
        "answer 'smoke' leads to 'smoke', which is not a node of this tree",
        "add a node 'smoke' or point to one of: act, wait",  # not 'ask': the answer is ask's, it would loop
    ),
    (
        "unknown-start.yaml",
        15,
        10,
        "unknown-start",
        "start node 'begin' is not a node of this tree",
        "set 'start' to 'ask'",  # the only node no answer leads to: from 'act' or 'wait' the rest is unreachable
    ),
    ("missing-start.yaml", 14, 1, "schema-missing", "missing required key 'start' in 'tree'", "add 'start: ...'"),
    (
        "unreachable.yaml",
        37,
        5,
        "unreachable",
        "node 'orphan' cannot be reached from any start",
        "point an answer at it, or remove it",
    ),
    (
        "dead-end.yaml",
        42,
        16,
        "dead-end",
        "question 'stuck' has no answers, so a walk stops here",
        "add at least two answers",
    ),
    (
        "one-answer.yaml",
        43,
        9,
        "too-few-answers",
        "question 'look' has only one answer, so it is not a choice",
        "add another answer",
    ),
    (
        "duplicate-answer-id.yaml",
        23,
        15,
        "duplicate-answer",
        "answer id 'fire' is used twice in question 'ask' (answer 1)",
        "give each answer its own id",
    ),
    # labels are compared without case and runs of spaces: 'It is  ON FIRE' repeats 'It is on fire'
    (
        "duplicate-answer-label.yaml",
        24,
        18,
        "duplicate-answer",
        "label 'It is  ON FIRE' is used twice in question 'ask' (answer 1)",
        "make the answers tell apart",
    ),
    (
        "outcome-without-actions.yaml",
        35,
        16,
        "outcome-without-actions",
        "outcome 'wait' has no actions",
        "list at least one thing to do now",
    ),
    (
        "cycle-self.yaml",
        28,
        17,
        "cycle",
        "answer 'unsure' of 'ask' loops back: ask → ask",
        "point this answer further on",
    ),
    (
        "cycle-loop.yaml",
        57,
        17,
        "cycle",
        "answer 'silence' of 'listen' loops back: ask → look → listen → ask",
        "point this answer further on",
    ),
    (
        "cycle-cross-playbook/cycle-b.yaml",
        22,
        17,
        "cycle",
        "answer 'back' of 'ask' loops back: cycle-a#ask → ask → cycle-a#ask",
        "point this answer further on",
    ),
    # references to roles, templates, playbooks and nodes
    (
        "unknown-role-owner.yaml",
        31,
        18,
        "unknown-role",
        "role 'chief' is not defined in any playbook",
        "use one of: lead",
    ),
    (
        "unknown-role-instead.yaml",
        16,
        18,
        "unknown-role",
        "role 'firefighters' is not defined in any playbook",
        "define a role 'firefighters' under 'roles'",  # not 'lead': the role would hand the task to itself
    ),
    (
        "unknown-role-raci.yaml",
        17,
        22,
        "unknown-role",
        "role 'chief' is not defined in any playbook",
        "define a role 'chief' under 'roles'",  # not 'lead': the row has a 'lead' column already
    ),
    (
        "self-delegation.yaml",
        16,
        18,
        "self-delegation",
        "role 'lead' hands 'Deciding' to itself",
        "name the role that does it instead",
    ),
    (
        "unknown-template.yaml",
        32,
        23,
        "unknown-template",
        "template 'fire-letter' is not defined in any playbook",
        "define a template 'fire-letter' under 'templates'",
    ),
    (
        "unknown-playbook.yaml",
        28,
        17,
        "unknown-playbook",
        "playbook 'elsewhere' does not exist",
        # not 'unknown-playbook#ask': that is the question this answer belongs to
        "add a playbook 'elsewhere' with a node 'ask', or point to a node of this playbook: act, wait",
    ),
    (
        "unknown-node/here.yaml",
        28,
        17,
        "unknown-node",
        "playbook 'there' has no node 'nope'",
        "use one of: ask, act, wait",
    ),
    (
        "unknown-playbook-related.yaml",
        39,
        15,
        "unknown-playbook",
        "playbook 'elsewhere' does not exist",
        "use one of: unknown-playbook-related",
    ),
    (
        "unknown-node-related/here.yaml",
        39,
        15,
        "unknown-node",
        "playbook 'there' has no node 'nope'",
        "use one of: ask, act, wait",
    ),
    # the responsibility matrix
    (
        "raci-no-accountable.yaml",
        17,
        11,
        "raci-accountable",
        "task 'call-brigade' has 0 accountable roles, not exactly one",
        "mark one role 'A'",
    ),
    (
        "raci-two-accountable.yaml",
        22,
        11,
        "raci-accountable",
        "task 'call-brigade' has 2 accountable roles, not exactly one",
        "mark one role 'A'",
    ),
    (
        "raci-no-responsible.yaml",
        17,
        11,
        "raci-responsible",
        "task 'call-brigade' has no responsible role",
        "mark the role that does the work",
    ),
    # template placeholders: positions inside a '|' body are exact, and inside a '>' body too
    (
        "undeclared-placeholder.yaml",
        47,
        20,
        "undeclared-placeholder",
        "placeholder 'city' is used but not declared",
        "declare 'city' under 'placeholders'",
    ),
    (
        "unused-placeholder.yaml",
        51,
        7,
        "unused-placeholder",
        "placeholder 'floor' is declared but not used in the body",
        "use '{{ floor }}' in the body or remove the declaration",
    ),
    (
        "bad-placeholder.yaml",
        47,
        18,
        "bad-placeholder",
        "'{{ fire brigade }}' is not a placeholder name",
        "write '{{ name }}' with lower-case letters, digits and underscores",
    ),
    (
        "bad-placeholder-folded.yaml",
        47,
        16,
        "bad-placeholder",
        "'{{ fire brigade }}' is not a placeholder name",
        "write '{{ name }}'",
    ),
    # review dates (the fixture organisation allows 180 days; today is 2026-11-26)
    (
        "stale-review.yaml",
        7,
        16,
        "stale-review",
        "last reviewed 329 days ago, more than the 180 days allowed",
        "review the playbook with its owner and update 'last_reviewed'",
    ),
    (
        "future-review.yaml",
        7,
        16,
        "future-review",
        "last_reviewed is 28 days in the future",
        "use the date of the last real review",
    ),
    # organisation names: at the '{' of the reference, in plain, folded and quoted text
    (
        "unknown-org-name.yaml",
        28,
        55,
        "unknown-org-name",
        "'{org.brigade}' is not a name in the organisation file",
        "use one of: channel, team, or add 'brigade' under 'names' there",
    ),
    (
        "unknown-org-name-folded.yaml",
        36,
        33,
        "unknown-org-name",
        "'{org.neighbours}' is not a name in the organisation file",
        "add 'neighbours' under 'names'",
    ),
    (
        "unknown-org-name-quoted.yaml",
        2,
        21,
        "unknown-org-name",
        "'{org.brgade}' is not a name in the organisation file",
        "add 'brgade' under 'names'",
    ),
]


@pytest.mark.parametrize(("fixture", "line", "col", "code", "message", "hint"), CASES, ids=[c[0] for c in CASES])
def test_problem_is_reported_where_it_is(only_problem, fixture, line, col, code, message, hint):
    problem = only_problem(fixture)
    message = message.replace(HERE, shown(BROKEN))
    assert (problem.line, problem.col, problem.code, problem.message) == (line, col, code, message)
    assert hint in problem.hint
    assert problem.is_error == (code != "stale-review")


def test_every_graph_fixture_is_in_the_table():
    on_disk = {path.name for path in BROKEN.iterdir() if not path.name.startswith(("yaml-", "schema-"))}
    assert on_disk - {"several-problems.yaml"} == {case[0].split("/")[0] for case in CASES}


def test_every_problem_of_a_file_is_reported_at_once(load_paths):
    found = [(d.line, d.col, d.code, d.message) for d in load_paths([BROKEN / "several-problems.yaml"]).diagnostics]
    assert found == [
        (28, 17, "dangling-next", "answer 'smoke' leads to 'smoke', which is not a node of this tree"),
        (34, 18, "unknown-role", "role 'chief' is not defined in any playbook"),
        (38, 16, "outcome-without-actions", "outcome 'wait' has no actions"),
        (39, 5, "unreachable", "node 'orphan' cannot be reached from any start"),
        (44, 5, "unreachable", "node 'look' cannot be reached from any start"),
        (47, 9, "too-few-answers", "question 'look' has only one answer, so it is not a choice"),
        (49, 17, "cycle", "answer 'smoke' of 'look' loops back: look → look"),
    ]


def test_a_broken_file_holds_back_references_that_could_point_into_it(load_paths):
    # 'chief' might be a role of the file that failed to load, so only the YAML problem is reported
    project = load_paths([BROKEN / "yaml-syntax.yaml", BROKEN / "unknown-role-owner.yaml"])
    assert [d.code for d in project.diagnostics] == ["yaml-syntax"]


@pytest.mark.parametrize("jump", [True, False], ids=["with-jump", "without-jump"])
def test_nodes_reached_only_through_another_playbook_count_as_reachable(
    write_playbook, load_paths, valid_playbook, jump
):
    # 'other' starts at its outcome 'act', so its question 'ask' is reached only by a jump from 'fixture'
    other = valid_playbook.replace("id: fixture", "id: other").replace("  start: ask", "  start: act")
    other = other.split("roles:")[0] + "tree:" + other.split("tree:")[1].replace("          owner: lead\n", "")
    write_playbook(other, "other.yaml")
    fixture = valid_playbook
    if jump:
        third = "        - id: elsewhere\n          label: Ask the other playbook\n          next: other#ask\n"
        fixture = fixture.replace("          next: wait\n", "          next: wait\n" + third)
    folder = write_playbook(fixture, "fixture.yaml").parent
    found = [(Path(d.path).name, d.line, d.code) for d in load_paths([folder]).diagnostics]
    # without the jump, 'ask' and the 'wait' only 'ask' leads to are unreachable
    assert found == ([] if jump else [("other.yaml", 11, "unreachable"), ("other.yaml", 25, "unreachable")])


class TestFreshness:
    def test_within_the_organisation_limit_no_warning(self, load_text, valid_playbook):
        assert load_text(valid_playbook).diagnostics == []  # reviewed 25 days before the fixed today

    def test_max_age_overrides_the_organisation_file(self, load_paths):
        assert load_paths([BROKEN / "stale-review.yaml"], max_age_days=400).diagnostics == []

    def test_max_age_makes_a_recent_review_stale(self, load_text, valid_playbook):
        [warning] = load_text(valid_playbook, max_age_days=10).diagnostics
        assert (warning.line, warning.col, warning.code, warning.is_error) == (7, 16, "stale-review", False)
        assert warning.message == "last reviewed 25 days ago, more than the 10 days allowed"
        assert str(warning).endswith(
            ":7:16: warning: last reviewed 25 days ago, more than the 10 days allowed; "
            "review the playbook with its owner and update 'last_reviewed' [stale-review]"
        )

    def test_a_warning_does_not_make_the_project_fail(self, load_paths):
        project = load_paths([BROKEN / "stale-review.yaml"])
        assert project.ok
        assert [d.code for d in project.diagnostics] == ["stale-review"]
