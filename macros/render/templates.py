"""Comms templates on the site: the text to copy, a download link, and every placeholder explained.

The templates page groups them by when in an incident they are needed (``when:`` of each template), the comms
plan first. Each template is a ``<details>``: closed, it shows its title and one line; open, its text, its
controls and its placeholders. The group headings and a heading per template are Markdown, so the theme's table
of contents lists them; each template's heading (``#template-<id>``) sits inside its ``<details>``, so following
a link to it opens the template (the browser reveals the target of a fragment link).
"""

from __future__ import annotations

import re
from typing import get_args

from ..engine.loader import Project
from ..engine.models import Template
from . import links
from .html import Markup, el, markdown_text, table

CHANNEL_NAMES = {
    "issue": "GitHub issue template",
    "issue-form": "GitHub issue form",
    "email": "Email",
    "status-page": "Status page",
    "chat": "Chat message",
    "document": "Document",
}

# when → heading, anchor of the heading, and a sentence under it; in the order of the incident
WHEN_GROUPS = {
    "start": ("When an incident starts", "when-start", "Open the comms plan first: everything else hangs off it."),
    "during": ("While it runs", "when-during", "Messages for the people who need to hear while the work goes on."),
    "resolved": ("Once it is resolved", "when-resolved", "Closing the loop with the people affected."),
    "handover": ("When you hand over", "when-handover", "What the next Comms Lead needs to carry on."),
}
assert tuple(WHEN_GROUPS) == get_args(Template.model_fields["when"].annotation), "WHEN_GROUPS and Template.when"
# within a group: what opens the comms plan (issue forms, then issue templates) first, then the file order
CHANNEL_FIRST = ("issue-form", "issue")


def placeholder_table(template: Template) -> Markup:
    if not template.placeholders:
        return el("p", {"class": "icp-template__none"}, "No placeholders: the text is ready to use as it is.")
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
    caption = f"Placeholders ({len(template.placeholders)}): what to put in each"
    # a phone scrolls it sideways: a focusable region, so a keyboard can too
    region = f"Placeholders of {template.title}"
    return table(["Placeholder", "What to put", "Example"], rows, caption=caption, caption_visible=True, region=region)


def one_line(template: Template) -> str:
    """The first sentence of the summary (or the audience when there is none): the line a closed template shows."""
    if not template.summary:
        return f"For {template.audience}"
    # whole sentences, as few as make a useful line ("Internal only." alone says too little)
    line = ""
    for sentence in re.findall(r".+?[.!?](?=\s|$)|.+$", template.summary, re.DOTALL):
        line = f"{line} {sentence.strip()}".strip()
        if len(line) >= 40:
            break
    return line


def _file_name(template: Template) -> str:
    return template.filename.rsplit("/", 1)[-1]


def _controls(template: Template, download: str, from_src: str) -> Markup:
    """Copy and download for one template, in one labelled group. The copy button needs JavaScript: it stays
    hidden until the script shows and wires it (``data-icp-copy``: the selector, within the same ``.icp-template``,
    of the text to copy) and reports in the ``.icp-copied`` status beside it."""
    return el(
        "div",
        {"class": "icp-template__tools", "role": "group", "aria-label": f"Copy or download: {template.title}"},
        el(
            "button",
            {
                "type": "button",
                "class": "md-button icp-copy",
                "data-icp-copy": "pre.icp-template__body",
                "data-icp-script": "common",  # which shows and wires it
                "aria-label": f"Copy the text of: {template.title}",
                "hidden": True,
            },
            "Copy the text",
        ),
        el("span", {"class": "icp-copied", "role": "status"}),
        el(
            "a",
            {
                "class": "md-button",
                "href": download,
                "download": _file_name(template),
                "aria-label": f"Download {_file_name(template)}: {template.title}",
            },
            "Download ",
            el("code", None, _file_name(template)),
        ),
        _check_link(template, from_src),
    )


def _check_link(template: Template, from_src: str) -> Markup:
    """"Check a draft of it": the draft checker's page, with this template chosen and its example to start from."""
    return el(
        "a",
        {
            "class": "md-button icp-check-this",
            "href": links.relative(from_src, links.page_url(links.CHECKER_PAGE)) + "?of=" + template.id,
            "aria-label": f"Check a draft of: {template.title}",
        },
        "Check a draft of it",
    )


def _breaks(template: Template) -> Markup | None:
    """The draft rules the template breaks on purpose, and why: the checker will point them out."""
    if not template.draft.breaks:
        return None
    return el(
        "div",
        {"class": "icp-template__breaks"},
        el("p", None, el("strong", None, "The draft checker will point out, on purpose:")),
        el("ul", None, *(el("li", None, el("code", None, b.rule), ": ", b.why) for b in template.draft.breaks)),
    )


def _inside(template: Template, download: str, from_src: str) -> Markup:
    """What an open template shows: where it goes, what it is for, its controls, its text, its placeholders."""
    return el(
        "div",
        {"class": "icp-template__inside"},
        el(
            "dl",
            {"class": "icp-meta"},
            el("dt", None, "Channel"),
            el("dd", None, CHANNEL_NAMES[template.channel]),
            el("dt", None, "For"),
            el("dd", None, template.audience),
            el("dt", None, "File"),
            el("dd", None, el("code", None, template.filename)),
        ),
        el("p", None, template.summary) if template.summary else None,
        _controls(template, download, from_src),
        _breaks(template),
        el("pre", {"class": "icp-template__body"}, el("code", None, template.body)),
        placeholder_table(template),
    )


def _summary(template: Template) -> Markup:
    return el(
        "summary",
        {"class": "icp-template__summary"},
        el("span", {"class": "icp-template__title"}, template.title),
        el(
            "span",
            {"class": "icp-template__line"},
            el("span", {"class": "icp-template__channel"}, CHANNEL_NAMES[template.channel]),
            el("span", {"class": "icp-template__one"}, " · ", one_line(template)),
        ),
    )


def template_block(project: Project, template_id: str, from_src: str, heading: str = "h2") -> Markup:
    """One template on any page, open, as plain HTML (a page that shows one template wants to see it)."""
    template = project.templates[template_id]
    download = links.relative(from_src, links.download_path(template.filename))
    return el(
        "section",
        {"class": "icp-template icp-template--single", "data-icp-style": "widget templates"},
        el(heading, {"class": "icp-template__heading", "id": links.template_anchor(template.id)}, template.title),
        el("p", {"class": "icp-template__line"}, one_line(template)),
        _inside(template, download, from_src),
    )


def template_card(project: Project, template_id: str, from_src: str) -> str:
    """One template of the templates page: a closed ``<details>`` with a Markdown heading inside (md_in_html), so
    the table of contents lists it and a link to ``#template-<id>`` opens it."""
    template = project.templates[template_id]
    download = links.relative(from_src, links.download_path(template.filename))
    attrs = f"#{links.template_anchor(template.id)} .icp-offscreen .icp-template__anchor"
    heading = f"### {markdown_text(template.title)} {{{attrs}}}"
    return "".join(
        [
            '\n\n<section class="icp-template" data-icp-style="widget templates" markdown="1">\n'
            '<details class="icp-template__box" markdown="1">\n',
            _summary(template),
            f"\n\n{heading}\n\n",
            _inside(template, download, from_src),
            "\n\n</details>\n</section>\n\n",
        ]
    )


def grouped(project: Project) -> dict[str, list[Template]]:
    """The templates by ``when``, groups in the order of an incident, the comms plan first within its group."""
    groups: dict[str, list[Template]] = {when: [] for when in WHEN_GROUPS}
    for template in project.templates.values():
        groups[template.when].append(template)
    rank = {channel: i for i, channel in enumerate(CHANNEL_FIRST)}
    return {
        when: sorted(found, key=lambda t: rank.get(t.channel, len(rank)))
        for when, found in groups.items()
        if found
    }


def template_list(project: Project, from_src: str) -> Markup:
    """Every template, grouped by when it is needed: Markdown headings (for the table of contents) and HTML."""
    parts = []
    for when, found in grouped(project).items():
        title, anchor, sentence = WHEN_GROUPS[when]
        intro = el("p", {"class": "icp-group__intro", "data-icp-style": "widget templates"}, sentence)
        parts += [f"\n\n## {markdown_text(title)} {{#{anchor}}}\n\n", intro]
        parts += [template_card(project, template.id, from_src) for template in found]
    return Markup("".join(parts))
