"""What the site generates from the playbooks: one page per playbook and per role, and the downloads.

This module knows nothing of MkDocs; ``hooks.py`` hands its output to MkDocs. Generated pages
are Markdown with raw HTML blocks built by :mod:`macros.render.html`, so playbook text is always escaped.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from ..engine.loader import Project, load_project
from ..render import links
from ..render.bundle import bundle_bytes
from ..render.flow import flow_mermaid, flow_svg
from ..render.guideline_map import guideline_table
from ..render.html import Markup, block, el, markdown_text
from ..render.principles import principles_list
from ..render.roles import responsibility_matrix, role_card
from ..render.tree import static_map
from ..render.walk_data import walk_json

current: Project | None = None
# Site search ranks a playbook's steps (each node a section) above pages that mention the same words in passing:
# mid-incident, "security" should open the step that says what to do.
PLAYBOOK_SEARCH_BOOST = 2


def load(root: Path) -> Project:
    """Load and check the playbooks of the project at ``root``; kept for the macros of this build."""
    global current
    current = load_project([root / "playbooks"], org_file=root / "playbooks" / "organisation.yaml")
    return current


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (for leads and start buttons), or all of it."""
    head, dot, _ = text.partition(". ")
    return head + dot.strip() if dot else text


def front_matter(title: str, *, searched: bool = True, search_boost: float | None = None, **extra: str) -> str:
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
        {"class": "icp-meta"},
        el("dt", None, "Owner"),
        el("dd", None, pb.owner),
        el("dt", None, "Last reviewed"),
        el("dd", None, el("time", {"datetime": pb.last_reviewed.isoformat()}, pb.last_reviewed.strftime("%-d %B %Y"))),
        el("dt", None, "For"),
        el("dd", None, "; ".join(pb.audience)),
    )


def tree_widget(project: Project, playbook_id: str, from_src: str) -> Markup:
    """The decision tree: the static map, which the walker script turns into one question at a time."""
    return el(
        "div",
        {"class": "icp-tree", "data-icp-walk": walk_json(project, playbook_id, from_src)},
        static_map(project, playbook_id, from_src),
    )


def playbook_page(project: Project, playbook_id: str) -> str:
    pb = project.playbooks[playbook_id]
    src = links.playbook_page(pb.id)
    used = [
        t
        for t in project.templates.values()
        if any(t.id in action.templates for node in pb.tree.nodes.values() for action in getattr(node, "actions", ()))
    ]
    parts = [
        front_matter(pb.title, search_boost=PLAYBOOK_SEARCH_BOOST, description=pb.summary),
        block(el("p", {"class": "icp-lead"}, first_sentence(pb.summary))),
        "## Walk through it {#walk}\n",
        block(tree_widget(project, pb.id, src)),
        "## About this playbook {#about}\n",
        block(el("p", None, pb.summary)),
        block(playbook_meta(project, pb.id)),
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
        parts += [f"## {markdown_text(pb.title)} {{#practice-{pb.id}}}\n", block(tree_widget(project, pb.id, src))]
    return "".join(parts)


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


def generated_pages(project: Project) -> dict[str, str]:
    """Source path → Markdown, for every page generated from the playbooks (and only those they have data for)."""
    pages = {links.playbook_page(pid): playbook_page(project, pid) for pid in project.playbooks}
    pages.update({links.role_page(rid): role_page(project, rid) for rid in project.roles})
    if any(pb.principles for pb in project.playbooks.values()):
        pages[links.PRINCIPLES_PAGE] = principles_page(project)
    if any(pb.practice for pb in project.playbooks.values()):
        pages[links.PRACTICE_PAGE] = practice_page(project)
    if project.guideline_map is not None:
        pages[links.GUIDELINE_MAP_PAGE] = guideline_map_page(project)
    return pages


def downloads(project: Project) -> dict[str, str | bytes]:
    """Site path → content, for every file offered for download (served as is, never as a page)."""
    files: dict[str, str | bytes] = {links.flow_download(pid): flow_mermaid(project, pid) for pid in project.playbooks}
    for template in project.templates.values():
        files[links.download_path(template.filename)] = template.body + "\n"
    files[links.BUNDLE] = bundle_bytes(project)
    return files


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
        "onboarding/whole-flow.md": [links.PRACTICE_PAGE],
        "reference/architecture.md": [links.GUIDELINE_MAP_PAGE],
    }
    return {
        "playbooks/index.md": [links.playbook_page(pid) for pid in project.playbooks],
        "roles/index.md": [links.role_page(rid) for rid in project.roles],
        **{after: [src for src in pages if src in generated] for after, pages in optional.items()},
    }
