"""The incident workspace in the browser, from the user's side: an incident started, its facts filled into the
templates, the status-page clock counting down across hours and time zones, walks recorded into it (and never
practice ones), two tabs on one incident, the keyboard alone, and handing it over, closing and deleting it.

Times are driven by Playwright's clock; nothing here waits on the real one.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from macros.engine.loader import load_project
from tests.site.test_walker_views import CONTRAST

pytestmark = pytest.mark.browser

PROJECT = load_project()
WORKSPACE = "workspace/"
PRACTICE = "onboarding/practice/"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
STORED = "() => JSON.parse(localStorage.getItem('icp-workspace'))"
DATA = "() => JSON.parse(document.querySelector('.icp-workspace').dataset.icpWorkspace)"
CHECKBOXES = ".icp-walk .icp-checklist input[type=checkbox]"
# An outline or a box-shadow drawn on the focused element: the focus can be seen.
FOCUS_SEEN = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  return {outline, shadow: s.boxShadow !== 'none', what: el.outerHTML.slice(0, 120)};
}"""
EVERY_HOURS = PROJECT.organisation.incident.status_page_every_hours
WARN_MINUTES = PROJECT.organisation.incident.status_page_warn_minutes
# Tuesday 3 March 2026, 09:40 UTC: winter time in Berlin (UTC+1) and in New York (UTC-5).
T0 = dt.datetime(2026, 3, 3, 9, 40, tzinfo=dt.UTC)


# --------------------------------------------------------------------------------------------- helpers


def open_workspace(page, base: str) -> None:
    page.goto(f"{base}{WORKSPACE}")
    page.locator(".icp-workspace[data-mounted]").wait_for(state="attached")
    page.locator("#ws-start-name, h2#incident").first.wait_for()


def start_incident(page, name: str, products: str = "", *, security: bool = False) -> str:
    """Fill in the start form and start it; the id of the incident it made."""
    page.locator("#ws-start-name").fill(name)
    if products:
        page.locator("#ws-start-products").fill(products)
    if security:
        page.locator("#ws-start-security").check()
    page.get_by_role("button", name="Start the incident").click()
    page.locator("h2#incident", has_text=name).wait_for()
    return page.evaluate(STORED)["active"]


def stored_incident(page, incident_id: str) -> dict | None:
    return (page.evaluate(STORED) or {}).get("incidents", {}).get(incident_id)


def short_walk(playbook_id: str):
    """The walk of ``playbook_id`` with the fewest answers that ends at an outcome of its own, and that outcome."""
    paths = [p for p in PROJECT.paths(playbook_id) if p.outcome[0] == playbook_id and p.steps]
    path = min(paths, key=lambda p: len(p.steps))
    pb = PROJECT.playbooks[playbook_id]
    return [s.answer for s in path.steps], pb.tree.nodes[path.outcome[1]]


def walk_hash(playbook_id: str, answers: list[str]) -> str:
    return f"#{playbook_id}--{PROJECT.playbooks[playbook_id].tree.start}" + "".join(f"/{a}" for a in answers)


def walk_by_clicks(page, answers: list[str], outcome, root: str = "") -> None:
    """Click the answers one by one, as a reader does, until the outcome is shown."""
    for answer in answers:
        button = page.locator(f"{root} .icp-walk button.icp-choice[data-answer='{answer}']".strip())
        button.click()
    title = page.locator(f"{root} .icp-walk .icp-step--outcome .icp-step__title".strip())
    title.wait_for()
    assert title.text_content() == outcome.title


def template_with(page, needle: str) -> dict:
    """The workspace's template whose Markdown holds ``needle`` and is filled from the incident's name."""
    found = [t for t in page.evaluate(DATA)["templates"] if needle in json.dumps(t["formats"]["markdown"])
             and "incident_name" in t["formats"]["markdown"]["sources"]]
    assert len(found) == 1, [t["id"] for t in found]
    return found[0]


def open_template(page, template_id: str):
    details = page.locator(f"details#template-{template_id}")
    if not details.evaluate("d => d.open"):
        details.locator("summary").first.click()
    return details


def template_text(page, template_id: str) -> str:
    return page.locator(f"details#template-{template_id} pre.icp-ws__output code").text_content()


def due(page):
    return page.locator("#ws-due")


def due_state(page) -> str:
    classes = due(page).get_attribute("class").split()
    states = [c.removeprefix("icp-ws__due--") for c in classes if c.startswith("icp-ws__due--")]
    assert len(states) == 1, classes
    return states[0]


def download(page, name: str, tmp_path) -> Path:
    """Click the button called ``name`` and keep the file it downloads (under the name it suggests)."""
    with page.expect_download() as info:
        page.get_by_role("button", name=name, exact=True).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def tab_to(page, selector: str, *, back: bool = False, limit: int = 250) -> None:
    """Press Tab (or Shift+Tab) until the focus is on ``selector``: the keyboard, and nothing else, moves it."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(limit):
        if page.evaluate("sel => { const a = document.activeElement; return Boolean(a && a.matches(sel)); }",
                         selector):
            return
        page.keyboard.press(key)
    pytest.fail(f"{key} never reached {selector}")


def focus_unseen(page) -> list[str]:
    """[] when the focused element shows an outline or a box-shadow, else what it is."""
    seen = page.evaluate(FOCUS_SEEN)
    return [] if seen["outline"] or seen["shadow"] else [f"the focus cannot be seen on {seen['what']}"]


# --------------------------------------------------------------------------------------------- 1. the journey


def test_the_whole_journey_on_a_phone_and_the_handover_file(site_server, open_context, tmp_path):
    # what the user runs into on the way is gathered in `found`, and the journey goes on the way a user would get
    # round it, so that one run names every fault; the test fails at the end with all of them
    found: list[str] = []
    context, recorder = open_context(accept_downloads=True, **PHONE)
    page = context.new_page()
    page.clock.set_fixed_time(T0)  # the clock text must be the same in the context that imports the file
    open_workspace(page, site_server)
    name = "INC-517 delayed event ingestion"
    incident_id = start_incident(page, name, "Events, Dashboards")
    assert page.locator("#ws-products-0-product").input_value() == "Events"
    assert page.locator("#ws-products-1-product").input_value() == "Dashboards"

    page.locator("#ws-fact-incident_lead").fill("Marco Rossi")
    page.locator("#ws-products-0-user_visible_impact").fill("New events show up to 20 minutes late")
    page.locator("#ws-fact-status_page_incident_link").fill("https://status.example.com/incidents/517")
    facts = stored_incident(page, incident_id)["facts"]
    assert facts["incident_lead"] == "Marco Rossi"
    assert facts["status_page_incident_link"] == "https://status.example.com/incidents/517"
    assert due_state(page) == "none"
    page.get_by_role("button", name="Updated just now").click()
    assert due_state(page) == "fine"
    assert f"Next update due in {EVERY_HOURS} h 0 min" in due(page).text_content()

    # a walk started from the workspace's list records its outcome and ticks into the incident
    playbook_id = next(iter(PROJECT.playbooks))
    pb = PROJECT.playbooks[playbook_id]
    answers, outcome = short_walk(playbook_id)
    page.locator(".icp-ws__starts a", has_text=pb.title).click()
    page.wait_for_url(f"**/playbooks/{playbook_id}/**")
    walk_by_clicks(page, answers, outcome)
    where = page.locator(".icp-walk p.icp-kept__where")
    where.filter(has_text=name).wait_for()
    page.locator(CHECKBOXES).first.check()
    assert stored_incident(page, incident_id)["ticks"] == {walk_hash(playbook_id, answers)[1:]: [True]}
    link = where.get_by_role("link", name="incident workspace")
    if link.count() == 1:
        link.click()
    else:
        found.append(f"the outcome does not link to the workspace; it says {where.text_content()!r}")
        page.goto(f"{site_server}{WORKSPACE}")
    page.wait_for_url(f"**/{WORKSPACE}")
    walked = page.locator(".icp-ws__walked li")
    walked.first.wait_for()
    assert walked.count() == 1
    assert outcome.title in walked.first.text_content() and "1 ticked" in walked.first.text_content()
    assert walked.first.get_by_role("link").get_attribute("href").endswith(walk_hash(playbook_id, answers))

    # the comms plan, filled from the facts
    plan = template_with(page, "## Status page checks")
    details = open_template(page, plan["id"])
    text = template_text(page, plan["id"])
    assert name in text
    assert "| Events | New events show up to 20 minutes late |" in text
    assert "Incident Lead: Marco Rossi" in text
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= PHONE["viewport"]["width"], f"the workspace scrolls sideways on a phone ({wide} px wide)"

    # marked as sent: into the log, and the plan's messages table carries it
    details.get_by_role("button", name=f"Mark as sent: {plan['title']}").click()
    form = page.locator("form.icp-ws__sent")
    page.locator(f"#ws-sent-{plan['id']}-checked").fill("Dana Lee")
    sent_at = page.locator(f"#ws-sent-{plan['id']}-at").input_value()
    form.get_by_role("button", name="Add to the log").click()
    rows = page.locator(".icp-ws__log tbody tr")
    rows.first.wait_for()
    assert rows.count() == 1
    cells = rows.first.locator("td").all_text_contents()
    when = dt.datetime.fromisoformat(sent_at).replace(tzinfo=dt.UTC).strftime("%Y-%m-%d %H:%M UTC")  # context in UTC
    assert cells[:5] == [when, plan["channel"], plan["audience"], plan["title"], "Dana Lee"], cells
    text = template_text(page, plan["id"])
    assert f"| {plan['audience']} | {plan['title']} | {when} | Sent |" in text, text

    # handed over as a file, imported in another browser
    file = download(page, "Download the incident (.json)", tmp_path)
    assert file.name == "incident-inc-517-delayed-event-ingestion.json"
    exported = json.loads(file.read_text(encoding="utf-8"))
    assert exported["format"] == "incident-comms-playbook/incident" and exported["version"] == 1
    assert exported["incident"] == stored_incident(page, incident_id)
    clock_text = due(page).text_content()
    log_row = rows.first.locator("td").all_text_contents()[:5]

    other, other_recorder = open_context(**PHONE)
    fresh = other.new_page()
    fresh.clock.set_fixed_time(T0)
    open_workspace(fresh, site_server)
    assert fresh.evaluate(STORED) is None or not fresh.evaluate(STORED)["incidents"], "the new browser holds one"
    if fresh.locator("details#ws-import").count() == 0:
        found.append("a browser that holds no incident offers no way to import one (no details#ws-import)")
        start_incident(fresh, "A stand-in, to reach the import")
    fresh.locator("details#ws-import > summary").click()
    fresh.locator("#ws-import-file").set_input_files(file)
    fresh.locator("details#ws-import").get_by_role("button", name="Import", exact=True).click()
    fresh.locator(".icp-ws__import-status", has_text="Imported").wait_for()
    assert stored_incident(fresh, incident_id) == exported["incident"]
    assert fresh.evaluate(STORED)["active"] == incident_id
    assert fresh.locator("h2#incident").text_content() == name
    assert fresh.locator(".icp-ws__log tbody tr").first.locator("td").all_text_contents()[:5] == log_row
    assert due(fresh).text_content() == clock_text
    assert not found, "\n".join(found)
    assert not recorder.problems_but_aborts(), recorder.report()
    assert not other_recorder.problems_but_aborts(), other_recorder.report()


# --------------------------------------------------------------------------------------------- 2. the clock


def test_countdown_across_six_hours_and_another_time_zone(site_server, open_context):
    context, recorder = open_context(timezone_id="Europe/Berlin", color_scheme="light")
    page = context.new_page()
    page.clock.install(time=T0 - dt.timedelta(minutes=5))
    open_workspace(page, site_server)
    start_incident(page, "INC-600 slow exports")
    page.clock.pause_at(T0)
    page.get_by_role("button", name="Updated just now").click()
    text = due(page).text_content()
    assert due_state(page) == "fine"
    assert f"Next update due in {EVERY_HOURS} h 0 min" in text, text
    # the local time, its zone named, and UTC: due 15:40 UTC, 16:40 in Berlin
    assert "04:40 PM" in text and ("GMT+1" in text or "CET" in text), text
    assert "(2026-03-03 15:40 UTC)" in text, text
    assert "10:40 AM" in text, "the last update is not in Berlin time: " + text

    page.clock.fast_forward("05:01:00")
    assert due_state(page) == "soon"
    assert "due in 59 min" in due(page).text_content()
    page.clock.fast_forward("01:00:00")
    assert due_state(page) == "overdue"
    overdue = due(page).text_content()
    assert "Overdue by 1 min" in overdue and "(2026-03-03 15:40 UTC)" in overdue, overdue
    light = due(page).locator("strong").evaluate(CONTRAST)
    assert light >= 4.5, f"the overdue words have contrast {light:.2f} in the light scheme"

    page.reload()
    page.locator("#ws-due").wait_for()
    assert due_state(page) == "overdue" and due(page).text_content() == overdue, "a reload lost the clock"

    # any other page: the bar says it too
    page.goto(site_server)
    bar = page.locator("aside.icp-bar")
    bar.wait_for()
    assert "INC-600 slow exports" in bar.text_content()
    assert "OVERDUE" in bar.text_content()
    assert bar.get_by_role("link", name="Open workspace").get_attribute("href") == f"{site_server}{WORKSPACE}"

    # the same storage in New York (in the dark scheme): the same UTC, a New York local time
    state = context.storage_state()
    ny, ny_recorder = open_context(timezone_id="America/New_York", storage_state=state)
    there = ny.new_page()
    there.clock.install(time=T0 + dt.timedelta(hours=EVERY_HOURS, minutes=1))
    there.clock.pause_at(T0 + dt.timedelta(hours=EVERY_HOURS, minutes=1, seconds=10))
    open_workspace(there, site_server)
    # the storage carries the light scheme Material kept: the reader switches to dark with its toggle
    there.locator("label.md-header__button[title='Switch to dark mode']").click()
    assert there.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    text = due(there).text_content()
    assert due_state(there) == "overdue" and "Overdue by 1 min" in text, text
    assert "(2026-03-03 15:40 UTC)" in text, text
    assert "10:40 AM" in text and "EST" in text, "not New York time (10:40 EST): " + text
    assert "GMT+1" not in text
    dark = due(there).locator("strong").evaluate(CONTRAST)
    assert dark >= 4.5, f"the overdue words have contrast {dark:.2f} in the dark scheme"
    assert not recorder.problems_but_aborts(), recorder.report()
    assert not ny_recorder.problems_but_aborts(), ny_recorder.report()


# --------------------------------------------------------------------------------------------- 3. practice


def test_practice_never_reaches_a_real_incident(site_server, open_context):
    context, recorder = open_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    playbook_id = next(pb.id for pb in PROJECT.playbooks.values() if pb.practice)
    answers, outcome = short_walk(playbook_id)
    address = walk_hash(playbook_id, answers)
    boxes = page.locator(CHECKBOXES)

    # no incident open: the ticks stay in the tab, until Start again
    page.goto(f"{site_server}playbooks/{playbook_id}/")
    walk_by_clicks(page, answers, outcome)
    assert "No incident is open" in page.locator(".icp-walk p.icp-kept__where").text_content()
    boxes.first.check()
    page.reload()
    boxes.first.wait_for()
    assert boxes.first.is_checked(), "a tick made with no incident open was lost on reload"
    page.get_by_role("button", name="Start again").click()
    walk_by_clicks(page, answers, outcome)
    assert not boxes.first.is_checked(), "Start again kept the tick made with no incident open"

    # the practice page: into the practice incident
    page.goto(f"{site_server}{PRACTICE}")
    tree = f".icp-tree[data-icp-walk='{playbook_id}']"
    walk_by_clicks(page, answers, outcome, root=tree)
    practice_boxes = page.locator(f"{tree} {CHECKBOXES}")
    assert "the practice incident" in page.locator(f"{tree} p.icp-kept__where").text_content()
    practice_boxes.first.check()
    kept = page.evaluate(STORED)
    assert kept["active"] is None
    assert kept["incidents"]["practice"]["ticks"] == {address[1:]: [True]}

    # a real incident: the same walk on its own page has nothing of the practice
    open_workspace(page, site_server)
    incident_id = start_incident(page, "INC-42 real one")
    listed = page.locator(".icp-ws__list li")
    assert listed.count() == 2
    practice_item = listed.filter(has_text="Practice")
    assert "never part of a real incident" in practice_item.text_content()
    assert practice_item.get_by_role("button").count() == 1, "the practice incident is not a separate entry"
    assert page.locator(".icp-ws__walked li").count() == 0, "the practice walk is listed with the real incident"

    page.goto(f"{site_server}playbooks/{playbook_id}/{address}")
    page.locator(".icp-walk p.icp-kept__where", has_text="INC-42 real one").wait_for()
    assert boxes.count() == len(outcome.actions)
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count())), "a practice tick shows in the incident"
    page.locator(".icp-walk .icp-controls button", has_text="Copy summary").click()
    page.locator(".icp-walk .icp-copied", has_text="Copied").wait_for()
    summary = page.evaluate("() => navigator.clipboard.readText()")
    assert outcome.title in summary
    assert "[x]" not in summary and "- [ ] " in summary, summary
    real = stored_incident(page, incident_id)
    assert real["ticks"] == {}
    assert [w["address"] for w in real["walks"]] == [address]

    # and the practice page still holds its own tick, a real incident open or not
    page.goto(f"{site_server}{PRACTICE}{address}")
    page.locator(f"{tree} p.icp-kept__where", has_text="the practice incident").wait_for()
    assert practice_boxes.first.is_checked()
    assert stored_incident(page, incident_id)["ticks"] == {}
    assert not recorder.problems_but_aborts(), recorder.report()


# --------------------------------------------------------------------------------------------- 4. two tabs


def test_two_tabs_on_one_incident_follow_each_other(site_server, open_context):
    context, recorder = open_context()
    a = context.new_page()
    open_workspace(a, site_server)
    start_incident(a, "INC-77 two tabs", "Events")
    b = context.new_page()
    open_workspace(b, site_server)
    assert b.locator("h2#incident").text_content() == "INC-77 two tabs"
    plan = template_with(b, "## Status page checks")
    open_template(b, plan["id"])
    assert "{{ incident_lead }}" in template_text(b, plan["id"])

    a.locator("#ws-fact-incident_lead").fill("Priya Nair")
    b.wait_for_function("([sel, text]) => document.querySelector(sel).textContent.includes(text)",
                        arg=[f"details#template-{plan['id']} pre.icp-ws__output code", "Incident Lead: Priya Nair"],
                        timeout=5000)
    assert b.locator(f"details#template-{plan['id']}").evaluate("d => d.open"), "the other tab folded the template"
    assert a.locator("#ws-fact-incident_lead").input_value() == "Priya Nair"

    assert due_state(a) == "none"
    b.get_by_role("button", name="Updated just now").click()
    a.wait_for_function("() => document.querySelector('#ws-due').classList.contains('icp-ws__due--fine')",
                        timeout=5000)
    assert "Next update due in" in due(a).text_content()
    assert not recorder.problems_but_aborts(), recorder.report()


# --------------------------------------------------------------------------------------------- 5. keyboard


def test_keyboard_only_start_and_record_an_update(site_server, open_context):
    context, recorder = open_context()
    page = context.new_page()
    open_workspace(page, site_server)  # the focus is at the top of the page: the keyboard goes on from there
    keys = page.keyboard
    found: list[str] = []  # gathered, so that one run names every fault
    tab_to(page, "#ws-start-name")
    found += focus_unseen(page)
    keys.type("INC-88 keyboard")
    tab_to(page, "#ws-start-security")
    found += focus_unseen(page)
    keys.press("Space")
    tab_to(page, "#ws-start-products")
    keys.type("Events, Flags")
    tab_to(page, "#ws-start-name", back=True)  # back up, and on again: Shift+Tab works too
    tab_to(page, "button[type=submit]")
    assert page.evaluate("() => document.activeElement.textContent") == "Start the incident"
    found += focus_unseen(page)
    keys.press("Enter")
    page.locator("h2#incident", has_text="INC-88 keyboard").wait_for()
    assert page.evaluate("() => document.activeElement.id") == "incident", "the focus is not on the new incident"
    kept = page.evaluate(STORED)
    incident = kept["incidents"][kept["active"]]
    assert incident["facts"]["incident_name"] == "INC-88 keyboard"
    assert incident["facts"]["security"] == "yes"
    assert [row["product"] for row in incident["rows"]["products"]] == ["Events", "Flags"]

    just_now = ".icp-ws__clock fieldset button.md-button--primary"
    tab_to(page, just_now)
    assert page.evaluate("() => document.activeElement.textContent") == "Updated just now"
    found += focus_unseen(page)
    keys.press("Space")
    page.wait_for_function("() => document.querySelector('#ws-due').classList.contains('icp-ws__due--fine')")
    assert len(stored_incident(page, kept["active"])["status_updates"]) == 1
    # the workspace is drawn again: the focus stays where the keyboard was, not back at the top of the page
    if not page.evaluate("sel => document.activeElement === document.querySelector(sel)", just_now):
        found.append("after recording the update the focus is on "
                     + page.evaluate("() => document.activeElement.outerHTML.slice(0, 60)"))
    assert not found, "\n".join(found)
    assert not recorder.problems_but_aborts(), recorder.report()


# --------------------------------------------------------------------------------------------- 6. close, delete


def test_close_then_delete_leaves_nothing(site_server, open_context, tmp_path):
    context, recorder = open_context(accept_downloads=True)
    page = context.new_page()
    open_workspace(page, site_server)
    name = "INC-99 closing time"
    incident_id = start_incident(page, name, "Events")
    page.locator("#ws-fact-incident_lead").fill("Marco Rossi")
    page.get_by_role("button", name="Updated just now").click()
    page.get_by_role("button", name="Add an entry by hand…").click()
    page.locator("#ws-sent-by-hand-channel").fill("Email")
    page.locator("#ws-sent-by-hand-audience").fill("Owners of affected organisations")
    page.locator("#ws-sent-by-hand-summary").fill("Delay notice")
    page.locator("#ws-sent-by-hand-checked").fill("Dana Lee")
    page.get_by_role("button", name="Add to the log").click()
    page.locator(".icp-ws__log tbody tr").first.wait_for()

    page.get_by_role("button", name="Close the incident").click()
    page.get_by_role("button", name="Yes, close it").click()
    assert due_state(page) == "closed"
    assert page.get_by_role("button", name="Reopen the incident").is_visible()
    assert page.get_by_role("button", name="Close the incident").count() == 0
    for control in ["#ws-fact-incident_lead", "#ws-products-0-user_visible_impact", "#ws-updated-at"]:
        assert page.locator(control).evaluate("el => el.matches(':disabled')"), f"{control} can still be changed"
    assert page.get_by_role("button", name="Updated just now").is_disabled()
    assert page.get_by_role("button", name="Add an entry by hand…").count() == 0
    assert page.locator(".icp-ws__template button", has_text="Mark as sent").count() == 0
    assert stored_incident(page, incident_id)["closed_at"]

    file = download(page, "Download a record for the post-mortem (.md)", tmp_path)
    assert file.suffix == ".md"
    record = file.read_text(encoding="utf-8")
    assert record.startswith(f"# {name}\n"), record[:200]
    assert "- Closed: " in record and "- Incident Lead: Marco Rossi" in record
    log = record.split("## Comms log", 1)[1]
    assert "| Email | Owners of affected organisations | Delay notice | Dana Lee | Sent |" in log, log

    # closed: no bar on the other pages
    page.goto(site_server)
    page.locator(".md-content").wait_for()
    page.wait_for_timeout(300)
    assert page.locator("aside.icp-bar").count() == 0, "a closed incident still shows its bar"

    open_workspace(page, site_server)
    page.get_by_role("button", name="Reopen the incident").click()
    assert not page.locator("#ws-fact-incident_lead").evaluate("el => el.matches(':disabled')")
    page.get_by_role("button", name="Delete this incident…").click()
    page.get_by_role("button", name="Yes, delete it").click()
    page.locator("#ws-start-name").wait_for()
    kept = page.evaluate(STORED)
    assert kept["incidents"] == {} and kept["active"] is None
    everything = page.evaluate("() => JSON.stringify([{...localStorage}, {...sessionStorage}])")
    for trace in [incident_id, name, "Marco Rossi", "Dana Lee", "Delay notice"]:
        assert trace not in everything, f"{trace!r} is still kept after the delete: {everything}"
    assert not recorder.problems_but_aborts(), recorder.report()


# --------------------------------------------------------------------------------------------- the bar agrees


def test_the_bar_and_the_workspace_agree_on_an_update_recorded_mid_minute(site_server, open_context):
    context, recorder = open_context()
    page = context.new_page()
    page.clock.install(time=T0 - dt.timedelta(minutes=5))
    open_workspace(page, site_server)
    incident_id = start_incident(page, "INC-61 half past")
    page.clock.pause_at(T0 + dt.timedelta(seconds=30))
    page.get_by_role("button", name="Updated just now").click()
    assert stored_incident(page, incident_id)["status_updates"] == ["2026-03-03T09:40:30Z"]
    # a quarter of a minute before the update falls due, to the second: both say the same of it
    page.clock.fast_forward(f"{EVERY_HOURS - 1:02d}:59:45")
    workspace_overdue = due_state(page) == "overdue"
    page.goto(site_server)
    bar = page.locator("aside.icp-bar")
    bar.wait_for()
    bar_overdue = "OVERDUE" in bar.text_content()
    said = "the update is overdue" if workspace_overdue else "the update is not due yet"
    assert workspace_overdue == bar_overdue, f"the workspace says {said}; the bar says {bar.text_content()!r}"
    assert not recorder.problems_but_aborts(), recorder.report()
