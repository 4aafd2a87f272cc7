"""Fuzzing the reader and the loader: random text and bytes, and one-change mutations of the real playbooks.

Every input is written to a file and loaded with :func:`macros.engine.loader.load_project`. Whatever it holds, the
loader must return (never raise) and every diagnostic must be located: a path, a line inside the file and a
column inside that line, a code and a message.

For mutations of the real playbooks the test also knows, without asking the engine, whether the result is
valid, and often which problem must be reported where. It learns the structure of each original file from
PyYAML's own pure-Python composer (not the engine's reader), so it knows where every key and value stands, and
decides validity from what the mutation did: a required key deleted, an id that is referenced renamed, a value
of the wrong type, a tag, an anchor, too deep, too long... are errors; a text reworded, an optional key
that nothing refers to deleted, a comment or trailing tab added are not. Where that cannot be decided (some
truncations) only the location properties are checked.

Deterministic: Hypothesis runs derandomized, with no example database.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.engine.diagnostics import Diagnostic
from macros.engine.loader import Project, playbook_files

REPO = Path(__file__).resolve().parents[2]
PLAYBOOKS = REPO / "playbooks"
ORG_NAME = "organisation.yaml"
LATER = datetime.date(2100, 1, 1)  # every real playbook is then stale (a warning), none is in the future (an error)

FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PER_KIND = settings(FUZZ, max_examples=15)
STACKED = settings(FUZZ, max_examples=30)  # each step composes the file again: slow

# Line breaks as YAML counts them (YAML 1.1: LF, CR, CR LF, NEL, LS and PS), written out here independently.
YAML_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
CODE = re.compile(r"[a-z]+(?:-[a-z]+)*")


# --------------------------------------------------------------------------------------------- located


def assert_located(project: Project, texts: dict[Path, str]) -> None:
    """Every diagnostic names one of ``texts`` (file → its text as read) and a line and column inside it."""
    assert isinstance(project, Project)
    by_path = {path.resolve(): text for path, text in texts.items()}
    for found in project.diagnostics:
        assert isinstance(found, Diagnostic), found
        assert found.path, found
        assert found.message.strip(), found
        assert CODE.fullmatch(found.code), found
        path = Path(found.path).resolve()
        assert path in by_path, f"{found}: not one of the loaded files"
        lines = YAML_BREAKS.split(by_path[path])  # n line breaks: n + 1 lines, the last maybe empty
        assert 1 <= found.line <= len(lines), f"{found}: the file has {len(lines)} lines"
        width = len(lines[found.line - 1])
        assert 1 <= found.col <= width + 1, f"{found}: line {found.line} has {width} characters"
        assert "Traceback" not in found.message, found


def as_read(raw: bytes) -> str:
    """The text the reader sees, for counting lines (a bad byte counts as one character)."""
    return raw.decode("utf-8", "replace").removeprefix("\ufeff")


def at(project: Project, path: Path, code: str, line: int | None = None, col: int | None = None) -> list[Diagnostic]:
    """Diagnostics of ``path`` with ``code`` (and that position, when given)."""
    return [
        d
        for d in project.diagnostics
        if Path(d.path).resolve() == path.resolve()
        and d.code == code
        and (line is None or d.line == line)
        and (col is None or d.col == col)
    ]


def listing(project: Project) -> str:
    return "\n".join(map(str, project.diagnostics)) or "(no diagnostics)"


# --------------------------------------------------------------------------------------------- random text

PUNCTUATION = [*":-?,[]{}#&*!|>'\"%@`\\", "\t", "\n", "\r", "\r\n", " ", "  ", "    "]
ODD_CHARACTERS = ["\x00", "\x07", "\x1b", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe", "é", "☎", "😀", "\u202e"]
FRAGMENTS = [
    "id: ",
    "title: ",
    "tree:\n  start: a\n  nodes:\n",
    "    a:\n      question: Q?\n      answers:\n",
    "        - id: x\n          label: X\n          next: a\n",
    "- ",
    "? ",
    ": ",
    "---\n",
    "...\n",
    "&a ",
    "*a",
    "!!python/object/apply:os.system ['echo pwned']",
    "!!binary aGk=",
    "!foo ",
    "! ",
    "|\n",
    ">-\n",
    "|+2\n",
    "{org.team}",
    "{org.",
    "{{ x }}",
    "%YAML 1.1\n",
    "%TAG ! tag:example.com,2000:\n",
    "<<: ",
    "[[[[[[[[",
    "{a: {b: {c: ",
    "'it''s'",
    '"\\x41\\u263a\\N"',
    "# comment\n",
    "2026-11-26",
    "~",
    "null",
]
yamlish = st.lists(
    st.one_of(
        st.sampled_from(PUNCTUATION),
        st.sampled_from(ODD_CHARACTERS),
        st.sampled_from(FRAGMENTS),
        st.text(st.characters(codec="utf-8"), max_size=6),
        st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
    ),
    max_size=60,
).map("".join)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def load_raw(load_paths: Callable[..., Project], folder: Path, raw: bytes, name: str = "fuzz.yaml") -> Project:
    path = folder / name
    path.write_bytes(raw)
    project = load_paths([path])
    assert_located(project, {path: as_read(raw)})
    return project


@FUZZ
@given(text=yamlish)
def test_random_yamlish_text_gives_located_diagnostics(load_paths, scratch, text):
    load_raw(load_paths, scratch, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(raw=st.one_of(st.binary(max_size=300), yamlish.map(lambda t: t.encode("utf-8", "surrogatepass"))), cut=st.data())
def test_random_bytes_give_located_diagnostics(load_paths, scratch, raw, cut):
    """Bytes, including invalid UTF-8, truncated multi-byte characters and a byte order mark."""
    where = cut.draw(st.integers(0, len(raw)))
    extra = cut.draw(st.sampled_from([b"", b"\xff", b"\xc3", b"\xe2\x98", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\x00"]))
    load_raw(load_paths, scratch, raw[:where] + extra + raw[where:])


@FUZZ
@given(data=st.data())
def test_fragments_spliced_into_a_valid_playbook_give_located_diagnostics(load_paths, scratch, valid_playbook, data):
    """A valid playbook with random YAML-ish text replacing a random stretch: the engine gets far past the reader."""
    start = data.draw(st.integers(0, len(valid_playbook)))
    end = data.draw(st.integers(start, min(len(valid_playbook), start + 40)))
    text = valid_playbook[:start] + data.draw(yamlish) + valid_playbook[end:]
    load_raw(load_paths, scratch, text.encode("utf-8", "surrogatepass"), "fixture.yaml")


def test_the_valid_playbook_is_valid(load_paths, scratch, valid_playbook):
    """Control for the splicing test: unchanged, the playbook loads without a problem."""
    assert load_raw(load_paths, scratch, valid_playbook.encode(), "fixture.yaml").diagnostics == []


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [("id: x\ntitle", 2, 6), ("id: [x", 1, 7), ("id: 'x", 1, 7), ("id: x\ntitle\n", 3, 1)],
    ids=["key-without-colon", "open-bracket", "open-quote", "with-final-line-break"],
)
def test_an_error_at_the_end_of_the_text_is_inside_the_file(load_text, text, line, col):
    """libyaml reports the end of a text that has no final line break on a line after it, which the file does not
    have (found by the truncation fuzzing): the reader reports it at the end of the last line instead."""
    [problem] = load_text(text).diagnostics
    assert (problem.line, problem.col, problem.code) == (line, col, "yaml-syntax"), str(problem)


# --------------------------------------------------------------------------------------------- real playbooks

# Keys whose value is free text (pydantic ``Text``) wherever they appear as a field of a model.
TEXT_KEYS = {"title", "summary", "text", "label", "question", "hint", "description", "example", "name", "task"}
TEXT_KEYS |= {"when", "who", "appointed_by"}
DICT_OF_IDS = {"nodes", "placeholders", "raci", "groups", "names"}  # their keys are ids or names, not fields
# Required fields, by the model that holds them (the playbook format in docs/reference and macros/models.py).
REQUIRED = {
    "playbook": {"id", "title", "summary", "audience", "owner", "last_reviewed", "tree"},
    "tree": {"start", "nodes"},
    "question": {"question", "answers"},
    "outcome": {"title", "summary", "actions"},
    "answer": {"id", "label", "next"},
    "action": {"text"},
    "role": {"id", "name", "summary", "does"},
    "delegation": {"task", "instead"},
    "appointment": {"when", "who", "appointed_by"},
    "responsibility": {"id", "task", "raci"},
    "principle": {"id", "title", "text"},
    "template": {"id", "title", "channel", "audience", "filename", "body"},
    "placeholder": {"description", "example"},
    "link": {"label", "to"},
}
# Optional fields nothing refers to and that make nothing reachable: deleting one leaves a valid playbook.
OPTIONAL_UNREFERENCED = {
    "playbook": {"order"},
    "question": {"hint"},
    "principle": {"in_practice"},
    "role": {"does_not", "appointment"},
    "action": {"owner", "templates"},
    "template": {"summary"},
    "placeholder": {"label"},
}
FRESH_ID = "zz-fuzz-renamed"  # valid as an id, used nowhere
ORG_REF = "{org.zz_fuzz}"  # a name the organisation file does not have
PYTHON_TAG = "!!python/object/apply:os.system ['echo pwned']"
MAX_TEXT = 20_000  # the longest text a field may hold
MAX_DEPTH = 32  # the deepest nesting the reader accepts (the top-level mapping is level 1)


def model_of(path: tuple[Any, ...], node: yaml.Node) -> str | None:
    """Which model of the format the mapping at ``path`` is (for the required and optional key tables)."""
    keys = {k.value for k, _ in node.value} if isinstance(node, yaml.MappingNode) else set()
    if path == ():
        return "playbook"
    tail = path[-2:] if len(path) >= 2 else path
    if path == ("tree",):
        return "tree"
    if len(path) == 3 and path[:2] == ("tree", "nodes"):
        return "question" if keys & {"question", "answers"} else "outcome"
    if len(path) >= 2 and isinstance(path[-1], int):
        return {
            "answers": "answer",
            "actions": "action",
            "roles": "role",
            "does_not": "delegation",
            "appointment": "appointment",
            "responsibilities": "responsibility",
            "principles": "principle",
            "templates": "template",
            "related": "link",
        }.get(path[-2])
    if len(path) >= 2 and tail[0] == "placeholders":
        return "placeholder"
    return None


@dataclass(frozen=True)
class Entry:
    """One ``key: value`` of a mapping in the original file, as PyYAML composed it."""

    path: tuple[Any, ...]  # of the value
    key: yaml.ScalarNode
    value: yaml.Node
    enclosing: int  # collections around the value (the top-level mapping counts)
    block: bool  # the mapping is in block style
    model: str | None  # the model the mapping is (see ``model_of``)
    first_on_line: bool  # only spaces before the key
    item_first: bool  # '- ' before the key: the first key of a list item

    @property
    def name(self) -> str:
        return self.key.value

    @property
    def is_text(self) -> bool:
        if len(self.path) >= 2 and self.path[-2] in DICT_OF_IDS:
            return False
        if self.name in TEXT_KEYS:
            return True
        return self.path in {("owner",)} or (self.name == "audience" and self.path[0] == "templates")

    @property
    def single_line_scalar(self) -> bool:
        return (
            isinstance(self.value, yaml.ScalarNode)
            and self.value.style in (None, "'", '"')
            and self.value.start_mark.line == self.value.end_mark.line
        )


@dataclass(frozen=True)
class Item:
    """One scalar item of a sequence (``templates: [a, b]``, ``- text``)."""

    path: tuple[Any, ...]
    value: yaml.ScalarNode


@dataclass
class Structure:
    """Where every key and value of one original file stands."""

    text: str
    entries: list[Entry] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> Structure:
        found = cls(text)
        todo: list[tuple[yaml.Node, tuple[Any, ...], int]] = [(yaml.compose(text, Loader=yaml.SafeLoader), (), 0)]
        while todo:
            node, path, enclosing = todo.pop()
            if isinstance(node, yaml.MappingNode):
                model = model_of(path, node)
                for key, value in node.value:
                    line_start = text.rfind("\n", 0, key.start_mark.index) + 1
                    before = text[line_start : key.start_mark.index]
                    found.entries.append(
                        Entry(
                            (*path, key.value),
                            key,
                            value,
                            enclosing + 1,
                            not node.flow_style,
                            model,
                            before.strip() == "",
                            before.strip() == "-",
                        )
                    )
                    todo.append((value, (*path, key.value), enclosing + 1))
            elif isinstance(node, yaml.SequenceNode):
                for index, value in enumerate(node.value):
                    if isinstance(value, yaml.ScalarNode):
                        found.items.append(Item((*path, index), value))
                    todo.append((value, (*path, index), enclosing + 1))
        found.entries.sort(key=lambda e: e.key.start_mark.index)
        found.items.sort(key=lambda i: i.value.start_mark.index)
        return found


def pos(mark: yaml.Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def replace(text: str, node: yaml.Node, new: str) -> str:
    return text[: node.start_mark.index] + new + text[node.end_mark.index :]


def line_bounds(text: str, index: int) -> tuple[int, int]:
    """Start of the line holding ``index``, and the start of the next line."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return start, len(text) if end < 0 else end + 1


@dataclass
class Expect:
    """What loading a mutated project must give. ``valid`` None: not decided independently."""

    valid: bool | None
    code: str | None = None
    line: int | None = None
    col: int | None = None
    message: str | None = None  # part of the expected diagnostic's message


@dataclass
class Real:
    """A copy of the real playbooks and organisation file, and what the test knows about each playbook."""

    folder: Path
    texts: dict[str, str]  # file name → original text
    structures: dict[str, Structure]
    roles_used: set[str]
    templates_used: set[str]

    def load(self, load_paths: Callable[..., Project]) -> Project:
        return load_paths([self.folder], org_file=self.folder / ORG_NAME, today=LATER)


def references(texts: dict[str, str]) -> tuple[set[str], set[str]]:
    """Role ids and template ids some playbook refers to, read with PyYAML's own safe loader."""
    roles: set[str] = set()
    templates: set[str] = set()
    for text in texts.values():
        data = yaml.safe_load(text)
        for role in data.get("roles") or []:
            roles.update(d["instead"] for d in role.get("does_not") or [])
            roles.update(a["appointer_role"] for a in role.get("appointment") or [] if a.get("appointer_role"))
        for task in data.get("responsibilities") or []:
            roles.update(task["raci"])
        for node in data["tree"]["nodes"].values():
            for action in node.get("actions") or []:
                if action.get("owner"):
                    roles.add(action["owner"])
                templates.update(action.get("templates") or [])
    return roles, templates


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory, load_paths: Callable[..., Project]) -> Real:
    folder = tmp_path_factory.mktemp("real-playbooks")
    # the playbooks and the organisation file only: other files of the folder (the guideline map) are not mutated
    for source in [*playbook_files([PLAYBOOKS]), PLAYBOOKS / ORG_NAME]:
        shutil.copy2(source, folder / source.name)
    texts = {p.name: p.read_text(encoding="utf-8") for p in playbook_files([folder])}
    assert texts, f"no playbooks in {PLAYBOOKS}"
    roles, templates = references(texts)
    found = Real(folder, texts, {name: Structure.of(text) for name, text in texts.items()}, roles, templates)
    baseline = found.load(load_paths)
    assert baseline.ok, "the real playbooks must be valid for the mutation tests:\n" + listing(baseline)
    return found


# Each mutation takes the original text, its structure and a draw function, and returns the new text (or bytes)
# with what loading it must give. ``pick`` draws one element of a non-empty list (and skips the example if empty).
Mutation = Callable[[str, Structure, "Real", Callable[[list], Any]], tuple[str | bytes, Expect]]


def _text_sites(structure: Structure) -> list[Entry]:
    return [e for e in structure.entries if e.is_text and e.single_line_scalar and e.block]


def reword_text(text, structure, real, pick):
    entry = pick(_text_sites(structure))
    return replace(text, entry.value, "Fuzzed wording of this text"), Expect(True)


def trailing_tab(text, structure, real, pick):
    sites = [
        e
        for e in structure.entries
        if e.single_line_scalar
        and e.value.style is None
        and text[e.value.end_mark.index : e.value.end_mark.index + 1] in ("\n", "")
    ]
    entry = pick(sites)
    end = entry.value.end_mark.index
    return text[:end] + "\t" + text[end:], Expect(True)  # trailing white space is not part of a plain scalar


def indenting_tab(text, structure, real, pick):
    entry = pick([e for e in structure.entries if e.block and e.first_on_line])
    start, _ = line_bounds(text, entry.key.start_mark.index)
    return text[:start] + "\t" + text[start:], Expect(False, "yaml-syntax", entry.key.start_mark.line + 1)


def _block_of(text: str, entry: Entry) -> tuple[int, int]:
    """The lines holding ``key: value`` (the value may run over several lines, or be a block below)."""
    start, _ = line_bounds(text, entry.key.start_mark.index)
    end = entry.value.end_mark.index
    end_line_start, end_line_end = line_bounds(text, end) if end < len(text) else (len(text), len(text))
    if text[end_line_start:end].strip() == "":
        return start, end_line_start  # a block value ends where the next token starts: keep that line
    return start, end_line_end  # a value that ends within its last line: delete the whole line


def delete_required(text, structure, real, pick):
    sites = [e for e in structure.entries if e.block and e.first_on_line and e.name in REQUIRED.get(e.model, ())]
    entry = pick(sites)
    start, end = _block_of(text, entry)
    return text[:start] + text[end:], Expect(False, "schema-missing", message=f"missing required key '{entry.name}'")


def delete_optional(text, structure, real, pick):
    sites = [
        e for e in structure.entries if e.block and e.first_on_line and e.name in OPTIONAL_UNREFERENCED.get(e.model, ())
    ]
    entry = pick(sites)
    start, end = _block_of(text, entry)
    return text[:start] + text[end:], Expect(True)


def rename_node(text, structure, real, pick):
    """Every node is referenced (else it would be unreachable): renaming where it is defined breaks a reference."""
    entry = pick([e for e in structure.entries if e.path[:2] == ("tree", "nodes") and len(e.path) == 3])
    return text[: entry.key.start_mark.index] + FRESH_ID + text[entry.key.end_mark.index :], Expect(False)


def rename_definition(text, structure, real, pick):
    """A role or template renamed is fine when nothing refers to it; principles, tasks and answers are never
    referred to; a playbook renamed no longer matches its file name."""
    sites = [
        e
        for e in structure.entries
        if e.name == "id"
        and e.single_line_scalar
        and e.path[0] in ("roles", "templates", "principles", "responsibilities")
    ]
    sites += [e for e in structure.entries if e.path == ("id",)]
    sites += [e for e in structure.entries if e.name == "id" and "answers" in e.path]
    entry = pick(sites)
    old = entry.value.value
    if entry.path == ("id",):
        expect = Expect(False, "id-mismatch", *pos(entry.value.start_mark))
    elif entry.path[0] == "roles":
        expect = Expect(old not in real.roles_used)
    elif entry.path[0] == "templates":
        expect = Expect(old not in real.templates_used)
    else:
        expect = Expect(True)
    return replace(text, entry.value, FRESH_ID), expect


REFERENCES = {  # key: (the part of the path that makes it a reference, the code when it points nowhere)
    "next": ("answers", "dangling-next"),
    "start": ("tree", "unknown-start"),
    "to": ("related", "unknown-playbook"),
    "owner": ("actions", "unknown-role"),
    "instead": ("does_not", "unknown-role"),
    "appointer_role": ("appointment", "unknown-role"),
}


def rename_reference(text, structure, real, pick):
    """A reference to a node, role, template or playbook renamed to an id defined nowhere is reported there."""
    sites: list[tuple[yaml.Node, str]] = [
        (e.value, REFERENCES[e.name][1])
        for e in structure.entries
        if e.name in REFERENCES
        and REFERENCES[e.name][0] in e.path
        and isinstance(e.value, yaml.ScalarNode)
        and (e.name != "start" or e.path == ("tree", "start"))
    ]
    sites += [(e.key, "unknown-role") for e in structure.entries if len(e.path) >= 2 and e.path[-2] == "raci"]
    sites += [(i.value, "unknown-template") for i in structure.items if len(i.path) >= 2 and i.path[-2] == "templates"]
    node, code = pick(sites)
    return replace(text, node, FRESH_ID), Expect(False, code, *pos(node.start_mark))


def swap_type(text, structure, real, pick):
    """A scalar becomes a list or a mapping, or a collection becomes a scalar: no field accepts that."""
    choice = pick(["scalar", "collection"])
    if choice == "scalar":
        entry = pick([e for e in structure.entries if e.single_line_scalar])
        new = pick(["[fuzz, list]", "{fuzz: mapping}", "[]", "{}"])
        return replace(text, entry.value, new), Expect(False, None, *pos(entry.value.start_mark))
    entry = pick([e for e in structure.entries if isinstance(e.value, yaml.CollectionNode)])
    value = entry.value
    if value.flow_style:
        return replace(text, value, "fuzz-scalar"), Expect(False, None, *pos(value.start_mark))
    tail = "\n" + " " * value.end_mark.column if value.end_mark.index < len(text) else "\n"
    return text[: value.start_mark.index] + "fuzz-scalar" + tail + text[value.end_mark.index :], Expect(False)


def truncate(text, structure, real, pick):
    """Cut the file short. Only trailing white space cut: valid. A YAML error or a required top-level key gone:
    invalid. Otherwise (the cut falls in the last text of a valid document) undecided."""
    where = pick(range(len(text) + 1))
    cut = text[:where]
    if where >= len(text.rstrip()):
        return cut, Expect(True)
    try:
        top = yaml.compose(cut, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return cut, Expect(False)
    if not isinstance(top, yaml.MappingNode) or not REQUIRED["playbook"] <= {k.value for k, _ in top.value}:
        return cut, Expect(False)
    return cut, Expect(None)


def huge_value(text, structure, real, pick):
    entry = pick(_text_sites(structure))
    expect = Expect(False, "schema-string-too-long", *pos(entry.value.start_mark))
    return replace(text, entry.value, "x" * (5 * MAX_TEXT)), expect  # 100,000 characters


def huge_comment(text, structure, real, pick):
    entry = pick([e for e in structure.entries if e.first_on_line or e.item_first])
    start, _ = line_bounds(text, entry.key.start_mark.index)
    return text[:start] + "# " + "x" * 100_000 + "\n" + text[start:], Expect(True)


def deep_nesting(text, structure, real, pick):
    """50 levels of '[' where a text was: refused at the '[' that opens level 33."""
    entry = pick(_text_sites(structure))
    line, col = pos(entry.value.start_mark)
    expect = Expect(False, "yaml-too-deep", line, col + MAX_DEPTH - entry.enclosing)
    return replace(text, entry.value, "[" * 50 + "x" + "]" * 50), expect


def duplicate_line(text, structure, real, pick):
    sites = [
        e
        for e in structure.entries
        if e.block
        and e.first_on_line
        and e.single_line_scalar
        and e.value.end_mark.line == e.key.start_mark.line
        and "\n" in text[e.value.end_mark.index :]
    ]
    entry = pick(sites)
    start, end = line_bounds(text, entry.key.start_mark.index)
    key_line, key_col = pos(entry.key.start_mark)
    expect = Expect(False, "yaml-duplicate-key", key_line + 1, key_col, f"(first on line {key_line})")
    return text[:end] + text[start:end] + text[end:], expect


def python_tag(text, structure, real, pick):
    entry = pick([e for e in structure.entries if e.single_line_scalar])
    return replace(text, entry.value, PYTHON_TAG), Expect(False, "yaml-tag", *pos(entry.value.start_mark))


def anchor(text, structure, real, pick):
    entry = pick([e for e in structure.entries if e.single_line_scalar])
    new = "&fuzz " + text[entry.value.start_mark.index : entry.value.end_mark.index]
    return replace(text, entry.value, new), Expect(False, "yaml-anchor", *pos(entry.value.start_mark))


def alias(text, structure, real, pick):
    entry = pick([e for e in structure.entries if e.single_line_scalar])
    return replace(text, entry.value, "*fuzz"), Expect(False, "yaml-alias", *pos(entry.value.start_mark))


def unknown_org_name(text, structure, real, pick):
    """An unknown ``{org.name}`` put into a text, plain or a block, is reported at its opening brace."""
    plain = [e for e in _text_sites(structure) if e.value.style is None]
    blocks = [
        e for e in structure.entries if e.block and isinstance(e.value, yaml.ScalarNode) and e.value.style in ("|", ">")
    ]
    entry = pick(plain + blocks)
    start, end = entry.value.start_mark.index, entry.value.end_mark.index
    if entry.value.style is None:  # after a space inside the text, or at its end
        where = pick([i for i in range(start, end) if text[i] == " "] + [end])
        new, brace = text[:where] + " " + ORG_REF + text[where:], where + 1
    else:  # at the start of a line of the block, after its indentation
        starts = []
        line = line_bounds(text, start)[1]
        while line < end:
            _, after = line_bounds(text, line)
            content = text[line:after].rstrip("\n")
            if content.strip():
                starts.append(line + len(content) - len(content.lstrip(" ")))
            line = after
        brace = pick(starts)
        new = text[:brace] + ORG_REF + " " + text[brace:]
    lines = YAML_BREAKS.split(new[:brace])
    return new, Expect(False, "unknown-org-name", len(lines), len(lines[-1]) + 1, "'{org.zz_fuzz}'")


def bad_byte(text, structure, real, pick):
    """A byte that is not UTF-8, at a character boundary: refused where it is, counted in characters."""
    where = pick(range(len(text) + 1))
    before = text[:where]
    lines = YAML_BREAKS.split(before)
    raw = before.encode("utf-8") + b"\xff" + text[where:].encode("utf-8")
    return raw, Expect(False, "yaml-encoding", len(lines), len(lines[-1]) + 1)


MUTATIONS: dict[str, Mutation] = {
    "reword-text": reword_text,
    "trailing-tab": trailing_tab,
    "indenting-tab": indenting_tab,
    "delete-required-key": delete_required,
    "delete-optional-key": delete_optional,
    "rename-node": rename_node,
    "rename-definition": rename_definition,
    "rename-reference": rename_reference,
    "swap-type": swap_type,
    "truncate": truncate,
    "huge-value": huge_value,
    "huge-comment": huge_comment,
    "deep-nesting": deep_nesting,
    "duplicate-key-line": duplicate_line,
    "python-tag": python_tag,
    "anchor": anchor,
    "alias": alias,
    "bad-byte": bad_byte,
    "unknown-org-name": unknown_org_name,
}


def mutate(real: Real, kind: str, data: st.DataObject) -> tuple[str, str | bytes, Expect]:
    name = data.draw(st.sampled_from(sorted(real.texts)), label="file")

    def pick(options):
        options = list(options)
        assert options, f"{kind}: nothing to mutate in {name}"
        return options[data.draw(st.integers(0, len(options) - 1))]

    new, expect = MUTATIONS[kind](real.texts[name], real.structures[name], real, pick)
    return name, new, expect


def check_mutated(real: Real, load_paths: Callable[..., Project], name: str, new: str | bytes, expect: Expect) -> None:
    target = real.folder / name
    raw = new if isinstance(new, bytes) else new.encode("utf-8")
    target.write_bytes(raw)
    try:
        project = real.load(load_paths)
    finally:
        target.write_text(real.texts[name], encoding="utf-8")
    texts = {real.folder / n: (as_read(raw) if n == name else t) for n, t in real.texts.items()}
    assert_located(project, texts)
    if expect.valid is not None:
        assert project.ok == expect.valid, (
            f"{name}: expected {'valid' if expect.valid else 'invalid'}, got:\n{listing(project)}"
        )
    if expect.code is not None or expect.line is not None:
        codes = [expect.code] if expect.code else sorted({d.code for d in project.diagnostics})
        found = [d for code in codes for d in at(project, target, code, expect.line, expect.col)]
        found = [d for d in found if d.is_error and (expect.message is None or expect.message in d.message)]
        assert found, (
            f"{name}: expected {expect.code or 'an error'} at {expect.line}:{expect.col}"
            f"{f' saying {expect.message!r}' if expect.message else ''}, got:\n{listing(project)}"
        )
    elif expect.message is not None:
        assert any(expect.message in d.message for d in project.diagnostics), listing(project)


@pytest.fixture
def no_system_calls(monkeypatch) -> list[str]:
    calls: list[str] = []
    monkeypatch.setattr(os, "system", calls.append)
    return calls


@pytest.mark.parametrize("kind", list(MUTATIONS))
def test_mutated_real_playbooks_are_judged_as_the_oracle_says(kind, real, load_paths, no_system_calls):
    @PER_KIND
    @given(data=st.data())
    def run(data):
        name, new, expect = mutate(real, kind, data)
        check_mutated(real, load_paths, name, new, expect)

    run()
    assert no_system_calls == []


@STACKED
@given(data=st.data())
def test_mutations_stacked_give_located_diagnostics(real, load_paths, data):
    """Two or three mutations on top of each other: no oracle, but never a crash and always located."""
    name = data.draw(st.sampled_from(sorted(real.texts)))
    text: str | bytes = real.texts[name]
    for _ in range(data.draw(st.integers(2, 3))):
        if isinstance(text, bytes):
            break
        try:
            structure = Structure.of(text)
        except yaml.YAMLError:
            break
        kind = data.draw(st.sampled_from(sorted(MUTATIONS)))

        def pick(options):
            options = list(options)
            if not options:
                raise LookupError
            return options[data.draw(st.integers(0, len(options) - 1))]

        try:
            text, _ = MUTATIONS[kind](text, structure, real, pick)
        except LookupError:
            break
    check_mutated(real, load_paths, name, text, Expect(None))


# --------------------------------------------------------------------------------------------- the command line

CLI_CASES = {"reword-text": 0, "truncate": 1, "python-tag": 0, "deep-nesting": 3, "bad-byte": 7, "huge-value": 2}


@pytest.mark.parametrize("kind", list(CLI_CASES))
def test_check_command_on_mutated_playbooks_exits_0_or_1(kind, real, cli, tmp_path):
    """``python -m macros check`` on a mutated copy: exit 0 (valid) or 1 (problems), never a traceback."""
    choice = CLI_CASES[kind]
    name = sorted(real.texts)[choice % len(real.texts)]
    text = real.texts[name]

    def pick(options):
        options = list(options)
        return options[len(options) // 2 if kind == "truncate" else (choice * 7919) % len(options)]

    new, expect = MUTATIONS[kind](text, real.structures[name], real, pick)
    folder = tmp_path / "playbooks"
    shutil.copytree(real.folder, folder)
    (folder / name).write_bytes(new if isinstance(new, bytes) else new.encode("utf-8"))
    result = cli("check", folder, "--org", folder / ORG_NAME, "--today", LATER.isoformat())
    output = result.stdout + result.stderr
    allowed = {0, 1} if expect.valid is None else {0 if expect.valid else 1}
    assert result.returncode in allowed, output
    assert "Traceback" not in output, output
    if result.returncode:
        assert re.search(rf"{re.escape(name)}:\d+:\d+: error: ", result.stdout), output
