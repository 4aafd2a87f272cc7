"""Comms templates on the site: the text to copy, a download link, and every placeholder explained."""

from __future__ import annotations

from ..engine.loader import Project
from ..engine.models import Template
from . import links
from .html import Markup, el, table

CHANNEL_NAMES = {
    "issue": "GitHub issue template",
    "issue-form": "GitHub issue form",
    "email": "Email",
    "status-page": "Status page",
    "chat": "Chat message",
    "document": "Document",
}


def placeholder_table(template: Template) -> Markup:
    if not template.placeholders:
        return el("p", None, "No placeholders: the text is ready to use as it is.")
    rows = [
        el(
            "tr",
            None,
            el("td", None, el("code", None, "{{ " + name + " }}")),
            el("td", None, p.description),
            el("td", None, p.example),
        )
        for name, p in template.placeholders.items()
    ]
    return table(["Placeholder", "What to put", "Example"], rows)


def template_block(project: Project, template_id: str, from_src: str, heading: str = "h2") -> Markup:
    template = project.templates[template_id]
    download = links.relative(from_src, links.download_path(template.filename))
    return el(
        "section",
        {"class": "icp-template", "id": links.template_anchor(template.id)},
        el(heading, None, template.title),
        el(
            "p",
            {"class": "icp-template__meta"},
            el("span", None, CHANNEL_NAMES[template.channel]),
            " · ",
            el("span", None, "For: ", template.audience),
            " · ",
            el("span", None, "File: ", el("code", None, template.filename)),
        ),
        el("p", None, template.summary) if template.summary else None,
        el(
            "p",
            None,
            el(
                "a",
                {"class": "md-button", "href": download, "download": template.filename.rsplit("/", 1)[-1]},
                "Download ",
                el("code", None, template.filename.rsplit("/", 1)[-1]),
            ),
        ),
        el(
            "details",
            {"class": "icp-placeholders-box", "open": True},
            el("summary", None, f"Placeholders ({len(template.placeholders)})"),
            placeholder_table(template),
        ),
        el("pre", {"class": "icp-template__body"}, el("code", None, template.body)),
    )


def template_list(project: Project, from_src: str) -> Markup:
    blocks = [template_block(project, template_id, from_src) for template_id in project.templates]
    return Markup("".join(blocks))
