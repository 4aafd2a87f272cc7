"""The incident file: one incident of the workspace as JSON, written by its Download and read by its Import
(docs/assets/icp/workspace.js, against :func:`incident_schema`) and by ``python -m macros template --incident``.

A file names its format and version; a newer version than this one is refused with a message that says so.
Everything is checked strictly (types as written, no unknown key, bounded sizes), and every problem is located
as ``path:line:col``.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, create_model, field_validator

from .diagnostics import Diagnostic
from .facts import ROW_FIELDS, SINGLE_NAMES
from .schema_errors import located
from .yaml_reader import Document, YamlProblem, read

FORMAT = "incident-comms-playbook/incident"
VERSION = 1
MAX_TEXT = 5000
MAX_ROWS = 200
MAX_ITEMS = 500
MAX_DRAFT = 20_000  # characters of one template's draft
ISO_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?Z$"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
SCHEMA_HINT = "see docs/reference/incident.schema.json, or export the incident again from the workspace"
PATTERN_HINTS = {
    ISO_PATTERN: "write the moment in UTC as YYYY-MM-DDTHH:MM:SSZ (seconds optional), e.g. 2026-03-03T09:40:00Z",
    ID_PATTERN: "use lower-case letters, digits and hyphens (at most 40), a letter or digit first, e.g. inc-k3j9x2",
}

Value = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Moment = Annotated[str, StringConstraints(pattern=ISO_PATTERN)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _text_fields(name: str, keys: tuple[str, ...]) -> type[_Strict]:
    """A model whose keys are ``keys``, each optional text."""
    return create_model(name, __base__=_Strict, **{key: (Value, Field(default=None)) for key in keys})


Facts = _text_fields("Facts", SINGLE_NAMES)
Rows = create_model(
    "Rows",
    __base__=_Strict,
    **{
        gid: (list[_text_fields(gid.capitalize()[:-1], keys)], Field(default_factory=list, max_length=MAX_ROWS))
        for gid, keys in ROW_FIELDS.items()
    },
)


class Walk(_Strict):
    playbook: Annotated[str, StringConstraints(max_length=64)]
    address: Annotated[str, StringConstraints(max_length=MAX_TEXT)]
    outcome: Value
    at: Moment


class Draft(_Strict):
    """A template's text as the Comms Lead edited it, and when (the workspace checks it as it is typed)."""

    text: Annotated[str, StringConstraints(max_length=MAX_DRAFT)]
    at: Moment


class Incident(_Strict):
    id: Annotated[str, StringConstraints(pattern=ID_PATTERN)]
    practice: bool
    opened_at: Moment
    closed_at: Moment | None
    facts: Facts  # type: ignore[valid-type]
    rows: Rows  # type: ignore[valid-type]
    status_updates: list[Moment] = Field(max_length=MAX_ITEMS)
    walks: list[Walk] = Field(max_length=MAX_ITEMS)
    ticks: dict[
        Annotated[str, StringConstraints(max_length=MAX_TEXT)], Annotated[list[bool], Field(max_length=MAX_ROWS)]
    ] = Field(max_length=MAX_ITEMS)
    drafts: dict[Annotated[str, StringConstraints(max_length=64)], Draft] = Field(
        default_factory=dict, max_length=MAX_ITEMS
    )  # template id -> its edited draft; absent in files made before drafts were kept


class IncidentFile(_Strict):
    format: Literal[FORMAT]  # type: ignore[valid-type]
    version: Literal[VERSION]  # type: ignore[valid-type]
    exported_at: Moment
    incident: Incident

    @field_validator("version", mode="before")
    @classmethod
    def _not_true(cls, value: Any) -> Any:
        if isinstance(value, bool):  # True == 1, which Literal[1] would take; JSON's true is no version
            raise ValueError(f"should be the number {VERSION}, not {str(value).lower()}")
        return value


class IncidentFileError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics


def _problem(path: str, line: int, col: int, message: str, hint: str) -> IncidentFileError:
    return IncidentFileError([Diagnostic(path, line, col, "incident-file", message, hint)])


def read_incident(path: Path) -> dict[str, Any]:
    """The ``incident`` of the file at ``path``, checked; :class:`IncidentFileError` with located messages."""
    shown = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise _problem(shown, 1, 1, f"cannot read the file ({error.strerror})", "check the path") from None
    except UnicodeDecodeError:
        raise _problem(
            shown, 1, 1, "not an incident file: it is not UTF-8 text", "use a file the workspace's Download made"
        ) from None
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some editors write (the browser drops it too)
    if not text.strip():
        raise _problem(shown, 1, 1, "the file is empty", "use a file the workspace's Download made")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _problem(
            shown, error.lineno, error.colno, f"not JSON: {error.msg}", "use a file the workspace's Download made"
        ) from None
    except RecursionError:
        raise _problem(
            shown, 1, 1, "not an incident file: it is nested far too deeply", "use a file the workspace's Download made"
        ) from None
    try:  # the same structure read as YAML: the position of every key and value (its data is all text)
        where = read(path)
        doc = Document(shown, data, text, values=where.values, keys=where.keys)
    except YamlProblem:
        doc = Document(shown, data, text)
    if (
        isinstance(data, dict)
        and isinstance(data.get("version"), int)
        and not isinstance(data["version"], bool)
        and data.get("format") == FORMAT
        and data["version"] > VERSION
    ):
        pos = doc.pos(("version",))
        raise _problem(
            shown,
            pos.line,
            pos.col,
            f"made by a newer version of the site (file version {data['version']}, this one reads {VERSION})",
            "import it with the newer site, or export it from there again",
        )
    try:
        IncidentFile.model_validate(data)
    except ValidationError as error:
        generic = "see the playbook format in the reference"
        found = located(error, doc, IncidentFile, PATTERN_HINTS)
        found = [replace(d, hint=SCHEMA_HINT) if d.hint == generic else d for d in found]
        raise IncidentFileError(found) from None
    return data["incident"]


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every ``$ref`` replaced by what it names, and no ``$defs``: a small validator walks it."""
    defs = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(copy.deepcopy(defs[node["$ref"].rsplit("/", 1)[1]]))
            return {k: walk(v) for k, v in node.items() if k not in ("$defs", "title", "description", "default")}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(schema)


def incident_schema() -> dict[str, Any]:
    """The JSON Schema of an incident file (keywords: type, properties, required, additionalProperties, items,
    maxItems, maxProperties, maxLength, pattern, const, enum, anyOf)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Incident file",
        **_inline(IncidentFile.model_json_schema()),
    }
