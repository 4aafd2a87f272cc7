"""``python -m macros plan``: answers from a YAML file and flags → the filled plan (see :mod:`macros.render.plan`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..engine.incident_file import IncidentFileError, read_incident
from ..engine.loader import Project
from ..engine.yaml_reader import YamlProblem, read
from ..render.fill import values_for
from ..render.plan import compile_template, render
from .template import emit

USAGE_ERROR = 2


class AnswerError(Exception):
    pass


def _pair(text: str, what: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise AnswerError(f"{what} '{text}' is not NAME=TEXT")
    return name.strip(), value


def _file_answers(path: Path, scalars: set[str], groups: dict[str, Any]) -> dict[str, Any]:
    """Answers from a YAML file: placeholder → text, row group → list of rows; located errors."""
    try:
        doc = read(path)
    except YamlProblem as problem:
        if problem.diagnostic.code == "yaml-empty":
            return {}  # an empty answers file answers nothing
        raise AnswerError(str(problem.diagnostic)) from None
    if not isinstance(doc.data, dict):
        raise AnswerError(f"{path}: expected a mapping of answers")
    answers: dict[str, Any] = {}
    for key, value in doc.data.items():
        pos = doc.pos((key,), key=True)
        where = f"{doc.path}:{pos.line}:{pos.col}"
        if key in scalars:
            if value is not None and not isinstance(value, str):
                raise AnswerError(f"{where}: '{key}' should be text")
            answers[key] = value or ""
        elif key in groups:
            allowed = {f["name"] for f in groups[key]["fields"]}
            rows = value or []
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise AnswerError(f"{where}: '{key}' should be a list of rows (field: text)")
            for row in rows:
                unknown = sorted(set(row) - allowed)
                if unknown:
                    fields = ", ".join(sorted(allowed))
                    raise AnswerError(f"{where}: unknown field(s) {', '.join(unknown)} in '{key}'; use {fields}")
            answers[key] = [{k: v or "" for k, v in row.items()} for row in rows]
        else:
            known = ", ".join([*sorted(scalars), *sorted(groups)])
            raise AnswerError(f"{where}: unknown answer '{key}'; use one of: {known}")
    return answers


def _answers(args: argparse.Namespace, compiled: dict[str, Any], every_hours: int) -> dict[str, Any]:
    scalars = {f["name"] for f in compiled["fields"]}
    groups = compiled["groups"]
    answers = values_for(compiled, read_incident(args.incident), every_hours) if args.incident else {}
    if args.answers:
        answers.update(_file_answers(args.answers, scalars, groups))
    for text in args.set:
        name, value = _pair(text, "--set")
        if name not in scalars:
            raise AnswerError(f"--set {name}: not a single-value placeholder; use one of: {', '.join(sorted(scalars))}")
        answers[name] = value
    for row_args in args.row:
        group, *pairs = row_args
        if group not in groups:
            raise AnswerError(f"--row {group}: no such row group; use one of: {', '.join(groups)}")
        allowed = {f["name"] for f in groups[group]["fields"]}
        row = dict(_pair(p, "--row field") for p in pairs)
        unknown = sorted(set(row) - allowed)
        if unknown:
            raise AnswerError(f"--row {group}: unknown field(s) {', '.join(unknown)}; use {', '.join(sorted(allowed))}")
        answers.setdefault(group, []).append(row)
    return answers


def run(project: Project, args: argparse.Namespace) -> int:
    candidates = [t for t in project.templates.values() if t.generator]
    if args.template:
        candidates = [t for t in candidates if t.id == args.template]
    if not candidates:
        names = ", ".join(t.id for t in project.templates.values() if t.generator) or "none"
        print(
            f"python -m macros plan: error: no fillable template '{args.template}' (fillable: {names})", file=sys.stderr
        )
        return USAGE_ERROR
    compiled = compile_template(candidates[0])
    try:
        answers = _answers(args, compiled, project.organisation.incident.status_page_every_hours)
    except (AnswerError, IncidentFileError) as error:
        print(f"python -m macros plan: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    return emit("plan", *render(compiled, answers), args)
