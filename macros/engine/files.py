"""Where a project's files are and which of them the checker reads: no parsing here, so the command line can
name and fingerprint them (check_cache.py) without loading the checker itself."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOK_DIR = ROOT / "playbooks"
ORG_FILE_NAME = "organisation.yaml"
ORG_FILE = PLAYBOOK_DIR / ORG_FILE_NAME
GUIDELINE_MAP_FILE_NAME = "guideline-map.yaml"
DRAFT_RULES_FILE_NAME = "draft-rules.yaml"
NOT_PLAYBOOKS = (ORG_FILE_NAME, GUIDELINE_MAP_FILE_NAME, DRAFT_RULES_FILE_NAME)  # read as something else
SUFFIXES = (".yaml", ".yml")


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when it is below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(Path(path).resolve()) if relative.startswith("..") else relative


def playbook_files(paths: list[Path]) -> list[Path]:
    """The playbook files named by ``paths`` (files as given, folders searched), organisation file left out."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.suffix in SUFFIXES and p.is_file() and p.name not in NOT_PLAYBOOKS
            )
        elif path.name not in (GUIDELINE_MAP_FILE_NAME, DRAFT_RULES_FILE_NAME):
            found.append(path)
    return list(dict.fromkeys(found))


def guideline_map_file(paths: list[Path]) -> Path | None:
    """The guideline map among ``paths`` (a file so named, or one at the top of a folder), if there is one."""
    for path in paths:
        candidate = path / GUIDELINE_MAP_FILE_NAME if path.is_dir() else path
        if candidate.name == GUIDELINE_MAP_FILE_NAME and candidate.is_file():
            return candidate
    return None
