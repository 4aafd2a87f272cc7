"""The content of the real playbooks, checked against the guideline they encode.

- Our own words: no run of ``MIN_SHARED_RUN`` or more words is shared with the guideline's text (a copy of it is
  in ``fixtures/guideline/``), so the playbooks paraphrase it rather than copy it.
- The right moment: no template meant for after the resolution is offered on a walk that is still before it,
  and the other way round.
- The appointment chain and the status page rows of the responsibility matrix say who is responsible and
  accountable, as the guideline does.
- Every step has an owner, and the status page nudge is offered only where something is off.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from macros.engine.graph import NodeKey
from macros.engine.loader import Project, load_project
from macros.engine.models import Action, Outcome, Question

SEED_COPY = Path(__file__).parent / "fixtures" / "guideline" / "incident-comms-guidelines.txt"
# Where the guideline lives next to this project while it is worked on; when it is there, the copy must match.
SEED_SHARED = Path(os.environ.get("GUIDELINE_SEED", "/work/shared/seed/incident-comms-guidelines.txt"))

# Runs of this many words or more, shared with the guideline, fail. Six-word runs of ordinary English and of
# the facts we must keep ("with the Incident Lead in the incident Slack channel") are hard to avoid; seven
# words are a copied phrase. Organisation names count as one word, on both sides.
MIN_SHARED_RUN = 7


@pytest.fixture(scope="module")
def project() -> Project:
    loaded = load_project()
    assert loaded.ok, "the real playbooks are invalid:\n" + "\n".join(map(str, loaded.diagnostics))
    return loaded


# ---------------------------------------------------------------------------------------------- own words

WORD = re.compile(r"[a-z0-9]+")


def _strings(value: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


def playbook_texts(project: Project) -> Iterator[tuple[str, str]]:
    """Every text of every playbook (organisation names already filled in), and the guideline map's."""
    for playbook_id, playbook in project.playbooks.items():
        yield from _strings(playbook.model_dump(mode="json"), playbook_id)
    if project.guideline_map is not None:
        yield from _strings(project.guideline_map.model_dump(mode="json"), "guideline-map")


def tokenizer(project: Project) -> Callable[[str], list[str]]:
    """Text → lower-case words, each organisation name of two words or more as one word."""
    assert project.organisation is not None
    names = sorted(
        ((key, value) for key, value in project.organisation.values.items() if len(WORD.findall(value.lower())) > 1),
        key=lambda item: -len(item[1]),
    )
    patterns = [(re.compile(re.escape(value), re.IGNORECASE), f" org{key.replace('_', '')} ") for key, value in names]

    def words(text: str) -> list[str]:
        for pattern, token in patterns:
            text = pattern.sub(token, text)
        return WORD.findall(text.lower())

    return words


def shared_runs(seed_words: list[str], texts: Iterator[tuple[str, str]], words, length: int) -> list[str]:
    """Each place and the longest run of at least ``length`` words it shares with the seed."""
    grams = {tuple(seed_words[i : i + length]) for i in range(len(seed_words) - length + 1)}
    found = []
    for where, text in texts:
        tokens = words(text)
        i = 0
        while i <= len(tokens) - length:
            if tuple(tokens[i : i + length]) in grams:
                end = i + length
                while end < len(tokens) and tuple(tokens[end - length + 1 : end + 1]) in grams:
                    end += 1
                found.append(f"{where}: {' '.join(tokens[i:end])}")
                i = end
            else:
                i += 1
    return found


def test_the_guideline_copy_is_current() -> None:
    assert SEED_COPY.is_file()
    if SEED_SHARED.is_file():
        assert SEED_COPY.read_text(encoding="utf-8") == SEED_SHARED.read_text(encoding="utf-8"), (
            f"{SEED_COPY} differs from {SEED_SHARED}: copy it again"
        )


def test_no_phrase_of_the_guideline_is_copied(project: Project) -> None:
    words = tokenizer(project)
    seed = words(SEED_COPY.read_text(encoding="utf-8"))
    found = shared_runs(seed, playbook_texts(project), words, MIN_SHARED_RUN)
    assert not found, f"runs of {MIN_SHARED_RUN}+ words copied from the guideline; say them in our own words:\n" + (
        "\n".join(found)
    )


def test_the_copy_check_finds_a_copied_sentence(project: Project) -> None:
    """Negative control: one sentence of the guideline, pasted into a text, is found, with the org name as one word."""
    words = tokenizer(project)
    seed = words(SEED_COPY.read_text(encoding="utf-8"))
    pasted = [("pasted", "Note: it's better to be slower and correct than fast and wrong, as always.")]
    assert shared_runs(seed, iter(pasted), words, MIN_SHARED_RUN) == [
        "pasted: it s better to be slower and correct than fast and wrong"
    ]
    assert words("Ask Team Blitzscale now") == ["ask", "orgfallbackteam", "now"]


# ------------------------------------------------------------------------------------------------ moments

ONGOING, RESOLVED = "before resolution", "after resolution"
# Every step of this playbook comes after the incident is resolved (its title says so).
RESOLVED_PLAYBOOKS = {"after-resolution"}


def answer_moment(answer_id: str) -> str | None:
    """What an answer says about the incident's moment, read from its id: ``ongoing-...`` is before the
    resolution; ``resolved``, ``resolved-...`` and ``postmortem-published`` are after it."""
    if answer_id.startswith("ongoing-"):
        return ONGOING
    if answer_id == "resolved" or answer_id.startswith("resolved-") or answer_id == "postmortem-published":
        return RESOLVED
    return None


def template_moment(title: str) -> str | None:
    """The moment a customer email is written for, read from its title."""
    lowered = title.lower()
    if "ongoing" in lowered or "before resolution" in lowered:
        return ONGOING
    if "resolved" in lowered or "after resolution" in lowered or "post-mortem" in lowered:
        return RESOLVED
    return None


def moments_of_walk(steps: list[NodeKey], answers: list[str], outcome: NodeKey) -> set[str]:
    moments = {m for m in map(answer_moment, answers) if m}
    if any(node[0] in RESOLVED_PLAYBOOKS for node in [*steps, outcome]):
        moments.add(RESOLVED)
    return moments


def timed_templates(project: Project) -> dict[str, str]:
    emails = [t for t in project.templates.values() if t.channel == "email"]
    assert emails, "no customer email to place in time"
    moments = {t.id: template_moment(t.title) for t in emails}
    assert all(moments.values()), f"customer emails whose title does not say when they are for: {moments}"
    return moments  # type: ignore[return-value]


def moment_problems(project: Project, outcome_at: Callable[[NodeKey], Outcome]) -> list[str]:
    timed = timed_templates(project)
    problems = []
    for playbook_id in project.playbooks:
        for path in project.paths(playbook_id):
            steps = [step.node for step in path.steps]
            moments = moments_of_walk(steps, [step.answer for step in path.steps], path.outcome)
            where = path.text(playbook_id)
            if len(moments) > 1:
                problems.append(f"{where}: the walk is both before and after the resolution")
                continue
            moment = next(iter(moments), None)
            for action in outcome_at(path.outcome).actions:
                for template_id in action.templates:
                    meant = timed.get(template_id)
                    if meant is None:
                        continue
                    if moment is not None and meant != moment:
                        problems.append(f"{where}: offers '{template_id}' ({meant}) on a walk {moment}")
                    elif moment is None and not _says_when(action, meant):
                        problems.append(
                            f"{where}: offers '{template_id}' ({meant}) where the moment is unknown, and the step "
                            "does not say when it applies"
                        )
    return sorted(set(problems))


def _says_when(action: Action, moment: str) -> bool:
    text = action.text.lower()
    if moment == ONGOING:
        return "before resolution" in text or "ongoing" in text or "while the incident" in text
    return "resolved" in text or "after resolution" in text or "post-mortem" in text


def _outcome_in(project: Project) -> Callable[[NodeKey], Outcome]:
    def outcome_at(key: NodeKey) -> Outcome:
        node = project.playbooks[key[0]].tree.nodes[key[1]]
        assert isinstance(node, Outcome)
        return node

    return outcome_at


def test_the_moments_are_read_from_the_playbooks(project: Project) -> None:
    """Not vacuous: walks are placed on both sides of the resolution, and emails are meant for both."""
    found = {ONGOING: 0, RESOLVED: 0}
    for playbook_id in project.playbooks:
        for path in project.paths(playbook_id):
            steps = [step.node for step in path.steps]
            for moment in moments_of_walk(steps, [step.answer for step in path.steps], path.outcome):
                found[moment] += 1
    assert found[ONGOING] and found[RESOLVED], found
    assert set(timed_templates(project).values()) == {ONGOING, RESOLVED}


def test_every_step_offers_the_email_for_its_moment(project: Project) -> None:
    problems = moment_problems(project, _outcome_in(project))
    assert not problems, "templates offered at the wrong moment:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("node", "template_id"),
    [
        # the old mistake: the route for reaching everyone while the incident runs offered the resolved email
        (("should-we-communicate", "broad-or-social-exception-early"), "customer-email-resolved"),
        (("should-we-communicate", "email-affected-admins-early"), "customer-email-postmortem"),
        (("should-we-communicate", "email-affected-admins"), "customer-email-ongoing"),
        (("after-resolution", "use-postmortem"), "customer-email-ongoing"),
    ],
)
def test_the_moment_check_finds_a_wrong_link(project: Project, node: NodeKey, template_id: str) -> None:
    """Negative control: the same playbooks with one email linked at the wrong moment fail the check."""
    real = _outcome_in(project)
    outcome = real(node)
    wrong = outcome.model_copy(
        update={
            "actions": [*outcome.actions, Action(text="Send the email.", owner="comms-lead", templates=[template_id])]
        }
    )
    problems = moment_problems(project, lambda key: wrong if key == node else real(key))
    assert any(f"'{template_id}'" in problem and problem.split(":")[0].endswith(node[1]) for problem in problems), (
        problems
    )


# ---------------------------------------------------------------------------------- responsibility matrix


def raci(project: Project, task_id: str) -> dict[str, str]:
    rows = {row.id: row for pb in project.playbooks.values() for row in pb.responsibilities}
    assert task_id in rows, f"no responsibility '{task_id}'"
    return dict(rows[task_id].raci)


def holding(row: dict[str, str], letter: str) -> set[str]:
    return {role for role, value in row.items() if letter in value}


# who is responsible and accountable for each link of the chain that names the Comms Lead, in the guideline's order
APPOINTMENT_CHAIN = {
    "product-pmm-takes-role": "pmm",  # the product's own PMM takes the role
    "pmms-agree-comms-lead": "pmm",  # unclear, or no dedicated PMM: the available PMMs agree on one
    "appoint-comms-lead": "incident-lead",  # no PMM available: the Incident Lead may appoint
    "fallback-appoints-comms-lead": "fallback-team",  # the Incident Lead does not: the fallback team appoints
}


@pytest.mark.parametrize(("task_id", "role"), APPOINTMENT_CHAIN.items())
def test_each_link_of_the_appointment_chain_has_its_row(project: Project, task_id: str, role: str) -> None:
    row = raci(project, task_id)
    assert holding(row, "A") == {role}, row
    assert holding(row, "R") == {role}, row


def test_the_appointment_rows_follow_the_role_card(project: Project) -> None:
    """Every appointer the Comms Lead's role card names is accountable for one row of the chain."""
    accountable = {next(iter(holding(raci(project, task_id), "A"))) for task_id in APPOINTMENT_CHAIN}
    appointers = {link.appointer_role for link in project.roles["comms-lead"].appointment if link.appointer_role}
    assert appointers and appointers <= accountable


def test_the_status_page_is_updated_by_the_incident_lead_and_checked_by_the_comms_lead(project: Project) -> None:
    updates = raci(project, "status-page-updates")
    assert holding(updates, "A") == {"incident-lead"} and holding(updates, "R") == {"incident-lead"}, updates
    accuracy = raci(project, "status-page-accuracy")
    assert holding(accuracy, "A") == {"comms-lead"} and holding(accuracy, "R") == {"comms-lead"}, accuracy
    assert "incident-lead" in accuracy, "the Incident Lead hears when something is off"


def test_every_row_has_one_accountable_and_someone_responsible(project: Project) -> None:
    rows = [row for pb in project.playbooks.values() for row in pb.responsibilities]
    wrong = [row.id for row in rows if len(holding(row.raci, "A")) != 1 or not holding(row.raci, "R")]
    assert rows and not wrong, wrong


# ------------------------------------------------------------------------------------------------ the steps


def outcomes(project: Project) -> Iterator[tuple[NodeKey, Outcome]]:
    for playbook_id, playbook in project.playbooks.items():
        for node_id, node in playbook.tree.nodes.items():
            if isinstance(node, Outcome):
                yield (playbook_id, node_id), node


def test_every_step_has_an_owner(project: Project) -> None:
    ownerless = [f"{key[0]}#{key[1]}: {a.text}" for key, node in outcomes(project) for a in node.actions if not a.owner]
    assert not ownerless, "steps nobody owns:\n" + "\n".join(ownerless)


NUDGE = "status-page-check-schedule"
# The answers that say the status page is off; the nudge belongs only on walks through one of them.
SOMETHING_OFF = {
    (("running-comms", "following"), "status-page-off"),
    (("running-comms", "request"), "asked-update-status-page"),
}


def test_the_status_page_nudge_is_offered_only_when_something_is_off(project: Project) -> None:
    for (playbook_id, node_id), answer_id in SOMETHING_OFF:
        node = project.playbooks[playbook_id].tree.nodes[node_id]
        assert isinstance(node, Question) and answer_id in [a.id for a in node.answers]
    offering = {key for key, node in outcomes(project) if any(NUDGE in a.templates for a in node.actions)}
    assert offering, f"the template '{NUDGE}' is offered nowhere"
    routine = []
    for playbook_id in project.playbooks:
        for path in project.paths(playbook_id):
            if path.outcome in offering and not {(s.node, s.answer) for s in path.steps} & SOMETHING_OFF:
                routine.append(path.text(playbook_id))
    assert not routine, f"'{NUDGE}' offered on routine walks, where posting it is checking in:\n" + "\n".join(routine)
