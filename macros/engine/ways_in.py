"""Ways in by situation ("It's a security incident", "I'm handing over"): each must open a step that exists.

They are the first thing on the home page and on *During an incident*, so a label is short and the
list as a whole is short (a phone screen holds about eight big buttons under the heading).
"""

from __future__ import annotations

from .diagnostics import Diagnostic, Severity
from .validate import Loaded

MAX_WAYS_IN = 8


def check(items: list[Loaded]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    seen: dict[str, str] = {}
    total = 0
    for item in items:
        pb = item.playbook
        for index, way in enumerate(pb.ways_in):
            total += 1
            if way.at is not None and way.at not in pb.tree.nodes:
                pos = item.doc.pos(("ways_in", index, "at"))
                problems.append(
                    Diagnostic(
                        item.path,
                        pos.line,
                        pos.col,
                        "unknown-way-in-node",
                        f"way in '{way.label}' opens '{way.at}', which is not a node of this playbook",
                        f"use one of: {', '.join(list(pb.tree.nodes)[:12])}",
                    )
                )
            key = way.label.casefold()
            if key in seen:
                pos = item.doc.pos(("ways_in", index, "label"))
                problems.append(
                    Diagnostic(
                        item.path,
                        pos.line,
                        pos.col,
                        "duplicate-way-in",
                        f"way in '{way.label}' is also offered by playbook '{seen[key]}'",
                        "keep one of them, or tell the two situations apart in their labels",
                    )
                )
            seen[key] = pb.id
    if total > MAX_WAYS_IN:
        first = next(item for item in items if item.playbook.ways_in)
        pos = first.doc.pos(("ways_in",), key=True)
        problems.append(
            Diagnostic(
                first.path,
                pos.line,
                pos.col,
                "too-many-ways-in",
                f"{total} ways in across the playbooks; more than {MAX_WAYS_IN} no longer fit one phone screen",
                "keep the situations people meet most; the rest stay reachable from each playbook",
                Severity.WARNING,
            )
        )
    return problems
