"""Site search finds the step: the words a Comms Lead types mid-incident open the playbook step (or the role) that
answers them, ahead of reference pages and long lists. Run with Material's own search in Chromium against the
built index, as a person types into the search box."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SWC, RC, WHO = "playbooks/should-we-communicate/", "playbooks/running-comms/", "playbooks/who-leads-comms/"
# query → the page the first result must be on, and the steps (anchors) its best section may be (None: any)
EXPECTED: dict[str, tuple[str, set[str] | None]] = {
    "security": (SWC, {"should-we-communicate--security-incident", "should-we-communicate--align-on-security"}),
    "attacker": (SWC, {"should-we-communicate--align-on-security"}),
    "hand over": ("playbooks/handing-over/", None),
    "off shift": ("playbooks/handing-over/", None),
    "handover": ("playbooks/handing-over/", None),
    "sleep": (WHO, {"who-leads-comms--any-pmm"}),
    "asleep": (WHO, {"who-leads-comms--any-pmm"}),
    "holiday": (WHO, {"who-leads-comms--any-pmm"}),
    "who leads": (WHO, None),
    "email customers": (SWC, {"should-we-communicate--email-affected-admins",
                              "should-we-communicate--email-affected-admins-early"}),
    "social": (SWC, {"should-we-communicate--broad-or-social-exception",
                     "should-we-communicate--broad-or-social-exception-early"}),
    "twitter": (SWC, {"should-we-communicate--broad-or-social-exception",
                      "should-we-communicate--broad-or-social-exception-early"}),
    "feature flags": (SWC, {"should-we-communicate--scope-impact-first"}),
    "data lost": (SWC, {"should-we-communicate--scope-impact-first"}),
    "status page": (RC, {"running-comms--status-page-nudge"}),
    "VIP": (RC, {"running-comms--not-yours-vip"}),
    "fact check": (RC, {"running-comms--fact-check-and-send"}),
    "comms plan": (RC, {"running-comms--create-comms-plan"}),
    "post-mortem": ("playbooks/after-resolution/", None),
    "support ticket": ("roles/support/", None),
    "approvers": ("roles/postmortem-approvers/", None),
}


def results(page, base: str, query: str) -> list[str]:
    """The result links of ``query``, as a person sees them once the search has answered it.

    Search reads the box on keyup; typing key by key would send one query per prefix, whose answers can land
    after the last one. So the box is cleared (and the list seen empty) first, then the whole query is sent
    once: the first list that shows up afterwards is the answer to this query."""
    box = page.locator("input.md-search__input")
    links = page.locator(".md-search-result__item a.md-search-result__link")
    box.click()
    box.fill("")
    box.press("End")  # a keyup: the empty query clears the list
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')", timeout=10_000)
    box.fill(query)
    box.press("End")  # one keyup, with the whole query in the box
    links.first.wait_for(timeout=10_000)
    hrefs = [links.nth(i).get_attribute("href") for i in range(min(links.count(), 8))]
    return [href.removeprefix(base).split("?")[0] + ("#" + href.split("#", 1)[1] if "#" in href else "")
            for href in hrefs]


def test_mid_incident_words_open_the_step_that_answers_them(site_server, open_context) -> None:
    assert len(EXPECTED) >= 15
    context, recorder = open_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(site_server, wait_until="load")
    wrong = []
    for query, (want_page, want_steps) in EXPECTED.items():
        found = results(page, site_server, query)
        first_page = found[0].split("#")[0]
        steps = [href.split("#", 1)[1] for href in found if "#" in href and href.startswith(first_page)]
        if first_page != want_page:
            wrong.append(f"{query!r}: first result on {first_page}, not {want_page} ({found[:3]})")
        elif want_steps is not None and (not steps or steps[0] not in want_steps):
            wrong.append(f"{query!r}: best step {steps[:1]}, not one of {sorted(want_steps)}")
        if first_page.startswith("reference/"):
            wrong.append(f"{query!r}: a reference page ranks first")
    assert not wrong, "\n".join(wrong)
    assert not recorder.problems(), recorder.report()


def test_reference_tables_and_the_practice_copies_are_not_searched(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert not [loc for loc in locations if loc.startswith(("reference/guideline-map/", "onboarding/practice/"))]
    assert any(loc.startswith("playbooks/running-comms/#running-comms--") for loc in locations), "steps not indexed"
    # a step opens on its playbook's page (where the walker shows it), once; the other parts of the page in full
    # stay results of that page, at anchors it has
    assert not [loc for loc in locations if loc.startswith("playbooks/running-comms/steps/#running-comms--")]
    assert len(locations) == len(set(locations)), "a location is in the index twice"
    assert "playbooks/running-comms/steps/#flow" in locations
    tagged = [doc for doc in index["docs"] if doc.get("tags")]
    assert tagged and all("#" in doc["location"] for doc in tagged), "keywords belong to steps"
