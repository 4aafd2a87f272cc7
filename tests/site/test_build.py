"""The built site, read as files (no browser): it builds strictly, shows every playbook's content, links only
to things that exist, loads nothing from other hosts, leaves template placeholders alone, shows hostile
playbook text as text, and refuses to build from a broken playbook."""

from __future__ import annotations

import html
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from macros.engine.loader import Project, load_project

SITE_NAME = "Incident Comms Playbook"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SKIPPED_SCHEMES = ("mailto:", "tel:", "data:")
URL_ATTRIBUTES = {"href", "src", "xlink:href", "poster", "data", "action", "formaction"}
# <link rel=...> values that name a related page rather than something the page loads
NON_ASSET_RELS = {"canonical", "prev", "next", "alternate"}
ASSET_TAGS = {"script", "img", "iframe", "frame", "embed", "object", "source", "track", "audio", "video", "image",
              "use", "input"}


def normal(text: str) -> str:
    """Whitespace collapsed, as a browser shows it."""
    return " ".join(text.split())


class ParsedPage(HTMLParser):
    """One HTML file: its ids, tags with attributes, visible text, document <title>, headings, scripts and styles."""

    RAW = ("script", "style")

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.titles: list[str] = []  # <title> of the document, not those of inline SVGs
        self.headings: list[tuple[str, str]] = []  # (h1…h6, text without the permalink)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._text: list[str] = []
        self._raw: str | None = None  # inside <script> or <style>
        self._svg = 0
        self._title: list[str] | None = None
        self._heading: tuple[str, list[str]] | None = None
        self._permalink = 0
        self.feed(source)
        self.close()
        self.text = normal("".join(self._text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, {name: value or "" for name, value in attrs})
        if tag in self.RAW:
            self._raw = tag
            (self.scripts if tag == "script" else self.styles).append("")
        elif tag == "svg":
            self._svg += 1
        elif tag == "title" and not self._svg:
            self._title = []
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = (tag, [])
        elif tag == "a" and self._heading and "headerlink" in (dict(attrs).get("class") or "").split():
            self._permalink += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, {name: value or "" for name, value in attrs})

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        self.tags.append((tag, attrs))
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw:
            self._raw = None
        elif tag == "svg" and self._svg:
            self._svg -= 1
        elif tag == "title" and self._title is not None:
            self.titles.append("".join(self._title))
            self._title = None
        elif self._heading and tag == self._heading[0]:
            self.headings.append((tag, normal("".join(self._heading[1]))))
            self._heading = None
        elif tag == "a" and self._permalink:
            self._permalink -= 1

    def handle_data(self, data: str) -> None:
        if self._raw:
            (self.scripts if self._raw == "script" else self.styles)[-1] += data
            return
        self._text.append(data)
        if self._title is not None:
            self._title.append(data)
        if self._heading and not self._permalink:
            self._heading[1].append(data)


@cache
def parse(path: Path) -> ParsedPage:
    return ParsedPage(path.read_text(encoding="utf-8"))


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page(site: Path, url: str) -> ParsedPage:
    """The parsed page at a site URL like ``playbooks/x/``."""
    path = site / url / "index.html"
    assert path.is_file(), f"page {url} was not built ({path} missing)"
    return parse(path)


def missing_texts(parsed: ParsedPage, texts: Iterable[str]) -> list[str]:
    return [text for text in texts if normal(text) not in parsed.text]


@pytest.fixture(scope="session")
def project() -> Project:
    """The real playbooks, as the build sees them."""
    loaded = load_project()
    assert loaded.ok, "the real playbooks are invalid:\n" + "\n".join(map(str, loaded.diagnostics))
    return loaded


# ------------------------------------------------------------------------------------------ the build


def test_strict_build_passes(built_site: Path) -> None:
    for name in ("index.html", "404.html", "sitemap.xml", "search/search_index.json"):
        assert (built_site / name).is_file(), f"{name} missing from the built site"


# ------------------------------------------------------------------------------------------ content


def test_every_playbook_shows_all_its_content(built_site: Path, project: Project) -> None:
    missing: list[str] = []

    def expect(url: str, texts: Iterable[str]) -> None:
        missing.extend(f"{url}: {text!r}" for text in missing_texts(page(built_site, url), texts))

    templates_page = "comms-templates"
    for pb in project.playbooks.values():
        url = f"playbooks/{pb.id}"
        expect(url, [pb.title, pb.summary, pb.owner, *pb.audience])
        # who does what and every step on the playbook's page in full (its page carries the steps a walk begins at)
        url = f"playbooks/{pb.id}/steps"
        texts = [pb.title, *(task.task for task in pb.responsibilities)]
        for node in pb.tree.nodes.values():
            if hasattr(node, "question"):
                texts += [node.question, *(a.label for a in node.answers)]
                texts += [node.hint] if node.hint else []
            else:
                texts += [node.title, node.summary, *(a.text for a in node.actions), *(r.label for r in node.related)]
        expect(url, texts)
        ids = page(built_site, url).ids
        missing += [f"{url}: no element id={pb.id}--{node_id}" for node_id in pb.tree.nodes
                    if f"{pb.id}--{node_id}" not in ids]
        for role in pb.roles:
            expect(f"roles/{role.id}", [role.name, role.summary, *role.does, *(d.task for d in role.does_not),
                                        *(f"{a.when} {a.who}" for a in role.appointment)])
        for template in pb.templates:
            texts = [template.title, template.audience, template.body, template.filename]
            texts += [template.summary] if template.summary else []
            for placeholder in template.placeholders.values():
                texts += [placeholder.description, placeholder.example]
            expect(templates_page, texts)
            if f"template-{template.id}" not in page(built_site, templates_page).ids:
                missing.append(f"{templates_page}: no element id=template-{template.id}")
        principles = getattr(pb, "principles", [])
        for principle in principles:
            expect("onboarding/principles", [principle.title, principle.text, *principle.in_practice])
    assert not missing, f"{len(missing)} texts or anchors missing from the site:\n" + "\n".join(missing)


def test_every_role_has_a_page(built_site: Path, project: Project) -> None:
    missing = [role_id for role_id in project.roles if not (built_site / "roles" / role_id / "index.html").is_file()]
    assert not missing, f"roles without a page: {missing}"
    for role in project.roles.values():
        parsed = page(built_site, f"roles/{role.id}")
        assert parsed.titles and normal(parsed.titles[0]) == normal(f"{role.name} - {SITE_NAME}")


def test_downloads_are_the_templates_and_flows(built_site: Path, project: Project) -> None:
    problems = []
    for template in project.templates.values():
        path = built_site / "downloads" / template.filename
        if not path.is_file():
            problems.append(f"missing download {path.relative_to(built_site)}")
        elif path.read_bytes().decode("utf-8") != template.body + "\n":
            problems.append(f"{path.relative_to(built_site)} differs from the body of template '{template.id}'")
    for playbook_id in project.playbooks:
        path = built_site / "downloads" / "flows" / f"{playbook_id}.mmd"
        if not path.is_file():
            problems.append(f"missing flow download {path.relative_to(built_site)}")
        elif "flowchart" not in path.read_text(encoding="utf-8"):
            problems.append(f"{path.relative_to(built_site)} is not a Mermaid flowchart")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------------------------ links


def _target_file(site: Path, path: str) -> Path:
    target = site / unquote(path).lstrip("/")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def test_internal_links_resolve(built_site: Path, site_server_url: str) -> None:
    base = site_server_url
    broken: list[str] = []
    checked = 0
    for file in html_files(built_site):
        rel = file.relative_to(built_site).as_posix()
        page_url = base + rel
        parsed = parse(file)
        for tag, attrs in parsed.tags:
            for name in URL_ATTRIBUTES & attrs.keys():
                value = attrs[name].strip()
                if not value or value.lower().startswith(SKIPPED_SCHEMES):
                    continue
                where = f"{rel}: <{tag} {name}={value!r}>"
                if re.match(r"(?i)^\s*javascript:", value):
                    broken.append(f"{where}: javascript: link")
                    continue
                if value.startswith("#"):
                    checked += 1
                    fragment = unquote(value[1:])
                    if fragment and fragment not in parsed.ids:
                        broken.append(f"{where}: no id {fragment!r} on this page")
                    continue
                url = urlsplit(urljoin(page_url, value))
                if url.scheme not in ("http", "https") or url.hostname not in LOCAL_HOSTS:
                    continue  # other sites: see test_no_asset_from_another_host
                checked += 1
                if url.port != urlsplit(base).port:
                    broken.append(f"{where}: points at port {url.port}, not the site's {urlsplit(base).port}")
                    continue
                target = _target_file(built_site, url.path)
                if not target.is_file():
                    broken.append(f"{where}: {target.relative_to(built_site)} does not exist")
                elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in parse(target).ids:
                    broken.append(f"{where}: no id {unquote(url.fragment)!r} in {target.relative_to(built_site)}")
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken)
    assert checked > 100, f"only {checked} links checked: is the parser finding them?"


@pytest.fixture(scope="session")
def site_server_url(built_site: Path, _site_server) -> str:
    """The address the site was built for (links are checked as files, nothing is fetched)."""
    return _site_server.url


# ------------------------------------------------------------------------------------------ other hosts

CSS_URL = re.compile(r"""url\(\s*(?:'([^']*)'|"([^"]*)"|([^)'"\s]*))\s*\)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?['"]?([^'")\s;]+)""", re.IGNORECASE)


def _off_host(value: str) -> bool:
    url = urlsplit(value.strip())
    if value.strip().startswith("//"):
        return url.hostname not in LOCAL_HOSTS
    return url.scheme in ("http", "https") and url.hostname not in LOCAL_HOSTS


def _css_references(css: str) -> list[str]:
    found = [next(group for group in match.groups() if group is not None) for match in CSS_URL.finditer(css)]
    return [*found, *CSS_IMPORT.findall(css)]


def test_no_asset_from_another_host(built_site: Path) -> None:
    loads: list[str] = []
    links: dict[str, set[str]] = defaultdict(set)
    for file in html_files(built_site):
        rel = file.relative_to(built_site).as_posix()
        parsed = parse(file)
        for tag, attrs in parsed.tags:
            refs = [attrs.get(name, "") for name in ("src", "href", "xlink:href", "poster", "data")]
            refs += [part.strip().split(" ")[0] for part in attrs.get("srcset", "").split(",")]
            refs += _css_references(attrs.get("style", ""))
            for ref in filter(None, refs):
                if not _off_host(ref):
                    continue
                if tag == "a" or (tag == "link" and set(attrs.get("rel", "").lower().split()) <= NON_ASSET_RELS
                                  and attrs.get("rel")):
                    links[ref].add(rel)
                elif tag == "link" or tag in ASSET_TAGS or attrs.get("style"):
                    loads.append(f"{rel}: <{tag}> loads {ref}")
                else:
                    loads.append(f"{rel}: <{tag}> refers to {ref}")
        for css in parsed.styles:
            loads += [f"{rel}: <style> loads {ref}" for ref in _css_references(css) if _off_host(ref)]
    for file in sorted(built_site.rglob("*.css")):
        rel = file.relative_to(built_site).as_posix()
        loads += [f"{rel}: loads {ref}" for ref in _css_references(file.read_text(encoding="utf-8")) if _off_host(ref)]
    if links:
        listing = "\n".join(f"  {url} (on {len(pages)} pages)" for url, pages in sorted(links.items()))
        warnings.warn(f"links to other sites (allowed, listed for review):\n{listing}", stacklevel=1)
    assert not loads, f"{len(loads)} references to assets on other hosts:\n" + "\n".join(loads)


CDN_STRINGS = re.compile(
    r"iframe-worker|fonts\.googleapis|fonts\.gstatic|(?:https?:)?//[^\s\"'`()]*polyfill[^\s\"'`()]*", re.IGNORECASE
)


def test_no_cdn_loader_strings(built_site: Path) -> None:
    """No iframe-worker, no polyfill fetched from a CDN, no Google Fonts, anywhere in HTML, JavaScript or CSS
    (source maps are not loaded by the pages and are not searched)."""
    found = []
    for file in sorted(built_site.rglob("*")):
        if file.suffix not in (".html", ".js", ".css") or not file.is_file():
            continue
        text = file.read_text(encoding="utf-8", errors="replace")
        for match in CDN_STRINGS.finditer(text):
            context = text[max(match.start() - 80, 0):match.end() + 40].replace("\n", " ")
            found.append(f"{file.relative_to(built_site)}: {match.group(0)!r} in …{context}…")
    assert not found, f"{len(found)} CDN strings in the built site:\n" + "\n".join(found)


# ------------------------------------------------------------------------------------------ macros


def test_template_placeholders_are_left_alone(built_site: Path, project: Project) -> None:
    templates_page = page(built_site, "comms-templates")
    problems = []
    for template in project.templates.values():
        download = (built_site / "downloads" / template.filename).read_text(encoding="utf-8")
        for name in template.placeholders:
            placeholder = "{{ " + name + " }}"
            if placeholder not in download:
                problems.append(f"downloads/{template.filename}: no {placeholder}")
            if placeholder not in templates_page.text:
                problems.append(f"comms-templates/: no {placeholder} (template '{template.id}')")
    assert project.templates and any(t.placeholders for t in project.templates.values())
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------------------------ hostile text

PAYLOAD_MARKUP = [
    re.compile(r"<script>\s*window\.__pwned"),
    re.compile(r"<img\b[^>]*\bsrc=\"?x\b", re.IGNORECASE),
    re.compile(r"<svg\s+onload", re.IGNORECASE),
    # an event handler attribute among the attributes of a tag (not inside a quoted attribute value)
    re.compile(r"""<[a-z][\w:-]*(?:\s+[\w:.-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*\s+on[a-z]+\s*=""",
               re.IGNORECASE),
    re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE),
]


def _hostile_project(hostile_site) -> Project:
    root = hostile_site.build.root
    loaded = load_project([root / "playbooks"], org_file=root / "playbooks" / "organisation.yaml")
    assert loaded.ok, "\n".join(map(str, loaded.diagnostics))
    return loaded


def test_hostile_playbook_builds(hostile_site) -> None:
    assert hostile_site.build.returncode == 0, f"build of the hostile copy failed:\n{hostile_site.build.output}"


def test_hostile_text_never_becomes_markup(hostile_site) -> None:
    site = hostile_site.build.site_dir
    assert hostile_site.build.returncode == 0, hostile_site.build.output
    problems = []
    for file in html_files(site):
        rel = file.relative_to(site).as_posix()
        raw = file.read_text(encoding="utf-8")
        for pattern in PAYLOAD_MARKUP:
            for match in pattern.finditer(raw):
                context = raw[max(match.start() - 100, 0):match.end() + 60]
                problems.append(f"{rel}: raw markup {match.group(0)!r} in …{context}…")
        parsed = parse(file)
        problems += [f"{rel}: <script> runs payload {script[:80]!r}" for script in parsed.scripts
                     if "__pwned" in script]
        for tag, attrs in parsed.tags:
            for name, value in attrs.items():
                if name.startswith("on"):
                    problems.append(f"{rel}: <{tag} {name}={value!r}>")
                if name in URL_ATTRIBUTES and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:"):
                    problems.append(f"{rel}: <{tag} {name}={value!r}>")
            if tag == "img" and attrs.get("src") == "x":
                problems.append(f"{rel}: <img src=x> from playbook text")
    assert not problems, f"{len(problems)} places where playbook text became markup:\n" + "\n".join(problems)


def _hostile_texts(p: Project) -> dict[str, list[str]]:
    """Site URL → the hostile texts that page must show exactly as typed."""
    pb = p.playbooks["hostile"]
    question = pb.tree.nodes["hostile-question"]
    outcomes = [node for node in pb.tree.nodes.values() if not hasattr(node, "question")]
    role, other = p.roles["hostile-role"], p.roles["hostile-other"]
    template = p.templates["hostile-template"]
    task = pb.responsibilities[0].task
    return {
        # its page: what it is, its first question (where a walk begins), its templates
        "playbooks/hostile": [
            pb.title, pb.summary, pb.owner, *pb.audience, question.question, question.hint,
            *(a.label for a in question.answers), template.title,
        ],
        # in full: every step, who does what
        "playbooks/hostile/steps": [
            pb.title, pb.summary, question.question, question.hint,
            *(a.label for a in question.answers), *(o.title for o in outcomes), *(o.summary for o in outcomes),
            *(a.text for o in outcomes for a in o.actions), *(r.label for o in outcomes for r in o.related),
            role.name, other.name, template.title, task,
        ],
        "roles/hostile-role": [role.name, role.summary, *role.does, *(d.task for d in role.does_not), other.name,
                               *(f"{a.when} {a.who}" for a in role.appointment),
                               *(a.appointed_by for a in role.appointment), task],
        "roles/hostile-other": [other.name, other.summary, *other.does, task],
        "roles": [role.name, role.summary, other.name, other.summary],
        "comms-templates": [template.title, template.audience, template.summary, template.body,
                            *(x.description for x in template.placeholders.values()),
                            *(x.example for x in template.placeholders.values())],
        "responsibilities": [task, pb.title, role.name, other.name],
        "playbooks": [pb.title, pb.summary],
        "": [pb.title, pb.summary],
        "onboarding/whole-flow": [pb.title],  # the flow pictures wrap node texts into lines
        "onboarding/principles": [x for pr in pb.principles for x in (pr.title, pr.text, *pr.in_practice)],
    }


def test_hostile_text_shows_as_typed(hostile_site) -> None:
    """Every hostile text is on its pages exactly as typed: not run, not turned into Markdown, not escaped twice."""
    site = hostile_site.build.site_dir
    assert hostile_site.build.returncode == 0, hostile_site.build.output
    p = _hostile_project(hostile_site)
    pb, role, other = p.playbooks["hostile"], p.roles["hostile-role"], p.roles["hostile-other"]
    problems = []
    for url, texts in _hostile_texts(p).items():
        problems += [f"{url or 'home'}: not shown as typed: {text!r}" for text in missing_texts(page(site, url), texts)]
    for url, title in {"playbooks/hostile": pb.title, "roles/hostile-role": role.name,
                       "roles/hostile-other": other.name}.items():
        parsed = page(site, url)
        if [normal(t) for t in parsed.titles] != [normal(f"{title} - {SITE_NAME}")]:
            problems.append(f"{url}: <title> is {parsed.titles!r}, expected {title + ' - ' + SITE_NAME!r}")
        h1 = [text for tag, text in parsed.headings if tag == "h1"]
        if h1 != [normal(title)]:
            problems.append(f"{url}: <h1> is {h1!r}, expected {normal(title)!r}")
    flow_headings = [text for tag, text in page(site, "onboarding/whole-flow").headings if tag == "h2"]
    if normal(pb.title) not in flow_headings:
        problems.append(f"onboarding/whole-flow: no <h2> reads {normal(pb.title)!r}; the h2s are {flow_headings!r}")
    for url, description in {"playbooks/hostile": pb.summary, "roles/hostile-role": role.summary}.items():
        metas = [attrs.get("content", "") for tag, attrs in page(site, url).tags
                 if tag == "meta" and attrs.get("name") == "description"]
        if metas != [description]:
            problems.append(f"{url}: meta description is {metas!r}, expected {description!r}")
    template = p.templates["hostile-template"]
    if (site / "downloads" / template.filename).read_text(encoding="utf-8") != template.body + "\n":
        problems.append(f"downloads/{template.filename} differs from the template body")
    flow = (site / "downloads" / "flows" / "hostile.mmd").read_text(encoding="utf-8")
    if re.search(r"<\s*(script|img|svg)", flow, re.IGNORECASE):
        problems.append("downloads/flows/hostile.mmd holds raw HTML tags")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_hostile_text_is_not_escaped_twice(hostile_site) -> None:
    """Text and attributes a reader or a screen reader gets (aria-label, title, alt, content) never show the
    escaped form of a playbook text, such as '&lt;' where the playbook says '<'."""
    site = hostile_site.build.site_dir
    assert hostile_site.build.returncode == 0, hostile_site.build.output
    p = _hostile_project(hostile_site)
    texts = {normal(text) for values in _hostile_texts(p).values() for text in values}
    escaped = {html.escape(text, quote=quote): text for text in texts for quote in (True, False)}
    escaped = {form: text for form, text in escaped.items() if form != text}
    problems = set()
    for file in html_files(site):
        rel = file.relative_to(site).as_posix()
        parsed = parse(file)
        values = [("text", parsed.text)]
        values += [(f"<{tag} {name}>", normal(value)) for tag, attrs in parsed.tags for name, value in attrs.items()
                   if name in ("aria-label", "title", "alt", "content", "placeholder")]
        for where, value in values:
            for form, text in escaped.items():
                if form in value:
                    problems.add(f"{rel}: {where} shows {text[:50]!r}… escaped twice")
    assert not problems, f"{len(problems)} places show escaped text:\n" + "\n".join(sorted(problems))


# ------------------------------------------------------------------------------------------ broken playbook


def test_broken_playbook_stops_the_build_with_located_message(build_project_copy) -> None:
    fixture = Path(__file__).parent / "fixtures" / "dangling-next.yaml"
    text = fixture.read_text(encoding="utf-8")
    lines = text.splitlines()
    line = next(i for i, value in enumerate(lines, 1) if value.strip() == "next: nowhere")
    col = lines[line - 1].index("nowhere") + 1
    result = build_project_copy({"dangling-next.yaml": text})
    assert result.returncode != 0, f"the build passed with a dangling 'next':\n{result.output}"
    check = result.run("macros", "check")
    assert check.returncode == 1, check.stdout
    errors = [value for value in check.stdout.splitlines() if ": error: " in value]
    location = f"playbooks/dangling-next.yaml:{line}:{col}: error: "
    assert [e for e in errors if e.startswith(location) and e.endswith("[dangling-next]")], (
        f"'python -m macros check' does not report {location}…[dangling-next]:\n{check.stdout}")
    assert len(errors) == 1, f"expected only the dangling 'next' to be wrong:\n{check.stdout}"
    missing = [e for e in errors if e not in result.output]
    assert not missing, f"the build output lacks {missing}:\n{result.output}"
