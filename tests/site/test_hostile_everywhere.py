"""Hostile playbook text (``fixtures/hostile.yaml``) everywhere it leaves the engine: the comms-repo bundle, the
command line, crafted URL hashes on playbook pages, and every page of the built site with other hosts blocked.

The page-rendering side (no payload runs, no markup from text) is covered by ``test_build`` and ``test_browser``;
this file covers the outputs and inputs they do not.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from macros.engine.loader import Project, load_project
from macros.render import links
from macros.render.bundle import README, bundle_files, readme

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOSTILE = yaml.safe_load((FIXTURES / "hostile.yaml").read_text(encoding="utf-8"))  # PyYAML, not the engine
TEMPLATE = HOSTILE["templates"][0]
PWNED = "typeof window.__pwned === 'undefined'"
INJECTED = """() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
    .filter(a => /^on/i.test(a.name) || (/^(href|src|action|formaction|xlink:href)$/i.test(a.name)
                                         && /^\\s*javascript:/i.test(a.value)))
    .map(a => `<${e.tagName.toLowerCase()} ${a.name}="${a.value}">`))"""
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # C0 and C1 controls but newline: they rewrite a terminal


def built(hostile_site) -> Path:
    assert hostile_site.build.returncode == 0, f"build of the hostile copy failed:\n{hostile_site.build.output}"
    return hostile_site.build.site_dir


def hostile_project(hostile_site) -> Project:
    root = hostile_site.build.root
    project = load_project([root / "playbooks"], org_file=root / "playbooks" / "organisation.yaml")
    assert project.ok, "\n".join(map(str, project.diagnostics))
    return project


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        assert archive.testzip() is None, f"a member of {path} is corrupt"
        return {info.filename: archive.read(info) for info in archive.infolist()}


# --------------------------------------------------------------------------------------------- the bundle


def test_bundle_holds_the_hostile_template_exactly_as_written(hostile_site) -> None:
    """A template is a text file for the comms repo: its payloads stay raw, byte for byte, in the zip and in the
    single download (nothing escaped, nothing rendered, no Jinja run)."""
    site = built(hostile_site)
    expected = (TEMPLATE["body"].strip() + "\n").encode("utf-8")
    found = read_zip(site / links.BUNDLE)
    assert found.get(TEMPLATE["filename"]) == expected, found.get(TEMPLATE["filename"])
    single = site / links.download_path(TEMPLATE["filename"])
    assert single.read_bytes() == expected
    for payload in (
        "<script>window.__pwned=1</script> {{ subject_line }}",
        '<img src=x onerror="window.__pwned=1">',
        '"><svg onload=alert(1)>',
        "</code></pre><script>window.__pwned=1</script>",
        "[x](javascript:alert(1))",
        "{% if true %}jinja ran{% endif %} &lt;b&gt;",
        "Regards, {{ sender_name }}",
    ):
        assert payload.encode() in found[TEMPLATE["filename"]], payload


class _Markup(HTMLParser):
    """Elements and attributes of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


README_TAGS = {"h1", "h2", "h3", "h4", "p", "ul", "li", "code", "pre", "strong", "em"}


def test_bundle_readme_shows_hostile_text_as_text(hostile_site) -> None:
    """The README is Markdown for GitHub: rendered, it may hold only the markup it writes itself (headings, lists,
    code), never an element, event handler or javascript: link brought in by playbook text."""
    readme = read_zip(built(hostile_site) / links.BUNDLE)[README].decode("utf-8")
    parser = _Markup()
    parser.feed(markdown.markdown(readme))
    problems = [f"<{tag}>" for tag, _ in parser.tags if tag not in README_TAGS]
    problems += [
        f"<{tag} {name}={value!r}>"
        for tag, attrs in parser.tags
        for name, value in attrs.items()
        if name.startswith("on") or value.strip().lower().startswith("javascript:")
    ]
    assert not problems, "markup in the rendered README that playbook text brought in:\n" + "\n".join(problems)


def test_bundle_readme_names_every_hostile_text(hostile_site) -> None:
    """Whatever the README does with markup, it must still say what the template is: every text of the hostile
    template appears in it (raw or escaped), so nothing was dropped or cut."""
    readme = read_zip(built(hostile_site) / links.BUNDLE)[README].decode("utf-8")
    template = hostile_project(hostile_site).templates[TEMPLATE["id"]]
    texts = [template.filename, template.title, template.audience, template.summary or ""]
    for name, placeholder in template.placeholders.items():
        texts += [f"{{{{ {name} }}}}", placeholder.description, placeholder.example]

    def unescaped(text: str) -> str:
        return re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>|])", r"\1", text).replace("&lt;", "<").replace("&gt;", ">")

    missing = [text for text in texts if text not in readme and text not in unescaped(readme)]
    assert not missing, f"not in the README: {missing}"


ISSUE_FORM = """\
templates:
  - id: form
    title: Comms plan form
    channel: issue-form
    audience: Everyone
    filename: .github/ISSUE_TEMPLATE/form.yml
    body: |
{body}"""


def bomb(levels: int) -> str:
    """An issue form whose labels are an alias bomb: ``levels`` lists of nine references to the one before."""
    lines = ["name: Comms plan", "description: Plan", "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join([*lines, f"labels: *l{levels - 1}", "body: []"])


def issue_form_project(load_text, valid_playbook: str, body: str) -> Project:
    indented = "".join(f"      {line}\n" for line in body.splitlines())
    project = load_text(valid_playbook + ISSUE_FORM.format(body=indented))
    assert project.ok, "\n".join(map(str, project.diagnostics))  # the engine accepts any text as a body
    return project


def test_bundle_survives_an_issue_form_with_odd_labels(load_text, valid_playbook) -> None:
    project = issue_form_project(load_text, valid_playbook, "name: Comms plan\nlabels: 5\nbody: []")
    assert README in bundle_files(project)


def test_bundle_readme_keeps_a_label_with_a_backtick_as_text(load_text, valid_playbook) -> None:
    body = 'name: Comms plan\nlabels: ["a` <img src=x onerror=alert(1)> `b"]\nbody: []'
    parser = _Markup()
    parser.feed(markdown.markdown(readme(issue_form_project(load_text, valid_playbook, body))))
    assert [tag for tag, _ in parser.tags if tag not in README_TAGS] == []


def test_bundle_readme_does_not_expand_an_alias_bomb_in_labels(load_text, valid_playbook) -> None:
    project = issue_form_project(load_text, valid_playbook, bomb(6))
    size = len(readme(project))
    assert size < 100_000, f"a README of {size:,} characters for one template"


# --------------------------------------------------------------------------------------------- the command line


def run_macros(root: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``python -m macros ARGS`` in the copy's root (so the copy's own macros/ runs), stdin given, output apart."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-m", "macros", *args],
        cwd=root,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_command_line_on_the_hostile_copy_prints_plain_text(hostile_site) -> None:
    """``check``, ``paths``, ``walk`` and ``template`` on the copy with the hostile playbook: exit 0, no traceback;
    walks list ids only; the terminal walker shows control characters (the fixture's CRs) as escapes."""
    built(hostile_site)
    root = hostile_site.build.root
    where = ["--dir", "playbooks", "--org", "playbooks/organisation.yaml"]
    project = hostile_project(hostile_site)
    runs = {
        "check": run_macros(root, "check", "playbooks", "--org", "playbooks/organisation.yaml"),
        "paths": run_macros(root, "paths", "hostile", *where),
        "paths --count": run_macros(root, "paths", "hostile", "--count", *where),
        "walk (yes)": run_macros(root, "walk", "hostile", *where, stdin="1\nq\n"),
        "walk (no, CR text)": run_macros(root, "walk", "hostile", *where, stdin="2\nb\nr\nq\n"),
        "template": run_macros(root, "template", TEMPLATE["id"], *where),
    }
    for name, result in runs.items():
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"{name}: exit {result.returncode}\n{output}"
        assert "Traceback" not in output, f"{name}:\n{output}"
        assert result.stdout.strip(), f"{name} printed nothing"
    assert runs["check"].stdout.splitlines()[-1].startswith("ok: "), runs["check"].stdout
    walks = [path.text("hostile") for path in project.paths("hostile")]
    assert runs["paths"].stdout.splitlines() == walks
    assert runs["paths --count"].stdout.strip() == str(len(walks))
    for name in ("walk (yes)", "walk (no, CR text)"):
        controls = sorted({repr(c) for c in CONTROL.findall(runs[name].stdout)})
        assert not controls, f"{name}: raw control characters {controls} reach the terminal:\n{runs[name].stdout}"
    assert "Carriage return\\x0d\\x0d[cr](javascript:alert(1))" in runs["walk (no, CR text)"].stdout
    # into a pipe or file the template is the exact text, as in the bundle
    assert runs["template"].stdout == TEMPLATE["body"].strip() + "\n"


# --------------------------------------------------------------------------------------------- URL hashes

HASHES = [
    "{pb}--<img src=x onerror=window.__pwned=1>",
    '"><svg onload=window.__pwned=1>',
    "javascript:alert(1)",
    "{pb}--%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E",
    "%22%3E%3Csvg%20onload%3Dwindow.__pwned%3D1%3E",
    "javascript%3Aalert(1)",
    "{pb}--{start}/%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E",
    '{pb}--{start}/"><svg onload=window.__pwned=1>/../..',
    "%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E",
    "{pb}--%E0%A4%A",  # not valid percent-encoding: decodeURIComponent throws
    "{pb}--%253Cimg%2520src%253Dx%2520onerror%253Dwindow.__pwned%253D1%253E",  # encoded twice
    "'];window.__pwned=1;//",
]


def check_page(page, recorder, where: str) -> list[str]:
    problems = []
    if not page.evaluate(PWNED):
        problems.append(f"{where}: window.__pwned was set: a payload ran")
    problems += [f"{where}: {found}" for found in page.evaluate(INJECTED)]
    # a request the browser itself cancelled (net::ERR_ABORTED: the favicon of a page left before it loaded) is
    # not a failure; a refused host, a 404, a dialog or a script error is
    if recorder.problems_but_aborts():
        problems.append(f"{where}:\n{recorder.report()}")
    recorder.clear()
    return problems


@pytest.mark.browser
def test_crafted_url_hashes_do_not_run(hostile_site, open_context) -> None:
    """On the hostile playbook's page and on a real one, hashes built to break into the page: loaded with the
    page, and set on an open page (a hashchange for the walker): nothing runs, no dialog, no page error, no request
    to another host or for a missing file, no element gains a handler or a javascript: link."""
    built(hostile_site)
    project = hostile_project(hostile_site)
    real = next(pid for pid in project.playbooks if pid != "hostile")
    context, recorder = open_context()
    page = context.new_page()
    problems: list[str] = []
    for pb in ("hostile", real):
        url = f"{hostile_site.url}playbooks/{pb}/"
        start = project.playbooks[pb].tree.start
        for template in HASHES:
            fragment = template.format(pb=pb, start=start)
            page.goto("about:blank")
            page.goto(f"{url}#{fragment}", wait_until="load")
            recorder.settle(page)
            problems += check_page(page, recorder, f"{url}#{fragment} (loaded)")
        page.goto("about:blank")
        page.goto(url, wait_until="load")
        recorder.settle(page)
        for template in HASHES:
            fragment = template.format(pb=pb, start=start)
            page.evaluate("fragment => { location.hash = fragment; }", fragment)
            page.wait_for_timeout(50)
            recorder.settle(page)
            problems += check_page(page, recorder, f"{url} + location.hash = {fragment!r}")
            page.go_back()
            recorder.settle(page)
            problems += check_page(page, recorder, f"{url} back from {fragment!r}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


# --------------------------------------------------------------------------------------------- every page


def page_urls(site: Path, base: str) -> list[str]:
    """Every HTML page of the site: each index.html as its directory URL, other .html files as they are."""
    urls = []
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        if file.name == "index.html":
            rel = rel.removesuffix("index.html")
        urls.append(base + rel)
    return urls


@pytest.mark.browser
def test_no_page_of_the_hostile_site_reaches_another_host(hostile_site, open_context) -> None:
    """Every page of the site built with the hostile playbook, loaded with requests to other hosts blocked and
    recorded: not one is attempted (and no payload runs on the way)."""
    site = built(hostile_site)
    urls = page_urls(site, hostile_site.url)
    assert len(urls) > 10 and any("/playbooks/hostile/" in url for url in urls), urls
    context, recorder = open_context()
    page = context.new_page()
    blocked: list[str] = []
    ran: list[str] = []
    for url in urls:
        page.goto(url, wait_until="load")
        recorder.settle(page)
        blocked += [f"{url}: {request}" for request in recorder.blocked]
        recorder.blocked.clear()
        if not page.evaluate(PWNED) or recorder.dialogs:
            ran.append(f"{url}: __pwned set or dialog {recorder.dialogs}")
        recorder.dialogs.clear()
    assert len(blocked) == 0, f"{len(blocked)} requests to other hosts:\n" + "\n".join(blocked)
    assert not ran, "\n".join(ran)
