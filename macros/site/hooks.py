"""MkDocs hooks: fresh code on every build, playbooks checked before anything renders, pages generated.

Listed under ``hooks:`` in mkdocs.yml. All knowledge of MkDocs stays in this file and in
``define_env`` (``macros/__init__.py``); the rest of the package is plain Python.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

log = logging.getLogger("mkdocs.plugins.playbooks")


LOCAL_SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default, right only for `mkdocs serve`
_command = {"name": "build"}


def on_startup(command: str, dirty: bool = False) -> None:
    _command["name"] = command


def _code_version(root: Path) -> str:
    """A hash of the package's source (every macros/**/*.py, and where it is)."""
    digest = hashlib.sha256(str(root).encode())
    for source in sorted((root / "macros").rglob("*.py")):
        digest.update(f"\0{source.relative_to(root)}\0".encode() + source.read_bytes())
    return digest.hexdigest()


@event_priority(100)  # before the macros plugin imports the package
def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    # `mkdocs serve` rebuilds in the same process: when a macros/**/*.py file changed, drop the package so the
    # edit takes effect; else keep it, with the project it checked (pages.load reloads changed playbooks)
    version = _code_version(root)
    kept = sys.modules.get("macros.site.pages")
    if kept is None or getattr(kept, "code_version", None) != version:
        for name in [m for m in sys.modules if m == "macros" or m.startswith("macros.")]:
            del sys.modules[name]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from macros.engine.diagnostics import errors, warnings
    from macros.site import pages

    pages.code_version = version
    project = pages.load(root)
    for diagnostic in warnings(project.diagnostics):
        log.info(str(diagnostic))  # stale reviews must not fail a strict build on a later date
    problems = errors(project.diagnostics)
    if problems:
        lines = "\n".join(str(d) for d in problems)
        raise PluginError(f"playbooks are invalid ({len(problems)} problems):\n{lines}")
    _extend_nav(config, pages.nav_entries(project))
    _set_site_url(config, project.organisation.site_url)
    return config


def _set_site_url(config, from_organisation: str | None) -> None:
    """The published address: $SITE_URL, else `site_url` in the organisation file, else the local default."""
    if not os.environ.get("SITE_URL") and from_organisation:
        config.site_url = from_organisation if from_organisation.endswith("/") else from_organisation + "/"
    if _command["name"] in ("build", "gh-deploy") and (config.site_url or "") == LOCAL_SITE_URL:
        # not through logging: a strict build would stop on it, and a local build is fine
        print(
            f"WARNING: the site's address is still the local default {LOCAL_SITE_URL}, so canonical links and "
            "the sitemap point at this machine. Set site_url in playbooks/organisation.yaml, or the SITE_URL "
            "environment variable, before publishing.",
            file=sys.stderr,
        )


def _extend_nav(config, entries: dict[str, list[str]]) -> None:
    def visit(items):
        for item in list(items):
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                visit(value)
            elif value in entries:
                at = items.index(item) + 1  # where it is now, after what was inserted before it
                items[at:at] = entries[value]

    if config.nav:
        visit(config.nav)


@event_priority(-100)  # after the macros plugin has rendered the page
def on_page_markdown(markdown: str, page, config, files) -> str:
    from macros.site import page_macros

    problems = page_macros.take_errors()
    if problems:
        raise PluginError("a page calls a macro with an unknown id:\n" + "\n".join(problems))
    return markdown


@event_priority(100)  # first: the other plugins see the page as it is served
def on_page_content(html: str, page, config, files) -> str:
    """Put the generated blocks into the page that Markdown made around their placeholders (macros/site/slots.py)."""
    from macros.site import slots

    # a code block needs code.js: its copy button says "Copied", and a keyboard can scroll it
    return _PRE.sub(r'<pre data-icp-script="common code"\1', slots.fill(html))


_PRE = re.compile(r"<pre(?![^>]*data-icp-script)([ >])")


class _Download(File):
    """A generated file served as it is, even when its name ends in .md or starts with a dot."""

    def is_documentation_page(self) -> bool:
        return False


def on_files(files: Files, config) -> Files:
    from macros.site import pages

    for src_uri, content in pages.generated_pages(pages.current).items():
        if files.get_file_from_path(src_uri) is None:
            files.append(File.generated(config, src_uri, content=content))
    for src_uri, content in pages.downloads(pages.current).items():
        files.append(_Download.generated(config, src_uri, content=content, inclusion=InclusionLevel.INCLUDED))
    return files


# The project's own scripts and styles (docs/assets/icp/), minified in the built site (the sources stay readable).
# mkdocs.yml lists them all; a page keeps the tags of only those it uses (site.js adds the others when instant
# navigation brings a page that needs them):
EVERY_PAGE = ("assets/icp/site.js", "assets/icp/base.css")
# for an element data-icp-script="<name> ...", which names every script it needs, those they depend on first
WIDGET_SCRIPTS = ("common", "fill", "store", "code", "walker", "plan", "drafts", "checker", "workspace")
# for an element data-icp-style="<name>"
WIDGET_STYLES = ("widget", "starts", "matrix", "tables", "tree", "flow", "templates", "plan", "checker", "workspace")
# loaded by site.js on every page while an incident is open (the incident bar), not named by a page's elements
INCIDENT_BAR = ("assets/icp/bar.js", "assets/icp/bar.css")
OWN_ASSETS = (
    *EVERY_PAGE,
    *(f"assets/icp/{name}.js" for name in WIDGET_SCRIPTS),
    *(f"assets/icp/{name}.css" for name in WIDGET_STYLES),
    *INCIDENT_BAR,
)
# A page's styles are served as one file, made for the set it uses ("base-tree-flow.css"): pages that use the
# same set share it, and gzip compresses the selectors the styles share together.
STYLE_ORDER = ("base", *WIDGET_STYLES)
STYLE_BUNDLES = "assets/icp/styles"
_bundles: set[str] = set()  # the bundles this build's pages link, written after the build
_WIDGET_TAG = re.compile(
    r'<script src="[^"]*assets/icp/(' + "|".join(WIDGET_SCRIPTS) + r')\.js"></script>\n?'
    r'|<link rel="stylesheet" href="([^"]*)assets/icp/(' + "|".join(STYLE_ORDER) + r')\.css">\n?'
)
_TREE_TAG = re.compile(r'<div class="icp-tree"[^>]*>')
_ATTRIBUTE = re.compile(r'(data-icp-[a-z]+)="([^"]*)"')


def used_widgets(output: str) -> tuple[set[str], set[str]]:
    """The widget scripts and styles a page uses: named by its elements' data-icp-script and data-icp-style."""
    scripts = {name for names in re.findall(r'data-icp-script="([a-z ]+)"', output) for name in names.split()}
    styles = {name for names in re.findall(r'data-icp-style="([a-z ]+)"', output) for name in names.split()}
    return scripts, styles


def on_post_template(output: str, template_name: str, config) -> str:
    """The 404 page is a template of the theme, not a page: the same scripts and styles as a page of prose."""
    return on_post_page(output, None, config) if template_name == "404.html" else output


def style_bundle(styles: set[str]) -> tuple[str, str]:
    """The site path of the one stylesheet for these styles (base always among them), and their names."""
    names = [name for name in STYLE_ORDER if name in styles or name == "base"]
    return f"{STYLE_BUNDLES}/{'-'.join(names)}.css", " ".join(names)


def on_post_page(output: str, page, config) -> str:
    """Drop the widget scripts a page does not use, link its styles as one file, and put the walker files its
    trees need before the walker script, so the walker starts before the first paint (walker.js loads a file
    that is missing)."""
    scripts, styles = used_widgets(output)
    bundle, names = style_bundle(styles)
    linked = []
    needed: dict[str, None] = {}
    for tag in _TREE_TAG.findall(output):
        attributes = dict(_ATTRIBUTE.findall(tag))
        for playbook_id in attributes.get("data-icp-needs", "").split():
            src = f"{attributes['data-icp-files']}{playbook_id}.js?v={attributes['data-icp-version']}"
            needed[f'<script src="{src}"></script>\n'] = None

    def keep(match: re.Match[str]) -> str:
        script, prefix = match.group(1), match.group(2)
        if prefix is not None:  # a stylesheet: the first one becomes the page's one stylesheet
            if linked:
                return ""
            linked.append(bundle)
            return f'<link rel="stylesheet" href="{prefix}{bundle}" data-icp-styles="{names}">\n'
        if script == "walker" and script in scripts:
            return "".join(needed) + match.group(0)
        return match.group(0) if script in scripts else ""

    output = _WIDGET_TAG.sub(keep, output)
    _bundles.update(linked)
    return output


# Material's bundle can fetch two scripts from a CDN: a ResizeObserver polyfill (browsers older than 2020)
# and Mermaid (pages with a `.mermaid` block; ours have none). Point both at an empty local script, so the
# site cannot reach another host even in those cases.
_CDN_LOADER = re.compile(r"https://unpkg\.com/[^\"'`\s]+")


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config) -> None:
    from macros.site import pages

    site_dir = Path(config.site_dir)
    _minify(site_dir)
    _write_bundles(site_dir)
    _no_cdn(site_dir)
    _tag_search_index(
        site_dir / "search" / "search_index.json",
        pages.search_keywords(pages.current),
        pages.search_moves(pages.current),
    )


def _tag_search_index(path: Path, keywords: dict[str, list[str]], moves: dict[str, tuple[str, str]]) -> None:
    """Show each step's search entry at the page that opens it (``moves``), and give it its keywords as tags, the
    field Material's search weighs most."""
    if not path.is_file():
        return
    from macros.site import pages

    index = json.loads(path.read_text(encoding="utf-8"))
    moved, kept = [], []
    for doc in index["docs"]:
        page, _, anchor = doc["location"].partition("#")
        if page in moves and anchor.startswith(moves[page][1]):
            moved.append({**doc, "location": f"{moves[page][0]}#{anchor}"})
        else:
            kept.append({**doc, "boost": pages.IN_FULL_SEARCH_BOOST} if page in moves else doc)
    # the steps a walk begins at are on both pages: their entry from the page of steps has the text
    arrived = {doc["location"] for doc in moved}
    index["docs"] = [doc for doc in kept if doc["location"] not in arrived] + moved
    for doc in index["docs"]:
        words = keywords.get(doc["location"])
        if words:
            doc["tags"] = [*doc.get("tags", []), *words]
    path.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")


def _minify(site_dir: Path) -> None:
    import rcssmin
    import rjsmin

    for name in OWN_ASSETS:
        path = site_dir / name
        if path.is_file():
            source = path.read_text(encoding="utf-8")
            path.write_text(rjsmin.jsmin(source) if name.endswith(".js") else rcssmin.cssmin(source), encoding="utf-8")


def _write_bundles(site_dir: Path) -> None:
    for bundle in sorted(_bundles):
        names = Path(bundle).stem.split("-")
        parts = [(site_dir / f"assets/icp/{name}.css").read_text(encoding="utf-8") for name in names]
        (site_dir / bundle).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / bundle).write_text("\n".join(parts), encoding="utf-8")
    _bundles.clear()


def _no_cdn(site_dir: Path) -> None:
    for bundle in (site_dir / "assets" / "javascripts").glob("bundle.*.min.js"):
        source = bundle.read_text(encoding="utf-8")
        patched = _CDN_LOADER.sub("data:text/javascript,", source)
        if patched != source:
            bundle.write_text(patched, encoding="utf-8")
