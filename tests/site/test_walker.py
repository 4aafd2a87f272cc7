"""The interactive decision tree, driven in Chromium like a Comms Lead would.

Every path that Python enumerates is clicked through, and the outcome the page shows must be the
one Python computes: the walker's logic and the engine's cannot drift apart unnoticed.
"""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from macros.engine.loader import load_project
from macros.engine.models import Question

pytestmark = pytest.mark.browser

PROJECT = load_project()
WALK = ".icp-walk"
STEP_TITLE = f"{WALK} .icp-step__title"


def page_url(base: str, playbook_id: str, hash_: str = "") -> str:
    return f"{base}playbooks/{playbook_id}/{hash_}"


def node_title(key: tuple[str, str]) -> str:
    node = PROJECT.playbooks[key[0]].tree.nodes[key[1]]
    return node.question if isinstance(node, Question) else node.title


def start_hash(playbook_id: str) -> str:
    return f"#{playbook_id}--{PROJECT.playbooks[playbook_id].tree.start}"


def wait_title(page, text: str, root: str = "") -> None:
    locator = page.locator(f"{root} {STEP_TITLE}".strip())
    locator.wait_for()
    page.wait_for_function(
        "([sel, text]) => { const el = document.querySelector(sel); return el && el.textContent === text; }",
        arg=[f"{root} {STEP_TITLE}".strip(), text], timeout=5000,
    )


def current_title(page, root: str = "") -> str:
    return page.locator(f"{root} {STEP_TITLE}".strip()).first.text_content()


def choose(page, answer_id: str, root: str = "") -> None:
    page.locator(f"{root} {WALK} button.icp-choice[data-answer='{answer_id}']".strip()).click()


@pytest.mark.parametrize("playbook_id", list(PROJECT.playbooks))
def test_every_path_walked_by_clicking(site_server, open_context, playbook_id):
    context, recorder = open_context()
    page = context.new_page()
    page.goto(page_url(site_server, playbook_id))
    paths = PROJECT.paths(playbook_id)
    assert paths, f"{playbook_id} has no paths"
    walked = 0
    for path in paths:
        page.evaluate("hash => { location.hash = hash; }", start_hash(playbook_id))
        wait_title(page, node_title(PROJECT.graph.starts[playbook_id]))
        answers = []
        for step in path.steps:
            assert current_title(page) == node_title(step.node), path.text(playbook_id)
            choose(page, step.answer)
            answers.append(step.answer)
            expected = node_title(path.outcome) if step is path.steps[-1] else None
            if expected:
                wait_title(page, expected)
        shown = page.locator(f"{WALK} .icp-step--outcome .icp-step__title").text_content()
        assert shown == node_title(path.outcome), f"{path.text(playbook_id)}: page shows {shown!r}"
        outcome = PROJECT.playbooks[path.outcome[0]].tree.nodes[path.outcome[1]]
        assert page.locator(f"{WALK} .icp-checklist li").count() == len(outcome.actions)
        expected_hash = start_hash(playbook_id) + "".join(f"/{a}" for a in answers)
        assert page.evaluate("location.hash") == expected_hash
        walked += 1
    assert walked == PROJECT.path_count(playbook_id)
    assert not recorder.problems(), recorder.report()


def test_keyboard_only_full_path_with_focus_and_announcements(site_server, open_context):
    context, recorder = open_context()
    page = context.new_page()
    page.goto(page_url(site_server, "who-leads-comms"))
    path = ["unclear", "no-pmm", "will-not"]
    keys = ["Enter", "Space", "Enter"]
    for answer, key in zip(path, keys, strict=True):
        target = f"{WALK} button.icp-choice[data-answer='{answer}']"
        for _ in range(200):
            if page.evaluate("sel => document.activeElement === document.querySelector(sel)", target):
                break
            page.keyboard.press("Tab")
        else:
            pytest.fail(f"Tab never reached the answer {answer!r}")
        page.keyboard.press(key)
        page.wait_for_function("() => document.activeElement && document.activeElement.matches('.icp-step__title')")
        heading = page.evaluate("() => document.activeElement.textContent")
        page.wait_for_function(
            "text => document.querySelector('.icp-walk + [aria-live=polite]').textContent.includes(text)", arg=heading
        )
    assert current_title(page) == node_title(("who-leads-comms", "fallback-team-appoints"))
    assert not recorder.problems(), recorder.report()


def test_back_forward_reload_and_shared_link(site_server, open_context):
    context, recorder = open_context()
    page = context.new_page()
    page.goto(page_url(site_server, "who-leads-comms"))
    choose(page, "unclear")
    wait_title(page, node_title(("who-leads-comms", "any-pmm")))
    choose(page, "no-pmm")
    wait_title(page, node_title(("who-leads-comms", "incident-lead-appointed")))
    page.go_back()
    wait_title(page, node_title(("who-leads-comms", "any-pmm")))
    page.go_forward()
    wait_title(page, node_title(("who-leads-comms", "incident-lead-appointed")))
    page.reload()
    wait_title(page, node_title(("who-leads-comms", "incident-lead-appointed")))
    assert page.locator(f"{WALK} .icp-given li").count() == 2
    shared = page.url
    other = context.new_page()
    other.goto(shared)
    wait_title(other, node_title(("who-leads-comms", "incident-lead-appointed")))
    # the walker's own Back control steps back one answer
    other.locator(f"{WALK} .icp-controls button", has_text="Back").click()
    wait_title(other, node_title(("who-leads-comms", "any-pmm")))
    assert not recorder.problems(), recorder.report()


@pytest.mark.parametrize(
    ("hash_", "title", "notice"),
    [
        ("#who-leads-comms--product-pmm/unclear/renamed-answer/named", ("who-leads-comms", "any-pmm"), "1 of 3"),
        ("#who-leads-comms--removed-node/unclear", ("who-leads-comms", "product-pmm"), "no longer has"),
        ("#<script>window.__pwned=1</script>", ("who-leads-comms", "product-pmm"), None),
        ("#who-leads-comms--product-pmm/%3Cimg%20src=x%20onerror=window.__pwned=1%3E",
         ("who-leads-comms", "product-pmm"), "0 of 1"),
        ("#who-leads-comms--%E0%A4%A", ("who-leads-comms", "product-pmm"), None),
        ("#", ("who-leads-comms", "product-pmm"), None),
    ],
)
def test_stale_and_garbage_links(site_server, open_context, hash_, title, notice):
    context, recorder = open_context()
    page = context.new_page()
    page.goto(page_url(site_server, "who-leads-comms", hash_))
    wait_title(page, node_title(title))
    notices = page.locator(f"{WALK} .icp-notice")
    if notice:
        assert notice in notices.text_content()
    else:
        assert notices.count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert not recorder.problems(), recorder.report()


def test_change_an_earlier_answer_keeps_what_still_applies(site_server, open_context):
    context, recorder = open_context()
    page = context.new_page()
    page.goto(page_url(site_server, "who-leads-comms", "#who-leads-comms--product-pmm/unclear/no-pmm/named"))
    wait_title(page, node_title(("who-leads-comms", "appointed-person-leads")))
    page.locator(f"{WALK} .icp-given li").nth(0).get_by_role("button", name="Change").click()
    wait_title(page, node_title(("who-leads-comms", "product-pmm")))
    previous = page.locator(f"{WALK} button.icp-choice--previous")
    assert previous.get_attribute("data-answer") == "unclear"
    # the new answer leads to the same next question: the later answers still apply and are kept
    choose(page, "yes-pmm-away")
    wait_title(page, node_title(("who-leads-comms", "appointed-person-leads")))
    assert page.evaluate("location.hash") == "#who-leads-comms--product-pmm/yes-pmm-away/no-pmm/named"
    # a change deeper in the walk keeps what comes before it
    page.locator(f"{WALK} .icp-given li").nth(2).get_by_role("button", name="Change").click()
    wait_title(page, node_title(("who-leads-comms", "incident-lead-appointed")))
    choose(page, "not-asked")
    wait_title(page, node_title(("who-leads-comms", "ask-incident-lead")))
    assert page.evaluate("location.hash") == "#who-leads-comms--product-pmm/yes-pmm-away/no-pmm/not-asked"
    # the new answer leaves the old path: the later answers are dropped
    page.locator(f"{WALK} .icp-given li").nth(0).get_by_role("button", name="Change").click()
    choose(page, "yes-with-pmm")
    wait_title(page, node_title(("who-leads-comms", "product-pmm-leads")))
    assert page.evaluate("location.hash") == "#who-leads-comms--product-pmm/yes-with-pmm"
    assert page.locator(f"{WALK} .icp-given li").count() == 1
    assert not recorder.problems(), recorder.report()


def test_walk_continues_into_another_playbook(site_server, open_context):
    jumps = [(pid, path) for pid in PROJECT.playbooks for path in PROJECT.paths(pid) if path.outcome[0] != pid]
    assert jumps, "no playbook jumps into another one; the cross-playbook walk is untested"
    playbook_id, path = jumps[0]
    context, recorder = open_context()
    page = context.new_page()
    page.goto(page_url(site_server, playbook_id, start_hash(playbook_id) + "".join(f"/{s.answer}" for s in path.steps)))
    wait_title(page, node_title(path.outcome))
    assert not recorder.problems(), recorder.report()


def test_ticks_persist_and_clear(site_server, open_context):
    context, recorder = open_context()
    page = context.new_page()
    url = page_url(site_server, "who-leads-comms", "#who-leads-comms--product-pmm/yes-with-pmm")
    page.goto(url)
    boxes = page.locator(f"{WALK} .icp-checklist input[type=checkbox]")
    boxes.nth(1).check()
    page.reload()
    boxes.nth(1).wait_for()
    assert [boxes.nth(i).is_checked() for i in range(boxes.count())] == [False, True]
    page.locator(f"{WALK} button", has_text="Clear ticks").click()
    assert not boxes.nth(1).is_checked()
    page.reload()
    boxes.nth(1).wait_for()
    assert not boxes.nth(1).is_checked()
    assert not recorder.problems(), recorder.report()


def test_copy_link_and_summary(site_server, open_context):
    context, recorder = open_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(page_url(site_server, "who-leads-comms", "#who-leads-comms--product-pmm/unclear/pmm-available"))
    wait_title(page, node_title(("who-leads-comms", "pmms-choose")))
    page.locator(f"{WALK} .icp-checklist input").nth(0).check()
    page.locator(f"{WALK} .icp-controls button", has_text="Copy summary").click()
    page.wait_for_function("() => document.querySelector('.icp-walk + [aria-live]').textContent === 'Summary copied'")
    summary = page.evaluate("() => navigator.clipboard.readText()")
    pb = PROJECT.playbooks["who-leads-comms"]
    outcome = pb.tree.nodes["pmms-choose"]
    assert summary.startswith(f"**{pb.title}**: {outcome.title}")
    assert f"- {pb.tree.nodes['product-pmm'].question} → No, or it is not clear" in summary
    first, *rest = outcome.actions
    assert f"- [x] {first.text} ({PROJECT.roles[first.owner].name})" in summary
    for action in rest:
        assert f"- [ ] {action.text}" in summary
    assert summary.rstrip().endswith("#who-leads-comms--product-pmm/unclear/pmm-available")
    page.locator(f"{WALK} .icp-controls button", has_text="Copy link").click()
    page.wait_for_function("() => document.querySelector('.icp-walk + [aria-live]').textContent === 'Link copied'")
    assert page.evaluate("() => navigator.clipboard.readText()") == page.url
    assert not recorder.problems(), recorder.report()


def test_without_javascript_the_links_lead_to_an_outcome(site_server, open_context):
    context, recorder = open_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(page_url(site_server, "who-leads-comms"))
    assert page.locator(".icp-walk").count() == 0
    node = "product-pmm"
    step = "[data-playbook='who-leads-comms'] li.icp-node[data-node='{}']"
    for answer in ["unclear", "no-pmm", "named"]:
        section = page.locator(step.format(node))
        assert section.is_visible()
        section.locator(f"a.icp-answer[data-answer='{answer}']").click()
        node = page.evaluate("location.hash").split("--", 1)[1]
        # the link lands on the step's heading, in view below the header bar
        top = page.locator(f"[id='who-leads-comms--{node}']").evaluate("el => el.getBoundingClientRect().top")
        assert 40 <= top < 300, f"step {node} is at {top} px after following its link"
    assert node == "appointed-person-leads"
    assert page.locator(step.format("appointed-person-leads") + " .icp-actions li").count() == 2
    assert not recorder.problems(), recorder.report()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_at_start_mid_walk_and_outcome(site_server, open_context, scheme):
    context, recorder = open_context(color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    for hash_ in ["", "#who-leads-comms--product-pmm/unclear", "#who-leads-comms--product-pmm/unclear/no-pmm/named"]:
        page.goto(page_url(site_server, "who-leads-comms", hash_))
        page.locator(STEP_TITLE).wait_for()
        # a walk link scrolls to the tree, and Material fades the page title into the header: measure
        # contrast once that fade is over, not halfway through it
        # (Material reacts to the scroll after a short delay, then animates for 0.4 s)
        page.wait_for_timeout(300)
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
        results = axe.run(page)
        violations = results.response["violations"]
        assert not violations, json.dumps(
            [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations], indent=1)
    assert not recorder.problems(), recorder.report()


def test_several_trees_on_one_page_and_instant_navigation(site_server, open_context):
    context, recorder = open_context()
    page = context.new_page()
    page.goto(site_server)
    page.evaluate("() => { window.__samePage = true; }")
    page.locator(".md-content a.icp-start").first.click()
    page.locator(STEP_TITLE).wait_for()
    assert page.evaluate("() => window.__samePage") is True, "instant navigation fell back to a full reload"
    page.goto(f"{site_server}onboarding/practice/")
    trees = page.locator(".icp-tree")
    assert trees.count() == 2
    trees.nth(0).locator("button.icp-choice[data-answer='unclear']").click()
    expect_first = node_title(("who-leads-comms", "any-pmm"))
    page.wait_for_function(
        "text => document.querySelectorAll('.icp-tree .icp-step__title')[0].textContent === text", arg=expect_first
    )
    second_start = node_title(("handing-over", PROJECT.playbooks["handing-over"].tree.start))
    assert trees.nth(1).locator(".icp-step__title").text_content() == second_start
    # walking the second tree leaves the first where it was
    first_answer = PROJECT.playbooks["handing-over"].tree.nodes[PROJECT.playbooks["handing-over"].tree.start]
    trees.nth(1).locator(f"button.icp-choice[data-answer='{first_answer.answers[0].id}']").click()
    trees.nth(1).locator(".icp-given li").wait_for()
    assert trees.nth(0).locator(".icp-step__title").text_content() == expect_first
    assert not recorder.problems(), recorder.report()


def test_phone_width_walk_has_no_horizontal_scroll(site_server, open_context):
    context, recorder = open_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(page_url(site_server, "running-comms"))
    page.locator(STEP_TITLE).wait_for()
    page.locator(f"{WALK} button.icp-choice").first.tap()
    page.locator(f"{WALK} .icp-given li").wait_for()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert not recorder.problems(), recorder.report()


def test_print_shows_the_current_path_and_outcome(site_server, open_context):
    context, recorder = open_context()
    page = context.new_page()
    page.goto(page_url(site_server, "who-leads-comms", "#who-leads-comms--product-pmm/unclear/no-pmm/named"))
    page.locator(STEP_TITLE).wait_for()
    page.emulate_media(media="print")
    assert page.locator(f"{WALK} .icp-given").is_visible()
    assert page.locator(f"{WALK} .icp-step--outcome").is_visible()
    assert not page.locator(f"{WALK} .icp-controls").is_visible()
    assert not page.locator(".icp-map").first.is_visible()
    assert not recorder.problems(), recorder.report()


def test_hostile_text_shows_as_text_in_the_walker(hostile_site, open_context):
    assert hostile_site.build.returncode == 0, hostile_site.build.output
    context, recorder = open_context()
    page = context.new_page()
    page.goto(f"{hostile_site.url}playbooks/hostile/")
    page.locator(STEP_TITLE).wait_for()
    for _ in range(10):
        choices = page.locator(f"{WALK} button.icp-choice")
        if not choices.count():
            break
        choices.first.click()
        page.wait_for_timeout(50)
    assert page.locator(f"{WALK} .icp-step--outcome").count() == 1
    assert page.evaluate("() => window.__pwned") is None
    assert "<" in page.locator(WALK).text_content()
    assert not recorder.dialogs and not recorder.page_errors, recorder.report()
