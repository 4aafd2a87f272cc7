"""``python -m macros``: exit codes 0 (ok, warnings allowed) / 1 (problems) / 2 (usage), output format,
and never a traceback, whatever the input.

Most runs are real child processes (the ``cli`` fixture). The run over every broken fixture happens in
this process through ``runpy`` (the same ``__main__`` module, ~100 times faster than a process each):
an exception escaping it is turned into the traceback Python would have printed, and must not occur.
"""

from __future__ import annotations

import re
import runpy
import sys
import traceback
from pathlib import Path

import pytest

from macros.engine.diagnostics import errors, warnings
from macros.engine.loader import shown

FIXTURES = Path(__file__).resolve().parents[1] / "engine" / "fixtures"  # shared with the engine tests
BROKEN = FIXTURES / "broken"
ORG = FIXTURES / "organisation.yaml"
PROJECT_OPTIONS = ("--org", ORG, "--today", "2026-11-26")

DIAGNOSTIC = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): .+ \[[a-z0-9-]+\]$")
FAILURE_SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings? in \d+ files?$")


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


@pytest.fixture
def run_here(monkeypatch, capsys):
    """``run_here(*args)``: run ``python -m macros ARGS`` in this process; returns (exit code, stdout, stderr)."""

    def run(*args: str | Path) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["python -m macros", *map(str, args)])
        code = 0
        try:
            runpy.run_module("macros", run_name="__main__")
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        except Exception:
            code = 1
            print(traceback.format_exc(), file=sys.stderr)  # what the interpreter would have printed
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def two_playbooks(write_playbook, valid_playbook) -> Path:
    """A folder with two valid playbooks, 'fixture' and 'other' (3 nodes and 2 paths each)."""
    other = valid_playbook.replace("id: fixture", "id: other")
    write_playbook(other.split("roles:")[0] + "tree:" + other.split("tree:")[1], "other.yaml")
    return write_playbook(valid_playbook, "fixture.yaml").parent


# --- every broken fixture -----------------------------------------------------------------------------

EVERY_FIXTURE = sorted(path.name for path in BROKEN.iterdir())


@pytest.mark.parametrize("fixture", EVERY_FIXTURE)
def test_check_reports_each_fixture_without_a_traceback(run_here, load_paths, fixture):
    code, out, err = run_here("check", BROKEN / fixture, *PROJECT_OPTIONS)
    assert "Traceback" not in out + err
    assert err == ""
    project = load_paths([BROKEN / fixture])
    lines = out.splitlines()
    assert lines[:-1] == [str(d) for d in project.diagnostics]
    assert all(DIAGNOSTIC.match(line) for line in lines[:-1])
    assert len(lines[:-1]) == (7 if fixture == "several-problems.yaml" else 1)  # one problem a fixture
    n_errors, n_warnings = len(errors(project.diagnostics)), len(warnings(project.diagnostics))
    if n_errors:
        assert code == 1
        assert lines[-1] == f"{plural(n_errors, 'error')}, {plural(n_warnings, 'warning')} in " + plural(
            len(project.files), "file"
        )
    else:  # only the stale review: a warning
        assert code == 0
        assert lines[-1] == "ok: 1 playbook, 3 nodes, 2 paths from start to outcome, 1 warning"


def test_check_over_all_fixtures_at_once(cli):
    result = cli("check", BROKEN, *PROJECT_OPTIONS)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1
    *reported, summary = result.stdout.splitlines()
    assert reported
    assert [line for line in reported if not DIAGNOSTIC.match(line)] == []
    assert FAILURE_SUMMARY.match(summary)


# --- exit codes and summaries -------------------------------------------------------------------------


def test_check_ok_exits_0_with_a_summary(cli, write_playbook, valid_playbook):
    path = write_playbook(valid_playbook)
    result = cli("check", path, *PROJECT_OPTIONS)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "ok: 1 playbook, 3 nodes, 2 paths from start to outcome, 0 warnings\n"


def test_summary_counts_every_playbook_node_and_path(run_here, two_playbooks):
    assert run_here("check", two_playbooks, *PROJECT_OPTIONS) == (
        0,
        "ok: 2 playbooks, 6 nodes, 4 paths from start to outcome, 0 warnings\n",
        "",
    )


def test_check_with_problems_exits_1(cli):
    result = cli("check", BROKEN / "dead-end.yaml", *PROJECT_OPTIONS)
    assert (result.returncode, result.stderr) == (1, "")
    path = shown(BROKEN / "dead-end.yaml")
    assert result.stdout == (
        f"{path}:42:16: error: question 'stuck' has no answers, so a walk stops here; "
        "add at least two answers, each with a 'next' node [dead-end]\n"
        "1 error, 0 warnings in 1 file\n"
    )


def test_stale_review_is_a_warning_and_exits_0(cli):
    result = cli("check", BROKEN / "stale-review.yaml", *PROJECT_OPTIONS)
    assert result.returncode == 0
    warning, summary = result.stdout.splitlines()
    assert warning == (
        f"{shown(BROKEN / 'stale-review.yaml')}:7:16: warning: last reviewed 329 days ago, more than the 180 days "
        "allowed; review the playbook with its owner and update 'last_reviewed' [stale-review]"
    )
    assert summary == "ok: 1 playbook, 3 nodes, 2 paths from start to outcome, 1 warning"


@pytest.mark.parametrize(("max_age", "expected"), [("400", "0 warnings"), ("24", "1 warning"), ("25", "0 warnings")])
def test_max_age_option(run_here, write_playbook, valid_playbook, max_age, expected):
    # the valid playbook was reviewed 25 days before --today
    code, out, _ = run_here("check", write_playbook(valid_playbook), *PROJECT_OPTIONS, "--max-age", max_age)
    assert code == 0
    assert out.splitlines()[-1] == f"ok: 1 playbook, 3 nodes, 2 paths from start to outcome, {expected}"


def test_missing_path_exits_2(cli, tmp_path):
    result = cli("check", tmp_path / "nope.yaml", *PROJECT_OPTIONS)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"python -m macros check: error: no such file or folder: {tmp_path / 'nope.yaml'}\n"


def test_bad_option_exits_2(cli):
    result = cli("check", "--max-age", "soon")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "python -m macros check: error: argument --max-age: 'soon' is not a positive whole number\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "the following arguments are required: command"),
        (("frobnicate",), "argument command: invalid choice: 'frobnicate'"),
        (("check", "--frobnicate"), "unrecognized arguments: --frobnicate"),
        (("check", "--max-age", "0"), "argument --max-age: '0' is not a positive whole number"),
        (("check", "--today", "2026-13-01"), "argument --today: '2026-13-01' is not a date (YYYY-MM-DD)"),
        (("paths",), "the following arguments are required: PLAYBOOK-ID"),
    ],
    ids=["no-command", "unknown-command", "unknown-option", "max-age-zero", "bad-date", "paths-without-id"],
)
def test_usage_errors_exit_2_in_one_line(run_here, args, message):
    code, out, err = run_here(*args)
    assert (code, out) == (2, "")
    assert message in err
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_missing_organisation_file_exits_2(run_here, write_playbook, valid_playbook, tmp_path):
    code, out, err = run_here("check", write_playbook(valid_playbook), "--org", tmp_path / "org.yaml")
    assert (code, out) == (2, "")
    assert err == f"python -m macros: error: organisation file not found: {tmp_path / 'org.yaml'}\n"


def test_folder_without_playbooks_exits_2(run_here, tmp_path):
    code, out, err = run_here("check", tmp_path, *PROJECT_OPTIONS)
    assert (code, out) == (2, "")
    assert err == "python -m macros check: error: no playbook files found (*.yaml)\n"


# --- paths --------------------------------------------------------------------------------------------


def test_paths_lists_every_walk(cli, two_playbooks):
    result = cli("paths", "fixture", "--dir", two_playbooks, *PROJECT_OPTIONS)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "ask=fire → act\nask=calm → wait\n"


def test_paths_count(run_here, two_playbooks):
    assert run_here("paths", "other", "--dir", two_playbooks, "--count", *PROJECT_OPTIONS) == (0, "2\n", "")


def test_paths_of_an_unknown_playbook_exits_2(cli, two_playbooks):
    result = cli("paths", "nope", "--dir", two_playbooks, *PROJECT_OPTIONS)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "python -m macros paths: error: no playbook 'nope' (known: fixture, other)\n"


def test_paths_of_invalid_playbooks_exits_1(run_here):
    code, out, err = run_here("paths", "cycle-self", "--dir", BROKEN / "cycle-self.yaml", *PROJECT_OPTIONS)
    assert code == 1
    assert "[cycle]" in out
    assert err == "fix these problems first: paths are listed only for valid playbooks\n"


# --- check --format github ----------------------------------------------------------------------------


def test_github_format_prints_workflow_commands(cli):
    stale, dead_end = shown(BROKEN / "stale-review.yaml"), shown(BROKEN / "dead-end.yaml")
    result = cli(
        "check", BROKEN / "stale-review.yaml", BROKEN / "dead-end.yaml", *PROJECT_OPTIONS, "--format", "github"
    )
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [
        # both fixtures define the role 'lead': a problem of the second file
        f"::error file={dead_end},line=9,col=9,title=duplicate-id::role id 'lead' is already used "
        f"({stale}:line 9); give this role another id",
        f"::error file={dead_end},line=42,col=16,title=dead-end::question 'stuck' has no answers, so a walk stops "
        "here; add at least two answers, each with a 'next' node",
        f"::warning file={stale},line=7,col=16,title=stale-review::last reviewed 329 days ago, more than the 180 "
        "days allowed; review the playbook with its owner and update 'last_reviewed'",
        "2 errors, 1 warning in 2 files",
    ]


def test_github_format_when_all_is_well_prints_the_summary(cli, write_playbook, valid_playbook):
    result = cli("check", write_playbook(valid_playbook), *PROJECT_OPTIONS, "--format", "github")
    assert (result.returncode, result.stdout) == (
        0,
        "ok: 1 playbook, 3 nodes, 2 paths from start to outcome, 0 warnings\n",
    )


def test_github_format_escapes_what_the_runner_would_misread(cli, write_playbook, valid_playbook):
    # a folder named with ',' and ':' (property separators) and a key with '%', CR, LF, ',' and ':' in it
    path = write_playbook(
        valid_playbook.replace("owner: QA\n", 'owner: QA\n"50%,\\r\\nx:y": 1\n'), "a,b:c/fixture.yaml"
    )
    result = cli("check", path, *PROJECT_OPTIONS, "--format", "github")
    assert result.returncode == 1
    annotation, summary = result.stdout.splitlines()
    folder = str(path.parent).replace(":", "%3A").replace(",", "%2C")
    assert annotation.startswith(f"::error file={folder}/fixture.yaml,line=7,col=1,title=schema-extra-forbidden::")
    # in the message only '%', CR and LF are escaped
    assert annotation.split("::", 2)[2].startswith("unknown key '50%25,%0D%0Ax:y'; remove it or fix its spelling")
    assert summary == "1 error, 0 warnings in 1 file"


def test_github_annotation_escapes_data_and_properties():
    from macros.cli.main import github_annotation
    from macros.engine.diagnostics import Diagnostic, Severity

    problem = Diagnostic("d:1,2/%x.yaml", 3, 4, "a:b,c", "100% done\r\nnext, then: this", "hint: %0A", Severity.WARNING)
    assert github_annotation(problem) == (
        "::warning file=d%3A1%2C2/%25x.yaml,line=3,col=4,title=a%3Ab%2Cc::"
        "100%25 done%0D%0Anext, then: this; hint: %250A"
    )


def test_the_default_format_is_unchanged(cli):
    plain = cli("check", BROKEN / "dead-end.yaml", *PROJECT_OPTIONS)
    text = cli("check", BROKEN / "dead-end.yaml", *PROJECT_OPTIONS, "--format", "text")
    assert plain.stdout == text.stdout
    assert plain.stdout.startswith(f"{shown(BROKEN / 'dead-end.yaml')}:42:16: error: question 'stuck' has no answers")


def test_an_unknown_format_is_a_usage_error(run_here):
    code, out, err = run_here("check", "--format", "xml")
    assert (code, out) == (2, "")
    assert "argument --format: invalid choice: 'xml'" in err
