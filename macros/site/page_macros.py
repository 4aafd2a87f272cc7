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
from ..render.html import Markup, block, el, markdown_text, table
from ..render.plan import compile_template
from ..render.roles import responsibility_legend, responsibility_matrix, role_card, roles_overview
from ..render.templates import template_block, template_list
from ..render.tree import node_item, node_order
from . import pages


class UnknownName(Exception):
    pass


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
        return function(Page(env, root), *args, **kwargs)

    return call


def _check(kind: str, value: str, known) -> None:
    if value not in known:
        raise UnknownName(f"no {kind} '{value}'; known: {', '.join(known)}")


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
    return block(el("ul", {"class": "icp-starts"}, *cards))


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
    return block(roles_overview(page.project, page.src))


@macro
def responsibilities(page: Page, playbook_id: str | None = None) -> str:
    """The responsibility matrix (tasks × roles), of all playbooks or of one."""
    if playbook_id is not None:
        _playbook(page, playbook_id)
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
    return block(template_list(page.project, page.src))


@macro
def principles(page: Page) -> str:
    """Every principle of every playbook, each with a link to the playbook that applies it."""
    sections = []
    for pb in page.project.playbooks.values():
        href = links.relative(page.src, links.page_url(links.playbook_page(pb.id)), "walk")
        sections += [_principle(item, pb.title, href) for item in pb.principles]
    return block(el("div", {"class": "icp-principles"}, *sections))


def _principle(item, playbook_title: str, href: str) -> Markup:
    return el(
        "section",
        {"class": "icp-principle", "id": f"principle-{item.id}"},
        el("h2", None, item.title),
        el("p", None, item.text),
        el("ul", None, *[el("li", None, line) for line in item.in_practice]) if item.in_practice else None,
        el("p", {"class": "icp-principle__where"}, "Applied in: ", el("a", {"href": href}, playbook_title)),
    )


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
    data = json.dumps({"plan": compile_template(chosen), "labels": labels}, ensure_ascii=False, separators=(",", ":"))
    download = links.relative(page.src, links.download_path(chosen.filename))
    return block(
        el(
            "div",
            {"class": "icp-plan", "id": f"plan-{chosen.id}", "data-icp-plan": data},
            el(
                "p",
                {"class": "icp-plan__nojs icp-notice"},
                "The plan generator needs JavaScript. Without it, ",
                el("a", {"href": download}, "download the template"),
                " and fill it by hand, or run ",
                el("code", None, "python -m macros plan"),
                ".",
            ),
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
    names = page.project.organisation.names
    _check("organisation name", key, names)
    return str(el("span", None, names[key]))


@macro
def macro_reference(page: Page) -> str:
    """This table: every macro with its arguments and what it shows, from the code."""
    rows = [
        el("tr", None, el("td", None, el("code", None, _call(function))), el("td", None, _summary(function)))
        for function in MACROS
    ]
    return block(table(["Macro", "What it shows"], rows))


def _call(function: Callable[..., Any]) -> str:
    params = list(inspect.signature(function).parameters.values())[1:]  # without the page
    shown = [p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}" for p in params]
    return f"{function.__name__}({', '.join(shown)})"


def _summary(function: Callable[..., Any]) -> str:
    return inspect.getdoc(function).split("\n\n")[0].replace("\n", " ")
