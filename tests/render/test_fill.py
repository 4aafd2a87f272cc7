"""Templates filled from an incident of the workspace, Python side (``macros/render/fill.py``): ``values_for`` rule
by rule, every real template in every format for every case of ``workspace_cases``, and the formats' rules.

The browser side (``fill.js``) is held to these bytes by ``tests/site/test_workspace_safety.py``.
"""

from __future__ import annotations

import re

import pytest

from macros.engine.facts import DERIVED, FACT_NAMES, ROW_FACTS, SINGLE_FACTS
from macros.engine.loader import load_project
from macros.render.fill import derive, last_update, values_for
from macros.render.formats import FORMATS, convert_line
from macros.render.plan import FRONT_MATTER, PLACEHOLDER, clean, compile_template, render
from tests.render.plan_cases import CASES as PLAN_CASES
from tests.render.plan_cases import FULL as PLAN_FULL
from tests.render.workspace_cases import BY_NAME, CASES, HOSTILE, HOSTILE_NAME, PAYLOAD, incident

PROJECT = load_project()
EVERY_HOURS = PROJECT.organisation.incident.status_page_every_hours
TEMPLATES = list(PROJECT.templates.values())
PLAN_TEMPLATE = next(t for t in TEMPLATES if t.generator)
KINDS = {fact["key"]: fact["kind"] for fact in SINGLE_FACTS}


def compiled_with(sources: dict[str, str], groups: tuple[str, ...] = ()) -> dict:
    """The least of a compiled template ``values_for`` reads: its sources and its row groups."""
    return {"sources": sources, "groups": {gid: {"label": gid, "fields": []} for gid in groups}}


# --------------------------------------------------------------------------------------------- values_for, rule by rule


def test_the_organisation_asks_for_the_guidelines_six_hours():
    assert EVERY_HOURS == 6


def test_a_single_fact_is_taken_as_stored():
    one = incident(facts={"incident_name": "  INC-1\nsecond line ", "comms_lead": "Priya"})
    answers = values_for(compiled_with({"incident_name": "incident_name", "lead": "comms_lead"}), one, EVERY_HOURS)
    assert answers == {"incident_name": "  INC-1\nsecond line ", "lead": "Priya"}, "folding is render's job"


def test_a_fact_not_given_is_empty_and_its_placeholder_stays():
    compiled = compile_template(PROJECT.templates["security-incident-note"], "markdown")
    answers = values_for(compiled, incident(), EVERY_HOURS)
    assert set(answers) == set(compiled["sources"]) and all(v == "" for v in answers.values())
    text, missing = render(compiled, answers)
    assert "{{ incident_name }}" in text and missing[0] == "incident_name"


def test_a_placeholder_is_filled_from_the_fact_it_names():
    compiled = compile_template(PROJECT.templates["handover-note"], "text")
    assert compiled["sources"]["outgoing_comms_lead"] == "comms_lead"
    assert compiled["sources"]["current_impact"] == "impact_summary"
    answers = values_for(compiled, BY_NAME["full"], EVERY_HOURS)
    assert answers["outgoing_comms_lead"] == "Priya"
    assert "comms_lead" not in answers, "a placeholder the template does not use is not filled"


def test_only_placeholders_named_like_a_fact_have_a_source():
    for template in TEMPLATES:
        compiled = compile_template(template)
        assert set(compiled["sources"].values()) <= set(FACT_NAMES), template.id
        in_rows = {f["name"] for g in compiled["groups"].values() for f in g["fields"]}
        assert not set(compiled["sources"]) & in_rows, template.id


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("2026-03-03T09:40:00Z", "2026-03-03 09:40"),
        ("2026-03-03T09:40Z", "2026-03-03 09:40"),
        ("  2026-3-3 9:40 UTC\t", "2026-03-03 09:40"),
        ("2026/12/01   9:05", "2026-12-01 09:05"),
        ("soon, maybe 10ish", "soon, maybe 10ish"),  # no time: kept as written
        ("2026-02-30T10:00Z", "2026-02-30T10:00Z"),
        ("2026-03-03 24:00", "2026-03-03 24:00"),
        ("2026-03-03T09:40:00.123Z", "2026-03-03T09:40:00.123Z"),
        ("٢٠٢٦-٠٣-٠٣ ٠٩:٤٠", "٢٠٢٦-٠٣-٠٣ ٠٩:٤٠"),
        ("", ""),
    ],
)
def test_a_time_fact_is_written_in_utc_or_kept_as_written(stored, written):
    assert KINDS["start_utc"] == "time"
    answers = values_for(compiled_with({"start": "start_utc"}), incident(facts={"start_utc": stored}), EVERY_HOURS)
    assert answers == {"start": written}


def test_a_time_fact_that_is_no_time_is_reported_first_by_the_plan():
    compiled = compile_template(PLAN_TEMPLATE)
    assert "start_utc" in compiled["times"]
    text, missing = render(compiled, values_for(compiled, BY_NAME["time-words"], EVERY_HOURS))
    assert missing[0] == "start_utc", missing
    assert "soon, maybe 10ish" in text


def test_a_text_fact_that_looks_like_a_time_is_not_rewritten():
    one = incident(facts={"notes": "2026-03-03T09:40:00Z"})
    assert values_for(compiled_with({"notes": "notes"}), one, EVERY_HOURS) == {"notes": "2026-03-03T09:40:00Z"}


def test_rows_rule_takes_only_rows_with_every_named_field():
    one = BY_NAME["products-half-empty"]
    assert derive(DERIVED["product_names"], one, EVERY_HOURS) == "Analytics, Flags, Replay"
    assert derive(DERIVED["impact_summary"], one, EVERY_HOURS) == "Analytics: Charts late; Replay: Late"
    assert derive(DERIVED["data_status"], one, EVERY_HOURS) == "Replay: Delayed"


def test_rows_rule_folds_each_field_onto_one_line_without_escaping():
    one = incident(rows={"products": [{"product": " A\n\tB ", "user_visible_impact": "x*_<y>"}], "messages": []})
    assert derive(DERIVED["impact_summary"], one, EVERY_HOURS) == "A B: x*_<y>", "render escapes, derive does not"


def test_rows_rule_with_no_row_gives_nothing():
    for name in ("product_names", "impact_summary", "data_status", "sent_so_far"):
        assert derive(DERIVED[name], incident(), EVERY_HOURS) == "", name
        assert derive(DERIVED[name], incident(rows={}), EVERY_HOURS) == "", name


def test_sent_so_far_is_the_log_of_complete_entries():
    text = derive(DERIVED["sent_so_far"], BY_NAME["messages-logged"], EVERY_HOURS)
    assert text == (
        "2026-03-03 10:05 UTC Status page to Everyone: Investigating delayed ingestion; "
        "2026-03-03 11:30 UTC Email to Owners and admins: Delayed, nothing lost"
    )


def test_clock_last_is_the_latest_update_whatever_the_order():
    one = BY_NAME["updates-out-of-order"]
    assert last_update(one).isoformat() == "2026-03-03T14:05:00"
    assert derive(DERIVED["status_page_updated_utc"], one, EVERY_HOURS) == "2026-03-03 14:05"
    assert derive(DERIVED["status_page_next_due_utc"], one, EVERY_HOURS) == "2026-03-03 20:05"


def test_clock_next_crosses_the_year():
    one = BY_NAME["year-end"]
    assert derive(DERIVED["status_page_updated_utc"], one, EVERY_HOURS) == "2026-12-31 22:30"
    assert derive(DERIVED["status_page_next_due_utc"], one, EVERY_HOURS) == "2027-01-01 04:30"
    assert derive(DERIVED["status_page_next_due_utc"], BY_NAME["leap-day"], EVERY_HOURS) == "2028-02-29 02:00"


def test_clock_with_no_update_or_past_9999_gives_nothing():
    assert derive(DERIVED["status_page_updated_utc"], BY_NAME["no-updates"], EVERY_HOURS) == ""
    assert derive(DERIVED["status_page_next_due_utc"], BY_NAME["no-updates"], EVERY_HOURS) == ""
    far = BY_NAME["clock-past-9999"]
    assert derive(DERIVED["status_page_updated_utc"], far, EVERY_HOURS) == "9999-12-31 22:00"
    assert derive(DERIVED["status_page_next_due_utc"], far, EVERY_HOURS) == ""


def test_the_plan_schedule_runs_from_the_last_update():
    compiled = compile_template(PLAN_TEMPLATE)
    text, _ = render(compiled, values_for(compiled, BY_NAME["year-end"], EVERY_HOURS))
    assert "- [ ] 2027-01-01 03:30 (update due by 2027-01-01 04:30)\n" in text


def test_row_groups_named_like_a_row_fact_take_the_incidents_rows_as_copies():
    compiled = compile_template(PLAN_TEMPLATE)
    assert set(compiled["groups"]) == set(ROW_FACTS)
    full = BY_NAME["full"]
    answers = values_for(compiled, full, EVERY_HOURS)
    assert answers["products"] == full["rows"]["products"]
    assert answers["messages"] == full["rows"]["messages"]
    assert answers["products"][0] is not full["rows"]["products"][0]
    answers["products"][0]["product"] = "changed"
    assert full["rows"]["products"][0]["product"] == "Analytics"
    assert values_for(compiled_with({}, ("products", "other")), full, EVERY_HOURS) == {
        "products": full["rows"]["products"]
    }, "a group that is no row fact takes nothing"


def test_the_full_incident_fills_the_handover_note():
    compiled = compile_template(PROJECT.templates["handover-note"], "markdown")
    text, missing = render(compiled, values_for(compiled, BY_NAME["full"], EVERY_HOURS))
    assert "INC-517 delayed event ingestion" in text
    assert "last update 2026-03-03 16:05 UTC" in text
    assert "Analytics: Charts stop at 21:40 UTC; Session replay: Recordings appear late" in text
    assert "{{ incident_name }}" not in text and "incident_name" not in missing


# --------------------------------------------------------------------------------------------- every case


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("name", "one"), CASES, ids=[name for name, _ in CASES])
def test_every_template_fills_for_every_case(name, one, fmt):
    for template in TEMPLATES:
        compiled = compile_template(template, fmt)
        answers = values_for(compiled, one, EVERY_HOURS)
        text, missing = render(compiled, answers)
        assert text.endswith("\n") and not text.endswith("\n\n"), (template.id, name)
        assert len(missing) == len(set(missing)), (template.id, name)
        for placeholder in missing:
            if placeholder not in compiled["times"]:
                assert "{{ " + placeholder + " }}" in text, (template.id, name, placeholder)
        assert "\x00" not in text, "a format's marker was left in"


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_values_stay_on_their_line_and_in_markdown_are_escaped(fmt):
    for template in TEMPLATES:
        compiled = compile_template(template, fmt)
        empty, _ = render(compiled, values_for(compiled, incident(), EVERY_HOURS))
        text, _ = render(compiled, values_for(compiled, HOSTILE, EVERY_HOURS))
        assert "line\nbreak" not in text and "and\ttab" not in text, template.id
        if compiled["groups"]:
            continue  # its rows add lines
        assert text.count("\n") == empty.count("\n"), template.id
        if fmt == "markdown":
            bare = re.compile(r"(?<!\\)[<>]")
            assert len(bare.findall(text)) == len(bare.findall(empty)), f"{template.id}: a value's < or > is bare"
        if "incident_name" in compiled["sources"]:
            assert clean(HOSTILE_NAME, fmt == "markdown") in text, (template.id, fmt)


def test_markdown_escapes_every_character_markdown_or_html_acts_on():
    compiled = compile_template(PROJECT.templates["security-incident-note"], "markdown")
    text, _ = render(compiled, values_for(compiled, HOSTILE, EVERY_HOURS))
    line = next(line for line in text.split("\n") if line.startswith("Incident: "))
    value = line.removeprefix("Incident: ")
    assert value == clean(HOSTILE_NAME)
    assert all(value[i - 1] == "\\" for i, ch in enumerate(value) if ch in "<>[]*_|`{}"), value
    assert "\\{\\{ x \\}\\}" in value and "\\<script\\>" in value and "\\</code\\>" in value
    assert "back\\\\slash" in value
    assert "\u00a0" in value and "\u200d" in value and "שלום" in value, "what is not white space is kept"


@pytest.mark.parametrize("fmt", ["slack", "text"])
def test_values_are_never_converted_by_a_format(fmt):
    compiled = compile_template(PROJECT.templates["security-incident-note"], fmt)
    one = incident(facts={"incident_name": "# not a heading **bold** [a](https://x.example) \\_"})
    text, _ = render(compiled, values_for(compiled, one, EVERY_HOURS))
    assert "Incident: # not a heading **bold** [a](https://x.example) \\_\n" in text


# --------------------------------------------------------------------------------------------- the formats


HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)", re.MULTILINE)
LINK = re.compile(r"\[[^\]\n]*\]\([^)\s]*\)")
ESCAPE = re.compile(r"\\[\\`*_{}\[\]()<>#+.!|-]")


def test_the_real_templates_have_markdown_to_convert():
    bodies = "\n".join(FRONT_MATTER.sub("", t.body) for t in TEMPLATES)
    assert HEADING.search(bodies) and "**" in bodies


@pytest.mark.parametrize("fmt", ["slack", "text"])
@pytest.mark.parametrize("template", TEMPLATES, ids=[t.id for t in TEMPLATES])
def test_slack_and_text_carry_no_markdown_of_the_templates_own(template, fmt):
    compiled = compile_template(template, fmt)
    for name in ("empty", "full"):  # values of neither hold Markdown
        text, _ = render(compiled, values_for(compiled, BY_NAME[name], EVERY_HOURS))
        assert not HEADING.search(text), (name, HEADING.search(text).group(0))
        assert "**" not in text, name
        assert not LINK.search(text), (name, LINK.search(text).group(0))
        assert "<!--" not in text and "-->" not in text, name
        assert not ESCAPE.search(text), (name, ESCAPE.search(text).group(0))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("template", TEMPLATES, ids=[t.id for t in TEMPLATES])
def test_a_format_keeps_every_placeholder_of_every_line(template, fmt):
    markdown = compile_template(template, "markdown")
    other = compile_template(template, fmt)
    assert len(other["lines"]) == len(markdown["lines"])
    for a, b in zip(markdown["lines"], other["lines"], strict=True):
        names = [p[0] for p in a["parts"] if isinstance(p, list)]
        assert [p[0] for p in b["parts"] if isinstance(p, list)] == names or "<!--" in "".join(
            p for p in a["parts"] if isinstance(p, str)
        )
        assert a["group"] == b["group"]
    assert other["escape"] is (fmt == "markdown") and other["format"] == fmt
    assert {k: v for k, v in other.items() if k not in ("lines", "format", "escape")} == {
        k: v for k, v in markdown.items() if k not in ("lines", "format", "escape")
    }


@pytest.mark.parametrize(
    ("line", "slack", "text"),
    [
        ("## Where things stand", "*Where things stand*", "Where things stand"),
        ("# Title ##", "*Title*", "Title"),
        ("**Severity:** high", "*Severity:* high", "Severity: high"),
        ("See [the page](https://status.example.com).", "See <https://status.example.com|the page>.",
         "See the page (https://status.example.com)."),
        ("- [ ] to do", "☐ to do", "- [ ] to do"),
        ("  * [x] done", "  ☑ done", "  * [x] done"),
        ("- item", "• item", "- item"),
        ("a <!-- hidden --> b", "a  b", "a  b"),
        ("1\\. not a list \\*", "1. not a list *", "1. not a list *"),
    ],
)
def test_format_rules(line, slack, text):
    assert convert_line([line], "slack") == [slack]
    assert convert_line([line], "text") == [text]
    assert convert_line([line], "markdown") == [line]


def test_a_placeholder_inside_converted_markdown_stays_a_placeholder():
    parts = ["## ", ["incident_name"], " **", ["severity"], "**"]
    assert convert_line(parts, "slack") == ["*", ["incident_name"], " *", ["severity"], "**"]
    assert convert_line(parts, "text") == [["incident_name"], " ", ["severity"]]
    assert convert_line([["a"]], "text") == [["a"]]
    assert convert_line(["<!-- all gone -->"], "text") == [""]


# --------------------------------------------------------------------------------------------- the plan generator


def _reference_lines(template) -> list[list]:
    """The body's lines split at placeholders, with code of its own (what the plan generator compiled before
    formats existed)."""
    out = []
    for line in FRONT_MATTER.sub("", template.body).split("\n"):
        parts: list = []
        position = 0
        for match in PLACEHOLDER.finditer(line):
            if match.start() > position:
                parts.append(line[position : match.start()])
            parts.append([match.group(1)])
            position = match.end()
        if position < len(line) or not parts:
            parts.append(line[position:])
        out.append(parts)
    return out


def test_markdown_compile_of_the_plan_generators_template_is_unchanged():
    compiled = compile_template(PLAN_TEMPLATE, "markdown")
    assert compiled == compile_template(PLAN_TEMPLATE), "markdown is the default"
    assert compiled["escape"] is True
    assert [line["parts"] for line in compiled["lines"]] == _reference_lines(PLAN_TEMPLATE)
    schedule = PLAN_TEMPLATE.generator.schedule
    assert compiled["times"] == [schedule.last_update, "start_utc"]
    assert set(compiled["groups"]) == set(PLAN_TEMPLATE.generator.groups)
    grouped = {line["group"] for line in compiled["lines"]} - {None}
    assert grouped == {*PLAN_TEMPLATE.generator.groups, "@schedule"}


def test_the_plan_generators_output_is_what_the_plan_tests_expect():
    compiled = compile_template(PLAN_TEMPLATE, "markdown")
    text, missing = render(compiled, PLAN_FULL)
    assert missing == [] and "{{" not in text
    assert "| Analytics | Charts stop at 21:40 UTC | Not affected | Results pause | Exports run late |" in text
    hostile, _ = render(compiled, PLAN_CASES["hostile"])
    assert "\\<script\\>" in hostile and "\\[click\\](javascript:alert(1))" in hostile and "a\\|b" in hostile
    text, _ = render(compiled, {"status_page_updated_utc": "2026-03-03 21:40"})
    assert "- [ ] 2026-03-04 02:40 (update due by 2026-03-04 03:40)\n" in text


def test_the_hostile_payload_has_everything_it_should():
    for needle in ("{{ x }}", "<script>window.__pwned=1</script>", "<img src=x onerror=window.__pwned=1>", "\\",
                   "*_[]|", "</code>", "\n", "\t", "\u00a0", "مرحبا", "שלום", "🔥", "\u200d"):
        assert needle in PAYLOAD, needle
