"""Incidents of the workspace (the ``incident`` of an export file, valid against
:func:`macros.engine.incident_file.incident_schema`) that Python (``macros/render/fill.py``) and the browser
(``docs/assets/icp/fill.js``) must fill every template with to the same bytes.
"""

from __future__ import annotations

import copy
from typing import Any

from macros.engine.facts import ROW_FIELDS, SINGLE_NAMES
from macros.engine.incident_file import FORMAT, VERSION

# what a value must never do: run, become markup, become Markdown, or break the line it is on
PAYLOAD = (
    "{{ x }} <script>window.__pwned=1</script> <img src=x onerror=window.__pwned=1> "
    "back\\slash \\\\ *_[]| </code> line\nbreak\r\nand\ttab\u00a0nbsp "
    "مرحبا بالعالم שלום עולם 🔥 👩\u200d💻 [click](javascript:window.__pwned=1) # heading **bold**"
)
HOSTILE_NAME = "INC-666 " + PAYLOAD


def incident(incident_id: str = "inc-test", **fields: Any) -> dict[str, Any]:
    """An incident with nothing in it but what ``fields`` set."""
    base: dict[str, Any] = {
        "id": incident_id,
        "practice": False,
        "opened_at": "2026-03-03T09:40:00Z",
        "closed_at": None,
        "facts": {},
        "rows": {"products": [], "messages": []},
        "status_updates": [],
        "walks": [],
        "ticks": {},
    }
    base.update(copy.deepcopy(fields))
    return base


def export(one: dict[str, Any], exported_at: str = "2026-03-03T12:00:00Z") -> dict[str, Any]:
    """An export file holding ``one``, as the workspace's Download writes it."""
    return {"format": FORMAT, "version": VERSION, "exported_at": exported_at, "incident": copy.deepcopy(one)}


FULL_FACTS = {
    "incident_name": "INC-517 delayed event ingestion",
    "severity": "Critical",
    "security": "no",
    "start_utc": "2026-03-03T09:40:00Z",
    "incident_link": "https://github.example.com/acme/incidents/issues/517",
    "incident_channel": "#inc-517",
    "incident_lead": "Marco",
    "comms_lead": "Priya",
    "status_page_incident_link": "https://status.example.com/incidents/517",
    "customer_segments": "Owners and admins of the 212 organisations whose events were delayed",
    "notes": "Nothing is lost; exports run late.",
}
FULL_PRODUCTS = [
    {
        "product": "Analytics",
        "user_visible_impact": "Charts stop at 21:40 UTC",
        "feature_flags_impact": "Not affected",
        "experiments_impact": "Results pause",
        "workflows_impact": "Exports run late",
        "data_lost_or_delayed": "Delayed, nothing lost",
    },
    {
        "product": "Session replay",
        "user_visible_impact": "Recordings appear late",
        "feature_flags_impact": "Not affected",
        "experiments_impact": "Not affected",
        "workflows_impact": "Not affected",
        "data_lost_or_delayed": "Delayed",
    },
]
FULL_MESSAGES = [
    {
        "message_time": "2026-03-03 10:05 UTC",
        "message_channel": "Status page",
        "message_audience": "Everyone",
        "message_summary": "Investigating delayed ingestion",
        "fact_checked_by": "Marco",
        "message_status": "Sent",
    },
    {
        "message_time": "2026-03-03 11:30 UTC",
        "message_channel": "Email",
        "message_audience": "Owners and admins",
        "message_summary": "Delayed, nothing lost",
        "fact_checked_by": "Marco",
        "message_status": "Sent",
    },
]

FULL = incident(
    "inc-517",
    facts=FULL_FACTS,
    rows={"products": FULL_PRODUCTS, "messages": FULL_MESSAGES},
    status_updates=["2026-03-03T10:05:00Z", "2026-03-03T16:05:00Z"],
    walks=[
        {
            "playbook": "should-we-communicate",
            "address": "#/a/b",
            "outcome": "Communicate now",
            "at": "2026-03-03T09:50:00Z",
        }
    ],
    ticks={"a/b": [True, False, True]},
)

HOSTILE = incident(
    "inc-hostile",
    facts={key: (HOSTILE_NAME if key == "incident_name" else f"{key} {PAYLOAD}") for key in SINGLE_NAMES},
    rows={
        gid: [{key: f"{key} {PAYLOAD}" for key in keys}, {key: f"{PAYLOAD} 2" for key in keys}]
        for gid, keys in ROW_FIELDS.items()
    },
    status_updates=["2026-03-03T10:05:00Z"],
    walks=[{"playbook": "p <script>window.__pwned=1</script>", "address": "#/" + PAYLOAD, "outcome": PAYLOAD,
            "at": "2026-03-03T10:00:00Z"}],
    ticks={PAYLOAD: [True]},
)

CASES: list[tuple[str, dict[str, Any]]] = [
    ("empty", incident("inc-empty")),
    ("full", FULL),
    ("hostile", HOSTILE),
    (
        "products-half-empty",
        incident(
            "inc-products",
            facts={"incident_name": "INC-2 products"},
            rows={
                "products": [
                    {"product": "Analytics", "user_visible_impact": "Charts late"},
                    {"product": "Flags"},  # no impact: in product_names, not in impact_summary
                    {"user_visible_impact": "An impact without a product"},
                    {},
                    {"product": "  \t ", "data_lost_or_delayed": "\n"},  # only white space: not a row
                    {"product": "Replay", "user_visible_impact": "Late", "data_lost_or_delayed": "Delayed"},
                ],
                "messages": [],
            },
        ),
    ),
    (
        "messages-logged",
        incident(
            "inc-messages",
            facts={"incident_name": "INC-3 log", "comms_lead": "Priya"},
            rows={
                "products": [],
                "messages": [
                    *FULL_MESSAGES,
                    {"message_time": "2026-03-03 12:00 UTC", "message_channel": "Chat"},  # half filled
                    {"message_summary": "no time"},
                ],
            },
        ),
    ),
    (
        "updates-out-of-order",
        incident(
            "inc-updates",
            facts={"incident_name": "INC-4 clock"},
            status_updates=[
                "2026-03-03T12:00Z",
                "2026-03-03T09:15:30Z",
                "2026-03-03T14:05:59Z",  # the latest, with seconds
                "2026-03-03T10:00Z",
                "2026-03-03T13:00:60Z",  # no such second: the schema takes it, the clock does not
            ],
        ),
    ),
    ("no-updates", incident("inc-none", facts={"incident_name": "INC-5 no update yet", "incident_lead": "Marco"})),
    (
        "year-end",
        incident("inc-year", facts={"incident_name": "INC-6 new year"}, status_updates=["2026-12-31T22:30:00Z"]),
    ),
    (
        "leap-day",
        incident("inc-leap", facts={"incident_name": "INC-7 leap"}, status_updates=["2028-02-28T20:00Z"]),
    ),
    (
        "clock-past-9999",
        incident("inc-9999", facts={"incident_name": "INC-8 far"}, status_updates=["9999-12-31T22:00:00Z"]),
    ),
    ("time-words", incident("inc-words", facts={"start_utc": "soon, maybe 10ish"})),
    ("time-no-such-day", incident("inc-feb30", facts={"start_utc": "2026-02-30T10:00Z"})),
    ("time-hour-24", incident("inc-h24", facts={"start_utc": "2026-03-03 24:00"})),
    ("time-short-form", incident("inc-short", facts={"start_utc": "  2026-3-3 9:40 UTC\t"})),
    ("time-fraction", incident("inc-frac", facts={"start_utc": "2026-03-03T09:40:00.123Z"})),
    ("time-non-ascii-digits", incident("inc-arabic", facts={"start_utc": "٢٠٢٦-٠٣-٠٣ ٠٩:٤٠"})),
    (
        "white-space-only",
        incident(
            "inc-white",
            facts={key: " \t\r\n\f\v " for key in SINGLE_NAMES},
            rows={"products": [{key: "\n" for key in ROW_FIELDS["products"]}], "messages": []},
        ),
    ),
    (
        "unicode-names",
        incident(
            "inc-unicode",
            facts={
                "incident_name": "חקירה 🔥 تحقيق\u200f",
                "comms_lead": "Zoë\u00a0Ångström",
                "incident_lead": "👩\u200d💻 Dev",
                "severity": "Major",
            },
            rows={"products": [{"product": "数据 \u2028 pipeline", "user_visible_impact": "\u200bzero width"}],
                  "messages": []},
        ),
    ),
    (
        "closed-practice",
        incident(
            "practice",
            practice=True,
            closed_at="2026-03-04T09:00:00Z",
            facts={"incident_name": "Practice"},
            status_updates=["2026-03-03T23:59Z"],
        ),
    ),
    ("longest-values", incident("inc-long", facts={key: "x" * 4999 + "<" for key in SINGLE_NAMES})),
]

NAMES = [name for name, _ in CASES]
assert len(NAMES) == len(set(NAMES)), "case names repeat"
BY_NAME = dict(CASES)
