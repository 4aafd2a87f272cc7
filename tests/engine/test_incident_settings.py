"""The organisation's ``incident:`` section (status-page cadence, severities) and a placeholder's ``fact:``: both
optional, both checked where they are written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.engine.facts import FACT_NAMES, FACT_OR_FIELD_NAMES, ROW_FIELDS, SINGLE_FACTS
from macros.engine.loader import load_organisation, load_project
from macros.engine.models import IncidentSettings

ORG_HEAD = "names:\n  team: Team Fixture\n"
TEMPLATE = """\
templates:
  - id: note
    title: Note
    channel: chat
    audience: Everyone
    filename: note.md
    body: |
      {{ product_name }} for {{ incident_name }}
    placeholders:
      product_name:
        description: The products.
        example: Analytics
        fact: FACT
      incident_name:
        description: The incident.
        example: INC-1
"""


def org_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "organisation.yaml"
    path.write_text(ORG_HEAD + text, encoding="utf-8")
    return path


def test_our_organisation_updates_the_status_page_every_six_hours():
    project = load_project()
    assert project.organisation.incident == IncidentSettings()
    assert project.organisation.incident.status_page_every_hours == 6
    assert project.organisation.incident.status_page_warn_minutes == 60
    assert project.organisation.incident.severities == ["Critical", "Major", "Minor"]


def test_the_section_is_optional(tmp_path: Path):
    org, problems = load_organisation(org_file(tmp_path, ""))
    assert problems == [] and org.incident == IncidentSettings()


def test_a_section_of_its_own_is_read(tmp_path: Path):
    text = "incident:\n  status_page_every_hours: 4\n  status_page_warn_minutes: 0\n  severities: [SEV1, SEV2]\n"
    org, problems = load_organisation(org_file(tmp_path, text))
    assert problems == [], "\n".join(map(str, problems))
    assert (org.incident.status_page_every_hours, org.incident.status_page_warn_minutes) == (4, 0)
    assert org.incident.severities == ["SEV1", "SEV2"]


@pytest.mark.parametrize(
    ("section", "line", "col", "says"),
    [
        ("  status_page_every_hours: 0\n", 4, 28, "greater than or equal to 1"),
        ("  status_page_every_hours: 169\n", 4, 28, "less than or equal to 168"),
        ("  status_page_every_hours: six\n", 4, 28, "status_page_every_hours"),
        ("  status_page_warn_minutes: -1\n", 4, 29, "greater than or equal to 0"),
        ("  status_page_warn_minutes: 1441\n", 4, 29, "less than or equal to 1440"),
        ("  severities: []\n", 4, 15, "severities"),
        ("  severities: [" + ", ".join(f"S{i}" for i in range(13)) + "]\n", 4, 15, "severities"),
        ("  severities: [Critical, '']\n", 4, 26, "empty"),
        ("  severities: [" + "x" * 41 + "]\n", 4, 16, "at most 40 characters"),
        ("  severities: [Critical, Major, Critical]\n", 4, 15, "Critical is listed more than once"),
        ("  every_hours: 6\n", 4, 3, "every_hours"),
    ],
)
def test_a_wrong_setting_is_located(tmp_path: Path, section: str, line: int, col: int, says: str):
    org, problems = load_organisation(org_file(tmp_path, "incident:\n" + section))
    assert org is None and len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert (problem.line, problem.col) == (line, col), str(problem)
    assert says in problem.message, str(problem)
    assert problem.hint, "every problem says how to fix it"


def test_the_facts_are_the_products_own_and_named_once():
    assert len(FACT_NAMES) == len(set(FACT_NAMES))
    assert len(FACT_OR_FIELD_NAMES) == len(set(FACT_OR_FIELD_NAMES))
    assert set(FACT_OR_FIELD_NAMES) == {*FACT_NAMES, *(key for keys in ROW_FIELDS.values() for key in keys)}
    assert {f["kind"] for f in SINGLE_FACTS} <= {"text", "long", "time", "choice", "yesno"}
    assert not set(ROW_FIELDS) & set(FACT_OR_FIELD_NAMES), "row group ids are no fact names"


def _project(tmp_path: Path, valid_playbook: str, fact: str):
    folder = tmp_path / "pb"
    folder.mkdir()
    (folder / "fixture.yaml").write_text(valid_playbook + TEMPLATE.replace("FACT", fact), encoding="utf-8")
    return load_project([folder], org_file=org_file(tmp_path, ""))


@pytest.mark.parametrize("fact", ["product_names", "status_page_next_due_utc", "comms_lead", "product"])
def test_a_fact_or_a_row_field_may_be_named(tmp_path: Path, valid_playbook: str, fact: str):
    project = _project(tmp_path, valid_playbook, fact)
    assert project.ok, "\n".join(map(str, project.diagnostics))
    assert project.templates["note"].placeholders["product_name"].fact == fact


@pytest.mark.parametrize("fact", ["product_nmes", "products", "Product_names", "''"])
def test_a_wrong_fact_is_located_and_lists_the_names(tmp_path: Path, valid_playbook: str, fact: str):
    project = _project(tmp_path, valid_playbook, fact)
    assert not project.ok
    problems = project.diagnostics
    assert len(problems) == 1, "\n".join(map(str, problems))
    fact_line = valid_playbook.count("\n") + TEMPLATE.split("\n").index("        fact: FACT") + 1
    assert (problems[0].line, problems[0].col) == (fact_line, 15), str(problems[0])
    text = str(problems[0])
    assert "'fact'" in text and "'product_names'" in text and "'incident_name'" in text, text


def test_the_playbook_format_names_every_fact_and_row_field():
    page = (Path(__file__).resolve().parents[2] / "docs" / "reference" / "playbook-format.md").read_text("utf-8")
    section = page.split("## Templates filled from an incident", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([a-z_]+)`", section))
    assert set(FACT_OR_FIELD_NAMES) <= named, f"not documented: {sorted(set(FACT_OR_FIELD_NAMES) - named)}"
