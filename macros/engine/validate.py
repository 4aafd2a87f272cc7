"""Checks across values and files: ids, references, the decision graph, placeholders and freshness.

Input is a set of schema-valid playbooks with the documents they came from (for positions); output
is a list of located diagnostics. Nothing here raises on bad data.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .diagnostics import Diagnostic, Severity
from .graph import Graph, find_cycles, reachable, ref_text, resolve
from .models import PLACEHOLDER_PATTERN, Outcome, Playbook, Question
from .yaml_reader import Document, Key

PLACEHOLDER_USE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_NAME = re.compile(PLACEHOLDER_PATTERN)


@dataclass(frozen=True)
class Loaded:
    """A schema-valid playbook and the file it was read from."""

    path: str
    stem: str
    doc: Document
    playbook: Playbook


class _Report:
    def __init__(self, broken: frozenset[str]) -> None:
        self.items: list[Diagnostic] = []
        self.broken = broken  # roles and templates may be defined in these, so unknown ones are not reported

    def at(
        self,
        item: Loaded,
        loc: Key,
        code: str,
        message: str,
        hint: str = "",
        *,
        key: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> None:
        pos = item.doc.pos(loc, key=key)
        self.items.append(Diagnostic(item.path, pos.line, pos.col, code, message, hint, severity))


def build_graph(items: Iterable[Loaded]) -> Graph:
    graph = Graph()
    for item in items:
        pb = item.playbook
        graph.starts[pb.id] = (pb.id, pb.tree.start)
        for node_id, node in pb.tree.nodes.items():
            key = (pb.id, node_id)
            if isinstance(node, Question):
                graph.edges[key] = [(answer.id, resolve(answer.next, pb.id)) for answer in node.answers]
            else:
                graph.outcomes.add(key)
    return graph


def related_links(items: Iterable[Loaded], graph: Graph) -> dict[tuple[str, str], list[tuple[str, str]]]:
    links: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for item in items:
        for node_id, node in item.playbook.tree.nodes.items():
            if isinstance(node, Outcome):
                targets = [_link_target(link.to, graph) for link in node.related]
                links[(item.playbook.id, node_id)] = [t for t in targets if t is not None]
    return links


def _link_target(to: str, graph: Graph) -> tuple[str, str] | None:
    if "#" in to:
        return resolve(to, "")
    return graph.starts.get(to)


def check(
    items: list[Loaded],
    *,
    today: datetime.date,
    max_age_days: int,
    broken: frozenset[str] = frozenset(),
    graph: Graph | None = None,
) -> list[Diagnostic]:
    """All cross-value checks. ``broken``: stems of files that failed to load; references that could
    point into them are not reported, since the fix there may resolve them. ``graph``: the items' graph,
    when the caller has built it already."""
    report = _Report(broken)
    _check_ids(items, report)
    roles = {role.id for item in items for role in item.playbook.roles}
    templates = {t.id: t for item in items for t in item.playbook.templates}
    playbooks = {item.playbook.id: item.playbook for item in items}
    for item in items:
        _check_roles_and_matrix(item, roles, report)
        _check_nodes(item, roles, templates, playbooks, report)
        for index, template in enumerate(item.playbook.templates):
            _check_placeholders(item, index, report)
            if template.generator:
                _check_generator(item, index, report)
        _check_freshness(item, today, max_age_days, report)
    _check_graph(items, report, graph or build_graph(items), complete=not broken)
    return report.items


def _first_seen(
    report: _Report, seen: dict[str, tuple[Loaded, Key]], value: str, item: Loaded, loc: Key, what: str, code: str
) -> None:
    if value in seen:
        first, first_loc = seen[value]
        pos = first.doc.pos(first_loc)
        where = "" if first.path == item.path else f"{first.path}:"
        thing, attribute = what.rsplit(" ", 1)  # "template file name": "give this template file another name"
        report.at(
            item,
            loc,
            code,
            f"{what} '{value}' is already used ({where}line {pos.line})",
            f"give this {thing} another {attribute}",
        )
    else:
        seen[value] = (item, loc)


def _check_ids(items: list[Loaded], report: _Report) -> None:
    playbook_ids: dict[str, tuple[Loaded, Key]] = {}
    role_ids: dict[str, tuple[Loaded, Key]] = {}
    template_ids: dict[str, tuple[Loaded, Key]] = {}
    task_ids: dict[str, tuple[Loaded, Key]] = {}
    principle_ids: dict[str, tuple[Loaded, Key]] = {}
    filenames: dict[str, tuple[Loaded, Key]] = {}
    for item in items:
        pb = item.playbook
        if pb.id != item.stem:
            report.at(
                item,
                ("id",),
                "id-mismatch",
                f"playbook id '{pb.id}' differs from the file name '{item.stem}'",
                f"rename the file to '{pb.id}.yaml' or set 'id: {item.stem}'",
            )
        _first_seen(report, playbook_ids, pb.id, item, ("id",), "playbook id", "duplicate-id")
        for i, role in enumerate(pb.roles):
            _first_seen(report, role_ids, role.id, item, ("roles", i, "id"), "role id", "duplicate-id")
        for i, template in enumerate(pb.templates):
            _first_seen(report, template_ids, template.id, item, ("templates", i, "id"), "template id", "duplicate-id")
            _first_seen(
                report,
                filenames,
                template.filename,
                item,
                ("templates", i, "filename"),
                "template file name",
                "duplicate-id",
            )
        for i, principle in enumerate(pb.principles):
            _first_seen(
                report, principle_ids, principle.id, item, ("principles", i, "id"), "principle id", "duplicate-id"
            )
        for i, task in enumerate(pb.responsibilities):
            _first_seen(
                report, task_ids, task.id, item, ("responsibilities", i, "id"), "responsibility id", "duplicate-id"
            )


def _unknown_role(
    report: _Report, item: Loaded, loc: Key, role: str | None, roles: set[str], *, key: bool = False
) -> None:
    if role is not None and role not in roles and not report.broken:
        known = ", ".join(sorted(roles)) or "none defined yet"
        report.at(
            item, loc, "unknown-role", f"role '{role}' is not defined in any playbook", f"use one of: {known}", key=key
        )


def _check_roles_and_matrix(item: Loaded, roles: set[str], report: _Report) -> None:
    for i, role in enumerate(item.playbook.roles):
        for j, delegation in enumerate(role.does_not):
            _unknown_role(report, item, ("roles", i, "does_not", j, "instead"), delegation.instead, roles)
            if delegation.instead == role.id:
                report.at(
                    item,
                    ("roles", i, "does_not", j, "instead"),
                    "self-delegation",
                    f"role '{role.id}' hands '{delegation.task}' to itself",
                    "name the role that does it instead",
                )
        for j, link in enumerate(role.appointment):
            _unknown_role(report, item, ("roles", i, "appointment", j, "appointer_role"), link.appointer_role, roles)
    for i, task in enumerate(item.playbook.responsibilities):
        for role in task.raci:
            _unknown_role(report, item, ("responsibilities", i, "raci", role), role, roles, key=True)
        accountable = [role for role, value in task.raci.items() if "A" in value]
        if len(accountable) != 1:
            report.at(
                item,
                ("responsibilities", i, "raci"),
                "raci-accountable",
                f"task '{task.id}' has {len(accountable)} accountable roles, not exactly one",
                "mark one role 'A' (or 'RA' when it also does the work)",
            )
        if not any("R" in value for value in task.raci.values()):
            report.at(
                item,
                ("responsibilities", i, "raci"),
                "raci-responsible",
                f"task '{task.id}' has no responsible role",
                "mark the role that does the work 'R' or 'RA'",
            )


def _check_nodes(
    item: Loaded, roles: set[str], templates: dict, playbooks: dict[str, Playbook], report: _Report
) -> None:
    pb = item.playbook
    nodes = pb.tree.nodes
    local_ids = ", ".join(nodes) or "none"
    if pb.tree.start not in nodes:
        report.at(
            item,
            ("tree", "start"),
            "unknown-start",
            f"start node '{pb.tree.start}' is not a node of this tree",
            f"set 'start' to one of: {local_ids}",
        )
    for node_id, node in nodes.items():
        base: Key = ("tree", "nodes", node_id)
        if isinstance(node, Question):
            _check_question(item, base, node_id, node, playbooks, report)
            continue
        if not node.actions:
            report.at(
                item,
                (*base, "actions"),
                "outcome-without-actions",
                f"outcome '{node_id}' has no actions",
                "list at least one thing to do now",
            )
        for j, action in enumerate(node.actions):
            _unknown_role(report, item, (*base, "actions", j, "owner"), action.owner, roles)
            for k, template in enumerate(action.templates):
                if template not in templates and not report.broken:
                    known = ", ".join(sorted(templates)) or "none defined yet"
                    report.at(
                        item,
                        (*base, "actions", j, "templates", k),
                        "unknown-template",
                        f"template '{template}' is not defined in any playbook",
                        f"use one of: {known}",
                    )
        for j, link in enumerate(node.related):
            other, _, target = link.to.partition("#")
            _check_target(item, (*base, "related", j, "to"), other, target or None, playbooks, report)


def _check_question(
    item: Loaded, base: Key, node_id: str, node: Question, playbooks: dict[str, Playbook], report: _Report
) -> None:
    if not node.answers:
        report.at(
            item,
            (*base, "answers"),
            "dead-end",
            f"question '{node_id}' has no answers, so a walk stops here",
            "add at least two answers, each with a 'next' node",
        )
    elif len(node.answers) == 1:
        report.at(
            item,
            (*base, "answers"),
            "too-few-answers",
            f"question '{node_id}' has only one answer, so it is not a choice",
            "add another answer, or replace the question by its answer's next node",
        )
    ids: dict[str, int] = {}
    labels: dict[str, int] = {}
    for j, answer in enumerate(node.answers):
        loc = (*base, "answers", j)
        if answer.id in ids:
            report.at(
                item,
                (*loc, "id"),
                "duplicate-answer",
                f"answer id '{answer.id}' is used twice in question '{node_id}' (answer {ids[answer.id] + 1})",
                "give each answer its own id",
            )
        ids.setdefault(answer.id, j)
        folded = " ".join(answer.label.casefold().split())
        if folded in labels:
            report.at(
                item,
                (*loc, "label"),
                "duplicate-answer",
                f"label '{answer.label}' is used twice in question '{node_id}' (answer {labels[folded] + 1})",
                "make the answers tell apart",
            )
        labels.setdefault(folded, j)
        other, target = resolve(answer.next, item.playbook.id)
        if other == item.playbook.id and "#" not in answer.next:
            if target not in item.playbook.tree.nodes:
                report.at(
                    item,
                    (*loc, "next"),
                    "dangling-next",
                    f"answer '{answer.id}' leads to '{target}', which is not a node of this tree",
                    f"add a node '{target}' or point to one of: {', '.join(item.playbook.tree.nodes)}",
                )
        else:
            _check_target(item, (*loc, "next"), other, target, playbooks, report)


def _check_target(
    item: Loaded, loc: Key, other: str, target: str | None, playbooks: dict[str, Playbook], report: _Report
) -> None:
    if other in report.broken:
        return
    if other not in playbooks:
        report.at(
            item,
            loc,
            "unknown-playbook",
            f"playbook '{other}' does not exist",
            f"use one of: {', '.join(sorted(playbooks))}",
        )
    elif target is not None and target not in playbooks[other].tree.nodes:
        report.at(
            item,
            loc,
            "unknown-node",
            f"playbook '{other}' has no node '{target}'",
            f"use one of: {', '.join(playbooks[other].tree.nodes)}",
        )


def _check_placeholders(item: Loaded, index: int, report: _Report) -> None:
    template = item.playbook.templates[index]
    loc: Key = ("templates", index, "body")
    raw_body = item.doc.data["templates"][index]["body"]
    used: set[str] = set()
    for match in PLACEHOLDER_USE.finditer(raw_body):
        name = match.group(1).strip()
        if _NAME.fullmatch(name) and name in template.placeholders:
            used.add(name)
            continue  # the common case: no position needed
        pos = item.doc.pos_in_text(loc, match.start())
        where = {"path": item.path, "line": pos.line, "col": pos.col}
        if not _NAME.fullmatch(name):
            report.items.append(
                Diagnostic(
                    **where,
                    code="bad-placeholder",
                    message=f"'{match.group(0)}' is not a placeholder name",
                    hint="write '{{ name }}' with lower-case letters, digits and underscores",
                )
            )
            continue
        used.add(name)
        if name not in template.placeholders:
            report.items.append(
                Diagnostic(
                    **where,
                    code="undeclared-placeholder",
                    message=f"placeholder '{name}' is used but not declared",
                    hint=f"declare '{name}' under 'placeholders' with a description and an example",
                )
            )
    for name in template.placeholders:
        if name not in used:
            report.at(
                item,
                ("templates", index, "placeholders", name),
                "unused-placeholder",
                f"placeholder '{name}' is declared but not used in the body",
                f"use '{{{{ {name} }}}}' in the body or remove the declaration",
                key=True,
            )


def _check_generator(item: Loaded, index: int, report: _Report) -> None:
    """Row groups and the schedule name declared placeholders, and no body line mixes two of them."""
    template = item.playbook.templates[index]
    generator = template.generator
    assert generator is not None
    base: Key = ("templates", index, "generator")
    owner: dict[str, str] = {}
    for gid, group in generator.groups.items():
        for j, name in enumerate(group.fields):
            if name not in template.placeholders:
                report.at(
                    item,
                    (*base, "groups", gid, "fields", j),
                    "unknown-placeholder",
                    f"row group '{gid}' names '{name}', which is not a placeholder of this template",
                    "declare it under 'placeholders' or remove it from the group",
                )
            elif name in owner:
                report.at(
                    item,
                    (*base, "groups", gid, "fields", j),
                    "duplicate-id",
                    f"placeholder '{name}' is already in row group '{owner[name]}'",
                    "keep it in one group",
                )
            owner.setdefault(name, gid)
    if generator.schedule:
        for key in ("placeholder", "start"):
            name = getattr(generator.schedule, key)
            if name not in template.placeholders:
                report.at(
                    item,
                    (*base, "schedule", key),
                    "unknown-placeholder",
                    f"schedule {key} '{name}' is not a placeholder of this template",
                    "declare it under 'placeholders'",
                )
            elif name in owner:
                report.at(
                    item,
                    (*base, "schedule", key),
                    "duplicate-id",
                    f"schedule {key} '{name}' is also in row group '{owner[name]}'",
                    "take it out of the group",
                )
        owner.setdefault(generator.schedule.placeholder, "the schedule")
    raw_body = item.doc.data["templates"][index]["body"]
    offset = 0
    for match_line in raw_body.split("\n"):
        start, offset = offset, offset + len(match_line) + 1
        names = [m.group(1).strip() for m in PLACEHOLDER_USE.finditer(match_line)]
        kinds = {owner.get(name) for name in names}
        if len(kinds) > 1:
            pos = item.doc.pos_in_text(("templates", index, "body"), start)
            described = ", ".join(sorted(k or "single values" for k in kinds))
            report.items.append(
                Diagnostic(
                    item.path,
                    pos.line,
                    pos.col,
                    "mixed-row-line",
                    f"this line mixes placeholders of {described}, so it cannot repeat per row",
                    "put each row group's placeholders on lines of their own",
                )
            )


def _check_freshness(item: Loaded, today: datetime.date, max_age_days: int, report: _Report) -> None:
    age = (today - item.playbook.last_reviewed).days
    if age > max_age_days:
        report.at(
            item,
            ("last_reviewed",),
            "stale-review",
            f"last reviewed {age} days ago, more than the {max_age_days} days allowed",
            "review the playbook with its owner and update 'last_reviewed'",
            severity=Severity.WARNING,
        )
    elif age < 0:
        report.at(
            item,
            ("last_reviewed",),
            "future-review",
            f"last_reviewed is {-age} days in the future",
            "use the date of the last real review",
        )


def _check_graph(items: list[Loaded], report: _Report, graph: Graph, *, complete: bool) -> None:
    by_id = {item.playbook.id: item for item in items}
    roots = [graph.starts[pb_id] for pb_id in graph.starts]
    seen = reachable(graph, roots, related_links(items, graph))
    for item in items:
        for node_id in item.playbook.tree.nodes:
            if (
                complete
                and (item.playbook.id, node_id) not in seen
                and item.playbook.tree.start in item.playbook.tree.nodes
            ):
                report.at(
                    item,
                    ("tree", "nodes", node_id),
                    "unreachable",
                    f"node '{node_id}' cannot be reached from any start",
                    "point an answer at it, or remove it",
                    key=True,
                )
    for source, answer, loop in find_cycles(graph):
        item = by_id[source[0]]
        node = item.playbook.tree.nodes[source[1]]
        assert isinstance(node, Question)
        index = next(i for i, a in enumerate(node.answers) if a.id == answer)
        chain = " → ".join(ref_text(key, source[0]) for key in (*loop, loop[0]))
        report.at(
            item,
            ("tree", "nodes", source[1], "answers", index, "next"),
            "cycle",
            f"answer '{answer}' of '{source[1]}' loops back: {chain}",
            "a walk must always end in an outcome; point this answer further on",
        )
