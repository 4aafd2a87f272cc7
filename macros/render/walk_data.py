"""The data the interactive walker reads: a playbook's tree (and the trees its answers jump into).

Built from the same checked model as everything else and embedded in the page as a ``data-``
attribute (escaped), so the walker needs no network request and never treats text as HTML.
"""

from __future__ import annotations

import json
from typing import Any

from ..engine.graph import resolve
from ..engine.loader import Project
from ..engine.models import Question
from . import links


def reachable_playbooks(project: Project, playbook_id: str) -> list[str]:
    """``playbook_id`` and every playbook an answer can carry a walk into, transitively."""
    found = [playbook_id]
    for current in found:
        for node in project.playbooks[current].tree.nodes.values():
            if isinstance(node, Question):
                for answer in node.answers:
                    other = resolve(answer.next, current)[0]
                    if other not in found:
                        found.append(other)
    return found


def _node(project: Project, playbook_id: str, node_id: str, from_src: str, used: set[str]) -> dict[str, Any]:
    node = project.playbooks[playbook_id].tree.nodes[node_id]
    if isinstance(node, Question):
        return {
            "q": node.question,
            "hint": node.hint or "",
            "answers": [
                {"id": a.id, "label": a.label, "next": list(resolve(a.next, playbook_id))} for a in node.answers
            ],
        }
    actions = []
    for action in node.actions:
        used.update(action.templates)
        actions.append({"text": action.text, "owner": action.owner or "", "templates": action.templates})
    related = []
    for link in node.related:
        target = resolve(link.to, "") if "#" in link.to else project.graph.starts[link.to]
        href = links.relative(from_src, links.page_url(links.playbook_page(target[0])), links.node_anchor(*target))
        related.append({"label": link.label, "href": href})
    return {"title": node.title, "summary": node.summary, "actions": actions, "related": related}


def walk_data(project: Project, playbook_id: str, from_src: str) -> dict[str, Any]:
    used: set[str] = set()
    playbooks = {}
    for pid in reachable_playbooks(project, playbook_id):
        pb = project.playbooks[pid]
        playbooks[pid] = {
            "title": pb.title,
            "start": pb.tree.start,
            "nodes": {nid: _node(project, pid, nid, from_src, used) for nid in pb.tree.nodes},
        }
    roles = {
        rid: {"name": role.name, "href": links.relative(from_src, links.page_url(links.role_page(rid)))}
        for rid, role in project.roles.items()
    }
    templates = {}
    for tid in sorted(used):
        template = project.templates[tid]
        templates[tid] = {
            "title": template.title,
            "body": template.body,
            "href": links.relative(from_src, links.page_url(links.template_page()), links.template_anchor(tid)),
            "download": links.relative(from_src, links.download_path(template.filename)),
            "file": template.filename.rsplit("/", 1)[-1],
        }
    return {"root": playbook_id, "playbooks": playbooks, "roles": roles, "templates": templates}


def walk_json(project: Project, playbook_id: str, from_src: str) -> str:
    return json.dumps(walk_data(project, playbook_id, from_src), ensure_ascii=False, separators=(",", ":"))
