"""An organisation's own draft rules (``playbooks/draft-rules.yaml``), from the side of someone editing them.

The file replaces the default rules; each problem in it is reported at the line and column to edit, with a
hint, and the project check fails on it, in :func:`load_project` and in ``python -m macros check`` alike. So
does a template that says it breaks a rule the rules do not have.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.engine import draft_rules, drafts
from macros.engine.diagnostics import errors
from macros.engine.files import shown
from macros.engine.loader import Project, load_organisation
from tests.conftest import ORG_FIXTURE, VALID_PLAYBOOK, load

HEAD = "format: incident-comms-playbook/draft-rules\nversion: 1\nrules:\n"
RULE = """\
  - id: mine
    kind: phrase
    phrases: [fixture phrase, another one]
    message: a phrase of this organisation's own
    suggestion: write it another way
"""
TEMPLATE = """\
templates:
  - id: fixture-email
    title: Fixture email
    channel: email
    audience: Testers
    filename: templates/fixture.md
    body: |
      Exports did not work for you from 09:40 to 10:10. See the status page.
    draft:
      breaks:
        - rule: {rule}
          why: It is a test.
"""
BREAK_LINE = len((VALID_PLAYBOOK + TEMPLATE).splitlines()[:-1])  # the line of '- rule: ...'


def default_ids() -> list[str]:
    organisation, _ = load_organisation(ORG_FIXTURE)
    rules, _ = draft_rules.load(draft_rules.DEFAULT_FILE, organisation)
    return [item.rule.id for item in rules.rules]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A playbook folder: the fixture organisation and one valid playbook."""
    shutil.copy(ORG_FIXTURE, tmp_path / "organisation.yaml")
    (tmp_path / "fixture.yaml").write_text(VALID_PLAYBOOK, encoding="utf-8")
    return tmp_path


def with_rules(folder: Path, text: str) -> Project:
    (folder / "draft-rules.yaml").write_text(text, encoding="utf-8")
    return load([folder])


# --- the own file replaces the default -------------------------------------------------------------------


def test_without_an_own_file_the_default_rules_apply(folder):
    project = load([folder])
    assert project.ok, project.diagnostics
    assert project.draft_rules.path == shown(draft_rules.DEFAULT_FILE)
    assert "hedge" in [item.rule.id for item in project.draft_rules.rules]


def test_an_own_rules_file_replaces_the_default(folder):
    project = with_rules(folder, HEAD + RULE)
    assert project.ok, project.diagnostics
    assert project.draft_rules.path == shown(folder / "draft-rules.yaml")
    assert [item.rule.id for item in project.draft_rules.rules] == ["mine"]
    assert shown(folder / "draft-rules.yaml") in project.files
    text = "We believe the root cause is a Fixture\n  Phrase."  # 'hedge' and 'cause-too-early' of the default
    found = drafts.check(text, project.draft_rules, drafts.Scope("customer", "ongoing", False))
    assert [(f.rule, f.line, f.col) for f in found] == [("mine", 1, 32)]


def test_a_template_may_break_a_rule_of_the_own_file(folder):
    (folder / "fixture.yaml").write_text(VALID_PLAYBOOK + TEMPLATE.format(rule="mine"), encoding="utf-8")
    project = with_rules(folder, HEAD + RULE)
    assert errors(project.diagnostics) == []


def test_a_template_that_breaks_an_unknown_rule_is_an_error_at_the_rule(folder):
    path = folder / "fixture.yaml"
    path.write_text(VALID_PLAYBOOK + TEMPLATE.format(rule="no-such-rule"), encoding="utf-8")
    project = load([folder])
    assert not project.ok
    [problem] = errors(project.diagnostics)
    where = (problem.path, problem.line, problem.col, problem.code)
    assert where == (shown(path), BREAK_LINE, 17, "unknown-draft-rule")
    assert problem.message == (
        "template 'fixture-email' says it breaks the draft rule 'no-such-rule', which macros/engine/draft-rules.yaml "
        "does not have"
    )
    assert problem.hint == f"use one of: {', '.join(default_ids())}"


def test_a_rule_of_the_default_is_unknown_once_an_own_file_replaces_it(folder):
    path = folder / "fixture.yaml"
    path.write_text(VALID_PLAYBOOK + TEMPLATE.format(rule="before-resolution"), encoding="utf-8")
    assert load([folder]).ok
    project = with_rules(folder, HEAD + RULE)
    [problem] = errors(project.diagnostics)
    assert (problem.line, problem.col, problem.code) == (BREAK_LINE, 17, "unknown-draft-rule")
    assert f"which {shown(folder / 'draft-rules.yaml')} does not have" in problem.message
    assert problem.hint == "use one of: mine"


# --- each problem at its line and column, with a hint -----------------------------------------------------

PATTERN_RULE = """\
  - id: pat
    kind: pattern
    patterns:
      - 'fine'
      - {pattern}
    message: m
    suggestion: s
"""


def pattern_rule(pattern: str) -> str:
    return HEAD + RULE + PATTERN_RULE.format(pattern=pattern)


PROBLEMS = {
    # name: (file text, line, col, code, in the message, in the hint)
    "broken-regex": (
        pattern_rule("'ab(c'"), 13, 12, "unsafe-pattern", "rule 'pat': pattern 'ab(c': '(' is never closed",
        "add ')'",
    ),
    "catastrophic": (
        pattern_rule("'(a+)+$'"), 13, 12, "unsafe-pattern", "pattern '(a+)+$': '+' repeats without end",
        "{1,20} for '+'",
    ),
    "nested-repeat": (
        pattern_rule('"x(a|aa){1,50}"'), 13, 11, "unsafe-pattern", "a repeated group holds a count or an alternative",
        "repeat only plain text",
    ),
    "too-many-ways": (
        pattern_rule("'[a-z]{0,99}[a-z]{0,99}'"), 13, 21, "unsafe-pattern", "10,000 ways of matching",
        "fewer or smaller counts",
    ),
    "folded-pattern": (
        pattern_rule(">-\n        a b\n        c{2,}"), 15, 10, "unsafe-pattern", "'{2,}' repeats without end",
        "give the most",
    ),
    "empty-phrase": (
        HEAD + RULE.replace("[fixture phrase, another one]", "['fixture', '   ']"), 6, 26, "schema-string-too-short",
        "rule 'mine': item 1 is empty", "write some text",
    ),
    "unknown-kind": (
        HEAD + RULE.replace("kind: phrase", "kind: phrasing"), 5, 11, "schema-union-tag-invalid",
        "rule 'mine': unknown kind 'phrasing'",
        "use one of: phrase, pattern, must-mention, first-sentence, sentence-length, reading-ease, internal-names, "
        "notice",
    ),
    "no-kind": (
        HEAD + RULE.replace("    kind: phrase\n", ""), 4, 5, "schema-union-tag-not-found",
        "rule 'mine': the rule has no 'kind'", "use one of: phrase, pattern",
    ),
    "missing-message": (
        HEAD + RULE.replace("    message: a phrase of this organisation's own\n", ""), 4, 5, "schema-missing",
        "rule 'mine': missing required key 'message'", "add 'message: ...'",
    ),
    "empty-message": (
        HEAD + RULE.replace("message: a phrase of this organisation's own", "message: ''"), 7, 14,
        "schema-string-too-short", "rule 'mine': 'message' is empty", "write some text",
    ),
    "unknown-key-in-a-rule": (
        HEAD + RULE + "    audience: [customer]\n", 9, 5, "schema-extra-forbidden",
        "rule 'mine': unknown key 'audience' for a rule of kind 'phrase'", "(allowed here: audiences, states",
    ),
    "bad-audience": (
        HEAD + RULE + "    audiences: [customers]\n", 9, 17, "schema-literal-error",
        "rule 'mine': item 0: 'customers' is not allowed", "'customer', 'internal' or 'status-page'",
    ),
    "max-words-too-small": (
        HEAD + "  - id: long\n    kind: sentence-length\n    max_words: 2\n    message: m\n    suggestion: s\n", 6, 16,
        "schema-greater-than-equal", "rule 'long': 'max_words'", "write a number of at least 5",
    ),
    "duplicate-id": (
        HEAD + RULE + RULE, 9, 9, "duplicate-id", "rule id 'mine' is already used (line 4)", "another id",
    ),
    "reserved-id": (
        HEAD + RULE.replace("id: mine", "id: draft-too-long"), 4, 9, "reserved-id",
        "the rule id 'draft-too-long' is the checker's own", "another id",
    ),
    "wrong-format": (
        HEAD.replace("draft-rules\n", "drafts\n") + RULE, 1, 9, "schema-literal-error",
        "'format': 'incident-comms-playbook/drafts' is not allowed", "'incident-comms-playbook/draft-rules'",
    ),
    "wrong-version": (
        HEAD.replace("version: 1", "version: 2") + RULE, 2, 10, "schema-less-than-equal",
        "'version': '2' is not a version of this format", "write 'version: 1'",
    ),
    "version-not-a-number": (
        HEAD.replace("version: 1", "version: one") + RULE, 2, 10, "schema-int-parsing",
        "'version' should be a whole number, not 'one'", "fix the value's type",
    ),
    "no-rules-key": (
        HEAD.replace("rules:\n", ""), 1, 1, "schema-missing", "missing required key 'rules'", "add 'rules: ...'",
    ),
    "no-rules": (
        HEAD.replace("rules:\n", "rules: []\n"), 3, 8, "schema-too-short", "'rules': list should have at least 1 item",
        "macros/engine/draft-rules.yaml",
    ),
    "unknown-top-level-key": (
        HEAD + RULE + "extra: 1\n", 9, 1, "schema-extra-forbidden", "unknown key 'extra'", "remove it",
    ),
    "yaml-syntax": (
        HEAD + RULE + "  - id: [\n", 10, 1, "yaml-syntax", "YAML syntax error", "check indentation",
    ),
    "yaml-tab": (
        HEAD + RULE.replace("    message", "\tmessage"), 7, 1, "yaml-syntax", "YAML syntax error", "check indentation",
    ),
    "a-list": (
        "- id: mine\n  kind: phrase\n", 1, 1, "yaml-top-level",
        "the file holds a list, but a rules file is a mapping of keys to values",
        "start the file with 'format: incident-comms-playbook/draft-rules', 'version: 1' and 'rules:'",
    ),
    "a-single-value": (
        "rules\n", 1, 1, "yaml-top-level", "the file holds a single value, but a rules file is a mapping",
        "start the file with 'format:",
    ),
    "empty": ("", 1, 1, "yaml-empty", "the rules file is empty", "delete it for the default rules"),
    "only-comments": ("# no rules yet\n", 1, 1, "yaml-empty", "the rules file is empty", "start the file with"),
    "bidi-control-in-a-phrase": (
        HEAD + RULE.replace("fixture phrase", "fixture \u202ephrase"), 6, 23, "invisible-control",
        "U+202E (RIGHT-TO-LEFT OVERRIDE)", "remove it",
    ),
}


@pytest.mark.parametrize("name", PROBLEMS)
def test_a_problem_of_the_rules_file_is_located_with_a_hint(folder, name):
    text, line, col, code, message, hint = PROBLEMS[name]
    project = with_rules(folder, text)
    assert not project.ok
    assert project.draft_rules is None
    problems = errors(project.diagnostics)
    assert len(problems) == 1, "\n".join(map(str, problems))
    [problem] = problems
    assert problem.path == shown(folder / "draft-rules.yaml")
    assert (problem.line, problem.col, problem.code) == (line, col, code), str(problem)
    assert message in problem.message
    assert hint in problem.hint
    assert "a playbook" not in problem.message + problem.hint, "told of a playbook, not of the rules file"
    assert "playbook format" not in problem.hint
    assert "Traceback" not in str(problem)


def test_every_problem_of_the_file_is_reported_at_once(folder):
    text = HEAD + RULE + RULE.replace("id: mine", "id: pat") + PATTERN_RULE.format(pattern="'a*'")
    project = with_rules(folder, text)
    found = [(p.line, p.col, p.code) for p in errors(project.diagnostics)]
    assert found == [(14, 9, "duplicate-id"), (18, 11, "unsafe-pattern")]


# --- through the command line -----------------------------------------------------------------------------


def test_python_m_macros_check_stops_on_a_broken_rules_file(cli, folder):
    (folder / "draft-rules.yaml").write_text(pattern_rule("'(a+)+$'"), encoding="utf-8")
    result = cli("check", folder, "--org", ORG_FIXTURE, "--today", "2026-11-26", "--no-cache")
    assert "Traceback" not in result.stdout + result.stderr
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [
        f"{shown(folder / 'draft-rules.yaml')}:13:12: error: rule 'pat': pattern '(a+)+$': '+' repeats without end, "
        "which can take minutes on a long draft; give the most it may repeat: {0,20} for '*', {1,20} for '+' "
        "[unsafe-pattern]",
        "1 error, 0 warnings in 2 files",
    ]


def test_python_m_macros_check_stops_on_an_unknown_broken_rule(cli, folder):
    path = folder / "fixture.yaml"
    path.write_text(VALID_PLAYBOOK + TEMPLATE.format(rule="no-such-rule"), encoding="utf-8")
    result = cli("check", folder, "--org", ORG_FIXTURE, "--today", "2026-11-26", "--no-cache")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1
    first, summary = result.stdout.splitlines()
    assert first.startswith(f"{shown(path)}:{BREAK_LINE}:17: error: template 'fixture-email' says it breaks the draft "
                            "rule 'no-such-rule'")
    assert first.endswith("[unknown-draft-rule]")
    assert summary == "1 error, 0 warnings in 1 file"


@pytest.mark.parametrize("name", ["catastrophic", "unknown-kind", "duplicate-id", "a-list", "empty", "yaml-syntax"])
def test_python_m_macros_check_prints_each_problem_located(cli, folder, name):
    text, line, col, code, _, _ = PROBLEMS[name]
    (folder / "draft-rules.yaml").write_text(text, encoding="utf-8")
    result = cli("check", folder, "--org", ORG_FIXTURE, "--today", "2026-11-26", "--no-cache")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{shown(folder / 'draft-rules.yaml')}:{line}:{col}: error: ")
    assert first.endswith(f"[{code}]")


# --- whatever the file holds ----------------------------------------------------------------------------------

PIECES = st.sampled_from([
    "", " ", "\n", "\t", ":", "- ", "[", "]", "{", "}", "'", '"', "#", "&a", "*a", "!!python/object ", "~", "null",
    "kind: pattern", "kind: nothing", "patterns: ['(a+)+']", "patterns: ['a{1,9}']", "id: draft-too-long", "id: mine",
    "message:", "version: 3", "rules:", "a" * 300, "\u202e", "\x00", "\ufeff", "\r", "\x85", "é", "😀",
    "- id: x\n    kind: notice",
])
FULL = HEAD + RULE + PATTERN_RULE.format(pattern="'\\bwithin [0-9]{1,3} minutes\\b'")


@settings(derandomize=True, database=None, deadline=None, max_examples=300)
@given(st.integers(0, len(FULL)), st.integers(0, 40), st.lists(PIECES, max_size=4))
def test_whatever_the_file_holds_its_problems_are_located_never_raised(start, cut, pieces):
    text = FULL[:start] + "".join(pieces) + FULL[start + cut:]
    organisation, _ = load_organisation(ORG_FIXTURE)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "draft-rules.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        rules, problems = draft_rules.load(path, organisation)
    lines = re.split("\r\n|[\n\r\x85\u2028\u2029]", text)  # line breaks as YAML counts them
    assert (rules is None) == any(p.is_error for p in problems)
    for problem in problems:
        assert 1 <= problem.line <= len(lines) + 1, problem
        assert problem.col >= 1, problem
        assert problem.message and problem.code
