"""A tiny HTML builder that escapes every piece of text it is given.

Playbook text is data, never markup: it reaches pages only through :func:`el` and :func:`text`,
which escape it, so a title holding ``<script>`` shows as those characters. Only :class:`Markup`
(built here) passes through unescaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape


class Markup(str):
    """HTML built by this module; safe to insert as is."""


def _escape(value: str) -> str:
    # newlines become character references so a Markdown parser never sees a blank line inside a block
    return escape(str(value), quote=True).replace("\n", "&#10;")


def text(value: str) -> Markup:
    return Markup(_escape(value))


# the characters Python-Markdown lets a backslash escape; `<`, `>` and `&` become entities instead
_MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()#+-.!")


def markdown_text(value: str) -> Markup:
    """Text safe inside Markdown: punctuation backslash-escaped first, then HTML-escaped."""
    return text("".join(f"\\{ch}" if ch in _MARKDOWN_SPECIALS else ch for ch in value))


def _children(children: tuple) -> str:
    parts: list[str] = []
    for child in children:
        if child is None or child is False:
            continue
        if isinstance(child, Markup):
            parts.append(child)
        elif isinstance(child, str):
            parts.append(_escape(child))
        else:
            parts.append(_children(tuple(child)))
    return "".join(parts)


def el(tag: str, attrs: dict[str, object] | None = None, *children: object) -> Markup:
    """``<tag attrs>children</tag>``; attribute values and text children are escaped."""
    rendered = ""
    for name, value in (attrs or {}).items():
        if value is None or value is False:
            continue
        rendered += f" {name}" if value is True else f' {name}="{_escape(str(value))}"'
    if tag in ("br", "hr", "img", "input", "meta", "link"):
        return Markup(f"<{tag}{rendered}>")
    return Markup(f"<{tag}{rendered}>{_children(children)}</{tag}>")


def table(
    headings: Iterable[object],
    rows: Iterable[Markup],
    *,
    caption: str,
    caption_visible: bool = False,
    wrapper: str = "icp-scroll",
    table_class: str | None = None,
    region: str | None = None,
) -> Markup:
    """A table with column headings, in a wrapper that scrolls sideways when the table is wider than the page.

    ``caption`` names the table (for screen readers only unless ``caption_visible``). The wrapper is a named,
    focusable region (``role=region``, ``tabindex=0``, labelled ``region`` or else the caption), so a keyboard
    can scroll it too. ``table_class`` opts the table out of the theme's own table styling and wrapper.
    """
    head = el("thead", None, el("tr", None, *[el("th", {"scope": "col"}, h) for h in headings]))
    named = el("caption", None if caption_visible else {"class": "icp-offscreen"}, caption)
    attrs = {"class": wrapper, "tabindex": "0", "role": "region", "aria-label": region or caption}
    if wrapper == "icp-scroll":
        attrs["data-icp-style"] = "tables"
    return el("div", attrs, el("table", {"class": table_class}, named, head, el("tbody", None, *rows)))


def join(parts: Iterable[Markup]) -> Markup:
    return Markup("".join(parts))


def block(markup: Markup) -> str:
    """Raw HTML as a Markdown block: blank lines around it so Markdown leaves it alone."""
    return f"\n\n{markup}\n\n"
