"""MkDocs hooks: fresh code on every build, playbooks checked before anything renders, pages generated.

Listed under ``hooks:`` in mkdocs.yml. All knowledge of MkDocs stays in this file and in
``define_env`` (``macros/__init__.py``); the rest of the package is plain Python.
"""

from __future__ import annotations

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


@event_priority(100)  # before the macros plugin imports the package
def on_config(config):
    # `mkdocs serve` rebuilds in the same process: drop the package so edits to macros/**/*.py take effect
    for name in [m for m in sys.modules if m == "macros" or m.startswith("macros.")]:
        del sys.modules[name]
    root = Path(config.config_file_path).resolve().parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from macros.engine.diagnostics import errors, warnings
    from macros.site import pages

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
    _serve_styles_as_one(files, config)
    return files


# The stylesheets are written one per widget and served as one file (one request, and gzip compresses the
# selectors they share together), in this order; mkdocs.yml links STYLESHEET.
STYLE_SOURCES = tuple(f"assets/icp/{name}.css" for name in ("common", "tree", "flow", "templates", "plan"))
STYLESHEET = "assets/icp/icp.css"
# The project's own scripts and styles, minified in the built site (the sources stay readable).
OWN_ASSETS = (*(f"assets/icp/{name}.js" for name in ("common", "walker", "plan")), STYLESHEET)


def _serve_styles_as_one(files: Files, config) -> None:
    parts = []
    for src_uri in STYLE_SOURCES:
        source = files.get_file_from_path(src_uri)
        if source is None:
            raise PluginError(f"docs/{src_uri} is missing; it is listed in STYLE_SOURCES in macros/site/hooks.py")
        parts.append(source.content_string)
        files.remove(source)
    files.append(File.generated(config, STYLESHEET, content="\n".join(parts)))

# Material's bundle can fetch two scripts from a CDN: a ResizeObserver polyfill (browsers older than 2020)
# and Mermaid (pages with a `.mermaid` block; ours have none). Point both at an empty local script, so the
# site cannot reach another host even in those cases.
_CDN_LOADER = re.compile(r"https://unpkg\.com/[^\"'`\s]+")


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config) -> None:
    from macros.site import pages

    site_dir = Path(config.site_dir)
    _minify(site_dir)
    _no_cdn(site_dir)
    _tag_search_index(site_dir / "search" / "search_index.json", pages.search_keywords(pages.current))


def _tag_search_index(path: Path, keywords: dict[str, list[str]]) -> None:
    """Give each step's search entry its keywords as tags, the field Material's search weighs most."""
    if not keywords or not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
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


def _no_cdn(site_dir: Path) -> None:
    for bundle in (site_dir / "assets" / "javascripts").glob("bundle.*.min.js"):
        source = bundle.read_text(encoding="utf-8")
        patched = _CDN_LOADER.sub("data:text/javascript,", source)
        if patched != source:
            bundle.write_text(patched, encoding="utf-8")
