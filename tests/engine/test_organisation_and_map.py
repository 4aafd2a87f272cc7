"""The organisation file's web addresses, and the optional guideline map beside the playbooks.

An address can only come from `urls:` (or `site_url`), and only http(s) is accepted there, so a
`javascript:` or `data:` link cannot reach a page from the one file an adopter edits. The guideline map
may only name places the playbooks have, and it disappears from the site when the file is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.engine.loader import PLAYBOOK_DIR, load_organisation, load_project

ORG_HEAD = "review_max_age_days: 180\nnames:\n  team: Team Fixture\n"


def org_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "organisation.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("line", "value"),
    [
        (6, "javascript:alert(1)"),
        (6, "data:text/html,<script>alert(1)</script>"),
        (6, "JAVASCRIPT:alert(1)"),
        (6, "https://status.example.com/\"onmouseover=alert(1)"),
        (6, "ftp://status.example.com/"),
        (6, "//status.example.com/"),
    ],
)
def test_a_url_that_is_not_http_is_refused_where_it_is_written(tmp_path: Path, line: int, value: str) -> None:
    path = org_file(tmp_path, ORG_HEAD + f"urls:\n  # the status page\n  status_page_url: '{value}'\n")
    org, problems = load_organisation(path)
    assert org is None
    assert [(p.line, p.col) for p in problems] == [(line, 20)], "\n".join(map(str, problems))
    assert "'status_page_url'" in problems[0].message and "https://" in problems[0].hint, str(problems[0])


def test_site_url_must_be_http_too(tmp_path: Path) -> None:
    org, problems = load_organisation(org_file(tmp_path, "site_url: javascript:alert(1)\n" + ORG_HEAD))
    assert org is None and [(p.line, p.col) for p in problems] == [(1, 11)], "\n".join(map(str, problems))


def test_urls_fill_org_references_like_names(tmp_path: Path, valid_playbook: str) -> None:
    org = org_file(tmp_path, ORG_HEAD + "urls:\n  status: https://status.example.com/x?y=1\n")
    (tmp_path / "pb").mkdir()
    text = valid_playbook.replace("summary: Put the fire out.", "summary: See {org.status} for {org.team}.")
    assert text != valid_playbook
    (tmp_path / "pb" / "fixture.yaml").write_text(text, encoding="utf-8")
    project = load_project([tmp_path / "pb"], org_file=org)
    assert project.ok, "\n".join(map(str, project.diagnostics))
    outcome = project.playbooks["fixture"].tree.nodes["act"]
    assert outcome.summary == "See https://status.example.com/x?y=1 for Team Fixture."


# --------------------------------------------------------------------------------------------- guideline map

MAP = """title: Where it lives
points:
  - point: The first point
    where: [fixture, fixture#act, role:lead]
  - point: The second point, at {org.team}
    where: [fixture#wait]
"""


def project_with_map(tmp_path: Path, valid_playbook: str, map_text: str | None):
    folder = tmp_path / "playbooks"
    folder.mkdir()
    (folder / "fixture.yaml").write_text(valid_playbook, encoding="utf-8")
    org = org_file(tmp_path, ORG_HEAD)
    if map_text is not None:
        (folder / "guideline-map.yaml").write_text(map_text, encoding="utf-8")
    return load_project([folder], org_file=org)


def test_a_valid_map_loads_with_org_names_filled(tmp_path: Path, valid_playbook: str) -> None:
    project = project_with_map(tmp_path, valid_playbook, MAP)
    assert project.ok, "\n".join(map(str, project.diagnostics))
    assert list(project.playbooks) == ["fixture"]  # the map is not read as a playbook
    assert project.guideline_map is not None
    assert [p.point for p in project.guideline_map.points] == ["The first point", "The second point, at Team Fixture"]


def test_without_the_file_there_is_no_map(tmp_path: Path, valid_playbook: str) -> None:
    project = project_with_map(tmp_path, valid_playbook, None)
    assert project.ok and project.guideline_map is None


@pytest.mark.parametrize(
    ("ref", "message", "hint"),
    [
        ("fixture#acd", "names node 'fixture#acd'", "fixture#act"),
        ("nope", "names playbook 'nope'", "fixture"),
        ("role:leed", "names role 'leed'", "role:lead"),
        ("template:none", "names template 'none'", "remove it"),
        ("task:none", "names task 'none'", "remove it"),
        ("principle:none", "names principle 'none'", "remove it"),
    ],
)
def test_a_place_no_playbook_has_is_a_located_error(
    tmp_path: Path, valid_playbook: str, ref: str, message: str, hint: str
) -> None:
    project = project_with_map(tmp_path, valid_playbook, MAP.replace("fixture#wait", ref))
    problems = [d for d in project.diagnostics if d.code == "unknown-guideline-place"]
    assert len(problems) == 1 and not project.ok, "\n".join(map(str, project.diagnostics))
    assert (problems[0].line, problems[0].col) == (6, 13)
    assert problems[0].path.endswith("guideline-map.yaml")
    assert message in problems[0].message and hint in problems[0].hint, str(problems[0])


def test_a_malformed_map_is_a_schema_error_at_its_place(tmp_path: Path, valid_playbook: str) -> None:
    project = project_with_map(tmp_path, valid_playbook, MAP.replace("where: [fixture#wait]", "where: []"))
    assert not project.ok
    assert [(d.line, d.col) for d in project.diagnostics if d.is_error] == [(6, 12)], "\n".join(
        map(str, project.diagnostics)
    )


def test_our_map_names_only_places_that_exist() -> None:
    project = load_project()
    assert project.ok, "\n".join(map(str, project.diagnostics))
    assert project.guideline_map is not None and len(project.guideline_map.points) >= 30
    assert (PLAYBOOK_DIR / "guideline-map.yaml").is_file()


# --------------------------------------------------------------------------------------------- ways in


def test_a_way_in_to_a_missing_node_is_a_located_error(load_text, valid_playbook: str) -> None:
    text = valid_playbook.replace("tree:\n", "ways_in:\n  - label: It is on fire\n    at: atc\ntree:\n", 1)
    project = load_text(text)
    problems = [d for d in project.diagnostics if d.code == "unknown-way-in-node"]
    assert len(problems) == 1 and not project.ok, "\n".join(map(str, project.diagnostics))
    line = text.splitlines().index("    at: atc") + 1
    assert (problems[0].line, problems[0].col) == (line, 9)
    assert "act" in problems[0].hint


def test_more_ways_in_than_a_phone_screen_holds_is_a_warning(load_text, valid_playbook: str) -> None:
    ways = "".join(f"  - label: Situation number {i}\n" for i in range(9))
    project = load_text(valid_playbook.replace("tree:\n", "ways_in:\n" + ways + "tree:\n", 1))
    assert project.ok
    assert [d.code for d in project.diagnostics] == ["too-many-ways-in"]
