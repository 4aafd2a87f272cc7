"""``python -m macros template ID --incident FILE --format F``: a template filled from an incident file, the same
bytes as the workspace's (see :mod:`macros.render.fill`)."""

from __future__ import annotations

import argparse
import sys

from ..engine.incident_file import IncidentFileError, read_incident
from ..engine.loader import Project
from ..render.fill import values_for
from ..render.plan import compile_template, render

USAGE_ERROR = 2


def run(project: Project, args: argparse.Namespace) -> int:
    template = project.templates.get(args.template)
    if template is None:
        known = ", ".join(project.templates) or "none"
        print(f"python -m macros template: error: no template '{args.template}' (known: {known})", file=sys.stderr)
        return USAGE_ERROR
    compiled = compile_template(template, args.format or "markdown")
    answers = {}
    if args.incident is not None:
        try:
            incident = read_incident(args.incident)
        except IncidentFileError as error:
            print(f"python -m macros template: error: {error}", file=sys.stderr)
            return USAGE_ERROR
        answers = values_for(compiled, incident, project.organisation.incident.status_page_every_hours)
    return emit("template", *render(compiled, answers), args)


def emit(command: str, text: str, missing: list[str], args: argparse.Namespace) -> int:
    """A filled template to ``--output`` or stdout, what is left to fill on stderr; the exit code (``--strict``)."""
    if args.output:
        try:
            args.output.write_bytes(text.encode("utf-8"))
        except OSError as error:
            print(f"python -m macros {command}: error: cannot write {args.output} ({error.strerror})", file=sys.stderr)
            return USAGE_ERROR
    else:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    if missing:
        print(f"unfilled ({len(missing)}): {', '.join(missing)}", file=sys.stderr)
    return 1 if missing and args.strict else 0
