"""The plan generator: fill a template's placeholders from answers, with repeated rows and computed times.

One source, two runtimes. :func:`compile_template` turns a template into a small structure (lines of
text and placeholder names, each line tagged with the row group it repeats for). The CLI renders it
with :func:`render`; the site embeds the same structure and ``docs/assets/icp/plan.js`` renders it with
the same rules, which the tests hold byte-identical for a table of inputs:

* a value is text: runs of whitespace (newlines too) become one space, and the characters Markdown
  or HTML would act on (\\ ` * _ { } [ ] < > |) get a backslash, so no value can inject anything;
* an empty value leaves ``{{ name }}`` in place and is reported as unfilled;
* a line that uses a group's placeholders repeats once per row (once, unfilled, with no rows);
* a time field (the schedule's last update, and every single-value placeholder whose example is a time) is
  read as ``YYYY-MM-DD HH:MM`` in UTC, also with one-digit month, day or hour, ``/`` for ``-`` in the date,
  ``T`` or spaces before the time, seconds, and a ``Z`` or `` UTC`` after it; it is written back as
  ``YYYY-MM-DD HH:MM``. One that is written but is no such time stays as written and is reported first
  among the unfilled;
* the schedule works from the status page's last update: update k is due at ``last + k × every_hours``
  (k = 1…count, each assuming the one before came on time) and is checked ``check_before_minutes`` before,
  shown as ``CHECK (update due by DUE)`` with ``YYYY-MM-DD HH:MM`` times in UTC.

:func:`plan_form` draws the form and the empty plan as the page first shows them, so nothing moves when
the script starts.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from ..engine.facts import FACT_NAMES
from ..engine.models import Template
from .formats import convert_line
from .html import Markup, el, join

PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n+", re.DOTALL)
SCHEDULE_GROUP = "@schedule"
# explicit character sets, not \s or \d: Python's and JavaScript's differ outside ASCII
_WHITE = " \t\r\n\f\v"
_SPACE = re.compile(f"[{_WHITE}]+")
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|])")
# plan.js has the same pattern between ^ and $
_TIME = re.compile(
    r"([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})"  # the date: year, separator, month, the same separator, day
    r"(?:[Tt]| +)([0-9]{1,2}):([0-9]{2})(?::[0-5][0-9])?(?: ?(?:Z|UTC))?"  # the time, seconds and zone left out
)
_LONG = re.compile(r"audiences|notes|plan|summary")  # placeholders that get a text area

Compiled = dict[str, Any]


def compile_template(template: Template, fmt: str = "markdown") -> Compiled:
    """The template as data both renderers share (front matter left out: a plan is an issue's body), its own text
    in the format ``fmt`` (:mod:`macros.render.formats`). A template with no generator section has no row groups
    and no schedule. ``sources``: the workspace fact each placeholder is filled from (its ``fact:``, else the
    fact of its name); a row group named like a workspace row fact takes those rows."""
    generator = template.generator
    groups = generator.groups if generator else {}
    schedule = generator.schedule if generator else None
    group_of = {field: gid for gid, group in groups.items() for field in group.fields}
    if schedule:
        group_of[schedule.placeholder] = SCHEDULE_GROUP
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
        lines.append({"group": group, "parts": convert_line(parts, fmt)})
    in_groups = set(group_of)
    fields = [
        {
            "name": name,
            "description": template.placeholders[name].description,
            "example": template.placeholders[name].example,
        }
        for name in _first_use(lines)
        if name not in in_groups and name in template.placeholders
    ]
    times = [schedule.last_update] if schedule else []
    times += [f["name"] for f in fields if f["name"] not in times and utc_time(f["example"])]
    sources = {}
    for name in _first_use(lines):
        placeholder = template.placeholders.get(name)
        source = placeholder.fact if placeholder and placeholder.fact else name
        if name not in in_groups and source in FACT_NAMES:
            sources[name] = source
    return {
        "template": template.id,
        "title": template.title,
        "format": fmt,
        "escape": fmt == "markdown",
        "sources": sources,
        "lines": lines,
        "fields": fields,
        "times": times,
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
            for gid, group in groups.items()
        },
        "schedule": schedule.model_dump() if schedule else None,
    }


def _first_use(lines: list[dict[str, Any]]) -> list[str]:
    """Placeholder names in the order the body first uses them (the order of the form)."""
    names = [part[0] for line in lines for part in line["parts"] if isinstance(part, list)]
    return list(dict.fromkeys(names))


def clean(value: str, escape: bool = True) -> str:
    """A value as inert text on one line; in Markdown (``escape``), with a backslash before what Markdown or HTML
    would act on."""
    text = _SPACE.sub(" ", value).strip(" ")
    return _SPECIAL.sub(r"\\\1", text) if escape else text


def utc_time(value: str) -> datetime.datetime | None:
    match = _TIME.fullmatch(value.strip(_WHITE))
    if not match:
        return None
    year, _, month, day, hour, minute = match.groups()
    try:
        return datetime.datetime(int(year), int(month), int(day), int(hour), int(minute))
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
    escape = compiled.get("escape", True)
    missing: list[str] = []
    rows: dict[str, list[dict[str, str]]] = {
        gid: [
            row for row in answers.get(gid) or [] if isinstance(row, dict) and any(clean(str(v)) for v in row.values())
        ]
        for gid in compiled["groups"]
    }
    for name in compiled["times"]:
        moment = utc_time(values.get(name, ""))
        if moment:
            values[name] = time_text(moment)
        elif clean(values.get(name, "")):
            missing.append(name)  # written, but not a time (for the last update: the schedule cannot be computed)
    if schedule:
        last = answers.get(schedule["last_update"], "")
        last = last if isinstance(last, str) else ""
        times = schedule_times(last, schedule["every_hours"], schedule["check_before_minutes"], schedule["count"])
        rows[SCHEDULE_GROUP] = [{schedule["placeholder"]: t} for t in times]

    def fill(parts: list, source: dict[str, str]) -> str:
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                continue
            name = part[0]
            value = clean(str(source.get(name) or ""), escape)
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


def missing_text(missing: list[str], labels: dict[str, str]) -> str:
    """What the form says is still to fill, for answers with no time written (plan.js says the same)."""
    if not missing:
        return "Everything is filled in."
    names = ", ".join(labels.get(name, name) for name in missing)
    return f"Still to fill ({len(missing)}): {names}. They stay as {{{{ placeholders }}}} in the plan until you do."


def _field(field: dict[str, str], control_id: str, label: str, time: bool) -> Markup:
    help_id = f"{control_id}-help"
    attrs: dict[str, object] = {
        "id": control_id,
        "name": field["name"],
        "placeholder": f"e.g. {field['example']}",
        "aria-describedby": help_id,
        "autocomplete": "off",
        "disabled": True,
    }
    if _LONG.search(field["name"]):
        control = el("textarea", {**attrs, "rows": 2})
    else:
        control = el("input", {**attrs, "type": "text", "spellcheck": "false" if time else None})
    return el(
        "div",
        {"class": "icp-field"},
        el("label", {"for": control_id}, label),
        el("span", {"id": help_id, "class": "icp-field__help"}, field["description"]),
        el("span", {"id": f"{control_id}-error", "class": "icp-field__error"}) if time else None,
        control,
    )


def _button(label: str, **attrs: object) -> Markup:
    return el("button", {"type": "button", "class": "md-button icp-btn", **attrs, "disabled": True}, label)


def plan_form(compiled: Compiled, labels: dict[str, str], base: str) -> Markup:
    """The form and the plan for empty answers, as plan.js first shows them (same ids, same text), every control
    disabled until it starts: the page keeps its layout when it does, and without JavaScript the form still
    shows what a plan needs."""
    times = set(compiled["times"])
    singles = [
        _field(f, f"{base}-{f['name']}", labels.get(f["name"], f["name"]), f["name"] in times)
        for f in compiled["fields"]
    ]
    groups = []
    for gid, group in compiled["groups"].items():
        row = el(
            "fieldset",
            {"class": "icp-row"},
            el("legend", None, f"{group['label']} 1"),
            *[
                _field(f, f"{base}-{gid}-0-{f['name']}", labels.get(f["name"], f["name"]), False)
                for f in group["fields"]
            ],
        )
        groups.append(
            el(
                "fieldset",
                {"class": "icp-group", "data-group": gid},
                el("legend", None, f"{group['label']}s"),
                el("div", {"class": "icp-rows"}, row),
                _button(f"Add a {group['label'].lower()}", **{"data-add": gid}),
            )
        )
    text, missing = render(compiled, {})
    return join(
        [
            el(
                "form",
                {"class": "icp-plan__form", "novalidate": True, "data-search-exclude": True},
                el("fieldset", None, el("legend", None, "The incident"), *singles),
                *groups,
                el(
                    "button",
                    {"type": "submit", "class": "md-button md-button--primary icp-btn", "disabled": True},
                    "Update the plan",
                ),
            ),
            el(
                "section",
                {"class": "icp-plan__result", "aria-labelledby": f"{base}-result", "data-search-exclude": True},
                el("h2", {"id": f"{base}-result", "tabindex": "-1"}, "Your comms plan"),
                el(
                    "div",
                    {"class": "icp-plan__missing"},
                    el("p", {"class": "icp-notice"} if missing else None, missing_text(missing, labels)),
                ),
                el(
                    "div",
                    {"class": "icp-controls"},
                    _button("Copy the plan", **{"data-act": "copy"}),
                    _button("Download the plan", **{"data-act": "download"}),
                    _button("Clear the form", **{"data-act": "clear"}),
                ),
                el(
                    "pre",
                    {"class": "icp-plan__pre", "tabindex": "0", "role": "region", "aria-label": "The plan as text"},
                    el("code", {"class": "icp-plan__output"}, text),
                ),
            ),
        ]
    )
