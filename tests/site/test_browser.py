"""Hostile playbook text in headless Chromium: opened, navigated and searched, it never runs.

Every page loading cleanly with other hosts blocked, axe-core, and phone width are checked in every view
(both widths, both schemes) by test_every_view_{light,dark}_{phone,laptop}.py, from one load per view.
"""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from macros.engine.loader import load_project

pytestmark = pytest.mark.browser



def visit(page, recorder, url: str) -> None:
    """Load ``url`` and wait until the requests Material makes after 'load' (search index, sitemap) are done."""
    same_document = page.url.split("#")[0] == url.split("#")[0] and "#" in url
    response = page.goto(url, wait_until="load")
    if response is None and not same_document:  # a jump to an anchor of the open page loads nothing
        recorder.failed_requests.append(f"{url}: no response")
    recorder.settle(page)


# ------------------------------------------------------------------------------------------ hostile text

PWNED = "typeof window.__pwned === 'undefined'"
INJECTED = """() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
    .filter(a => /^on/i.test(a.name) || (/^(href|src|action|formaction|xlink:href)$/i.test(a.name)
                                         && /^\\s*javascript:/i.test(a.value)))
    .map(a => `<${e.tagName.toLowerCase()} ${a.name}="${a.value}">`))"""


def test_hostile_text_does_not_run_in_the_browser(hostile_site, open_context) -> None:
    """Pages showing hostile playbook text, opened, navigated (instant navigation) and searched: no payload runs,
    no element gains an event handler or a javascript: link, and the text reads as typed."""
    assert hostile_site.build.returncode == 0, hostile_site.build.output
    root = hostile_site.build.root
    project = load_project([root / "playbooks"], org_file=root / "playbooks" / "organisation.yaml")
    pb, role = project.playbooks["hostile"], project.roles["hostile-role"]
    template = project.templates["hostile-template"]
    outcome = pb.tree.nodes["hostile-outcome"]
    base = hostile_site.url
    context, recorder = open_context()
    page = context.new_page()
    problems = []

    def check(where: str) -> None:
        if not page.evaluate(PWNED):
            problems.append(f"{where}: window.__pwned was set: a payload ran")
        problems.extend(f"{where}: {found}" for found in page.evaluate(INJECTED))

    def shows(where: str, selector: str, expected: str) -> None:
        # what a reader sees once the page has settled: a page brought by instant navigation keeps its content
        # out of sight until its stylesheet is in, and inner text leaves out what is out of sight
        wanted = " ".join(expected.split())
        with contextlib.suppress(PlaywrightTimeout):  # reported below, with what it shows instead
            page.wait_for_function("""([selector, wanted]) => [...document.querySelectorAll(selector)]
                .some((e) => e.innerText.split(/\\s+/).join(" ").trim() === wanted)""", arg=[selector, wanted],
                timeout=5000)
        texts = [" ".join(t.split()) for t in page.locator(selector).all_inner_texts()]
        if wanted not in texts:
            problems.append(f"{where}: {selector} shows {texts!r}, not {expected!r}")

    pages = {
        f"playbooks/{pb.id}/": [("h1", pb.title), (".icp-lead", pb.summary)],
        f"playbooks/{pb.id}/#{pb.id}--hostile-outcome": [],
        f"roles/{role.id}/": [("h1", role.name), (".icp-role__summary", role.summary)],
        # a link to one template opens its card: what it shows is what the reader sees
        f"comms-templates/#template-{template.id}": [
            (f"details:has(#template-{template.id}) .icp-template__title", template.title),
            (f"details:has(#template-{template.id}) pre.icp-template__body", template.body)],
        "onboarding/whole-flow/": [],
        "onboarding/principles/": [],
        "responsibilities/": [],
        "roles/": [],
        "": [],
    }
    for path, expectations in pages.items():
        url = base + path
        visit(page, recorder, url)
        check(url)
        for selector, expected in expectations:
            shows(url, selector, expected)
    if page.title() != "Incident Comms Playbook":
        problems.append(f"home page title is {page.title()!r}")
    visit(page, recorder, f"{base}playbooks/{pb.id}/")
    if page.title() != f"{pb.title} - Incident Comms Playbook":
        problems.append(f"document.title is {page.title()!r}, expected {pb.title!r} - Incident Comms Playbook")
    # the page of every step (what a reader without JavaScript follows, and what prints) shows the outcome
    visit(page, recorder, f"{base}playbooks/{pb.id}/steps/")
    check("the page of every step")
    shown = page.locator(f".icp-node__title[id='{pb.id}--hostile-outcome']").all_text_contents()
    if [" ".join(t.split()) for t in shown] != [" ".join(outcome.title.split())]:
        problems.append(f"outcome title reads {shown!r} on the page of steps, expected {outcome.title!r}")
    # and the walker, opened at that outcome, shows the same text
    visit(page, recorder, f"{base}playbooks/{pb.id}/#{pb.id}--hostile-outcome")
    check("walker at the hostile outcome")
    shows("walker at the hostile outcome", ".icp-walk .icp-step__title", outcome.title)
    visit(page, recorder, f"{base}playbooks/{pb.id}/")
    # instant navigation swaps the page content in place: follow the link to the hostile role that way
    page.locator(f"a[href$='roles/{role.id}/']").first.dispatch_event("click")
    page.wait_for_url(f"**/roles/{role.id}/")
    recorder.settle(page)
    check("after instant navigation to the role page")
    shows("after instant navigation", "h1", role.name)
    # search results are rendered in the browser from the search index
    page.locator("input[data-md-component='search-query']").focus()
    page.keyboard.type("hostile")
    page.locator(".md-search-result__item").first.wait_for(state="attached", timeout=10_000)
    check("search results for 'hostile'")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    # instant navigation may cancel a request of its own (net::ERR_ABORTED) on a busy machine; nothing else
    assert not recorder.problems_but_aborts(), recorder.report()
