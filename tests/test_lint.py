"""ruff over the package and the tests, as `make lint` runs it: the suite fails on what the linter finds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing_in_the_code_and_the_tests() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "macros", "tests"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_reads_the_stage_folders_named_site() -> None:
    """`site/` (the build output) is excluded, but not `macros/site/` or `tests/site/`."""
    listed = subprocess.run([sys.executable, "-m", "ruff", "check", "--show-files", "macros", "tests"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=False).stdout
    assert "macros/site/hooks.py" in listed and "tests/site/conftest.py" in listed
