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


def given(page, root: str = ""):
    """The answers so far, unfolded as a user would (they come folded, after the step)."""
    box = page.locator(f"{root} {WALK} details.icp-given".strip())
    if not box.evaluate("el => el.open"):
        box.locator("summary").first.click()
    return box


# Every path of every playbook is tapped through on a phone in test_walker_views.py (with what a reader sees at
# each step); here, walks by mouse and keyboard.


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
    # the walker's own Back control, at the top, steps back one answer
    other.locator(f"{WALK} > .icp-back", has_text="Back").click()
    wait_title(other, node_title(("who-leads-comms", "any-pmm")))
    # Back, Forward and reload cancel what the page had in flight (net::ERR_ABORTED); nothing else may fail
    assert not recorder.problems_but_aborts(), recorder.report()


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
    given(page).locator("li").nth(0).get_by_role("button", name="Change").click()
    wait_title(page, node_title(("who-leads-comms", "product-pmm")))
    previous = page.locator(f"{WALK} button.icp-choice--previous")
    assert previous.get_attribute("data-answer") == "unclear"
    # the new answer leads to the same next question: the later answers still apply and are kept
    choose(page, "yes-pmm-away")
    wait_title(page, node_title(("who-leads-comms", "appointed-person-leads")))
    assert page.evaluate("location.hash") == "#who-leads-comms--product-pmm/yes-pmm-away/no-pmm/named"
    # a change deeper in the walk keeps what comes before it
    given(page).locator("li").nth(2).get_by_role("button", name="Change").click()
    wait_title(page, node_title(("who-leads-comms", "incident-lead-appointed")))
    choose(page, "not-asked")
    wait_title(page, node_title(("who-leads-comms", "ask-incident-lead")))
    assert page.evaluate("location.hash") == "#who-leads-comms--product-pmm/yes-pmm-away/no-pmm/not-asked"
    # the new answer leaves the old path: the later answers are dropped
    given(page).locator("li").nth(0).get_by_role("button", name="Change").click()
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
    assert not recorder.problems_but_aborts(), recorder.report()


def test_copy_link_and_summary(site_server, open_context):
    context, recorder = open_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(page_url(site_server, "who-leads-comms", "#who-leads-comms--product-pmm/unclear/pmm-available"))
    wait_title(page, node_title(("who-leads-comms", "pmms-choose")))
    page.locator(f"{WALK} .icp-checklist input").nth(0).check()
    copy_summary = page.locator(f"{WALK} .icp-controls button", has_text="Copy summary")
    copy_summary.click()
    # said where it was done, seen and announced: a status right after the button
    status = page.locator(f"{WALK} .icp-controls button:has-text('Copy summary') + .icp-copied[role=status]")
    status.filter(has_text="Copied").wait_for()
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
    page.locator(f"{WALK} .icp-controls button:has-text('Copy link') + .icp-copied[role=status]").filter(
        has_text="Copied").wait_for()
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
        # (scroll-driven animations, such as the flow picture's hint, always "run": only timed ones are waited for)
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running' "
                               "|| !(a.timeline instanceof DocumentTimeline))")
        results = axe.run(page)
        violations = results.response["violations"]
        assert not violations, json.dumps(
            [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations], indent=1)
    assert not recorder.problems(), recorder.report()


def test_several_trees_on_one_page_and_instant_navigation(site_server, open_context):
    context, recorder = open_context()
    page = context.new_page()
    page.goto(site_server)
    page.wait_for_load_state("networkidle")  # the theme has its sitemap: until then a click loads the page anew
    page.evaluate("() => { window.__samePage = true; }")
    page.locator(".md-content a.icp-start").first.click()
    page.locator(STEP_TITLE).wait_for()
    assert page.evaluate("() => window.__samePage") is True, "instant navigation fell back to a full reload"
    # the home page has no walker script: it came with the link, and drew each tree once
    assert page.locator(".icp-tree").count() == page.locator(".icp-tree > .icp-walk").count() >= 1
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
    trees.nth(1).locator(".icp-back").wait_for()
    assert trees.nth(1).locator(".icp-given li").count() == 1
    assert trees.nth(0).locator(".icp-step__title").text_content() == expect_first
    assert not recorder.problems(), recorder.report()


def test_phone_width_walk_has_no_horizontal_scroll(site_server, open_context):
    context, recorder = open_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(page_url(site_server, "running-comms"))
    page.locator(STEP_TITLE).wait_for()
    page.locator(f"{WALK} button.icp-choice").first.tap()
    page.locator(f"{WALK} .icp-back").wait_for()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert not recorder.problems(), recorder.report()


def test_print_shows_the_current_path_and_outcome(site_server, open_context):
    context, recorder = open_context()
    page = context.new_page()
    page.goto(page_url(site_server, "who-leads-comms", "#who-leads-comms--product-pmm/unclear/no-pmm/named"))
    page.locator(STEP_TITLE).wait_for()
    page.emulate_media(media="print")
    # the answers print even though they are folded on screen
    answers = page.locator(f"{WALK} .icp-given li")
    assert answers.count() == 3 and all(answers.nth(i).is_visible() for i in range(3))
    assert not page.locator(f"{WALK} .icp-back").is_visible()
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


# --------------------------------------------------------------------------------------------- continue with


def related_target(to: str) -> tuple[str, str]:
    return tuple(to.split("#", 1)) if "#" in to else PROJECT.graph.starts[to]


def jumps(same_page: bool = False, into_question: bool = True):
    """(playbook, path, index of the "Continue with" link, its target) for outcomes reached on a playbook's page
    whose link leads into another playbook (or, ``same_page``, into the same one)."""
    for pid in PROJECT.playbooks:
        for path in PROJECT.paths(pid):
            outcome = PROJECT.playbooks[path.outcome[0]].tree.nodes[path.outcome[1]]
            for index, link in enumerate(outcome.related):
                target = related_target(link.to)
                node = PROJECT.playbooks[target[0]].tree.nodes[target[1]]
                if (target[0] == pid) == same_page and isinstance(node, Question) == into_question:
                    yield pid, path, index, target


def walk_hash(playbook_id: str, path) -> str:
    return start_hash(playbook_id) + "".join(f"/{s.answer}" for s in path.steps)


def record_lines(playbook_id: str, path) -> list[str]:
    return [f"{node_title(s.node)} – {answer_label(s.node, s.answer)}" for s in path.steps]


def answer_label(key: tuple[str, str], answer_id: str) -> str:
    return next(a.label for a in PROJECT.playbooks[key[0]].tree.nodes[key[1]].answers if a.id == answer_id)


def test_continue_with_carries_the_answers_into_the_next_playbook(site_server, open_context):
    pid, path, index, target = next(jumps())
    title = PROJECT.playbooks[pid].title
    context, recorder = open_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    before = walk_hash(pid, path)
    page.goto(page_url(site_server, pid, before))
    wait_title(page, node_title(path.outcome))
    page.wait_for_load_state("networkidle")  # the theme has its sitemap: until then a click loads the page anew
    page.evaluate("() => { window.__samePage = true; }")
    page.locator(f"{WALK} .icp-related a").nth(index).click()
    page.wait_for_url(f"**/playbooks/{target[0]}/**")
    wait_title(page, node_title(target))
    assert page.evaluate("() => window.__samePage") is True, "instant navigation fell back to a full reload"
    assert page.evaluate("location.hash") == f"#{target[0]}--{target[1]}~{before[1:]}"

    def shows_the_earlier_walk() -> None:
        back = page.locator(f"{WALK} > a.icp-back")
        assert back.text_content() == f"Back to “{title}”"
        record = page.locator(f"{WALK} details.icp-given")
        assert record.evaluate("el => el.open"), "the earlier answers are folded away on arrival"
        text = " ".join(record.inner_text().split())
        assert f"Earlier, in {title}:" in text
        for line in record_lines(pid, path):
            assert " ".join(line.split()) in text, (line, text)
        assert f"Result: {node_title(path.outcome)}" in text
        assert f"Your answers so far ({len(path.steps)})" in text
        assert "0 answers" not in page.locator(WALK).inner_text()

    shows_the_earlier_walk()
    page.reload()
    wait_title(page, node_title(target))
    shows_the_earlier_walk()
    page.evaluate("() => { window.__samePage = true; }")
    # the copied summary says where the walk came from
    node = PROJECT.playbooks[target[0]].tree.nodes[target[1]]
    choose(page, node.answers[0].id)
    page.locator(f"{WALK} > button.icp-back").wait_for()
    assert page.evaluate("location.hash").endswith(f"/{node.answers[0].id}~{before[1:]}"), "the earlier walk is lost"
    assert f"Earlier, in {title}:" in given(page).inner_text()
    # Back, Back: this walk's first question, then the earlier playbook, at the very step it was left
    page.locator(f"{WALK} > button.icp-back").click()
    wait_title(page, node_title(target))
    page.locator(f"{WALK} > a.icp-back").click()
    page.wait_for_url(f"**/playbooks/{pid}/**")
    wait_title(page, node_title(path.outcome))
    assert page.evaluate("location.hash") == before
    assert page.locator(f"{WALK} .icp-given li").count() == len(path.steps)
    assert page.evaluate("() => window.__samePage") is True
    assert not recorder.problems_but_aborts(), recorder.report()


def test_the_record_links_back_to_exactly_that_walk_and_browser_back_works(site_server, open_context):
    pid, path, index, target = next(jumps(into_question=False))  # a link straight to an outcome
    context, recorder = open_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    before = walk_hash(pid, path)
    page.goto(page_url(site_server, pid, before))
    wait_title(page, node_title(path.outcome))
    page.wait_for_load_state("networkidle")  # the theme has its sitemap: until then a click loads the page anew
    page.locator(f"{WALK} .icp-related a").nth(index).click()
    wait_title(page, node_title(target))
    assert page.locator(f"{WALK} .icp-controls button", has_text="Start again").is_visible()
    page.locator(f"{WALK} .icp-controls button", has_text="Copy summary").click()
    summary = page.evaluate("() => navigator.clipboard.readText()")
    first = path.steps[0]
    assert f"- Earlier, in {PROJECT.playbooks[pid].title}: {node_title(first.node)} → " \
           f"{answer_label(first.node, first.answer)}" in summary
    page.go_back()
    wait_title(page, node_title(path.outcome))
    page.go_forward()
    wait_title(page, node_title(target))
    page.locator(f"{WALK} details.icp-given a", has_text=PROJECT.playbooks[pid].title).click()
    wait_title(page, node_title(path.outcome))
    assert page.evaluate("location.hash") == before
    # and Start again, there, is a fresh walk of that playbook
    page.locator(f"{WALK} .icp-controls button", has_text="Start again").click()
    wait_title(page, node_title(PROJECT.graph.starts[pid]))
    assert page.evaluate("location.hash") == start_hash(pid)
    assert not recorder.problems_but_aborts(), recorder.report()


def test_continue_with_on_the_same_page_keeps_the_earlier_walk(site_server, open_context):
    pid, path, index, target = next(jumps(same_page=True))
    context, recorder = open_context()
    page = context.new_page()
    before = walk_hash(pid, path)
    page.goto(page_url(site_server, pid, before))
    wait_title(page, node_title(path.outcome))
    page.locator(f"{WALK} .icp-related a").nth(index).click()
    wait_title(page, node_title(target))
    assert page.evaluate("location.hash") == f"#{target[0]}--{target[1]}~{before[1:]}"
    page.locator(f"{WALK} > a.icp-back").click()
    wait_title(page, node_title(path.outcome))
    assert page.evaluate("location.hash") == before
    assert not recorder.problems_but_aborts(), recorder.report()


def test_continue_with_by_keyboard_only(site_server, open_context):
    pid, path, index, target = next(jumps())
    context, recorder = open_context()
    page = context.new_page()
    page.goto(page_url(site_server, pid, walk_hash(pid, path)))
    wait_title(page, node_title(path.outcome))

    def tab_to(selector: str) -> None:
        for _ in range(300):
            if page.evaluate("sel => document.activeElement === document.querySelector(sel)", selector):
                return
            page.keyboard.press("Tab")
        pytest.fail(f"Tab never reached {selector}")

    tab_to(f"{WALK} .icp-related li:nth-child({index + 1}) a")
    page.keyboard.press("Enter")
    wait_title(page, node_title(target))
    tab_to(f"{WALK} > a.icp-back")
    page.keyboard.press("Enter")
    wait_title(page, node_title(path.outcome))
    assert not recorder.problems_but_aborts(), recorder.report()


@pytest.mark.parametrize("carried", [
    "garbage", "nope--x", "who-leads-comms--not-a-node", "who-leads-comms--product-pmm/not-an-answer",
    "constructor--x", "who-leads-comms--constructor", "__proto__--x/y",
    "who-leads-comms--product-pmm/%3Cimg%20src=x%20onerror=window.__pwned=1%3E", "--product-pmm",
    "who-leads-comms--product-pmm/yes-with-pmm~garbage",  # a good earlier walk, then a bad one before it
])
def test_a_stale_or_garbage_carried_part_is_left_out_with_a_notice(site_server, open_context, carried):
    start = PROJECT.graph.starts["running-comms"]
    context, recorder = open_context()
    page = context.new_page()
    page.goto(page_url(site_server, "running-comms", f"#running-comms--{start[1]}~{carried}"))
    wait_title(page, node_title(start))
    assert "no longer fit" in page.locator(f"{WALK} .icp-notice").text_content()
    kept = carried.startswith("who-leads-comms--product-pmm/yes-with-pmm~")
    assert page.locator(f"{WALK} > a.icp-back").count() == (1 if kept else 0)
    choose(page, PROJECT.playbooks["running-comms"].tree.nodes[start[1]].answers[0].id)
    page.locator(f"{WALK} > button.icp-back").wait_for()
    assert page.locator(f"{WALK} .icp-notice").count() == 0, "the notice outlived the next step"
    assert ("~" in page.evaluate("location.hash")) == kept
    assert page.evaluate("() => window.__pwned") is None
    assert not recorder.problems(), recorder.report()


# --------------------------------------------------------------------------------------------- several walkers


def test_each_walker_on_the_practice_page_has_its_own_part_of_the_address(site_server, open_context):
    first, second = [pb for pb in PROJECT.playbooks.values() if pb.practice][:2]
    a = PROJECT.playbooks[first.id].tree
    b = PROJECT.playbooks[second.id].tree
    a1 = a.nodes[a.start].answers[-1]
    a2 = a.nodes[a1.next].answers[0] if isinstance(a.nodes.get(a1.next), Question) else None
    b1 = b.nodes[b.start].answers[0]
    context, recorder = open_context()
    page = context.new_page()
    url = f"{site_server}onboarding/practice/"
    page.goto(url)
    trees = page.locator(".icp-tree")

    def title_of(i: int) -> str:
        return trees.nth(i).locator(".icp-step__title").text_content()

    def titles(expect_a: str, expect_b: str) -> None:
        page.wait_for_function("([x, y]) => { const t = document.querySelectorAll('.icp-tree .icp-step__title');"
                               " return t[0].textContent === x && t[1].textContent === y; }", arg=[expect_a, expect_b])

    trees.nth(0).locator(f"button.icp-choice[data-answer='{a1.id}']").click()
    titles(node_title((first.id, a1.next)), node_title((second.id, b.start)))
    # one walker used: the address is the plain form of a playbook page
    assert page.evaluate("location.hash") == f"#{first.id}--{a.start}/{a1.id}"
    steps_a = [a1.id]
    if a2:
        trees.nth(0).locator(f"button.icp-choice[data-answer='{a2.id}']").click()
        steps_a.append(a2.id)
    at_a = node_title((first.id, (a2 or a1).next))
    trees.nth(1).locator(f"button.icp-choice[data-answer='{b1.id}']").click()
    at_b = node_title((second.id, b1.next))
    titles(at_a, at_b)
    both = f"#{first.id}--{a.start}/{'/'.join(steps_a)}&{second.id}--{b.start}/{b1.id}"
    assert page.evaluate("location.hash") == both
    page.reload()
    titles(at_a, at_b)
    page.go_back()  # undoes the second walker's answer only
    titles(at_a, node_title((second.id, b.start)))
    page.go_back()
    titles(node_title((first.id, a1.next)) if a2 else node_title((first.id, a.start)), node_title((second.id, b.start)))
    page.go_forward()
    page.go_forward()
    titles(at_a, at_b)
    # a shared link opens both; an old link naming one walker opens that one, the other at its start
    other = context.new_page()
    second_title = "x => document.querySelectorAll('.icp-tree .icp-step__title')[1].textContent === x"
    other.goto(url + both)
    other.wait_for_function(second_title, arg=at_b)
    assert other.locator(".icp-tree").nth(0).locator(".icp-step__title").text_content() == at_a
    other.goto(url + f"#{second.id}--{b.start}/{b1.id}")
    other.reload()
    other.wait_for_function(second_title, arg=at_b)
    first_start = node_title((first.id, a.start))
    assert other.locator(".icp-tree").nth(0).locator(".icp-step__title").text_content() == first_start
    # a plain anchor on the page leaves both walks as they are
    page.evaluate("() => { location.hash = 'practice-" + second.id + "'; }")
    page.wait_for_timeout(200)
    assert title_of(0) == at_a and title_of(1) == at_b
    assert not recorder.problems_but_aborts(), recorder.report()


# --------------------------------------------------------------------------------------------- without JavaScript


def deep_links():
    """A walker link with answers for each playbook: from its start, and from the first way in that has one."""
    for pid, pb in PROJECT.playbooks.items():
        path = max(PROJECT.paths(pid), key=lambda p: len(p.steps))
        yield pid, pb.tree.start, [s.answer for s in path.steps[:2]]
        for way in pb.ways_in:
            node = pb.tree.nodes[way.at or pb.tree.start]
            if way.at and isinstance(node, Question):
                yield pid, way.at, [node.answers[0].id]
                break


@pytest.mark.parametrize(("playbook_id", "node_id", "answers"), list(deep_links()))
def test_without_javascript_a_walk_link_lands_on_its_step_with_a_note(site_server, open_context, playbook_id,
                                                                      node_id, answers):
    context, recorder = open_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(page_url(site_server, playbook_id, f"#{playbook_id}--{node_id}/" + "/".join(answers)))
    heading = page.locator(f"[id='{playbook_id}--{node_id}']")
    top = heading.evaluate("el => el.getBoundingClientRect().top")
    assert 40 <= top < 400, f"the step it starts from is at {top} px, not in view"
    step = page.locator(f"[data-playbook='{playbook_id}'] li.icp-node[data-node='{node_id}']")
    note = step.locator(".icp-deep__note")
    assert note.is_visible() and "cannot be replayed" in note.text_content()
    assert note.evaluate("el => el.getBoundingClientRect().bottom") <= 844, "the note is below the screen"
    assert page.locator(".icp-deep__note:visible").count() == 1, "notes show at other steps too"
    top_notice = page.locator(".icp-tree .icp-map__nojs")
    assert top_notice.is_visible() and "cannot be replayed" in top_notice.text_content()
    assert top_notice.evaluate("el => el.compareDocumentPosition(document.querySelector('ol.icp-map')) & 4"), \
        "the notice is not at the top of the tree"
    assert not recorder.problems(), recorder.report()


def test_with_javascript_the_no_script_notes_stay_hidden(site_server, open_context):
    context, recorder = open_context()
    page = context.new_page()
    page.goto(page_url(site_server, "who-leads-comms", "#who-leads-comms--product-pmm/unclear"))
    wait_title(page, node_title(("who-leads-comms", "any-pmm")))
    assert page.locator(".icp-deep__note:visible, .icp-map__nojs:visible").count() == 0
    assert not recorder.problems(), recorder.report()
