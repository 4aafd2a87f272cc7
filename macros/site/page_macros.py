"""The macros a page may call once it opts in with ``render_macros: true``.

Each macro is a plain function of this module, marked with :func:`macro`; :func:`register` hands every
one of them to mkdocs-macros, and the reference page (*Reference → Macros*) is generated from their
signatures and docstrings by :func:`macro_reference`, so it cannot drift. The first argument of each is
the :class:`Page` that calls it; pages never pass it.

Each returns HTML built from the checked playbooks, with every piece of playbook text escaped, and
with links relative to the page that calls it.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any

from ..engine.loader import Project
from ..render import links
from ..render.flow import flow_mermaid, flow_svg
from ..render.html import block as markdown_block
from ..render.html import el, markdown_text, table
from ..render.plan import compile_template, plan_form
from ..render.principles import principles_list
from ..render.roles import responsibility_legend, responsibility_matrix, role_card, roles_overview
from ..render.templates import template_block, template_list
from ..render.tree import node_item, node_order
from . import pages
from .slots import block


class UnknownName(Exception):
    """A macro was called with an id the playbooks do not have."""

    def __init__(self, kind: str, value: str, known) -> None:
        super().__init__(f"no {kind} '{value}'")
        self.kind, self.value, self.known = kind, value, list(known)


ERRORS: list[str] = []  # located problems of the pages rendered so far; site/hooks.py stops the build on them


def take_errors() -> list[str]:
    """The problems recorded since the last call (and forget them)."""
    found = ERRORS[:]
    ERRORS.clear()
    return found


@dataclass(frozen=True)
class Page:
    """What a macro knows of the page that calls it: the project's playbooks and the page's source path."""

    env: Any  # mkdocs-macros' environment
    root: Path

    @property
    def project(self) -> Project:
        return pages.current if pages.current is not None else pages.load(self.root)

    @property
    def src(self) -> str:
        return self.env.page.file.src_uri

    def locate(self, text: str) -> tuple[int, int]:
        """Line and column of the first macro call on this page that holds ``text`` quoted (else 1, 1)."""
        try:
            lines = (Path(self.env.conf["docs_dir"]) / self.src).read_text(encoding="utf-8").splitlines()
        except OSError:
            return 1, 1
        for number, line in enumerate(lines, 1):
            for quoted in (f"'{text}'", f'"{text}"'):
                if quoted in line and "{{" in line:
                    return number, line.index(quoted) + 1
        return 1, 1


MACROS: list[Callable[..., Any]] = []


def macro(function: Callable[..., Any]) -> Callable[..., Any]:
    """Mark ``function`` as a page macro (registered under its own name, in the order defined here)."""
    MACROS.append(function)
    return function


def register(env) -> None:
    """Give mkdocs-macros every function marked with :func:`macro`, bound to the page that calls it."""
    root = Path(env.conf["config_file_path"]).resolve().parent
    for function in MACROS:
        env.macro(_bound(function, env, root), function.__name__)


def _bound(function: Callable[..., Any], env, root: Path) -> Callable[..., Any]:
    @wraps(function)
    def call(*args, **kwargs):
        page = Page(env, root)
        try:
            return function(page, *args, **kwargs)
        except UnknownName as problem:  # reported as path:line:col by site/hooks.py, never as a traceback
            line, col = page.locate(problem.value)
            known = ", ".join(problem.known[:12]) + (", …" if len(problem.known) > 12 else "")
            hint = f"use one of: {known}" if problem.known else f"the playbooks define no {problem.kind} yet"
            ERRORS.append(
                f"docs/{page.src}:{line}:{col}: error: {function.__name__}(): {problem}; {hint} [unknown-id]"
            )
            return ""

    return call


def _check(kind: str, value: str, known) -> None:
    if value not in known:
        raise UnknownName(kind, value, known)


def _none_yet(sentence: str) -> str:
    return block(el("p", {"class": "icp-notice"}, sentence, " See the playbook format reference to add some."))


def _playbook(page: Page, playbook_id: str) -> None:
    _check("playbook", playbook_id, page.project.playbooks)


@macro
def playbook_list(page: Page) -> str:
    """A start button for every decision tree, in playbook order."""
    cards = [
        el(
            "li",
            None,
            el(
                "a",
                {
                    "class": "icp-start",
                    "href": links.relative(page.src, links.page_url(links.playbook_page(pb.id)), "walk"),
                },
                el("span", {"class": "icp-start__title"}, pb.title),
                el("span", {"class": "icp-start__summary"}, pages.first_sentence(pb.summary)),
            ),
        )
        for pb in page.project.playbooks.values()
    ]
    return block(el("ul", {"class": "icp-starts", "data-icp-style": "starts"}, *cards))


@macro
def ways_in(page: Page) -> str:
    """The situations the playbooks name (`ways_in`), each a button that opens the step for it."""
    items = []
    for pb in page.project.playbooks.values():
        for way in pb.ways_in:
            node = way.at or pb.tree.start
            href = links.relative(page.src, links.page_url(links.playbook_page(pb.id)), links.node_anchor(pb.id, node))
            items.append(el("li", None, el("a", {"class": "icp-way", "href": href}, way.label)))
    if not items:
        return ""
    ways = {"class": "icp-ways", "aria-label": "What is happening?", "data-icp-style": "starts"}
    return block(el("ul", ways, *items))


@macro
def playbook_ids(page: Page) -> list[str]:
    """Ids of all playbooks, in site order (for loops in pages)."""
    return list(page.project.playbooks)


@macro
def playbook_title(page: Page, playbook_id: str) -> str:
    """A playbook's title, escaped for use in Markdown (headings, links) or HTML."""
    _playbook(page, playbook_id)
    return str(markdown_text(page.project.playbooks[playbook_id].title))


@macro
def playbook_tree(page: Page, playbook_id: str) -> str:
    """A playbook's decision tree: one question at a time with JavaScript, a linked map of every node without."""
    _playbook(page, playbook_id)
    return block(pages.tree_widget(page.project, playbook_id, page.src))


@macro
def playbook_meta(page: Page, playbook_id: str) -> str:
    """A playbook's owner, last review date and audience."""
    _playbook(page, playbook_id)
    return block(pages.playbook_meta(page.project, playbook_id))


@macro
def flow(page: Page, playbook_id: str) -> str:
    """The whole flow of a playbook as a picture (SVG drawn at build time)."""
    _playbook(page, playbook_id)
    return block(flow_svg(page.project, playbook_id))


@macro
def flow_mermaid_text(page: Page, playbook_id: str) -> str:
    """The flow of a playbook as Mermaid text, in a code block."""
    _playbook(page, playbook_id)
    return block(el("pre", None, el("code", None, flow_mermaid(page.project, playbook_id))))


@macro
def node(page: Page, playbook_id: str, node_id: str) -> str:
    """One question or outcome of a playbook, as in its map."""
    _playbook(page, playbook_id)
    _check("node", node_id, node_order(page.project.playbooks[playbook_id]))
    item = node_item(page.project, playbook_id, node_id, page.src)
    return block(el("ol", {"class": "icp-map icp-map--single"}, item))


@macro
def role(page: Page, role_id: str) -> str:
    """A role: what it does, what it leaves to whom, who appoints it, its responsibilities."""
    _check("role", role_id, page.project.roles)
    return block(role_card(page.project, role_id, page.src))


@macro
def roles(page: Page) -> str:
    """Every role with a one-line summary and a link to its page."""
    if not page.project.roles:
        return _none_yet("No playbook defines roles yet.")
    return block(roles_overview(page.project, page.src))


@macro
def responsibilities(page: Page, playbook_id: str | None = None) -> str:
    """The responsibility matrix (tasks × roles), of all playbooks or of one."""
    if playbook_id is not None:
        _playbook(page, playbook_id)
    chosen = [page.project.playbooks[playbook_id]] if playbook_id else page.project.playbooks.values()
    if not any(pb.responsibilities for pb in chosen):
        return _none_yet("No playbook defines responsibilities yet.")
    return block(responsibility_matrix(page.project, page.src, playbook_id))


@macro
def responsibility_key(page: Page) -> str:
    """The legend of the responsibility matrix."""
    return block(responsibility_legend())


@macro
def template(page: Page, template_id: str) -> str:
    """A template: its text with a copy button, a download link and its placeholders explained."""
    _check("template", template_id, page.project.templates)
    return block(template_block(page.project, template_id, page.src))


@macro
def templates(page: Page) -> str:
    """Every template of every playbook."""
    if not page.project.templates:
        return _none_yet("No playbook defines templates yet.")
    # through Markdown: each card holds a Markdown heading (md_in_html), for the table of contents and search
    return markdown_block(template_list(page.project, page.src))


@macro
def principles(page: Page) -> str:
    """Every principle of every playbook, each with a link to the playbook that applies it."""
    return block(principles_list(page.project, page.src))


@macro
def has_page(page: Page, src: str) -> bool:
    """Whether the site has the page built from ``src`` (a path under docs/, e.g. ``onboarding/practice.md``);
    some pages exist only when the playbooks hold what they show."""
    return src in pages.generated_pages(page.project) or (page.root / page.env.conf["docs_dir"] / src).is_file()


@macro
def plan_generator(page: Page, template_id: str | None = None) -> str:
    """The plan generator: a form that fills a template with a generator section (by default the first)."""
    fillable = [t for t in page.project.templates.values() if t.generator]
    if template_id is not None:
        _check("fillable template", template_id, [t.id for t in fillable])
        fillable = [t for t in fillable if t.id == template_id]
    if not fillable:  # a site whose playbooks have no fillable template still builds
        return block(
            el(
                "p",
                {"class": "icp-notice"},
                "No template has a generator section, so there is "
                "no plan to generate. See the playbook format reference.",
            )
        )
    chosen = fillable[0]
    labels = {name: p.label or name.replace("_", " ").capitalize() for name, p in chosen.placeholders.items()}
    compiled = compile_template(chosen)
    data = json.dumps({"plan": compiled, "labels": labels}, ensure_ascii=False, separators=(",", ":"))
    download = links.relative(page.src, links.download_path(chosen.filename))
    return block(
        el(
            "div",
            {
                "class": "icp-plan",
                "id": f"plan-{chosen.id}",
                "data-icp-script": "common fill plan",
                "data-icp-style": "widget plan",
                "data-icp-plan": data,
            },
            el(
                "noscript",
                None,
                el(
                    "p",
                    {"class": "icp-plan__nojs icp-notice"},
                    "The plan generator needs JavaScript. Without it, ",
                    el("a", {"href": download}, "download the template"),
                    " and fill it by hand, or run ",
                    el("code", None, "python -m macros plan"),
                    ".",
                ),
            ),
            plan_form(compiled, labels, f"plan-{chosen.id}"),
        )
    )


@macro
def format_reference(page: Page) -> str:
    """Every key of the playbook and organisation files, from the JSON Schema."""
    from ..render.reference import format_reference as render

    return block(render())


@macro
def org(page: Page, key: str) -> str:
    """A name from the organisation file, playbooks/organisation.yaml, as text."""
    names = page.project.organisation.values
    _check("organisation name", key, names)
    return str(markdown_text(names[key]))


@macro
def macro_reference(page: Page) -> str:
    """This table: every macro with its arguments and what it shows, from the code."""
    rows = [
        el("tr", None, el("td", None, el("code", None, _call(function))), el("td", None, _summary(function)))
        for function in MACROS
    ]
    return block(table(["Macro", "What it shows"], rows, caption="Every page macro and what it shows"))


def _call(function: Callable[..., Any]) -> str:
    params = list(inspect.signature(function).parameters.values())[1:]  # without the page
    shown = [p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}" for p in params]
    return f"{function.__name__}({', '.join(shown)})"


def _summary(function: Callable[..., Any]) -> str:
    return inspect.getdoc(function).split("\n\n")[0].replace("\n", " ")


@macro
def incident_workspace(page: Page) -> str:
    """The incident workspace: incidents kept in this browser, their facts, status-page clock, comms log and
    handover, and every template filled from the facts (docs/assets/icp/workspace.js)."""
    from ..render.workspace import workspace_widget
    from ..render.workspace_data import workspace_data

    data = workspace_data(page.project)
    data["playbooks"] = [
        {"id": pb.id, "title": pb.title, "href": links.relative(page.src, links.page_url(links.playbook_page(pb.id)))}
        for pb in page.project.playbooks.values()
    ]
    data["templates_page"] = links.relative(page.src, links.page_url(links.template_page()))
    return block(workspace_widget(data))


@macro
def incident_every_hours(page: Page) -> str:
    """How often the status page must be updated at least, in hours (``incident.status_page_every_hours`` in the
    organisation file)."""
    return str(page.project.organisation.incident.status_page_every_hours)
