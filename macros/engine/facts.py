"""What the incident workspace knows of an incident: its facts, as data both the browser and Python use.

The names are the product's, not one organisation's: a template's placeholder is filled from the fact it
names with ``fact:``, else from the fact of its own name (see :mod:`macros.render.fill`). ``DERIVED`` values
are computed from the rows and the status-page clock by one rule each, which ``docs/assets/icp/fill.js`` reads
as the same data.
"""

from __future__ import annotations

from typing import Any


def _fact(key: str, label: str, kind: str, help_text: str) -> dict[str, str]:
    return {"key": key, "label": label, "help": help_text, "kind": kind}


# kind: text (one line), long (a few lines), time (a moment, kept in UTC), choice (the organisation's
# severities), yesno
SINGLE_FACTS: list[dict[str, str]] = [
    _fact("incident_name", "Name or number", "text", "As the incident is known, e.g. INC-517 delayed event ingestion."),
    _fact("severity", "Severity", "choice", "As your organisation grades incidents."),
    _fact("security", "Security incident", "yesno", "Security incidents are aligned with the Incident Lead first."),
    _fact("start_utc", "Started at", "time", "When the incident began."),
    _fact("incident_link", "Incident issue or page", "text", "Where engineering tracks it."),
    _fact("incident_channel", "Incident channel", "text", "Where the incident is discussed, e.g. #inc-517."),
    _fact("incident_lead", "Incident Lead", "text", "Who leads the incident (and updates the status page)."),
    _fact("comms_lead", "Comms Lead", "text", "Who leads the communication (you, as a rule)."),
    _fact(
        "status_page_incident_link", "Status-page incident", "text", "The address of the incident on the status page."
    ),
    _fact(
        "customer_segments", "Customer segments affected", "long", "Who is affected: plans, regions, owners and admins."
    ),
    _fact("notes", "Notes", "long", "Anything else every message should keep in mind."),
]

ROW_FACTS: dict[str, dict[str, Any]] = {
    "products": {
        "label": "Product",
        "fields": [
            _fact("product", "Product", "text", "Its name as customers know it."),
            _fact("user_visible_impact", "What users notice", "long", "In plain words, from the user's side."),
            _fact("feature_flags_impact", "Feature flags", "text", "Affected or not, and how."),
            _fact("experiments_impact", "Experiments", "text", "Affected or not, and how."),
            _fact("workflows_impact", "Workflows", "text", "Affected or not, and how."),
            _fact(
                "data_lost_or_delayed",
                "Data lost or only delayed?",
                "text",
                "Ask: is any data lost, or merely delayed?",
            ),
        ],
    },
    "messages": {  # the comms log: a message marked sent
        "label": "Message",
        "fields": [
            _fact("message_time", "Sent at", "text", "When it went out (YYYY-MM-DD HH:MM UTC)."),
            _fact("message_channel", "Channel", "text", "Email, status page, chat..."),
            _fact("message_audience", "Audience", "text", "Who it went to."),
            _fact("message_summary", "What it said", "text", "In a few words."),
            _fact("fact_checked_by", "Fact-checked by", "text", "Who checked the facts before it went out."),
            _fact("message_status", "Status", "text", "Sent, as a rule."),
        ],
    },
}

# A rows rule: each row whose named fields are all filled gives its parts, joined (with "unique", each text once);
# a clock rule: the latest
# status-page update, or the next one due (`status_page_every_hours` after it).
DERIVED: dict[str, dict[str, Any]] = {
    "product_names": {"rows": "products", "parts": [["product"]], "join": ", "},
    "impact_summary": {"rows": "products", "parts": [["product"], ": ", ["user_visible_impact"]], "join": "; "},
    "data_status": {"rows": "products", "parts": [["product"], ": ", ["data_lost_or_delayed"]], "join": "; "},
    "sent_so_far": {
        "rows": "messages",
        "parts": [["message_time"], " ", ["message_channel"], " to ", ["message_audience"], ": ", ["message_summary"]],
        "join": "; ",
    },
    # who fact-checked what was sent, each name once
    "fact_checked_by": {"rows": "messages", "parts": [["fact_checked_by"]], "join": ", ", "unique": True},
    "status_page_updated_utc": {"clock": "last"},
    "status_page_next_due_utc": {"clock": "next"},
}

SINGLE_NAMES = tuple(fact["key"] for fact in SINGLE_FACTS)
FACT_NAMES = (*SINGLE_NAMES, *DERIVED)
ROW_FIELDS = {gid: tuple(f["key"] for f in group["fields"]) for gid, group in ROW_FACTS.items()}
# what a placeholder's `fact:` may name: a fact, or a field of a row fact (a row group's fields are filled by name)
FACT_OR_FIELD_NAMES = tuple(dict.fromkeys((*FACT_NAMES, *(key for keys in ROW_FIELDS.values() for key in keys))))


# Who a draft is for, and where the incident is: the draft checker's scope (draft_rules.py, drafts.py).
DRAFT_AUDIENCES = ("customer", "internal", "status-page")
DRAFT_STATES = ("ongoing", "resolved")
