"""The playbook format reference, rendered from the same JSON Schema editors use (one source of truth)."""

from __future__ import annotations

from typing import Any

from ..engine.models import GuidelineMap, Organisation, Playbook
from .html import Markup, el, join, table

ORDER = [
    "Playbook",
    "Principle",
    "Role",
    "Delegation",
    "Appointment",
    "Responsibility",
    "Tree",
    "Question",
    "Answer",
    "Outcome",
    "Action",
    "Link",
    "Template",
    "Placeholder",
    "DraftCheck",
    "KnownBreak",
]


def _type(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in prop:
        return " or ".join(_type(p) for p in prop["anyOf"] if p.get("type") != "null")
    if "oneOf" in prop:
        return " or ".join(_type(p) for p in prop["oneOf"])
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type(prop.get('items', {}))}"
    if kind == "object":
        values = prop.get("additionalProperties")
        return f"mapping of id → {_type(values)}" if isinstance(values, dict) else "mapping"
    if "enum" in prop:
        return " | ".join(prop["enum"])
    if prop.get("format") == "date":
        return "date (YYYY-MM-DD)"
    return {"string": "text", "integer": "whole number"}.get(kind, kind)


def _table(name: str, schema: dict[str, Any]) -> Markup:
    required = set(schema.get("required", []))
    rows = [
        el(
            "tr",
            None,
            el("td", None, el("code", None, key)),
            el("td", None, "yes" if key in required else "no"),
            el("td", None, _type(prop)),
            el("td", None, prop.get("description", "")),
        )
        for key, prop in schema.get("properties", {}).items()
    ]
    return join(
        [
            el("h3", {"id": f"format-{name.lower()}"}, name),
            el("p", None, schema.get("description", "")) if schema.get("description") else Markup(""),
            table(["Key", "Required", "Type", "Meaning"], rows, caption=f"The keys of {name}"),
        ]
    )


def format_reference() -> Markup:
    schema = Playbook.model_json_schema()
    defs = {**schema.get("$defs", {}), "Playbook": schema}
    org = Organisation.model_json_schema()
    guideline_map = GuidelineMap.model_json_schema()
    return join(
        [
            *[_table(name, defs[name]) for name in ORDER if name in defs],
            _table("Organisation", org),
            _table("GuidelineMap", guideline_map),
            _table("GuidelinePoint", guideline_map["$defs"]["GuidelinePoint"]),
        ]
    )
