"""Hostile YAML: alias bombs, deep nesting, huge files, tags, duplicate keys, huge scalars and many keys.

Each file is refused, or read and then refused by the schema, with one exact diagnostic (code, line and
column), quickly and in bounded memory. Memory is the peak of Python allocations (``tracemalloc``) while the
file is loaded; a bomb that expanded, or a file read whole when it should be refused unread, would show there.
Time is not measured (this machine is shared and noisy): a 20 s alarm only turns a hang into a failure.

The two files of 200,000 keys run in a child process and are measured by its peak resident memory, because
tracing every allocation would make them several times slower.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import textwrap
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from macros.engine import yaml_reader
from macros.engine.loader import MAX_PROBLEMS_PER_FILE, Project
from macros.engine.yaml_reader import MAX_BYTES

REPO = Path(__file__).resolve().parents[2]
ORG_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "organisation.yaml"
HANG_SECONDS = 20
PEAK_LIMIT = 64 * 1024 * 1024
MB = 1024 * 1024


@contextmanager
def hang_guard(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Raise ``TimeoutError`` in the test if the block runs longer than ``seconds`` (a hang, not a slow run)."""

    def alarm(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: the loader hangs on this input")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def measured(load: Callable[[], Project]) -> tuple[Project, int]:
    """``load()`` under the hang guard, and the peak of Python memory it allocated, in bytes."""
    gc.collect()
    tracemalloc.start()
    try:
        with hang_guard():
            project = load()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return project, peak


def position(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based line and column of the ``nth`` occurrence of ``needle`` in ``text`` (only LF line breaks here)."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


@pytest.fixture
def system_calls(monkeypatch) -> list[str]:
    """Record instead of run every ``os.system`` call: a constructed ``!!python`` tag would show here."""
    calls: list[str] = []
    monkeypatch.setattr(os, "system", calls.append)
    return calls


@dataclass(frozen=True)
class Expected:
    code: str
    line: int
    col: int
    message: str  # the whole message, or its start when it ends with '…'


@dataclass(frozen=True)
class Hazard:
    text: str
    expected: Expected


# --------------------------------------------------------------------------------------------- the hazards


def billion_laughs(valid: str) -> Hazard:
    lines = ["id: fixture", "lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, 10)]
    text = "\n".join([*lines, "title: *lol9", ""])
    return Hazard(text, Expected("yaml-anchor", 2, 7, "anchor '&lol0' is not allowed in playbooks"))


def billion_laughs_in_flow(valid: str) -> Hazard:
    text = "a: [&a [lol, lol], [*a, *a], [*a, *a, *a, *a]]\n"
    return Hazard(text, Expected("yaml-anchor", 1, 5, "anchor '&a' is not allowed in playbooks"))


def quadratic_blowup(valid: str) -> Hazard:
    """One anchored megabyte, referred to 100,000 times (a 100 GB document once expanded)."""
    text = "id: fixture\nbig: &big " + "x" * MB + "\nrefs: [" + ", ".join(["*big"] * 100_000) + "]\n"
    return Hazard(text, Expected("yaml-anchor", 2, 6, "anchor '&big' is not allowed in playbooks"))


def alias_without_anchor(valid: str) -> Hazard:
    text = valid.replace("title: Fixture playbook", "title: *lol9")
    return Hazard(text, Expected("yaml-alias", 2, 8, "alias '*lol9' is not allowed in playbooks"))


def merge_key(valid: str) -> Hazard:
    text = valid.replace("owner: QA\n", "owner: QA\n<<: *defaults\n")
    return Hazard(
        text, Expected("yaml-alias", *position(text, "*defaults"), "alias '*defaults' is not allowed in playbooks")
    )


def deep_flow_sequences(valid: str) -> Hazard:
    # the top-level mapping is level 1, so the 32nd '[' (column 4 + 31) opens level 33
    return Hazard("a: " + "[" * 10_000 + "\n", Expected("yaml-too-deep", 1, 35, "nesting is deeper than 32 levels"))


def deep_flow_mappings(valid: str) -> Hazard:
    return Hazard("a: " + "{a: " * 10_000 + "\n", Expected("yaml-too-deep", 1, 4 + 31 * 4, "nesting is deeper…"))


def deep_block_sequences(valid: str) -> Hazard:
    return Hazard("a:\n" + "- " * 10_000 + "x\n", Expected("yaml-too-deep", 2, 1 + 31 * 2, "nesting is deeper…"))


def deep_indented_mappings(valid: str) -> Hazard:
    """2,500 mappings nested by indentation, one space a level: 3.1 MB, under the size cap (10,000 levels would
    need 50 MB; that file is the next hazard)."""
    text = "".join(" " * level + f"k{level}:\n" for level in range(2_500))
    assert len(text.encode()) < MAX_BYTES
    return Hazard(text, Expected("yaml-too-deep", 33, 33, "nesting is deeper than 32 levels"))


def python_tag(valid: str) -> Hazard:
    text = valid.replace("title: Fixture playbook", "title: !!python/object/apply:os.system ['echo pwned']")
    return Hazard(text, Expected("yaml-tag", 2, 8, "tag '!!python/object/apply:os.system' is not allowed in playbooks"))


def python_tag_verbatim(valid: str) -> Hazard:
    text = valid.replace("title: Fixture playbook", "title: !<tag:yaml.org,2002:python/name:os.system> x")
    return Hazard(text, Expected("yaml-tag", 2, 8, "tag '!!python/name:os.system' is not allowed in playbooks"))


def binary_tag(valid: str) -> Hazard:
    text = valid.replace("title: Fixture playbook", "title: !!binary aGVsbG8=")
    return Hazard(text, Expected("yaml-tag", 2, 8, "tag '!!binary' is not allowed in playbooks"))


def custom_tag(valid: str) -> Hazard:
    text = valid.replace("title: Fixture playbook", "title: !foo bar")
    return Hazard(text, Expected("yaml-tag", 2, 8, "tag '!foo' is not allowed in playbooks"))


def tag_directive(valid: str) -> Hazard:
    text = "%TAG !e! tag:example.com,2000:\n---\n" + valid.replace("title: Fixture playbook", "title: !e!foo x")
    return Hazard(text, Expected("yaml-tag", 4, 8, "tag 'tag:example.com,2000:foo' is not allowed in playbooks"))


def tag_on_a_key(valid: str) -> Hazard:
    text = valid.replace("title: Fixture playbook", "!!str title: Fixture playbook")
    return Hazard(text, Expected("yaml-tag", 2, 1, "tag '!!str' is not allowed in playbooks"))


def tag_on_a_list(valid: str) -> Hazard:
    text = valid.replace("audience:\n", "audience: !!seq\n")
    return Hazard(text, Expected("yaml-tag", 4, 11, "tag '!!seq' is not allowed in playbooks"))


def duplicate_key(valid: str) -> Hazard:
    text = valid + "title: Again\n"
    return Hazard(
        text, Expected("yaml-duplicate-key", 37, 1, "key 'title' appears twice in this mapping (first on line 2)")
    )


def duplicate_key_quoted(valid: str) -> Hazard:
    text = valid + "'title': Again\n"
    return Hazard(
        text, Expected("yaml-duplicate-key", 37, 1, "key 'title' appears twice in this mapping (first on line 2)")
    )


def duplicate_key_explicit(valid: str) -> Hazard:
    text = valid + "? title\n: Again\n"
    return Hazard(
        text, Expected("yaml-duplicate-key", 37, 3, "key 'title' appears twice in this mapping (first on line 2)")
    )


def duplicate_key_nested(valid: str) -> Hazard:
    text = valid.replace("          label: It is on fire\n", "          label: It is on fire\n          label: Twice\n")
    line, col = position(text, "label: Twice")
    message = f"key 'label' appears twice in this mapping (first on line {line - 1})"
    return Hazard(text, Expected("yaml-duplicate-key", line, col, message))


def duplicate_key_in_flow(valid: str) -> Hazard:
    text = valid.replace("owner: QA\n", "owner: QA\nextra: {a: x, a: y}\n")
    line, col = position(text, "a: y")
    return Hazard(
        text, Expected("yaml-duplicate-key", line, col, f"key 'a' appears twice in this mapping (first on line {line})")
    )


def megabyte_scalar(valid: str) -> Hazard:
    """A 1 MB title on one line: read, then refused by the schema (texts hold at most 20,000 characters)."""
    text = valid.replace("title: Fixture playbook", "title: " + "x" * MB)
    return Hazard(
        text, Expected("schema-string-too-long", 2, 8, "'title': string should have at most 20000 characters")
    )


def megabyte_key(valid: str) -> Hazard:
    """A 1 MB key: libyaml allows implicit keys of at most 1,024 characters, so this is a syntax error, reported
    where the ':' it needed turned up too late."""
    text = valid + "x" * MB + ": v\n"
    message = "YAML syntax error: could not find expected ':' (while scanning a simple key)"
    return Hazard(text, Expected("yaml-syntax", 37, MB + 1, message))


HAZARDS: dict[str, Callable[[str], Hazard]] = {
    "billion-laughs": billion_laughs,
    "billion-laughs-in-flow": billion_laughs_in_flow,
    "quadratic-blowup": quadratic_blowup,
    "alias-without-anchor": alias_without_anchor,
    "merge-key": merge_key,
    "10000-flow-sequences": deep_flow_sequences,
    "10000-flow-mappings": deep_flow_mappings,
    "10000-block-sequences": deep_block_sequences,
    "2500-indented-mappings": deep_indented_mappings,
    "python-tag": python_tag,
    "python-tag-verbatim": python_tag_verbatim,
    "binary-tag": binary_tag,
    "custom-tag": custom_tag,
    "tag-directive": tag_directive,
    "tag-on-a-key": tag_on_a_key,
    "tag-on-a-list": tag_on_a_list,
    "duplicate-key": duplicate_key,
    "duplicate-key-quoted": duplicate_key_quoted,
    "duplicate-key-explicit": duplicate_key_explicit,
    "duplicate-key-nested": duplicate_key_nested,
    "duplicate-key-in-flow": duplicate_key_in_flow,
    "1-MB-scalar": megabyte_scalar,
    "1-MB-key": megabyte_key,
}


def assert_only(project: Project, expected: Expected) -> None:
    found = [(d.code, d.line, d.col, d.message) for d in project.diagnostics]
    assert len(found) == 1, "expected exactly one problem, got:\n" + "\n".join(map(str, project.diagnostics))
    code, line, col, message = found[0]
    assert (code, line, col) == (expected.code, expected.line, expected.col), str(project.diagnostics[0])
    if expected.message.endswith("…"):
        assert message.startswith(expected.message[:-1]), message
    else:
        assert message == expected.message


@pytest.mark.parametrize("name", list(HAZARDS))
def test_hazard_is_refused_at_its_place_quickly_in_bounded_memory(
    name, load_paths, write_playbook, valid_playbook, system_calls
):
    hazard = HAZARDS[name](valid_playbook)
    path = write_playbook(hazard.text)
    project, peak = measured(lambda: load_paths([path]))
    assert_only(project, hazard.expected)
    assert peak < PEAK_LIMIT, f"{name}: loading took {peak / MB:.1f} MB at its peak"
    assert system_calls == []


# --------------------------------------------------------------------------------------------- size


@pytest.fixture
def reads(monkeypatch) -> dict[Path, list[tuple[int, int]]]:
    """Every ``read`` on a file the reader opens: file → [(bytes asked for, bytes returned), ...]."""
    log: dict[Path, list[tuple[int, int]]] = {}

    class Spy:
        def __init__(self, file, *args, **kwargs):
            self.reads = log.setdefault(Path(file).resolve(), [])
            self.handle = open(file, *args, **kwargs)  # noqa: SIM115 (closed by __exit__)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def read(self, size=-1):
            data = self.handle.read(size)
            self.reads.append((size, len(data)))
            return data

    monkeypatch.setattr(yaml_reader, "open", Spy, raising=False)
    return log


def test_ten_megabyte_file_is_refused_unread(load_paths, write_playbook, reads):
    path = write_playbook("")
    with path.open("w", encoding="utf-8") as handle:
        for i in range(10 * MB // 16):
            handle.write(f"k{i:07}: value\n")  # 16 bytes a line
    size = path.stat().st_size
    assert size == 10 * MB
    project, peak = measured(lambda: load_paths([path]))
    assert_only(
        project,
        Expected("yaml-too-large", 1, 1, f"file is {size:,} bytes, more than the {MAX_BYTES:,} a playbook may have"),
    )
    assert sum(got for _, got in reads.get(path.resolve(), [])) <= MAX_BYTES + 1, reads
    assert peak < PEAK_LIMIT, f"loading took {peak / MB:.1f} MB at its peak"


def test_ten_thousand_indented_mappings_are_too_large_to_read(load_paths, write_playbook, reads):
    """10,000 levels of indentation need 50 MB: refused by the size cap before any of it is read."""
    path = write_playbook("")
    with path.open("w", encoding="utf-8") as handle:
        for level in range(10_000):
            handle.write(" " * level + f"k{level}:\n")
    size = path.stat().st_size
    project, peak = measured(lambda: load_paths([path]))
    assert_only(project, Expected("yaml-too-large", 1, 1, f"file is {size:,} bytes…"))
    assert path.resolve() not in reads, reads
    assert peak < PEAK_LIMIT


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_file_whose_size_is_unknown_is_read_only_up_to_the_cap(load_paths, reads):
    """``/dev/zero`` reports a size of 0 and never ends: the reader reads ``MAX_BYTES + 1`` bytes of it, once,
    and refuses it as too large."""
    project, peak = measured(lambda: load_paths([Path("/dev/zero")]))
    assert_only(project, Expected("yaml-too-large", 1, 1, f"text is larger than {MAX_BYTES:,} bytes"))
    assert reads[Path("/dev/zero")] == [(MAX_BYTES + 1, MAX_BYTES + 1)], reads
    assert peak < PEAK_LIMIT, f"loading took {peak / MB:.1f} MB at its peak"


def test_a_file_of_exactly_the_cap_is_read(load_paths, write_playbook, valid_playbook):
    """The boundary: a valid playbook padded with a comment to exactly ``MAX_BYTES`` loads cleanly; one byte more
    is refused."""
    padding = MAX_BYTES - len(valid_playbook.encode()) - len("#\n")
    path = write_playbook(valid_playbook + "#" + "x" * padding + "\n")
    assert path.stat().st_size == MAX_BYTES
    project, peak = measured(lambda: load_paths([path]))
    assert project.diagnostics == []
    assert peak < PEAK_LIMIT
    path.write_bytes(path.read_bytes() + b"\n")
    assert_only(load_paths([path]), Expected("yaml-too-large", 1, 1, f"file is {MAX_BYTES + 1:,} bytes…"))


def test_a_named_pipe_in_a_playbook_folder_is_skipped(load_paths, write_playbook, valid_playbook):
    """Opening a named pipe blocks until something writes to it: a folder is searched for regular files only."""
    path = write_playbook(valid_playbook)
    os.mkfifo(path.parent / "pipe.yaml")
    with hang_guard():
        project = load_paths([path.parent])
    assert project.diagnostics == []
    assert [Path(f).resolve() for f in project.files] == [path.resolve()]


# --------------------------------------------------------------------------------------------- many keys

MANY_KEYS = 200_000
MANY_KEYS_CHILD = textwrap.dedent(
    """
    import datetime, json, resource, signal, sys
    from pathlib import Path
    from macros.engine.loader import load_project

    path, org = Path(sys.argv[1]), Path(sys.argv[2])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    signal.alarm(int(sys.argv[3]))  # a hang guard: the default action of SIGALRM ends the process
    project = load_project([path], org_file=org, today=datetime.date(2026, 11, 26))
    signal.alarm(0)
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    found = project.diagnostics
    print(json.dumps({"grown": grown, "count": len(found), "codes": sorted({d.code for d in found}),
                      "first": [found[0].code, found[0].line, found[0].col, found[0].message] if found else None}))
    """
)
BYTES_PER_BYTE = 256  # memory a file may cost, per byte of it (a valid 3 MB playbook of 13,000 nodes costs ~40)


def many_keys_nested(valid: str) -> tuple[str, int, list, list]:
    """200,000 tiny keys where a text belongs: valid YAML, one schema error."""
    keys = "".join(f"  k{i}: v\n" for i in range(MANY_KEYS))
    text = valid.replace("title: Fixture playbook\n", "title:\n" + keys)
    return text, 1, ["schema-string-type", 3, 3, "'title' should be text, not a mapping"], ["schema-string-type"]


def many_keys_unknown(valid: str) -> tuple[str, int, list, list]:
    """200,000 tiny unknown keys at the top: valid YAML, one schema error per key, of which the first
    MAX_PROBLEMS_PER_FILE are reported, then one line counting the rest."""
    text = valid + "".join(f"k{i}: v\n" for i in range(MANY_KEYS))
    first = ["schema-extra-forbidden", 37, 1, "unknown key 'k0'"]
    return text, MAX_PROBLEMS_PER_FILE + 1, first, ["schema-extra-forbidden", "too-many-problems"]


@pytest.mark.parametrize("build", [many_keys_nested, many_keys_unknown], ids=["nested", "unknown"])
def test_two_hundred_thousand_keys_are_refused_in_bounded_memory(build, write_playbook, valid_playbook):
    text, count, first, codes = build(valid_playbook)
    path = write_playbook(text)
    size = path.stat().st_size
    assert size < MAX_BYTES
    result = subprocess.run(
        [sys.executable, "-c", MANY_KEYS_CHILD, str(path), str(ORG_FIXTURE), str(HANG_SECONDS)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS * 3,
        check=False,
    )
    assert result.returncode == 0, f"exit {result.returncode} (-14: the hang guard fired)\n{result.stderr}"
    found = json.loads(result.stdout)
    assert found["first"] == first
    assert found["count"] == count and found["codes"] == codes
    assert found["grown"] < BYTES_PER_BYTE * size, (
        f"a {size / MB:.1f} MB file took {found['grown'] / MB:.0f} MB more memory to load"
    )
