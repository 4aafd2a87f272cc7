"""Fixtures for the site tests: the real site built and served once, copies of the project built with other
playbooks, and one headless Chromium that refuses to talk to any host but this machine.

Everything here is session-scoped where it is expensive (builds, the browser) and per test where state could
leak between tests (browser contexts and what they recorded).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the tests import macros.engine.loader to know what the site must show
    sys.path.insert(0, str(ROOT))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
from tests.provision_browser import BROWSER_ARGS  # noqa: E402 - after the sys.path set-up above

BUILD_TIMEOUT = 180


# --------------------------------------------------------------------------------------------- serving


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the folder the server was given (``server.site_dir``), without logging every request."""

    def __init__(self, request, client_address, server) -> None:
        super().__init__(request, client_address, server, directory=str(server.site_dir))

    def log_message(self, format, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A browser that stops reading (a page left mid-load, a cancelled fetch) is not an error of the site; any
        other failure is still printed."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class SiteServer:
    """An HTTP server bound at once (so its port is known before the site is built), serving later."""

    def __init__(self) -> None:
        self.httpd = _Server(("127.0.0.1", 0), _QuietHandler)
        self.httpd.daemon_threads = True
        self.httpd.site_dir = None  # type: ignore[attr-defined]
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread: threading.Thread | None = None

    def serve(self, site_dir: Path) -> str:
        self.httpd.site_dir = site_dir  # type: ignore[attr-defined]
        if self._thread is None:
            self._thread = threading.Thread(target=self.httpd.serve_forever, name=f"site-{self.port}", daemon=True)
            self._thread.start()
        return self.url

    def close(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=10)
        self.httpd.server_close()


# --------------------------------------------------------------------------------------------- building


def _build_env(site_url: str) -> dict[str, str]:
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTHONPATH", None)  # the copy's own macros/ must be the one imported
    return env


def mkdocs_build(project_root: Path, site_dir: Path, site_url: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of the project at ``project_root`` into ``site_dir``; output merged."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
        cwd=project_root, env=_build_env(site_url), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=BUILD_TIMEOUT, check=False,
    )


@dataclass
class CopyBuild:
    returncode: int
    output: str
    site_dir: Path
    root: Path

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``python -m <args>`` in the copy's root (paths in messages are relative to the working dir)."""
        return subprocess.run([sys.executable, "-m", *args], cwd=self.root, env=_build_env("http://127.0.0.1/"),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=BUILD_TIMEOUT,
                              check=False)


def build_copy(dest: Path, playbooks: dict[str, str], *, organisation: str | None = None,
               keep_real_playbooks: bool = True, site_url: str = "http://127.0.0.1:8000/",
               extra_pages: dict[str, str] | None = None) -> CopyBuild:
    """Copy the project (mkdocs.yml, docs/, macros/) to ``dest``, write ``playbooks`` (file name → text) and the
    organisation file (default: the real one) into ``dest/playbooks/``, and run the strict build there.
    ``extra_pages`` (path under docs/ → Markdown) are added to the copy and to its navigation."""
    root = dest / "project"
    root.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "docs", root / "docs", ignore=ignore)
    shutil.copytree(ROOT / "macros", root / "macros", ignore=ignore)
    target = root / "playbooks"
    if keep_real_playbooks:
        shutil.copytree(ROOT / "playbooks", target, ignore=ignore)
    else:
        target.mkdir()
    for name, text in playbooks.items():
        (target / name).write_text(text, encoding="utf-8")
    if organisation is not None:
        (target / "organisation.yaml").write_text(organisation, encoding="utf-8")
    elif not (target / "organisation.yaml").exists():
        shutil.copy2(ROOT / "playbooks" / "organisation.yaml", target / "organisation.yaml")
    for src, text in (extra_pages or {}).items():
        (root / "docs" / src).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / src).write_text(text, encoding="utf-8")
        config = (root / "mkdocs.yml").read_text(encoding="utf-8")
        (root / "mkdocs.yml").write_text(config.replace("\nnav:\n", f"\nnav:\n  - {src}\n", 1), encoding="utf-8")
    site_dir = dest / "site"
    result = mkdocs_build(root, site_dir, site_url)
    return CopyBuild(result.returncode, result.stdout, site_dir, root)


@pytest.fixture
def build_project_copy(tmp_path: Path) -> Callable[..., CopyBuild]:
    """``build_project_copy({"x.yaml": text, ...}, organisation=None, keep_real_playbooks=True)``."""
    return functools.partial(build_copy, tmp_path)


# --------------------------------------------------------------------------------------------- the real site


@pytest.fixture(scope="session")
def _site_server() -> Iterator[SiteServer]:
    server = SiteServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, _site_server: SiteServer) -> Path:
    """The real project built once with ``mkdocs build --strict``, for the address the server uses."""
    site_dir = tmp_path_factory.mktemp("built") / "site"
    result = mkdocs_build(ROOT, site_dir, _site_server.url)
    assert result.returncode == 0, f"mkdocs build --strict failed ({result.returncode}):\n{result.stdout}"
    assert (site_dir / "index.html").is_file(), f"no index.html in {site_dir}:\n{result.stdout}"
    return site_dir


@pytest.fixture(scope="session")
def site_server(built_site: Path, _site_server: SiteServer) -> str:
    """Base URL (``http://127.0.0.1:<port>/``) of the built site, served over HTTP."""
    return _site_server.serve(built_site)


# --------------------------------------------------------------------------------------------- hostile copy

HOSTILE_FILE = FIXTURES / "hostile.yaml"
# Added to a copy of the real organisation file; the hostile playbook refers to it as {org.hostile_org}.
HOSTILE_ORG_NAME = "hostile_org"
HOSTILE_ORG_VALUE = "Org <script>window.__pwned=1</script> <img src=x onerror=\"window.__pwned=1\">"


@dataclass
class HostileSite:
    build: CopyBuild
    url: str  # where it is served


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileSite]:
    """A copy of the project with ``fixtures/hostile.yaml`` added to the real playbooks, built and served."""
    import yaml

    org = yaml.safe_load((ROOT / "playbooks" / "organisation.yaml").read_text(encoding="utf-8"))
    org["names"][HOSTILE_ORG_NAME] = HOSTILE_ORG_VALUE
    server = SiteServer()
    try:
        build = build_copy(
            tmp_path_factory.mktemp("hostile"),
            {"hostile.yaml": HOSTILE_FILE.read_text(encoding="utf-8")},
            organisation=yaml.safe_dump(org, allow_unicode=True, sort_keys=False),
            site_url=server.url,
        )
        if build.returncode == 0:
            server.serve(build.site_dir)
        yield HostileSite(build, server.url)
    finally:
        server.close()


@pytest.fixture(scope="session")
def served_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., HostileSite]]:
    """``served_copy(name, organisation=..., extra_pages=..., ...)``: a copy built by :func:`build_copy` (same
    keywords) for the address it is then served at, on 127.0.0.1, until the end of the session."""
    servers: list[SiteServer] = []

    def build_and_serve(name: str, playbooks: dict[str, str] | None = None, **options) -> HostileSite:
        server = SiteServer()
        servers.append(server)
        build = build_copy(tmp_path_factory.mktemp(name), playbooks or {}, site_url=server.url, **options)
        if build.returncode == 0:
            server.serve(build.site_dir)
        return HostileSite(build, server.url)

    yield build_and_serve
    for server in servers:
        server.close()


# --------------------------------------------------------------------------------------------- browser


def _find_chromium() -> str | None:
    path = ROOT / "tests" / "provision_browser.py"
    spec = importlib.util.spec_from_file_location("_provision_browser", path)
    assert spec is not None and spec.loader is not None, f"cannot import {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.find_chromium()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (never skipped: no browser is a failure)."""
    from playwright.sync_api import sync_playwright

    executable = _find_chromium()
    if not executable:
        pytest.fail(
            "No Chromium found for the browser tests. Install one ('sudo apt-get install chromium' or "
            "'.venv/bin/python -m playwright install chromium'), point CHROMIUM=/path/to/chromium at one, "
            "or run '.venv/bin/python tests/provision_browser.py'.",
            pytrace=False,
        )
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=BROWSER_ARGS)
    except Exception as exc:
        playwright.stop()
        pytest.fail(f"Chromium at {executable} did not start: {exc}", pytrace=False)
    yield chromium
    chromium.close()
    playwright.stop()


@dataclass
class Recorder:
    """What went wrong while pages of one context loaded; each entry names the page or URL it concerns."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    inflight: set[object] = field(default_factory=set, repr=False)  # requests not finished yet

    def problems(self) -> dict[str, list[str]]:
        return {name: list(value) for name, value in vars(self).items() if value and isinstance(value, list)}

    def problems_but_aborts(self) -> dict[str, list[str]]:
        """:meth:`problems` less requests the browser itself cancelled (``net::ERR_ABORTED``: a click that starts
        the next page before the last one finished loading its favicon, or instant navigation's fetch replaced
        by the page it opens); a refused host, a 404 or a script error still counts."""
        found = self.problems()
        kept = [r for r in found.pop("failed_requests", []) if not r.endswith("net::ERR_ABORTED")]
        return {**found, **({"failed_requests": kept} if kept else {})}

    def clear(self) -> None:
        for value in vars(self).values():
            if isinstance(value, list):
                value.clear()

    def report(self) -> str:
        lines = []
        for name, entries in self.problems().items():
            lines.append(f"{name} ({len(entries)}):")
            lines += [f"  {entry}" for entry in entries]
        return "\n".join(lines)

    def settle(self, page, timeout_ms: int = 10_000, poll_ms: int = 25) -> None:
        """Wait until no request of this context has been in flight for two polls in a row (the search index,
        the sitemap and the favicon are fetched after 'load'), so the next navigation cuts nothing short.
        Much quicker than Playwright's 'networkidle', which always waits 500 ms."""
        quiet = 0
        for _ in range(timeout_ms // poll_ms):
            quiet = quiet + 1 if not self.inflight else 0
            if quiet >= 2:
                return
            page.wait_for_timeout(poll_ms)
        self.failed_requests += [f"{getattr(r, 'url', r)}: still loading after {timeout_ms} ms" for r in self.inflight]


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


def _watch(page, recorder: Recorder) -> None:
    def where() -> str:
        return page.url

    page.on("console", lambda msg: recorder.console_errors.append(f"{where()}: {msg.text} @ {msg.location}")
            if msg.type == "error" else None)
    page.on("pageerror", lambda error: recorder.page_errors.append(f"{where()}: {error}"))

    def on_dialog(dialog) -> None:
        recorder.dialogs.append(f"{where()}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    page.on("dialog", on_dialog)


def watched_context(browser, **kwargs):
    """A new context (``browser.new_context(**kwargs)``) and its :class:`Recorder`: requests to any host but
    this machine are aborted and recorded; console errors, page errors, dialogs, failed requests and HTTP
    responses of 400 or more are recorded. The caller closes the context."""
    context = browser.new_context(**kwargs)
    recorder = Recorder()

    def route(route) -> None:
        url = route.request.url
        if _is_local(url):
            route.continue_()
        else:
            recorder.blocked.append(url)
            route.abort("blockedbyclient")

    def finished(request) -> None:
        recorder.inflight.discard(request)

    def failed(request) -> None:
        recorder.inflight.discard(request)
        recorder.failed_requests.append(f"{request.url}: {request.failure}")

    context.route("**/*", route)
    context.on("page", lambda page: _watch(page, recorder))
    context.on("request", lambda request: recorder.inflight.add(request))
    context.on("requestfinished", finished)
    context.on("requestfailed", failed)
    context.on("response", lambda response: recorder.bad_responses.append(
        f"{response.status} {response.url}") if response.status >= 400 else None)
    return context, recorder


@pytest.fixture
def open_context(browser) -> Iterator[Callable[..., tuple[object, Recorder]]]:
    """``context, recorder = open_context(**new_context_kwargs)``: a :func:`watched_context`, closed after the
    test."""
    contexts = []

    def open_(**kwargs):
        context, recorder = watched_context(browser, **kwargs)
        contexts.append(context)
        return context, recorder

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def new_watched_context(browser) -> Callable[..., tuple[object, Recorder]]:
    """``context, recorder = new_watched_context(**kwargs)`` for fixtures wider than one test; they close it."""
    return functools.partial(watched_context, browser)


# --------------------------------------------------------------------------------------------- adopter copies


def build_fixture_copy(dest: Path, folder: Path, *, site_url: str) -> CopyBuild:
    """A copy of the project (as :func:`build_copy`) whose ``playbooks/`` holds exactly the files of ``folder``:
    its playbooks and its own ``organisation.yaml``, none of the project's playbooks. Built with ``--strict``."""
    subfolders = [p.name for p in folder.iterdir() if p.is_dir()]
    assert not subfolders, f"{folder}: a fixture organisation is one flat folder, not {subfolders}"
    organisation = folder / "organisation.yaml"
    assert organisation.is_file(), f"{folder} has no organisation.yaml"
    playbooks = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p != organisation}
    return build_copy(dest, playbooks, organisation=organisation.read_text(encoding="utf-8"),
                      keep_real_playbooks=False, site_url=site_url)


@dataclass
class ServedCopy:
    build: CopyBuild
    url: str  # where it is served; nothing answers there when the build failed


@pytest.fixture(scope="session")
def served_fixture_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Path], ServedCopy]]:
    """``served_fixture_copy(folder)``: :func:`build_fixture_copy` of ``folder``, built once per session (on first
    use) for the address it is then served at on 127.0.0.1, when it built."""
    copies: dict[Path, ServedCopy] = {}
    servers: list[SiteServer] = []

    def get(folder: Path) -> ServedCopy:
        if folder not in copies:
            server = SiteServer()
            servers.append(server)
            build = build_fixture_copy(tmp_path_factory.mktemp(f"copy-{folder.name}"), folder, site_url=server.url)
            if build.returncode == 0:
                server.serve(build.site_dir)
            copies[folder] = ServedCopy(build, server.url)
        return copies[folder]

    yield get
    for server in servers:
        server.close()
