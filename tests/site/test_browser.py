"""The built site in headless Chromium: every page loads cleanly with other hosts blocked, passes axe-core in
the light and the dark scheme, fits a phone screen, and hostile playbook text never runs.

Each scheme is crawled once: every page loaded, what went wrong recorded, then axe-core run on it. The light
crawl serves both the clean-load test and the light axe test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from macros.engine.loader import load_project

pytestmark = pytest.mark.browser

SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme → Material's data-md-color-scheme
PHONE = {"width": 390, "height": 844}
MAX_NODES_SHOWN = 8


def page_urls(site: Path, base: str) -> list[str]:
    """Every page of the site: each index.html as its directory URL."""
    urls = []
    for file in sorted(site.rglob("index.html")):
        rel = file.parent.relative_to(site).as_posix()
        urls.append(base if rel == "." else f"{base}{rel}/")
    assert len(urls) > 10, f"only {len(urls)} pages found in {site}"
    return urls


def visit(page, recorder, url: str) -> None:
    """Load ``url`` and wait until the requests Material makes after 'load' (search index, sitemap) are done."""
    same_document = page.url.split("#")[0] == url.split("#")[0] and "#" in url
    response = page.goto(url, wait_until="load")
    if response is None and not same_document:  # a jump to an anchor of the open page loads nothing
        recorder.failed_requests.append(f"{url}: no response")
    recorder.settle(page)


@dataclass
class PageResult:
    url: str
    scheme: str  # data-md-color-scheme Material applied
    load_problems: str = ""
    violations: list[dict] = field(default_factory=list)


def crawl(new_watched_context, urls: list[str], color_scheme: str) -> list[PageResult]:
    """Visit every URL in one context with ``color_scheme``: record what went wrong while it loaded (before
    axe-core is injected), then run axe-core on it."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context, recorder = new_watched_context(color_scheme=color_scheme)
    results: list[PageResult] = []
    try:
        page = context.new_page()
        for url in urls:
            visit(page, recorder, url)
            result = PageResult(url, page.evaluate("document.body.getAttribute('data-md-color-scheme')"),
                                recorder.report())
            recorder.clear()
            result.violations = axe.run(page).response["violations"]
            results.append(result)
    finally:
        context.close()
    return results


@pytest.fixture(scope="module")
def crawled(built_site: Path, site_server: str, new_watched_context) -> dict[str, list[PageResult]]:
    """Scheme → the crawl of every page in it (run once per scheme, on first use)."""
    urls = page_urls(built_site, site_server)

    class Lazy(dict):
        def __missing__(self, scheme: str) -> list[PageResult]:
            self[scheme] = crawl(new_watched_context, urls, scheme)
            return self[scheme]

    return Lazy()


def test_every_page_loads_cleanly(crawled) -> None:
    """No request to another host attempted, no failed request, no HTTP error, no console or page error."""
    results = crawled["light"]
    problems = [f"{r.url}:\n{r.load_problems}" for r in results if r.load_problems]
    assert not problems, f"{len(problems)} of {len(results)} pages had problems:\n" + "\n".join(problems)


def _describe(violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        shown = "; ".join(targets[:MAX_NODES_SHOWN])
        if len(targets) > MAX_NODES_SHOWN:
            shown += f"; … {len(targets) - MAX_NODES_SHOWN} more"
        summary = violation["nodes"][0].get("failureSummary", "") if violation["nodes"] else ""
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']} — {len(targets)} nodes: "
                     f"{shown}\n    {' '.join(summary.split())}")
    return lines


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_axe_finds_no_violations(crawled, scheme: str) -> None:
    results = crawled[scheme]
    wrong_scheme = [f"{r.url}: {r.scheme!r}" for r in results if r.scheme != SCHEMES[scheme]]
    assert not wrong_scheme, f"Material did not apply {SCHEMES[scheme]!r} for a {scheme} browser:\n" + "\n".join(
        wrong_scheme)
    found = [f"{r.url} ({scheme}):\n" + "\n".join(_describe(r.violations)) for r in results if r.violations]
    assert not found, (f"axe-core violations on {len(found)} of {len(results)} pages ({scheme} scheme):\n"
                       + "\n".join(found))


def test_phone_width_has_no_horizontal_overflow(site_server: str, open_context) -> None:
    first_playbook = next(iter(load_project().playbooks))
    context, recorder = open_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    overflowing = []
    for url in (site_server, f"{site_server}playbooks/{first_playbook}/"):
        visit(page, recorder, url)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert inner == PHONE["width"], f"{url}: window is {inner}px wide, not {PHONE['width']}"
        if scroll > inner + 1:
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className) : ''))""")
            overflowing.append(f"{url}: document is {scroll}px wide in a {inner}px window; too wide: {wide}")
    assert not overflowing, "\n".join(overflowing)
    assert not recorder.problems(), recorder.report()


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
        texts = [" ".join(t.split()) for t in page.locator(selector).all_inner_texts()]
        if " ".join(expected.split()) not in texts:
            problems.append(f"{where}: {selector} shows {texts!r}, not {expected!r}")

    pages = {
        f"playbooks/{pb.id}/": [("h1", pb.title), (".icp-lead", pb.summary)],
        f"playbooks/{pb.id}/#{pb.id}--hostile-outcome": [],
        f"roles/{role.id}/": [("h1", role.name), (".icp-role__summary", role.summary)],
        "comms-templates/": [(f"#template-{template.id} h2", template.title),
                             (f"#template-{template.id} pre.icp-template__body", template.body)],
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
    # the static map holds every node; read the outcome there, whether or not a walker shows one step at a time
    shown = page.evaluate("sel => [...document.querySelectorAll(sel)].map(e => e.textContent)",
                          f"h3.icp-node__title[id='{pb.id}--hostile-outcome']")
    if [" ".join(t.split()) for t in shown] != [" ".join(outcome.title.split())]:
        problems.append(f"outcome title reads {shown!r}, expected {outcome.title!r}")
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
    assert not recorder.problems(), recorder.report()
