"""Ways in by situation: the home page and *During an incident* open with what is happening ("It's a security
incident", "I'm handing over"), each a button that opens the right step, all on one phone screen."""

from __future__ import annotations

import pytest

from macros.engine.loader import load_project
from macros.engine.models import Question

pytestmark = pytest.mark.browser

PROJECT = load_project()
WAYS = [(pb.id, way.label, way.at or pb.tree.start) for pb in PROJECT.playbooks.values() for way in pb.ways_in]
PAGES = ["", "playbooks/"]


def title(playbook_id: str, node_id: str) -> str:
    node = PROJECT.playbooks[playbook_id].tree.nodes[node_id]
    return node.question if isinstance(node, Question) else node.title


def test_our_playbooks_name_the_situations_of_the_guideline() -> None:
    labels = " | ".join(label.lower() for _, label, _ in WAYS)
    for situation in ("pulled into an incident", "tell customers", "security", "resolved", "handing over"):
        assert situation in labels, f"no way in for '{situation}': {labels}"


@pytest.mark.parametrize("rel", PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_ways_in_fit_one_phone_screen(site_server, open_context, rel: str, scheme: str) -> None:
    context, recorder = open_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site_server + rel, wait_until="load")
    ways = page.locator("ul.icp-ways a.icp-way")
    assert ways.count() == len(WAYS)
    assert [ways.nth(i).text_content() for i in range(ways.count())] == [label for _, label, _ in WAYS]
    bottom = page.evaluate("() => document.querySelector('ul.icp-ways').getBoundingClientRect().bottom")
    assert bottom <= 844, f"the last way in ends at {bottom} px, below a 844 px phone screen"
    for i in range(ways.count()):
        box = ways.nth(i).bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # a thumb's target
    assert not recorder.problems_but_aborts(), recorder.report()


@pytest.mark.parametrize(("playbook_id", "label", "node_id"), WAYS)
def test_each_way_in_opens_its_step(site_server, open_context, playbook_id: str, label: str, node_id: str) -> None:
    context, recorder = open_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_server + "playbooks/", wait_until="load")
    page.get_by_role("link", name=label, exact=True).click()
    page.wait_for_url(f"**/playbooks/{playbook_id}/#{playbook_id}--{node_id}*")
    shown = "text => document.querySelector('.icp-walk .icp-step__title')?.textContent === text"
    page.wait_for_function(shown, arg=title(playbook_id, node_id), timeout=5000)
    assert not recorder.problems_but_aborts(), recorder.report()


def test_without_javascript_a_way_in_lands_on_its_step_in_the_map(site_server, open_context) -> None:
    context, recorder = open_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    for playbook_id, label, node_id in WAYS:
        page.goto(site_server, wait_until="load")
        page.get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state("load")
        heading = page.locator(f"[id='{playbook_id}--{node_id}']")
        assert heading.text_content() == title(playbook_id, node_id)
        top = heading.evaluate("el => el.getBoundingClientRect().top")
        assert 0 <= top < 400, f"{label}: the step is at {top} px, not in view"
    assert not recorder.problems_but_aborts(), recorder.report()
