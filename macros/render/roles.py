"""Roles and responsibilities: role cards, the roles overview and the responsibility (RACI) matrix."""

from __future__ import annotations

from ..engine.loader import Project
from ..engine.models import Appointment
from . import links
from .html import Markup, el, join, table
from .tree import role_link

RACI_NAMES = {
    "R": ("Responsible", "does the work"),
    "A": ("Accountable", "owns the result and signs it off; exactly one per task"),
    "C": ("Consulted", "asked before or during the work"),
    "I": ("Informed", "kept up to date"),
}


def _cell(value: str) -> Markup:
    names = " and ".join(RACI_NAMES[letter][0] for letter in value)
    return el("abbr", {"title": names}, value)


def role_card(project: Project, role_id: str, from_src: str) -> Markup:
    role = project.roles[role_id]
    parts = [
        el("p", {"class": "icp-role__summary"}, role.summary),
        el("h2", {"id": "does"}, "What the role does"),
        el("ul", None, *[el("li", None, item) for item in role.does]),
    ]
    if role.does_not:
        rows = [
            el("tr", None, el("td", None, d.task), el("td", None, role_link(project, from_src, d.instead)))
            for d in role.does_not
        ]
        parts += [
            el("h2", {"id": "does-not"}, "What the role does not do"),
            table(["Task", "Who does it instead"], rows),
        ]
    if role.appointment:
        steps = [
            el(
                "li",
                None,
                el("strong", None, link.when),
                " ",
                link.who,
                " ",
                _appointed_by(project, from_src, link),
            )
            for link in role.appointment
        ]
        parts += [
            el("h2", {"id": "appointment"}, "Who fills the role, and who appoints them"),
            el("p", None, "Take the first line that fits the situation."),
            el("ol", {"class": "icp-appointment"}, *steps),
        ]
    rows = []
    for pb in project.playbooks.values():
        for task in pb.responsibilities:
            if role_id in task.raci:
                rows.append(el("tr", None, el("td", None, task.task), el("td", None, _cell(task.raci[role_id]))))
    if rows:
        parts += [
            el("h2", {"id": "responsibilities"}, "Responsibilities"),
            table(["Task", "Part"], rows),
            el(
                "p",
                None,
                el(
                    "a",
                    {"href": links.relative(from_src, links.page_url("responsibilities.md"))},
                    "All responsibilities, with the legend",
                ),
            ),
        ]
    return el("div", {"class": "icp-role"}, *parts)


def _appointed_by(project: Project, from_src: str, link: Appointment) -> Markup:
    """Who appoints, in the playbook's words, and the appointer's role page when there is one."""
    role = (" (role: ", role_link(project, from_src, link.appointer_role), ")") if link.appointer_role else ()
    return el("span", {"class": "icp-appointed-by"}, "Appointed by: ", link.appointed_by, *role)


def roles_overview(project: Project, from_src: str) -> Markup:
    rows = [
        el("tr", None, el("th", {"scope": "row"}, role_link(project, from_src, role.id)), el("td", None, role.summary))
        for role in project.roles.values()
    ]
    return table(["Role", "In short"], rows)


def responsibility_legend() -> Markup:
    return el(
        "dl",
        {"class": "icp-legend"},
        *[
            join([el("dt", None, el("abbr", {"title": name}, letter)), el("dd", None, f"{name}: {meaning}")])
            for letter, (name, meaning) in RACI_NAMES.items()
        ],
        el("dt", None, "RA"),
        el("dd", None, "Responsible and accountable: does the work and owns the result"),
    )


def responsibility_matrix(project: Project, from_src: str, playbook_id: str | None = None) -> Markup:
    """Tasks × roles; only the roles that have a part in one of the tasks get a column."""
    playbooks = [project.playbooks[playbook_id]] if playbook_id else list(project.playbooks.values())
    tasks = [(pb, task) for pb in playbooks for task in pb.responsibilities]
    used = {role for _, task in tasks for role in task.raci}
    roles = [role for role in project.roles.values() if role.id in used]
    rows = []
    for pb, task in tasks:
        source = (
            None
            if playbook_id
            else el("a", {"href": links.relative(from_src, links.page_url(links.playbook_page(pb.id)))}, pb.title)
        )
        rows.append(
            el(
                "tr",
                {"id": links.task_anchor(task.id)},
                el(
                    "th",
                    {"scope": "row"},
                    task.task,
                    el("br") if source else None,
                    el("small", None, source) if source else None,
                ),
                *[el("td", None, _cell(task.raci[role.id]) if role.id in task.raci else "") for role in roles],
            )
        )
    headings = ["Task", *[role_link(project, from_src, role.id) for role in roles]]
    return table(headings, rows, wrapper="icp-scroll icp-matrix")
