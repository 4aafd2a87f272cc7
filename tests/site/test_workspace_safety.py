"""The incident workspace in the browser, where it must be safe: the same bytes as Python for every template, the
same verdict on an imported file, hostile facts kept inert everywhere they go, a store it cannot read left as it
is, a full store said out loud, nothing sent anywhere, and a page that still guides without JavaScript.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from macros.engine.incident_file import IncidentFileError, read_incident
from macros.engine.loader import load_project
from macros.render.fill import values_for
from macros.render.formats import FORMATS
from macros.render.plan import clean, compile_template, render
from tests.engine.test_incident_file import BAD_FILES, GOOD, GOOD_TEXT
from tests.render.workspace_cases import CASES, HOSTILE, HOSTILE_NAME, export, incident

pytestmark = pytest.mark.browser

PROJECT = load_project()
EVERY_HOURS = PROJECT.organisation.incident.status_page_every_hours
KEY = "icp-workspace"
DATA = "() => JSON.parse(document.querySelector('.icp-workspace').dataset.icpWorkspace)"
PWNED = "() => typeof window.__pwned === 'undefined'"
# markup that text must never become: elements that run or load, and attributes that run
INJECTED = """() => [...document.querySelectorAll('.icp-workspace *')]
  .filter(e => /^(script|img|iframe|frame|object|embed|style|link|base|meta|svg|math|video|audio)$/i.test(e.tagName)
               || [...e.attributes].some(a => /^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value)))
  .map(e => e.outerHTML.slice(0, 120))"""
BYTES = """(cases) => {
  const data = JSON.parse(document.querySelector('.icp-workspace').dataset.icpWorkspace);
  const spec = { facts: data.facts, rows: data.rows, derived: data.derived, every_hours: data.every_hours };
  const out = {};
  for (const [name, incident] of cases) for (const t of data.templates)
  for (const [fmt, plan] of Object.entries(t.formats)) {
    const { text, missing } = window.icp.fill.render(plan, window.icp.fill.valuesFor(plan, incident, spec));
    out[name + ' ' + t.id + ' ' + fmt] = [text, missing];
  }
  return out;
}"""
VERDICTS = """(texts) => {
  const data = JSON.parse(document.querySelector('.icp-workspace').dataset.icpWorkspace);
  return texts.map((text) => {
    let value;
    try { value = JSON.parse(String(text).trim()); /* as take() does */ } catch (error) {
      return ['not JSON: ' + error.message];
    }
    return window.icpWorkspace.wrong(data.schema, value, 'file', []);
  });
}"""


def open_workspace(site_server, open_context, **kwargs):
    context, recorder = open_context(**kwargs)
    page = context.new_page()
    page.goto(f"{site_server}workspace/")
    mounted(page)
    return context, page, recorder


def mounted(page) -> None:
    page.locator(".icp-workspace[data-mounted]").wait_for(state="attached")


def seed(context, raw: str) -> None:
    """The store as ``raw`` before the first page of the tab loads (once: a reload sees what the page left)."""
    context.add_init_script(
        "try { if (location.protocol === 'http:' && !sessionStorage.getItem('icp-test-seeded')) {"
        f" localStorage.setItem({json.dumps(KEY)}, {json.dumps(raw)});"
        " sessionStorage.setItem('icp-test-seeded', '1'); }"
        " } catch (error) { /* about:blank */ }"
    )


def store_holding(*incidents: dict) -> str:
    return json.dumps({
        "version": 1,
        "incidents": {one["id"]: one for one in incidents},
        "active": incidents[0]["id"] if incidents else None,
        "clock": {"every_hours": EVERY_HOURS, "warn_minutes": PROJECT.organisation.incident.status_page_warn_minutes},
    })


def stored(page) -> str | None:
    return page.evaluate(f"() => localStorage.getItem({json.dumps(KEY)})")


def start(page, name: str = "INC-1 test", products: str = "") -> None:
    page.fill("#ws-start-name", name)
    if products:
        page.fill("#ws-start-products", products)
    page.get_by_role("button", name="Start the incident").click()
    page.locator("h2#incident").wait_for()


def import_text(page, text: str) -> str:
    """Paste ``text`` into the import box, press Import, and return what the import says."""
    details = page.locator("details#ws-import")
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    page.evaluate("() => document.querySelector('.icp-ws__import-status').replaceChildren()")
    page.locator("#ws-import-text").fill(text)
    page.get_by_role("button", name="Import", exact=True).click()
    status = page.locator(".icp-ws__import-status")
    page.wait_for_function("() => document.querySelector('.icp-ws__import-status').textContent.trim() !== ''")
    return status.inner_text()


def python_verdict(tmp_path: Path, content: str | bytes) -> bool:
    """True when ``read_incident`` takes the file."""
    path = tmp_path / "verdict.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    try:
        read_incident(path)
    except IncidentFileError:
        return False
    return True


def python_text(template_id: str, fmt: str, one: dict) -> tuple[str, list[str]]:
    compiled = compile_template(PROJECT.templates[template_id], fmt)
    return render(compiled, values_for(compiled, one, EVERY_HOURS))


def fragment_incident(link: str) -> dict:
    encoded = link.split("#import=", 1)[1]
    return json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8"))


def shown_in(page, selector: str, value: str) -> bool:
    """Whether the field at ``selector`` holds ``value`` as its kind of field can: an ``<input>`` strips line breaks,
    a ``<textarea>`` turns CR LF and CR into LF."""
    field = page.locator(selector)
    if field.evaluate("e => e.tagName") == "TEXTAREA":
        expected = value.replace("\r\n", "\n").replace("\r", "\n")
    else:
        expected = value.replace("\r", "").replace("\n", "")
    return field.input_value() == expected


# --------------------------------------------------------------------------------------------- a. byte agreement


def test_the_page_embeds_the_templates_python_compiles(site_server, open_context):
    _context, page, recorder = open_workspace(site_server, open_context)
    data = page.evaluate(DATA)
    assert data["every_hours"] == EVERY_HOURS
    ids = [t["id"] for t in data["templates"]]
    assert len(ids) == len(set(ids)), "a template is listed twice (its details would share an id)"
    assert set(ids) == set(PROJECT.templates)
    for t in data["templates"]:
        assert set(t["formats"]) == set(FORMATS), t["id"]
        for fmt, plan in t["formats"].items():
            python = json.loads(json.dumps(compile_template(PROJECT.templates[t["id"]], fmt)))
            assert plan == python, (t["id"], fmt)
    assert not recorder.problems_but_aborts(), recorder.report()


def test_browser_fills_every_template_in_every_format_as_python_does(site_server, open_context):
    _context, page, recorder = open_workspace(site_server, open_context)
    found = page.evaluate(BYTES, [[name, one] for name, one in CASES])
    expected = {}
    for name, one in CASES:
        for template_id in PROJECT.templates:
            for fmt in FORMATS:
                text, missing = python_text(template_id, fmt, one)
                expected[f"{name} {template_id} {fmt}"] = [text, missing]
    assert set(found) == set(expected)
    differ = [key for key in expected if found[key] != expected[key]]
    assert not differ, f"{len(differ)} differ, the first: {differ[0]}\n{found[differ[0]]!r}\n{expected[differ[0]]!r}"
    assert not recorder.problems_but_aborts(), recorder.report()


# --------------------------------------------------------------------------------------------- b. import verdicts


def test_the_browser_judges_an_imported_file_as_python_does(site_server, open_context, tmp_path):
    _context, page, recorder = open_workspace(site_server, open_context)
    files = [("good", GOOD_TEXT), *((bad.name, bad.content) for bad in BAD_FILES if isinstance(bad.content, str))]
    verdicts = page.evaluate(VERDICTS, [text for _, text in files])
    for (name, text), problems in zip(files, verdicts, strict=True):
        assert (not problems) == python_verdict(tmp_path, text), f"{name}: the browser says {problems}"
    assert not verdicts[0], verdicts[0]
    assert not recorder.problems_but_aborts(), recorder.report()


EDGE_FILES = [
    ("version-true", json.dumps({**GOOD, "version": True})),  # True == 1 in Python
    ("byte-order-mark", "\ufeff" + GOOD_TEXT),  # as some editors write; the browser's trim() drops it
    ("nested-deeply", "[" * 100_000 + "]" * 100_000),
    ("version-float", json.dumps(GOOD).replace('"version": 1,', '"version": 1.0,')),
]


@pytest.mark.parametrize("text", [text for _, text in EDGE_FILES], ids=[name for name, _ in EDGE_FILES])
def test_the_browser_and_python_agree_on_the_edge_files(site_server, open_context, tmp_path, text):
    _context, page, recorder = open_workspace(site_server, open_context)
    [problems] = page.evaluate(VERDICTS, [text])
    assert (not problems) == python_verdict(tmp_path, text), problems
    assert not recorder.problems_but_aborts(), recorder.report()


def test_the_browser_and_python_agree_on_a_lone_surrogate(site_server, open_context, tmp_path):
    _context, page, _recorder = open_workspace(site_server, open_context)
    text = json.dumps(export(incident(facts={"notes": "\ud800"})))  # json.dumps writes the escape \ud800
    [problems] = page.evaluate(VERDICTS, [text])
    assert (not problems) == python_verdict(tmp_path, text), problems


def test_every_pasted_file_gets_a_message_and_no_error(site_server, open_context, tmp_path):
    _context, page, recorder = open_workspace(site_server, open_context)
    start(page)  # with an incident open, as while one is handed over
    for bad in BAD_FILES:
        if not isinstance(bad.content, str):
            continue  # bytes cannot be pasted
        said = import_text(page, bad.content)
        if bad.content.strip():
            assert "not" in said or "newer" in said, f"{bad.name}: {said}"
        assert "Imported" not in said, f"{bad.name}: {said}"
        assert not recorder.page_errors, f"{bad.name}: {recorder.report()}"
    said = import_text(page, GOOD_TEXT)
    assert said.startswith("Imported “INC-517 delayed event ingestion”"), said
    assert page.locator("h2#incident").inner_text() == GOOD["incident"]["facts"]["incident_name"]
    said = import_text(page, GOOD_TEXT)
    assert "already holds" in said, "importing the same incident again asks first"
    assert not recorder.problems_but_aborts(), recorder.report()


def test_import_is_offered_before_any_incident(site_server, open_context):
    """The next Comms Lead, in a browser that holds no incident yet, imports the one handed over."""
    _context, page, recorder = open_workspace(site_server, open_context)
    assert page.locator("#ws-import-text").count() == 1
    said = import_text(page, GOOD_TEXT)
    assert said.startswith("Imported “INC-517 delayed event ingestion”"), said
    assert page.locator("h2#incident").inner_text() == GOOD["incident"]["facts"]["incident_name"]
    assert not recorder.problems_but_aborts(), recorder.report()


def test_an_imported_incident_without_rows_can_be_worked_on(site_server, open_context):
    _context, page, recorder = open_workspace(site_server, open_context)
    start(page)
    said = import_text(page, json.dumps(export(incident("inc-no-rows", rows={}))))
    assert said.startswith("Imported"), said
    page.get_by_role("button", name="Add a product").click()
    page.get_by_role("button", name="Add an entry by hand…").click()
    page.get_by_role("button", name="Add to the log").click()
    assert not recorder.page_errors, recorder.report()


# --------------------------------------------------------------------------------------------- c. hostile facts


def test_hostile_facts_stay_text_everywhere_they_go(site_server, open_context, tmp_path):
    context, recorder = open_context(accept_downloads=True, permissions=["clipboard-read", "clipboard-write"])
    seed(context, store_holding(HOSTILE))
    page = context.new_page()
    page.goto(f"{site_server}workspace/")
    mounted(page)
    facts = HOSTILE["facts"]
    # in the page: the heading, the fields
    assert page.locator("h2#incident").text_content() == HOSTILE_NAME
    product = HOSTILE["rows"]["products"][0]
    for selector, value in [
        ("#ws-fact-incident_name", HOSTILE_NAME),
        ("#ws-fact-incident_lead", facts["incident_lead"]),
        ("#ws-fact-notes", facts["notes"]),
        ("#ws-fact-customer_segments", facts["customer_segments"]),
        ("#ws-products-0-product", product["product"]),
        ("#ws-products-0-user_visible_impact", product["user_visible_impact"]),
    ]:
        assert shown_in(page, selector, value), selector
    # every template, every format: the text Python writes
    ids = page.evaluate("() => [...document.querySelectorAll('details.icp-ws__template')].map(d => d.id)")
    assert len(ids) == len(PROJECT.templates)
    for details_id in ids:
        template_id = details_id.removeprefix("template-")
        details = page.locator(f"details#{details_id}")
        details.locator("summary").click()
        for fmt in FORMATS:
            page.locator(f"#ws-template-{template_id}-{fmt}").check()
            code = page.locator(f"details#{details_id} pre.icp-ws__output code")
            assert page.locator(f"details#{details_id}").evaluate("d => d.open"), "a redraw closed the template"
            assert code.text_content() == python_text(template_id, fmt, HOSTILE)[0], (template_id, fmt)
        assert page.evaluate(PWNED), template_id
    assert page.evaluate(INJECTED) == []
    assert page.locator(".icp-workspace img, .icp-workspace script, img[src='x']").count() == 0
    filled = page.locator("details#template-handover-note pre.icp-ws__output code").text_content()
    assert clean(HOSTILE_NAME, escape=False) in filled  # the last format chosen: plain text
    # the incident file: the same incident, which the command line reads back
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the incident (.json)").click()
    path = tmp_path / "incident.json"
    info.value.save_as(path)
    assert json.loads(path.read_text(encoding="utf-8"))["incident"] == HOSTILE
    assert read_incident(path) == HOSTILE
    # the post-mortem record: every value escaped
    with page.expect_download() as info:
        page.get_by_role("button", name="Download a record for the post-mortem (.md)").click()
    record = tmp_path / "record.md"
    info.value.save_as(record)
    text = record.read_text(encoding="utf-8")
    assert text.startswith("# " + clean(HOSTILE_NAME) + "\n")
    assert "- Name or number: " + clean(HOSTILE_NAME) + "\n" in text
    assert "- Notes: " + clean(facts["notes"]) + "\n" in text
    assert not re.search(r"(?<!\\)[<>]", text), "a < or > without a backslash in the record"
    table = [line for line in text.split("\n") if line.startswith("| ")]
    assert all(line.count(" | ") == len(table[0].split(" | ")) - 1 for line in table), "a value broke the table"
    # the handover link: the incident after the #, whole
    page.get_by_role("button", name="Copy a handover link").click()
    page.locator(".icp-copied", has_text="Copied").wait_for()
    link = page.evaluate("() => navigator.clipboard.readText()")
    assert link.startswith(f"{site_server}workspace/#import=")
    assert fragment_incident(link)["incident"] == HOSTILE
    assert page.evaluate(PWNED)
    assert not recorder.problems_but_aborts(), recorder.report()


def test_a_hostile_file_pasted_in_is_imported_as_text(site_server, open_context):
    _context, page, recorder = open_workspace(site_server, open_context)
    start(page)
    said = import_text(page, json.dumps(export(HOSTILE), ensure_ascii=False))
    assert said.startswith("Imported “INC-666"), said
    assert page.locator("h2#incident").text_content() == HOSTILE_NAME
    assert json.loads(stored(page))["incidents"][HOSTILE["id"]] == HOSTILE
    assert page.evaluate(PWNED) and page.evaluate(INJECTED) == []
    assert not recorder.problems_but_aborts(), recorder.report()


# --------------------------------------------------------------------------------------------- d. corrupt storage


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("{not json", "cannot be read"),
        ("[]", "cannot be read"),
        ('{"version": 99, "incidents": {}}', "newer version"),
        ('{"version":1,"incidents":[]}', "cannot be read"),
        ('{"version":1,"incidents":{"a":null},"active":"a"}', "cannot be read"),
        ('{"version":1,"incidents":{"a":{}}}', "cannot be read"),
        ('{"version":-1,"incidents":{}}', "cannot be read"),
    ],
    ids=["not-json", "a-list", "newer", "incidents-a-list", "an-incident-null", "an-incident-empty", "version-minus-1"],
)
def test_a_store_it_cannot_read_is_left_as_it_is(site_server, open_context, tmp_path, raw, says):
    context, recorder = open_context(accept_downloads=True)
    seed(context, raw)
    page = context.new_page()
    page.goto(f"{site_server}workspace/")
    mounted(page)
    notice = page.locator(".icp-workspace [role=status].icp-notice")
    assert notice.is_visible() and says in notice.inner_text()
    with page.expect_download() as info:
        notice.get_by_role("button", name="Download what is stored").click()
    path = tmp_path / "kept.txt"
    info.value.save_as(path)
    assert path.read_text(encoding="utf-8") == raw
    page.fill("#ws-start-name", "INC-2 on top of damage")
    page.get_by_role("button", name="Start the incident").click()
    assert "cannot be changed" in page.locator(".icp-ws__alert").inner_text()
    assert stored(page) == raw, "the store was written over"
    page.reload()
    mounted(page)
    assert stored(page) == raw
    for address in ("", "playbooks/should-we-communicate/"):
        page.goto(f"{site_server}{address}")
        page.wait_for_load_state("load")
        recorder.settle(page)
        assert page.locator(".icp-bar").count() == 0, address
        assert page.locator("article h1").count() == 1, address
        assert stored(page) == raw, address
    assert not recorder.problems_but_aborts(), recorder.report()


def test_the_bar_and_the_workspace_read_the_same_last_update(site_server, open_context):
    context, recorder = open_context()
    seed(context, store_holding(incident("inc-sixty", facts={"incident_name": "INC-60"},
                                         status_updates=["2026-03-03T13:00:60Z"])))
    page = context.new_page()
    page.goto(f"{site_server}workspace/")
    mounted(page)
    assert "Not updated yet" in page.locator("#ws-due").inner_text()
    page.goto(site_server)
    page.locator(".icp-bar").wait_for()
    assert "no update recorded" in page.locator(".icp-bar").inner_text()
    assert not recorder.problems_but_aborts(), recorder.report()


def test_a_malformed_address_does_not_stop_the_workspace(site_server, open_context):
    context, recorder = open_context()
    page = context.new_page()
    page.goto(f"{site_server}workspace/#template-%E0%A4%A")
    mounted(page)
    assert page.locator("#ws-start-name").count() == 1
    assert "could not start" not in page.locator(".icp-workspace").inner_text()
    assert not recorder.problems_but_aborts(), recorder.report()


# --------------------------------------------------------------------------------------------- e. full storage


def test_a_full_store_says_so_and_keeps_what_it_had(site_server, open_context):
    _context, page, recorder = open_workspace(site_server, open_context)
    start(page, "INC-3 full disk")
    before = stored(page)
    page.evaluate("""() => { Storage.prototype.setItem = function () {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError"); }; }""")
    page.fill("#ws-fact-incident_link", "https://tracker.example/3")
    alert = page.locator(".icp-ws__alert")
    alert.filter(has_text="full").wait_for()
    said = alert.inner_text()
    assert "storage for the site is full" in said and "NOT kept" in said, said
    assert stored(page) == before
    assert "incident_link" not in json.loads(before)["incidents"][json.loads(before)["active"]]["facts"]
    assert not recorder.problems_but_aborts(), recorder.report()


# --------------------------------------------------------------------------------------------- f. nothing leaves


WIRETAP = """(() => {
  const record = (kind, url, body) => {
    let where = String(url);
    try { where = new URL(where, location.href).href; } catch (error) { /* kept as given */ }
    let text = "";
    try { text = body === undefined || body === null ? "" : typeof body === "string" ? body : String(body); }
    catch (error) { text = "?"; }
    try { window.__icpWire(kind, where, text); } catch (error) { /* not yet bound */ }
  };
  const fetch0 = window.fetch;
  window.fetch = function (input, init) {
    record("fetch", input && typeof input === "object" && "url" in input ? input.url : input, init && init.body);
    return fetch0.apply(this, arguments);
  };
  const open0 = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.__icpUrl = url; record("xhr", url, ""); return open0.apply(this, arguments);
  };
  const send0 = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (body) {
    record("xhr-send", this.__icpUrl, body); return send0.apply(this, arguments);
  };
  if (navigator.sendBeacon) {
    const beacon0 = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = function (url, data) { record("beacon", url, data); return beacon0(url, data); };
  }
  const WebSocket0 = window.WebSocket;
  window.WebSocket = function (url, protocols) { record("websocket", url, ""); return new WebSocket0(url, protocols); };
  const EventSource0 = window.EventSource;
  window.EventSource = function (url, options) {
    record("eventsource", url, ""); return new EventSource0(url, options);
  };
})();"""


def test_nothing_of_an_incident_leaves_the_machine(site_server, open_context, tmp_path):
    context, recorder = open_context(accept_downloads=True, permissions=["clipboard-read", "clipboard-write"])
    calls: list[tuple[str, str, str]] = []
    requests: list[tuple[str, str]] = []
    context.expose_function("__icpWire", lambda kind, url, body: calls.append((kind, url, body)))
    context.add_init_script(WIRETAP)
    context.on("request", lambda request: requests.append((request.url, request.post_data or "")))
    secrets = {
        "name": "INC-4242 quokka zebra",
        "product": "Quokkaproduct",
        "incident_link": "https://tracker.example/quokka-4242",
        "comms_lead": "Quokka Comms Person",
        "notes": "secret notes of the quokka",
        "impact": "impact seen by quokkas",
        "checked": "Quokka Checker",
    }
    page = context.new_page()
    page.goto(f"{site_server}workspace/")
    mounted(page)
    # the tap hears what the page asks for
    assert page.evaluate("() => fetch('./?probe=fetch').then(r => r.status)") == 200
    page.evaluate("""() => new Promise(done => { const x = new XMLHttpRequest(); x.onload = done;
      x.open('GET', './?probe=xhr'); x.send(); })""")
    assert {"fetch", "xhr", "xhr-send"} <= {kind for kind, _, _ in calls}, calls
    start(page, secrets["name"], secrets["product"])
    page.fill("#ws-fact-incident_link", secrets["incident_link"])
    page.fill("#ws-fact-comms_lead", secrets["comms_lead"])
    page.fill("#ws-fact-notes", secrets["notes"])
    page.fill("#ws-products-0-user_visible_impact", secrets["impact"])
    page.get_by_role("button", name="Updated just now").click()
    details = page.locator("details#template-handover-note")
    details.locator("summary").click()
    details.get_by_role("button", name=re.compile("^Copy ")).click()
    details.locator(".icp-copied", has_text="Copied").wait_for()
    details.get_by_role("button", name=re.compile("^Mark as sent")).click()
    page.fill("#ws-sent-handover-note-checked", secrets["checked"])
    page.get_by_role("button", name="Add to the log").click()
    page.locator(".icp-ws__log td", has_text=secrets["checked"]).wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the incident (.json)").click()
    path = tmp_path / "incident.json"
    info.value.save_as(path)
    exported = path.read_text(encoding="utf-8")
    assert secrets["checked"] in exported and secrets["impact"] in exported
    with page.expect_download():
        page.get_by_role("button", name="Download a record for the post-mortem (.md)").click()
    page.get_by_role("button", name="Copy a handover link").click()
    page.locator(".icp-ws__handover .icp-copied", has_text="Copied").wait_for()
    link = page.evaluate("() => navigator.clipboard.readText()")
    assert "already holds" in import_text(page, exported)
    page.get_by_role("button", name="Replace it with the imported one").click()
    page.locator(".icp-ws__import-status", has_text="Imported").wait_for()
    # the link, opened in a new tab of this browser: imported from the fragment, never sent
    other = context.new_page()
    other.goto(link)
    mounted(other)
    other.locator(".icp-ws__import-status, .icp-ws__alert").filter(has_text="already holds").wait_for()
    assert "#" not in other.url
    for tab in (page, other):
        recorder.settle(tab)
    kinds = {kind for kind, _, _ in calls}
    assert not kinds & {"beacon", "websocket", "eventsource"}, calls
    host = urlsplit(site_server).netloc
    for kind, url, _body in calls:
        assert urlsplit(url).scheme in ("http", "blob", "data") and (urlsplit(url).netloc in (host, "")), (kind, url)
    for url, _body in requests:
        assert urlsplit(url).netloc == host or urlsplit(url).scheme in ("blob", "data"), url
    sent = [unquote(url) for _, url, _ in calls] + [body for _, _, body in calls]
    sent += [unquote(url) for url, _ in requests] + [body for _, body in requests]
    for name, secret in secrets.items():
        words = {secret, secret.split()[-1] if " " in secret else secret}
        leaked = [s[:200] for s in sent if any(word in s for word in words)]
        assert not leaked, f"the {name} was sent: {leaked}"
    assert not recorder.blocked, recorder.blocked
    assert not recorder.problems_but_aborts(), recorder.report()


# --------------------------------------------------------------------------------------------- g. without JavaScript


def test_without_javascript_the_workspace_says_what_needs_it_and_still_guides(site_server, open_context):
    context, recorder = open_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_server}workspace/")
    notice = page.locator(".icp-workspace__nojs")
    assert notice.is_visible()
    assert "needs JavaScript" in notice.inner_text()
    assert page.get_by_role("heading", name="What it keeps, and where").is_visible()
    assert page.get_by_text("It all stays in this browser").is_visible()
    assert page.locator("#ws-start-name").count() == 0
    assert not recorder.problems_but_aborts(), recorder.report()
