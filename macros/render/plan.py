"""The plan generator: fill a template's placeholders from answers, with repeated rows and computed times.

One source, two runtimes. :func:`compile_template` turns a template into a small structure (lines of
text and placeholder names, each line tagged with the row group it repeats for). The CLI renders it
with :func:`render`; the site embeds the same structure and ``docs/assets/icp/plan.js`` renders it with
the same rules, which the tests hold byte-identical for a table of inputs:

* a value is text: runs of whitespace (newlines too) become one space, and the characters Markdown
  or HTML would act on (\\ ` * _ { } [ ] < > |) get a backslash, so no value can inject anything;
* an empty value leaves ``{{ name }}`` in place and is reported as unfilled;
* a line that uses a group's placeholders repeats once per row (once, unfilled, with no rows);
* the schedule works from the status page's last update: update k is due at ``last + k × every_hours``
  (k = 1…count, each assuming the one before came on time) and is checked ``check_before_minutes`` before,
  shown as ``CHECK (update due by DUE)`` with ``YYYY-MM-DD HH:MM`` times in UTC; a last update that is
  written but is no such time is reported first among the unfilled.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from ..engine.models import Template

PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n+", re.DOTALL)
SCHEDULE_GROUP = "@schedule"
# explicit character sets, not \s or \d: Python's and JavaScript's differ outside ASCII
_WHITE = " \t\r\n\f\v"
_SPACE = re.compile(f"[{_WHITE}]+")
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|])")
_TIME = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})$")

Compiled = dict[str, Any]


def compile_template(template: Template) -> Compiled:
    """The template as data both renderers share (front matter left out: a plan is an issue's body)."""
    generator = template.generator
    if generator is None:
        raise ValueError(f"template '{template.id}' has no generator section")
    group_of = {field: gid for gid, group in generator.groups.items() for field in group.fields}
    if generator.schedule:
        group_of[generator.schedule.placeholder] = SCHEDULE_GROUP
    lines = []
    for line in FRONT_MATTER.sub("", template.body).split("\n"):
        parts: list[str | list[str]] = []
        group = None
        position = 0
        for match in PLACEHOLDER.finditer(line):
            if match.start() > position:
                parts.append(line[position : match.start()])
            parts.append([match.group(1)])
            group = group or group_of.get(match.group(1))
            position = match.end()
        if position < len(line) or not parts:
            parts.append(line[position:])
        lines.append({"group": group, "parts": parts})
    in_groups = set(group_of)
    schedule = generator.schedule
    return {
        "template": template.id,
        "lines": lines,
        "fields": [
            {
                "name": name,
                "description": template.placeholders[name].description,
                "example": template.placeholders[name].example,
            }
            for name in _first_use(lines)
            if name not in in_groups and name in template.placeholders
        ],
        "groups": {
            gid: {
                "label": group.label,
                "fields": [
                    {
                        "name": f,
                        "description": template.placeholders[f].description,
                        "example": template.placeholders[f].example,
                    }
                    for f in group.fields
                ],
            }
            for gid, group in generator.groups.items()
        },
        "schedule": schedule.model_dump() if schedule else None,
    }


def _first_use(lines: list[dict[str, Any]]) -> list[str]:
    """Placeholder names in the order the body first uses them (the order of the form)."""
    names = [part[0] for line in lines for part in line["parts"] if isinstance(part, list)]
    return list(dict.fromkeys(names))


def clean(value: str) -> str:
    """A value as inert text on one line."""
    return _SPECIAL.sub(r"\\\1", _SPACE.sub(" ", value).strip(" "))


def utc_time(value: str) -> datetime.datetime | None:
    match = _TIME.match(value.strip(_WHITE))
    if not match:
        return None
    try:
        return datetime.datetime(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def time_text(moment: datetime.datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} {moment.hour:02d}:{moment.minute:02d}"


def schedule_times(last_update: str, every_hours: int, before_minutes: int, count: int) -> list[str]:
    """The next ``count`` checks after ``last_update``; none when it is no time or the times run past 9999."""
    moment = utc_time(last_update)
    if moment is None:
        return []
    step, before = datetime.timedelta(hours=every_hours), datetime.timedelta(minutes=before_minutes)
    try:
        dues = [moment + step * k for k in range(1, count + 1)]
        return [f"{time_text(due - before)} (update due by {time_text(due)})" for due in dues]
    except OverflowError:
        return []


def render(compiled: Compiled, answers: dict[str, Any]) -> tuple[str, list[str]]:
    """The filled plan and the placeholders left unfilled (in order of first use).

    ``answers``: placeholder name → text, and group id → list of rows (placeholder name → text).
    """
    values = {k: v for k, v in answers.items() if isinstance(v, str)}
    schedule = compiled["schedule"]
    missing: list[str] = []
    rows: dict[str, list[dict[str, str]]] = {
        gid: [
            row for row in answers.get(gid) or [] if isinstance(row, dict) and any(str(v).strip() for v in row.values())
        ]
        for gid in compiled["groups"]
    }
    if schedule:
        last = values.get(schedule["last_update"], "")
        moment = utc_time(last)
        if moment:
            values[schedule["last_update"]] = time_text(moment)
        elif clean(last):
            missing.append(schedule["last_update"])  # written, but not a time: the schedule cannot be computed
        times = schedule_times(last, schedule["every_hours"], schedule["check_before_minutes"], schedule["count"])
        rows[SCHEDULE_GROUP] = [{schedule["placeholder"]: t} for t in times]

    def fill(parts: list, source: dict[str, str]) -> str:
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                continue
            name = part[0]
            value = clean(str(source.get(name) or ""))
            if value:
                out.append(value)
            else:
                out.append("{{ " + name + " }}")
                if name not in missing:
                    missing.append(name)
        return "".join(out)

    lines = []
    for line in compiled["lines"]:
        if line["group"] is None:
            lines.append(fill(line["parts"], values))
        else:
            for row in rows.get(line["group"]) or [{}]:
                lines.append(fill(line["parts"], row))
    return "\n".join(lines) + "\n", missing
