"""The principles of every playbook, each with a link to the playbook that applies it."""

from __future__ import annotations

from ..engine.loader import Project
from ..engine.models import Principle
from . import links
from .html import Markup, el


def principles_list(project: Project, from_src: str) -> Markup:
    sections = []
    for pb in project.playbooks.values():
        href = links.relative(from_src, links.page_url(links.playbook_page(pb.id)), "walk")
        sections += [_principle(item, pb.title, href) for item in pb.principles]
    return el("div", {"class": "icp-principles"}, *sections)


def _principle(item: Principle, playbook_title: str, href: str) -> Markup:
    return el(
        "section",
        {"class": "icp-principle", "id": links.principle_anchor(item.id)},
        el("h2", None, item.title),
        el("p", None, item.text),
        el("ul", None, *[el("li", None, line) for line in item.in_practice]) if item.in_practice else None,
        el("p", {"class": "icp-principle__where"}, "Applied in: ", el("a", {"href": href}, playbook_title)),
    )
