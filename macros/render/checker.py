"""The draft checker on the site: its rule data for the browser, each template's scope and example, and the
checker as the templates page first shows it.

``docs/assets/icp/drafts.js`` checks a draft with the data of :func:`checker_data` (the rules' portable sources,
:func:`macros.engine.drafts.as_data`) and ``docs/assets/icp/checker.js`` draws the editor around it: marks in
the text and a list of findings. Without JavaScript the page keeps the notice below, which names the command
line checker.
"""

from __future__ import annotations

import json
from typing import Any

from ..engine.drafts import as_data
from ..engine.loader import Project
from ..engine.models import Template
from .html import Markup, el
from .plan import compile_template, render

# the form a draft of each channel is sent in (render/formats.py): what the checker reads
FORMAT_OF_CHANNEL = {"email": "text", "status-page": "text", "chat": "slack"}  # else markdown (issues, documents)
CHECKER_ID = "draft-check"


def draft_format(template: Template) -> str:
    return FORMAT_OF_CHANNEL.get(template.channel, "markdown")


def example_text(template: Template, fmt: str | None = None) -> str:
    """The template filled with its placeholders' examples (a row group once, with its fields' examples): the
    draft it gives when everything is filled as its examples suggest."""
    compiled = compile_template(template, fmt or draft_format(template))
    answers: dict[str, Any] = {field["name"]: field["example"] for field in compiled["fields"]}
    for gid, group in compiled["groups"].items():
        answers[gid] = [{field["name"]: field["example"] for field in group["fields"]}]
    schedule = compiled["schedule"]
    if schedule and schedule["last_update"] in template.placeholders:
        answers[schedule["last_update"]] = template.placeholders[schedule["last_update"]].example
    text, _ = render(compiled, answers)
    return text


def scope(template: Template) -> dict[str, Any]:
    """Who reads a draft of ``template``, in which state of the incident, and the rules it breaks on purpose."""
    return {
        "audience": template.draft_audience,
        "state": template.draft_state,
        "security": template.draft.security,
        "breaks": {known.rule: known.why for known in template.draft.breaks},
    }


def checker_data(project: Project) -> dict[str, Any]:
    """What a page with the checker needs: the rules (once), and each template's scope and example."""
    assert project.draft_rules is not None, "a checked project has its draft rules"
    return {
        **as_data(project.draft_rules),
        "templates": [
            {"id": t.id, "title": t.title, **scope(t), "example": example_text(t)} for t in project.templates.values()
        ],
    }


def draft_checker(project: Project) -> Markup:
    """The templates page's checker: a draft of any template, or of another message, checked as it is typed."""
    return el(
        "div",
        {
            "class": "icp-checker",
            "id": CHECKER_ID,
            "data-icp-script": "common drafts checker",
            "data-icp-style": "checker",
            "data-icp-drafts": json.dumps(checker_data(project), ensure_ascii=False, separators=(",", ":")),
            "data-search-exclude": True,
        },
        el(
            "p",
            {"class": "icp-notice icp-checker__nojs"},
            "The checker needs JavaScript. Without it, check a draft on the command line: ",
            el("code", None, "python -m macros draft-check draft.txt --audience customer"),
            " prints each finding with its line, column and suggestion.",
        ),
    )
