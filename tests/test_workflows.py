"""The GitHub workflows an adopter gets by forking, and the first run of ``make`` on a fresh machine.

Workflows: valid against the GitHub workflow schema that check-jsonschema ships (and a broken one is
rejected, so the check can fail), actions pinned, the Pages workflow's permissions and concurrency, and every
command they run exists here (Makefile targets, ``python -m macros`` options, the venv's tools and their flags).

First run: each setup step says what it does and how long it may take, pip shows its progress, and a failing
step names itself and the fix (no Python, Python too old, no route to the package registry). These tests run
``make`` with ``VENV=`` a temporary folder and never touch the real ``.venv/``.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
CHECK_WORKFLOW = WORKFLOWS / "check.yml"
PAGES_WORKFLOW = WORKFLOWS / "pages.yml"
VENV_BIN = Path(sys.executable).parent  # the tests run in .venv/
MAKE = shutil.which("make")
SCHEMA = "vendor.github-workflows"


def _load(path: Path) -> dict:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in doc:  # YAML 1.1 reads the key `on` as the boolean true
        doc["on"] = doc.pop(True)
    return doc


def _steps(doc: dict) -> list[tuple[str, dict]]:
    return [(job_id, step) for job_id, job in doc["jobs"].items() for step in job.get("steps", [])]


def _run_lines(doc: dict) -> list[str]:
    lines = []
    for _, step in _steps(doc):
        for line in str(step.get("run", "")).splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def _check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    tool = VENV_BIN / "check-jsonschema"
    assert tool.is_file(), f"{tool} is missing: check-jsonschema is pinned in requirements.lock (make setup)"
    return subprocess.run([str(tool), "--builtin-schema", SCHEMA, *map(str, files)], capture_output=True, text=True,
                          timeout=120, check=False)


def _make(*args: str, env: dict[str, str] | None = None, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    assert MAKE, "make is not on PATH"
    return subprocess.run([MAKE, "--no-print-directory", "-C", str(ROOT), *args], capture_output=True, text=True,
                          env=env, timeout=timeout, stdin=subprocess.DEVNULL, check=False)


# --------------------------------------------------------------------------------------------- the workflows


def test_both_workflows_are_there() -> None:
    assert CHECK_WORKFLOW.is_file() and PAGES_WORKFLOW.is_file(), sorted(p.name for p in WORKFLOWS.glob("*"))


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_workflow_is_valid_against_the_github_schema(path: Path) -> None:
    result = _check_jsonschema(path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("original", "broken", "complaint"), [
    ("contents: read", "contents: writ", "'writ' is not one of"),  # a permission typo
    ("runs-on: ubuntu-latest", "runs-om: ubuntu-latest", "runs-on"),  # a key misspelt
    ("  pull_request:\n", "  pull-request:\n", "pull-request"),  # an event that does not exist
], ids=["permission-typo", "misspelt-key", "unknown-event"])
def test_a_broken_workflow_is_rejected(tmp_path: Path, original: str, broken: str, complaint: str) -> None:
    text = CHECK_WORKFLOW.read_text(encoding="utf-8")
    assert original in text, f"{original!r} is no longer in {CHECK_WORKFLOW.name}: pick another breakage"
    bad = tmp_path / "broken.yml"
    bad.write_text(text.replace(original, broken, 1), encoding="utf-8")
    result = _check_jsonschema(bad)
    assert result.returncode == 1, f"the schema accepted {broken!r}:\n{result.stdout}{result.stderr}"
    assert complaint in result.stdout + result.stderr, result.stdout + result.stderr


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_actions_are_pinned_to_a_major_version_at_least(path: Path) -> None:
    for job_id, step in _steps(_load(path)):
        uses = step.get("uses")
        if uses:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})", uses), f"{job_id}: {uses}"


def test_the_check_workflow_runs_on_every_pull_request() -> None:
    doc = _load(CHECK_WORKFLOW)
    assert "pull_request" in doc["on"]
    assert not (doc["on"].get("pull_request") or {}).get("paths"), "a path filter would skip some pull requests"
    steps = [step for _, step in _steps(doc)]
    python = [s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python@")]
    assert python and str(python[0]["with"]["python-version"]) == "3.11"
    runs = _run_lines(doc)
    assert ".venv/bin/python -m macros check --format github" in runs
    assert ".venv/bin/mkdocs build --strict" in runs
    assert runs.index("make setup") < runs.index(".venv/bin/python -m macros check --format github")
    assert doc["permissions"] == {"contents": "read"}


def test_the_pages_workflow_publishes_from_main_with_the_right_permissions() -> None:
    doc = _load(PAGES_WORKFLOW)
    assert doc["on"]["push"]["branches"] == ["main"]
    assert "pull_request" not in doc["on"], "a pull request must not publish"
    assert doc["concurrency"]["group"] and doc["concurrency"]["cancel-in-progress"] is False
    build, deploy = doc["jobs"]["build"], doc["jobs"]["deploy"]
    assert doc["permissions"] == {"contents": "read"} and "permissions" not in build
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    uses = [str(step.get("uses", "")) for step in build["steps"]]
    upload = next(s for s in build["steps"] if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site", "mkdocs build writes site/"
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    assert [str(step.get("uses", "")).split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    build_step = next(step for step in build["steps"] if step.get("run") == ".venv/bin/mkdocs build --strict")
    assert "SITE_URL" in build_step.get("env", {}), "the published site needs its address (site_url)"
    assert uses.index(upload["uses"]) > build["steps"].index(build_step)


def test_site_url_is_read_by_the_site() -> None:
    """The workflow's SITE_URL is not a dead variable: mkdocs.yml or the hooks read it."""
    sources = [ROOT / "mkdocs.yml", *sorted((ROOT / "macros").rglob("*.py"))]
    assert any("SITE_URL" in p.read_text(encoding="utf-8") for p in sources), "nothing reads SITE_URL any more"


def _check_command(line: str) -> str | None:
    """None when the workflow command ``line`` exists here as written, else what is wrong with it."""
    words = shlex.split(line)
    if words[0] == "make":
        targets = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        result = _make("-n", *targets)  # -n: print the recipe, run nothing
        return None if result.returncode == 0 else f"make {' '.join(targets)}: {result.stderr.strip()}"
    if words[:3] == [".venv/bin/python", "-m", "macros"]:
        from macros.cli.main import build_parser

        stderr = io.StringIO()
        try:
            with contextlib.redirect_stderr(stderr):
                build_parser().parse_args(words[3:])
        except SystemExit as exc:
            return f"python -m macros rejects {words[3:]} (exit {exc.code}): {stderr.getvalue().strip()}"
        return None
    if words[0].startswith(".venv/bin/"):
        tool = VENV_BIN / words[0].removeprefix(".venv/bin/")
        if not tool.is_file():
            return f"{tool} is not installed by requirements.lock"
        subcommand = [w for w in words[1:2] if not w.startswith("-")]
        help_text = subprocess.run([str(tool), *subcommand, "--help"], capture_output=True, text=True, timeout=60,
                                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=False).stdout
        unknown = [w for w in words[1:] if w.startswith("--")
                   and not re.search(rf"(?<![\w-]){re.escape(w.split('=')[0])}(?![\w-])", help_text)]
        return f"{words[0]} {' '.join(subcommand)} has no option {unknown}" if unknown else None
    return f"teach tests/test_workflows.py how to check {line!r}"


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_every_command_the_workflow_runs_exists(path: Path) -> None:
    problems = [f"{line}: {problem}" for line in _run_lines(_load(path)) if (problem := _check_command(line))]
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------------------------- the first run


def _setup_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    return {**env, **extra}


def test_a_missing_python_is_named_with_the_fix(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    result = _make("setup", f"VENV={venv}", f"PYTHON={tmp_path / 'no-such-python'}", env=_setup_env())
    assert result.returncode != 0
    assert "setup step 'find Python' failed" in result.stderr, result.stderr
    assert f"no '{tmp_path / 'no-such-python'}' found" in result.stderr
    assert "Python 3.11 or newer" in result.stderr and "make PYTHON=" in result.stderr
    assert not venv.exists()


def test_a_too_old_python_is_named_with_its_version(tmp_path: Path) -> None:
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\necho 3.9.2\n", encoding="utf-8")  # answers the version probe like Python 3.9
    fake.chmod(0o755)
    venv = tmp_path / "venv"
    result = _make("serve", f"VENV={venv}", f"PYTHON={fake}", env=_setup_env())
    assert result.returncode != 0
    assert "Python 3.11 or newer is needed" in result.stderr and "is Python 3.9.2" in result.stderr, result.stderr
    assert "make PYTHON=python3.11 serve" in result.stderr
    assert not venv.exists()


def test_a_python_that_does_not_run_is_named(tmp_path: Path) -> None:
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\necho 'pyenv: python3: command not found' >&2\nexit 127\n", encoding="utf-8")
    fake.chmod(0o755)
    result = _make("setup", f"VENV={tmp_path / 'venv'}", f"PYTHON={fake}", env=_setup_env())
    assert result.returncode != 0
    assert f"'{fake}' did not run as Python" in result.stderr, result.stderr


def test_no_route_to_the_registry_is_said_plainly(tmp_path: Path) -> None:
    """A real venv in a temporary folder, and pip pointed at a closed port on this machine."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: connections are refused
    env = _setup_env(PIP_CONFIG_FILE=os.devnull, PIP_INDEX_URL=f"http://127.0.0.1:{port}/simple/",
                     PIP_EXTRA_INDEX_URL="", PIP_FIND_LINKS="", PIP_RETRIES="0", PIP_TIMEOUT="5",
                     PIP_NO_CACHE_DIR="1")
    venv = tmp_path / "venv"
    result = _make("setup", f"VENV={venv}", f"PYTHON={sys.executable}", env=env, timeout=180)
    assert result.returncode != 0, result.stdout
    assert result.stdout.startswith(f"Setting up {venv}/ with Python 3."), result.stdout
    assert "first run only, about 1-2 minutes" in result.stdout
    assert f"setup step 'install requirements.lock into {venv}/' failed: pip could not reach the package registry" \
        in result.stderr, result.stderr
    assert "PIP_INDEX_URL" in result.stderr and "HTTPS_PROXY" in result.stderr
    assert not (venv / ".installed").exists(), "a failed install must leave the stamp out, so the next run retries"


def test_the_install_step_shows_pip_progress() -> None:
    """What `make setup` would run on a fresh machine (dry run): pip without --quiet, its progress bar on when
    the output is a terminal, and a line saying what is happening and how long it takes first."""
    result = _make("-n", "setup", "VENV=/nonexistent/venv")
    assert result.returncode == 0, result.stderr
    recipe = result.stdout
    assert "pip install" in recipe and "--quiet" not in recipe.split("pip install", 1)[1].split("\n", 1)[0]
    assert '--progress-bar "$bar"' in recipe and "[ -t 1 ]" in recipe
    assert "first run only, about 1-2 minutes" in recipe


def test_make_test_sets_up_the_properdocs_engine() -> None:
    result = _make("-n", "test", "VENV=/nonexistent/venv", "PD_VENV=/nonexistent/pd")
    assert result.returncode == 0, result.stderr
    assert "requirements-properdocs.lock" in result.stdout and "--no-deps" in result.stdout
    assert "the ProperDocs engine" in result.stdout


def test_a_warm_run_is_silent(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".installed").touch()  # newer than requirements.lock
    assert _make("-q", "setup", f"VENV={venv}").returncode == 0, "a fresh stamp must make setup up to date"
    result = _make("-s", "setup", f"VENV={venv}")
    assert result.returncode == 0 and not result.stdout.strip() and not result.stderr.strip(), result


def test_ci_run_installs_what_is_missing_then_runs_make_test() -> None:
    script = ROOT / ".ci" / "run"
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    lines = [line.strip() for line in script.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines[-1] == "make test"
    text = "\n".join(lines)
    assert "apt-get install -y -qq chromium" in text
    assert text.index('echo "Installing Debian\'s chromium') < text.index("apt-get update")
