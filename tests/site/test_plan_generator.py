"""The plan generator in the browser: same bytes as the CLI, drafts that survive a reload, inert input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from axe_playwright_python.sync_playwright import Axe

from macros.engine.loader import load_project
from macros.render.plan import compile_template, render
from tests.render.plan_cases import CASES, FULL
from tests.render.test_plan import ROOT, answers_yaml
from tests.site.test_walker_views import CONTRAST

pytestmark = pytest.mark.browser

PROJECT = load_project()
TEMPLATE = next(t for t in PROJECT.templates.values() if t.generator)
COMPILED = compile_template(TEMPLATE)
PREFIX = f"#plan-{TEMPLATE.id}"
LAST_UPDATE = f"#plan-{TEMPLATE.id}-{TEMPLATE.generator.schedule.last_update}"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
CLS = """() => new Promise(done => { let total = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
    .observe({type: 'layout-shift', buffered: true});
  setTimeout(() => done(total), 1000); })"""


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
    mounted(page)
    return context, page, recorder


def mounted(page) -> None:
    """The page draws the form and an empty plan itself: wait for the script to have taken them over."""
    page.locator(f"{PREFIX}[data-mounted]").wait_for(state="attached")


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
    mounted(page)
    assert output(page) == before
    assert page.locator(f"#plan-{TEMPLATE.id}-products-1-product").input_value() == "Two"
    page.get_by_role("button", name="Clear the form").click()
    page.get_by_role("button", name="Yes, clear every answer").click()  # it asks first: see test_clear_asks_first
    assert page.locator(f"#plan-{TEMPLATE.id}-incident_name").input_value() == ""
    page.reload()
    mounted(page)
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


# --------------------------------------------------------------------------------------------- times


@pytest.mark.parametrize(("typed", "shown"), [
    ("2026-12-01 9:05", "2026-12-01 09:05"),
    ("2026-12-01T09:05", "2026-12-01 09:05"),
    ("2026-12-01T09:05:59Z", "2026-12-01 09:05"),
    ("2026-12-01 09:05 UTC", "2026-12-01 09:05"),
    ("2026/12/1 9:05", "2026-12-01 09:05"),
])
def test_common_ways_of_writing_a_time_are_read(site_server, open_context, typed, shown):
    _context, page, recorder = open_generator(site_server, open_context)
    field = page.locator(LAST_UPDATE)
    field.fill(typed)
    field.press("Tab")
    text = output(page)
    assert f"({shown} UTC)" in text
    assert "- [ ] 2026-12-01 14:05 (update due by 2026-12-01 15:05)" in text, "the status checks were dropped"
    assert field.get_attribute("aria-invalid") != "true"
    assert page.locator(f"{LAST_UPDATE}-error").text_content() == ""
    assert not recorder.problems(), recorder.report()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("typed", "said"), [
    ("yesterday 5pm", "Write it as YYYY-MM-DD HH:MM in UTC"),
    ("2026-12-01 5pm", "Write it as YYYY-MM-DD HH:MM in UTC"),
    ("01/12/2026 09:05", "Write it as YYYY-MM-DD HH:MM in UTC"),
    ("2026-02-30 10:00", "There is no such date or time"),
    ("2026-12-01 24:05", "There is no such date or time"),
])
def test_a_time_that_is_not_one_is_explained_at_the_field(site_server, open_context, typed, said, scheme):
    _context, page, recorder = open_generator(site_server, open_context, color_scheme=scheme, **PHONE)
    field = page.locator(LAST_UPDATE)
    error = page.locator(f"{LAST_UPDATE}-error")
    field.fill(typed)
    assert error.text_content() == "", "it complains while the time is still being typed"
    field.press("Tab")  # leaving the field
    assert said in error.text_content()
    assert error.is_visible() and field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby").split()
    assert described[0] == error.get_attribute("id"), "the message is not the field's description"
    label_box = page.locator(f"label[for='{LAST_UPDATE[1:]}']").bounding_box()
    box, field_box = error.bounding_box(), field.bounding_box()
    assert label_box["y"] < box["y"] < field_box["y"], "the message is not at the field"
    ratio = error.evaluate(CONTRAST)
    assert ratio >= 4.5, f"the message has contrast {ratio:.2f} ({scheme})"
    # the plan says so too, and no schedule is made up
    assert "{{ status_check_time }}" in output(page)
    assert "write it as YYYY-MM-DD HH:MM" in page.locator(f"{PREFIX} .icp-plan__missing").text_content()
    # putting it right takes the message away at once, before leaving the field
    field.fill("2026-12-01 09:05")
    assert error.text_content() == "" and field.get_attribute("aria-invalid") == "false"
    assert field.get_attribute("aria-describedby").split() == described[1:]
    assert not recorder.problems(), recorder.report()


def test_every_time_field_is_checked_at_the_field(site_server, open_context):
    _context, page, recorder = open_generator(site_server, open_context)
    for name in COMPILED["times"]:
        field = page.locator(f"#plan-{TEMPLATE.id}-{name}")
        field.fill("tomorrow")
        field.press("Tab")
        assert field.get_attribute("aria-invalid") == "true", name
        assert page.locator(f"#plan-{TEMPLATE.id}-{name}-error").is_visible(), name
    assert not recorder.problems(), recorder.report()


# --------------------------------------------------------------------------------------------- submit, clear


def test_the_form_submits_without_reloading(site_server, open_context):
    _context, page, recorder = open_generator(site_server, open_context)
    page.evaluate("() => { window.__samePage = true; }")
    url = page.url
    page.locator(f"#plan-{TEMPLATE.id}-incident_name").fill("INC-9")
    page.locator(f"#plan-{TEMPLATE.id}-incident_name").press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.textContent === 'Your comms plan'")
    assert page.evaluate("() => window.__samePage") is True and page.url == url
    # with a time that is no time, submitting takes you to it
    page.locator(LAST_UPDATE).fill("later today")
    page.get_by_role("button", name="Update the plan").click()
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id", arg=LAST_UPDATE[1:])
    assert page.locator(f"{LAST_UPDATE}-error").is_visible()
    assert page.evaluate("() => window.__samePage") is True and page.url == url
    assert page.locator(f"{PREFIX} form button[type=submit]").count() == 1
    assert not recorder.problems(), recorder.report()


def test_clear_asks_first_in_the_page(site_server, open_context):
    _context, page, recorder = open_generator(site_server, open_context)
    name = page.locator(f"#plan-{TEMPLATE.id}-incident_name")
    name.fill("Keep me")
    clear = page.get_by_role("button", name="Clear the form", exact=True)
    clear.click()
    assert name.input_value() == "Keep me", "one tap cleared the form"
    question = page.locator(f"{PREFIX} .icp-confirm")
    assert question.is_visible() and "Clear every answer?" in question.text_content()
    assert page.evaluate("() => document.activeElement.closest('.icp-confirm') !== null"), "focus did not move to it"
    page.get_by_role("button", name="No, keep my answers").click()
    assert name.input_value() == "Keep me" and question.count() == 0
    assert page.evaluate("() => document.activeElement.textContent") == "Clear the form"
    clear.click()
    page.get_by_role("button", name="Yes, clear every answer").click()
    assert name.input_value() == ""
    page.reload()
    mounted(page)
    assert page.locator(f"#plan-{TEMPLATE.id}-incident_name").input_value() == ""
    assert not recorder.dialogs, "it asked with a browser dialog"
    assert not recorder.problems(), recorder.report()


def test_clear_by_keyboard_only(site_server, open_context):
    _context, page, recorder = open_generator(site_server, open_context)
    page.locator(f"#plan-{TEMPLATE.id}-incident_name").fill("By keys")
    page.locator(f"#plan-{TEMPLATE.id}-incident_name").focus()
    for _ in range(200):
        if page.evaluate("() => document.activeElement.textContent") == "Clear the form":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached Clear the form")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Yes, clear every answer"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # No, keep my answers
    assert page.locator(f"#plan-{TEMPLATE.id}-incident_name").input_value() == "By keys"
    page.keyboard.press("Enter")  # Clear the form again, focus is back on it
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Yes
    assert page.locator(f"#plan-{TEMPLATE.id}-incident_name").input_value() == ""
    assert page.evaluate("() => document.activeElement.id") == f"plan-{TEMPLATE.id}-incident_name"
    assert not recorder.problems(), recorder.report()


# --------------------------------------------------------------------------------------------- layout, keyboard


@pytest.mark.parametrize("draft", [False, True], ids=["fresh", "with-a-draft"])
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1366"])
def test_the_page_does_not_shift_as_the_generator_starts(site_server, open_context, size, draft):
    context, recorder = open_context(**size)
    if draft:
        saved = json.dumps(split(FULL))
        context.add_init_script(f"location.protocol === 'http:' && localStorage.setItem('icp-plan:{TEMPLATE.id}', "
                                f"{json.dumps(saved)})")
    page = context.new_page()
    page.goto(f"{site_server}comms-templates/plan-generator/", wait_until="load")
    shift = page.evaluate(CLS)
    assert shift < 0.02, f"cumulative layout shift {shift:.3f} as the page loads"
    if draft:
        assert page.locator(f"#plan-{TEMPLATE.id}-incident_name").input_value() == FULL["incident_name"]
    assert not recorder.problems_but_aborts(), recorder.report()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1366"])
def test_the_plan_text_is_reachable_by_keyboard_and_axe_finds_nothing(site_server, open_context, size, scheme):
    _context, page, recorder = open_generator(site_server, open_context, color_scheme=scheme, **size)
    # a long link without spaces is what makes the plan scroll sideways
    page.locator(f"#plan-{TEMPLATE.id}-incident_link").fill("https://chat.example.com/archives/" + "C0INC517" * 30)
    page.locator(LAST_UPDATE).fill("soon")
    page.locator(LAST_UPDATE).press("Tab")
    pre = page.locator(f"{PREFIX} pre.icp-plan__pre")
    assert pre.get_attribute("tabindex") == "0" and pre.get_attribute("aria-label")
    for _ in range(300):
        if page.evaluate("() => document.activeElement.matches('pre.icp-plan__pre')"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the plan's text")
    page.wait_for_timeout(300)
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running' "
                           "|| !(a.timeline instanceof DocumentTimeline))")
    violations = Axe().run(page).response["violations"]
    assert not violations, json.dumps([(v["id"], [n["target"] for n in v["nodes"]]) for v in violations], indent=1)
    assert not recorder.problems(), recorder.report()


def test_copy_the_plan_says_copied_beside_the_button(site_server, open_context):
    _context, page, recorder = open_generator(site_server, open_context,
                                              permissions=["clipboard-read", "clipboard-write"])
    fill(page, {"incident_name": "Copied plan"})
    button = page.get_by_role("button", name="Copy the plan")
    button.click()
    status = page.locator(f"{PREFIX} button:has-text('Copy the plan') + .icp-copied[role=status]")
    status.filter(has_text="Copied").wait_for()
    assert status.is_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == output(page)
    assert not recorder.problems(), recorder.report()


def test_without_javascript_the_form_shows_what_a_plan_needs_but_is_off(site_server, open_context):
    context, recorder = open_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_server}comms-templates/plan-generator/")
    field = page.locator(f"#plan-{TEMPLATE.id}-incident_name")
    assert field.is_visible() and field.is_disabled()
    assert page.locator(f"{PREFIX} button").evaluate_all("bs => bs.every(b => b.disabled)")
    assert output(page) == render(COMPILED, {})[0], "the empty plan drawn by the page is not the renderer's"
    assert not recorder.problems(), recorder.report()


def test_the_drawn_form_is_the_one_the_script_fills(site_server, open_context):
    """What the page draws before the script starts (plan_form) says the same as the script once it has."""
    context, recorder = open_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_server}comms-templates/plan-generator/")
    drawn = page.locator(f"{PREFIX} .icp-plan__missing").inner_text()
    _context, live, _recorder = open_generator(site_server, open_context)
    assert live.locator(f"{PREFIX} .icp-plan__missing").inner_text() == drawn
    assert output(live) == render(COMPILED, {})[0]
    assert not recorder.problems(), recorder.report()


def test_reached_by_instant_navigation_from_a_page_without_it(site_server, open_context):
    """The draft checker page, just before the generator in the navigation, does not load the generator's script;
    following its "Next: Plan generator" link with the theme's instant navigation still gives a working generator,
    started once."""
    context, recorder = open_context(**DESKTOP)
    page = context.new_page()
    page.goto(f"{site_server}comms-templates/draft-check/")
    page.wait_for_load_state("networkidle")  # the theme has set up its instant navigation
    assert page.evaluate("() => [...document.scripts].every(s => !/icp\\/plan\\.js/.test(s.src))")
    page.evaluate("() => { window.__samePage = true; }")
    page.locator("a.md-footer__link--next[href$='plan-generator/']").click()
    page.wait_for_url("**/comms-templates/plan-generator/")
    mounted(page)
    assert page.evaluate("() => window.__samePage") is True, "instant navigation fell back to a full reload"
    page.fill(f"{PREFIX}-incident_name", "INC-9 reached by a link")
    page.wait_for_function("() => document.querySelector('.icp-plan__output').textContent.includes('INC-9')")
    # one generator: the script ran once, one status region of its own
    assert page.locator(".icp-plan > p.icp-offscreen[aria-live]").count() == 1
    assert not recorder.problems_but_aborts(), recorder.report()
