"""Checks across values and files: ids, references, the decision graph, placeholders and freshness.

Input is a set of schema-valid playbooks with the documents they came from (for positions); output
is a list of located diagnostics. Nothing here raises on bad data.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .diagnostics import Diagnostic, Severity
from .graph import Graph, NodeKey, find_cycles, reachable, ref_text, resolve
from .models import ID_PATTERN, PLACEHOLDER_PATTERN, Outcome, Playbook, Question
from .yaml_reader import Document, Key

PLACEHOLDER_USE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_NAME = re.compile(PLACEHOLDER_PATTERN)
_ID = re.compile(ID_PATTERN)
ID_MAX = 64  # the models' limit for an id

# Ids whose page would be a hand-written one: the site puts a playbook at playbooks/<id>.md and a role at
# roles/<id>.md (macros/render/links.py), and playbooks/index.md and roles/index.md are the hand-written
# lists, which win, so a playbook or role called 'index' would have no page and its links would open the list.
PAGE_IDS = frozenset({"index"})


@dataclass(frozen=True)
class Loaded:
    """A schema-valid playbook and the file it was read from."""

    path: str
    stem: str
    doc: Document
    playbook: Playbook


class _Report:
    def __init__(self, broken: frozenset[str], graph: Graph) -> None:
        self.items: list[Diagnostic] = []
        self.broken = broken  # roles and templates may be defined in these, so unknown ones are not reported
        self.graph = graph
        self.reserved = PAGE_IDS  # playbook ids no playbook may have (and so no link may name), set by _check_ids
        self._into: dict[NodeKey, list[NodeKey]] | None = None
        self._leading_to: dict[NodeKey, set[NodeKey]] = {}

    def leading_to(self, key: NodeKey) -> set[NodeKey]:
        """``key`` and every node from which answers lead to it: an answer of ``key`` pointed at one of them
        would close a loop, so hints never suggest them (computed for the few nodes a hint needs it for)."""
        if key not in self._leading_to:
            if self._into is None:
                self._into = {}
                for source, answers in self.graph.edges.items():
                    for _, target in answers:
                        self._into.setdefault(target, []).append(source)
            seen, todo = {key}, [key]
            while todo:
                for source in self._into.get(todo.pop(), ()):
                    if source not in seen:
                        seen.add(source)
                        todo.append(source)
            self._leading_to[key] = seen
        return self._leading_to[key]

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
    other_files: Iterable[str] = (),
) -> list[Diagnostic]:
    """All cross-value checks. ``broken``: stems of files that failed to load; references that could
    point into them are not reported, since the fix there may resolve them. ``graph``: the items' graph,
    when the caller has built it already. ``other_files``: names of files in a playbook folder that are
    not read as playbooks (``organisation.yaml``), so no playbook can have their name as its id."""
    graph = graph or build_graph(items)
    report = _Report(broken, graph)
    _check_ids(items, report, frozenset(other_files))
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
    _check_graph(items, report, graph, complete=not broken)
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


def _slug(text: str) -> str:
    """``text`` as an id: accents dropped, runs of other characters a hyphen (``Foo Bar`` → ``foo-bar``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:ID_MAX].strip("-")


def _free_id(wanted: Iterable[str], taken: set[str], fallback: str) -> str:
    """The first of ``wanted`` (made into ids) that is a valid id nobody has, else ``fallback``, numbered if need be."""
    for text in wanted:
        candidate = _slug(text)
        if candidate and candidate not in taken and candidate not in PAGE_IDS:
            return candidate
    base = _slug(fallback) or "item"
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _usable_id(text: str, taken: set[str], reserved: frozenset[str]) -> bool:
    return bool(_ID.fullmatch(text)) and len(text) <= ID_MAX and text not in taken and text not in reserved


def _links_to_playbook(items: list[Loaded], playbook_id: str) -> int:
    """How many answers and related links name playbook ``playbook_id`` (they change with its id)."""
    count = 0
    for item in items:
        for node in item.playbook.tree.nodes.values():
            if isinstance(node, Question):
                count += sum(answer.next.startswith(f"{playbook_id}#") for answer in node.answers)
            else:
                count += sum(link.to.partition("#")[0] == playbook_id for link in node.related)
    return count


def _references_to_role(items: list[Loaded], role_id: str) -> int:
    """How many owners, delegations, appointers and matrix columns name role ``role_id``."""
    count = 0
    for item in items:
        pb = item.playbook
        for role in pb.roles:
            count += sum(d.instead == role_id for d in role.does_not)
            count += sum(a.appointer_role == role_id for a in role.appointment)
        count += sum(role_id in task.raci for task in pb.responsibilities)
        for node in pb.tree.nodes.values():
            count += sum(action.owner == role_id for action in getattr(node, "actions", ()))
    return count


def _and_references(count: int, what: str) -> str:
    return f", and change the {count} {what}{'s' * (count != 1)} to it" if count else ""


def _check_reserved(items: list[Loaded], report: _Report, other_files: frozenset[str]) -> set[str]:
    """A ``reserved-id`` error for each playbook or role id the site or the playbook folder keeps for itself;
    returns the paths of the playbooks whose own id is reserved (their id and file name are fixed together)."""
    file_ids = {name.rsplit(".", 1)[0]: name for name in other_files}
    reserved = report.reserved
    role_ids = {role.id for item in items for role in item.playbook.roles}
    fixed: set[str] = set()
    for item in items:
        pb = item.playbook
        if pb.id in reserved:
            fixed.add(item.path)
            if pb.id in PAGE_IDS:
                why = f"playbooks/{pb.id}.md is the list of playbooks, so this playbook would get no page of its own"
            else:
                why = f"a file '{file_ids[pb.id]}' beside the playbooks is not read as a playbook"
            others = [other for other in items if other is not item]
            ids, stems = {other.playbook.id for other in others}, {other.stem for other in others}
            if _usable_id(item.stem, ids, reserved):  # the file's name is a free id: keep it, change the id
                fix = f"set 'id: {item.stem}'"
            else:
                new = _free_id([item.stem, pb.title], ids | stems | reserved, f"{pb.id}-playbook")
                fix = f"set 'id: {new}' and rename the file to '{new}.yaml'"
            report.at(
                item,
                ("id",),
                "reserved-id",
                f"playbook id '{pb.id}' is reserved: {why}",
                fix + _and_references(_links_to_playbook(items, pb.id), "link"),
            )
        for i, role in enumerate(pb.roles):
            if role.id in PAGE_IDS:
                new = _free_id([role.name], role_ids, f"{role.id}-role")
                report.at(
                    item,
                    ("roles", i, "id"),
                    "reserved-id",
                    f"role id '{role.id}' is reserved: roles/{role.id}.md is the list of roles, "
                    "so this role would get no page of its own",
                    f"give the role another id, e.g. 'id: {new}'"
                    + _and_references(_references_to_role(items, role.id), "reference"),
                )
    return fixed


def _id_mismatch_hint(items: list[Loaded], item: Loaded, reserved: frozenset[str]) -> str:
    """Renaming the file, or setting the id, whichever leaves a valid pair that no other playbook has."""
    pb = item.playbook
    others = [other for other in items if other is not item]
    stems, ids = {other.stem for other in others}, {other.playbook.id for other in others}
    fixes = []
    if pb.id not in stems:
        fixes.append(f"rename the file to '{pb.id}.yaml'")
    if _usable_id(item.stem, ids, reserved):
        fixes.append(f"set 'id: {item.stem}'")
    if not fixes:
        new = _free_id([item.stem, pb.title], stems | ids | reserved, f"{pb.id}-playbook")
        fixes.append(f"set 'id: {new}' and rename the file to '{new}.yaml'")
    return " or ".join(fixes)


def _check_ids(items: list[Loaded], report: _Report, other_files: frozenset[str] = frozenset()) -> None:
    report.reserved = PAGE_IDS | frozenset(name.rsplit(".", 1)[0] for name in other_files)
    fixed = _check_reserved(items, report, other_files)
    reserved = report.reserved
    playbook_ids: dict[str, tuple[Loaded, Key]] = {}
    role_ids: dict[str, tuple[Loaded, Key]] = {}
    template_ids: dict[str, tuple[Loaded, Key]] = {}
    task_ids: dict[str, tuple[Loaded, Key]] = {}
    principle_ids: dict[str, tuple[Loaded, Key]] = {}
    filenames: dict[str, tuple[Loaded, Key]] = {}
    for item in items:
        pb = item.playbook
        if pb.id != item.stem and item.path not in fixed:  # a reserved id: its hint renames both
            report.at(
                item,
                ("id",),
                "id-mismatch",
                f"playbook id '{pb.id}' differs from the file name '{item.stem}'",
                _id_mismatch_hint(items, item, reserved),
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
    report: _Report,
    item: Loaded,
    loc: Key,
    role: str | None,
    roles: set[str],
    *,
    key: bool = False,
    besides: Iterable[str] = (),
) -> None:
    """``besides``: roles that would not do here either (the role itself, columns the row already has)."""
    if role is not None and role not in roles and not report.broken:
        usable = sorted(roles - set(besides))
        hint = f"use one of: {', '.join(usable)}" if usable else f"define a role '{role}' under 'roles'"
        report.at(item, loc, "unknown-role", f"role '{role}' is not defined in any playbook", hint, key=key)


def _check_roles_and_matrix(item: Loaded, roles: set[str], report: _Report) -> None:
    for i, role in enumerate(item.playbook.roles):
        for j, delegation in enumerate(role.does_not):
            _unknown_role(
                report, item, ("roles", i, "does_not", j, "instead"), delegation.instead, roles, besides=[role.id]
            )
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
            loc = ("responsibilities", i, "raci", role)
            _unknown_role(report, item, loc, role, roles, key=True, besides=task.raci)
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
    if pb.tree.start not in nodes:
        firsts = _first_nodes(item, report.graph) or list(nodes)
        if not firsts:
            hint = f"add the first question or outcome under 'nodes' as '{pb.tree.start}'"
        elif len(firsts) == 1:
            hint = f"set 'start' to '{firsts[0]}'"
        else:
            hint = f"set 'start' to one of: {', '.join(firsts)}"
        report.at(
            item,
            ("tree", "start"),
            "unknown-start",
            f"start node '{pb.tree.start}' is not a node of this tree",
            hint,
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
                    known = ", ".join(sorted(templates))
                    report.at(
                        item,
                        (*base, "actions", j, "templates", k),
                        "unknown-template",
                        f"template '{template}' is not defined in any playbook",
                        f"use one of: {known}" if known else f"define a template '{template}' under 'templates'",
                    )
        for j, link in enumerate(node.related):
            other, _, target = link.to.partition("#")
            _check_target(item, (*base, "related", j, "to"), other, target or None, playbooks, report)


def _first_nodes(item: Loaded, graph: Graph) -> list[str]:
    """Nodes of the playbook no answer leads to: a walk can begin only there (with more than one, some stay
    unreachable whichever starts)."""
    pb_id = item.playbook.id
    targets = {target for answers in graph.edges.values() for _, target in answers}
    return [node for node in item.playbook.tree.nodes if (pb_id, node) not in targets]


def _choices(nodes: Iterable[str], playbook_id: str, loops: set[NodeKey]) -> list[str]:
    return [node for node in nodes if (playbook_id, node) not in loops]


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
                # not this question, nor a node that leads back to it: that would be a loop
                loops = report.leading_to((item.playbook.id, node_id))
                choices = _choices(item.playbook.tree.nodes, item.playbook.id, loops)
                report.at(
                    item,
                    (*loc, "next"),
                    "dangling-next",
                    f"answer '{answer.id}' leads to '{target}', which is not a node of this tree",
                    f"add a node '{target}'" + (f" or point to one of: {', '.join(choices)}" if choices else ""),
                )
        else:
            _check_target(item, (*loc, "next"), other, target, playbooks, report, source=(item.playbook.id, node_id))


def _check_target(
    item: Loaded,
    loc: Key,
    other: str,
    target: str | None,
    playbooks: dict[str, Playbook],
    report: _Report,
    *,
    source: NodeKey | None = None,
) -> None:
    """``source``: the question whose answer this is (its choices must not loop back to it); none for links."""
    if other in report.broken:
        return
    if other not in playbooks:
        if source is None:  # a related link: any playbook will do
            hint = f"use one of: {', '.join(sorted(playbooks))}"
        else:  # an answer: 'playbook#node' of another playbook, or a node of this one that does not loop back
            others = sorted(set(playbooks) - {item.playbook.id})
            loops = report.leading_to(source)
            here = _choices(item.playbook.tree.nodes, item.playbook.id, loops)
            fixes = [] if other in report.reserved else [f"add a playbook '{other}' with a node '{target}'"]
            if others:
                fixes.append(f"point to a node of one of: {', '.join(others)} (as 'playbook-id#node-id')")
            if here:
                fixes.append(f"point to a node of this playbook: {', '.join(here)}")
            hint = ", or ".join(fixes) or "point to a node that exists"
        report.at(item, loc, "unknown-playbook", f"playbook '{other}' does not exist", hint)
    elif target is not None and target not in playbooks[other].tree.nodes:
        loops = report.leading_to(source) if source is not None else set()
        choices = _choices(playbooks[other].tree.nodes, other, loops)
        report.at(
            item,
            loc,
            "unknown-node",
            f"playbook '{other}' has no node '{target}'",
            f"use one of: {', '.join(choices)}" if choices else f"add a node '{target}' to playbook '{other}'",
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
        if generator.schedule.check_before_minutes >= generator.schedule.every_hours * 60:
            report.at(
                item,
                (*base, "schedule", "check_before_minutes"),
                "schedule-check-too-early",
                "the check would come before the last update itself",
                f"check less than {generator.schedule.every_hours * 60} minutes before an update is due",
            )
        for key in ("placeholder", "last_update"):
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
