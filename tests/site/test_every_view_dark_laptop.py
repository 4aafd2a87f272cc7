"""Every page of the built site in one view, the dark scheme at 1366 px: text contrast (HTML and SVG), text size,
sideways overflow, layout shift, axe-core, and a screenshot of each page. The checks are in views.py; each view is
a file of its own, so that the four views run on the workers side by side."""

from __future__ import annotations

import pytest

from tests.site.views import ViewChecks

pytestmark = pytest.mark.browser


class TestEveryViewDarkLaptop(ViewChecks):
    SCHEME = "dark"
    WIDTH = 1366
