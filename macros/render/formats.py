"""A template's text in the form its channel takes: Markdown as written (a GitHub issue), Slack-style chat text,
or plain email text.

The conversion is done once, when a template is compiled (:func:`macros.render.plan.compile_template`), on
the template's own text only: placeholders are swapped for markers no rule can touch and swapped back after,
so the values filled in later are never converted (and the browser, which only fills, needs no copy of
these rules).
"""

from __future__ import annotations

import re

FORMATS = ("markdown", "slack", "text")
MARK = "\x00"  # around a placeholder's index while a line is converted
_ESCAPED = (r"\\([\\`*_{}\[\]()<>#+.!|-])", r"\1")
_COMMENT = (r"<!--.*?-->", "")
RULES: dict[str, list[tuple[str, str]]] = {
    "markdown": [],
    "slack": [
        _COMMENT,
        (r"^#{1,6}[ \t]+(.+?)[ \t]*#*$", r"*\1*"),  # a heading: bold
        (r"\*\*(.+?)\*\*", r"*\1*"),
        (r"\[([^\]\n]+)\]\(([^)\s]+)\)", r"<\2|\1>"),
        (r"^([ \t]*)[-*][ \t]+\[ \][ \t]+", "\\1☐ "),
        (r"^([ \t]*)[-*][ \t]+\[[xX]\][ \t]+", "\\1☑ "),
        (r"^([ \t]*)[-*][ \t]+", "\\1• "),
        _ESCAPED,
    ],
    "text": [
        _COMMENT,
        (r"^#{1,6}[ \t]+(.+?)[ \t]*#*$", r"\1"),
        (r"\*\*(.+?)\*\*", r"\1"),
        (r"\[([^\]\n]+)\]\(([^)\s]+)\)", r"\1 (\2)"),
        _ESCAPED,
    ],
}
_COMPILED = {fmt: [(re.compile(p, re.MULTILINE), r) for p, r in rules] for fmt, rules in RULES.items()}


def convert_line(parts: list[str | list[str]], fmt: str) -> list[str | list[str]]:
    """One compiled line's parts (text, and ``[name]`` for a placeholder) in ``fmt``."""
    if fmt == "markdown":
        return parts
    names = [part for part in parts if isinstance(part, list)]
    marked = "".join(f"{MARK}{names.index(part)}{MARK}" if isinstance(part, list) else part for part in parts)
    for pattern, replacement in _COMPILED[fmt]:
        marked = pattern.sub(replacement, marked)
    out: list[str | list[str]] = []
    for index, piece in enumerate(marked.split(MARK)):
        if index % 2:
            out.append(names[int(piece)])
        elif piece:
            out.append(piece)
    return out or [""]
