"""Every playbook and role gets a page of its own, or the checker says why not.

A playbook's page is ``playbooks/<id>.md`` and a role's ``roles/<id>.md`` (``macros/render/links.py``); a hand-written
page at the same place wins, so an id like ``index`` would leave the playbook or role without a page and send its
links to the list page. The checker rejects such ids (``reserved-id``), and the ids of files a playbook folder holds
that are not playbooks (``organisation.yaml``: a playbook in it would never be read).

The hand-written pages and the files that are not playbooks are read from the repository here, not from the
checker's list, so adding ``docs/playbooks/overview.md`` or another such file without reserving its name fails.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from macros.engine.loader import PLAYBOOK_DIR, Project, playbook_files
from macros.engine.models import ID_PATTERN
from macros.render import links
from macros.site.pages import generated_pages

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
HAND_WRITTEN = {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")}
# ids whose page would be a hand-written one
TAKEN_PLAYBOOK_PAGES = sorted(Path(p).stem for p in HAND_WRITTEN if Path(p).parent.as_posix() == links.PLAYBOOK_DIR)
TAKEN_ROLE_PAGES = sorted(Path(p).stem for p in HAND_WRITTEN if Path(p).parent.as_posix() == links.ROLE_DIR)
# files of the real playbook folder that the loader reads as something else (organisation.yaml, ...)
NOT_PLAYBOOKS = sorted({p.stem for p in PLAYBOOK_DIR.glob("*.y*ml")} - {p.stem for p in playbook_files([PLAYBOOK_DIR])})
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None)


def playbook_text(playbook_id: str, roles: list[str]) -> str:
    """A valid playbook: one outcome, the given roles (the first owns its action)."""
    lines = [
        f"id: {playbook_id}",
        f"title: Playbook {playbook_id}",
        "summary: Generated.",
        "audience: [Testers]",
        "owner: QA",
        "last_reviewed: 2026-11-01",
    ]
    if roles:
        lines.append("roles:")
        for role in roles:
            lines += [f"  - id: {role}", f"    name: Role {role}", "    summary: Generated.", "    does: [Things.]"]
    lines += [
        "tree:",
        "  start: done",
        "  nodes:",
        "    done:",
        "      title: Done",
        "      summary: Nothing more.",
        "      actions:",
        "        - text: Stop.",
    ]
    if roles:
        lines.append(f"          owner: {roles[0]}")
    return "\n".join(lines) + "\n"


def test_there_are_hand_written_pages_and_other_files_to_keep_clear_of():
    assert "index" in TAKEN_PLAYBOOK_PAGES and "index" in TAKEN_ROLE_PAGES
    assert "organisation" in NOT_PLAYBOOKS


@pytest.mark.parametrize("page_id", TAKEN_PLAYBOOK_PAGES)
def test_a_playbook_whose_page_is_hand_written_is_refused(load_text, valid_playbook, page_id):
    [problem] = load_text(valid_playbook.replace("id: fixture", f"id: {page_id}"), f"{page_id}.yaml").diagnostics
    assert (problem.line, problem.col, problem.code) == (1, 5, "reserved-id")
    assert problem.message.startswith(f"playbook id '{page_id}' is reserved: playbooks/{page_id}.md is the list")


@pytest.mark.parametrize("page_id", TAKEN_ROLE_PAGES)
def test_a_role_whose_page_is_hand_written_is_refused(load_text, valid_playbook, page_id):
    text = valid_playbook.replace("  - id: lead\n", f"  - id: {page_id}\n").replace("owner: lead", f"owner: {page_id}")
    [problem] = load_text(text).diagnostics
    assert (problem.line, problem.col, problem.code) == (9, 9, "reserved-id")
    assert problem.message.startswith(f"role id '{page_id}' is reserved: roles/{page_id}.md is the list of roles")


@pytest.mark.parametrize("name", NOT_PLAYBOOKS)
def test_a_playbook_named_like_a_file_that_is_no_playbook_is_refused(load_text, valid_playbook, name):
    # in its own file it would never be read; anywhere else, the id-mismatch hint would say to rename it there
    [problem] = load_text(valid_playbook.replace("id: fixture", f"id: {name}")).diagnostics
    assert (problem.line, problem.col, problem.code) == (1, 5, "reserved-id")
    assert problem.hint == "set 'id: fixture'"


ids = st.one_of(
    st.from_regex(ID_PATTERN, fullmatch=True).filter(lambda text: len(text) <= 64),
    st.sampled_from(TAKEN_PLAYBOOK_PAGES + TAKEN_ROLE_PAGES),  # random text would hardly ever hit these
)


@SETTINGS
@given(
    playbook_ids=st.lists(ids, min_size=1, max_size=3, unique=True),
    role_ids=st.lists(ids, max_size=3, unique=True),
)
def test_every_playbook_and_role_gets_its_own_page_or_a_reserved_id_error(load_paths, playbook_ids, role_ids):
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for index, playbook_id in enumerate(playbook_ids):
            (folder / f"{playbook_id}.yaml").write_text(playbook_text(playbook_id, role_ids if index == 0 else []))
        # a name the loader reads as something else is not written as a playbook (tested above)
        assume(len(playbook_files([folder])) == len(playbook_ids))
        project: Project = load_paths([folder])
    refused = {d.message.split("'")[1] for d in project.diagnostics if d.code == "reserved-id"}
    assert [d for d in project.diagnostics if d.code != "reserved-id"] == []
    assert refused == {pid for pid in playbook_ids if pid in TAKEN_PLAYBOOK_PAGES} | {
        rid for rid in role_ids if rid in TAKEN_ROLE_PAGES
    }
    if not project.ok:
        return
    pages = generated_pages(project)
    own = [links.playbook_page(pid) for pid in playbook_ids] + [links.role_page(rid) for rid in role_ids]
    assert len(set(own)) == len(own)  # one page each, none shared
    assert sorted(set(pages) & set(own)) == sorted(own)
    assert set(pages) & HAND_WRITTEN == set()  # no generated page stands where a hand-written one is
    for pid in playbook_ids:
        assert f"Playbook {pid}" in pages[links.playbook_page(pid)]
    for rid in role_ids:
        assert f"Role {rid}" in pages[links.role_page(rid)]
