"""The project's own JavaScript and CSS stay within 10 KB gzipped, as served (minified)."""

from __future__ import annotations

import gzip
from pathlib import Path

from macros.site.hooks import OWN_ASSETS

BUDGET = 10_000  # bytes, gzipped at level 9, all of the project's own scripts and styles together


def test_own_assets_fit_the_budget(built_site: Path) -> None:
    sizes = {name: len(gzip.compress((built_site / name).read_bytes(), 9, mtime=0)) for name in OWN_ASSETS}
    assert sum(sizes.values()) <= BUDGET, f"{sum(sizes.values())} bytes gzipped > {BUDGET}: {sizes}"


def test_every_own_asset_is_loaded_by_the_site(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    for name in OWN_ASSETS:
        assert name in home, f"{name} is counted in the budget but not loaded"
