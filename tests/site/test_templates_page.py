"""The Templates page as a Comms Lead uses it, in Chromium, on a phone (390×844) and a laptop (1366×900), light and
dark: short enough to scan (every template closed, its title and one line showing), grouped by when it is needed
with the comms plan first, a table of contents with every group and template, a link to a template (from the table
of contents, shared, or from another page) opening it, no empty placeholder boxes, and each template's copy and
download controls inside its own card.
"""

from __future__ import annotations

import itertools
import time

import pytest

from macros.engine.loader import load_project
from macros.engine.models import Template

pytestmark = pytest.mark.browser

PROJECT = load_project()
PAGE = "comms-templates/"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}
SCHEMES = ("light", "dark")
GROUP_ORDER = ("start", "during", "resolved", "handover")  # Template.when, in the order of an incident
# Closed cards: the intro, a heading per group and a short card per template. The page was 22,800 px at 1366
# and 31,400 px at 390 with every template open.
MAX_HEIGHT = {"phone": 1400 + 220 * len(PROJECT.templates), "laptop": 1200 + 160 * len(PROJECT.templates)}

CARDS = """() => [...document.querySelectorAll('.md-content [id^="template-"]')]
  .filter(el => /^template-[a-z0-9-]+$/.test(el.id)).map(el => {
    const card = el.closest('details'), summary = card && card.querySelector(':scope > summary');
    return {id: el.id.slice('template-'.length), open: card ? card.open : null,
            summary: summary ? summary.innerText.split(/\\s+/).join(' ').trim() : ''};
  })"""
TOC = """() => [...document.querySelectorAll('.md-sidebar--secondary nav.md-nav--secondary a.md-nav__link')].map(a => ({
  anchor: a.hash.slice(1), depth: (() => { let d = 0, n = a; while ((n = n.parentElement.closest('ul'))
    && n.closest('.md-sidebar--secondary')) d++; return d; })() }))"""


def by_group() -> dict[str, list[Template]]:
    """Templates by when they are needed; within a group what opens the comms plan (issue forms, then issue
    templates) first, then the others in the order of the playbooks."""
    groups: dict[str, list[Template]] = {}
    first = {"issue-form": 0, "issue": 1}
    for when in GROUP_ORDER:
        found = sorted((t for t in PROJECT.templates.values() if t.when == when), key=lambda t: first.get(t.channel, 2))
        if found:
            groups[when] = found
    return groups


def squash(text: str) -> str:
    return " ".join(text.split())


def open_page(open_context, base: str, viewport: str, scheme: str = "light", hash_: str = ""):
    context, recorder = open_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{base}{PAGE}{hash_}")
    page.wait_for_load_state("load")
    return page, recorder


def card_of(page, template_id: str):
    return page.locator(f"details:has(> #template-{template_id}), details:has(#template-{template_id})").first


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return bool(box) and 0 <= box["y"] < page.viewport_size["height"] - 40


# open, and its title on screen below the theme's fixed header
OPENED_IN_VIEW = """id => { const d = document.getElementById('template-' + id).closest('details');
  const top = d.querySelector('summary').getBoundingClientRect().top;
  const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
  return d.open && top >= header - 1 && top < innerHeight - 40; }"""


def opened_in_view(page, template_id: str, timeout_ms: int = 5000) -> bool:
    """The template's card opens, with its title in view, within ``timeout_ms`` (the page may still be loading, or
    scrolling, on a busy machine)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        try:
            if page.evaluate(OPENED_IN_VIEW, template_id):
                return True
        except Exception:  # a page being replaced by the next one: ask it again
            pass
        page.wait_for_timeout(25)
    return False


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_page_is_short_grouped_and_closed(site_server, open_context, viewport, scheme) -> None:
    page, recorder = open_page(open_context, site_server, viewport, scheme)
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"templates page at {viewport} ({scheme}): {height} px")
    assert height <= MAX_HEIGHT[viewport], f"the page is {height} px tall at {viewport}"
    cards = page.evaluate(CARDS)
    assert [c["id"] for c in cards] == [t.id for group in by_group().values() for t in group], cards
    problems = []
    for card in cards:
        template = PROJECT.templates[card["id"]]
        if card["open"] is not False:
            problems.append(f"{card['id']}: not a closed <details> (open={card['open']})")
        if not card["summary"].startswith(squash(template.title)) or len(card["summary"]) <= len(template.title) + 3:
            problems.append(f"{card['id']}: closed, it shows {card['summary']!r}, not its title and a line")
    # the comms plan first: the first template on the page is a comms plan, in the group for the start
    first = PROJECT.templates[cards[0]["id"]]
    if not first.title.lower().startswith("comms plan") or first.when != "start":
        problems.append(f"the page opens with {first.title!r}, not the comms plan")
    # groups in the order of an incident, as headings Material's table of contents can see
    headings = page.evaluate("() => [...document.querySelectorAll('.md-content h2[id]')].map(h => h.id)")
    groups = [h for h in headings if h.startswith("when-")]
    if groups != [f"when-{w}" for w in by_group()]:
        problems.append(f"group headings {groups}, expected {[f'when-{w}' for w in by_group()]}")
    sideways = page.evaluate("document.documentElement.scrollWidth - innerWidth")
    if sideways > 0:
        problems.append(f"the page scrolls sideways by {sideways} px")
    assert not problems, "\n".join(problems)
    assert not recorder.problems_but_aborts(), recorder.report()


def test_the_table_of_contents_lists_every_group_and_template(site_server, open_context) -> None:
    page, _ = open_page(open_context, site_server, "laptop")
    toc = page.evaluate(TOC)
    expected = []
    for when, templates in by_group().items():
        expected.append((f"when-{when}", 0))
        expected += [(f"template-{t.id}", 1) for t in templates]
    top = min((entry["depth"] for entry in toc), default=0)
    shown = [(entry["anchor"], entry["depth"] - top) for entry in toc]
    assert shown == expected, f"table of contents {shown}\nexpected {expected}"
    assert page.locator(".md-sidebar--secondary").is_visible(), "no table of contents at 1366 px"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_template_opens_from_its_link(site_server, open_context, viewport) -> None:
    """From the table of contents (laptop), from a link shared or kept from before (#template-<id> typed or
    loaded fresh), and from a link on a playbook page followed with the theme's instant navigation."""
    problems = []
    page, _ = open_page(open_context, site_server, viewport)
    for template in PROJECT.templates.values():
        card = card_of(page, template.id)
        if viewport == "laptop":  # the table of contents is in the drawer on a phone
            page.locator(f".md-sidebar--secondary a.md-nav__link[href$='#template-{template.id}']").click()
        else:
            page.evaluate("id => { location.hash = 'template-' + id; }", template.id)
        if not opened_in_view(page, template.id):
            box = card.locator("summary").bounding_box()
            problems.append(f"{viewport}: following the link to {template.id} on the page did not open it in view "
                            f"(open: {card.evaluate('d => d.open')}, title at {box})")
    for template in PROJECT.templates.values():
        page.goto(f"{site_server}{PAGE}#template-{template.id}")
        page.wait_for_load_state("load")
        card = card_of(page, template.id)
        body = card.locator("pre.icp-template__body")
        if not opened_in_view(page, template.id) or not body.is_visible():
            problems.append(f"{viewport}: a shared link to {template.id} does not open it in view")
        elif squash(body.inner_text()) != squash(template.body):
            problems.append(f"{viewport}: {template.id} shows another text")
    # from a playbook page that lists its templates, through instant navigation
    playbook = next(pb for pb in PROJECT.playbooks.values()
                    if any(t in a.templates for n in pb.tree.nodes.values() for a in getattr(n, "actions", ())
                           for t in PROJECT.templates))
    page.goto(f"{site_server}playbooks/{playbook.id}/")
    page.wait_for_load_state("load")
    link = page.locator("#templates ~ ul a[href*='#template-']").first
    wanted = link.get_attribute("href").rsplit("#template-", 1)[1]
    link.click()
    page.wait_for_url(f"**/{PAGE}#template-{wanted}")
    page.wait_for_load_state("load")
    if not opened_in_view(page, wanted):
        state = page.evaluate("""id => { const d = document.getElementById('template-' + id).closest('details');
            return {open: d.open, top: d.querySelector('summary').getBoundingClientRect().top, y: scrollY,
                    url: location.href}; }""", wanted)
        problems.append(f"{viewport}: the link from {playbook.id} did not open {wanted} in view: {state}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_open_templates_fit_and_keep_their_controls_apart(site_server, open_context, viewport, scheme) -> None:
    page, recorder = open_page(open_context, site_server, viewport, scheme)
    page.evaluate("() => document.querySelectorAll('details.icp-template__box').forEach(d => { d.open = true; })")
    page.wait_for_timeout(100)
    text = page.locator(".md-content").inner_text()
    problems = [f"an empty placeholder box: {line!r}" for line in text.splitlines() if "Placeholders (0)" in line]
    cards = page.locator("details.icp-template__box")
    boxes = []
    for template in [t for group in by_group().values() for t in group]:
        card = card_of(page, template.id)
        tools = card.locator(".icp-template__tools")
        name = tools.get_attribute("aria-label") or ""
        if tools.count() != 1 or template.title not in name:
            problems.append(f"{template.id}: its controls are not one group named after it ({name!r})")
            continue
        download = tools.locator("a[download]")
        file = template.filename.rsplit("/", 1)[-1]
        if download.count() != 1 or not download.get_attribute("href").endswith(template.filename):
            problems.append(f"{template.id}: no download of {template.filename} among its own controls")
        elif not download.is_visible() or file not in download.inner_text():
            problems.append(f"{template.id}: its download control does not show {file}")
        status = tools.locator(".icp-copied")
        if status.count() != 1:
            problems.append(f"{template.id}: no status element for the copy confirmation")
        tables = card.locator("table")
        if template.placeholders:
            captions = [squash(c) for c in tables.locator("caption").all_inner_texts()]
            if tables.count() != 1 or not captions or not captions[0]:
                problems.append(f"{template.id}: placeholders not in one captioned table ({captions})")
            elif tables.locator("tbody tr").count() != len(template.placeholders):
                problems.append(f"{template.id}: not every placeholder is explained")
        elif tables.count():
            problems.append(f"{template.id}: a placeholder table with no placeholders")
        boxes.append((template.id, card.locator("summary").bounding_box(), tools.bounding_box(), card.bounding_box()))
    # between one template's controls and the next template's: the end of the first card and the next one's title
    for (a, _, tools_a, card_a), (b, summary_b, tools_b, _) in itertools.pairwise(boxes):
        if not (tools_a["y"] + tools_a["height"] <= card_a["y"] + card_a["height"] <= summary_b["y"]
                and summary_b["y"] + summary_b["height"] <= tools_b["y"]):
            problems.append(f"the controls of {a} and {b} are not separated by the card edge and {b}'s title")
    border = cards.first.evaluate("d => parseFloat(getComputedStyle(d).borderTopWidth)")
    if border <= 0:
        problems.append("the template cards have no border")
    sideways = page.evaluate("document.documentElement.scrollWidth - innerWidth")
    if sideways > 0:
        problems.append(f"with every template open, the page scrolls sideways by {sideways} px")
    print(f"templates page at {viewport} ({scheme}), every template open: "
          f"{page.evaluate('document.documentElement.scrollHeight')} px")
    assert not problems, "\n".join(problems)
    assert not recorder.problems_but_aborts(), recorder.report()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_copy_confirmation_is_seen(site_server, open_context, scheme) -> None:
    """The status next to a template's controls shows what the copy script writes into it, legibly; empty, it
    takes no room."""
    page, _ = open_page(open_context, site_server, "phone", scheme)
    template = next(iter(PROJECT.templates.values()))
    card = card_of(page, template.id)
    card.locator("summary").click()
    status = card.locator(".icp-copied")
    assert not status.is_visible(), "an empty copy status takes room"
    status.evaluate("s => { s.textContent = 'Copied'; }")
    assert status.is_visible(), "the copy status does not show"
    # its colour against what shows behind it: the backgrounds of it and its ancestors, laid over each other
    colours = status.evaluate("""s => { const layers = [];
        for (let e = s; e; e = e.parentElement) layers.push(getComputedStyle(e).backgroundColor);
        return {ink: getComputedStyle(s).color, layers}; }""")

    def rgba(text: str) -> tuple[float, ...]:
        values = [float(v) for v in text[text.index("(") + 1:text.index(")")].replace("/", ",").split(",")]
        return (*values[:3], values[3] if len(values) > 3 else 1.0)

    back = (255.0, 255.0, 255.0)
    for layer in reversed([rgba(c) for c in colours["layers"]]):
        back = tuple(layer[3] * layer[i] + (1 - layer[3]) * back[i] for i in range(3))

    def luminance(rgb) -> float:
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb[:3])]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    pair = sorted([luminance(rgba(colours["ink"])), luminance(back)])
    ratio = (pair[1] + 0.05) / (pair[0] + 0.05)
    assert ratio >= 4.5, f"the copy confirmation has a contrast of {ratio:.2f}:1 ({colours}, {back})"


def test_a_shared_link_opens_its_template_without_javascript(site_server, open_context) -> None:
    context, _ = open_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    page = context.new_page()
    problems = []
    for template in PROJECT.templates.values():
        page.goto(f"{site_server}{PAGE}#template-{template.id}")
        if not opened_in_view(page, template.id) or not card_of(page, template.id).locator("pre").is_visible():
            problems.append(f"without JavaScript, a link to {template.id} does not open it in view")
    assert not problems, "\n".join(problems)
