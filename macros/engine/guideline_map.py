"""The optional guideline map (``playbooks/guideline-map.yaml``): every point of the source guideline, in
short, and the playbooks, nodes, roles, templates, principles and tasks that carry it.

The site shows it as *Reference → Where each guideline lives* when the file exists; every place it names
must exist, so the map cannot point at something that was renamed or removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic
from .files import GUIDELINE_MAP_FILE_NAME
from .models import GuidelineMap, Playbook
from .yaml_reader import Document

FILE_NAME = GUIDELINE_MAP_FILE_NAME
KINDS = ("role", "template", "principle", "task")


@dataclass(frozen=True)
class Place:
    """One place a guideline point lives: a playbook, a node of one, or a role, template, principle or task."""

    kind: str  # "playbook", "node", or one of KINDS
    id: str
    playbook: str = ""  # for nodes, principles and tasks: the playbook that holds them


def places(playbooks: dict[str, Playbook]) -> dict[str, Place]:
    """Every reference a guideline map may use, written as in the file, and what it stands for."""
    found: dict[str, Place] = {}
    for pb in playbooks.values():
        found[pb.id] = Place("playbook", pb.id, pb.id)
        found.update({f"{pb.id}#{node}": Place("node", node, pb.id) for node in pb.tree.nodes})
        found.update({f"role:{role.id}": Place("role", role.id, pb.id) for role in pb.roles})
        found.update({f"template:{t.id}": Place("template", t.id, pb.id) for t in pb.templates})
        found.update({f"principle:{p.id}": Place("principle", p.id, pb.id) for p in pb.principles})
        found.update({f"task:{r.id}": Place("task", r.id, pb.id) for r in pb.responsibilities})
    return found


def check(doc: Document, guideline_map: GuidelineMap, playbooks: dict[str, Playbook]) -> list[Diagnostic]:
    """A located error for every place the map names that no playbook has."""
    known = places(playbooks)
    problems = []
    for index, point in enumerate(guideline_map.points):
        for place_index, ref in enumerate(point.where):
            if ref in known:
                continue
            pos = doc.pos(("points", index, "where", place_index))
            problems.append(
                Diagnostic(doc.path, pos.line, pos.col, "unknown-guideline-place", _message(ref), _hint(ref, known))
            )
    return problems


def _message(ref: str) -> str:
    kind, _, name = ref.partition(":") if ":" in ref else ("node" if "#" in ref else "playbook", "", ref)
    return f"the guideline map names {kind} '{name}', which no playbook has"


def _hint(ref: str, known: dict[str, Place]) -> str:
    prefix = ref.split(":")[0] + ":" if ":" in ref else (ref.split("#")[0] + "#" if "#" in ref else "")
    same_kind = [k for k in known if (k.startswith(prefix) if prefix else (":" not in k and "#" not in k))]
    close = sorted(same_kind, key=lambda k: _distance(k, ref))[:3]
    return f"use one of: {', '.join(close)}" if close else "remove it, or add what it names to a playbook"


def _distance(a: str, b: str) -> int:
    """Edit distance, for suggesting the nearest existing place."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]
