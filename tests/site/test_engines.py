"""The second engine: ProperDocs, the maintained fork of MkDocs 1.6, builds the same site.

ProperDocs lives in its own environment (``.venv-properdocs/``, from requirements-properdocs.lock, set up by
``make properdocs``, which ``make test`` runs), beside the same theme, plugin and project packages and without
MkDocs. Its strict build of this project must give every page the MkDocs build (the ``built_site`` fixture)
gives, with the same main content. A missing engine fails here, it is never skipped.

What legitimately differs: the ``<meta name="generator">`` tag of every page ("mkdocs-1.6.1, ..." against
"mkdocs-ProperDocs 1.6.7, ..."). Everything else, every file of the two builds, is the same byte for byte;
the last test holds that, so a new ProperDocs that changes the output says so before anyone switches.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PD_VENV = ROOT / ".venv-properdocs"
PROPERDOCS = PD_VENV / "bin" / "properdocs"
PD_LOCK = ROOT / "requirements-properdocs.lock"
MAIN_LOCK = ROOT / "requirements.lock"
GENERATOR = re.compile(r'[ \t]*<meta name="generator" content="[^"]*">[ \t]*\n?')
BUILD_TIMEOUT = 180


@dataclass
class Build:
    site_dir: Path
    output: str
    seconds: float


def _missing_engine_message() -> str:
    return (
        f"ProperDocs is not installed: {PROPERDOCS.relative_to(ROOT)} does not exist. "
        "Run 'make properdocs' (make test does it first) to set up .venv-properdocs/ from "
        f"{PD_LOCK.name}; if pip cannot install it, its message says why."
    )


@pytest.fixture(scope="session")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory, _site_server) -> Build:
    """The real project built once by ``properdocs build --strict``, for the address ``built_site`` uses."""
    if not PROPERDOCS.is_file():
        pytest.fail(_missing_engine_message(), pytrace=False)
    site_dir = tmp_path_factory.mktemp("properdocs") / "site"
    env = {**os.environ, "SITE_URL": _site_server.url, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    started = time.perf_counter()
    result = subprocess.run(
        [str(PROPERDOCS), "build", "--strict", "-f", "mkdocs.yml", "-d", str(site_dir)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=BUILD_TIMEOUT,
        check=False,
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 0, f"properdocs build --strict failed ({result.returncode}):\n{result.stdout}"
    assert (site_dir / "index.html").is_file(), f"no index.html in {site_dir}:\n{result.stdout}"
    return Build(site_dir, result.stdout, seconds)


def _files(site_dir: Path) -> set[str]:
    return {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}


def _pages(site_dir: Path) -> set[str]:
    return {name for name in _files(site_dir) if name.endswith(".html")}


class _MainContent(HTMLParser):
    """The text of ``<article class="md-content__inner ...">``, Material's main content area."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                      "track", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # > 0 inside the article
        self.found = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if self.depth:
            if tag not in self.VOID:
                self.depth += 1
        elif tag == "article" and "md-content__inner" in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.found += 1

    def handle_endtag(self, tag) -> None:
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data) -> None:
        if self.depth:
            self.parts.append(data)


def main_text(html: str) -> str | None:
    """The main content's text with whitespace runs made one space, or None when the page has none."""
    parser = _MainContent()
    parser.feed(html)
    parser.close()
    if parser.found != 1:
        return None
    return " ".join("".join(parser.parts).split())


def _lock(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_properdocs_is_installed_without_mkdocs() -> None:
    """The engine's environment holds ProperDocs at its pinned version and no MkDocs, so the comparison below
    is of two engines, not of MkDocs with itself."""
    if not PROPERDOCS.is_file():
        pytest.fail(_missing_engine_message(), pytrace=False)
    probe = (
        "import importlib.metadata as m, importlib.util as u; "
        "print(m.version('properdocs')); print(u.find_spec('mkdocs') is None)"
    )
    result = subprocess.run([str(PD_VENV / "bin" / "python"), "-c", probe], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    version, no_mkdocs = result.stdout.split()
    assert version == _lock(PD_LOCK)["properdocs"], f"installed {version}, pinned {_lock(PD_LOCK)['properdocs']}"
    assert no_mkdocs == "True", f"mkdocs is importable in {PD_VENV.name}/ without ProperDocs' redirection"


def test_properdocs_lock_pins_the_same_packages_as_the_main_lock() -> None:
    """Same theme, plugin and project packages at the same versions; only the engine differs."""
    ours, main = _lock(PD_LOCK), _lock(MAIN_LOCK)
    assert "properdocs" in ours and "mkdocs" not in ours
    for name in ("mkdocs-material", "mkdocs-macros-plugin", "pydantic", "pyyaml", "markdown", "pymdown-extensions"):
        assert ours.get(name) == main.get(name), f"{name}: {ours.get(name)} here, {main.get(name)} in {MAIN_LOCK.name}"
    differing = {name: (ours[name], main[name]) for name in ours.keys() & main.keys() if ours[name] != main[name]}
    assert not differing, f"versions differ from {MAIN_LOCK.name}: {differing}"


def test_properdocs_builds_every_page_mkdocs_builds(built_site: Path, properdocs_site: Build) -> None:
    mkdocs_pages, properdocs_pages = _pages(built_site), _pages(properdocs_site.site_dir)
    assert len(mkdocs_pages) > 10, f"the MkDocs build has only {sorted(mkdocs_pages)}"
    missing, extra = sorted(mkdocs_pages - properdocs_pages), sorted(properdocs_pages - mkdocs_pages)
    assert not missing, f"missing from the ProperDocs build: {missing}"
    assert not extra, f"only in the ProperDocs build: {extra}"


def test_every_page_has_the_same_main_content(built_site: Path, properdocs_site: Build) -> None:
    differing, without_main = [], []
    for name in sorted(_pages(built_site)):
        expected = main_text((built_site / name).read_text(encoding="utf-8"))
        if not expected:
            without_main.append(name)
            continue
        got_file = properdocs_site.site_dir / name
        got = main_text(got_file.read_text(encoding="utf-8")) if got_file.is_file() else None
        if got != expected:
            where = next((i for i, (a, b) in enumerate(zip(expected, got or "", strict=False)) if a != b),
                         min(len(expected), len(got or "")))
            differing.append(f"{name}: MkDocs …{expected[max(0, where - 60):where + 60]!r}…\n"
                             f"{' ' * len(name)}  ProperDocs …{(got or '')[max(0, where - 60):where + 60]!r}…")
    assert not without_main, f"MkDocs pages with no text in <article class=\"md-content__inner\">: {without_main}"
    assert not differing, "main content differs:\n" + "\n".join(differing)


def test_the_builds_differ_only_in_the_generator_tag(built_site: Path, properdocs_site: Build) -> None:
    """Every file of both builds, byte for byte, once each page's ``<meta name="generator">`` is taken out."""
    mkdocs_files, properdocs_files = _files(built_site), _files(properdocs_site.site_dir)
    assert mkdocs_files == properdocs_files, (
        f"only in MkDocs: {sorted(mkdocs_files - properdocs_files)}; "
        f"only in ProperDocs: {sorted(properdocs_files - mkdocs_files)}"
    )
    generators: set[tuple[str, str]] = set()
    differing = []
    for name in sorted(mkdocs_files):
        a, b = (built_site / name).read_bytes(), (properdocs_site.site_dir / name).read_bytes()
        if a == b:
            continue
        if name.endswith(".html"):
            text_a, text_b = a.decode("utf-8"), b.decode("utf-8")
            tags = (GENERATOR.search(text_a), GENERATOR.search(text_b))
            generators.add(tuple(" ".join(m.group().split()) for m in tags if m))
            text_a, text_b = GENERATOR.sub("", text_a), GENERATOR.sub("", text_b)
            if text_a == text_b:
                continue
            diff = difflib.unified_diff(text_a.splitlines(), text_b.splitlines(), "mkdocs/" + name,
                                        "properdocs/" + name, n=1, lineterm="")
            differing.append("\n".join(list(diff)[:20]))
        else:
            differing.append(f"{name}: {len(a)} bytes from MkDocs, {len(b)} from ProperDocs")
    assert not differing, ("the builds differ beyond the generator tag (both build the working tree: an edit made "
                           "between the two builds shows here too):\n" + "\n\n".join(differing))
    for pair in generators:  # the one difference, as expected: each engine names itself
        assert len(pair) == 2 and "mkdocs-1." in pair[0] and "ProperDocs" in pair[1], pair
