"""The data the interactive walker reads: one file per playbook, shared by every page that walks it.

Built from the same checked model as everything else. A tree page names its playbook and where the files
are; the page loads that one file (the browser caches it, and the walker keeps it for the rest of the visit).
The walker fetches the files of the playbooks an answer can jump into after it has drawn the first step, and
those of earlier walks carried in the address from another page when it needs them. No page embeds a
playbook's data, so a page's weight does not grow with the playbooks it can lead to.

Every address in a file is relative to the site root, so one file serves every page; the walker resolves
them against the root the page names.

A file is a script, so that a page can load it with a plain ``<script>`` before the walker and the walker can
start before the first paint. It holds one JSON string (ASCII, every quote and line break escaped) that it
hands to ``JSON.parse``: playbook text never runs as code and never becomes HTML.
"""

from __future__ import annotations

import hashlib
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


def _related_target(project: Project, to: str) -> tuple[str, str]:
    return resolve(to, "") if "#" in to else project.graph.starts[to]


def _node(project: Project, playbook_id: str, node_id: str, roles: set[str], templates: set[str]) -> dict[str, Any]:
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
        templates.update(action.templates)
        if action.owner:
            roles.add(action.owner)
        actions.append({"text": action.text, "owner": action.owner or "", "templates": action.templates})
    related = []
    for link in node.related:
        target = _related_target(project, link.to)
        href = links.page_url(links.playbook_page(target[0])) + "#" + links.node_anchor(*target)
        related.append({"label": link.label, "href": href})
    return {"title": node.title, "summary": node.summary, "actions": actions, "related": related}


def playbook_data(project: Project, playbook_id: str) -> dict[str, Any]:
    """One playbook's walker file: its nodes, and the roles and templates its outcomes name."""
    pb = project.playbooks[playbook_id]
    roles: set[str] = set()
    templates: set[str] = set()
    nodes = {nid: _node(project, playbook_id, nid, roles, templates) for nid in pb.tree.nodes}
    return {
        "id": pb.id,
        "title": pb.title,
        "start": pb.tree.start,
        "href": links.page_url(links.playbook_page(pb.id)),
        # fetched once the walker has drawn its first step: the playbooks an answer can jump into
        "reach": reachable_playbooks(project, playbook_id)[1:],
        "nodes": nodes,
        "roles": {
            rid: {"name": project.roles[rid].name, "href": links.page_url(links.role_page(rid))}
            for rid in sorted(roles)
        },
        "templates": {
            tid: {
                "title": (template := project.templates[tid]).title,
                "body": template.body,
                "href": links.page_url(links.template_page()) + "#" + links.template_anchor(tid),
                "download": links.download_path(template.filename),
                "file": template.filename.rsplit("/", 1)[-1],
            }
            for tid in sorted(templates)
        },
    }


STORE = "window.icpWalks"  # where each file puts its playbook for walker.js


def walk_script(data: dict[str, Any]) -> str:
    """The walker file of one playbook's data: a script that stores it, as a string it parses."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # the second dumps makes a JS string literal: ASCII only, so no U+2028/2029 and no "</script>" either way
    literal = json.dumps(text, ensure_ascii=True).replace("</", "<\\/")
    return f"({STORE} = {STORE} || {{}})[{json.dumps(data['id'])}] = JSON.parse({literal});\n"


def walk_files(project: Project) -> dict[str, str]:
    """Site path → the walker file of every playbook."""
    return {links.walk_file(pid): walk_script(playbook_data(project, pid)) for pid in project.playbooks}


def walk_version(files: dict[str, str]) -> str:
    """A short hash of all the walker files: pages ask for ``<file>?v=<hash>``, so a new build of the site is
    never walked with the data of an old one that a browser kept."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode() + b"\0")
    return digest.hexdigest()[:12]


def walk_attributes(project: Project, playbook_id: str, from_src: str, version: str) -> dict[str, str]:
    """What a tree element tells the walker: which playbook, where the site root and the files are."""
    return {
        "data-icp-walk": playbook_id,
        # the files the page loads before the walker script (the build adds their tags): this playbook's; the
        # walker fetches those its answers lead into once it has drawn the first step
        "data-icp-needs": playbook_id,
        # every playbook of the site: an address naming another one is not fetched
        "data-icp-playbooks": " ".join(project.playbooks),
        "data-icp-root": links.relative(from_src, ""),
        "data-icp-files": links.relative(from_src, links.WALK_DIR + "/"),
        "data-icp-version": version,
    }
