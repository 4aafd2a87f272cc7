"""The macros a page may call once it opts in with ``render_macros: true`` (documented in docs/reference/macros.md).

Each returns HTML built from the checked playbooks, with every piece of playbook text escaped, and
with links relative to the page that calls it.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import links, site
from .html import block, el, markdown_text
from .loader import Project
from .plan import compile_template
from .render_flow import flow_mermaid, flow_svg
from .render_roles import responsibility_legend, responsibility_matrix, role_card, roles_overview
from .render_templates import template_block, template_list
from .render_tree import node_item, node_order


class UnknownName(Exception):
    pass


def _check(kind: str, value: str, known) -> None:
    if value not in known:
        raise UnknownName(f"no {kind} '{value}'; known: {', '.join(known)}")


def register(env) -> None:
    root = Path(env.conf["config_file_path"]).resolve().parent

    def project() -> Project:
        return site.current if site.current is not None else site.load(root)

    def page_src() -> str:
        return env.page.file.src_uri

    @env.macro
    def playbook_list() -> str:
        """Big start buttons, one per decision tree, in playbook order."""
        p = project()
        cards = [
            el(
                "li",
                None,
                el(
                    "a",
                    {
                        "class": "icp-start",
                        "href": links.relative(page_src(), links.page_url(links.playbook_page(pb.id)), "walk"),
                    },
                    el("span", {"class": "icp-start__title"}, pb.title),
                    el("span", {"class": "icp-start__summary"}, site.first_sentence(pb.summary)),
                ),
            )
            for pb in p.playbooks.values()
        ]
        return block(el("ul", {"class": "icp-starts"}, *cards))

    @env.macro
    def playbook_ids() -> list[str]:
        """Ids of all playbooks, in site order (for loops in pages)."""
        return list(project().playbooks)

    @env.macro
    def playbook_title(playbook_id: str) -> str:
        """A playbook's title, escaped for use in Markdown (headings, links) or HTML."""
        _check("playbook", playbook_id, project().playbooks)
        return str(markdown_text(project().playbooks[playbook_id].title))

    @env.macro
    def playbook_tree(playbook_id: str) -> str:
        """The decision tree of a playbook: interactive with JavaScript, a linked map without."""
        _check("playbook", playbook_id, project().playbooks)
        return block(site.tree_widget(project(), playbook_id, page_src()))

    @env.macro
    def playbook_meta(playbook_id: str) -> str:
        _check("playbook", playbook_id, project().playbooks)
        return block(site.playbook_meta(project(), playbook_id))

    @env.macro
    def flow(playbook_id: str) -> str:
        """The whole flow of a playbook as a picture."""
        _check("playbook", playbook_id, project().playbooks)
        return block(flow_svg(project(), playbook_id))

    @env.macro
    def flow_mermaid_text(playbook_id: str) -> str:
        """The flow as Mermaid text, in a code block."""
        _check("playbook", playbook_id, project().playbooks)
        return block(el("pre", None, el("code", None, flow_mermaid(project(), playbook_id))))

    @env.macro
    def node(playbook_id: str, node_id: str) -> str:
        """One question or outcome of a playbook, as in its map."""
        p = project()
        _check("playbook", playbook_id, p.playbooks)
        _check("node", node_id, node_order(p.playbooks[playbook_id]))
        return block(el("ol", {"class": "icp-map icp-map--single"}, node_item(p, playbook_id, node_id, page_src())))

    @env.macro
    def role(role_id: str) -> str:
        """A role: what it does, what it leaves to whom, who appoints it, its responsibilities."""
        _check("role", role_id, project().roles)
        return block(role_card(project(), role_id, page_src()))

    @env.macro
    def roles() -> str:
        """All roles with a one-line summary and a link to each role's page."""
        return block(roles_overview(project(), page_src()))

    @env.macro
    def responsibilities(playbook_id: str | None = None) -> str:
        """The responsibility matrix (tasks × roles), of one playbook or of all."""
        if playbook_id is not None:
            _check("playbook", playbook_id, project().playbooks)
        return block(responsibility_matrix(project(), page_src(), playbook_id))

    @env.macro
    def responsibility_key() -> str:
        """The legend of the responsibility matrix."""
        return block(responsibility_legend())

    @env.macro
    def template(template_id: str) -> str:
        """A template: text with copy button, download link and its placeholders explained."""
        _check("template", template_id, project().templates)
        return block(template_block(project(), template_id, page_src()))

    @env.macro
    def templates() -> str:
        """Every template of every playbook."""
        return block(template_list(project(), page_src()))

    @env.macro
    def principles() -> str:
        """Every principle of every playbook, each with a link to the playbook that applies it."""
        p = project()
        sections = []
        for pb in p.playbooks.values():
            href = links.relative(page_src(), links.page_url(links.playbook_page(pb.id)), "walk")
            for item in pb.principles:
                sections.append(
                    el(
                        "section",
                        {"class": "icp-principle", "id": f"principle-{item.id}"},
                        el("h2", None, item.title),
                        el("p", None, item.text),
                        el("ul", None, *[el("li", None, line) for line in item.in_practice])
                        if item.in_practice
                        else None,
                        el("p", {"class": "icp-principle__where"}, "Applied in: ", el("a", {"href": href}, pb.title)),
                    )
                )
        return block(el("div", {"class": "icp-principles"}, *sections))

    @env.macro
    def plan_generator(template_id: str | None = None) -> str:
        """The plan generator: a form that fills a template with a generator section (default: the first)."""
        p = project()
        fillable = [t for t in p.templates.values() if t.generator]
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
        template = fillable[0]
        compiled = compile_template(template)
        labels = {name: p.label or name.replace("_", " ").capitalize() for name, p in template.placeholders.items()}
        data = json.dumps({"plan": compiled, "labels": labels}, ensure_ascii=False, separators=(",", ":"))
        download = links.relative(page_src(), links.download_path(template.filename))
        return block(
            el(
                "div",
                {"class": "icp-plan", "id": f"plan-{template.id}", "data-icp-plan": data},
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

    @env.macro
    def format_reference() -> str:
        """Every key of the playbook and organisation files, from the JSON Schema."""
        from .render_reference import format_reference as render

        return block(render())

    @env.macro
    def org(key: str) -> str:
        """An organisation name from playbooks/organisation.yaml, escaped."""
        names = project().organisation.names
        _check("organisation name", key, names)
        return str(el("span", None, names[key]))
