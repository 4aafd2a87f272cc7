"""What a Comms Lead sees of the walker and the copy controls, on a phone and on a desktop, light and dark:

* every copy control says "Copied" (or that it failed) beside itself, readable in both colour schemes;
* Material's floating "Back to top" never covers the walker's question or choices;
* at every step of every path, on a 390 x 844 phone, the first choice (or the outcome and its first action)
  is on screen as soon as the step shows, with plain headings, and a tap leaves no hover colour behind.
"""

from __future__ import annotations

import pytest

from macros.engine.loader import load_project
from macros.engine.models import Question

pytestmark = pytest.mark.browser

PROJECT = load_project()
WALK = ".icp-walk"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
SCHEMES = ["light", "dark"]
# the clipboard refuses, and so does the old way (Material's clipboard.js uses execCommand)
REFUSE_COPY = ("navigator.clipboard && (navigator.clipboard.writeText = () => Promise.reject(new Error('no')));"
               "document.execCommand = () => false;")

# WCAG contrast of an element's text against what is painted behind it (ancestors' backgrounds composited)
CONTRAST = """el => {
  const rgba = (text) => {
    const m = text.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const layers = [];
  for (let node = el; node; node = node.parentElement) {
    const bg = rgba(getComputedStyle(node).backgroundColor);
    if (bg[3] > 0) layers.push(bg);
    if (bg[3] === 1) break;
  }
  let ground = [255, 255, 255, 1];
  for (const layer of layers.reverse()) ground = over(layer, ground);
  const ink = over(rgba(getComputedStyle(el).color), ground);
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(ink), lum(ground)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}"""


def node_title(key: tuple[str, str]) -> str:
    node = PROJECT.playbooks[key[0]].tree.nodes[key[1]]
    return node.question if isinstance(node, Question) else node.title


def current_title(page) -> str:
    return page.locator(".icp-walk .icp-step__title").first.text_content()


def start_hash(playbook_id: str) -> str:
    return f"#{playbook_id}--{PROJECT.playbooks[playbook_id].tree.start}"


def wait_title(page, text: str) -> None:
    page.wait_for_function("text => document.querySelector('.icp-walk .icp-step__title')?.textContent === text",
                           arg=text, timeout=5000)


def assert_beside(status, control) -> None:
    """The status is on screen right next to its control: to its right on the same line, or just under it."""
    box, near = status.bounding_box(), control.bounding_box()
    assert box and near and box["width"] > 0, (box, near)
    same_line = abs((box["y"] + box["height"] / 2) - (near["y"] + near["height"] / 2)) < near["height"]
    right_after = 0 <= box["x"] - (near["x"] + near["width"]) < 60
    just_under = 0 <= box["y"] - (near["y"] + near["height"]) < 40
    assert (same_line and right_after) or just_under, f"status at {box}, its control at {near}"


# --------------------------------------------------------------------------------------------- copy controls


@pytest.mark.parametrize("scheme", SCHEMES)
def test_walker_copy_buttons_say_copied_beside_themselves(site_server, open_context, scheme):
    context, recorder = open_context(color_scheme=scheme, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site_server}playbooks/who-leads-comms/#who-leads-comms--product-pmm/yes-with-pmm")
    page.locator(f"{WALK} .icp-step--outcome").wait_for()
    controls = [page.locator(f"{WALK} .icp-controls button", has_text=name) for name in ("Copy link", "Copy summary")]
    template = page.locator(f"{WALK} .icp-tool button", has_text="Copy")
    if template.count():
        controls.append(template.first)
    for control in controls:
        control.click()
        status = control.locator("xpath=following-sibling::*[1][contains(@class, 'icp-copied')]")
        status.filter(has_text="Copied").wait_for()
        assert status.get_attribute("role") == "status"
        assert_beside(status, control)
        ratio = status.evaluate(CONTRAST)
        assert ratio >= 4.5, f"'Copied' beside {control.text_content()!r} has contrast {ratio:.2f} ({scheme})"
    assert not recorder.problems(), recorder.report()


def test_the_confirmation_stays_a_few_seconds_then_goes(site_server, open_context):
    context, recorder = open_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.clock.install()
    page.goto(f"{site_server}playbooks/who-leads-comms/#who-leads-comms--product-pmm/yes-with-pmm")
    page.locator(f"{WALK} .icp-step--outcome").wait_for()
    control = page.locator(f"{WALK} .icp-controls button", has_text="Copy link")
    control.click()
    status = page.locator(f"{WALK} .icp-controls .icp-copied")
    # the clipboard answers in its own time, which the page's clock does not hold: "Copied" comes 30 ms after it
    for _ in range(100):
        page.clock.run_for(30)
        if status.count() and status.text_content() == "Copied":
            break
        page.wait_for_timeout(20)
    assert status.text_content() == "Copied"
    page.clock.run_for(3000)
    assert status.text_content() == "Copied" and status.is_visible(), "gone before anyone could read it"
    page.clock.run_for(3000)
    assert status.text_content() == "", "still there long after the copy"
    assert not recorder.problems(), recorder.report()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_failed_copy_says_so_beside_the_button(site_server, open_context, scheme):
    context, recorder = open_context(color_scheme=scheme)
    context.add_init_script(REFUSE_COPY)
    page = context.new_page()
    page.goto(f"{site_server}playbooks/who-leads-comms/#who-leads-comms--product-pmm/yes-with-pmm")
    control = page.locator(f"{WALK} .icp-controls button", has_text="Copy link")
    control.click()
    status = page.locator(f"{WALK} .icp-controls button:has-text('Copy link') + .icp-copied")
    status.filter(has_text="Copy failed").wait_for()
    assert "address bar" in status.text_content()
    assert status.evaluate(CONTRAST) >= 4.5, scheme
    assert not recorder.problems(), recorder.report()


TEMPLATE_ID = next(iter(PROJECT.templates))
TEMPLATE = f"section.icp-template:has([id='template-{TEMPLATE_ID}'])"


def template_controls(page) -> list:
    """The copy controls of one template, opened by following a link to it: the page's own copy button, when it
    has one (drawn hidden, shown by the script), and Material's button on the template's text."""
    page.locator(f"{TEMPLATE} pre button[data-clipboard-target]").first.wait_for()
    own = page.locator(f"{TEMPLATE} button[data-icp-copy]")
    return ([own.first] if own.count() else []) + [page.locator(f"{TEMPLATE} pre button[data-clipboard-target]").first]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_template_copy_buttons_say_copied_beside_themselves(site_server, open_context, scheme):
    context, recorder = open_context(color_scheme=scheme, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site_server}comms-templates/#template-{TEMPLATE_ID}")
    for control in template_controls(page):
        page.evaluate("() => navigator.clipboard.writeText('')")
        control.click()
        status = control.locator("xpath=following-sibling::*[1][contains(@class, 'icp-copied')]")
        status.filter(has_text="Copied").wait_for()
        assert status.is_visible()
        assert_beside(status, control)
        ratio = status.evaluate(CONTRAST)
        assert ratio >= 4.5, f"'Copied' beside {control.evaluate('el => el.outerHTML')[:80]}: {ratio:.2f} ({scheme})"
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied.rstrip() == PROJECT.templates[TEMPLATE_ID].body.rstrip()
    assert not recorder.problems_but_aborts(), recorder.report()


def test_the_status_a_page_puts_beside_a_copy_button_is_the_one_used(site_server, open_context):
    """The hook for the templates page: a `.icp-copied` element right after a copy button receives its
    confirmation; no second one is made."""
    context, recorder = open_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site_server}comms-templates/#template-{TEMPLATE_ID}")
    control = template_controls(page)[0]
    placed = control.locator("xpath=following-sibling::*[1][contains(@class, 'icp-copied')]")
    if not placed.count():  # the page places none: place one, as it may
        control.evaluate("b => b.after(Object.assign(document.createElement('span'), {className: 'icp-copied'}))")
    before = page.locator(f"{TEMPLATE} .icp-copied").count()
    control.click()
    placed.filter(has_text="Copied").wait_for()
    assert page.locator(f"{TEMPLATE} .icp-copied").count() == before, "a second status was made beside the placed one"
    assert not recorder.problems_but_aborts(), recorder.report()


def test_a_template_copy_that_fails_says_so(site_server, open_context):
    context, recorder = open_context()
    context.add_init_script(REFUSE_COPY)
    page = context.new_page()
    page.goto(f"{site_server}comms-templates/#template-{TEMPLATE_ID}")
    for control in template_controls(page):
        control.click()
        control.locator("xpath=following-sibling::*[1][contains(@class, 'icp-copied')]").filter(
            has_text="Copy failed").wait_for()
    assert not recorder.problems_but_aborts(), recorder.report()


# --------------------------------------------------------------------------------------------- back to top


def overlaps(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and a["y"] < b["y"] + b["height"] \
        and b["y"] < a["y"] + a["height"]


BOXES = """() => {
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {x: r.x, y: r.y, width: r.width, height: r.height};
  };
  const top = document.querySelector('.md-top');
  const style = top && getComputedStyle(top);
  const shown = top && style.display !== 'none' && style.visibility !== 'hidden' && Number(style.opacity) > 0.05
    && !top.hidden && top.getBoundingClientRect().height > 0;
  return {top: shown ? box(top) : null,
          walker: [...document.querySelectorAll('.icp-walk .icp-step__title, .icp-walk .icp-choice')].map(box)};
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_back_to_top_never_covers_the_question_or_its_choices(site_server, open_context, scheme):
    context, recorder = open_context(color_scheme=scheme, **PHONE)
    page = context.new_page()
    page.goto(f"{site_server}playbooks/running-comms/#running-comms--whats-happening/following-along")
    page.locator(f"{WALK} .icp-choice").first.wait_for()
    bottom = page.evaluate("document.documentElement.scrollHeight - innerHeight")
    page.evaluate("y => window.scrollTo(0, y)", bottom)
    page.wait_for_timeout(300)
    seen = 0
    # scrolling up is what makes Material show the button: come up the whole page in small steps
    for y in range(bottom, -1, -120):
        page.evaluate("y => window.scrollTo(0, y)", y)
        page.wait_for_timeout(60)
        boxes = page.evaluate(BOXES)
        if boxes["top"]:
            seen += 1
            hit = [b for b in boxes["walker"] if overlaps(boxes["top"], b)]
            assert not hit, f"at scroll {y}: 'Back to top' {boxes['top']} covers the walker at {hit}"
    assert seen, "the 'Back to top' button never showed: the test proved nothing"
    assert not recorder.problems_but_aborts(), recorder.report()


def test_back_to_top_comes_back_once_the_walker_is_out_of_view(site_server, open_context):
    context, recorder = open_context(**PHONE)
    page = context.new_page()
    page.goto(f"{site_server}playbooks/running-comms/")
    page.locator(f"{WALK} .icp-choice").first.wait_for()
    bottom = page.evaluate("document.documentElement.scrollHeight - innerHeight")
    page.evaluate("y => window.scrollTo(0, y)", bottom)
    page.wait_for_timeout(200)
    page.evaluate("y => window.scrollTo(0, y)", bottom - 300)
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-top')).display !== 'none'"
                           " && !document.querySelector('.md-top').hidden")
    assert not recorder.problems_but_aborts(), recorder.report()


# --------------------------------------------------------------------------------------------- the fold


FOLD = """() => {
  const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
  const step = document.querySelector('.icp-walk .icp-step');
  const title = step.querySelector('.icp-step__title').getBoundingClientRect();
  const first = step.querySelector('.icp-choice, .icp-checklist li').getBoundingClientRect();
  return {header, title: [title.top, title.bottom], first: [first.top, first.bottom], height: innerHeight};
}"""


def assert_on_screen(page, where: str) -> None:
    box = page.evaluate(FOLD)
    assert box["title"][0] >= box["header"] - 1, f"{where}: the heading is under the header bar: {box}"
    assert box["first"][0] >= box["header"] - 1 and box["first"][1] <= box["height"], \
        f"{where}: the first choice or action is not on screen: {box}"


@pytest.mark.parametrize("playbook_id", list(PROJECT.playbooks))
def test_every_path_tapped_through_on_a_phone_with_the_answer_on_screen(site_server, open_context, playbook_id):
    """Every path of every playbook, tapped through on a 390 x 844 phone: each step shows the step the path says,
    and once it shows, its first choice (or the outcome's heading and first action) is on screen without
    scrolling; each outcome has its actions and the address holds the answers given."""
    context, recorder = open_context(**PHONE)
    page = context.new_page()
    page.goto(f"{site_server}playbooks/{playbook_id}/")
    start = node_title(PROJECT.graph.starts[playbook_id])
    wait_title(page, start)
    checked = walked = 0
    for number, path in enumerate(PROJECT.paths(playbook_id)):
        if number:
            page.locator(f"{WALK} .icp-controls button", has_text="Start again").tap()
            wait_title(page, start)
        for step in path.steps:
            assert current_title(page) == node_title(step.node), path.text(playbook_id)
            assert_on_screen(page, f"{path.text(playbook_id)} at {step.node}")
            checked += 1
            page.locator(f"{WALK} button.icp-choice[data-answer='{step.answer}']").tap()
            wait_title(page, node_title(path.steps[path.steps.index(step) + 1].node)
                       if step is not path.steps[-1] else node_title(path.outcome))
        shown = page.locator(f"{WALK} .icp-step--outcome .icp-step__title").text_content()
        assert shown == node_title(path.outcome), f"{path.text(playbook_id)}: page shows {shown!r}"
        outcome = PROJECT.playbooks[path.outcome[0]].tree.nodes[path.outcome[1]]
        assert page.locator(f"{WALK} .icp-checklist li").count() == len(outcome.actions)
        answers = "".join(f"/{s.answer}" for s in path.steps)
        assert page.evaluate("location.hash") == start_hash(playbook_id) + answers
        assert_on_screen(page, f"{path.text(playbook_id)}: the outcome")
        checked += 1
        walked += 1
    assert walked == PROJECT.path_count(playbook_id)
    print(f"{playbook_id}: {walked} paths, {checked} steps checked at 390 x 844")
    assert not recorder.problems(), recorder.report()


def test_question_three_on_a_phone_choices_before_the_reason(site_server, open_context):
    """'Do we send anything?' step 3: the choices come first; the long 'Why this matters' follows them."""
    path = next(p for p in PROJECT.paths("should-we-communicate") if len(p.steps) >= 3)
    context, recorder = open_context(**PHONE)
    page = context.new_page()
    page.goto(f"{site_server}playbooks/should-we-communicate/")
    for step in path.steps[:2]:
        page.locator(f"{WALK} button.icp-choice[data-answer='{step.answer}']").tap()
    wait_title(page, node_title(path.steps[2].node))
    count = page.locator(f"{WALK} .icp-step__count")
    assert count.text_content() == "Question 3"
    assert count.evaluate("el => getComputedStyle(el).textTransform") == "none"
    hint = page.locator(f"{WALK} .icp-step__hint").bounding_box()
    last_choice = page.locator(f"{WALK} .icp-choice").last.bounding_box()
    assert hint["y"] >= last_choice["y"] + last_choice["height"], "the reason comes before the choices on a phone"
    choices = page.locator(f"{WALK} .icp-choice")
    assert all(choices.nth(i).bounding_box()["y"] + 10 < 844 for i in range(min(2, choices.count())))
    assert not recorder.problems(), recorder.report()


def test_on_a_desktop_the_reason_comes_before_the_choices(site_server, open_context):
    path = next(p for p in PROJECT.paths("should-we-communicate") if len(p.steps) >= 3)
    context, recorder = open_context(**DESKTOP)
    page = context.new_page()
    page.goto(f"{site_server}playbooks/should-we-communicate/#should-we-communicate--"
              + "/".join([path.steps[0].node[1], *[s.answer for s in path.steps[:2]]]))
    wait_title(page, node_title(path.steps[2].node))
    hint = page.locator(f"{WALK} .icp-step__hint").bounding_box()
    assert hint["y"] < page.locator(f"{WALK} .icp-choice").first.bounding_box()["y"]
    assert_on_screen(page, "desktop, question 3")
    assert not recorder.problems(), recorder.report()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1366"])
def test_the_outcome_comes_first_with_a_plain_heading(site_server, open_context, size):
    path = max(PROJECT.paths("should-we-communicate"), key=lambda p: len(p.steps))
    context, recorder = open_context(**size)
    page = context.new_page()
    page.goto(f"{site_server}playbooks/should-we-communicate/")
    for step in path.steps:
        page.locator(f"{WALK} button.icp-choice[data-answer='{step.answer}']").click()
    wait_title(page, node_title(path.outcome))
    text = page.locator(WALK).inner_text()
    assert "OUTCOME AFTER" not in text.upper() and "STEP " not in text.upper()
    outcome = page.locator(f"{WALK} .icp-step--outcome").bounding_box()
    answers = page.locator(f"{WALK} details.icp-given")
    assert answers.bounding_box()["y"] > outcome["y"] + outcome["height"] - 1, "the answers come before the outcome"
    assert not answers.evaluate("el => el.open"), "the answers so far are not folded"
    assert answers.locator("summary").text_content() == f"Your answers so far ({len(path.steps)})"
    assert page.locator(f"{WALK} .icp-step--outcome .icp-actions__title").text_content() == "What to do now"
    assert page.locator(f"{WALK} > .icp-back").is_visible(), "no Back at the top"
    assert_on_screen(page, "outcome")
    assert not recorder.problems(), recorder.report()


def test_a_tapped_choice_leaves_no_hover_colour_on_the_next_step(site_server, open_context):
    context, recorder = open_context(**PHONE)
    page = context.new_page()
    walked = 0
    for path in PROJECT.paths("should-we-communicate")[:3]:
        page.goto(f"{site_server}playbooks/should-we-communicate/")
        for step in path.steps[:-1]:
            choice = page.locator(f"{WALK} button.icp-choice[data-answer='{step.answer}']")
            box = choice.bounding_box()
            point = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
            page.touchscreen.tap(point["x"], point["y"])
            wait_title(page, node_title(path.steps[path.steps.index(step) + 1].node))
            under = page.evaluate("""p => { const el = document.elementFromPoint(p.x, p.y);
                                            const c = el && el.closest('.icp-choice');
                                            return c ? getComputedStyle(c).backgroundColor : null; }""", point)
            if under is None:
                continue  # the next step has no choice under the finger
            normal = page.evaluate("() => { const all = [...document.querySelectorAll('.icp-walk .icp-choice')];"
                                   " return getComputedStyle(all[all.length - 1]).backgroundColor; }")
            assert under == normal, f"the choice under the finger keeps {under}, the others are {normal}"
            walked += 1
    assert walked, "no step had a choice under the last tap: the test proved nothing"
    assert not recorder.problems_but_aborts(), recorder.report()


def test_with_a_mouse_a_choice_still_shows_hover(site_server, open_context):
    context, recorder = open_context(**DESKTOP)
    page = context.new_page()
    page.goto(f"{site_server}playbooks/should-we-communicate/")
    choices = page.locator(f"{WALK} .icp-choice")
    choices.first.wait_for()
    normal = choices.last.evaluate("el => getComputedStyle(el).backgroundColor")
    choices.first.hover()
    assert choices.first.evaluate("el => getComputedStyle(el).backgroundColor") != normal
    assert not recorder.problems(), recorder.report()
