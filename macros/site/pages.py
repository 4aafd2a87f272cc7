"""What the site generates from the playbooks: one page per playbook and per role, and the downloads.

This module knows nothing of MkDocs; ``hooks.py`` hands its output to MkDocs. Generated pages
are Markdown with raw HTML blocks built by :mod:`macros.render.html`, so playbook text is always escaped.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from ..render import links
from ..render.bundle import bundle_bytes
from ..render.html import Markup, block, el
from ..engine.loader import Project, load_project
from ..render.flow import flow_mermaid, flow_svg
from ..render.roles import responsibility_matrix, role_card
from ..render.tree import static_map
from ..render.walk_data import walk_json

current: Project | None = None


def load(root: Path) -> Project:
    """Load and check the playbooks of the project at ``root``; kept for the macros of this build."""
    global current
    current = load_project([root / "playbooks"], org_file=root / "playbooks" / "organisation.yaml")
    return current


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (for leads and start buttons), or all of it."""
    head, dot, _ = text.partition(". ")
    return head + dot.strip() if dot else text


def front_matter(title: str, **extra: str) -> str:
    """Front matter with HTML-escaped values: the theme prints page titles and descriptions as HTML."""
    lines = ["---", f"title: {json.dumps(escape(title, quote=True))}"]
    lines += [f"{key}: {json.dumps(escape(value, quote=True))}" for key, value in extra.items()]
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
        front_matter(pb.title, description=pb.summary),
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


def generated_pages(project: Project) -> dict[str, str]:
    """Source path → Markdown, for every page generated from the playbooks."""
    pages = {links.playbook_page(pid): playbook_page(project, pid) for pid in project.playbooks}
    pages.update({links.role_page(rid): role_page(project, rid) for rid in project.roles})
    return pages


def downloads(project: Project) -> dict[str, str | bytes]:
    """Site path → content, for every file offered for download (served as is, never as a page)."""
    files: dict[str, str | bytes] = {links.flow_download(pid): flow_mermaid(project, pid) for pid in project.playbooks}
    for template in project.templates.values():
        files[links.download_path(template.filename)] = template.body + "\n"
    files[links.BUNDLE] = bundle_bytes(project)
    return files


def nav_entries(project: Project) -> dict[str, list[str]]:
    """Generated pages to list in the navigation, after the hand-written index page of their section."""
    return {
        "playbooks/index.md": [links.playbook_page(pid) for pid in project.playbooks],
        "roles/index.md": [links.role_page(rid) for rid in project.roles],
    }
