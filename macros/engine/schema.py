"""JSON Schemas generated from the models, published in the repo and on the site for editors."""

from __future__ import annotations

import json
from pathlib import Path

from .draft_rules import DraftRules
from .files import ROOT
from .incident_file import incident_schema
from .models import GuidelineMap, Organisation, Playbook

SCHEMA_DIR = ROOT / "docs" / "reference"
SCHEMAS = {
    "playbook.schema.json": Playbook,
    "organisation.schema.json": Organisation,
    "guideline-map.schema.json": GuidelineMap,
    "draft-rules.schema.json": DraftRules,  # the draft checker's rules file
    "incident.schema.json": incident_schema,  # the workspace's incident file (already a schema, inlined)
}


def schema_text(model) -> str:
    if isinstance(model, type):
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}
    else:
        schema = model()
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(check_only: bool = False, folder: Path = SCHEMA_DIR) -> list[Path]:
    """Write each schema whose file differs from the models; return those paths (``check_only``: just list)."""
    stale = []
    for name, model in SCHEMAS.items():
        path = folder / name
        text = schema_text(model)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not check_only:
                path.write_text(text, encoding="utf-8")
    return stale
