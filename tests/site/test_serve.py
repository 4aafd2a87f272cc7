"""The author's loop: with `mkdocs serve` running, saving a playbook, a macro module or a page shows the change on
the next load of the page, and nothing stale is served (the serve keeps the checked project and the imported
modules between rebuilds only while their files are unchanged)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.bench.bench_serve import free_port, get_text

ROOT = Path(__file__).resolve().parents[2]
PAGE = "playbooks/running-comms/"


def _wait_for(url: str, wanted: str, gone: str | None, timeout: float = 60.0) -> float:
    """Seconds until the page at ``url`` holds ``wanted`` (and no longer ``gone``)."""
    start = time.monotonic()
    last = ""
    while time.monotonic() - start < timeout:
        try:
            last = get_text(url)
            if wanted in last and (gone is None or gone not in last):
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not show {wanted!r} within {timeout:.0f} s (still showing "
                         f"{'the old text' if gone and gone in last else 'something else'})")


@pytest.fixture
def serving(tmp_path: Path):
    root = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("macros", "playbooks", "docs"):
        shutil.copytree(ROOT / name, root / name, ignore=ignore)
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"}
    env.pop("PYTHONPATH", None)
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for(f"http://127.0.0.1:{port}/", "Incident Comms Playbook", None, timeout=120)
        yield root, f"http://127.0.0.1:{port}/", tmp_path / "serve.log"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_each_saved_change_is_served_on_the_next_load(serving) -> None:
    root, base, log = serving
    url = base + PAGE
    first = get_text(url)
    title = re.search(r"^title: (.+)$", (root / "playbooks" / "running-comms.yaml").read_text(encoding="utf-8"),
                      re.MULTILINE).group(1).strip()
    assert title in first
    # a playbook: its page shows the new title, and the walker file the new data
    _replace(root / "playbooks" / "running-comms.yaml", f"title: {title}", "title: Running comms, edited")
    _wait_for(url, "Running comms, edited", title)
    walker_file = re.search(r'src="([^"]*walks/running-comms\.js\?v=[0-9a-f]+)"', get_text(url)).group(1)
    assert "Running comms, edited" in get_text(urllib.request.urljoin(url, walker_file))
    # a macro module: the code that draws the tree runs anew
    from macros.render.tree import NO_SCRIPT_NOTE

    _replace(root / "macros" / "render" / "tree.py", NO_SCRIPT_NOTE[:40], "Edited note. " + NO_SCRIPT_NOTE[:40])
    _wait_for(url, "Edited note. ", None)
    assert "Running comms, edited" in get_text(url), "the playbook edit was lost when the modules were reloaded"
    # a page: the hand-written Markdown
    page = root / "docs" / "onboarding" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\nA sentence added while serving.\n", encoding="utf-8")
    _wait_for(base + "onboarding/", "A sentence added while serving.", None)
    # and back: the playbook as it was, with no trace of the edit
    _replace(root / "playbooks" / "running-comms.yaml", "title: Running comms, edited", f"title: {title}")
    _wait_for(url, title, "Running comms, edited")
    assert "Traceback" not in log.read_text(encoding="utf-8")
