"""MkDocs hooks: fresh code on every build, playbooks checked before anything renders, pages generated.

Listed under ``hooks:`` in mkdocs.yml. All knowledge of MkDocs stays in this file and in
``define_env`` (``macros/__init__.py``); the rest of the package is plain Python.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

log = logging.getLogger("mkdocs.plugins.playbooks")


@event_priority(100)  # before the macros plugin imports the package
def on_config(config):
    # `mkdocs serve` rebuilds in the same process: drop the package so edits to macros/**/*.py take effect
    for name in [m for m in sys.modules if m == "macros" or m.startswith("macros.")]:
        del sys.modules[name]
    root = Path(config.config_file_path).resolve().parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from macros.site import pages
    from macros.engine.diagnostics import errors, warnings

    project = pages.load(root)
    for diagnostic in warnings(project.diagnostics):
        log.info(str(diagnostic))  # stale reviews must not fail a strict build on a later date
    problems = errors(project.diagnostics)
    if problems:
        lines = "\n".join(str(d) for d in problems)
        raise PluginError(f"playbooks are invalid ({len(problems)} problems):\n{lines}")
    _extend_nav(config, pages.nav_entries(project))
    return config


def _extend_nav(config, entries: dict[str, list[str]]) -> None:
    def visit(items):
        for index, item in enumerate(list(items)):
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                visit(value)
            elif value in entries:
                items[index + 1 : index + 1] = entries[value]

    if config.nav:
        visit(config.nav)


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
STYLE_SOURCES = tuple(f"assets/icp/{name}" for name in ("common.css", "tree.css", "flow.css", "templates.css", "plan.css"))
STYLESHEET = "assets/icp/icp.css"
# The project's own scripts and styles, minified in the built site (the sources stay readable).
OWN_ASSETS = tuple(f"assets/icp/{name}" for name in ("common.js", "walker.js", "plan.js")) + (STYLESHEET,)


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


def on_post_build(config) -> None:
    site_dir = Path(config.site_dir)
    _minify(site_dir)
    _no_cdn(site_dir)


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
