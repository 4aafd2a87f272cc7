"""``python -m macros paths ID``: paths are streamed as they are found, at most ``--limit`` of them (1000 by
default), then one line with how many there are in all; time and memory do not depend on the number of paths.

The huge playbook is 60 questions in a row, each with two answers leading to the next: 2**60 walks, which a
program that collects them before printing never finishes listing (and grows to gigabytes trying).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ORG = REPO / "tests" / "engine" / "fixtures" / "organisation.yaml"
PROJECT_OPTIONS = ("--org", ORG, "--today", "2026-11-26")
LAYERS = 60
HUGE = 2**LAYERS
MEMORY_CAP = (
    1 << 30
)  # address space of the child: a listing that kept its paths fails fast instead of filling the machine
SUMMARY = "… {listed:,} of {total:,} paths listed; --limit N lists more, --count prints only the number"


def huge_playbook(layers: int = LAYERS) -> str:
    lines = ["id: huge", "title: Huge", "summary: 2^60 walks.", "audience: [Testers]", "owner: QA"]
    lines += ["last_reviewed: 2026-11-01", "tree:", "  start: q1", "  nodes:"]
    for i in range(1, layers + 1):
        target = f"q{i + 1}" if i < layers else "done"
        lines += [f"    q{i}:", f"      question: Step {i}?", "      answers:"]
        lines += [f"        - {{id: a, label: A, next: {target}}}", f"        - {{id: b, label: B, next: {target}}}"]
    lines += ["    done:", "      title: Done", "      summary: End.", "      actions:", "        - text: Stop."]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def huge(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("huge")
    (folder / "huge.yaml").write_text(huge_playbook(), encoding="utf-8")
    return folder


def measured_paths(folder: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], dict, float]:
    """``python -m macros paths huge ARGS`` in a child process that also reports, on its last stderr line, its
    peak resident memory and the peak of Python allocations while the command ran."""
    script = textwrap.dedent(
        """
        import json, resource, sys, tracemalloc
        from macros.cli.main import main
        tracemalloc.start()
        code = main(sys.argv[1:])
        sys.stdout.flush()
        peak = tracemalloc.get_traced_memory()[1]
        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"code": code, "traced_peak": peak, "max_rss": rss_kb * 1024}), file=sys.stderr)
        """
    )
    argv = [sys.executable, "-c", script, "paths", "huge", "--dir", str(folder), *map(str, PROJECT_OPTIONS), *args]
    start = time.perf_counter()
    result = subprocess.run(
        argv,
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=30,
        check=False,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP)),
    )
    elapsed = time.perf_counter() - start
    return result, json.loads(result.stderr.splitlines()[-1]), elapsed


def test_the_huge_playbook_has_2_to_the_60_paths(cli, huge):
    result = cli("paths", "huge", "--dir", huge, "--count", *PROJECT_OPTIONS)
    assert (result.returncode, result.stdout) == (0, f"{HUGE}\n")


def test_paths_stop_at_the_default_limit_and_say_how_many_there_are(huge):
    result, usage, elapsed = measured_paths(huge)
    lines = result.stdout.splitlines()
    assert (result.returncode, usage["code"]) == (0, 0)
    assert len(lines) == 1000 + 1
    assert lines[0] == " → ".join(f"q{i}=a" for i in range(1, LAYERS + 1)) + " → done"
    assert lines[1] == " → ".join(f"q{i}=a" for i in range(1, LAYERS)) + f" → q{LAYERS}=b → done"
    assert len(set(lines[:-1])) == 1000
    assert lines[-1] == SUMMARY.format(listed=1000, total=HUGE)
    assert elapsed < 10, f"took {elapsed:.1f} s"  # about 0.4 s here, start-up included
    assert usage["traced_peak"] < 16 * 1024 * 1024, usage


def test_memory_does_not_grow_with_the_paths_listed(huge):
    few, few_usage, _ = measured_paths(huge, "--limit", "10")
    many, many_usage, _ = measured_paths(huge, "--limit", "20000")
    assert len(few.stdout.splitlines()) == 10 + 1
    assert len(many.stdout.splitlines()) == 20_000 + 1
    assert many.stdout.splitlines()[-1] == SUMMARY.format(listed=20_000, total=HUGE)
    # 2,000 times the paths, the same memory: nothing is kept once printed
    assert many_usage["traced_peak"] - few_usage["traced_peak"] < 1024 * 1024, (few_usage, many_usage)
    assert many_usage["max_rss"] - few_usage["max_rss"] < 8 * 1024 * 1024, (few_usage, many_usage)


@pytest.fixture
def two_paths(write_playbook, valid_playbook) -> Path:
    return write_playbook(valid_playbook).parent  # 'fixture': ask=fire → act, ask=calm → wait


def test_no_summary_when_every_path_is_listed(cli, two_paths):
    for limit in ("2", "3"):
        result = cli("paths", "fixture", "--dir", two_paths, "--limit", limit, *PROJECT_OPTIONS)
        assert (result.returncode, result.stdout, result.stderr) == (0, "ask=fire → act\nask=calm → wait\n", "")


def test_summary_when_some_paths_are_left_off(cli, two_paths):
    result = cli("paths", "fixture", "--dir", two_paths, "--limit", "1", *PROJECT_OPTIONS)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "ask=fire → act\n" + SUMMARY.format(listed=1, total=2) + "\n"


@pytest.mark.parametrize("limit", ["0", "-1", "many"])
def test_a_limit_that_is_no_positive_number_is_a_usage_error(cli, two_paths, limit):
    result = cli("paths", "fixture", "--dir", two_paths, f"--limit={limit}", *PROJECT_OPTIONS)
    assert (result.returncode, result.stdout) == (2, "")
    assert (
        result.stderr == f"python -m macros paths: error: argument --limit: '{limit}' is not a positive whole number\n"
    )
