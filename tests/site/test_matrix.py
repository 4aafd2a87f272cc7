"""The responsibility matrix as its readers meet it, in Chromium, on a phone (390×844) and a laptop (1366×900), light
and dark: on the real site's Responsibilities page and a playbook page, and on a copy of the project crowded up
to at least 13 roles and 30 tasks.

On a laptop the wide table sits in a focusable region that scrolls, with its header row and task column staying
in view (sticky); on a phone each role opens to its own list of tasks instead, with nothing to scroll sideways.
Neither needs JavaScript. Every table on these pages has a caption.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from macros.engine.loader import Project, load_project

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}
SCHEMES = ("light", "dark")
REAL = load_project()
# the crowded copy: at least this many roles and tasks on its Responsibilities page
MIN_ROLES, MIN_TASKS = 13, 30


# --------------------------------------------------------------------------------------------- the crowded copy


def crowded_playbooks(project: Project) -> dict[str, str]:
    """Extra playbooks that take ``project`` to at least MIN_ROLES roles and MIN_TASKS tasks, with long role names
    and task texts; the tasks of ``crowded-a`` give every role of the project a part, so its own matrix has a
    column for each."""
    new_roles = max(MIN_ROLES - len(project.roles), 2)
    new_tasks = max(MIN_TASKS - sum(len(pb.responsibilities) for pb in project.playbooks.values()), 10)
    role_ids = [*project.roles, *[f"crowd-role-{i}" for i in range(new_roles)]]
    n = len(role_ids)

    def raci(i: int) -> str:
        parts = {role_ids[i % n]: "RA", role_ids[(i + 1) % n]: "R", role_ids[(i + 2) % n]: "C"}
        parts.update({role_ids[(i + k) % n]: "I" for k in range(3, 7) if role_ids[(i + k) % n] not in parts})
        return "{" + ", ".join(f"{role}: {value}" for role, value in parts.items()) + "}"

    def playbook(pid: str, tasks: range, roles: str) -> str:
        lines = [
            f"id: {pid}",
            f"title: Crowded playbook {pid[-1].upper()}",
            "summary: A playbook with many roles and tasks, to see the matrix cope.",
            "audience: [Testers]",
            "owner: The test suite",
            "last_reviewed: 2026-11-01",
            roles,
            "responsibilities:",
        ]
        for i in tasks:
            words = " and check it with everyone concerned before it goes out" * (1 + i % 3)
            lines += [f"  - id: crowd-task-{i}", f"    task: Crowded task number {i}{words}", f"    raci: {raci(i)}"]
        lines += [
            "tree:",
            "  start: ask",
            "  nodes:",
            "    ask:",
            "      question: Is it crowded?",
            "      answers:",
            "        - {id: yes-crowded, label: It is crowded, next: cope}",
            "        - {id: not-crowded, label: It is not, next: relax}",
            "    cope:",
            "      title: Cope",
            "      summary: Read the matrix.",
            "      actions: [{text: Read it.}]",
            "    relax:",
            "      title: Relax",
            "      summary: Nothing to do.",
            "      actions: [{text: Do nothing.}]",
        ]
        return "\n".join(lines) + "\n"

    roles = ["roles:"]
    for i in range(new_roles):
        roles += [
            f"  - id: crowd-role-{i}",
            f"    name: Regional customer escalation coordinator {i}",
            "    summary: A role with a long name.",
            "    does: [Coordinates.]",
        ]
    half = max(n, new_tasks // 2)  # crowded-a has a task for every starting role, so every role has a part
    return {
        "crowded-a.yaml": playbook("crowded-a", range(half), "\n".join(roles)),
        "crowded-b.yaml": playbook("crowded-b", range(half, max(new_tasks, half + 1)), ""),
    }


@pytest.fixture(scope="module")
def crowded(served_copy):
    site = served_copy("crowded", crowded_playbooks(REAL))
    assert site.build.returncode == 0, site.build.output[-4000:]
    return site


def crowded_project(site) -> Project:
    folder = site.build.root / "playbooks"
    project = load_project([folder], org_file=folder / "organisation.yaml")
    assert project.ok, "\n".join(map(str, project.diagnostics))
    return project


# --------------------------------------------------------------------------------------------- what a page holds


@dataclass(frozen=True)
class Matrix:
    """What one matrix must show: its roles (column order) and, per task, its text and each role's part."""

    roles: list[str]  # role names
    tasks: list[tuple[str, dict[str, str]]]  # task text, role name → part


def expected(project: Project, playbook_id: str | None = None) -> Matrix:
    playbooks = [project.playbooks[playbook_id]] if playbook_id else list(project.playbooks.values())
    tasks = [task for pb in playbooks for task in pb.responsibilities]
    used = {role for task in tasks for role in task.raci}
    roles = [role for role in project.roles.values() if role.id in used]
    names = {role.id: role.name for role in roles}
    return Matrix([r.name for r in roles], [(t.task, {names[r]: v for r, v in t.raci.items()}) for t in tasks])


def widest_playbook(project: Project) -> str:
    """The playbook whose own matrix has the most role columns."""
    return max(
        (pb for pb in project.playbooks.values() if pb.responsibilities),
        key=lambda pb: len({role for task in pb.responsibilities for role in task.raci}),
    ).id


def squash(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------- checks


PAGE_FITS = """() => {
  window.scrollTo(400, window.scrollY); const moved = window.scrollX; window.scrollTo(0, window.scrollY);
  return {scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth, moved}; }"""
CAPTIONS = """() => [...document.querySelectorAll('.md-content table')].map(t => {
  const c = t.querySelector(':scope > caption'); return c ? c.textContent.trim() : ''; })"""


def check_page_fits(page, where: str) -> list[str]:
    fit = page.evaluate(PAGE_FITS)
    problems = []
    if fit["scrollWidth"] > fit["width"] or fit["moved"]:
        problems.append(f"{where}: the page scrolls sideways ({fit})")
    return problems


def check_captions(page, where: str) -> list[str]:
    captions = page.evaluate(CAPTIONS)
    if not captions:
        return [f"{where}: no table at all"]
    return [f"{where}: table {i} has no caption" for i, text in enumerate(captions) if not text]


def check_wide(page, matrix: Matrix, where: str) -> list[str]:
    """Laptop: the table in a named, focusable region; every role header reachable; sticky header and task
    column after scrolling to the far right and down; the per-role view hidden."""
    problems = []
    region = page.locator(".icp-matrix__scroll").first
    if not region.is_visible():
        return [f"{where}: the matrix table is not shown"]
    if page.locator(".icp-byrole").first.is_visible():
        problems.append(f"{where}: the per-role view shows beside the table")
    if not page.locator(".icp-matrix__hint").first.is_visible():
        problems.append(f"{where}: no visible hint that the table scrolls")
    attrs = region.evaluate("r => [r.getAttribute('role'), r.getAttribute('tabindex'), r.getAttribute('aria-label')]")
    if attrs[0] != "region" or attrs[1] != "0" or not attrs[2]:
        problems.append(f"{where}: the scroll container is not a named focusable region: {attrs}")
    # in the middle of the screen, clear of the theme's fixed header, so what is on top can be asked
    region.evaluate("r => r.scrollIntoView({block: 'center'})")
    headers = [squash(t) for t in region.locator("thead th").all_inner_texts()]
    if headers[1:] != matrix.roles:
        problems.append(f"{where}: role columns {headers[1:]} != {matrix.roles}")
    # every role header, brought into the region, is seen there and not covered by the task column
    unseen = region.evaluate("""r => [...r.querySelectorAll('thead th')].slice(1).filter(th => {
        const task = r.querySelector('thead th').getBoundingClientRect();
        r.scrollLeft = 0;
        r.scrollLeft = th.getBoundingClientRect().left - r.querySelector('table').getBoundingClientRect().left
          - task.width;
        const b = th.getBoundingClientRect(), box = r.getBoundingClientRect();
        const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
        return !(b.left >= box.left - 1 && b.right <= box.right + 1 && hit && th.contains(hit));
      }).map(th => th.textContent.trim())""")
    if unseen:
        problems.append(f"{where}: role headers not reachable in the region: {unseen}")
    # keyboard: focus the region, arrow keys scroll it (when there is anything to scroll)
    region.evaluate("r => { r.scrollLeft = 0; r.scrollTop = 0; }")
    region.focus()
    if not region.evaluate("r => document.activeElement === r"):
        problems.append(f"{where}: the region cannot take the focus")
    if region.evaluate("r => r.scrollWidth > r.clientWidth"):
        for _ in range(6):
            page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)
        if region.evaluate("r => r.scrollLeft") <= 0:
            problems.append(f"{where}: the arrow keys do not scroll the focused region")
    # sticky: far right and a little down, the task column and the header row stay at the region's edges
    sticky = region.evaluate("""r => {
        r.scrollLeft = r.scrollWidth; r.scrollTop = Math.min(120, r.scrollHeight - r.clientHeight);
        const box = r.getBoundingClientRect(), inner = {left: box.left + r.clientLeft, top: box.top + r.clientTop};
        const corner = r.querySelector('thead th').getBoundingClientRect();
        const rows = [...r.querySelectorAll('tbody th')];
        const row = rows.find(th => th.getBoundingClientRect().top >= corner.bottom - 1) || rows[0];
        const task = row.getBoundingClientRect();
        const last = [...r.querySelectorAll('thead th')].pop().getBoundingClientRect();
        const hitTask = document.elementFromPoint(task.left + 10, task.top + 10);
        return {taskLeft: task.left - inner.left, headTop: corner.top - inner.top, lastTop: last.top - inner.top,
                lastRight: box.right - last.right, taskOnTop: row.contains(hitTask),
                scrolled: [r.scrollLeft, r.scrollTop]};
      }""")
    if abs(sticky["taskLeft"]) > 1.5 or not sticky["taskOnTop"]:
        problems.append(f"{where}: the task column does not stay at the left when scrolled: {sticky}")
    if abs(sticky["headTop"]) > 1.5 or abs(sticky["lastTop"]) > 1.5:
        problems.append(f"{where}: the header row does not stay at the top when scrolled: {sticky}")
    if sticky["lastRight"] < -1.5:
        problems.append(f"{where}: the last role column is cut off when scrolled to the end: {sticky}")
    return problems


def check_by_role(page, matrix: Matrix, where: str) -> list[str]:
    """Phone: the per-role view instead of the table, each role with every one of its tasks and its part, and
    nothing wider than the screen once every role is open."""
    problems = []
    if page.locator(".icp-matrix__scroll").first.is_visible():
        problems.append(f"{where}: the wide table shows on a phone")
    view = page.locator(".icp-byrole").first
    if not view.is_visible():
        return [*problems, f"{where}: the per-role view is not shown"]
    roles = view.locator("details.icp-byrole__role")
    names = [squash(n) for n in roles.locator(".icp-byrole__name").all_inner_texts()]
    if names != matrix.roles:
        problems.append(f"{where}: per-role view lists {names}, not {matrix.roles}")
    for i in range(roles.count()):
        roles.nth(i).locator("summary").click()
    page.wait_for_timeout(100)
    shown = roles.evaluate_all("""ds => ds.map(d => [d.open, [...d.querySelectorAll('li')].map(li =>
        [li.querySelector('.icp-byrole__task').innerText.split(/\\s+/).join(' ').trim(),
         li.querySelector('.icp-part').innerText.trim()])])""")
    for name, (is_open, items) in zip(names, shown, strict=False):
        wanted = [(squash(task), parts[name]) for task, parts in matrix.tasks if name in parts]
        if not is_open:
            problems.append(f"{where}: {name} does not open")
        elif len(items) != len(wanted) or any(not s.startswith(w[0]) or p != w[1] for (s, p), w in
                                             zip(items, wanted, strict=False)):
            problems.append(f"{where}: {name} lists {items}, expected {wanted}")
    overflow = view.evaluate("""v => [v, ...v.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1
        && getComputedStyle(e).overflowX !== 'visible' || e.getBoundingClientRect().right > innerWidth + 0.5)
        .map(e => e.tagName + '.' + e.className)""")
    if overflow:
        problems.append(f"{where}: the per-role view overflows sideways: {overflow[:5]}")
    return problems


def check_matrix_page(page, url: str, matrix: Matrix, viewport: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    where = f"{url} at {viewport}"
    problems = check_captions(page, where) + check_page_fits(page, where)
    problems += check_wide(page, matrix, where) if viewport == "laptop" else check_by_role(page, matrix, where)
    return problems + check_page_fits(page, where + " (after use)")


# --------------------------------------------------------------------------------------------- tests


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_matrix_on_the_real_site(site_server, open_context, viewport, scheme) -> None:
    context, recorder = open_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page = context.new_page()
    playbook = widest_playbook(REAL)
    problems = check_matrix_page(page, f"{site_server}responsibilities/", expected(REAL), viewport)
    problems += check_matrix_page(page, f"{site_server}playbooks/{playbook}/steps/", expected(REAL, playbook), viewport)
    assert not problems, "\n".join(problems)
    assert not recorder.problems_but_aborts(), recorder.report()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_matrix_with_13_roles_and_30_tasks(crowded, open_context, viewport, scheme) -> None:
    project = crowded_project(crowded)
    everything = expected(project)
    assert len(everything.roles) >= MIN_ROLES and len(everything.tasks) >= MIN_TASKS, "the copy is not crowded"
    context, recorder = open_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page = context.new_page()
    problems = check_matrix_page(page, f"{crowded.url}responsibilities/", everything, viewport)
    own = expected(project, "crowded-a")
    assert len(own.roles) >= MIN_ROLES, own.roles
    problems += check_matrix_page(page, f"{crowded.url}playbooks/crowded-a/steps/", own, viewport)
    assert not problems, "\n".join(problems)
    assert not recorder.problems_but_aborts(), recorder.report()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_matrix_works_without_javascript(crowded, open_context, viewport) -> None:
    project = crowded_project(crowded)
    context, _ = open_context(viewport=VIEWPORTS[viewport], java_script_enabled=False)
    page = context.new_page()
    problems = check_matrix_page(page, f"{crowded.url}responsibilities/", expected(project), viewport)
    assert not problems, "\n".join(problems)


def test_a_link_to_one_task_shows_its_row_on_a_phone(site_server, open_context) -> None:
    """The guideline map links tasks as responsibilities/#task-<id>: on a phone that row must still be found."""
    task = next(t for pb in REAL.playbooks.values() for t in pb.responsibilities)
    context, _ = open_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site_server}responsibilities/#task-{task.id}")
    row = page.locator(f"tr#task-{task.id}")
    row.wait_for(state="visible")
    box, height = row.bounding_box(), PHONE["height"]
    assert box and 0 <= box["y"] < height, f"the row of task {task.id} is not in view: {box}"
    assert not check_page_fits(page, "responsibilities/#task-… on a phone")


def test_role_cards_tables_have_captions(site_server, open_context) -> None:
    context, _ = open_context(viewport=LAPTOP)
    page = context.new_page()
    problems = []
    for role in REAL.roles.values():
        page.goto(f"{site_server}roles/{role.id}/")
        problems += check_captions(page, f"roles/{role.id}/")
    page.goto(f"{site_server}roles/")
    problems += check_captions(page, "roles/")
    assert not problems, "\n".join(problems)
