"""A playbook's decision tree as plain HTML: every node a section, every answer a link to the next.

This static map works without JavaScript and prints in full; the interactive walker enhances it.
"""

from __future__ import annotations

from collections import deque

from ..engine.graph import resolve
from ..engine.loader import Project
from ..engine.models import Outcome, Playbook, Question
from . import links
from .html import Markup, el, join


def node_order(pb: Playbook) -> list[str]:
    """Node ids in reading order: breadth first from the start, then anything left in file order."""
    order: list[str] = []
    todo = deque([pb.tree.start])
    while todo:
        node_id = todo.popleft()
        if node_id in order or node_id not in pb.tree.nodes:
            continue
        order.append(node_id)
        node = pb.tree.nodes[node_id]
        if isinstance(node, Question):
            todo.extend(a.next for a in node.answers if "#" not in a.next)
    order += [n for n in pb.tree.nodes if n not in order]
    return order


def node_href(project: Project, from_src: str, target: tuple[str, str]) -> str:
    playbook_id, node_id = target
    return links.relative(
        from_src, links.page_url(links.playbook_page(playbook_id)), links.node_anchor(playbook_id, node_id)
    )


def node_title(project: Project, target: tuple[str, str]) -> str:
    node = project.playbooks[target[0]].tree.nodes[target[1]]
    return node.question if isinstance(node, Question) else node.title


def role_link(project: Project, from_src: str, role_id: str) -> Markup:
    role = project.roles[role_id]
    return el("a", {"href": links.relative(from_src, links.page_url(links.role_page(role_id)))}, role.name)


def template_link(project: Project, from_src: str, template_id: str) -> Markup:
    template = project.templates[template_id]
    href = links.relative(from_src, links.page_url(links.template_page()), links.template_anchor(template_id))
    return el("a", {"href": href, "class": "icp-template-link"}, template.title)


def outcome_body(project: Project, pb: Playbook, node: Outcome, from_src: str) -> Markup:
    actions = []
    for action in node.actions:
        extras = []
        if action.owner:
            extras.append(el("span", {"class": "icp-owner"}, "Owner: ", role_link(project, from_src, action.owner)))
        if action.templates:
            template_links = Markup(", ").join(template_link(project, from_src, t) for t in action.templates)
            extras.append(el("span", {"class": "icp-templates"}, "Templates: ", Markup(template_links)))
        actions.append(
            el("li", {"class": "icp-action"}, el("span", {"class": "icp-action__text"}, action.text), *extras)
        )
    related = None
    if node.related:
        items = []
        for link in node.related:
            target = resolve(link.to, "") if "#" in link.to else project.graph.starts[link.to]
            items.append(el("li", None, el("a", {"href": node_href(project, from_src, target)}, link.label)))
        related = el(
            "div",
            {"class": "icp-related"},
            el("p", {"class": "icp-related__title"}, "Continue with"),
            el("ul", None, *items),
        )
    return join(
        [
            el("p", {"class": "icp-node__summary"}, node.summary),
            el("p", {"class": "icp-actions__title"}, "What to do now"),
            el("ul", {"class": "icp-actions"}, *actions),
            related or Markup(""),
        ]
    )


def node_item(project: Project, playbook_id: str, node_id: str, from_src: str, heading: str = "h3") -> Markup:
    """One node as a list item of the map: a question with its answers as links, or an outcome."""
    pb = project.playbooks[playbook_id]
    node = pb.tree.nodes[node_id]
    if isinstance(node, Question):
        answers = []
        for answer in node.answers:
            target = resolve(answer.next, pb.id)
            where = "" if target[0] == pb.id else f" (in “{project.playbooks[target[0]].title}”)"
            answers.append(
                el(
                    "li",
                    None,
                    el(
                        "a",
                        {"class": "icp-answer", "href": node_href(project, from_src, target), "data-answer": answer.id},
                        answer.label,
                    ),
                    el("span", {"class": "icp-answer__next"}, f" → {node_title(project, target)}{where}"),
                )
            )
        body = join(
            [
                el("p", {"class": "icp-node__hint"}, el("strong", None, "Why this matters: "), node.hint)
                if node.hint
                else Markup(""),
                el("ul", {"class": "icp-answers"}, *answers),
            ]
        )
        kind, title = "question", node.question
    else:
        body = outcome_body(project, pb, node, from_src)
        kind, title = "outcome", node.title
    label = "Start: question" if node_id == pb.tree.start else kind.capitalize()
    # the heading holds the anchor, so site search indexes each step as its own section and opens it
    return el(
        "li",
        {"class": f"icp-node icp-node--{kind}", "data-node": node_id},
        el("p", {"class": "icp-node__kind"}, label),
        el(heading, {"class": "icp-node__title", "id": links.node_anchor(pb.id, node_id)}, title),
        body,
    )


def static_map(project: Project, playbook_id: str, from_src: str, heading: str = "h3") -> Markup:
    """Every node of the tree in reading order, answers as links: the tree without JavaScript."""
    pb = project.playbooks[playbook_id]
    items = [node_item(project, playbook_id, node_id, from_src, heading) for node_id in node_order(pb)]
    return el("ol", {"class": "icp-map", "data-playbook": pb.id}, *items)
