"""The YAML reader: text stays text, nothing is ever constructed, and every problem has an exact position.

Each row of ``CASES`` names a file in ``fixtures/broken/`` holding exactly one problem, and where and
how the reader must report it. Columns count characters, as editors do.
"""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml

from macros.engine import yaml_reader
from macros.engine.yaml_reader import MAX_BYTES, YamlProblem

BROKEN = Path(__file__).parent / "fixtures" / "broken"

CASES = [
    # fixture, line, col, code, message (exact), part of the hint
    (
        "yaml-syntax.yaml",
        3,
        26,
        "yaml-syntax",
        "YAML syntax error: mapping values are not allowed in this context",
        "check indentation",
    ),
    (
        "yaml-duplicate-key.yaml",
        7,
        1,
        "yaml-duplicate-key",
        "key 'title' appears twice in this mapping (first on line 2)",
        "keep one of them",
    ),
    (
        "yaml-tag-python.yaml",
        6,
        8,
        "yaml-tag",
        "tag '!!python/object/apply:os.system' is not allowed in playbooks",
        "remove the tag",
    ),
    ("yaml-tag-custom.yaml", 6, 8, "yaml-tag", "tag '!ENV' is not allowed in playbooks", "remove the tag"),
    (
        "yaml-anchor.yaml",
        4,
        11,
        "yaml-anchor",
        "anchor '&readers' is not allowed in playbooks",
        "write repeated values",
    ),
    ("yaml-alias.yaml", 6, 8, "yaml-alias", "alias '*readers' is not allowed in playbooks", "write the value out"),
    ("yaml-billion-laughs.yaml", 8, 7, "yaml-anchor", "anchor '&lol0' is not allowed in playbooks", ""),
    (
        "yaml-complex-key.yaml",
        7,
        3,
        "yaml-complex-key",
        "a key must be a plain word, not a list, mapping or empty value",
        "write the key as text",
    ),
    # 'Équipe QA ' comes before the bad byte: 17 characters but 18 bytes into the line
    ("yaml-encoding.yaml", 6, 18, "yaml-encoding", "byte 0xff is not valid UTF-8", "save the file as UTF-8"),
    # '☎' is three bytes in UTF-8 but one column
    (
        "yaml-control-character.yaml",
        2,
        27,
        "yaml-syntax",
        "YAML error: unacceptable character #x0007: control characters are not allowed",
        "remove control characters",
    ),
    ("yaml-empty.yaml", 1, 1, "yaml-empty", "the file is empty", "write a playbook"),
    ("yaml-comments-only.yaml", 1, 1, "yaml-empty", "the file is empty", "write a playbook"),
    (
        "yaml-top-level-list.yaml",
        2,
        1,
        "yaml-top-level",
        "the file holds a list, but a playbook is a mapping of keys to values",
        "start the file with 'id: ...'",
    ),
    (
        "yaml-top-level-scalar.yaml",
        2,
        1,
        "yaml-top-level",
        "the file holds a single value, but a playbook is a mapping of keys to values",
        "start the file with 'id: ...'",
    ),
    # the 32nd '[' opens the 33rd level (the top-level mapping is the first)
    ("yaml-too-deep.yaml", 4, 42, "yaml-too-deep", "nesting is deeper than 32 levels", "check the indentation"),
    (
        "yaml-multiple-documents.yaml",
        37,
        1,
        "yaml-multiple-documents",
        "a playbook file holds one YAML document, this is a second one",
        "remove the '---' line",
    ),
    # at the '#': 'label: It is calm, say so in #incidents' is read as 'It is calm, say so in' (a warning)
    (
        "yaml-comment-in-value.yaml",
        24,
        40,
        "yaml-comment-in-value",
        "the text after # was read as a comment, so the value is 'It is calm, say so in'",
        'quote the value if the text is part of it: label: "It is calm, say so in #incidents"',
    ),
    # at the right-to-left override itself, inside 'It is \u202ecalm' (which shows as 'It is mlac')
    (
        "yaml-invisible-control.yaml",
        24,
        24,
        "invisible-control",
        "invisible control character U+202E (RIGHT-TO-LEFT OVERRIDE) in the text",
        "remove it: write the text without it",
    ),
]
WARNINGS = {"yaml-comment-in-value"}  # reported, and the file is still used


@pytest.mark.parametrize(("fixture", "line", "col", "code", "message", "hint"), CASES, ids=[c[0] for c in CASES])
def test_problem_is_reported_where_it_is(only_problem, fixture, line, col, code, message, hint):
    problem = only_problem(fixture)
    assert (problem.line, problem.col, problem.code, problem.message) == (line, col, code, message)
    assert hint in problem.hint
    assert problem.is_error == (code not in WARNINGS)


def test_every_reader_fixture_is_in_the_table():
    on_disk = {path.name for path in BROKEN.glob("yaml-*.yaml")}
    assert on_disk == {case[0] for case in CASES}


@pytest.fixture
def system_calls(monkeypatch, tmp_path):
    """Record instead of run every ``os.system`` call, from a scratch working folder."""
    calls: list[str] = []
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "system", calls.append)
    return calls


def test_python_tag_is_never_constructed(load_paths, system_calls, tmp_path):
    project = load_paths([BROKEN / "yaml-tag-python.yaml"])
    assert [d.code for d in project.diagnostics] == ["yaml-tag"]
    assert system_calls == []
    assert list(tmp_path.iterdir()) == []  # the fixture's command would have created a file here


def test_python_tag_in_any_position_is_refused_before_anything_runs(load_text, tmp_path):
    marker = tmp_path / "constructed"
    for payload in (
        f"!!python/object/apply:os.system ['touch {marker}']",
        f"!!python/object/new:subprocess.check_call [['touch', '{marker}']]",
        "!!python/name:os.system",
        "!custom {a: b}",
    ):
        project = load_text(f"id: fixture\ntitle: {payload}\n")
        assert [(d.line, d.col, d.code) for d in project.diagnostics] == [(2, 8, "yaml-tag")], payload
    assert not marker.exists()


def test_the_no_construction_check_would_notice(system_calls):
    """Control for the tests above: PyYAML's unsafe loader does call ``os.system`` for this fixture."""
    yaml.unsafe_load((BROKEN / "yaml-tag-python.yaml").read_text(encoding="utf-8"))
    assert system_calls == ["touch tag-was-constructed"]


def test_alias_bomb_is_refused_without_expanding():
    tracemalloc.start()
    try:
        with pytest.raises(YamlProblem) as refused:
            yaml_reader.read(BROKEN / "yaml-billion-laughs.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.diagnostic.code == "yaml-anchor"
    # expanded, the bomb is 10**9 strings; refusing it at the first anchor needs next to nothing
    assert peak < 5 * 1024 * 1024


def test_yes_no_and_on_stay_text(load_text, valid_playbook):
    text = valid_playbook.replace("label: It is on fire", "label: Yes").replace("label: It is calm", "label: No")
    text = text.replace(
        "        - id: calm\n          label: No\n          next: wait\n",
        "        - id: calm\n          label: No\n          next: again\n"
        "    again:\n      question: off\n      answers:\n"
        "        - id: on\n          label: on\n          next: act\n"
        "        - id: off\n          label: OFF\n          next: wait\n"
        "        - id: time\n          label: 12:30\n          next: wait\n"
        "        - id: y\n          label: 1e3\n          next: wait\n",
    )
    project = load_text(text)
    assert project.diagnostics == []
    nodes = project.playbooks["fixture"].tree.nodes
    assert [answer.label for answer in nodes["ask"].answers] == ["Yes", "No"]
    assert [answer.label for answer in nodes["again"].answers] == ["on", "OFF", "12:30", "1e3"]
    assert [answer.id for answer in nodes["again"].answers] == ["on", "off", "time", "y"]
    assert nodes["again"].question == "off"


def test_reader_keeps_every_scalar_as_text():
    doc = yaml_reader.parse("a: yes\nb: 3\nc: 2026-11-26\nd: ~\ne:\nf: 'null'\ng: [No, 0x1F]\n")
    assert doc.data == {"a": "yes", "b": "3", "c": "2026-11-26", "d": None, "e": None, "f": "null", "g": ["No", "0x1F"]}


def test_byte_order_mark_is_ignored(write_playbook, load_paths, valid_playbook):
    path = write_playbook("", "fixture.yaml")
    path.write_bytes("\ufeff".encode() + valid_playbook.replace("owner: QA", "owner: QA {org.nope}").encode())
    [problem] = load_paths([path]).diagnostics
    assert (problem.line, problem.col, problem.code) == (6, 11, "unknown-org-name")


def test_file_over_the_size_cap_is_refused_unread(write_playbook, load_paths):
    path = write_playbook("", "big.yaml")
    with path.open("wb") as handle:
        handle.write(b"id: big\n")
        handle.truncate(5 * 1024 * 1024)  # 5 MB, mostly a sparse hole of NUL bytes: quick to make
    [problem] = load_paths([path]).diagnostics
    assert (problem.line, problem.col, problem.code) == (1, 1, "yaml-too-large")
    assert problem.message == f"file is {5 * 1024 * 1024:,} bytes, more than the {MAX_BYTES:,} a playbook may have"
    assert problem.hint == "split it into several playbooks"


def test_text_over_the_size_cap_is_refused():
    with pytest.raises(YamlProblem) as refused:
        yaml_reader.parse("#" * (MAX_BYTES + 1))
    assert refused.value.diagnostic.code == "yaml-too-large"


def test_missing_file_is_a_located_problem(load_paths, tmp_path):
    [problem] = load_paths([tmp_path / "gone.yaml"]).diagnostics
    assert (problem.line, problem.col, problem.code) == (1, 1, "file-unreadable")
    assert problem.message == "cannot read the file: No such file or directory"


def test_nesting_up_to_the_limit_and_long_files_are_read():
    doc = yaml_reader.parse("a: " + "[" * 31 + "x" + "]" * 31 + "\n" + "".join(f"k{i}: v\n" for i in range(5_000)))
    value = doc.data["a"]
    for _ in range(31):
        value = value[0]
    assert value == "x"
    assert doc.pos(("k4999",)) == yaml_reader.Pos(5_001, 8, "")


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a: x {org.y}\n", (1, 6)),
        ("a: x\n  and {org.y}\n", (2, 7)),  # plain text over two lines
        ("a: |  # a comment\n  x\n    {org.y}\n", (3, 5)),
        ("a: >-\n  x\n\n  y  {org.y}\n", (4, 6)),  # folded: lines joined, blank line kept as a line break
        ("a: 'x {org.y}'\n", (1, 7)),
        ('a: "x\n  {org.y}"\n', (2, 3)),  # quoted text over two lines
        ("a: 'it''s {org.y}'\n", (1, 4)),  # after an escape the source no longer matches: start of the value
        ('a: "\\t{org.y}"\n', (1, 4)),
        ("z: 1\ra: x {org.y}\r", (2, 6)),  # YAML counts a lone CR, CR LF, NEL, LS and PS as line breaks too
        ("a: |\r\n  x\r\n  {org.y}\r\n", (3, 3)),
        ("z: 1\u2028a: >\u2028  x\u2028  y {org.y}\n", (4, 5)),
    ],
    ids=[
        "plain",
        "plain-lines",
        "literal",
        "folded",
        "single-quoted",
        "double-quoted-lines",
        "escaped-quote",
        "escape",
        "cr",
        "crlf-literal",
        "line-separator-folded",
    ],
)
def test_position_inside_text(text, position):
    doc = yaml_reader.parse(text)
    found = doc.pos_in_text(("a",), doc.data["a"].index("{"))
    assert (found.line, found.col) == position


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_reader_errors_count_lines_as_yaml_does(newline):
    with pytest.raises(YamlProblem) as control_character:
        yaml_reader.parse(f"a: é{newline}b: é \x07{newline}")
    with pytest.raises(YamlProblem) as bad_byte:
        yaml_reader.decode("t.yaml", f"a: é{newline}b: é ".encode() + b"\xff")
    for refused in (control_character, bad_byte):
        assert (refused.value.diagnostic.line, refused.value.diagnostic.col) == (2, 6)


# --- a value cut short by ' #' --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "exec_channel: the #exec-incidents Slack channel\n",
            (1, 19, "the", 'exec_channel: "the #exec-incidents Slack channel"'),
        ),
        ("a:\n  - x # y\n", (2, 7, "x", '- "x # y"')),
        ("a: x\t# y\n", (1, 6, "x", 'a: "x\t# y"')),  # a tab before '#' starts a comment too
        ("s: one\n  two  # more\n", (2, 8, "one two", 's: "one two  # more"')),  # on the last line of the value
        ("a: {b: c # d\n  }\n", (1, 10, "c", 'b: "c # d"')),
        ('a: say "hi" # there\n', (1, 13, 'say "hi"', "a: 'say \"hi\" # there'")),  # quoted as YAML needs it
        ("a: é ü # x\n", (1, 8, "é ü", 'a: "é ü # x"')),  # columns count characters, not bytes
    ],
    ids=["the-issue", "list-item", "tab", "plain-lines", "flow-mapping", "double-quotes-inside", "accents"],
)
def test_plain_value_followed_by_a_comment_is_a_warning_at_the_hash(text, found):
    doc = yaml_reader.parse(text)
    [problem] = doc.problems
    line, col, value, quoted = found
    assert (problem.line, problem.col, problem.code, problem.is_error) == (line, col, "yaml-comment-in-value", False)
    assert problem.message == f"the text after # was read as a comment, so the value is '{value}'"
    assert problem.hint == f"quote the value if the text is part of it: {quoted}"
    # the quoted form the hint shows reads as the whole text, without a warning
    written = quoted[2:] if quoted.startswith("- ") else quoted.split(": ", 1)[1]
    fixed = yaml_reader.parse(f"k: {written}\n")
    assert fixed.problems == []
    assert "#" in fixed.data["k"]


@pytest.mark.parametrize(
    "text",
    [
        "# a comment on its own line\na: b\n",
        "a: b\n  # an indented comment line\nc: d\n",
        "a: 'the #channel' # quoted, then a comment\n",
        'a: "the #channel"  # quoted, then a comment\n',
        "a: |  # a comment after the block indicator\n  x # y is text of the block\n",
        "a:  # a comment where a mapping starts\n  b: c\n",
        "a: # nothing, then a comment\nb: ~ # null\nc: null # null\n",
        "a: [b, c]  # after a flow list\nd: {e: f}  # after a flow mapping\n",
        "a: x#y\nb: https://example.com/#anchor\n",  # '#' without a space before it is text
        "a:\n  - b: c\n    d: e\n",
    ],
    ids=[
        "own-line",
        "indented-own-line",
        "single-quoted",
        "double-quoted",
        "block",
        "mapping",
        "nulls",
        "flow",
        "no-space",
        "none",
    ],
)
def test_no_warning_where_no_value_is_cut_short(text):
    assert yaml_reader.parse(text).problems == []


def test_comment_in_value_is_an_error_in_the_organisation_file(cli, tmp_path, write_playbook, valid_playbook):
    org = tmp_path / "org.yaml"
    org.write_text("names:\n  team: Team Fixture\n  channel: the #fixture channel\n", encoding="utf-8")
    result = cli("check", write_playbook(valid_playbook, "pb/fixture.yaml"), "--org", org, "--today", "2026-11-26")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{org}:3:16: error: the text after # was read as a comment, so the value is 'the'; "
        'quote the value if the text is part of it: channel: "the #fixture channel" [yaml-comment-in-value]',
        "1 error, 0 warnings in 1 file",
    ]


def test_reading_is_not_slowed_by_lines_with_a_hash_in_quoted_text():
    """Lines with ' #' inside quoted text are candidates: each of their plain values is looked at, not more."""
    line = "  - {id: left, label: 'Left: #it is contained', next: q1a}\n"
    doc = yaml_reader.parse("a:\n" + line * 20_000)
    assert len(doc.data["a"]) == 20_000
    assert doc.problems == []


# --- invisible and bidi control characters -------------------------------------------------------------

INVISIBLE = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
}


@pytest.mark.parametrize("char", list(INVISIBLE), ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_every_invisible_control_is_an_error_where_it_is(char):
    doc = yaml_reader.parse(f"a: ☎ é\nb: 'x {char}y'\n")
    [problem] = doc.problems
    assert (problem.line, problem.col, problem.code, problem.is_error) == (2, 7, "invisible-control", True)
    assert problem.message == f"invisible control character U+{ord(char):04X} ({INVISIBLE[char]}) in the text"


def test_neighbours_of_the_ranges_are_text():
    assert yaml_reader.parse("a: '\u200a\u2010\u2029\u2065\u206a\u2029'\n").problems == []


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a\u200b: b\n", (1, 2)),  # in a key
        ("# a comment \u202e that reads backwards\na: b\n", (1, 13)),  # in a comment
        ("a: |\n  line one\n  two \u2067three\n", (3, 7)),  # in a block
        ("z: 1\r\na: é\u2028b: \u200fc\n", (3, 4)),  # after CR LF and a line separator
    ],
    ids=["key", "comment", "block", "line-breaks"],
)
def test_invisible_control_anywhere_in_the_file(text, position):
    [problem] = yaml_reader.parse(text).problems
    assert (problem.line, problem.col) == position


def test_invisible_controls_in_a_playbook_stop_it_and_in_the_organisation_file_too(
    cli, write_playbook, valid_playbook, tmp_path
):
    org = tmp_path / "org.yaml"
    org.write_text("names:\n  team: Team \u202eFixture\n  channel: the fixture channel\n", encoding="utf-8")
    result = cli("check", write_playbook(valid_playbook, "pb/fixture.yaml"), "--org", org, "--today", "2026-11-26")
    assert result.returncode == 1
    assert result.stdout.startswith(f"{org}:2:14: error: invisible control character U+202E ")


def test_one_more_invisible_control_than_listed_one_by_one_is_listed_too():
    doc = yaml_reader.parse("a: '" + "\u200b" * (yaml_reader.MAX_INVISIBLE + 1) + "'\n")
    assert len(doc.problems) == yaml_reader.MAX_INVISIBLE + 1
    assert doc.problems[-1].message == "invisible control character U+200B (ZERO WIDTH SPACE) in the text"


def test_a_file_full_of_invisible_controls_gives_a_bounded_list():
    doc = yaml_reader.parse("a: '" + "\u200b" * 100_000 + "'\n")
    assert len(doc.problems) == yaml_reader.MAX_INVISIBLE + 1
    assert doc.problems[-1].message.endswith(f", and {100_000 - yaml_reader.MAX_INVISIBLE - 1:,} more after it")
    assert (doc.problems[-1].line, doc.problems[-1].col) == (1, 5 + yaml_reader.MAX_INVISIBLE)


# --- the short path: containers, keys and values built inline, everything else through the general one ----

PLAYBOOKS = sorted((Path(__file__).parents[2] / "playbooks").glob("*.yaml"))
PLAIN_YAML = [
    "a:\n  - - - x\n      - y\n    - []\n  - {}\n  -\n  - ~\n  - ''\n  - [[], [[z]]]\n",
    "a: {b: [c, {d: e}], f: g}\nh:\n- i: j\n  k: [l]\n- m\nn: o\n",
    "'null': a\n\"\": b\n'~': c\nd: null\ne: Null\nf: NULL\ng: \"null\"\nh:\n",
    "a: |\n  x\n  y\nb: >-\n  z\nc: 'q'\nd: \"r\"\ne: plain\n  over lines\n",
    "a:\n  b:\n    c:\n      d: e\n    f: g\n  h: [i]\ni: j\n",
    "? a\n: b\n? c\n",
    "a: [b, c, d]  # comment\ne: {f: g}  # comment\n# own line\nh: i\n",
    "a: b\r\nc:\r\n  - d\r\n",
    "a: é ü\nb: ['☎', \"x\"]\n",
]


def _from_nodes(text: str) -> tuple[Any, dict, dict]:
    """What the reader must make of ``text`` (plain YAML: no tags, anchors, aliases or duplicate keys), worked
    out independently from the nodes PyYAML's own composer makes of it: the data, the (line, col, style) of every
    value, and of every key. A container's style is ''; only a plain empty, ``~`` or ``null`` value is None."""
    values: dict = {}
    keys: dict = {}

    def walk(node: yaml.Node, path: tuple) -> Any:
        mark = node.start_mark
        if isinstance(node, yaml.ScalarNode):
            values[path] = (mark.line + 1, mark.column + 1, node.style or "")
            return None if not node.style and node.value in yaml_reader.NULLS else node.value
        values[path] = (mark.line + 1, mark.column + 1, "")
        if isinstance(node, yaml.SequenceNode):
            return [walk(item, (*path, index)) for index, item in enumerate(node.value)]
        found = {}
        for key, value in node.value:
            keys[(*path, key.value)] = (key.start_mark.line + 1, key.start_mark.column + 1, key.style or "")
            found[key.value] = walk(value, (*path, key.value))
        return found

    data = walk(yaml.compose(text, Loader=yaml.BaseLoader), ())  # the pure-Python composer: no libyaml
    return data, values, keys


@pytest.mark.parametrize(
    "text",
    [path.read_text(encoding="utf-8") for path in PLAYBOOKS] + PLAIN_YAML,
    ids=[path.name for path in PLAYBOOKS] + [f"plain-{n}" for n in range(len(PLAIN_YAML))],
)
def test_data_and_positions_are_those_of_the_composed_nodes(text):
    doc = yaml_reader.parse(text)
    assert (doc.data, doc.values, doc.keys) == _from_nodes(text)
    # the position of a container (and of the document) is a Pos, that of a value a plain tuple, as they always were
    for path, pos in doc.values.items():
        value = doc.data
        for part in path:
            value = value[part]
        assert type(pos) is (yaml_reader.Pos if isinstance(value, dict | list) else tuple), path


def test_tagged_text_between_short_path_events_keeps_everything_in_place():
    """``!`` (plain text) sends a key, a value or a container through the general path; what comes after,
    inside and around it, takes the short path again, at the right place."""
    doc = yaml_reader.parse("a: ! b\nc: ! [x, {y: z}]\n! d: e\nf: {g: ! h, i: j}\nk:\n- [l]\n- ! {m: n}\n- o #p\n")
    assert doc.data == {
        "a": "b",
        "c": ["x", {"y": "z"}],
        "d": "e",
        "f": {"g": "h", "i": "j"},
        "k": [["l"], {"m": "n"}, "o"],
    }
    assert doc.values == {
        (): (1, 1, ""),
        ("a",): (1, 4, ""),
        ("c",): (2, 4, ""),
        ("c", 0): (2, 7, ""),
        ("c", 1): (2, 10, ""),
        ("c", 1, "y"): (2, 14, ""),
        ("d",): (3, 6, ""),
        ("f",): (4, 4, ""),
        ("f", "g"): (4, 8, ""),
        ("f", "i"): (4, 16, ""),
        ("k",): (6, 1, ""),
        ("k", 0): (6, 3, ""),
        ("k", 0, 0): (6, 4, ""),
        ("k", 1): (7, 3, ""),
        ("k", 1, "m"): (7, 9, ""),
        ("k", 2): (8, 3, ""),
    }
    assert doc.keys == {
        ("a",): (1, 1, ""),
        ("c",): (2, 1, ""),
        ("c", 1, "y"): (2, 11, ""),
        ("d",): (3, 1, ""),
        ("f",): (4, 1, ""),
        ("f", "g"): (4, 5, ""),
        ("f", "i"): (4, 13, ""),
        ("k",): (5, 1, ""),
        ("k", 1, "m"): (7, 6, ""),
    }
    [problem] = doc.problems
    assert (problem.line, problem.col, problem.code, problem.message) == (
        8,
        5,
        "yaml-comment-in-value",
        "the text after # was read as a comment, so the value is 'o'",
    )


@pytest.mark.parametrize(
    ("text", "line", "col", "code", "message"),
    [
        (
            "a:\n  b: [c, {d: e}]\n  f: [g]\n  b: h\n",
            4,
            3,
            "yaml-duplicate-key",
            "key 'b' appears twice in this mapping (first on line 2)",
        ),
        ("a: [b]\n! a: c\n", 2, 1, "yaml-duplicate-key", "key 'a' appears twice in this mapping (first on line 1)"),
        ("a:\n- [x]\n- {y: z}\n- &w v\n", 4, 3, "yaml-anchor", "anchor '&w' is not allowed in playbooks"),
        ("a:\n- [x]\n- ! {y: [z]}\n- !!str v\n", 4, 3, "yaml-tag", "tag '!!str' is not allowed in playbooks"),
        ("a: [[x], *y]\n", 1, 10, "yaml-alias", "alias '*y' is not allowed in playbooks"),
        (
            "a: {b: [c]}\n? [d]\n: e\n",
            2,
            3,
            "yaml-complex-key",
            "a key must be a plain word, not a list, mapping or empty value",
        ),
        (
            "a: {b: [c]}\n~: e\n",
            2,
            1,
            "yaml-complex-key",
            "a key must be a plain word, not a list, mapping or empty value",
        ),
        ("a: " + "! [" * 32 + "]" * 32 + "\n", 1, 97, "yaml-too-deep", "nesting is deeper than 32 levels"),
        ("a: " + "[! {b: " * 16 + "c" + "}]" * 16 + "\n", 1, 110, "yaml-too-deep", "nesting is deeper than 32 levels"),
        (
            "a: [x]\n---\nb: c\n",
            2,
            1,
            "yaml-multiple-documents",
            "a playbook file holds one YAML document, this is a second one",
        ),
    ],
    ids=[
        "duplicate-after-lists",
        "duplicate-tagged",
        "anchor-after-containers",
        "tag-after-tagged-mapping",
        "alias-in-list",
        "complex-key-after-mapping",
        "null-key-after-mapping",
        "too-deep-tagged",
        "too-deep-mixed",
        "second-document",
    ],
)
def test_problems_after_nested_containers_are_where_they_are(text, line, col, code, message):
    with pytest.raises(YamlProblem) as refused:
        yaml_reader.parse(text)
    found = refused.value.diagnostic
    assert (found.line, found.col, found.code, found.message) == (line, col, code, message)
