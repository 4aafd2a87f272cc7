"""The checker's last results, kept so that checking unchanged files costs a lookup, not a parse.

A result is stored under a key made of everything it depends on: the bytes of every file the checker could read
(every ``.yaml``/``.yml`` under the paths checked, the paths named directly with the draft rules beside them, and
the organisation file), the options (review date and maximum age, the working directory the paths are shown
from), and the checker's own version (the bytes of its source, ``macros/engine/*.py``, its default draft rules,
and the Python version). Change any of them and the key changes; nothing is ever invalidated by time. A cached
result holds the diagnostics exactly as the checker made them, so a hit prints the same lines.

This module imports nothing of the checker itself (no YAML parser, no models): a hit stays cheap.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Severity
from .files import DRAFT_RULES_FILE_NAME, ROOT, SUFFIXES

CACHE_DIR = ROOT / ".cache" / "check"  # or $ICP_CHECK_CACHE_DIR
KEEP = 16  # results kept; the oldest go first
FORMAT = 1  # of the stored result; part of the key


def _checker_source() -> list[Path]:
    here = Path(__file__).resolve().parent
    return sorted([*here.glob("*.py"), *here.glob("*.yaml")])  # the default draft rules are part of it


def _inputs(paths: list[Path], org_file: Path) -> list[Path]:
    found = [org_file]
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
        else:
            found.append(path)
            rules = path.parent / DRAFT_RULES_FILE_NAME  # read beside a playbook named alone
            if rules.is_file():
                found.append(rules)
    return list(dict.fromkeys(found))


def key(paths: list[Path], org_file: Path, options: dict[str, Any]) -> str | None:
    """The key of a check of ``paths`` with ``options``; None when an input cannot be read (no caching then)."""
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("format", str(FORMAT).encode())
    add("python", sys.version.encode())
    add("options", json.dumps({**options, "cwd": os.getcwd()}, sort_keys=True, default=str).encode())
    try:
        for source in _checker_source():
            add(f"source:{source.name}", source.read_bytes())
        for path in _inputs(paths, org_file):
            add(f"input:{path.resolve()}", path.read_bytes() if path.is_file() else b"\0missing")
    except OSError:
        return None
    return digest.hexdigest()


def cache_dir() -> Path:
    return Path(os.environ.get("ICP_CHECK_CACHE_DIR") or CACHE_DIR)


def load(cache_key: str) -> dict[str, Any] | None:
    """The stored result for ``cache_key``, or None (not stored, or unreadable: then it is checked afresh)."""
    try:
        data = json.loads((cache_dir() / f"{cache_key}.json").read_text(encoding="utf-8"))
        data["diagnostics"] = [
            Diagnostic(**{**d, "severity": Severity(d["severity"])}) for d in data["diagnostics"]
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return data


def store(cache_key: str, result: dict[str, Any]) -> None:
    """Keep ``result`` (diagnostics and counts) under ``cache_key``; a cache that cannot be written is no cache."""
    data = {**result, "diagnostics": [asdict(d) for d in result["diagnostics"]]}
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{cache_key}.json"
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(partial, target)  # a reader never sees half a file
        for old in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
