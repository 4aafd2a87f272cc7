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
            table(["Task", "Who does it instead"], rows, caption=f"What the {role.name} does not do, and who does it"),
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
            table(["Task", "Part"], rows, caption=f"The part the {role.name} plays in each task"),
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
    return table(["Role", "In short"], rows, caption="Every role, in short")


def responsibility_legend() -> Markup:
    return el(
        "dl",
        {"class": "icp-legend", "data-icp-style": "matrix"},
        *[
            join([el("dt", None, el("abbr", {"title": name}, letter)), el("dd", None, f"{name}: {meaning}")])
            for letter, (name, meaning) in RACI_NAMES.items()
        ],
        el("dt", None, "RA"),
        el("dd", None, "Responsible and accountable: does the work and owns the result"),
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _parts(value: str) -> str:
    return " and ".join(RACI_NAMES[letter][0] for letter in value)


def responsibility_matrix(project: Project, from_src: str, playbook_id: str | None = None) -> Markup:
    """Tasks × roles, in two views of the same data, both without JavaScript (the stylesheet shows one):

    - the wide table, in a focusable region that scrolls both ways, with the header row and the task column
      sticky, so a cell far to the right still shows its task and its role;
    - below the table breakpoint (phones), role by role: a ``<details>`` per role listing its tasks and its
      part in each, which never needs sideways scrolling.

    Only the roles that have a part in one of the tasks appear. Each table row keeps the task's anchor
    (``#task-…``); when that row is the target, the stylesheet shows the table on a phone too.
    """
    playbooks = [project.playbooks[playbook_id]] if playbook_id else list(project.playbooks.values())
    tasks = [(pb, task) for pb in playbooks for task in pb.responsibilities]
    used = {role for _, task in tasks for role in task.raci}
    roles = [role for role in project.roles.values() if role.id in used]

    def source(pb) -> Markup | None:
        if playbook_id:
            return None
        href = links.relative(from_src, links.page_url(links.playbook_page(pb.id)))
        return el("small", {"class": "icp-matrix__source"}, el("a", {"href": href}, pb.title))

    rows = []
    for pb, task in tasks:
        origin = source(pb)
        rows.append(
            el(
                "tr",
                {"id": links.task_anchor(task.id)},
                el("th", {"scope": "row"}, task.task, el("br") if origin else None, origin),
                *[el("td", None, _cell(task.raci[role.id]) if role.id in task.raci else "") for role in roles],
            )
        )
    scope = f"“{playbooks[0].title}”" if playbook_id else "the playbooks"
    counts = f"{_count(len(tasks), 'task')} by {_count(len(roles), 'role')}"
    wide = table(
        ["Task", *[role_link(project, from_src, role.id) for role in roles]],
        rows,
        caption=f"Who does what in {scope}: {counts}. Each row is a task, each column a role.",
        wrapper="icp-scroll icp-matrix__scroll",
        table_class="icp-matrix__table",
        region=f"Responsibility matrix, {counts}; scrolls sideways",
    )
    by_role = []
    for role in roles:
        items = [
            el(
                "li",
                None,
                el("abbr", {"class": "icp-part", "title": _parts(task.raci[role.id])}, task.raci[role.id]),
                el("span", {"class": "icp-byrole__task"}, task.task, " ", source(pb)),
            )
            for pb, task in tasks
            if role.id in task.raci
        ]
        letters = [task.raci[role.id] for _, task in tasks if role.id in task.raci]
        tally = ", ".join(f"{letters.count(v)} {v}" for v in ("RA", "R", "A", "C", "I") if v in letters)
        by_role.append(
            el(
                "details",
                {"class": "icp-byrole__role"},
                el(
                    "summary",
                    None,
                    el("span", {"class": "icp-byrole__name"}, role.name),
                    " ",
                    el("span", {"class": "icp-byrole__count"}, f"{_count(len(items), 'task')}: {tally}"),
                ),
                el("ul", {"class": "icp-byrole__tasks"}, *items),
                el(
                    "p",
                    {"class": "icp-byrole__more"},
                    el("a", {"href": links.relative(from_src, links.page_url(links.role_page(role.id)))},
                       f"The {role.name} role"),
                ),
            )
        )
    return el(
        "div",
        {"class": "icp-matrix", "data-icp-style": "matrix"},
        el(
            "p",
            {"class": "icp-matrix__hint"},
            "The table scrolls inside its frame: the task names and the role names stay in view. "
            "With a keyboard, tab to the table and use the arrow keys.",
        ),
        wide,
        el(
            "div",
            {"class": "icp-byrole"},
            el("p", {"class": "icp-byrole__intro"}, f"Role by role ({counts}): open a role to see its tasks."),
            *by_role,
        ),
    )
