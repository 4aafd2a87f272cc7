"""Shared fixtures.

Engine tests (``test_yaml_reader``, ``test_schema_errors``, ``test_graph_rules``, ``test_cli``, ...) load
playbooks through :func:`macros.engine.loader.load_project` with the small organisation file and a fixed date
below, so positions, names and ages in their expectations never depend on the real ``playbooks/``.
"""

from __future__ import annotations

import datetime
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # `pytest` (unlike `python -m pytest`) does not put the repository on the path
    sys.path.insert(0, str(REPO))

from macros.engine.diagnostics import Diagnostic  # noqa: E402
from macros.engine.loader import Project, load_project  # noqa: E402

FIXTURES = REPO / "tests" / "engine" / "fixtures"
BROKEN = FIXTURES / "broken"
ORG_FIXTURE = FIXTURES / "organisation.yaml"
TODAY = datetime.date(2026, 11, 26)


# Valid: three nodes, two paths. Most files in fixtures/broken/ are this playbook with one problem added.
VALID_PLAYBOOK = """\
id: fixture
title: Fixture playbook
summary: A small playbook with exactly one problem.
audience:
  - Testers
owner: QA
last_reviewed: 2026-11-01
roles:
  - id: lead
    name: Lead
    summary: Leads the response for {org.team}.
    does:
      - Decides what to do.
tree:
  start: ask
  nodes:
    ask:
      question: Is the building on fire?
      answers:
        - id: fire
          label: It is on fire
          next: act
        - id: calm
          label: It is calm
          next: wait
    act:
      title: Act now
      summary: Put the fire out.
      actions:
        - text: Call the fire brigade.
          owner: lead
    wait:
      title: Wait
      summary: Keep watching.
      actions:
        - text: Watch the building.
"""


# --- engine: load playbooks -------------------------------------------------------------------------


def load(paths: list[Path], **options) -> Project:
    """``load_project`` with the fixture organisation file and the fixed date (``options`` override)."""
    return load_project(paths, **{"org_file": ORG_FIXTURE, "today": TODAY, **options})


@pytest.fixture(scope="session")
def load_paths() -> Callable[..., Project]:
    """``load_paths([file or folder, ...], max_age_days=...)``: load those playbooks."""
    return load


@pytest.fixture(scope="session")
def valid_playbook() -> str:
    """Text of a small valid playbook with id ``fixture`` (so its file must be ``fixture.yaml``)."""
    return VALID_PLAYBOOK


@pytest.fixture(scope="session")
def only_problem() -> Callable[[str], Diagnostic]:
    """``only_problem("dead-end.yaml")``, ``only_problem("unknown-node/here.yaml")``: load that fixture of
    ``fixtures/broken/`` alone (for a pair, the folder it is in), assert it has exactly one problem and that
    the problem is in that file, and return it."""

    def check(fixture: str) -> Diagnostic:
        project = load([BROKEN / fixture.split("/")[0]])
        found = project.diagnostics
        assert len(found) == 1, "expected exactly one problem, got:\n" + "\n".join(map(str, found))
        assert Path(found[0].path).resolve() == BROKEN / fixture
        return found[0]

    return check


@pytest.fixture
def write_playbook(tmp_path: Path) -> Callable[[str, str], Path]:
    """``write_playbook(text, name="fixture.yaml")``: write YAML text to a file in ``tmp_path``, return its path."""

    def write(text: str, name: str = "fixture.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def load_text(write_playbook: Callable[[str, str], Path]) -> Callable[..., Project]:
    """``load_text(text, name="fixture.yaml", **options)``: write one playbook file and load it alone."""

    def load_one(text: str, name: str = "fixture.yaml", **options) -> Project:
        return load([write_playbook(text, name)], **options)

    return load_one


# --- engine: the command line -----------------------------------------------------------------------


def run_cli(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run ``python -m macros ARGS`` in a child process, from the repository root by default."""
    return subprocess.run(
        [sys.executable, "-m", "macros", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="session")
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``cli("check", path, "--org", file)``: the finished ``python -m macros`` process (stdout, stderr, returncode)."""
    return run_cli


@pytest.fixture(scope="session", autouse=True)
def _check_cache_of_this_run(tmp_path_factory: pytest.TempPathFactory):
    """Every `python -m macros check` of the suite keeps its results in a folder of this run, not in .cache/."""
    import os

    folder = tmp_path_factory.mktemp("check-cache")
    before = os.environ.get("ICP_CHECK_CACHE_DIR")
    os.environ["ICP_CHECK_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("ICP_CHECK_CACHE_DIR", None)
    else:
        os.environ["ICP_CHECK_CACHE_DIR"] = before
