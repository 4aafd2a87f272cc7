"""A playbook's decision tree as plain HTML: every node a section, every answer a link to the next.

The whole map is on the playbook's page of steps (``playbooks/<id>/steps/``): it works without JavaScript
and prints in full. The playbook's own page carries only the steps a walk can begin at (its first question,
the steps that ways in and other playbooks lead to), which the interactive walker takes over; their answers
lead on to the page of steps. So a playbook's page weighs the same with 50 steps as with 3,000.

The walker's links name a step and the answers given after it: ``#<playbook>--<node>/<answer>/...``.
Without JavaScript nothing can read those answers, so each node of the map also carries an empty
anchor for every such link that starts there: a shared link then lands on the step it starts from,
with a note saying the answers after it were not replayed.
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
    """A link to a step on its playbook's page, where the walker opens it (a step a walk can begin at)."""
    playbook_id, node_id = target
    return links.relative(
        from_src, links.page_url(links.playbook_page(playbook_id)), links.node_anchor(playbook_id, node_id)
    )


def step_href(project: Project, from_src: str, target: tuple[str, str]) -> str:
    """A link to a step on its playbook's page of steps, where every step is (the map's answers)."""
    playbook_id, node_id = target
    return links.relative(
        from_src, links.page_url(links.steps_page(playbook_id)), links.node_anchor(playbook_id, node_id)
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


DEEP_LINKS_PER_NODE = 200  # anchors for the walker's links at most, shortest first (trees are bounded, still)
DEEP_LINK_NOTE = (
    "You opened a link to a walk through this tree. Without JavaScript the answers in that link cannot be "
    "replayed, so it opens here, at the step it starts from: follow the answers from here."
)
NO_SCRIPT_NOTE = (
    "JavaScript is off, so the steps are shown as links: every answer opens the step it leads to, on the page "
    "of all the steps. A link to a walk with answers in it opens at the step the walk starts from; the answers "
    "after it cannot be replayed without JavaScript."
)


def entry_nodes(project: Project, playbook_id: str) -> set[str]:
    """The steps a walk in this playbook can begin at, so its links start there: the first question, each way
    in that names a step, and each step another playbook's outcome continues with."""
    pb = project.playbooks[playbook_id]
    found = {pb.tree.start, *(way.at for way in pb.ways_in if way.at)}
    for other in project.playbooks.values():
        for node in other.tree.nodes.values():
            for link in [] if isinstance(node, Question) else node.related:
                pid, nid = resolve(link.to, "") if "#" in link.to else project.graph.starts[link.to]
                if pid == playbook_id:
                    found.add(nid)
    return found


def walk_links(project: Project, playbook_id: str, node_id: str, limit: int = DEEP_LINKS_PER_NODE) -> list[str]:
    """The fragments of the walker's links that start at this node (``<playbook>--<node>/<answer>/...``, with
    one answer or more, following answers into other playbooks as the walker does), shortest first."""
    found: list[str] = []
    todo = deque([((playbook_id, node_id), links.node_anchor(playbook_id, node_id))])
    while todo and len(found) < limit:
        (pid, nid), prefix = todo.popleft()
        node = project.playbooks[pid].tree.nodes[nid]
        if isinstance(node, Question):
            for answer in node.answers:
                fragment = f"{prefix}/{answer.id}"
                found.append(fragment)
                todo.append((resolve(answer.next, pid), fragment))
    return found[:limit]


def node_item(
    project: Project, playbook_id: str, node_id: str, from_src: str, heading: str = "h3", *, deep_links: bool = False
) -> Markup:
    """One node as a list item of the map: a question with its answers as links, or an outcome.

    ``deep_links``: also the anchors of the walker's links that start here (only once on a page, in the map, and
    only at the steps a walk can begin at: the anchors a page carries are bounded by its entry steps)."""
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
                        {"class": "icp-answer", "href": step_href(project, from_src, target), "data-answer": answer.id},
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
    anchors = walk_links(project, playbook_id, node_id) if deep_links else []
    # the heading holds the anchor, so site search indexes each step as its own section and opens it
    return el(
        "li",
        {"class": f"icp-node icp-node--{kind}", "data-node": node_id},
        *[el("span", {"class": "icp-deep", "id": fragment}) for fragment in anchors],
        el("p", {"class": "icp-node__kind"}, label),
        el(heading, {"class": "icp-node__title", "id": links.node_anchor(pb.id, node_id)}, title),
        el("p", {"class": "icp-notice icp-deep__note"}, DEEP_LINK_NOTE) if anchors else None,
        body,
    )


def entry_map(project: Project, playbook_id: str, from_src: str, heading: str = "h3") -> Markup:
    """The steps a walk can begin at, in reading order (the first question first), with the anchors of the walker's
    links that start there: what the walker takes over, and what a reader without JavaScript starts from. Left
    out of site search (``data-search-exclude``): the page of steps is searched, for every step."""
    pb = project.playbooks[playbook_id]
    entries = entry_nodes(project, playbook_id)
    items = [
        node_item(project, playbook_id, node_id, from_src, heading, deep_links=True)
        for node_id in node_order(pb)
        if node_id in entries
    ]
    return join(
        [
            el("noscript", None, el("p", {"class": "icp-notice icp-map__nojs"}, NO_SCRIPT_NOTE)),
            el("ol", {"class": "icp-map", "data-playbook": pb.id, "data-search-exclude": True}, *items),
        ]
    )


def static_map(project: Project, playbook_id: str, from_src: str, heading: str = "h3") -> Markup:
    """Every node of the tree in reading order, answers as links: the tree without JavaScript, and in print."""
    pb = project.playbooks[playbook_id]
    items = [node_item(project, playbook_id, node_id, from_src, heading) for node_id in node_order(pb)]
    return el("ol", {"class": "icp-map icp-map--all", "data-playbook": pb.id, "data-icp-style": "tree"}, *items)
