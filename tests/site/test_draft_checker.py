"""The draft checker in the browser, from the user's side: on its page (a draft of any template, reached from the
template's own "Check a draft of it", or of another message) and in the incident workspace (each template's draft,
edited and kept with its incident).

What a person sees: the marks under the words a rule found, in light and dark, readable text over them, nothing
sideways at 390 px; what they do: type, Tab to the findings, Enter on one to select its words, reload, switch
incidents, close one, start again; and what they hear: the count, said politely once typing pauses. The findings
themselves are the Python checker's (test_draft_agreement.py holds the two engines to the same answers); here
each template's example gives exactly the rules it declares it breaks.
"""

from __future__ import annotations

import pytest

from macros.engine import drafts
from macros.engine.loader import load_project
from macros.render import links
from macros.render.checker import example_text
from tests.site.test_walker_views import CONTRAST
from tests.site.test_workspace import open_template, open_workspace, start_incident

pytestmark = pytest.mark.browser

PROJECT = load_project()
TEMPLATES = "comms-templates/"
CHECKER = "comms-templates/draft-check/"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 900}}
FIELD = "#draft-check .icp-check__text"
BAD = (
    "Subject: Update\n\nHi,\n\nWe are seeing degraded performance and a subset of users may be affected.\n"
    "We apologize for any inconvenience.\n"
)
IDLE = "() => new Promise((done) => setTimeout(done, 400))"  # the checker re-checks 250 ms after typing pauses


def python_rules(text: str, audience="customer", state="ongoing", security=False) -> list[str]:
    scope = drafts.Scope(audience, state, security)
    return [f.rule for f in drafts.check(text, PROJECT.draft_rules, scope)]


def shown_rules(page, root: str = "#draft-check") -> list[str]:
    return page.locator(f"{root} .icp-check__rule").all_text_contents()


def open_checker(page, base: str, fragment: str = "") -> None:
    page.goto(f"{base}{CHECKER}{fragment}")
    page.locator(".icp-checker[data-mounted]").wait_for(state="attached")


def type_draft(page, text: str, field: str = FIELD) -> None:
    page.locator(field).fill(text)
    page.evaluate(IDLE)


# --------------------------------------------------------------------------------------------- templates page


def test_each_template_checked_from_its_card_gives_only_what_it_declares(site_server, open_context):
    """"Check a draft of it" on every template of the templates page: the checker opens with that template chosen,
    its scope set and its example loaded, and finds exactly the rules it says it breaks on purpose (with why)."""
    context, recorder = open_context(**LAPTOP)
    page = context.new_page()
    for template in PROJECT.templates.values():
        page.goto(f"{site_server}{TEMPLATES}#{links.template_anchor(template.id)}")
        link = page.get_by_role("link", name=f"Check a draft of: {template.title}")
        assert link.is_visible(), template.id
        link.click()
        page.locator(".icp-checker[data-mounted]").wait_for(state="attached")
        page.wait_for_function(f"() => document.querySelector('{FIELD}').value !== ''")
        assert page.locator(FIELD).input_value() == example_text(template)
        assert page.locator("#draft-check-of").input_value() == template.id
        assert page.locator("#draft-check-audience").input_value() == template.draft_audience
        assert page.locator("#draft-check-state").input_value() == template.draft_state
        assert page.locator("#draft-check-security").is_checked() == template.draft.security
        declared = sorted(b.rule for b in template.draft.breaks)
        assert sorted(shown_rules(page)) == declared, template.id
        assert page.locator(".icp-check__known").count() == len(declared)
        assert page.evaluate("() => document.activeElement.matches('.icp-check__text')")
        assert "?of=" not in page.url  # the link's choice is taken; a reload keeps the draft, not the link
    # a page left for the next template before its icon came has that fetch cancelled by the browser (seen in CI
    # after waiting for the network to go quiet): not a fault of the site; a refused host, a 404 or an error is
    assert not recorder.problems_but_aborts(), recorder.report()


def test_the_caret_is_in_the_draft_when_the_page_came_slowly(site_server, open_context):
    """On a slow connection, instant navigation keeps the checker out of sight until its stylesheet is in; the
    caret still lands in the draft once it is shown (a browser does not focus what is out of sight)."""
    context, recorder = open_context(**LAPTOP)
    page = context.new_page()
    template = next(iter(PROJECT.templates.values()))
    held = []
    page.goto(f"{site_server}{TEMPLATES}#{links.template_anchor(template.id)}")
    page.wait_for_load_state("networkidle")  # the theme's instant navigation is set up
    page.route("**/assets/icp/styles/*checker*.css", lambda route: held.append(route))  # waits until let go
    page.evaluate("() => { window.__samePage = true; }")
    page.get_by_role("link", name=f"Check a draft of: {template.title}").click()
    page.locator(".icp-checker[data-mounted]").wait_for(state="attached")
    assert held, "the checker's stylesheet was not asked for"
    # unstyled, the page would be seen jumping: its content stays out of sight until it is styled
    assert page.evaluate("() => getComputedStyle(document.querySelector('.md-content')).visibility") == "hidden"
    for route in held:
        route.continue_()
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-content')).visibility === 'visible'")
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('.icp-check__text')",
                           timeout=3000)
    assert page.evaluate("() => window.__samePage") is True, "instant navigation fell back to a full reload"
    assert page.locator(FIELD).input_value() == example_text(template)
    assert not recorder.problems(), recorder.report()


def test_a_stale_link_says_so_and_leaves_the_choice_to_the_reader(site_server, open_context):
    context, recorder = open_context(**PHONE)
    page = context.new_page()
    open_checker(page, site_server, "?of=no-such-template")
    notice = page.locator("#draft-check .icp-notice[role=status]")
    assert notice.is_visible() and "no-such-template" in notice.text_content()
    assert page.locator("#draft-check-of").input_value() == ""
    assert not recorder.problems(), recorder.report()


def test_a_link_to_another_template_keeps_ones_own_draft(site_server, open_context):
    context, recorder = open_context(**LAPTOP)
    page = context.new_page()
    open_checker(page, site_server)
    type_draft(page, "My own words about the export.")
    template = next(iter(PROJECT.templates.values()))
    open_checker(page, site_server, f"?of={template.id}")
    assert page.locator(FIELD).input_value() == "My own words about the export."
    assert "Your draft is kept" in page.locator("#draft-check .icp-notice[role=status]").text_content()
    assert not recorder.problems(), recorder.report()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_marks_sit_under_the_words_and_the_text_stays_readable(site_server, open_context, scheme, size):
    context, recorder = open_context(color_scheme=scheme, **(PHONE if size == "phone" else LAPTOP))
    page = context.new_page()
    open_checker(page, site_server)
    type_draft(page, BAD)
    marks = page.locator("#draft-check mark.icp-mark--words")
    words = marks.all_text_contents()
    assert "degraded performance" in words and "We apologize for any inconvenience" in words, words
    field = page.locator(FIELD).bounding_box()
    for i in range(marks.count()):
        box = marks.nth(i).bounding_box()
        assert box and box["width"] > 4 and box["height"] >= 12, words[i]
        inside = field["x"] <= box["x"] and box["x"] + box["width"] <= field["x"] + field["width"] + 1
        assert inside and field["y"] <= box["y"] <= field["y"] + field["height"], (words[i], box, field)
    # the words under a mark are where the field draws them: the caret put after them sits at the mark's end
    end = BAD.index("degraded performance") + len("degraded performance")
    caret_x = page.evaluate(
        """([sel, end]) => {
          const field = document.querySelector(sel), mirror = field.previousElementSibling;
          const range = document.createRange();
          let left = end; let node = mirror.firstChild; let at = 0;
          for (; node; node = node.nextSibling) {
            const len = node.textContent.length;
            if (at + len >= left) break;
            at += len;
          }
          const text = node.nodeType === 3 ? node : node.firstChild;
          range.setStart(text, left - at); range.setEnd(text, left - at);
          return range.getBoundingClientRect().x;
        }""", [FIELD, end])
    mark = page.locator("#draft-check mark.icp-mark--words", has_text="degraded performance").bounding_box()
    assert abs(caret_x - (mark["x"] + mark["width"])) < 2
    # seen: the tint and the line under it are there, and the text over them passes 4.5:1
    look = page.locator("#draft-check mark.icp-mark--words").first.evaluate(
        "m => { const s = getComputedStyle(m); return {bg: s.backgroundColor, shadow: s.boxShadow}; }")
    assert look["bg"] not in ("rgba(0, 0, 0, 0)", "transparent") and look["shadow"] != "none", look
    ratio = page.locator("#draft-check mark.icp-mark--words").first.evaluate(CONTRAST)
    assert ratio >= 4.5, f"the draft's text over a mark: {ratio:.2f} ({scheme})"
    plain = page.locator("#draft-check .icp-check__backdrop").evaluate(CONTRAST)
    assert plain >= 4.5, f"the draft's text: {plain:.2f} ({scheme})"
    field_ink = page.locator(FIELD).evaluate("t => getComputedStyle(t).color")
    assert field_ink == "rgba(0, 0, 0, 0)", "the field's own text is not drawn over the one seen"
    # nothing sideways, no text under 12 px in the checker
    sideways = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert sideways <= 0, sideways
    sizes = page.evaluate("""() => [...document.querySelectorAll('#draft-check *')]
        .filter((e) => e.offsetParent && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
        .map((e) => [e.className, parseFloat(getComputedStyle(e).fontSize)])""")
    assert all(px >= 12 for _, px in sizes), [s for s in sizes if s[1] < 12]
    targets = page.locator("#draft-check .icp-check__go")
    assert all(targets.nth(i).bounding_box()["height"] >= 44 for i in range(targets.count()))
    page.screenshot(path=f".artefacts/draft-checker-{size}-{scheme}.png", full_page=False)
    assert not recorder.problems(), recorder.report()


def test_keyboard_only_tab_to_a_finding_and_enter_selects_its_words(site_server, open_context):
    context, recorder = open_context(**LAPTOP)
    page = context.new_page()
    open_checker(page, site_server)
    page.locator(FIELD).focus()
    page.keyboard.type(BAD)
    page.evaluate(IDLE)
    rules = shown_rules(page)
    assert rules == python_rules(BAD), rules
    page.keyboard.press("Tab")  # out of the field, onto the first finding
    for _ in range(len(rules)):
        focused = page.evaluate("() => document.activeElement.textContent")
        if "degraded performance" in focused:
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("no finding for 'degraded performance' reached by Tab")
    page.keyboard.press("Enter")
    selected = page.evaluate("() => { const t = document.activeElement; return [t.classList.contains("
                             "'icp-check__text'), t.value.slice(t.selectionStart, t.selectionEnd)]; }")
    assert selected == [True, "degraded performance"]
    seen = page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                         "return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; }")
    assert seen, "the field that has the focus shows it"
    assert not recorder.problems(), recorder.report()


def test_what_was_found_is_said_politely_once_typing_pauses(site_server, open_context):
    context, recorder = open_context(**LAPTOP)
    page = context.new_page()
    open_checker(page, site_server)
    live = page.locator("#draft-check [aria-live='polite']")
    assert live.text_content() == ""  # the first view is not news
    page.locator(FIELD).focus()
    page.keyboard.type("We are experiencing issues.", delay=20)
    assert live.text_content() == ""  # nothing said mid-word
    page.wait_for_function("() => document.querySelector(\"#draft-check [aria-live='polite']\").textContent !== ''")
    count = page.locator("#draft-check .icp-check__count").text_content()
    assert live.text_content() == count and "to look at" in count
    assert page.locator(FIELD).get_attribute("aria-describedby").split()[0] == \
        page.locator("#draft-check .icp-check__count").get_attribute("id")
    assert not recorder.problems(), recorder.report()


def test_the_draft_survives_a_reload_but_not_into_another_tab(site_server, open_context):
    context, recorder = open_context(**PHONE)
    page = context.new_page()
    open_checker(page, site_server)
    page.locator("#draft-check-audience").select_option("status-page")
    type_draft(page, BAD)
    page.reload()
    page.locator(".icp-checker[data-mounted]").wait_for(state="attached")
    page.evaluate(IDLE)
    assert page.locator(FIELD).input_value() == BAD
    assert page.locator("#draft-check-audience").input_value() == "status-page"
    assert shown_rules(page) == python_rules(BAD, audience="status-page")
    other = context.new_page()  # a second tab starts empty: the draft stays in its own tab
    open_checker(other, site_server)
    assert other.locator(FIELD).input_value() == ""
    assert other.locator("#draft-check .icp-check__count").text_content() == "Nothing to check yet."
    assert not recorder.problems(), recorder.report()


def test_changing_who_reads_it_changes_what_applies(site_server, open_context):
    context, recorder = open_context(**LAPTOP)
    page = context.new_page()
    open_checker(page, site_server)
    text = "The export did not work for you from 09:40 UTC; we saw it in #inc-ingest. Details: status page.\n"
    type_draft(page, text)
    for audience in ("customer", "internal", "status-page"):
        for state in ("ongoing", "resolved"):
            for security in (False, True):
                page.locator("#draft-check-audience").select_option(audience)
                page.locator("#draft-check-state").select_option(state)
                page.locator("#draft-check-security").set_checked(security)
                assert shown_rules(page) == python_rules(text, audience, state, security), (audience, state, security)
    assert not recorder.problems(), recorder.report()


def test_starting_from_an_example_can_be_undone(site_server, open_context):
    context, recorder = open_context(**LAPTOP)
    page = context.new_page()
    open_checker(page, site_server)
    template = next(t for t in PROJECT.templates.values() if t.draft_audience == "customer")
    page.locator("#draft-check-of").select_option(template.id)
    type_draft(page, "My own words.")
    page.get_by_role("button", name="Start from the template's example").click()
    assert page.locator(FIELD).input_value() == example_text(template)
    assert "Undo" in page.locator("#draft-check .icp-check__controls [role=status]").text_content()
    page.keyboard.press("Control+z")
    page.evaluate(IDLE)
    assert page.locator(FIELD).input_value() == "My own words."
    assert shown_rules(page) == python_rules("My own words.")
    page.locator("#draft-check-of").select_option("")
    assert page.get_by_role("button", name="Start from the template's example").is_disabled()
    assert not recorder.problems(), recorder.report()


def test_hostile_text_is_only_text(site_server, open_context):
    context, recorder = open_context(**LAPTOP)
    page = context.new_page()
    open_checker(page, site_server)
    type_draft(page, '<img src=x onerror="alert(1)"> {{ <script>alert(2)</script> }} degraded performance')
    assert page.locator("#draft-check img, #draft-check script").count() == 0
    assert "{{ <script>alert(2)</script> }}" in page.locator("#draft-check .icp-check__findings").text_content()
    assert not recorder.dialogs and not recorder.problems(), recorder.report()


def test_without_javascript_the_page_names_the_command_line(site_server, open_context):
    context, recorder = open_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.goto(f"{site_server}{TEMPLATES}")
    page.locator("details.icp-template__box > summary").first.click()
    page.locator("a.icp-check-this").first.click()
    page.wait_for_url(f"**/{CHECKER}?of=*")
    notice = page.locator(".icp-checker__nojs")
    assert notice.is_visible() and "python -m macros draft-check" in notice.text_content()
    # following a link while the last page still fetched its icon cancels that fetch: not a fault of the site
    assert not recorder.problems_but_aborts(), recorder.report()


def test_a_long_paste_is_checked_and_the_page_keeps_working(site_server, open_context):
    context, recorder = open_context(**LAPTOP)
    page = context.new_page()
    open_checker(page, site_server)
    big = ("We are experiencing issues with the export. " * 4000)[: drafts.MAX_CHARS + 5000]
    page.evaluate("([sel, text]) => { const t = document.querySelector(sel); t.value = text; "
                  "t.dispatchEvent(new Event('input')); }", [FIELD, big])
    page.wait_for_function(f"() => [...document.querySelectorAll('#draft-check .icp-check__rule')]"
                           f".some((e) => e.textContent === '{drafts.TOO_LONG}')", timeout=15_000)
    assert shown_rules(page) == python_rules(big)
    page.locator(FIELD).fill("")
    page.evaluate(IDLE)
    assert page.locator("#draft-check .icp-check__count").text_content() == "Nothing to check yet."
    assert not recorder.problems(), recorder.report()


# --------------------------------------------------------------------------------------------- workspace

EMAIL = next(t for t in PROJECT.templates.values() if t.draft_audience == "customer" and not t.draft.breaks)
DRAFT = f"#ws-template-{EMAIL.id}-draft"


def new_incident_on_email(page, base: str, name: str, products: str = "") -> str:
    """A new incident in the workspace with the customer email's card open; its id."""
    open_workspace(page, base)
    incident = start_incident(page, name, products)
    open_template(page, EMAIL.id)
    return incident


def test_a_workspace_draft_is_checked_kept_with_its_incident_and_started_again(site_server, open_context):
    context, recorder = open_context(**PHONE)
    page = context.new_page()
    first = new_incident_on_email(page, site_server, "INC-1 delayed exports", "Exports")
    details = page.locator(f"details#template-{EMAIL.id}")
    filled = details.locator("pre.icp-ws__output code").text_content()
    assert page.locator(DRAFT).input_value() == filled  # unedited, the draft is the template as the facts fill it
    assert details.locator("pre.icp-ws__output").is_hidden(), "the filled text is shown twice: in the draft and below"
    toggle = details.get_by_role("button", name="Show the template as the facts fill it now")
    assert toggle.count() == 0
    page.locator(DRAFT).focus()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nWe apologize for any inconvenience.")
    page.evaluate(IDLE)
    edited = page.locator(DRAFT).input_value()
    stored = page.evaluate("(id) => JSON.parse(localStorage.getItem('icp-workspace')).incidents[id].drafts", first)
    assert stored[EMAIL.id]["text"] == edited
    assert "stock-apology" in shown_rules(page, f"#template-{EMAIL.id}")
    summary = details.locator("summary").first.text_content()
    count = len(shown_rules(page, f"#template-{EMAIL.id}"))
    assert f"{count} to look at" in summary, summary
    # kept across a reload; the template as the facts fill it is there on demand, beside the edit
    page.reload()
    open_template(page, EMAIL.id)
    assert page.locator(DRAFT).input_value() == edited
    assert details.locator("pre.icp-ws__output").is_hidden()
    toggle.click()
    assert details.locator("pre.icp-ws__output code").text_content() == filled
    assert toggle.get_attribute("aria-expanded") == "true"
    # start again from the template: asked first, then the edit is gone from the store too
    open_template(page, EMAIL.id)
    page.get_by_role("button", name=f"Start again from the template: {EMAIL.title}").click()
    page.get_by_role("button", name="Yes, start again").click()
    open_template(page, EMAIL.id)
    assert page.locator(DRAFT).input_value() == filled
    stored = page.evaluate("(id) => JSON.parse(localStorage.getItem('icp-workspace')).incidents[id].drafts", first)
    assert EMAIL.id not in stored
    assert not recorder.problems(), recorder.report()


def test_drafts_belong_to_their_incident_and_a_closed_one_is_read_only(site_server, open_context):
    context, recorder = open_context(**LAPTOP)
    page = context.new_page()
    first = new_incident_on_email(page, site_server, "INC-1 first")
    page.locator(DRAFT).fill("Only for the first incident.")
    page.evaluate(IDLE)
    data = page.evaluate("() => JSON.parse(localStorage.getItem('icp-workspace'))")
    second = "inc-second1"
    data["incidents"][second] = {**data["incidents"][first], "id": second, "drafts": {},
                                 "facts": {**data["incidents"][first]["facts"], "incident_name": "INC-2 second"}}
    data["incidents"][first]["closed_at"] = "2026-03-03T12:00:00Z"
    data["active"] = second
    page.evaluate("(d) => localStorage.setItem('icp-workspace', JSON.stringify(d))", data)
    page.reload()
    open_template(page, EMAIL.id)
    assert page.locator(DRAFT).input_value() != "Only for the first incident."
    page.evaluate("(d) => { d.active = d.incidents ? Object.keys(d.incidents)[0] : null; "
                  "localStorage.setItem('icp-workspace', JSON.stringify(d)); }", {**data, "active": first})
    page.reload()
    open_template(page, EMAIL.id)
    field = page.locator(DRAFT)
    assert field.input_value() == "Only for the first incident."
    assert field.evaluate("t => t.readOnly"), "a closed incident's draft cannot be changed"
    assert not recorder.problems(), recorder.report()


def test_a_draft_too_long_to_keep_says_so_and_is_not_kept(site_server, open_context):
    context, recorder = open_context(**LAPTOP)
    page = context.new_page()
    incident = new_incident_on_email(page, site_server, "INC-3 long")
    limit = page.evaluate("() => JSON.parse(document.querySelector('.icp-workspace').dataset.icpWorkspace).max_draft")
    page.evaluate("([sel, text]) => { const t = document.querySelector(sel); t.value = text; "
                  "t.dispatchEvent(new Event('input')); }", [DRAFT, "word " * (limit // 5 + 10)])
    warn = page.locator(f"#template-{EMAIL.id} .icp-ws__draft-warn")
    warn.wait_for()
    assert "NOT kept" in warn.text_content() and warn.get_attribute("role") == "alert"
    stored = page.evaluate("(id) => JSON.parse(localStorage.getItem('icp-workspace')).incidents[id].drafts", incident)
    assert EMAIL.id not in stored
    assert not recorder.problems(), recorder.report()


def test_an_exported_incident_carries_its_drafts_and_python_reads_them(site_server, open_context, tmp_path):
    from macros.engine.incident_file import read_incident

    context, recorder = open_context(accept_downloads=True, **LAPTOP)
    page = context.new_page()
    new_incident_on_email(page, site_server, "INC-4 export")
    page.locator(DRAFT).fill("Our own words, kept.")
    page.evaluate(IDLE)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the incident (.json)").click()
    path = tmp_path / "incident.json"
    download.value.save_as(path)
    incident = read_incident(path)
    assert incident["drafts"][EMAIL.id]["text"] == "Our own words, kept."
    assert example_text(EMAIL)  # the example the templates page starts from is there for this one too
    assert not recorder.problems(), recorder.report()


# --------------------------------------------------------------------------------------------- another organisation


def test_an_adopters_templates_are_checked_with_its_own_names(served_fixture_copy, open_context):
    """Another organisation's playbooks: its templates link to the checker, which starts from their examples and
    finds what Python finds with that organisation's rules (its own internal names among them)."""
    from tests.site.conftest import FIXTURES

    folder = FIXTURES / "adopter"
    adopter = load_project([folder], org_file=folder / "organisation.yaml")
    copy = served_fixture_copy(folder)
    assert copy.build.returncode == 0, copy.build.output
    context, recorder = open_context(**PHONE)
    page = context.new_page()
    assert adopter.templates, "the adopter fixture has templates to check"
    for template in adopter.templates.values():
        page.goto(f"{copy.url}{TEMPLATES}#{links.template_anchor(template.id)}")
        page.wait_for_load_state("networkidle")  # the theme's instant navigation is set up
        page.get_by_role("link", name=f"Check a draft of: {template.title}").click()
        page.wait_for_url(f"**/{CHECKER}")
        page.locator(".icp-checker[data-mounted]").wait_for(state="attached")
        page.wait_for_function(f"() => document.querySelector('{FIELD}').value !== ''")
        assert page.locator(FIELD).input_value() == example_text(template)
        scope = drafts.Scope(template.draft_audience, template.draft_state, template.draft.security)
        expected = [f.rule for f in drafts.check(example_text(template), adopter.draft_rules, scope)]
        assert shown_rules(page) == expected, template.id
    names = list(adopter.organisation.internal_names)
    if names:
        text = f"Your exports did not arrive. Ask {names[0]} for details on the status page."
        type_draft(page, text)
        page.locator("#draft-check-audience").select_option("customer")
        assert "internal-names" in shown_rules(page)
    assert not recorder.problems_but_aborts(), recorder.report()


def test_an_edited_draft_is_shown_and_copied_as_kept_when_the_checker_cannot_come(site_server, open_context):
    """The checker's scripts fail to load (a flaky connection mid-incident): an edited draft is still what the card
    shows and copies, wrapped on a phone, never the template as the facts fill it."""
    context, recorder = open_context(**PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    incident = new_incident_on_email(page, site_server, "INC-5 kept")
    edited = "Your exports are late: " + "an-unbroken-word-" * 12 + " See the status page."
    page.locator(DRAFT).fill(edited)
    page.evaluate(IDLE)
    page.route("**/assets/icp/{drafts,checker}.js*", lambda route: route.abort())
    page.reload()
    page.locator(".icp-workspace[data-mounted]").wait_for(state="attached")
    details = open_template(page, EMAIL.id)
    shown = details.locator("pre.icp-ws__edited")
    shown.wait_for()
    assert page.evaluate("() => !window.icp.checker"), "the checker came after all: this test did not stop it"
    assert shown.text_content() == edited
    assert shown.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the edited draft runs off the phone's screen"
    assert details.locator("pre.icp-ws__output").is_hidden()
    details.get_by_role("button", name=f"Copy {EMAIL.title}").click()
    details.locator(".icp-copied", has_text="Copied").wait_for()
    assert page.evaluate("() => navigator.clipboard.readText()") == edited
    stored = page.evaluate("(id) => JSON.parse(localStorage.getItem('icp-workspace')).incidents[id].drafts", incident)
    assert stored[EMAIL.id]["text"] == edited
    assert not recorder.page_errors, recorder.report()


def test_printed_the_findings_stay_and_the_controls_go(site_server, open_context):
    """Printed (for a review, or a post-mortem folder): on the checker page and on a workspace card, every finding
    keeps its place, rule and words; the buttons to copy, start again or mark as sent are not on paper."""
    context, recorder = open_context(**LAPTOP)
    page = context.new_page()
    open_checker(page, site_server)
    type_draft(page, BAD)
    on_screen = shown_rules(page)
    page.emulate_media(media="print")
    rules = page.locator("#draft-check .icp-check__rule")
    assert [r.text_content() for r in rules.all() if r.is_visible()] == on_screen == python_rules(BAD)
    assert page.get_by_role("button", name="Copy the draft").is_hidden()
    page.emulate_media(media="screen")
    new_incident_on_email(page, site_server, "INC-6 printed")
    page.locator(DRAFT).fill(BAD)
    page.evaluate(IDLE)
    card = f"#template-{EMAIL.id}"
    on_screen = shown_rules(page, card)
    assert "stock-apology" in on_screen
    page.emulate_media(media="print")
    rules = page.locator(f"{card} .icp-check__rule")
    assert [r.text_content() for r in rules.all() if r.is_visible()] == on_screen
    assert page.locator(f"{card} .icp-check__go").first.is_visible()
    assert page.get_by_role("button", name=f"Copy {EMAIL.title}").is_hidden()
    assert not recorder.problems(), recorder.report()


def test_the_handover_note_copied_is_the_one_edited_on_its_card(site_server, open_context):
    """The Handover section's "Copy the handover note" gives what the next Comms Lead would read on the card: the
    edit, once the note is edited; the template as the facts fill it before."""
    handover = next((t for t in PROJECT.templates.values() if t.when == "handover"), None)
    if handover is None:
        pytest.skip("these playbooks have no handover template")
    context, recorder = open_context(permissions=["clipboard-read", "clipboard-write"], **LAPTOP)
    page = context.new_page()
    open_workspace(page, site_server)
    start_incident(page, "INC-7 handed over")
    details = open_template(page, handover.id)
    draft = page.locator(f"#ws-template-{handover.id}-draft")
    filled = draft.input_value()
    copy_note = page.locator(".icp-ws__handover").get_by_role("button", name="Copy the handover note")
    copy_note.click()
    page.locator(".icp-ws__handover .icp-copied", has_text="Copied").wait_for()
    assert page.evaluate("() => navigator.clipboard.readText()") == filled
    draft.fill(filled + "\nAsk Priya about the export job before 18:00 UTC.")
    page.evaluate(IDLE)
    page.evaluate("() => navigator.clipboard.writeText('')")
    copy_note.click()
    copied = page.evaluate("""async () => { for (let i = 0; i < 50; i += 1) {
        const got = await navigator.clipboard.readText(); if (got) return got;
        await new Promise((done) => setTimeout(done, 100)); } return ''; }""")
    assert copied == draft.input_value() != filled
    assert details.evaluate("d => d.open")
    assert not recorder.problems(), recorder.report()
