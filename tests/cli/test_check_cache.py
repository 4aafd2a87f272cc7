"""`python -m macros check` answers an unchanged check from .cache/check/: the same lines and exit code as a
fresh check, never a stale one (every input file, the options and the checker's own source are in the key), and
a broken or unwritable cache is only a slower check."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from macros.engine import check_cache

FIXTURES = Path(__file__).resolve().parents[1] / "engine" / "fixtures"
ORG = FIXTURES / "organisation.yaml"
BROKEN = FIXTURES / "broken" / "dead-end.yaml"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ICP_CHECK_CACHE_DIR", str(folder))
    return folder


def check(*args, cwd: Path | None = None) -> tuple[int, str, str]:
    done = subprocess.run([sys.executable, "-m", "macros", "check", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, check=False, cwd=cwd or Path(__file__).resolve().parents[2])
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def project(tmp_path, valid_playbook) -> Path:
    folder = tmp_path / "playbooks"
    folder.mkdir()
    (folder / "fixture.yaml").write_text(valid_playbook, encoding="utf-8")
    shutil.copy(ORG, folder / "organisation.yaml")
    return folder


def test_a_second_check_is_answered_from_the_cache_with_the_same_output(cache, project):
    options = (project, "--org", project / "organisation.yaml", "--today", "2026-11-26")
    first = check(*options)
    assert first[0] == 0 and first[1].startswith("ok:"), first
    assert len(list(cache.glob("*.json"))) == 1
    again = check(*options)
    fresh = check(*options, "--no-cache")
    assert again == first == fresh
    assert len(list(cache.glob("*.json"))) == 1, "--no-cache or the hit wrote another result"


def test_problems_come_back_the_same_from_the_cache(cache, tmp_path):
    options = (BROKEN, "--org", ORG, "--today", "2026-11-26")
    first = check(*options)
    assert first[0] == 1 and ": error: " in first[1], first
    assert check(*options) == first == check(*options, "--no-cache")
    assert check(*options, "--format", "github") == check(*options, "--format", "github", "--no-cache")


def test_every_change_that_matters_is_seen(cache, project, valid_playbook):
    playbook, org = project / "fixture.yaml", project / "organisation.yaml"
    options = (project, "--org", org, "--today", "2026-11-26")
    ok = check(*options)
    assert ok[0] == 0
    # a playbook edited: its new problem shows at once
    playbook.write_text(valid_playbook.replace("start:", "start: nowhere-at-all\n_old_start:", 1), encoding="utf-8")
    broken = check(*options)
    assert broken != ok and broken[0] == 1, broken
    assert broken == check(*options, "--no-cache")
    playbook.write_text(valid_playbook, encoding="utf-8")
    assert check(*options) == ok
    # a new file in the folder, and the organisation file
    (project / "second.yaml").write_text("id: [not, an, id]\n", encoding="utf-8")
    assert check(*options)[0] == 1
    (project / "second.yaml").unlink()
    org.write_text(org.read_text(encoding="utf-8") + "\nreview_max_age_days: 1\n", encoding="utf-8")
    assert check(*options) == check(*options, "--no-cache")
    # another review date
    assert check(project, "--org", org, "--today", "2030-01-01") == check(project, "--org", org, "--today",
                                                                           "2030-01-01", "--no-cache")


def test_the_checker_own_source_is_part_of_the_key(tmp_path, monkeypatch, project):
    options = {"today": "2026-11-26", "max_age": None, "paths": [str(project)]}
    before = check_cache.key([project], project / "organisation.yaml", options)
    copy = tmp_path / "engine"
    copy.mkdir()
    for source in check_cache._checker_source():
        shutil.copy(source, copy / source.name)
    monkeypatch.setattr(check_cache, "_checker_source", lambda: sorted(copy.iterdir()))
    assert check_cache.key([project], project / "organisation.yaml", options) == before
    for name in ("validate.py", "draft-rules.yaml"):  # its code, and its default draft rules
        changed = copy / name
        changed.write_text(changed.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
        assert check_cache.key([project], project / "organisation.yaml", options) != before
        before = check_cache.key([project], project / "organisation.yaml", options)


def test_a_broken_cache_is_only_a_slower_check(cache, project):
    options = (project, "--org", project / "organisation.yaml", "--today", "2026-11-26")
    first = check(*options)
    for stored in cache.glob("*.json"):
        stored.write_text('{"diagnostics": [{"path": 1}]', encoding="utf-8")
    assert check(*options) == first
    for stored in cache.glob("*.json"):
        stored.write_bytes(b"\xff\xfe\x00 not json")
    assert check(*options) == first


def test_an_unwritable_cache_is_no_cache(tmp_path, monkeypatch, project):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("ICP_CHECK_CACHE_DIR", str(blocker / "cache"))
    options = (project, "--org", project / "organisation.yaml", "--today", "2026-11-26")
    first = check(*options)
    assert first[0] == 0 and "Traceback" not in first[2], first
    assert check(*options) == first


def test_a_hit_does_not_load_the_checker(cache, project):
    """A cached answer imports neither the YAML parser nor the models (that is what makes it cheap)."""
    options = (project, "--org", project / "organisation.yaml", "--today", "2026-11-26")
    check(*options)
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "macros", "check", *map(str, options)],
                          capture_output=True, text=True, timeout=120, check=False,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time")}
    assert "macros.engine.check_cache" in imported
    assert not {"pydantic", "yaml", "macros.engine.loader", "macros.engine.validate"} & imported
