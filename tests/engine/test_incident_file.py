"""The incident file (``macros/engine/incident_file.py``): what the workspace's Download writes is read back, and a
file that is not one is refused with a message located at the line and column to fix.

``BAD_FILES`` and ``GOOD`` are shared with ``tests/site/test_workspace_safety.py``, which holds the browser's import
check (``wrong()`` in ``docs/assets/icp/workspace.js``) to the same verdicts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from macros.engine.incident_file import (
    MAX_ROWS,
    MAX_TEXT,
    IncidentFileError,
    incident_schema,
    read_incident,
)
from tests.render.workspace_cases import BY_NAME, CASES, export

ROOT = Path(__file__).resolve().parents[2]
GOOD = export(BY_NAME["full"])
GOOD_TEXT = json.dumps(GOOD, indent=2, ensure_ascii=False) + "\n"  # as the workspace's Download writes it


@dataclass(frozen=True)
class Bad:
    name: str
    content: str | bytes
    line: int
    col: int
    says: str  # a part of the message
    json: bool = True  # the browser can parse it (JSON.parse), and then judges it with wrong()


def _file(change) -> str:
    data = json.loads(json.dumps(GOOD))
    change(data)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _at(text: str, needle: str, after: str = "") -> tuple[int, int]:
    """Line and column (1-based) of ``needle`` in ``text``, the first after ``after``."""
    index = text.index(needle, text.index(after) if after else 0)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _bad(name: str, change, needle: str, says: str, after: str = "") -> Bad:
    text = _file(change)
    return Bad(name, text, *_at(text, needle, after), says)


def _set(*path_and_value):
    *path, key, value = path_and_value

    def change(data: dict[str, Any]) -> None:
        for step in path:
            data = data[step]
        data[key] = value

    return change


def _drop(*path):
    def change(data: dict[str, Any]) -> None:
        for step in path[:-1]:
            data = data[step]
        del data[path[-1]]

    return change


NOT_JSON = '{\n  "format": "incident-comms-playbook/incident",\n  "version": 1,\n  "incident": {,\n}\n'
NAN = _file(_set("incident", "facts", "notes", "NAN")).replace('"NAN"', "NaN")
BAD_FILES: list[Bad] = [
    _bad("wrong-format", _set("format", "someone-else/incident"), '"someone-else', "'format'"),
    _bad("version-0", _set("version", 0), "0,", "'version'", after='"version"'),
    _bad("newer-version-2", _set("version", 2), "2,", "newer version of the site (file version 2, this one reads 1)",
         after='"version"'),
    _bad("unknown-fact", _set("incident", "facts", "bogus_fact", "x"), '"bogus_fact"', "unknown key 'bogus_fact'"),
    _bad("unknown-top-key", _set("extra", {"a": 1}), '"extra"', "unknown key 'extra'"),
    _bad("practice-no", _set("incident", "practice", "no"), '"no"', "'practice'"),
    _bad("version-string", _set("version", "1"), '"1"', "'version'"),
    _bad("text-over-5000", _set("incident", "facts", "notes", "x" * (MAX_TEXT + 1)), '"xxx', "at most 5000"),
    _bad("bad-time", _set("incident", "status_updates", ["2026-03-03T10:05:00Z", "2026-03-03 16:05"]),
         '"2026-03-03 16:05"', "'2026-03-03 16:05'"),
    _bad("time-with-newline", _set("incident", "opened_at", "2026-03-03T09:40Z\n"), '"2026-03-03T09:40Z\\n"',
         "'opened_at'"),
    _bad("too-many-rows", _set("incident", "rows", "products", [{}] * (MAX_ROWS + 1)), "[", "at most 200 items",
         after='"products"'),
    _bad("unknown-row-field", _set("incident", "rows", "messages", [{"message_time": "now", "oops": "x"}]),
         '"oops"', "unknown key 'oops'"),
    _bad("bad-id", _set("incident", "id", "Not An Id!"), '"Not An Id!"', "'id'"),
    _bad("fact-is-null", _set("incident", "facts", "notes", None), "null", "'notes' has no value",
         after='"notes"'),
    _bad("fact-is-number", _set("incident", "facts", "severity", 1), "1", "'severity' should be text",
         after='"severity": '),
    _bad("rows-a-list", _set("incident", "rows", []), "[]", "'rows'", after='"rows"'),
    _bad("missing-incident", _drop("incident"), "{", "missing required key 'incident'"),
    _bad("missing-closed-at", _drop("incident", "closed_at"), '"incident"', "missing required key 'closed_at'"),
    Bad("not-json", NOT_JSON, *_at(NOT_JSON, ",\n}"), "not JSON", json=False),
    Bad("nan", NAN, *_at(NAN, "NaN"), "'notes' should be text", json=False),  # Python's json takes NaN, JSON.parse not
    Bad("empty-file", "", 1, 1, "the file is empty", json=False),
    Bad("white-space-only", " \n\t\n", 1, 1, "the file is empty", json=False),
    Bad("binary-bytes", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", 1, 1, "not UTF-8 text", json=False),
    Bad("list-at-top", "[\n  " + json.dumps(GOOD) + "\n]\n", 1, 1, "'file' should be a mapping"),
    Bad("string-at-top", '"incident"\n', 1, 1, "'file' should be a mapping"),
    Bad("null-at-top", "null\n", 1, 1, "'file' has no value"),
]


def write(tmp_path: Path, content: str | bytes, name: str = "incident.json") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_the_bad_files_have_names_of_their_own():
    assert len({bad.name for bad in BAD_FILES}) == len(BAD_FILES) >= 12


def test_a_good_file_reads_back_as_its_incident(tmp_path):
    assert read_incident(write(tmp_path, GOOD_TEXT)) == GOOD["incident"]
    one_line = write(tmp_path, json.dumps(GOOD, separators=(",", ":")), "one-line.json")
    assert read_incident(one_line) == GOOD["incident"]


@pytest.mark.parametrize(("name", "one"), CASES, ids=[name for name, _ in CASES])
def test_every_workspace_case_is_a_good_file(tmp_path, name, one):
    assert read_incident(write(tmp_path, json.dumps(export(one), indent=2, ensure_ascii=False))) == one


@pytest.mark.parametrize("bad", BAD_FILES, ids=[bad.name for bad in BAD_FILES])
def test_a_bad_file_is_refused_at_the_line_to_fix(tmp_path, bad):
    path = write(tmp_path, bad.content)
    with pytest.raises(IncidentFileError) as caught:
        read_incident(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{bad.line}:{bad.col}: "), f"{bad.name}: {message[:300]}"
    assert bad.says in message, f"{bad.name}: {message[:300]}"
    assert caught.value.diagnostics and all(d.path == str(path) for d in caught.value.diagnostics)
    assert "Traceback" not in message


def test_a_missing_file_is_refused_with_a_message(tmp_path):
    with pytest.raises(IncidentFileError, match=r":1:1: .*cannot read the file"):
        read_incident(tmp_path / "nowhere.json")


def test_every_problem_of_a_file_is_listed(tmp_path):
    text = _file(lambda d: (d.update(version="1"), d["incident"].update(practice="no")))
    with pytest.raises(IncidentFileError) as caught:
        read_incident(write(tmp_path, text))
    assert {(d.line, d.col) for d in caught.value.diagnostics} >= {_at(text, '"1"'), _at(text, '"no"')}


# --------------------------------------------------------------------------------------------- found while testing


def test_version_true_is_refused(tmp_path):
    with pytest.raises(IncidentFileError):
        read_incident(write(tmp_path, _file(_set("version", True))))


def test_a_file_nested_too_deeply_is_refused(tmp_path):
    with pytest.raises(IncidentFileError):
        read_incident(write(tmp_path, "[" * 100_000 + "]" * 100_000))


def test_a_file_with_a_byte_order_mark_reads(tmp_path):
    assert read_incident(write(tmp_path, b"\xef\xbb\xbf" + GOOD_TEXT.encode("utf-8"))) == GOOD["incident"]


# --------------------------------------------------------------------------------------------- the schema


def _walk(node: Any):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


KEYWORDS = {"type", "properties", "required", "additionalProperties", "items", "maxItems", "maxProperties",
            "maxLength", "pattern", "const", "enum", "anyOf", "propertyNames"}


def test_the_schema_is_inlined_for_the_browsers_small_validator():
    schema = incident_schema()
    text = json.dumps(schema)
    assert "$ref" not in text and "$defs" not in text
    for node in _walk(schema):
        if isinstance(node, dict) and ("type" in node or "anyOf" in node or "const" in node):
            unknown = set(node) - KEYWORDS - {"$schema", "title"}
            assert not unknown, f"a keyword workspace.js does not check: {unknown}"


def test_the_published_schema_is_this_one():
    published = json.loads((ROOT / "docs" / "reference" / "incident.schema.json").read_text(encoding="utf-8"))
    assert published == incident_schema()


@pytest.mark.parametrize("name", ["bad-time", "time-with-newline", "bad-id"])
def test_a_value_not_in_its_form_says_what_the_form_is(tmp_path, name):
    bad = next(b for b in BAD_FILES if b.name == name)
    with pytest.raises(IncidentFileError) as caught:
        read_incident(write(tmp_path, bad.content))
    assert "relative path" not in str(caught.value) and "emails/resolved.md" not in str(caught.value)
