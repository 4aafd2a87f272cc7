"""The incident workspace as the page first shows it: what it is for, what needs JavaScript, and its data.

``docs/assets/icp/workspace.js`` draws the workspace from the data (``macros/render/workspace_data.py``) and
keeps the incidents in the browser; nothing of them is ever sent anywhere. Without JavaScript the page keeps
this notice and the guidance around it.
"""

from __future__ import annotations

import json
from typing import Any

from .html import Markup, el


def workspace_widget(data: dict[str, Any]) -> Markup:
    return el(
        "div",
        {
            "class": "icp-workspace",
            "id": "workspace",
            "data-icp-script": "common fill store workspace",
            "data-icp-style": "widget tables plan workspace",
            "data-icp-workspace": json.dumps(data, ensure_ascii=False, separators=(",", ":")),
            "data-search-exclude": True,
        },
        el(
            "p",
            {"class": "icp-notice icp-workspace__nojs"},
            "The workspace needs JavaScript: it keeps the incident (its facts, the status-page clock, the comms log) "
            "in this browser. Without it, walk the playbooks, copy the templates from the templates page and keep "
            "the facts in the comms plan's issue.",
        ),
    )
