"""Generated HTML goes into a page after Markdown, not through it.

A generated page (or a macro) puts a short placeholder in the Markdown where a block of HTML belongs; the
``on_page_content`` hook swaps the HTML in once Markdown has made the page. Markdown then never parses the big
blocks (a decision tree, a flow picture, a matrix), which it would leave as they are anyway, only slowly.

Placeholders are named by a hash of their HTML, so the same block always has the same name and a page
generated once (or kept between rebuilds of `mkdocs serve`) finds its blocks however often it is built.
"""

from __future__ import annotations

import hashlib
import re

from ..render.html import Markup

_blocks: dict[str, str] = {}
_SLOT = re.compile(r'<div data-icp-slot="([0-9a-f]{20})"></div>')


def block(markup: Markup) -> str:
    """A placeholder for ``markup`` as a Markdown block (blank lines around it, so Markdown leaves it alone)."""
    text = str(markup)
    name = hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()
    _blocks[name] = text
    return f'\n\n<div data-icp-slot="{name}"></div>\n\n'


def fill(html: str) -> str:
    """The page's HTML with every placeholder replaced by its block (an unknown one is an error, not a hole)."""
    if "data-icp-slot" not in html:
        return html
    return _SLOT.sub(lambda m: _blocks[m.group(1)], html)


def forget() -> None:
    """Drop the blocks of an earlier build (a new project is loaded)."""
    _blocks.clear()
