"""Another organisation adopts the product: it replaces playbooks/ with its own playbooks and organisation file,
and everything must still check, build, read and work, with nothing left of this organisation.

Each fixture under tests/site/fixtures/ is a whole playbooks/ folder of another organisation:

- ``adopter/``: a hospital IT department (two playbooks that link into each other, roles, responsibilities,
  templates with and without placeholders, principles);
- ``one-playbook/``: a bike-share rider care desk with a single playbook;
- ``bare-playbook/``: the smallest valid playbook (one outcome, nothing optional) and an empty ``names``.

For each, a copy of the project (mkdocs.yml, docs/, macros/) gets the fixture as its playbooks/ folder and is
checked and built with ``mkdocs build --strict`` once per session, served on 127.0.0.1 and walked in Chromium.
What the site must hold is derived from the fixture itself (``load_project`` on its folder), and what it must
not hold from the project's own playbooks (``load_project()``), never from hand-written lists.
"""

from __future__ import annotations

import html
import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from macros.engine.loader import Project, load_project
from macros.engine.models import Question
from macros.render import links
from tests.site.test_walker import WALK, choose, current_title, page_url, wait_title

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURES = HERE / "fixtures"
SITES = {name: FIXTURES / name for name in ("adopter", "one-playbook", "bare-playbook")}


def load_fixture(folder: Path) -> Project:
    return load_project([folder], org_file=folder / "organisation.yaml")


PROJECTS = {name: load_fixture(folder) for name, folder in SITES.items()}
OURS = load_project()  # the project's own playbooks/: everything the adopters' sites must not mention


# --------------------------------------------------------------------------------------------- our names

# Words that any organisation's text uses: checked as part of a longer name of ours ("the incident Slack
# channel"), never alone. Each would match ordinary prose or an adopter's own team ("Support", "Sales").
ORDINARY_WORDS = frozenset({
    "and", "or", "the", "with", "team", "content", "product", "marketing", "manager", "managers", "incident",
    "channel", "internal", "comms", "repo", "support", "sales", "success", "slack", "engineers",
})
SHORT = 4  # terms shorter than this are matched case-sensitively ("Tim", "Ben", "PMM"), never inside "time"


@dataclass(frozen=True)
class Term:
    text: str
    source: str  # where in our playbooks it comes from

    @property
    def pattern(self) -> re.Pattern[str]:
        flags = 0 if len(self.text) < SHORT else re.IGNORECASE
        # a whole word or id: not inside a longer id ("nudge-incident-lead"), but before "--" as in the anchor
        # "who-leads-comms--product-pmm"
        return re.compile(rf"(?<![A-Za-z0-9-]){re.escape(self.text)}(?![A-Za-z0-9])(?!-[A-Za-z0-9])", flags)


def _url_term(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc:
        return (parts.netloc + parts.path).rstrip("/")  # the address without its scheme: also catches http://
    return None


def forbidden_terms(project: Project) -> tuple[list[Term], dict[str, str]]:
    """Every name and id of ``project`` that another organisation's site must not show, and those left out (with
    why). Organisation names (whole, and each distinctive word of a longer one, e.g. "Blitzscale", "Tim"),
    playbook owners, and playbook, role and template ids."""
    assert project.ok and project.organisation is not None, "the project's own playbooks do not load"
    org = project.organisation
    found: dict[str, str] = {}
    excluded: dict[str, str] = {}

    def add(text: str, source: str, *, word_of_name: bool = False) -> None:
        text = text.strip()
        if not text:
            return
        if text.lower() not in ORDINARY_WORDS:
            found.setdefault(text, source)
        elif not word_of_name:  # a whole name or id left out; words of longer names are checked within them
            excluded.setdefault(text, source)

    values = {**org.names, **getattr(org, "urls", {})}
    for key, value in values.items():
        url = _url_term(value)
        if url:
            add(url, f"organisation.yaml {key}")
            continue
        add(value, f"organisation.yaml {key}")
        words = re.findall(r"[A-Za-z][A-Za-z0-9]*", value)
        if len(words) > 1:
            for word in words:
                add(word, f"organisation.yaml {key} ({value!r})", word_of_name=True)
    for pb in project.playbooks.values():
        add(pb.id, "playbook id")
        add(pb.owner, f"owner of {pb.id}")
    for role_id in project.roles:
        add(role_id, "role id")
    for template_id in project.templates:
        add(template_id, "template id")
    return [Term(text, source) for text, source in found.items()], excluded


FORBIDDEN, EXCLUDED = forbidden_terms(OURS)
SCANNED_SUFFIXES = (".html", ".json", ".xml", ".txt", ".md", ".mmd", ".yml", ".yaml")


def site_texts(site_dir: Path) -> Iterator[tuple[str, str]]:
    """(where, text) of every text file of the built site and of every file in its zips, HTML entities decoded."""
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        where = path.relative_to(site_dir).as_posix()
        if path.suffix in SCANNED_SUFFIXES:
            yield where, html.unescape(path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    text = archive.read(name).decode("utf-8", errors="replace")
                    yield f"{where}!{name}", html.unescape(text)


def occurrences(texts: Iterator[tuple[str, str]], terms: list[Term]) -> dict[str, list[str]]:
    """where → ``'term' (source): …context…`` for every term found."""
    found: dict[str, list[str]] = {}
    for where, text in texts:
        for term in terms:
            match = term.pattern.search(text)
            if match:
                context = " ".join(text[max(0, match.start() - 60) : match.end() + 60].split())
                found.setdefault(where, []).append(f"{term.text!r} ({term.source}): …{context}…")
    return found


def report(found: dict[str, list[str]]) -> str:
    lines = []
    for where, hits in found.items():
        lines.append(f"{where}:")
        lines += [f"    {hit}" for hit in hits]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------- the sites


@dataclass
class FixtureSite:
    name: str
    folder: Path
    project: Project
    build: Any  # conftest.CopyBuild
    url: str  # where it is served (only when it built)

    @property
    def site_dir(self) -> Path:
        return self.build.site_dir

    def problem_lines(self) -> list[str]:
        """The lines of the build output that say what went wrong: not INFO, not the frames of a traceback."""
        return [line for line in self.build.output.splitlines()
                if line.strip() and not line.startswith(("INFO", " ", "Traceback", "```"))]

    def build_problems(self) -> str:
        """What went wrong in the build, then its whole output."""
        problems = self.problem_lines()
        return (
            f"`mkdocs build --strict` of a copy of the project with playbooks/ = tests/site/fixtures/{self.name}/ "
            f"exited {self.build.returncode}.\nProblems:\n  " + "\n  ".join(problems or ["(none printed)"])
            + f"\n\nWhole output:\n{self.build.output}"
        )

    def require_built(self) -> None:
        if self.build.returncode != 0:
            problems = self.problem_lines()
            pytest.fail(
                f"the {self.name} site did not build (see test_strict_build_succeeds[{self.name}]):\n  "
                + "\n  ".join(problems or self.build.output.splitlines()[-10:]),
                pytrace=False,
            )


@pytest.fixture(scope="session")
def fixture_site(served_fixture_copy) -> Callable[[str], FixtureSite]:
    """``fixture_site(name)``: the copy of the project with ``fixtures/<name>/`` as its playbooks/, built once per
    session and served on 127.0.0.1."""

    def get(name: str) -> FixtureSite:
        copy = served_fixture_copy(SITES[name])
        return FixtureSite(name, SITES[name], PROJECTS[name], copy.build, copy.url)

    return get


def site_file(site: FixtureSite, path: str) -> Path:
    return site.site_dir / path


def page_file(src_uri: str) -> str:
    """Built file of a Markdown source: ``playbooks/x.md`` → ``playbooks/x/index.html``."""
    return links.page_url(src_uri) + "index.html"


def page_text(site: FixtureSite, src_uri: str) -> str:
    return html.unescape(site_file(site, page_file(src_uri)).read_text(encoding="utf-8"))


def squash(text: str) -> str:
    return " ".join(text.split())


def expected_files(project: Project) -> dict[str, str]:
    """Site path → what it is, for every page and download the fixture's playbooks call for."""
    files = {page_file(links.playbook_page(pid)): f"page of playbook {pid}" for pid in project.playbooks}
    files |= {page_file(links.role_page(rid)): f"page of role {rid}" for rid in project.roles}
    files[page_file(links.template_page())] = "templates page"
    files[page_file("responsibilities.md")] = "responsibility matrix page"
    files |= {links.flow_download(pid): f"Mermaid flow of {pid}" for pid in project.playbooks}
    files |= {links.download_path(t.filename): f"download of template {t.id}" for t in project.templates.values()}
    files[links.BUNDLE] = "zip bundle of the templates"
    return files


def hrefs(text: str, page_path: str) -> set[str]:
    """Site paths (no host, query or fragment) of the links on the page at ``page_path``."""
    base = f"http://site/{page_path}"
    return {urlsplit(urljoin(base, href)).path.lstrip("/") for href in re.findall(r'href="([^"]*)"', text)}


# --------------------------------------------------------------------------------------------- tests


def test_fixtures_share_no_name_with_ours():
    """The fixtures' own sources name nothing of ours, so whatever the built site shows of ours came from the
    project, not from the fixture."""
    assert PROJECTS.keys() == SITES.keys()
    sources = ((f"{name}/{p.name}", p.read_text(encoding="utf-8")) for name, folder in SITES.items()
               for p in sorted(folder.iterdir()))
    found = occurrences(sources, FORBIDDEN)
    assert not found, "fixtures use names of the project's own organisation:\n" + report(found)


def test_every_forbidden_term_is_found_in_our_own_playbooks():
    """The matcher finds each of our names in our own files: a term that matches nothing would prove nothing."""
    ours = sorted((ROOT / "playbooks").iterdir())
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in ours if p.suffix in (".yaml", ".yml")]
    missed = [term for term in FORBIDDEN if not any(term.pattern.search(text) for _, text in texts)]
    assert not missed, f"never found in playbooks/: {missed}"
    assert FORBIDDEN, "no forbidden terms"
    # the ids are all there
    texts_of_terms = {term.text for term in FORBIDDEN}
    ids = [*OURS.playbooks, *OURS.roles, *OURS.templates]
    assert {i for i in ids if i not in ORDINARY_WORDS} <= texts_of_terms


@pytest.mark.parametrize("name", SITES)
def test_fixture_is_valid(name):
    project = PROJECTS[name]
    assert project.ok, "\n".join(str(d) for d in project.diagnostics)
    # no warning either, but the one that comes with time (the fixtures' review dates grow old)
    others = [d for d in project.diagnostics if d.code != "stale-review"]
    assert not others, "\n".join(str(d) for d in others)
    folder = SITES[name]
    result = subprocess.run(
        [sys.executable, "-m", "macros", "check", str(folder.relative_to(ROOT)),
         "--org", str((folder / "organisation.yaml").relative_to(ROOT))],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("ok:"), result.stdout


def test_adopter_fixture_uses_every_part_of_the_format():
    project = PROJECTS["adopter"]
    playbooks = list(project.playbooks.values())
    assert len(playbooks) >= 2
    assert all(pb.roles and pb.responsibilities and pb.templates for pb in playbooks)
    assert any(pb.principles for pb in playbooks)
    assert any(t.placeholders for t in project.templates.values())
    assert any(not t.placeholders for t in project.templates.values())
    jumps = [(pid, p) for pid in project.playbooks for p in project.paths(pid) if p.outcome[0] != pid]
    assert jumps, "no answer leads into another playbook"
    bare = next(iter(PROJECTS["bare-playbook"].playbooks.values()))
    assert not (bare.roles or bare.templates or bare.responsibilities or bare.principles)
    assert len(PROJECTS["one-playbook"].playbooks) == 1


@pytest.mark.parametrize("name", SITES)
def test_copy_has_only_the_fixture_playbooks_and_the_checker_accepts_them(fixture_site, name):
    site = fixture_site(name)
    copied = sorted(p.name for p in (site.build.root / "playbooks").iterdir())
    assert copied == sorted(p.name for p in SITES[name].iterdir()), "the copy's playbooks/ is not the fixture"
    result = site.build.run("macros", "check")
    assert result.returncode == 0, result.stdout
    summary = result.stdout.splitlines()[-1]
    assert summary.startswith(f"ok: {len(site.project.playbooks)} playbook"), result.stdout


@pytest.mark.parametrize("name", SITES)
def test_strict_build_succeeds(fixture_site, name):
    site = fixture_site(name)
    assert site.build.returncode == 0, site.build_problems()
    assert "Traceback" not in site.build.output, site.build_problems()
    assert site_file(site, "index.html").is_file(), site.build_problems()


@pytest.mark.parametrize("name", SITES)
def test_every_page_and_download_exists(fixture_site, name):
    site = fixture_site(name)
    site.require_built()
    missing = {path: what for path, what in expected_files(site.project).items() if not site_file(site, path).is_file()}
    assert not missing, "missing from the built site:\n" + "\n".join(f"  {p} ({w})" for p, w in missing.items())


@pytest.mark.parametrize("name", SITES)
def test_pages_show_the_fixture(fixture_site, name):
    site = fixture_site(name)
    site.require_built()
    project = site.project
    problems = []
    for pid, pb in project.playbooks.items():
        text = page_text(site, links.playbook_page(pid))
        if pb.title not in text or "data-icp-walk" not in text:
            problems.append(f"playbook page {pid} lacks its title or its walker")
    for rid, role in project.roles.items():
        if role.name not in page_text(site, links.role_page(rid)):
            problems.append(f"role page {rid} lacks the name {role.name!r}")
    templates = page_text(site, links.template_page())
    for tid, template in project.templates.items():
        if f'id="{links.template_anchor(tid)}"' not in templates or template.title not in templates:
            problems.append(f"templates page lacks template {tid}")
    matrix = squash(page_text(site, "responsibilities.md"))
    for pb in project.playbooks.values():
        for task in pb.responsibilities:
            if squash(task.task) not in matrix:
                problems.append(f"responsibility matrix lacks task {task.id}")
    # the index pages link every generated page
    for index, targets in (("playbooks/index.md", [links.playbook_page(p) for p in project.playbooks]),
                           ("roles/index.md", [links.role_page(r) for r in project.roles])):
        found = hrefs(site_file(site, page_file(index)).read_text(encoding="utf-8"), links.page_url(index))
        problems += [f"{index} does not link {t}" for t in targets if links.page_url(t) not in found]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", SITES)
def test_downloads_and_zip_hold_the_fixture_templates(fixture_site, name):
    site = fixture_site(name)
    site.require_built()
    templates = site.project.templates.values()
    for template in templates:
        path = site_file(site, links.download_path(template.filename))
        assert path.read_text(encoding="utf-8") == template.body + "\n", template.id
    with zipfile.ZipFile(io.BytesIO(site_file(site, links.BUNDLE).read_bytes())) as archive:
        names = set(archive.namelist())
        assert names == {t.filename for t in templates} | {"README.md"}
        for template in templates:
            assert archive.read(template.filename).decode("utf-8") == template.body + "\n", template.id
    for pid in site.project.playbooks:
        assert site_file(site, links.flow_download(pid)).read_text(encoding="utf-8").strip(), pid


@pytest.mark.parametrize("name", SITES)
def test_site_shows_the_fixture_organisation_names(fixture_site, name):
    """Every ``{org.key}`` the fixture's playbooks use is filled in with the fixture's own value."""
    site = fixture_site(name)
    site.require_built()
    org = site.project.organisation
    values = {**org.names, **getattr(org, "urls", {})}
    used = {key for p in SITES[name].iterdir() for key in re.findall(r"\{org\.([a-z0-9_]+)\}", p.read_text("utf-8"))}
    texts = "\n".join(text for _, text in site_texts(site.site_dir))
    missing = sorted(key for key in used if values[key] not in texts)
    assert not missing, f"not on the site: {[(key, values[key]) for key in missing]}"
    unfilled = sorted(key for key in used if f"{{org.{key}}}" in texts)
    assert not unfilled, f"left as {{org.key}} on the site: {unfilled}"


@pytest.mark.parametrize("name", SITES)
def test_built_site_names_nothing_of_ours(fixture_site, name):
    """No page, search index, sitemap, download or zip entry names our organisation or our ids (the terms left out
    as ordinary words are listed in the failure message)."""
    site = fixture_site(name)
    site.require_built()
    found = occurrences(site_texts(site.site_dir), FORBIDDEN)
    assert not found, (
        f"the {name} site still shows the project's own organisation ({len(found)} files; left out of the check "
        f"as ordinary words: {', '.join(sorted(EXCLUDED))}):\n" + report(found)
    )


# --------------------------------------------------------------------------------------------- in Chromium

WALKS = [(name, pid) for name, project in PROJECTS.items() for pid in project.playbooks]


def node_title(project: Project, key: tuple[str, str]) -> str:
    node = project.playbooks[key[0]].tree.nodes[key[1]]
    return node.question if isinstance(node, Question) else node.title


def start_hash(project: Project, playbook_id: str) -> str:
    return f"#{links.node_anchor(playbook_id, project.playbooks[playbook_id].tree.start)}"


@pytest.mark.browser
@pytest.mark.parametrize(("name", "playbook_id"), WALKS, ids=[f"{n}-{p}" for n, p in WALKS])
def test_every_path_walked_in_chromium(fixture_site, open_context, name, playbook_id):
    """Every path Python lists, clicked through; the outcome and checklist shown are the ones Python computes,
    and no request leaves this machine."""
    site = fixture_site(name)
    site.require_built()
    project = site.project
    context, recorder = open_context()
    page = context.new_page()
    page.goto(page_url(site.url, playbook_id))
    paths = project.paths(playbook_id)
    assert paths, f"{playbook_id} has no paths"
    for path in paths:
        where = path.text(playbook_id)
        # back to the first question as a reader goes back: the walker's own "Start again" (setting the hash from
        # a script makes the theme's instant navigation reload the content, which a click can race)
        again = page.locator(f"{WALK} .icp-controls button", has_text="Start again")
        if again.count():
            again.click()
        try:
            wait_title(page, node_title(project, project.graph.starts[playbook_id]))
            for step in path.steps:
                assert current_title(page) == node_title(project, step.node), where
                choose(page, step.answer)
            wait_title(page, node_title(project, path.outcome))
        except Exception as exc:  # say where the walk was, and what the walker showed
            state = page.evaluate(
                "sel => ({hash: location.hash, scrollY: window.scrollY, "
                "walk: (document.querySelector(sel) || {}).outerHTML})", WALK)
            raise AssertionError(f"{where}: {type(exc).__name__}: {exc}\nhash {state['hash']}, scrollY "
                                 f"{state['scrollY']}, walker:\n{(state['walk'] or '')[:3000]}") from exc
        shown = page.locator(f"{WALK} .icp-step--outcome .icp-step__title").text_content()
        assert shown == node_title(project, path.outcome), f"{where}: page shows {shown!r}"
        outcome = project.playbooks[path.outcome[0]].tree.nodes[path.outcome[1]]
        items = [squash(t) for t in page.locator(f"{WALK} .icp-checklist li").all_text_contents()]
        assert len(items) == len(outcome.actions), where
        for item, action in zip(items, outcome.actions, strict=True):
            assert squash(action.text) in item, f"{where}: checklist shows {item!r}"
        walked = start_hash(project, playbook_id) + "".join(f"/{s.answer}" for s in path.steps)
        # a walk with no answer yet (its first step is the outcome) leaves the address as it was
        assert page.evaluate("location.hash") in ({walked, ""} if not path.steps else {walked}), where
    assert len(paths) == project.path_count(playbook_id)
    recorder.settle(page)
    assert not recorder.problems(), recorder.report()


def site_pages(site_dir: Path) -> list[str]:
    """Site paths of every page but the reference pages (which show the format and the code, not the
    playbooks): the generated pages and the hand-written pages that show the playbooks through macros."""
    pages = [f.parent.relative_to(site_dir).as_posix() for f in sorted(site_dir.rglob("index.html"))]
    return [("" if p == "." else p + "/") for p in pages if not p.startswith("reference")]


@pytest.mark.browser
@pytest.mark.parametrize("name", SITES)
def test_pages_load_without_errors_or_other_hosts(fixture_site, open_context, name):
    site = fixture_site(name)
    site.require_built()
    pages = site_pages(site.site_dir)
    expected = [links.page_url(p) for p in (*map(links.playbook_page, site.project.playbooks),
                                             *map(links.role_page, site.project.roles))]
    assert set(expected) <= set(pages)
    context, recorder = open_context()
    page = context.new_page()
    for path in pages:
        page.goto(site.url + path)
        page.locator(".md-content").wait_for()
        recorder.settle(page)
    # moving on to the next page as soon as it settles can cancel what the last one still had in flight (its
    # favicon, the search worker and index it starts after loading): the browser's own aborts are not a problem;
    # a refused host, a 404 or a script error is
    assert not recorder.problems_but_aborts(), recorder.report()
