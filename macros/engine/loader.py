"""YAML → load → validate: the one entry point that turns playbook files into a checked project.

``load_project`` never raises on bad input: every problem becomes a located diagnostic, and the
project it returns is usable (rendered, walked) only when it has no errors.
"""

from __future__ import annotations

import datetime
import gc
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import draft_rules, guideline_map, validate, ways_in
from .diagnostics import Diagnostic, Severity, errors
from .files import NOT_PLAYBOOKS, ORG_FILE, PLAYBOOK_DIR, guideline_map_file, playbook_files, shown
from .graph import Graph, count_paths, iter_paths
from .graph import Path as WalkPath
from .models import GuidelineMap, Organisation, Playbook, Role, Template
from .organisation import substitute
from .schema_errors import located
from .yaml_reader import Document, YamlProblem, read


@dataclass
class Project:
    organisation: Organisation | None
    loaded: list[validate.Loaded] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    guideline_map: GuidelineMap | None = None  # from the optional guideline-map.yaml beside the playbooks
    draft_rules: draft_rules.RuleSet | None = None  # playbooks/draft-rules.yaml, or the default

    @property
    def ok(self) -> bool:
        return not errors(self.diagnostics)

    @cached_property
    def playbooks(self) -> dict[str, Playbook]:
        """Playbooks by id, in site order (``order``, then title)."""
        ordered = sorted(self.loaded, key=lambda item: (item.playbook.order, item.playbook.title, item.playbook.id))
        return {item.playbook.id: item.playbook for item in ordered}

    @cached_property
    def roles(self) -> dict[str, Role]:
        return {role.id: role for pb in self.playbooks.values() for role in pb.roles}

    @cached_property
    def templates(self) -> dict[str, Template]:
        return {t.id: t for pb in self.playbooks.values() for t in pb.templates}

    @cached_property
    def graph(self) -> Graph:
        return validate.build_graph(self.loaded)

    def path_count(self, playbook_id: str) -> int:
        return count_paths(self.graph, self.graph.starts[playbook_id], self._path_counts)

    @cached_property
    def _path_counts(self) -> dict:
        return {}  # shared by path_count calls: each node is counted once however many starts reach it

    def paths(self, playbook_id: str) -> list[WalkPath]:
        return list(iter_paths(self.graph, self.graph.starts[playbook_id]))


def _folder(paths: list[Path]) -> Path | None:
    """The playbook folder among ``paths``, where an own rules file would be: the first folder named, else the
    folder of the first file."""
    return next((p for p in paths if p.is_dir()), paths[0].parent if paths else None)


def load_guideline_map(
    path: Path, playbooks: dict[str, Playbook], org: Organisation
) -> tuple[GuidelineMap | None, list[Diagnostic]]:
    try:
        doc = read(path, shown(path))
    except YamlProblem as problem:
        return None, [problem.diagnostic]
    data, problems = substitute(doc, org)
    problems = doc.problems + problems  # what the reader found: invisible controls, values cut short by a #
    found, schema_problems = _model(doc, data, GuidelineMap)
    if found is None:
        return None, problems + schema_problems
    return found, problems + guideline_map.check(doc, found, playbooks)  # type: ignore[arg-type]


def _model(doc: Document, data: object, model: type[BaseModel]) -> tuple[BaseModel | None, list[Diagnostic]]:
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, located(exc, doc, model)


def load_organisation(path: Path = ORG_FILE) -> tuple[Organisation | None, list[Diagnostic]]:
    try:
        doc = read(path, shown(path), comment_in_value=Severity.ERROR)  # names hold '#' more than comments do
    except YamlProblem as problem:
        return None, [problem.diagnostic]
    org, problems = _model(doc, doc.data, Organisation)
    return org, _at_most(doc.problems + problems, MAX_PROBLEMS_PER_FILE)  # type: ignore[return-value]


MAX_PROBLEMS_PER_FILE = 200


def _at_most(problems: list[Diagnostic], limit: int) -> list[Diagnostic]:
    """The first ``limit`` problems, and one line saying how many more there are (a broken file can yield
    hundreds of thousands, which nobody reads and which would flood a terminal or a CI log)."""
    if len(problems) <= limit:
        return problems
    shown = sorted(problems, key=lambda d: (d.line, d.col))[:limit]
    last = shown[-1]
    more = Diagnostic(
        last.path,
        last.line,
        last.col,
        "too-many-problems",
        f"{len(problems) - limit} more problems in this file are not shown",
        "fix the ones above and check again",
    )
    return [*shown, more]


def load_playbook(path: Path, org: Organisation) -> tuple[validate.Loaded | None, list[Diagnostic]]:
    try:
        doc = read(path, shown(path))
    except YamlProblem as problem:
        return None, [problem.diagnostic]
    data, problems = substitute(doc, org)
    playbook, schema_problems = _model(doc, data, Playbook)
    problems = _at_most(doc.problems + problems + schema_problems, MAX_PROBLEMS_PER_FILE)
    if playbook is None:
        return None, problems
    return validate.Loaded(doc.path, path.stem, doc, playbook), problems  # type: ignore[arg-type]


def load_project(
    paths: list[Path] | None = None,
    *,
    org_file: Path = ORG_FILE,
    today: datetime.date | None = None,
    max_age_days: int | None = None,
) -> Project:
    """Load, check and cross-check the playbooks under ``paths`` (default: the project's ``playbooks/``)."""
    collecting = gc.isenabled()
    gc.disable()  # loading makes hundreds of thousands of small objects and no cycles: collection only costs time
    try:
        return _load_project(paths, org_file=org_file, today=today, max_age_days=max_age_days)
    finally:
        if collecting:
            gc.enable()


def _load_project(
    paths: list[Path] | None, *, org_file: Path, today: datetime.date | None, max_age_days: int | None
) -> Project:
    org, diagnostics = load_organisation(org_file)
    project = Project(org, diagnostics=diagnostics)
    if org is None:
        return project
    paths = paths if paths is not None else [PLAYBOOK_DIR]
    files = playbook_files(paths)
    project.files = [shown(p) for p in files]
    broken: set[str] = set()
    for path in files:
        item, problems = load_playbook(path, org)
        project.diagnostics += problems
        if item is None:
            broken.add(path.stem)
        else:
            project.loaded.append(item)
    if project.loaded:
        project.diagnostics += validate.check(
            project.loaded,
            today=today or datetime.date.today(),
            max_age_days=max_age_days or org.review_max_age_days,
            broken=frozenset(broken),
            graph=project.graph,
            other_files=NOT_PLAYBOOKS,  # read as something else: no playbook's id
        )
        project.diagnostics += ways_in.check(project.loaded)
    map_file = guideline_map_file(paths)
    if map_file is not None:
        project.files.append(shown(map_file))
        project.guideline_map, problems = load_guideline_map(map_file, project.playbooks, org)
        project.diagnostics += problems
    rules_file = draft_rules.rules_file(_folder(paths))
    if rules_file != draft_rules.DEFAULT_FILE:
        project.files.append(shown(rules_file))
    project.draft_rules, problems = draft_rules.load(rules_file, org)
    project.diagnostics += problems
    if project.draft_rules is not None:
        project.diagnostics += draft_rules.check_breaks(project.loaded, project.draft_rules)
    project.diagnostics.sort(key=lambda d: (d.path, d.line, d.col, d.code))
    return project
