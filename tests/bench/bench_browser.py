"""The browser half of the benchmark: a local static server that counts what it sends, page weight as
Chromium fetches it, and the decision-tree walker's step latency measured inside the page."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.provision_browser import BROWSER_ARGS, find_chromium


def _chromium() -> str:
    found = find_chromium()
    if not found:
        raise SystemExit(
            "no Chromium for the benchmark: run 'make browser' (or .venv/bin/python tests/provision_browser.py)"
        )
    return found


# What a web server compresses; images and fonts are already compressed and are counted as they are.
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".xml", ".svg", ".txt", ".mmd", ".md", "/")
GZIP_LEVEL = 6  # the usual server default (nginx uses 1, Apache and most CDNs 6)


class _CountingHandler(SimpleHTTPRequestHandler):
    """Serves ``server.root`` and records (path, body bytes) of every file it sends."""

    def __init__(self, request, client_address, server) -> None:
        super().__init__(request, client_address, server, directory=str(server.root))

    def copyfile(self, source, outputfile) -> None:
        body = source.read()
        outputfile.write(body)
        with self.server.lock:
            self.server.sent.append((self.path.split("?", 1)[0].split("#", 1)[0], body))

    def log_message(self, format, *args) -> None:
        pass


class Server:
    """A static server bound at once (so the address is known before the sites are built)."""

    def __init__(self, root: Path) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
        self.httpd.daemon_threads = True
        self.httpd.root = root  # type: ignore[attr-defined]
        self.httpd.sent = []  # type: ignore[attr-defined]
        self.httpd.lock = threading.Lock()  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="bench-server", daemon=True)
        self.thread.start()

    def take(self) -> list[tuple[str, bytes]]:
        with self.httpd.lock:  # type: ignore[attr-defined]
            sent, self.httpd.sent = self.httpd.sent, []  # type: ignore[attr-defined]
        return sent

    def close(self) -> None:
        self.httpd.shutdown()
        self.thread.join(timeout=10)
        self.httpd.server_close()


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium(), headless=True, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _local_only(route) -> None:
    url = route.request.url
    if url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
        route.continue_()
    else:
        route.abort("blockedbyclient")


@dataclass
class Transfer:
    files: list[tuple[str, int, int]] = field(default_factory=list)  # path, raw bytes, gzip-equivalent bytes
    responses: int = 0  # responses Chromium saw (cross-check of the server's count)

    @property
    def raw(self) -> int:
        return sum(raw for _, raw, _ in self.files)

    @property
    def gzipped(self) -> int:
        return sum(gz for _, _, gz in self.files)


def _settle(server: Server, page, quiet_ms: int = 800, timeout_ms: int = 15_000) -> None:
    """Wait until the server has sent nothing new for ``quiet_ms`` (the search index and the sitemap are
    fetched after 'load'). Playwright's 'networkidle' can fire while a large page is still loading."""
    quiet, count = 0, -1
    for _ in range(timeout_ms // 100):
        with server.httpd.lock:  # type: ignore[attr-defined]
            now = len(server.httpd.sent)  # type: ignore[attr-defined]
        quiet = quiet + 100 if now == count else 0
        count = now
        if quiet >= quiet_ms:
            return
        page.wait_for_timeout(100)


def page_transfer(browser, server: Server, url: str) -> Transfer:
    """Every file the server sends while a fresh Chromium context loads ``url`` and goes quiet."""
    context = browser.new_context()
    try:
        context.route("**/*", _local_only)
        page = context.new_page()
        seen: list[str] = []
        page.on("response", lambda response: seen.append(response.url))
        server.take()
        page.goto(url, wait_until="load")
        _settle(server, page)
        result = Transfer(responses=len(seen))
        for path, body in server.take():
            compressible = path.endswith(COMPRESSIBLE)
            gz = len(gzip.compress(body, GZIP_LEVEL, mtime=0)) if compressible else len(body)
            result.files.append((path, len(body), min(gz, len(body))))
        return result
    finally:
        context.close()


# Runs before the page's own scripts: when the first answer button appears (the walker is usable).
READY_JS = """
new MutationObserver((records, observer) => {
  if (document.querySelector('.icp-walk button.icp-choice')) {
    window.__icpReady = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, childList: true});
"""

# Runs inside the page. Clicks answers from JavaScript (seeded random choice among the answers not in ``avoid``,
# after a random pause so clicks land anywhere in a frame, as a person's do), restarts at outcomes, and times
# each click:
#   sync  = click() returned: the walker renders (DOM, focus, so style and layout too) in the click handler;
#   frame = until the task after the next animation frame (rAF, then a message posted from it), so that
#           frame's style, layout and paint are included; this also holds the wait for the frame (vsync);
#   work  = sync + the frame's main-thread work from the later of click end and frame start (the rAF
#           timestamp), i.e. frame without the idle wait for vsync.
WALK_JS = """
async ({steps, seed, untilOutcomes, avoid}) => {
  const sel = '.icp-walk .icp-step__title';
  const raf = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const afterFrame = () => new Promise((resolve) => requestAnimationFrame((frameStart) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve([frameStart, performance.now()]);
    channel.port2.postMessage(0);
  }));
  let state = seed >>> 0;
  const random = () => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state / 4294967296; };
  const out = {sync: [], work: [], frame: [], depth: [], outcomes: 0, failures: 0, maxDepth: 0,
               ready: window.__icpReady || null};
  let depth = 0;
  for (let i = 0; i < steps * 4 && out.sync.length < steps; i++) {
    const buttons = document.querySelectorAll('.icp-walk button.icp-choice');
    if (!buttons.length) {
      out.outcomes += 1;
      if (untilOutcomes && out.outcomes >= untilOutcomes) break;
      const again = [...document.querySelectorAll('.icp-walk .icp-controls button')]
        .find((b) => b.textContent.trim() === 'Start again');
      if (!again) { out.failures += 1; break; }
      again.click();
      depth = 0;
      await raf();
      continue;
    }
    const allowed = [...buttons].filter((b) => !avoid.includes(b.dataset.answer));
    const pool = allowed.length ? allowed : [...buttons];
    const button = pool[Math.floor(random() * pool.length)];
    await sleep(random() * 17);
    const before = document.querySelector(sel);
    const t0 = performance.now();
    button.click();
    const t1 = performance.now();
    const after = document.querySelector(sel);
    if (!after || after === before) { out.failures += 1; continue; }
    const [frameStart, t2] = await afterFrame();
    depth += 1;
    out.sync.push(t1 - t0);
    out.frame.push(t2 - t0);
    out.work.push(t1 - t0 + t2 - Math.max(t1, frameStart));
    out.depth.push(depth);
    out.maxDepth = Math.max(out.maxDepth, depth);
    await raf();
  }
  return out;
}
"""


@dataclass
class Latency:
    sync: list[float] = field(default_factory=list)
    work: list[float] = field(default_factory=list)
    frame: list[float] = field(default_factory=list)
    depth: list[int] = field(default_factory=list)
    ready: list[float] = field(default_factory=list)  # ms from navigation start to the first answer button
    outcomes: int = 0
    failures: int = 0
    max_depth: int = 0
    warnings: list[str] = field(default_factory=list)

    def add(self, raw: dict) -> None:
        for name in ("sync", "work", "frame", "depth"):
            getattr(self, name).extend(raw[name])
        if raw["ready"] is not None:
            self.ready.append(raw["ready"])
        self.outcomes += raw["outcomes"]
        self.failures += raw["failures"]
        self.max_depth = max(self.max_depth, raw["maxDepth"])
        self.warnings += raw["warnings"]


def walk_latency(
    browser, url: str, *, steps: int, seed: int, until_outcomes: int = 0, avoid: tuple[str, ...] = ()
) -> dict:
    """Load ``url`` in a fresh context and click ``steps`` answers (or until that many outcomes), never an answer
    whose id is in ``avoid`` when another one is offered."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.route("**/*", _local_only)
        context.add_init_script(READY_JS)
        page = context.new_page()
        errors: list[str] = []
        warnings: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda msg: warnings.append(msg.text) if msg.type in ("warning", "error") else None)
        page.goto(url, wait_until="load")
        page.wait_for_selector(".icp-walk button.icp-choice")
        page.wait_for_timeout(500)  # let the search index and the sitemap load first
        raw = page.evaluate(
            WALK_JS, {"steps": steps, "seed": seed, "untilOutcomes": until_outcomes, "avoid": list(avoid)}
        )
        if errors:
            raise RuntimeError(f"{url}: page errors while walking: {errors[:3]}")
        raw["warnings"] = warnings
        return raw
    finally:
        context.close()
