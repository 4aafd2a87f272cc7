"""A compiled template's answers from an incident of the workspace (the ``incident`` of an export file,
:mod:`macros.engine.incident_file`), so that ``python -m macros template --incident`` writes the same bytes as
the browser (``valuesFor`` in ``docs/assets/icp/fill.js``, held to it by the tests). Rule by rule:

* a placeholder listed in the compiled ``sources`` takes its fact: a single fact as it is stored (a ``time``
  fact, kept as an ISO moment in UTC, written ``YYYY-MM-DD HH:MM``), or a derived one (:data:`DERIVED`);
* a derived ``rows`` value: every row of that row fact whose named fields are all filled gives its parts, the
  fields' text folded onto one line; those are joined with ``join`` (with ``unique``, each text once, where it
  first comes); none gives nothing (the placeholder stays);
* a derived ``clock`` value: ``last`` is the latest status-page update, ``next`` is ``every_hours`` after it,
  written ``YYYY-MM-DD HH:MM``; with no update, nothing;
* a compiled row group whose id is a row fact (``products``, ``messages``) takes the incident's rows.

:func:`macros.render.plan.render` then fills the template as it does for the plan generator.
"""

from __future__ import annotations

import datetime
from typing import Any

from ..engine.facts import DERIVED, ROW_FACTS, SINGLE_FACTS
from .plan import Compiled, clean, time_text, utc_time

_KINDS = {fact["key"]: fact["kind"] for fact in SINGLE_FACTS}


def last_update(incident: dict[str, Any]) -> datetime.datetime | None:
    moments = [m for m in (utc_time(str(t)) for t in incident.get("status_updates") or []) if m]
    return max(moments) if moments else None


def derive(rule: dict[str, Any], incident: dict[str, Any], every_hours: int) -> str:
    if "clock" in rule:
        last = last_update(incident)
        if last is None:
            return ""
        if rule["clock"] == "last":
            return time_text(last)
        try:
            return time_text(last + datetime.timedelta(hours=every_hours))
        except OverflowError:
            return ""
    named = [part[0] for part in rule["parts"] if not isinstance(part, str)]
    rows = (incident.get("rows") or {}).get(rule["rows"]) or []
    given = [row for row in rows if all(clean(str(row.get(name) or ""), False) for name in named)]
    texts = ["".join(part if isinstance(part, str) else clean(str(row[part[0]]), False) for part in rule["parts"])
             for row in given]
    return rule["join"].join(dict.fromkeys(texts) if rule.get("unique") else texts)


def values_for(compiled: Compiled, incident: dict[str, Any], every_hours: int) -> dict[str, Any]:
    """The answers :func:`macros.render.plan.render` takes, from ``incident``."""
    answers: dict[str, Any] = {}
    facts = incident.get("facts") or {}
    for name, source in (compiled.get("sources") or {}).items():
        if source in _KINDS:
            value = str(facts.get(source, ""))
            moment = utc_time(value) if _KINDS[source] == "time" else None
            answers[name] = time_text(moment) if moment else value
        elif source in DERIVED:
            answers[name] = derive(DERIVED[source], incident, every_hours)
    for gid in compiled["groups"]:
        if gid in ROW_FACTS:
            answers[gid] = [dict(row) for row in (incident.get("rows") or {}).get(gid) or []]
    return answers
