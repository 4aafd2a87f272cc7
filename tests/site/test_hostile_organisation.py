"""A payload in every value of the organisation file: it shows as text wherever it goes.

The organisation file is the one file an adopter edits, and its names are pasted into playbook text, pages,
the walker's data, the search index, the bundle, the terminal, and the ``org()`` macro. Every name here is a
payload; a copy of the project is built with them (and with a page that calls ``org()`` for every name) and
checked on disk, in the browser and on the command line.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from macros.engine.loader import load_project

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = [
    "<img src=x onerror=\"window.__pwned=1\">",
    "<script>window.__pwned=1</script>",
    "[click me](javascript:window.__pwned=1)",
    "<a href=\"javascript:window.__pwned=1\">link</a>",
    "**bold** `code` _em_ {{ 7*191 }} {% raw %}",
    "\" onmouseover=\"window.__pwned=1",
    "Esc\x1b[31m red",
]
PWNED = "typeof window.__pwned === 'undefined'"
INJECTED = """() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
    .filter(a => /^on/i.test(a.name) || (/^(href|src|action|formaction|xlink:href)$/i.test(a.name)
                                         && /^\\s*javascript:/i.test(a.value)))
    .map(a => `<${e.tagName.toLowerCase()} ${a.name}="${a.value}">`))"""
RAW_MARKUP = re.compile(r"<img src=x|<script>window|<a href=\"javascript|\bonmouseover=\"window", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def hostile_names() -> dict[str, str]:
    org = yaml.safe_load((ROOT / "playbooks" / "organisation.yaml").read_text(encoding="utf-8"))
    return {key: f"{key.upper()}-{PAYLOADS[i % len(PAYLOADS)]}" for i, key in enumerate(org["names"])}


@pytest.fixture(scope="module")
def hostile_org_site(served_copy):
    names = hostile_names()
    org = yaml.safe_load((ROOT / "playbooks" / "organisation.yaml").read_text(encoding="utf-8"))
    org["names"] = names
    page = "---\nrender_macros: true\n---\n\n# Names\n\n" + "".join(
        f"- {key}: {{{{ org('{key}') }}}}\n" for key in names
    )
    return served_copy(
        "hostile-org",
        organisation=yaml.safe_dump(org, allow_unicode=True, sort_keys=False),
        extra_pages={"reference/org-names.md": page},
    )


def text_of(file: Path) -> str:
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag, attrs) -> None:
            self.skip += tag in ("script", "style")

        def handle_endtag(self, tag) -> None:
            self.skip -= tag in ("script", "style")

        def handle_data(self, data) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(file.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def test_the_copy_with_hostile_names_checks_and_builds(hostile_org_site) -> None:
    build = hostile_org_site.build
    assert build.returncode == 0, build.output
    assert "Traceback" not in build.output


def test_no_name_becomes_markup_in_any_page_or_the_search_index(hostile_org_site) -> None:
    site = hostile_org_site.build.site_dir
    problems = []
    for file in sorted(site.rglob("*.html")):
        for match in RAW_MARKUP.finditer(file.read_text(encoding="utf-8")):
            problems.append(f"{file.relative_to(site)}: raw {match.group(0)!r}")
    # the search index holds HTML fragments that the search box shows as HTML: no element may come from a name
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for field in ("title", "text"):
            problems += [f"search index {doc['location']} {field}: {tag}" for tag in dangerous_tags(doc.get(field, ""))]
    assert not problems, "\n".join(problems)


def dangerous_tags(fragment: str) -> list[str]:
    """Elements of an HTML fragment that could run script or that no page of ours writes (img, script, a)."""
    found: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs) -> None:
            risky = [f"{k}={v!r}" for k, v in attrs if k.startswith("on") or (v or "").lower().startswith("javascript")]
            if tag in ("img", "script", "a", "svg", "iframe") or risky:
                found.append(f"<{tag} {' '.join(risky)}>")

    Tags().feed(fragment)
    return found


def test_the_org_macro_shows_every_name_exactly_as_written(hostile_org_site) -> None:
    shown = text_of(hostile_org_site.build.site_dir / "reference" / "org-names" / "index.html")
    missing = [key for key, value in hostile_names().items() if " ".join(value.split()) not in shown]
    assert not missing, f"not shown as text: {missing}\n{shown[:2000]}"
    assert "1337" not in shown  # {{ 7*191 }} in a name is not evaluated


def test_names_reach_the_pages_that_use_them_as_text(hostile_org_site) -> None:
    project = load_project([hostile_org_site.build.root / "playbooks"],
                           org_file=hostile_org_site.build.root / "playbooks" / "organisation.yaml")
    assert project.ok, "\n".join(map(str, project.diagnostics))
    names = hostile_names()
    site = hostile_org_site.build.site_dir
    for role in project.roles.values():  # role names often come from the organisation file
        if any(value in role.name for value in names.values()):
            page = text_of(site / "roles" / role.id / "index.html")
            assert " ".join(role.name.split()) in page, role.id
            title = re.search(r"<title>(.*?)</title>", (site / "roles" / role.id / "index.html").read_text())
            assert title and "<" not in html.unescape(title.group(1)).replace(role.name, ""), title


@pytest.mark.browser
def test_no_name_runs_in_the_browser(hostile_org_site, open_context) -> None:
    context, recorder = open_context()
    page = context.new_page()
    urls = ["reference/org-names/", "", "roles/", "responsibilities/", "comms-templates/", "onboarding/"]
    project = load_project([hostile_org_site.build.root / "playbooks"],
                           org_file=hostile_org_site.build.root / "playbooks" / "organisation.yaml")
    urls += [f"playbooks/{pid}/" for pid in project.playbooks] + [f"roles/{rid}/" for rid in project.roles]
    problems = []
    for rel in urls:
        page.goto(hostile_org_site.url + rel, wait_until="load")
        recorder.settle(page)
        for button in page.locator(".icp-choice").all()[:1]:  # one step of the walker, which renders its own DOM
            button.click()
        if not page.evaluate(PWNED):
            problems.append(f"{rel}: a payload ran")
        problems += [f"{rel}: {found}" for found in page.evaluate(INJECTED)]
        if recorder.problems_but_aborts():
            problems.append(f"{rel}: {recorder.report()}")
        recorder.clear()
    assert not problems, "\n".join(problems)


def test_the_terminal_shows_names_without_control_characters(hostile_org_site) -> None:
    root = hostile_org_site.build.root
    project = load_project([root / "playbooks"], org_file=root / "playbooks" / "organisation.yaml")
    shown = 0
    for playbook_id in project.playbooks:
        result = subprocess.run([sys.executable, "-m", "macros", "walk", playbook_id], cwd=root, input="1\n1\n1\nq\n",
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stdout + result.stderr
        assert not CONTROL.findall(result.stdout), repr(result.stdout[:500])
        shown += sum(key.upper() + "-" in result.stdout for key in hostile_names())
    assert shown, "no organisation name reached the terminal walker: the test shows nothing"

