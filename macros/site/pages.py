"""What the site generates from the playbooks: one page per playbook and per role, and the downloads.

This module knows nothing of MkDocs; ``hooks.py`` hands its output to MkDocs. Generated pages
are Markdown with raw HTML blocks built by :mod:`macros.render.html`, so playbook text is always escaped.
"""

from __future__ import annotations

import datetime
import json
from html import escape
from pathlib import Path

from ..engine import check_cache
from ..engine.loader import Project, load_project
from ..engine.models import Playbook
from ..render import links
from ..render.bundle import bundle_bytes
from ..render.checker import draft_checker
from ..render.flow import flow_mermaid, flow_svg
from ..render.guideline_map import guideline_table
from ..render.html import Markup, el, markdown_text
from ..render.principles import principles_list
from ..render.roles import responsibility_matrix, role_card
from ..render.tree import entry_map, static_map
from ..render.walk_data import walk_attributes, walk_files, walk_version
from . import slots
from .slots import block

current: Project | None = None
# Site search ranks a playbook's steps (each node a section) above pages that mention the same words in passing:
# mid-incident, "security" should open the step that says what to do.
PLAYBOOK_SEARCH_BOOST = 2
# The rest of a playbook's page in full (its title, flow, who does what) ranks below the playbook's own page.
IN_FULL_SEARCH_BOOST = 0.5


code_version = ""  # of the package this module was imported from (set by hooks.on_config)
_loaded_key: str | None = None


def load(root: Path) -> Project:
    """Load and check the playbooks of the project at ``root``; kept for the macros of this build, and for the
    next build of `mkdocs serve` while none of the files it read has changed (nor the date it checks with)."""
    global current, _loaded_key
    folder, org_file = root / "playbooks", root / "playbooks" / "organisation.yaml"
    key = check_cache.key([folder], org_file, {"today": datetime.date.today().isoformat(), "for": "site"})
    if current is not None and key is not None and key == _loaded_key:
        return current
    current = load_project([folder], org_file=org_file)
    _loaded_key = key
    slots.forget()
    return current


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (for leads and start buttons), or all of it."""
    head, dot, _ = text.partition(". ")
    return head + dot.strip() if dot else text


def front_matter(
    title: str,
    *,
    searched: bool = True,
    search_boost: float | None = None,
    **extra: str,
) -> str:
    """Front matter with HTML-escaped values: the theme prints page titles and descriptions as HTML.
    ``searched=False`` keeps the page out of site search (reference tables would outrank the steps);
    ``search_boost`` ranks its sections higher (above 1) or lower in search results."""
    lines = ["---", f"title: {json.dumps(escape(title, quote=True))}"]
    lines += [f"{key}: {json.dumps(escape(value, quote=True))}" for key, value in extra.items()]
    if not searched:
        lines += ["search:", "  exclude: true"]
    elif search_boost is not None:
        lines += ["search:", f"  boost: {search_boost}"]
    return "\n".join([*lines, "---", ""])


def playbook_meta(project: Project, playbook_id: str) -> Markup:
    pb = project.playbooks[playbook_id]
    return el(
        "dl",
        {"class": "icp-meta", "data-icp-style": "widget"},
        el("dt", None, "Owner"),
        el("dd", None, pb.owner),
        el("dt", None, "Last reviewed"),
        el("dd", None, el("time", {"datetime": pb.last_reviewed.isoformat()}, pb.last_reviewed.strftime("%-d %B %Y"))),
        el("dt", None, "For"),
        el("dd", None, "; ".join(pb.audience)),
    )


_walks: dict[int, tuple[Project, dict[str, str], str]] = {}


def walks(project: Project) -> tuple[dict[str, str], str]:
    """The walker files of ``project`` (site path → JSON) and their version, made once per loaded project."""
    kept = _walks.get(id(project))
    if kept is None or kept[0] is not project:
        files = walk_files(project)
        _walks.clear()
        _walks[id(project)] = kept = (project, files, walk_version(files))
    return kept[1], kept[2]


def tree_widget(project: Project, playbook_id: str, from_src: str, practice: bool = False) -> Markup:
    """The decision tree: the steps a walk begins at, which the walker script turns into one question at a time
    with the playbook's walker file (see macros/render/walk_data.py), and a link to the page of every step.
    A practice walk (``practice``) keeps its ticks with the practice incident, never with a real one."""
    pb = project.playbooks[playbook_id]
    attributes = walk_attributes(project, playbook_id, from_src, walks(project)[1])
    every = links.relative(from_src, links.page_url(links.steps_page(playbook_id)), "steps")
    return el(
        "div",
        {
            "class": "icp-tree",
            "data-icp-script": "common walker",
            "data-icp-style": "widget tree",
            "data-icp-practice": practice,
            **attributes,
        },
        entry_map(project, playbook_id, from_src),
        el("p", {"class": "icp-tree__all"}, "Every step of “", pb.title, "” on one page, to read or print: ",
           el("a", {"href": every}, f"all {len(pb.tree.nodes):,} steps"), "."),
    )


def in_full_title(pb: Playbook) -> str:
    return f"{pb.title}, in full"


def steps_page(project: Project, playbook_id: str) -> str:
    """A playbook in full, to read at leisure or print: the whole flow as a picture, who does what, and every step
    with answers as links (the decision tree without JavaScript). Its own page keeps only what a walk needs."""
    pb = project.playbooks[playbook_id]
    src = links.steps_page(pb.id)
    walk = links.relative(src, links.page_url(links.playbook_page(pb.id)))
    parts = [
        front_matter(in_full_title(pb), search_boost=PLAYBOOK_SEARCH_BOOST, description=pb.summary),
        f"# {markdown_text(in_full_title(pb))}\n",
        block(
            el(
                "p",
                {"class": "icp-lead", "data-icp-style": "widget"},
                pb.summary,
                " To be asked one question at a time, ",
                el("a", {"href": walk}, "walk through it"),
                ".",
            )
        ),
        "## The whole flow {#flow}\n",
        block(flow_svg(project, pb.id)),
        block(
            el(
                "p",
                None,
                "The same flow as ",
                el(
                    "a",
                    {"href": links.relative(src, links.flow_download(pb.id)), "download": f"{pb.id}.mmd"},
                    "Mermaid text",
                ),
                ", which GitHub draws when pasted in a ",
                el("code", None, "mermaid"),
                " code block.",
            )
        ),
    ]
    if pb.responsibilities:
        parts += ["## Who does what {#responsibilities}\n", block(responsibility_matrix(project, src, pb.id))]
    parts += [
        "## Every step {#steps}\n",
        block(
            el(
                "p",
                None,
                f"All {len(pb.tree.nodes):,} questions and outcomes, in reading order; every answer is a link to the "
                "step it leads to.",
            )
        ),
        block(static_map(project, pb.id, src)),
    ]
    return "".join(parts)


def playbook_page(project: Project, playbook_id: str) -> str:
    """A playbook as it is used mid-incident: the walk, what the playbook is, and its templates. The picture of the
    whole flow, who does what and every step are on its page in full, linked from here."""
    pb = project.playbooks[playbook_id]
    src = links.playbook_page(pb.id)
    full = links.page_url(links.steps_page(pb.id))
    used = [
        t
        for t in project.templates.values()
        if any(t.id in action.templates for node in pb.tree.nodes.values() for action in getattr(node, "actions", ()))
    ]
    in_full = [
        ("the whole flow", "flow"),
        *([("who does what", "responsibilities")] if pb.responsibilities else []),
        ("every step", "steps"),
    ]
    parts = [
        front_matter(pb.title, search_boost=PLAYBOOK_SEARCH_BOOST, description=pb.summary),
        block(el("p", {"class": "icp-lead", "data-icp-style": "widget"}, first_sentence(pb.summary))),
        "## Walk through it {#walk}\n",
        block(tree_widget(project, pb.id, src)),
        "## About this playbook {#about}\n",
        block(el("p", None, pb.summary)),
        block(playbook_meta(project, pb.id)),
        block(
            el(
                "p",
                None,
                "On its page ",
                el("a", {"href": links.relative(src, full)}, in_full_title(pb)),
                ": ",
                *[
                    part
                    for i, (label, anchor) in enumerate(in_full)
                    for part in ([", "] if i else []) + [el("a", {"href": links.relative(src, full, anchor)}, label)]
                ],
                ", to read calmly or print.",
            )
        ),
    ]
    if used:
        parts += [
            "## Templates for this playbook {#templates}\n",
            block(
                el(
                    "ul",
                    None,
                    *[
                        el(
                            "li",
                            None,
                            el(
                                "a",
                                {
                                    "href": links.relative(
                                        src, links.page_url(links.template_page()), links.template_anchor(t.id)
                                    )
                                },
                                t.title,
                            ),
                        )
                        for t in used
                    ],
                )
            ),
        ]
    return "".join(parts)


def role_page(project: Project, role_id: str) -> str:
    role = project.roles[role_id]
    return front_matter(role.name, description=role.summary) + block(
        role_card(project, role_id, links.role_page(role_id))
    )


def principles_page(project: Project) -> str:
    src = links.PRINCIPLES_PAGE
    return "".join(
        [
            front_matter(
                "Principles", search_boost=0.5, description="The ideas every decision in the playbooks rests on."
            ),
            "# Principles\n\n",
            "A handful of ideas sit under every decision in these playbooks. Read them once, calmly; during an "
            "incident the decision trees apply them for you.\n",
            block(principles_list(project, src)),
        ]
    )


def practice_page(project: Project) -> str:
    src = links.PRACTICE_PAGE
    chosen = [pb for pb in project.playbooks.values() if pb.practice]
    parts = [
        front_matter(
            "Practise before you need it", searched=False, description="Walk the decision trees at your own pace."
        ),
        "# Practise before you need it\n\n",
        "Walk these decision trees at your own pace, the way you would during an incident: pick an answer, see "
        "where it leads, change an earlier answer, start again. Nothing you do here is sent anywhere; ticks on a "
        "checklist are kept only in this browser.\n\n",
    ]
    for pb in chosen:
        walker = tree_widget(project, pb.id, src, practice=True)
        parts += [f"## {markdown_text(pb.title)} {{#practice-{pb.id}}}\n", block(walker)]
    return "".join(parts)


def checker_page(project: Project) -> str:
    """The draft checker: a draft of any template (``?of=<template id>`` chooses it), or of another message."""
    return "".join(
        [
            front_matter(
                "Check a draft", searched=False,
                description="Check a message before it is sent: plain English, impact first, no status-speak.",
            ),
            "# Check a draft\n\n",
            "Paste a message, or start from a template's example, and see at once what to fix: status-speak, an "
            "opening that does not say what happened to the reader, promised fix times, internal names, no link "
            "to the source of truth. Choose what the draft is, so that the right rules apply; each finding names "
            "its rule, and [the draft rules](../reference/draft-rules.md) say what each looks for. The draft stays "
            "in this browser tab and is never sent anywhere.\n\n",
            block(draft_checker(project)),
        ]
    )


def guideline_map_page(project: Project) -> str:
    assert project.guideline_map is not None
    gm = project.guideline_map
    return "".join(
        [
            front_matter(gm.title, searched=False, description=gm.intro or gm.title),
            f"# {markdown_text(gm.title)}\n",
            block(el("p", None, gm.intro)) if gm.intro else "",
            block(guideline_table(project, links.GUIDELINE_MAP_PAGE)),
        ]
    )


_generated: dict[int, tuple[Project, dict[str, str]]] = {}


def generated_pages(project: Project) -> dict[str, str]:
    """Source path → Markdown, for every page generated from the playbooks (and only those they have data for);
    made once per loaded project (the navigation, the files and the macros all ask)."""
    kept = _generated.get(id(project))
    if kept is None or kept[0] is not project:
        _generated.clear()
        _generated[id(project)] = kept = (project, _generate(project))
    return kept[1]


def _generate(project: Project) -> dict[str, str]:
    pages = {links.playbook_page(pid): playbook_page(project, pid) for pid in project.playbooks}
    pages.update({links.steps_page(pid): steps_page(project, pid) for pid in project.playbooks})
    pages.update({links.role_page(rid): role_page(project, rid) for rid in project.roles})
    if any(pb.principles for pb in project.playbooks.values()):
        pages[links.PRINCIPLES_PAGE] = principles_page(project)
    if any(pb.practice for pb in project.playbooks.values()):
        pages[links.PRACTICE_PAGE] = practice_page(project)
    if project.guideline_map is not None:
        pages[links.GUIDELINE_MAP_PAGE] = guideline_map_page(project)
    pages[links.CHECKER_PAGE] = checker_page(project)
    return pages


def downloads(project: Project) -> dict[str, str | bytes]:
    """Site path → content, for every file offered for download (served as is, never as a page)."""
    files: dict[str, str | bytes] = {links.flow_download(pid): flow_mermaid(project, pid) for pid in project.playbooks}
    for template in project.templates.values():
        files[links.download_path(template.filename)] = template.body + "\n"
    files[links.BUNDLE] = bundle_bytes(project)
    files.update(walks(project)[0])
    return files


def search_moves(project: Project) -> dict[str, tuple[str, str]]:
    """Where search shows a step: page in full → (the playbook's page, the start of its steps' anchors). A step
    is searched on its playbook's page in full and opened on the playbook's page, where the walker shows it (a
    plain anchor there without JavaScript, for the steps a walk begins at); the other parts of the page in full
    (its flow, who does what) stay results of that page, ranked below the playbook's page
    (``IN_FULL_SEARCH_BOOST``)."""
    return {
        links.page_url(links.steps_page(pid)): (links.page_url(links.playbook_page(pid)), links.node_anchor(pid, ""))
        for pid in project.playbooks
    }


def search_keywords(project: Project) -> dict[str, list[str]]:
    """Search index location (as the search plugin writes it) → the `keywords` of the step it is, for the steps
    that have some: site search ranks a step by them as strongly as by its title."""
    found = {}
    for pb in project.playbooks.values():
        page = links.page_url(links.playbook_page(pb.id))
        for node_id, node in pb.tree.nodes.items():
            if node.keywords:
                found[f"{page}#{links.node_anchor(pb.id, node_id)}"] = list(node.keywords)
    return found


def nav_entries(project: Project) -> dict[str, list[str]]:
    """Generated pages to list in the navigation, after the hand-written index page of their section."""
    generated = generated_pages(project)
    optional = {
        "onboarding/index.md": [links.PRINCIPLES_PAGE],
        # each playbook in full (its flow, who does what, every step), to read calmly, then practice
        "onboarding/whole-flow.md": [*(links.steps_page(pid) for pid in project.playbooks), links.PRACTICE_PAGE],
        "reference/architecture.md": [links.GUIDELINE_MAP_PAGE],
    }
    return {
        "playbooks/index.md": [links.playbook_page(pid) for pid in project.playbooks],
        "roles/index.md": [links.role_page(rid) for rid in project.roles],
        links.template_page(): [links.CHECKER_PAGE],
        **{after: [src for src in pages if src in generated] for after, pages in optional.items()},
    }
