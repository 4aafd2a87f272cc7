"""Each page loads only the project's own scripts and styles it uses (gzipped, as served, minified): at most 2 KB on
a page of prose, at most 10 KB on any page, the decision-tree pages included. The walker's data (one file per
playbook, macros/render/walk_data.py) is data, not code: it is counted apart, and never embedded in a page."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from macros.site.hooks import INCIDENT_BAR, OWN_ASSETS, STYLE_BUNDLES, WIDGET_SCRIPTS, WIDGET_STYLES

BUDGET = 10_000  # bytes, gzipped at level 9: the project's own scripts and styles one page loads
PROSE_BUDGET = 2_000  # the same, for a page with no widget
# The incident workspace is an application, opened once per incident, not a page read mid-walk: its own budget.
WORKSPACE_PAGE = "workspace/index.html"
WORKSPACE_BUDGET = 20_000
LOADED = re.compile(
    r'<(?:script src|link rel="stylesheet" href)="(?:\.\./|/)*(assets/icp/(?:styles/)?[a-z-]+\.(?:js|css))"'
)
WALK_FILES = re.compile(r'<script src="(?:\.\./|/)*(assets/icp/walks/[a-z0-9-]+\.js)\?v=[0-9a-f]+"')


def _pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def _gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9, mtime=0))


def _loads(built_site: Path) -> dict[str, tuple[int, list[str]]]:
    """Page → (gzipped bytes of own code it loads, what)."""
    allowed = set(OWN_ASSETS)
    found = {}
    for name, html in _pages(built_site).items():
        loaded = sorted(set(LOADED.findall(html)))
        foreign = [a for a in loaded if a not in allowed and not a.startswith(STYLE_BUNDLES + "/")]
        assert not foreign, f"{name} loads {foreign}, which the budget does not count"
        found[name] = (sum(_gz(built_site / a) for a in loaded), loaded)
    return found


def test_each_page_loads_own_code_within_the_budget(built_site: Path) -> None:
    loads = _loads(built_site)
    over = {name: got for name, got in loads.items() if got[0] > BUDGET and name != WORKSPACE_PAGE}
    assert not over, f"pages over {BUDGET} bytes gzipped of own code: {over}"
    assert loads[WORKSPACE_PAGE][0] <= WORKSPACE_BUDGET, loads[WORKSPACE_PAGE]
    pages = _pages(built_site)
    trees = [name for name, html in pages.items() if 'data-icp-script="common walker"' in html]
    assert trees, "no decision-tree page"


def test_a_page_of_prose_loads_at_most_2_kb_of_own_code(built_site: Path) -> None:
    pages = _pages(built_site)
    prose = [n for n, html in pages.items() if "data-icp-style=" not in html and "data-icp-script=" not in html]
    assert len(prose) >= 3, f"hardly any page of prose: {prose}"
    loads = _loads(built_site)
    over = {name: loads[name] for name in prose if loads[name][0] > PROSE_BUDGET}
    assert not over, f"prose pages over {PROSE_BUDGET} bytes gzipped of own code: {over}"


def test_walker_data_is_a_file_per_playbook_not_part_of_the_page(built_site: Path) -> None:
    tree_page = (built_site / "playbooks" / "running-comms" / "index.html").read_text(encoding="utf-8")
    assert "icpWalks" not in tree_page and '"nodes"' not in tree_page and "&quot;nodes&quot;" not in tree_page
    # its own playbook's file only: those its answers lead into come after the first step is drawn
    assert WALK_FILES.findall(tree_page) == ["assets/icp/walks/running-comms.js"]
    # a page loads the files of the playbooks it walks (and those its answers lead into), never another page's
    for name, html in _pages(built_site).items():
        walked = set(re.findall(r'data-icp-needs="([a-z0-9 -]+)"', html))
        named = {f"assets/icp/walks/{pid}.js" for needs in walked for pid in needs.split()}
        assert set(WALK_FILES.findall(html)) == named, name


def test_widget_scripts_load_only_where_a_widget_is(built_site: Path) -> None:
    pages = _pages(built_site)
    for widget in WIDGET_SCRIPTS:
        script = f"assets/icp/{widget}.js"
        using = {n for n, html in pages.items()
                 if any(widget in names.split() for names in re.findall(r'data-icp-script="([a-z ]+)"', html))}
        loading = {n for n, html in pages.items() if script in set(LOADED.findall(html))}
        assert using, f"no page uses {script}"
        assert loading == using, f"{script}: loaded by {sorted(loading - using)}, missing on {sorted(using - loading)}"
    home = pages["index.html"]
    assert all(f"assets/icp/{w}.js" not in home for w in WIDGET_SCRIPTS)


def test_each_page_links_one_stylesheet_with_only_the_styles_it_uses(built_site: Path) -> None:
    for name, html in _pages(built_site).items():
        sheets = re.findall(
            r'<link rel="stylesheet" href="(?:\.\./|/)*assets/icp/[^"]*"(?: data-icp-styles="([a-z ]+)")?', html
        )
        if "assets/icp/" not in html:
            continue
        assert len(sheets) == 1, f"{name} links {len(sheets)} of the project's stylesheets"
        used = {s for names in re.findall(r'data-icp-style="([a-z ]+)"', html) for s in names.split()}
        assert set(sheets[0].split()) == {"base", *used}, name


def test_every_own_asset_is_loaded_by_some_page(built_site: Path) -> None:
    loaded = set().union(*(LOADED.findall(html) for html in _pages(built_site).values()))
    in_bundles = {f"assets/icp/{n}.css" for b in loaded if b.startswith(STYLE_BUNDLES) for n in Path(b).stem.split("-")}
    on_demand = set(INCIDENT_BAR)  # site.js adds the bar while an incident is open (test_workspace.py sees it)
    missing = set(OWN_ASSETS) - loaded - in_bundles - on_demand
    assert not missing, f"loaded nowhere: {missing}"
    assert {f"assets/icp/{n}.css" for n in WIDGET_STYLES} <= in_bundles
