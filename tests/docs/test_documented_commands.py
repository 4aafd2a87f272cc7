"""Every command the README and the docs show is run, and every YAML example is checked.

A reader copies what a page shows. So, in a copy of the project:

- each ``console`` block is run: ``$ `` lines are commands (a trailing ``\\`` continues one), the lines under a
  command are what it prints (``...`` stands for any text), and a command ends with ``# exits N`` when it is
  meant to fail. The printed lines must appear in the output, in that order, and the exit code must match.
  ``make serve``, ``make test`` and ``make bench`` run for minutes or forever, so for them ``make -n`` checks that
  the target exists and what it would run;
- each ``yaml`` block is marked, in an HTML comment just above it that the reader does not see, as
  ``<!-- file: PATH -->`` (written to PATH in the copy before the page's commands run, several blocks with the
  same PATH are joined; a playbook written so must pass the checker with the project's own playbooks) or as
  ``<!-- fragment: MODEL -->`` (checked alone against that model of the playbook format, e.g. ``Playbook``,
  ``Outcome``, ``Organisation``, or ``front-matter`` for a page's front matter). An unmarked block fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pydantic import ValidationError

from macros.engine import models
from macros.engine.loader import load_project
from macros.engine.yaml_reader import YamlProblem, parse

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```\s*$", re.M | re.S)
MARK = re.compile(r"<!--\s*(file|fragment):\s*(\S+)\s*-->\s*(?:\{%\s*raw\s*%\}\s*)?$")
EXITS = re.compile(r"\s+#\s*exits\s+(\d+)\s*$")
DRY_RUN = ("make serve", "make test", "make bench")
FRONT_MATTER_KEYS = {"render_macros", "hide", "search", "title", "description"}


@dataclass
class Command:
    line: int
    text: str
    expected: list[str] = field(default_factory=list)
    exit_code: int = 0


@dataclass
class Page:
    path: Path
    commands: list[Command] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    fragments: list[tuple[int, str, str]] = field(default_factory=list)  # line, model, text
    unmarked: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.relative_to(ROOT).as_posix()


def read_page(path: Path) -> Page:
    text = path.read_text(encoding="utf-8")
    page = Page(path)
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        body = "\n".join(row[len(match.group("indent")):] for row in match.group("body").splitlines())
        before = text[: match.start()].rstrip("\n").splitlines()
        mark = MARK.search(before[-1]) if before else None
        if match.group("lang") == "console":
            page.commands += parse_console(body, line)
        elif match.group("lang") == "json" and mark is not None and mark.group(1) == "file":
            page.files[mark.group(2)] = page.files.get(mark.group(2), "") + body + "\n"  # e.g. an incident file
        elif match.group("lang") == "yaml":
            if mark is None:
                page.unmarked.append(line)
            elif mark.group(1) == "file":
                page.files[mark.group(2)] = page.files.get(mark.group(2), "") + body + "\n"
            else:
                page.fragments.append((line, mark.group(2), body))
    return page


def parse_console(body: str, first_line: int) -> list[Command]:
    commands: list[Command] = []
    continuing = False
    for offset, row in enumerate(body.splitlines(), 1):
        if continuing:
            commands[-1].text = commands[-1].text[:-1] + " " + row.strip()
        elif row.startswith("$ "):
            commands.append(Command(first_line + offset, row[2:]))
        elif row.strip():
            if not commands:  # a block without prompts: reported by the first test
                return []
            commands[-1].expected.append(row)
        continuing = (commands[-1].text.endswith("\\")) if commands and (row.startswith("$ ") or continuing) else False
    for command in commands:
        found = EXITS.search(command.text)
        if found:
            command.exit_code = int(found.group(1))
    return commands


READ = [read_page(path) for path in PAGES]
RUNNABLE = [page for page in READ if page.commands or page.files]


def test_every_console_block_uses_prompts_and_every_yaml_block_is_marked() -> None:
    problems = []
    for page in READ:
        text = page.path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match.group("lang") in ("console", "shell", "bash", "sh") and "$ " not in match.group("body"):
                problems.append(f"{page.name}:{text.count(chr(10), 0, match.start()) + 1}: a command block "
                                "without '$ ' prompts (write it as ```console with $ lines)")
        problems += [f"{page.name}:{line}: yaml block with no <!-- file: --> or <!-- fragment: --> mark"
                     for line in page.unmarked]
    assert not problems, "\n".join(problems)
    assert sum(len(page.commands) for page in READ) >= 8, "the docs show hardly any commands: is the parser broken?"


def copy_project(dest: Path) -> Path:
    root = dest / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis", "node_modules")
    for name in ("macros", "playbooks", "docs", "tests"):
        shutil.copytree(ROOT / name, root / name, ignore=ignore)
    for name in ("mkdocs.yml", "Makefile", "pyproject.toml", "requirements.lock", "README.md", "package.json",
                 "package-lock.json"):
        shutil.copy2(ROOT / name, root / name)
    for extra in ROOT.glob("requirements-*.lock"):
        shutil.copy2(extra, root / extra.name)
    # installed already: `make` finds their stamps newer than the locks
    for installed in (".venv", ".venv-properdocs", "node_modules"):
        if (ROOT / installed).exists():
            (root / installed).symlink_to(ROOT / installed)
    return root


def matches(expected: list[str], output: str) -> str | None:
    """None when every expected line appears in ``output`` in order (``...`` is any text), else the first missing."""
    lines = output.splitlines()
    at = 0
    for want in expected:
        pattern = re.compile("^" + ".*".join(re.escape(part) for part in want.strip().split("...")) + "$")
        while at < len(lines) and not pattern.match(lines[at].strip()):
            at += 1
        if at == len(lines):
            return want
        at += 1
    return None


@pytest.mark.parametrize("page", RUNNABLE, ids=[page.name for page in RUNNABLE])
def test_the_commands_of_a_page_run_as_shown(page: Page, tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    for rel, text in page.files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    if any(rel.startswith("playbooks/") for rel in page.files):
        checked = load_project([root / "playbooks"], org_file=root / "playbooks" / "organisation.yaml")
        assert checked.ok, f"{page.name}: its example files do not pass the checker:\n" + "\n".join(
            map(str, checked.diagnostics))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MAKEFLAGS", "MAKELEVEL")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    problems = []
    for command in page.commands:
        text = EXITS.sub("", command.text)
        if any(text.strip() == target or text.strip().startswith(target + " ") for target in DRY_RUN):
            text = text.replace("make ", "make -n ", 1)
        result = subprocess.run(["bash", "-c", text], cwd=root, env=env, capture_output=True, text=True,
                                stdin=subprocess.DEVNULL, timeout=300, check=False)
        output = result.stdout + result.stderr
        where = f"{page.name}:{command.line}: $ {command.text}"
        if result.returncode != command.exit_code:
            said = f"exit {result.returncode}, the page says {command.exit_code}"
            problems.append(f"{where}\n  {said}:\n{output[-2000:]}")
        elif (missing := matches(command.expected, output)) is not None:
            problems.append(f"{where}\n  the page shows {missing!r}, which it no longer prints:\n{output[-2000:]}")
        if "Traceback" in output:
            problems.append(f"{where}\n  printed a traceback:\n{output[-2000:]}")
    assert not problems, "\n\n".join(problems)


FRAGMENTS = [(page, line, model, text) for page in READ for line, model, text in page.fragments]


@pytest.mark.parametrize(("page", "line", "model", "text"), FRAGMENTS,
                         ids=[f"{p.name}:{line}" for p, line, _, _ in FRAGMENTS])
def test_each_yaml_fragment_is_valid_as_what_it_shows(page: Page, line: int, model: str, text: str) -> None:
    if model == "front-matter":
        body = text.strip()
        assert body.startswith("---") and body.endswith("---"), f"{page.name}:{line}: front matter between --- lines"
        doc = parse(body.strip("-").strip() + "\n", f"{page.name}:{line}")
        unknown = set(doc.data) - FRONT_MATTER_KEYS
        assert not unknown, f"{page.name}:{line}: front matter keys no page uses: {unknown}"
        return
    cls = getattr(models, model, None)
    assert isinstance(cls, type) and issubclass(cls, models.BaseModel), f"{page.name}:{line}: no model {model!r}"
    try:
        doc = parse(text + "\n", f"{page.name}:{line}")
        cls.model_validate(doc.data)
    except (YamlProblem, ValidationError) as problem:
        pytest.fail(f"{page.name}:{line}: the example is not a valid {model}:\n{problem}")
