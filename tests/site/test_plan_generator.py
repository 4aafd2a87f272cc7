"""The plan generator in the browser: same bytes as the CLI, drafts that survive a reload, inert input."""

from __future__ import annotations

import subprocess
import sys

import pytest

from macros.engine.loader import load_project
from macros.render.plan import compile_template, render
from tests.render.plan_cases import CASES, FULL
from tests.render.test_plan import ROOT, answers_yaml

pytestmark = pytest.mark.browser

PROJECT = load_project()
TEMPLATE = next(t for t in PROJECT.templates.values() if t.generator)
COMPILED = compile_template(TEMPLATE)
PREFIX = f"#plan-{TEMPLATE.id}"


def split(answers: dict) -> dict:
    return {
        "values": {k: v for k, v in answers.items() if isinstance(v, str)},
        "rows": {k: v for k, v in answers.items() if not isinstance(v, str)},
    }


def cli_bytes(tmp_path, answers: dict) -> bytes:
    file = tmp_path / "answers.yaml"
    file.write_text(answers_yaml(answers), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "macros", "plan", "--answers", str(file)], cwd=ROOT,
                            capture_output=True, check=True)
    return result.stdout


def open_generator(site_server, open_context, **kwargs):
    context, recorder = open_context(**kwargs)
    page = context.new_page()
    page.goto(f"{site_server}comms-templates/plan-generator/")
    page.locator(f"{PREFIX} .icp-plan__output").wait_for()
    return context, page, recorder


def output(page) -> str:
    return page.evaluate(f"() => document.querySelector('{PREFIX} .icp-plan__output').textContent")


def fill(page, answers: dict) -> None:
    for name, value in answers.items():
        if isinstance(value, str):
            page.locator(f"#plan-{TEMPLATE.id}-{name}").fill(value)
    for group, rows in answers.items():
        if isinstance(rows, str):
            continue
        label = TEMPLATE.generator.groups[group].label.lower()
        for index, row in enumerate(rows):
            if index:
                page.get_by_role("button", name=f"Add a {label}").click()
            for field, value in row.items():
                page.locator(f"#plan-{TEMPLATE.id}-{group}-{index}-{field}").fill(value)


def test_browser_renderer_equals_python_and_cli_for_every_case(site_server, open_context, tmp_path):
    _context, page, recorder = open_generator(site_server, open_context)
    for name, answers in CASES.items():
        text, missing = render(COMPILED, answers)
        js = page.evaluate("([plan, answers]) => window.icpPlan.render(plan, answers)", [COMPILED, split(answers)])
        assert js["text"] == text, name
        assert js["missing"] == missing, name
        assert cli_bytes(tmp_path, answers) == text.encode("utf-8"), name
    assert not recorder.problems(), recorder.report()


def test_filling_the_form_gives_the_cli_plan_and_downloads_it(site_server, open_context, tmp_path):
    _context, page, recorder = open_generator(site_server, open_context, accept_downloads=True)
    fill(page, FULL)
    expected = cli_bytes(tmp_path, FULL)
    assert output(page).encode("utf-8") == expected
    assert "Everything is filled in." in page.locator(f"{PREFIX} .icp-plan__missing").text_content()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the plan").click()
    download = info.value
    assert download.suggested_filename == "comms-plan-inc-517-delayed-event-ingestion.md"
    path = tmp_path / "downloaded.md"
    download.save_as(path)
    assert path.read_bytes() == expected
    assert not recorder.problems(), recorder.report()


def test_schedule_across_midnight_and_unfilled_fields_flagged(site_server, open_context):
    _context, page, recorder = open_generator(site_server, open_context)
    page.locator(f"#plan-{TEMPLATE.id}-status_page_updated_utc").fill("2026-03-03 21:40")
    text = output(page)
    assert "- [ ] 2026-03-04 02:40 (update due by 2026-03-04 03:40)\n- [ ] 2026-03-04 08:40 (update due by" in text
    missing = page.locator(f"{PREFIX} .icp-plan__missing").text_content()
    assert missing.startswith("Still to fill (")
    assert "Incident name" in missing and "Status page last updated (UTC)" not in missing
    page.locator(f"#plan-{TEMPLATE.id}-status_page_updated_utc").fill("tomorrow")
    assert "Status page last updated (UTC)" in page.locator(f"{PREFIX} .icp-plan__missing").text_content()
    assert "{{ status_check_time }}" in output(page)
    assert not recorder.problems(), recorder.report()


def test_draft_survives_reload_and_can_be_cleared(site_server, open_context):
    _context, page, recorder = open_generator(site_server, open_context)
    fill(page, {"incident_name": "Draft kept", "products": [{"product": "One"}, {"product": "Two"}]})
    before = output(page)
    page.reload()
    page.locator(f"{PREFIX} .icp-plan__output").wait_for()
    assert output(page) == before
    assert page.locator(f"#plan-{TEMPLATE.id}-products-1-product").input_value() == "Two"
    page.get_by_role("button", name="Clear the form").click()
    assert page.locator(f"#plan-{TEMPLATE.id}-incident_name").input_value() == ""
    page.reload()
    page.locator(f"{PREFIX} .icp-plan__output").wait_for()
    assert output(page) == render(COMPILED, {})[0]
    assert not recorder.problems(), recorder.report()


def test_hostile_input_is_inert_text(site_server, open_context, tmp_path):
    _context, page, recorder = open_generator(site_server, open_context)
    fill(page, CASES["hostile"])
    assert page.evaluate("() => window.__pwned") is None
    assert output(page).encode("utf-8") == cli_bytes(tmp_path, CASES["hostile"])
    assert page.locator(f"{PREFIX} img").count() == 0 and page.locator(f"{PREFIX} script").count() == 0
    assert not recorder.dialogs and not recorder.page_errors, recorder.report()


def test_without_javascript_it_says_what_to_do_instead(site_server, open_context):
    context, recorder = open_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_server}comms-templates/plan-generator/")
    notice = page.locator(f"{PREFIX} .icp-plan__nojs")
    assert notice.is_visible()
    assert "python -m macros plan" in notice.text_content()
    assert not recorder.problems(), recorder.report()
