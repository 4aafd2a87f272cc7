"""What the workspace page is given (``macros/render/workspace_data.py``): JSON, the same every build, with the
organisation's settings, the facts and their rules, the incident file's schema, the draft rules and every template in
every format with the scope its drafts are checked in."""

from __future__ import annotations

import json
from pathlib import Path

from macros.engine.drafts import as_data
from macros.engine.facts import DERIVED, ROW_FACTS, SINGLE_FACTS
from macros.engine.incident_file import MAX_DRAFT, incident_schema
from macros.engine.loader import load_project
from macros.render.formats import FORMATS
from macros.render.plan import compile_template
from macros.render.workspace_data import workspace_data

PROJECT = load_project()
DATA = workspace_data(PROJECT)


def test_it_is_json_and_the_same_every_time():
    text = json.dumps(DATA, ensure_ascii=False, sort_keys=False)
    assert json.loads(text) == DATA
    assert json.dumps(workspace_data(load_project()), ensure_ascii=False) == text


def test_its_keys_and_the_organisations_settings():
    assert list(DATA) == [
        "format", "version", "every_hours", "warn_minutes", "severities", "facts", "rows", "derived", "schema",
        "drafts", "max_draft", "templates",
    ]
    assert DATA["drafts"] == as_data(PROJECT.draft_rules) and DATA["max_draft"] == MAX_DRAFT
    assert (DATA["format"], DATA["version"]) == ("incident-comms-playbook/incident", 1)
    assert (DATA["every_hours"], DATA["warn_minutes"]) == (6, 60)
    assert DATA["severities"] == ["Critical", "Major", "Minor"]
    assert DATA["rows"] == ROW_FACTS and DATA["derived"] == DERIVED and DATA["schema"] == incident_schema()


def test_the_facts_are_the_vocabulary_with_the_severities_as_choices():
    assert [f["key"] for f in DATA["facts"]] == [f["key"] for f in SINGLE_FACTS]
    for given, fact in zip(DATA["facts"], SINGLE_FACTS, strict=True):
        if fact["kind"] == "choice":
            assert given == {**fact, "choices": DATA["severities"]}
        else:
            assert given == fact
    assert all("choices" not in fact for fact in SINGLE_FACTS), "the vocabulary itself is left as it was"


def test_every_template_of_every_playbook_in_order_in_every_format():
    expected = [(pb.id, t.id) for pb in PROJECT.playbooks.values() for t in pb.templates]
    assert [(t["playbook"], t["id"]) for t in DATA["templates"]] == expected
    for entry in DATA["templates"]:
        template = PROJECT.templates[entry["id"]]
        assert list(entry) == ["id", "title", "when", "audience", "channel", "playbook", "file", "formats", "draft"]
        assert entry["draft"] == {
            "audience": template.draft_audience, "state": template.draft_state, "security": template.draft.security,
            "breaks": {known.rule: known.why for known in template.draft.breaks},
        }
        assert (entry["title"], entry["when"], entry["audience"], entry["channel"]) == (
            template.title, template.when, template.audience, template.channel,
        )
        assert entry["file"] == Path(template.filename).name and "/" not in entry["file"]
        assert list(entry["formats"]) == list(FORMATS)
        for fmt, compiled in entry["formats"].items():
            assert compiled == compile_template(template, fmt)
            assert compiled["format"] == fmt and compiled["escape"] is (fmt == "markdown")


def test_another_organisations_settings_are_what_the_page_gets(tmp_path):
    org = tmp_path / "organisation.yaml"
    text = (Path(PROJECT.files[0]).parent / "organisation.yaml").read_text(encoding="utf-8")
    text = text.replace("status_page_every_hours: 6", "status_page_every_hours: 2").replace(
        "severities: [Critical, Major, Minor]", "severities: [SEV1, SEV2, SEV3, SEV4]"
    )
    assert "status_page_every_hours: 2" in text and "SEV4" in text
    org.write_text(text, encoding="utf-8")
    data = workspace_data(load_project(org_file=org))
    assert data["every_hours"] == 2 and data["severities"] == ["SEV1", "SEV2", "SEV3", "SEV4"]
    severity = next(f for f in data["facts"] if f["key"] == "severity")
    assert severity["choices"] == ["SEV1", "SEV2", "SEV3", "SEV4"]
