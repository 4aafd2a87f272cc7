"""Every template of the real playbooks, filled in with its placeholders' examples, passes the draft checker for
its own scope (who reads it, before or after resolution, whether the incident is about security), except the
rules it declares it breaks in ``draft.breaks``; and each declared break really fires, so a declaration cannot go
stale. The controls at the end show these checks fail when they should.
"""

from __future__ import annotations

import pytest

from macros.engine import drafts
from macros.engine.draft_rules import RuleSet
from macros.engine.loader import Project, load_project
from macros.engine.models import KnownBreak, Template
from macros.render.checker import example_text
from macros.render.plan import PLACEHOLDER

PROJECT = load_project()
TEMPLATES = [(pb.id, t) for pb in PROJECT.playbooks.values() for t in pb.templates]


@pytest.fixture(scope="module")
def project() -> Project:
    assert PROJECT.ok, "the real playbooks are invalid:\n" + "\n".join(map(str, PROJECT.diagnostics))
    assert PROJECT.draft_rules is not None
    return PROJECT


def filled(template: Template) -> str:
    """The template as a draft of it would be sent: in its channel's form, each placeholder filled with its example
    (the text the checker's page starts from)."""
    return example_text(template)


def scope_of(template: Template) -> drafts.Scope:
    return drafts.Scope(template.draft_audience, template.draft_state, template.draft.security)


def review(template: Template, rules: RuleSet) -> tuple[list[str], list[str]]:
    """(findings of rules the template does not declare it breaks, declared breaks that do not fire), each as a
    line of a failure message."""
    text = filled(template)
    found = drafts.check(text, rules, scope_of(template))
    declared = {b.rule for b in template.draft.breaks}
    lines = text.split("\n")
    unexpected = [
        f"{f}\n      in: {lines[f.line - 1].strip()[:160]!r}" for f in found if f.rule not in declared
    ]
    fired = {f.rule for f in found}
    stale = [f"'{b.rule}' (why: {b.why})" for b in template.draft.breaks if b.rule not in fired]
    return unexpected, stale


def where(playbook_id: str, template: Template) -> str:
    s = scope_of(template)
    return f"template '{template.id}' of {playbook_id} ({s.audience}, {s.state}, security={s.security})"


@pytest.mark.parametrize(("playbook_id", "template"), TEMPLATES, ids=[t.id for _, t in TEMPLATES])
def test_template_passes_the_draft_rules_of_its_scope(project: Project, playbook_id: str, template: Template) -> None:
    unexpected, _ = review(template, project.draft_rules)
    assert not unexpected, (
        f"{where(playbook_id, template)}, filled with its examples, gets findings it does not declare; reword the "
        "template or its examples, or declare the break with a true reason under draft.breaks:\n    "
        + "\n    ".join(unexpected)
    )


@pytest.mark.parametrize(("playbook_id", "template"), TEMPLATES, ids=[t.id for _, t in TEMPLATES])
def test_declared_breaks_fire(project: Project, playbook_id: str, template: Template) -> None:
    _, stale = review(template, project.draft_rules)
    assert not stale, (
        f"{where(playbook_id, template)} declares breaks that no longer happen; take them out of draft.breaks:\n    "
        + "\n    ".join(stale)
    )


def test_the_playbooks_have_templates_for_customers_and_for_ourselves() -> None:
    audiences = {t.draft_audience for _, t in TEMPLATES}
    assert {"customer", "internal"} <= audiences, f"templates read as {sorted(audiences)}: too few to check"


# ------------------------------------------------------------------------------------------ negative controls


def _a_customer_email(project: Project) -> Template:
    found = [t for _, t in TEMPLATES if t.draft_audience == "customer" and not t.draft.breaks]
    assert found, "no customer template without declared breaks to use as a control"
    return found[0]


def test_control_status_speak_in_a_body_is_found(project: Project) -> None:
    template = _a_customer_email(project)
    assert review(template, project.draft_rules) == ([], [])
    broken = template.model_copy(update={"body": template.body + "\n\nSome users saw degraded performance."})
    unexpected, _ = review(broken, project.draft_rules)
    assert any("status-speak" in line and "degraded performance" in line for line in unexpected), unexpected


def test_control_an_example_is_checked_too(project: Project) -> None:
    template = _a_customer_email(project)
    used = PLACEHOLDER.search(template.body)
    assert used is not None and used.group(1) in template.placeholders, "the control needs a placeholder in use"
    name = used.group(1)
    worse = template.placeholders[name].model_copy(update={"example": "a subset of users"})
    broken = template.model_copy(update={"placeholders": {**template.placeholders, name: worse}})
    unexpected, _ = review(broken, project.draft_rules)
    assert any("vague-who" in line for line in unexpected), unexpected


def test_control_an_unfilled_placeholder_is_found(project: Project) -> None:
    template = _a_customer_email(project)
    broken = template.model_copy(update={"body": template.body + "\n\nSee {{ no_such_placeholder }}."})
    unexpected, _ = review(broken, project.draft_rules)
    assert any("placeholder-left" in line for line in unexpected), unexpected


def test_control_a_stale_break_is_found(project: Project) -> None:
    template = _a_customer_email(project)
    stale_break = KnownBreak(rule="social-post", why="it links to our social accounts")
    broken = template.model_copy(update={"draft": template.draft.model_copy(update={"breaks": [stale_break]})})
    unexpected, stale = review(broken, project.draft_rules)
    assert unexpected == [] and len(stale) == 1 and "social-post" in stale[0], (unexpected, stale)


def test_control_a_declared_break_is_let_through(project: Project) -> None:
    template = _a_customer_email(project)
    body = template.body + "\n\nFollow us on social media for more."
    known = KnownBreak(rule="social-post", why="a control")
    broken = template.model_copy(
        update={"body": body, "draft": template.draft.model_copy(update={"breaks": [known]})}
    )
    assert review(broken, project.draft_rules) == ([], [])
