"""``python -m macros``: check playbooks, list their paths, check drafts, write the JSON Schema.

Exit codes: 0 all good (warnings allowed), 1 problems found, 2 usage error (bad option, missing path).
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..engine import check_cache
from ..engine.diagnostics import Diagnostic, errors, warnings
from ..engine.files import ORG_FILE, PLAYBOOK_DIR

if TYPE_CHECKING:  # the checker is imported where it runs: a cached check never loads it
    from ..engine.loader import Project

USAGE_ERROR = 2
PATHS_LIMIT = 1000


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse prints usage and exits 2 too; keep it to one line
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
    return int(text)


def _add_project_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--org",
        type=Path,
        default=ORG_FILE,
        metavar="FILE",
        help="organisation file with the names playbooks refer to (default: %(default)s)",
    )
    parser.add_argument(
        "--today",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="date to measure review age against (default: today)",
    )
    parser.add_argument(
        "--max-age",
        type=_positive,
        default=None,
        metavar="DAYS",
        help="warn when a playbook was last reviewed longer ago (default: from the organisation file)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m macros", description="Incident comms playbooks: check, list paths, export.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = commands.add_parser("check", help="validate playbooks and report every problem with its position")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: playbooks/)")
    check.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text: path:line:col: severity: message (default); github: GitHub Actions annotations",
    )
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="check every file afresh, without the results kept in .cache/check/ (they are used only when no "
        "file, option or part of the checker has changed)",
    )
    _add_project_options(check)

    paths = commands.add_parser("paths", help="list every path from a playbook's start to an outcome")
    paths.add_argument("playbook", metavar="PLAYBOOK-ID")
    paths.add_argument("--dir", type=Path, default=None, metavar="FOLDER", help="playbook folder (default: playbooks/)")
    paths.add_argument("--count", action="store_true", help="print only the number of paths (computed, not listed)")
    paths.add_argument(
        "--limit",
        type=_positive,
        default=PATHS_LIMIT,
        metavar="N",
        help="list at most N paths, then how many there are in all (default: %(default)s)",
    )
    _add_project_options(paths)

    plan = commands.add_parser(
        "plan",
        help="fill the comms plan from answers, as the site's plan generator does",
        description="Fill a template that has a generator section (default: the comms plan). Answers come from "
        "a YAML file (placeholder: text; row group: list of rows) and/or flags; flags win. Unfilled placeholders "
        "stay as {{ name }} and are listed on stderr.",
    )
    plan.add_argument(
        "--incident", type=Path, metavar="FILE", help="an incident file from the workspace (its Download): its facts"
    )
    plan.add_argument("--answers", type=Path, metavar="FILE", help="YAML file of answers (wins over --incident)")
    plan.add_argument("--set", action="append", default=[], metavar="NAME=TEXT", help="one placeholder's value")
    plan.add_argument(
        "--row",
        action="append",
        nargs="+",
        default=[],
        metavar="GROUP FIELD=TEXT",
        help="add a row to a group, e.g. --row products product=Analytics data_lost_or_delayed=Delayed",
    )
    plan.add_argument("--template", default=None, metavar="ID", help="template id (default: the one with a generator)")
    plan.add_argument("--output", "-o", type=Path, default=None, metavar="FILE", help="write here instead of stdout")
    plan.add_argument("--strict", action="store_true", help="exit 1 when any placeholder is left unfilled")
    plan.add_argument("--dir", type=Path, default=None, metavar="FOLDER", help="playbook folder (default: playbooks/)")
    _add_project_options(plan)

    walk = commands.add_parser(
        "walk",
        help="walk a decision tree in the terminal (no site, no network)",
        description="One question at a time: type an answer's number, b to go back, r to restart, q to quit.",
    )
    walk.add_argument("playbook", metavar="PLAYBOOK-ID")
    walk.add_argument("--at", default=None, metavar="NODE-ID", help="start at this node instead of the first question")
    walk.add_argument("--dir", type=Path, default=None, metavar="FOLDER", help="playbook folder (default: playbooks/)")
    _add_project_options(walk)

    template = commands.add_parser(
        "template",
        help="print a template's text (to copy when the site is down), or fill it from an incident file",
        description="Without --incident or --format: the template as written. With them: filled from the incident "
        "file's facts (as the workspace does, byte for byte), in the format asked for; what is left to fill stays as "
        "{{ name }} and is listed on stderr.",
    )
    template.add_argument("template", metavar="TEMPLATE-ID")
    template.add_argument(
        "--incident", type=Path, metavar="FILE", help="an incident file from the workspace (its Download)"
    )
    template.add_argument(
        "--format", choices=("markdown", "slack", "text"), default=None, help="markdown (GitHub issue, the default), "
        "slack (chat text) or text (plain email)"
    )
    template.add_argument("--output", "-o", type=Path, default=None, metavar="FILE", help="write here, not to stdout")
    template.add_argument("--strict", action="store_true", help="exit 1 when any placeholder is left unfilled")
    template.add_argument(
        "--dir", type=Path, default=None, metavar="FOLDER", help="playbook folder (default: playbooks/)"
    )
    _add_project_options(template)

    from .draft_check import add_parser as add_draft_check

    add_draft_check(commands)

    schema = commands.add_parser("schema", help="write the JSON Schemas editors use to complete playbooks")
    schema.add_argument("--check", action="store_true", help="fail if the published schemas are out of date")
    return parser


def _load(args: argparse.Namespace, paths: list[Path] | None) -> Project | int:
    if not args.org.is_file():
        print(f"python -m macros: error: organisation file not found: {args.org}", file=sys.stderr)
        return USAGE_ERROR
    from ..engine.loader import load_project

    return load_project(paths, org_file=args.org, today=args.today, max_age_days=args.max_age)


def _report(diagnostics: list[Diagnostic], output_format: str = "text") -> None:
    for diagnostic in diagnostics:
        print(github_annotation(diagnostic) if output_format == "github" else diagnostic)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(diagnostic: Diagnostic) -> str:
    """The problem as a GitHub Actions workflow command, shown as an annotation on the file and line:
    ``::error file=PATH,line=L,col=C,title=CODE::message; hint``, escaped as GitHub's runner expects."""
    message = diagnostic.message + (f"; {diagnostic.hint}" if diagnostic.hint else "")
    properties = ",".join(
        f"{name}={_escape_property(str(value))}"
        for name, value in (
            ("file", diagnostic.path),
            ("line", diagnostic.line),
            ("col", diagnostic.col),
            ("title", diagnostic.code),
        )
    )
    return f"::{diagnostic.severity.value} {properties}::{_escape_data(message)}"


def _checked(args: argparse.Namespace) -> dict[str, Any] | int:
    """What the check found: diagnostics and counts, from the cache when nothing it depends on has changed."""
    paths = args.paths or [PLAYBOOK_DIR]
    args.today = today = args.today or datetime.date.today()  # one date for the key and the check
    options = {"today": str(today), "max_age": args.max_age, "paths": [str(p) for p in paths]}
    cache_key = None if args.no_cache else check_cache.key(paths, args.org, options)
    cached = check_cache.load(cache_key) if cache_key else None
    if cached is not None:
        return cached
    project = _load(args, args.paths or None)
    if isinstance(project, int):
        return project
    result = {"diagnostics": project.diagnostics, "files": len(project.files), "playbooks": len(project.playbooks)}
    if project.ok:  # counting paths needs trees without problems (a cycle has no end)
        result["nodes"] = sum(len(pb.tree.nodes) for pb in project.playbooks.values())
        result["paths"] = str(sum(project.path_count(pid) for pid in project.playbooks))
    if cache_key:
        check_cache.store(cache_key, result)
    return result


def run_check(args: argparse.Namespace) -> int:
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"python -m macros check: error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return USAGE_ERROR
    if not args.org.is_file():
        print(f"python -m macros: error: organisation file not found: {args.org}", file=sys.stderr)
        return USAGE_ERROR
    result = _checked(args)
    if isinstance(result, int):
        return result
    diagnostics = result["diagnostics"]
    _report(diagnostics, args.format)
    n_errors, n_warnings = len(errors(diagnostics)), len(warnings(diagnostics))
    files = result["files"]
    if n_errors:
        print(
            f"{n_errors} error{'s' * (n_errors != 1)}, {n_warnings} warning{'s' * (n_warnings != 1)} "
            f"in {files} file{'s' * (files != 1)}"
        )
        return 1
    if not result["playbooks"]:
        print("python -m macros check: error: no playbook files found (*.yaml)", file=sys.stderr)
        return USAGE_ERROR
    nodes, n_books, paths = result["nodes"], result["playbooks"], int(result["paths"])
    shown = f"{paths:,}" if paths < 10**18 else f"more than 10^{len(result['paths']) - 1:,}"
    counted = [_count(n_books, "playbook"), _count(nodes, "node"), _count(paths, "path", shown)]
    print(f"ok: {', '.join(counted)} from start to outcome, {_count(n_warnings, 'warning')}")
    return 0


def run_paths(args: argparse.Namespace) -> int:
    project = _valid_project(args, "paths are listed only for valid playbooks")
    if isinstance(project, int):
        return project
    if args.playbook not in project.playbooks:
        known = ", ".join(project.playbooks)
        print(f"python -m macros paths: error: no playbook '{args.playbook}' (known: {known})", file=sys.stderr)
        return USAGE_ERROR
    if args.count:
        print(project.path_count(args.playbook))
        return 0
    # streamed, one path at a time: a playbook can have more paths than memory could hold (or time could list)
    from ..engine.graph import iter_paths

    walks = iter_paths(project.graph, project.graph.starts[args.playbook])
    listed = 0
    for path in itertools.islice(walks, args.limit):
        print(path.text(args.playbook))
        listed += 1
    if listed == args.limit and next(walks, None) is not None:
        total = project.path_count(args.playbook)
        print(f"… {listed:,} of {total:,} paths listed; --limit N lists more, --count prints only the number")
    return 0


def run_plan(args: argparse.Namespace) -> int:
    from .plan import run

    project = _valid_project(args, "the plan is filled only from valid playbooks")
    return project if isinstance(project, int) else run(project, args)


def _valid_project(args: argparse.Namespace, why: str) -> Project | int:
    """The project of ``--dir`` (or playbooks/), or an exit code after reporting why it cannot be used."""
    project = _load(args, [args.dir] if args.dir else None)
    if isinstance(project, int):
        return project
    if not project.ok:
        _report(project.diagnostics)
        print(f"fix these problems first: {why}", file=sys.stderr)
        return 1
    return project


def run_walk(args: argparse.Namespace) -> int:
    from .walk import run_walk as walk

    project = _valid_project(args, "the walk needs valid playbooks")
    return project if isinstance(project, int) else walk(project, args.playbook, args.at)


def run_template(args: argparse.Namespace) -> int:
    from .template import run
    from .walk import run_template as show

    project = _valid_project(args, "templates are printed only from valid playbooks")
    if isinstance(project, int):
        return project
    if args.incident is None and args.format is None and args.output is None and not args.strict:
        return show(project, args.template)
    return run(project, args)


def run_draft_check(args: argparse.Namespace) -> int:
    from .draft_check import run

    return run(args)


def run_schema(args: argparse.Namespace) -> int:
    from ..engine.schema import write_schemas

    stale = write_schemas(check_only=args.check)
    for path in stale:
        print(f"{path}: out of date; run 'python -m macros schema'" if args.check else f"wrote {path}")
    return 1 if stale and args.check else 0


def _count(number: int, noun: str, written: str | None = None) -> str:
    return f"{written or number} {noun}{'s' * (number != 1)}"


def main(argv: list[str] | None = None) -> int:
    sys.set_int_max_str_digits(0)  # path counts can have thousands of digits; print them whole
    args = build_parser().parse_args(argv)
    commands = {
        "check": run_check,
        "paths": run_paths,
        "plan": run_plan,
        "walk": run_walk,
        "template": run_template,
        "draft-check": run_draft_check,
        "schema": run_schema,
    }
    try:
        return commands[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
