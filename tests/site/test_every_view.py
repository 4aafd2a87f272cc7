"""Once per page of the built site (not per view): the W3C Nu HTML checker finds no error in the project's own
markup. And the view checks of views.py (run on every page by test_every_view_{light,dark}_{phone,laptop}.py)
are shown to catch what they are meant to catch, on a page made of known faults.

The Nu checker (``vnu.jar`` from the npm package vnu-jar, pinned in package.json; ``make node_modules`` installs it,
``java`` runs it) checks the whole site in one run, and a bare Material site built beside it with the project's
theme settings. Material's own templates yield a few errors on every page; those are filtered by their exact
message *and* the Material markup they are about, and each filter is shown to occur on the bare Material page too,
so the filter cannot hide an error of the project's own markup.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from tests.site.conftest import ROOT, mkdocs_build
from tests.site.views import CLS_INIT, MEASURE, SETTLE, WIDTHS, measure_args

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
VNU_TIMEOUT = 120
# Errors of Material's own templates: (exact message, a piece of the markup it is about). Each must also occur on
# the bare Material site (test_filtered_errors_are_materials_own).
MATERIAL_ERRORS = [
    # navigation.sections: <label class="md-nav__link" for="__nav_2" id="__nav_2_label" tabindex="">
    ("Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer.",
     'class="md-nav__link"'),
    # the drawer and search toggles: <input class="md-toggle" type="checkbox" ... autocomplete="off">
    ("Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, “email”, "
     "“hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, or “week”.",
     'class="md-toggle"'),
]
SHOWN = 40


def _is_material(message: dict) -> bool:
    return any(message.get("message") == text and piece in message.get("extract", "")
               for text, piece in MATERIAL_ERRORS)


def _file(message: dict) -> Path | None:
    """The file a message is about (vnu names it ``file:/tmp/...``), or None."""
    url = urlsplit(message.get("url", ""))
    return Path(unquote(url.path)).resolve() if url.scheme == "file" else None


def _under(message: dict, root: Path) -> bool:
    file = _file(message)
    return file is not None and file.is_relative_to(root)


def _where(message: dict, roots: dict[str, Path]) -> str:
    file = _file(message)
    for name, root in roots.items():
        if file is not None and file.is_relative_to(root):
            return f"{name}/{file.relative_to(root).as_posix()}:{message.get('lastLine', '?')}"
    return f"{message.get('url', '?')}:{message.get('lastLine', '?')}"


def _bare_material_site(dest: Path) -> Path:
    """A site of three pages (one in a section) with Material and the project's theme settings, and nothing of the
    project's own: no custom_dir, no CSS, no JavaScript, no hooks, no macros."""
    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    theme = {k: v for k, v in config["theme"].items() if k != "custom_dir"}
    (dest / "docs" / "guide").mkdir(parents=True)
    (dest / "docs" / "index.md").write_text("# Bare\n\nA page.\n", encoding="utf-8")
    (dest / "docs" / "guide" / "index.md").write_text("# Guide\n\nText.\n\n## Part\n\nMore.\n", encoding="utf-8")
    (dest / "docs" / "guide" / "more.md").write_text("# More\n\n| a | b |\n|---|---|\n| `x` | y |\n", encoding="utf-8")
    bare = {"site_name": "Bare", "theme": theme, "markdown_extensions": config.get("markdown_extensions", []),
            "nav": [{"Home": "index.md"}, {"Guide": ["guide/index.md", "guide/more.md"]}]}
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(bare, sort_keys=False), encoding="utf-8")
    result = mkdocs_build(dest, dest / "site", "http://127.0.0.1:8000/")
    assert result.returncode == 0, f"the bare Material site did not build:\n{result.stdout}"
    return dest / "site"


@pytest.fixture(scope="module")
def nu_checker(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The Nu checker's messages for the built site and the bare Material site, from one run of vnu.jar."""
    java = shutil.which("java")
    if not java:
        pytest.fail("No 'java' on PATH for the W3C Nu HTML checker: install a Java runtime (Debian: "
                    "apt-get install default-jre-headless; .ci/run does it in CI).", pytrace=False)
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR.relative_to(ROOT)} is missing: run 'make node_modules' (npm ci of package-lock.json).",
                    pytrace=False)
    site, bare = built_site.resolve(), _bare_material_site(tmp_path_factory.mktemp("bare-material")).resolve()
    # --verbose: the files checked are listed on stdout (the JSON report goes to stderr)
    run = subprocess.run([java, "-jar", str(VNU_JAR), "--skip-non-html", "--format", "json", "--verbose", str(site),
                          str(bare)], capture_output=True, text=True, timeout=VNU_TIMEOUT, check=False)
    try:
        messages = json.loads(run.stderr)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar exited {run.returncode} without a JSON report:\n{run.stderr[-2000:]}{run.stdout[-2000:]}",
                    pytrace=False)
    messages = [m for m in messages if m.get("type") != "info" or "was not checked" not in m.get("message", "")]
    checked = {Path(line.strip()).resolve() for line in run.stdout.splitlines() if line.strip()}
    ours = [m for m in messages if _under(m, site)]
    theirs = [m for m in messages if _under(m, bare)]
    return {"site": ours, "bare": theirs, "other": [m for m in messages if m not in ours and m not in theirs],
            "roots": {"site": site, "bare-material": bare}, "checked": checked,
            "pages": sorted(site.rglob("*.html")), "bare_pages": sorted(bare.rglob("*.html"))}


def test_nu_checker_checked_every_page(nu_checker: dict) -> None:
    unchecked = [p for p in nu_checker["pages"] + nu_checker["bare_pages"] if p not in nu_checker["checked"]]
    assert not unchecked, f"vnu.jar did not check {len(unchecked)} pages: {unchecked[:10]}"
    assert len(nu_checker["pages"]) > 10, nu_checker["pages"]


def test_nu_checker_finds_no_error_in_the_projects_markup(nu_checker: dict) -> None:
    bad = [m for m in nu_checker["site"] + nu_checker["other"]
           if m.get("type") in ("error", "non-document-error") and not _is_material(m)]
    lines = [f"{_where(m, nu_checker['roots'])}: {m.get('message')}  [{' '.join(m.get('extract', '').split())[:160]}]"
             for m in bad[:SHOWN]]
    if len(bad) > SHOWN:
        lines.append(f"… and {len(bad) - SHOWN} more")
    pages = len({m.get("url") for m in bad})
    assert not bad, (f"the W3C Nu HTML checker found {len(bad)} errors on {pages} of {len(nu_checker['pages'])} "
                     f"pages (Material's own, filtered: {len(MATERIAL_ERRORS)} kinds):\n" + "\n".join(lines))


def test_filtered_errors_are_materials_own(nu_checker: dict) -> None:
    """Every filtered error occurs on the bare Material site too, and Material yields no other error there."""
    bare = [m for m in nu_checker["bare"] if m.get("type") in ("error", "non-document-error")]
    missing = [text for text, piece in MATERIAL_ERRORS
               if not any(m.get("message") == text and piece in m.get("extract", "") for m in bare)]
    assert not missing, f"filtered as Material's, but not found on a bare Material site: {missing}"
    unknown = sorted({m.get("message", "") for m in bare if not _is_material(m)})
    assert not unknown, ("a bare Material site has errors the filter does not know (if the project's pages show "
                         "them too, add them to MATERIAL_ERRORS):\n" + "\n".join(unknown))


# ------------------------------------------------------------------------------------------ the checks checked

SELF_TEST_URL = "http://127.0.0.1:9/every-view-self-test/"
SELF_TEST_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>faults</title>
<style>
  body { margin: 0; font: 16px/1.4 sans-serif; color: #000; background: #fff; }
  .icp-offscreen { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
</style></head><body>
<div id="pusher"></div>
<p id="low" style="color:#777">4.48:1, just short</p>
<div style="opacity:.5"><p id="halfop">black text at half opacity</p></div>
<p id="large" style="color:#888;font-size:24px">large grey text, 3.5:1, enough for large text</p>
<p id="hidden" style="display:none;color:#fff">not shown</p>
<p id="invisible" style="visibility:hidden;color:#fff">not shown</p>
<span id="offscreen" class="icp-offscreen" style="color:#fff">for screen readers</span>
<p id="overimg" style="color:#fff;background-image:linear-gradient(#000,#000)">on an image</p>
<p id="tiny" style="font-size:10px">ten pixels</p>
<div id="dark" style="background:#222;color:#eee"><p id="ondark">light on dark</p></div>
<svg width="200" height="100" viewBox="0 0 400 200" style="display:block">
  <rect x="0" y="0" width="400" height="100" fill="#fff"></rect>
  <text id="svgbad" x="10" y="60" font-size="40" fill="#ddd">pale label</text>
  <rect x="0" y="100" width="400" height="100" fill="#222"></rect>
  <text id="svgondark" x="10" y="160" font-size="40" fill="#fff">white on a dark box</text>
</svg>
<svg width="400" height="60" viewBox="0 0 800 120" style="display:block">
  <text id="svgsmall" x="10" y="60" font-size="14" fill="#000">fourteen units, drawn at half size</text>
</svg>
<svg width="400" height="60" viewBox="0 0 400 60" style="display:block">
  <text id="svgok" x="10" y="40" font-size="14" fill="#000">fourteen pixels</text>
</svg>
<div id="scroller" style="overflow-x:auto"><div style="width:800px">wide, in a box that is not focusable</div></div>
<div id="scrollerok" tabindex="0" style="overflow-x:auto"><div style="width:800px">wide, in a focusable box</div></div>
<div id="wide" style="width:600px">wider than a phone</div>
<script>addEventListener("load", () => requestAnimationFrame(() => requestAnimationFrame(() => {
  document.getElementById('pusher').style.height = '300px'; })));</script>
</body></html>"""


def test_the_view_checks_catch_known_faults(browser) -> None:
    """MEASURE and CLS_INIT on a page of known faults at phone width: each fault found, nothing else."""
    context = browser.new_context(**WIDTHS[390])
    try:
        context.route("**/*", lambda route: route.fulfill(body=SELF_TEST_PAGE, content_type="text/html")
                      if route.request.url == SELF_TEST_URL else route.abort())
        context.add_init_script(CLS_INIT)
        page = context.new_page()
        page.goto(SELF_TEST_URL, wait_until="load")
        page.evaluate(SETTLE)
        page.wait_for_timeout(300)
        found = page.evaluate(MEASURE, measure_args(390))
        # the fault moves the page once it has been painted (two frames after load): however busy the machine
        page.wait_for_function("window.__icpShifts && window.__icpShifts.length > 0", timeout=5000)
        shifts = page.evaluate("window.__icpShifts")
    finally:
        context.close()

    def ids(items: list[dict]) -> set[str]:
        return {item["selector"].rsplit("#", 1)[-1] for item in items if "#" in item["selector"]}

    low = {c["selector"].rsplit("#", 1)[-1]: c for c in found["contrast"]}
    assert ids(found["contrast"]) == {"low", "halfop", "svgbad"}, found["contrast"]
    assert low["low"]["fg"] == "#777777" and low["low"]["bg"] == "#ffffff" and low["low"]["ratio"] == 4.48
    assert low["halfop"]["fg"] == "#808080", low["halfop"]  # black at half opacity over white
    assert low["svgbad"]["bg"] == "#ffffff" and low["svgbad"]["kind"] == "svg", low["svgbad"]
    assert any("overimg" in s for s in found["overImage"]), found["overImage"]
    assert ids(found["small"]) == {"tiny", "svgsmall"}, found["small"]
    assert next(s for s in found["small"] if s["selector"].endswith("#svgsmall"))["px"] == 7
    assert found["scrollWidth"] > found["screenWidth"] == 390
    overflowing = ids(found["overflow"])
    assert "scroller" in overflowing and "scrollerok" not in overflowing, found["overflow"]
    assert "wide" in overflowing, found["overflow"]
    total = sum(s["value"] for s in shifts)  # every shift counts (views.py says why)
    assert total > 0.02, shifts
