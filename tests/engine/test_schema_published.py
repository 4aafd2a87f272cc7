"""The JSON Schemas published for editors match the models, and the real playbooks satisfy them.

Editors (the YAML language server, through each file's first-line ``$schema`` comment) read YAML 1.2,
where a plain ``10`` is a number and ``2026-11-26`` is text. The project's reader keeps every scalar as
text, so before validating, :func:`editor_view` gives plain scalars the type an editor gives them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from macros.engine import yaml_reader
from macros.engine.loader import ORG_FILE, PLAYBOOK_DIR, playbook_files
from macros.engine.schema import SCHEMA_DIR, SCHEMAS, schema_text

PLAYBOOK_FILES = playbook_files([PLAYBOOK_DIR])
SCHEMA_COMMENTS = {
    "playbook": "# yaml-language-server: $schema=../docs/reference/playbook.schema.json",
    "organisation": "# yaml-language-server: $schema=../docs/reference/organisation.schema.json",
}
# YAML 1.2 core schema: the plain scalars that are not text
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def editor_view(doc: yaml_reader.Document, value: Any = None, loc: tuple = ()) -> Any:
    """``doc.data`` with its plain scalars typed as YAML 1.2 (the editors' YAML) types them."""
    value = doc.data if loc == () else value
    if isinstance(value, dict):
        return {key: editor_view(doc, item, (*loc, key)) for key, item in value.items()}
    if isinstance(value, list):
        return [editor_view(doc, item, (*loc, index)) for index, item in enumerate(value)]
    if isinstance(value, str) and doc.pos(loc).style == "":
        if _INT.fullmatch(value):
            return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
        if value in _BOOL:
            return _BOOL[value]
    return value


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_schema_check_passes(cli):
    result = cli("schema", "--check")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_published_schema_is_generated_from_the_models(name):
    assert (SCHEMA_DIR / name).read_text(encoding="utf-8") == schema_text(SCHEMAS[name])


@pytest.mark.parametrize("path", PLAYBOOK_FILES, ids=[p.name for p in PLAYBOOK_FILES])
def test_playbook_satisfies_the_published_schema(path):
    data = editor_view(yaml_reader.read(path))
    problems = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator("playbook.schema.json").iter_errors(data)
    ]
    assert problems == []


def test_organisation_file_satisfies_the_published_schema():
    data = editor_view(yaml_reader.read(ORG_FILE))
    assert [e.message for e in validator("organisation.schema.json").iter_errors(data)] == []


def test_dates_stay_text_and_are_checked_as_dates():
    check = validator("playbook.schema.json")
    doc = yaml_reader.read(PLAYBOOK_FILES[0])
    data = editor_view(doc)
    assert isinstance(data["last_reviewed"], str)
    assert list(check.iter_errors({**data, "last_reviewed": "2026-11-26"})) == []
    assert [e.validator for e in check.iter_errors({**data, "last_reviewed": "2026-13-01"})] == ["format"]


@pytest.mark.parametrize("path", [*PLAYBOOK_FILES, ORG_FILE], ids=[p.name for p in [*PLAYBOOK_FILES, ORG_FILE]])
def test_first_line_points_editors_to_the_schema(path: Path):
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == SCHEMA_COMMENTS["organisation" if path == ORG_FILE else "playbook"]


def test_default_draft_rules_satisfy_the_published_schema():
    from macros.engine.draft_rules import DEFAULT_FILE

    data = editor_view(yaml_reader.read(DEFAULT_FILE))
    assert [e.message for e in validator("draft-rules.schema.json").iter_errors(data)] == []
    first_line = DEFAULT_FILE.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../../docs/reference/draft-rules.schema.json"
    wrong = {**data, "rules": [{**data["rules"][0], "kind": "no-such-kind"}]}
    assert list(validator("draft-rules.schema.json").iter_errors(wrong))  # the schema does tell a wrong kind
