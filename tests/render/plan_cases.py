"""Inputs for the plan generator that the CLI, the Python renderer and the browser must agree on."""

from __future__ import annotations

FULL = {
    "incident_name": "INC-517 delayed event ingestion",
    "incident_link": "https://chat.example.com/archives/C0INC517",
    "start_utc": "2026-03-03 21:40",
    "status_page_updated_utc": "2026-03-03 22:05",
    "severity": "Critical",
    "comms_lead": "Priya",
    "incident_lead": "Marco",
    "audiences": "Owners and admins of the 212 organisations whose events were delayed",
    "channel_notes": "Status page throughout; one email after resolution.",
    "fact_checked_by": "Marco (Incident Lead)",
    "postmortem_link": "Planned",
    "handover_plan": "Sam takes over at 18:00 UTC",
    "products": [
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
    ],
    "messages": [
        {
            "message_audience": "Owners and admins",
            "message_summary": "Resolved; nothing lost",
            "message_time": "After resolution",
            "message_status": "Draft",
        }
    ],
}

CASES = {
    "empty": {},
    "full": FULL,
    "day-boundary": {"status_page_updated_utc": "2026-12-31 20:15", "incident_name": "New year"},
    "t-separator-and-padding": {"status_page_updated_utc": "  2026-03-03T09:40\t"},
    "leap-day": {"status_page_updated_utc": "2028-02-29 23:00"},
    "not-a-date": {"status_page_updated_utc": "2026-02-30 10:00"},
    "hour-24": {"status_page_updated_utc": "2026-03-03 24:00"},
    "short-form": {"status_page_updated_utc": "2026-3-3 9:40"},
    # the times people write: one-digit hour, ISO with seconds and Z, a UTC suffix, slashes, several spaces
    "single-digit-hour": {"status_page_updated_utc": "2026-12-01 9:05"},
    "iso-seconds-z": {"status_page_updated_utc": "2026-12-01T09:05:59Z"},
    "lower-t-utc-suffix": {"status_page_updated_utc": "2026-12-01t09:05 UTC"},
    "slashes-and-spaces": {"status_page_updated_utc": "2026/12/01   9:05"},
    # and what is no time: words, mixed separators, a day first, seconds past 59, a 12-hour clock
    "yesterday-5pm": {"status_page_updated_utc": "yesterday 5pm"},
    "mixed-separators": {"status_page_updated_utc": "2026/12-01 09:05"},
    "day-first": {"status_page_updated_utc": "01/12/2026 09:05"},
    "seconds-60": {"status_page_updated_utc": "2026-12-01 09:05:60"},
    "pm-clock": {"status_page_updated_utc": "2026-12-01 5:05pm"},
    # the start is a time field too (its example is a time): written back the same way, or reported
    "start-short": {"start_utc": "2026-3-3 9:40", "status_page_updated_utc": "2026-03-03 10:05"},
    "start-not-a-time": {"start_utc": "soon", "status_page_updated_utc": "later"},
    "non-ascii-digits": {"status_page_updated_utc": "٢٠٢٦-٠٣-٠٣ ٠٩:٤٠"},
    "year-one": {"status_page_updated_utc": "0001-01-01 00:00"},
    "past-year-9999": {"status_page_updated_utc": "9999-12-31 12:00"},
    "hostile": {
        "incident_name": "<script>window.__pwned=1</script>",
        "severity": "[click](javascript:alert(1)) **bold** `code` {{ severity }}",
        "comms_lead": "<img src=x onerror=\"window.__pwned=1\">",
        "audiences": "| table | break |\n\n# heading\r\n- list",
        "products": [{"product": "a|b", "user_visible_impact": "\\ backslash _under_ {braces}"}],
    },
    "whitespace": {
        "incident_name": " \t two\r\nlines \f\v ",
        "severity": "\u00a0non-breaking\u00a0",
        "comms_lead": "line\u2028separator",
        "incident_lead": "\x1c\x1d odd controls",
    },
    "blank-rows-dropped": {"products": [{"product": "   "}, {"product": "Kept"}], "messages": [{}]},
    "unicode": {"incident_name": "Ingestion retardée 🚨 – 遅延", "comms_lead": "Zoë"},
}
