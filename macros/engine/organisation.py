"""Organisation-specific names (teams, approvers, channels), kept in one file another company edits.

Playbook text refers to them as ``{org.key}``; they are filled in when a playbook is loaded, so the
site, the terminal walker and the templates all say the same thing.
"""

from __future__ import annotations

import re
from typing import Any

from .diagnostics import Diagnostic
from .models import Organisation
from .yaml_reader import Document, Key

ORG_REF = re.compile(r"\{org\.([^{}\s]*)\}")


def substitute(doc: Document, org: Organisation) -> tuple[Any, list[Diagnostic]]:
    """A copy of ``doc.data`` with every ``{org.key}`` replaced, and a diagnostic for each unknown key."""
    problems: list[Diagnostic] = []
    if "{org." not in doc.text:
        return doc.data, problems  # nothing to fill: skip the walk
    values = org.values
    known = ", ".join(sorted(values))

    def fill(value: Any, loc: Key) -> Any:
        if isinstance(value, dict):
            return {key: fill(item, (*loc, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [fill(item, (*loc, index)) for index, item in enumerate(value)]
        if not isinstance(value, str) or "{org." not in value:
            return value

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in values:
                return values[name]
            pos = doc.pos_in_text(loc, match.start())
            problems.append(
                Diagnostic(
                    doc.path,
                    pos.line,
                    pos.col,
                    "unknown-org-name",
                    f"'{{org.{name}}}' is not a name in the organisation file",
                    f"use one of: {known}, or add {_as_key(name)} under 'names' there",
                )
            )
            return match.group(0)

        return ORG_REF.sub(replace, value)

    return fill(doc.data, ()), problems


def _as_key(name: str) -> str:
    """``name`` as a key the organisation file accepts (lower-case letters, digits, underscores, a letter first)."""
    key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not key or not key[0].isalpha():
        key = "name_" + key if key else "name"
    suggestion = f"'{key}'"
    return suggestion if key == name else f"{suggestion} (written {{org.{key}}})"
