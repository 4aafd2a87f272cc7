"""Make sure a Chromium is there for the browser tests, or fail with a clear message.

Order: an existing Chromium (``$CHROMIUM``, then the usual names on PATH), else Debian's ``chromium``
package when running as root on Debian, else Playwright's own download. Prints the browser it found.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# How the tests and the benchmark launch it: headless, as root, and quiet (no calls home).
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> str | None:
    """Path of a Chromium to drive, or None. Playwright's own build counts too."""
    wanted = os.environ.get("CHROMIUM")
    if wanted:
        return wanted if Path(wanted).is_file() else None
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            path = pw.chromium.executable_path
        return path if Path(path).is_file() else None
    except Exception:  # no Playwright browser is fine here, it only means "not found"
        return None


def _run(command: list[str]) -> bool:
    print("+ " + " ".join(command), flush=True)
    return subprocess.run(command, check=False).returncode == 0


def provision() -> str | None:
    found = find_chromium()
    if found:
        return found
    if os.environ.get("CHROMIUM"):
        return None
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if is_root and Path("/etc/debian_version").exists() and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        print("+ apt-get update && apt-get install -y chromium", flush=True)
        if subprocess.run(["apt-get", "update", "-qq"], env=env, check=False).returncode == 0:
            subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, check=False)
        found = find_chromium()
        if found:
            return found
    _run([sys.executable, "-m", "playwright", "install", "chromium"])
    return find_chromium()


def main() -> int:
    found = provision()
    if not found:
        print(
            "No Chromium for the browser tests. Install one and run again:\n"
            "  Debian/Ubuntu: sudo apt-get install chromium\n"
            "  elsewhere:     .venv/bin/python -m playwright install chromium\n"
            "or point CHROMIUM=/path/to/chromium at an existing browser.",
            file=sys.stderr,
        )
        return 1
    print(f"browser for tests: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
