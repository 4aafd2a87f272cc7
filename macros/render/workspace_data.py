"""What the incident workspace page needs to work offline: the organisation's settings, the facts it asks for,
the derived values' rules, the incident file's schema, every template compiled in every format, and the draft
checker's rules with each template's scope."""

from __future__ import annotations

import copy
from pathlib import PurePosixPath
from typing import Any

from ..engine.drafts import as_data
from ..engine.facts import DERIVED, ROW_FACTS, SINGLE_FACTS
from ..engine.incident_file import FORMAT, MAX_DRAFT, VERSION, incident_schema
from ..engine.loader import Project
from .checker import scope
from .formats import FORMATS
from .plan import compile_template


def workspace_data(project: Project) -> dict[str, Any]:
    org = project.organisation
    assert org is not None and project.draft_rules is not None, "a checked project has both"
    settings = org.incident
    facts = copy.deepcopy(SINGLE_FACTS)
    for fact in facts:
        if fact["kind"] == "choice":
            fact["choices"] = list(settings.severities)
    return {
        "format": FORMAT,
        "version": VERSION,
        "every_hours": settings.status_page_every_hours,
        "warn_minutes": settings.status_page_warn_minutes,
        "severities": list(settings.severities),
        "facts": facts,
        "rows": copy.deepcopy(ROW_FACTS),
        "derived": copy.deepcopy(DERIVED),
        "schema": incident_schema(),
        "drafts": as_data(project.draft_rules),
        "max_draft": MAX_DRAFT,
        "templates": [
            {
                "id": t.id,
                "title": t.title,
                "when": t.when,
                "audience": t.audience,
                "channel": t.channel,
                "playbook": pb.id,
                "file": PurePosixPath(t.filename).name,
                "formats": {fmt: compile_template(t, fmt) for fmt in FORMATS},
                "draft": scope(t),
            }
            for pb in project.playbooks.values()
            for t in pb.templates
        ],
    }
