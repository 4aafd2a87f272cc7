"""Turn pydantic's validation errors into located messages an author can act on."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic
from .models import (
    ID_PATTERN,
    NODE_TAGS,
    PLACE_PATTERN,
    PLACEHOLDER_PATTERN,
    WEB_ADDRESS_PATTERN,
    Outcome,
    Question,
)
from .yaml_reader import Document

_TAG_MODELS = {"question-node": Question, "outcome-node": Outcome}

_TYPE_NAMES = {
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "bool_type": "true or false",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{_short(value)}'"


def _short(value: Any, limit: int = 40) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes an annotation can hold (through lists, dicts, unions, Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (list, dict, typing.Union, types.UnionType):
        found: list[Any] = []
        for arg in typing.get_args(annotation):
            found.extend(_unwrap(arg))
        return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that holds the last element of ``loc`` (for naming the allowed keys)."""
    model: type[BaseModel] | None = root
    for part in loc[:-1]:
        if part in _TAG_MODELS:
            model = _TAG_MODELS[part]
            continue
        if model is None or not isinstance(part, str):
            continue
        field = model.model_fields.get(part)
        if field is None:
            # a key of a dict field: the model stays that of the dict's values
            continue
        candidates = _unwrap(field.annotation)
        model = candidates[0] if len(candidates) == 1 else None
    return model


def _keys_at(data: Any, loc: tuple[Any, ...]) -> set[Any]:
    """The keys of the mapping at ``loc`` in ``data`` (none when there is no mapping there)."""
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return set()
    return set(data) if isinstance(data, dict) else set()


def strip_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(part for part in loc if part not in NODE_TAGS)


def located(
    exc: ValidationError, doc: Document, root: type[BaseModel], pattern_hints: dict[str, str] | None = None
) -> list[Diagnostic]:
    """One diagnostic per pydantic error, at the line and column of the offending key or value.

    ``pattern_hints``: how to fix a value that does not match a pattern of the model's own (pattern → hint)."""
    found: list[Diagnostic] = []
    allowed_at: dict[tuple[Any, ...], str] = {}  # keys an unknown key could be meant as, per mapping
    for error in exc.errors(include_url=False):
        raw_loc = tuple(error["loc"])
        kind = error["type"]
        is_key = bool(raw_loc) and raw_loc[-1] == "[key]"
        loc = strip_tags(raw_loc[:-1] if is_key else raw_loc)
        name = loc[-1] if loc else "file"
        value = error.get("input")
        message, hint = error["msg"], "see the playbook format in the reference"
        if kind == "extra_forbidden":
            pos = doc.pos(loc, key=True)
            holder = model_at(root, raw_loc)
            if loc[:-1] not in allowed_at:  # once per mapping: a file may have 200,000 unknown keys in one
                present = _keys_at(doc.data, loc[:-1])  # a spelling fixed to one of these would repeat it
                allowed_at[loc[:-1]] = ", ".join(k for k in holder.model_fields if k not in present) if holder else ""
            allowed = allowed_at[loc[:-1]]
            message = f"unknown key '{name}'"
            hint = f"remove it or fix its spelling (allowed here: {allowed})" if allowed else "remove it"
        elif kind == "missing":
            pos = doc.pos(loc[:-1], key=True)
            where = f" in '{loc[-2]}'" if len(loc) > 1 and isinstance(loc[-2], str) else ""
            message = f"missing required key '{name}'{where}"
            hint = f"add '{name}: ...'"
        else:
            pos = doc.pos(loc, key=is_key)
            label = f"key '{_short(name)}'" if is_key else f"'{name}'" if isinstance(name, str) else f"item {name}"
            if kind == "node_kind":
                message = f"node '{name}' is neither a question nor an outcome"
                hint = "give it 'question' and 'answers', or 'title', 'summary' and 'actions'"
            elif value is None and kind in _TYPE_NAMES:
                message = f"{label} has no value"
                hint = "write a value after the colon, or remove the key"
            elif kind in _TYPE_NAMES:
                message = f"{label} should be {_TYPE_NAMES[kind]}, not {_describe(value)}"
                hint = "fix the value's type"
            elif kind == "string_pattern_mismatch":
                pattern = (error.get("ctx") or {}).get("pattern", "")
                message = (
                    f"{label}: {_describe(value)} is not a valid {'id' if is_key or pattern == ID_PATTERN else 'value'}"
                )
                if pattern_hints and pattern in pattern_hints:
                    hint = pattern_hints[pattern]
                elif pattern == ID_PATTERN:
                    hint = "use lower-case letters, digits and single hyphens, e.g. 'night-shift-lead'"
                elif pattern == PLACEHOLDER_PATTERN:
                    hint = (
                        "use lower-case letters, digits and underscores, starting with a letter, e.g. 'incident_name'"
                    )
                elif pattern == WEB_ADDRESS_PATTERN:
                    hint = "write a web address that starts with https:// (or http://), without spaces or quotes"
                elif pattern == PLACE_PATTERN:
                    hint = "write a playbook id, 'playbook-id#node-id', or a kind (role:, template:, ...) and an id"
                elif "#" in pattern:
                    hint = "write 'node-id', or 'playbook-id#node-id' for a node of another playbook"
                else:
                    hint = "use a relative path of letters, digits, '.', '_', '-' and '/', e.g. 'emails/resolved.md'"
            elif kind == "string_too_short":
                message = f"{label} is empty"
                hint = "write some text, or remove the key if it is optional"
            elif kind == "literal_error":
                expected = (error.get("ctx") or {}).get("expected", "")
                message = f"{label}: {_describe(value)} is not allowed"
                hint = f"use one of {expected}"
            elif kind.startswith("date"):
                message = f"{label}: {_describe(value)} is not a date"
                hint = "write it as YYYY-MM-DD, e.g. 2026-11-26"
            else:
                message = f"{label}: {error['msg'][0].lower()}{error['msg'][1:]}"
        found.append(Diagnostic(doc.path, pos.line, pos.col, f"schema-{kind.replace('_', '-')}", message, hint))
    return found
