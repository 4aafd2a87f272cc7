"""The author's loop, timed: with ``mkdocs serve`` running, the time from saving a file to the rebuilt page being
served with the change (polled every 10 ms over HTTP on 127.0.0.1), for a playbook of the real site and for a
Markdown page of a bare Material site, the two servers running side by side and the edits alternating."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

POLL_S = 0.01
TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


class Serve:
    """``mkdocs serve`` of the project at ``root`` on a free port of 127.0.0.1, until closed."""

    def __init__(self, root: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": self.url}
        env.pop("PYTHONPATH", None)
        self._log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=root,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.wait_for(self.url, lambda text: "</html>" in text)

    def wait_for(self, url: str, done: Callable[[str], bool]) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < TIMEOUT_S:
            if self.process.poll() is not None:
                raise RuntimeError(f"mkdocs serve stopped ({self.process.returncode}); see {self._log.name}")
            try:
                if done(get_text(url)):
                    return time.perf_counter() - start
            except OSError:
                pass
            time.sleep(POLL_S)
        raise RuntimeError(f"{url} did not change within {TIMEOUT_S:.0f} s; see {self._log.name}")

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


def edit_and_wait(server: Serve, path: Path, old: str, new: str, url: str) -> float:
    """Seconds from writing ``path`` with ``old`` replaced by ``new`` to ``url`` serving ``new``."""
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise RuntimeError(f"{old!r} not in {path}")
    start = time.perf_counter()
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    server.wait_for(url, lambda page: new in page and old not in page)
    return time.perf_counter() - start
