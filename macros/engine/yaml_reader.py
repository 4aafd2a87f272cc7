"""Read one YAML file into plain data, remembering where every key and value stands.

Playbooks need only mappings, sequences and text, so that is all this reader builds:

* every scalar stays text (``Yes``, ``on`` and ``3`` are strings; only an empty value or ``~``/``null``
  is ``None``), so an answer labelled ``No`` can never turn into ``False``;
* tags (``!!python/object``, ``!custom``), anchors and aliases are refused, so nothing is ever
  constructed and an alias bomb cannot expand;
* duplicate keys are an error that names both lines;
* the file size and the nesting depth are capped, and the parser never recurses, so a hostile file
  costs bounded time and memory;
* bidi and invisible format characters (which can make text read differently from what it says) are
  errors at their exact position, and a plain value cut short by `` #`` (YAML starts a comment there) is
  reported, as a warning by default: both are collected in :attr:`Document.problems`, not raised.

The result keeps a position for each path through the data (``("tree", "nodes", "start")``), which
is how schema and graph errors are reported at the line and column an author must edit.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .diagnostics import Diagnostic, Severity

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32
NULLS = {"", "~", "null", "Null", "NULL"}
# bidi embeddings and overrides (U+202A-U+202E), bidi isolates (U+2066-U+2069), and zero-width spaces, joiners
# and direction marks (U+200B-U+200F): invisible, and the bidi ones reorder how the text around them is shown
INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f]")
MAX_INVISIBLE = 100  # reported one by one; the rest are counted
# reversed: '#', then the spaces or tabs before it, then (looking ahead) a character that is neither
_HASH_AFTER_TEXT = re.compile("#[ \t]+(?=[^ \t\r\n\x85\u2028\u2029])")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Key = tuple[Any, ...]


class Pos(NamedTuple):
    line: int  # 1-based
    col: int  # 1-based
    style: str = ""  # scalar style: '' plain, "'" or '"' quoted, '|' or '>' block


@dataclass
class Document:
    """The data of one file and the position of everything in it."""

    path: str
    data: Any
    text: str = ""
    # (line, col, style) tuples, read through :meth:`pos` (plain tuples: one is made per key and value)
    values: dict[Key, tuple[int, int, str]] = field(default_factory=dict)
    keys: dict[Key, tuple[int, int, str]] = field(default_factory=dict)
    # problems that do not stop the reading: invisible characters, values cut short by a comment
    problems: list[Diagnostic] = field(default_factory=list)

    def pos(self, loc: Key, *, key: bool = False) -> Pos:
        """Position of ``loc`` or of its nearest ancestor that exists (``key``: the key, not the value)."""
        loc = tuple(loc)
        while loc:
            if key and loc in self.keys:
                return Pos(*self.keys[loc])
            if loc in self.values:  # with ``key``: an item of a list, which has no key
                return Pos(*self.values[loc])
            if loc in self.keys:
                return Pos(*self.keys[loc])
            loc = loc[:-1]
            key = False
        return Pos(*self.values.get((), (1, 1, "")))

    def pos_in_text(self, loc: Key, offset: int) -> Pos:
        """Position of character ``offset`` (not a space) inside the text value at ``loc``.

        Exact for plain, ``|`` and ``>`` text, and for quoted text up to its first escape: the value
        holds the source's non-space characters in the same order, so the n-th one of the value is the
        n-th one of the source, however the lines were folded. Otherwise the start of the value.
        """
        start = self.pos(loc)
        value = self.data
        for part in loc:
            value = value[part]
        wanted = sum(1 for char in value[:offset] if not char.isspace())
        text = self.text
        starts = self._line_starts
        at = starts[start.line - 1] + start.col - 1 if start.line <= len(starts) else len(text)
        if start.style in ("|", ">"):  # the body starts on the line after the indicator
            at = starts[start.line] if start.line < len(starts) else len(text)
        elif start.style in ("'", '"'):
            at += 1
        seen = 0
        for index in range(at, len(text)):
            char = text[index]
            if (start.style == '"' and char == "\\") or (start.style == "'" and char == "'"):
                break  # an escape or the closing quote: the value no longer matches the source
            if char.isspace():
                continue
            if seen == wanted:
                return Pos(*_line_col(text, index, starts))
            seen += 1
        return start

    @cached_property
    def _line_starts(self) -> list[int]:
        return _line_starts(self.text)


class YamlProblem(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


def _problem(path: str, line: int, col: int, code: str, message: str, hint: str = "") -> YamlProblem:
    return YamlProblem(Diagnostic(path, line, col, code, message, hint))


def decode(path: str, raw: bytes) -> str:
    """UTF-8 text of ``raw``, or a located error naming the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8")  # valid up to the bad byte; columns count characters
        line, col = _line_col(before, len(before))
        raise _problem(
            path,
            line,
            col,
            "yaml-encoding",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
            "save the file as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


def read(path: str | Path, display: str | None = None, *, comment_in_value: Severity = Severity.WARNING) -> Document:
    """Read and parse the file at ``path``; raises :class:`YamlProblem` with a located message.

    ``comment_in_value``: the severity of a plain value followed by `` #`` on its line (see :func:`parse`)."""
    shown = display or str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise _problem(
                shown,
                1,
                1,
                "yaml-too-large",
                f"file is {size:,} bytes, more than the {MAX_BYTES:,} a playbook may have",
                "split it into several playbooks",
            )
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _problem(shown, 1, 1, "file-unreadable", f"cannot read the file: {exc.strerror}") from None
    return parse(decode(shown, raw), shown, comment_in_value=comment_in_value)


def parse(text: str, path: str = "<text>", *, comment_in_value: Severity = Severity.WARNING) -> Document:
    """Parse YAML ``text`` into a :class:`Document`; raises :class:`YamlProblem` on the first problem.

    Problems that leave the data readable are listed in ``problems`` of the result instead: each invisible
    or bidi control character (an error), and each plain value followed on its line by `` #``, which YAML
    reads as the start of a comment (``comment_in_value``: a warning, or an error where no comment after a
    value is expected)."""
    # a character is at most 4 bytes in UTF-8: only a text of more than MAX_BYTES / 4 characters need be measured
    if len(text) > MAX_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise _problem(
            path, 1, 1, "yaml-too-large", f"text is larger than {MAX_BYTES:,} bytes", "split it into several playbooks"
        )
    doc = Document(path=path, data=None, text=text)
    builder = _Builder(doc, comment_in_value)
    try:
        loader = _Loader(text)
        try:
            builder.run(loader)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        line, col = _within(text, mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise _problem(
            path,
            line,
            col,
            "yaml-syntax",
            f"YAML syntax error: {problem}",
            "check indentation, quotes and brackets around this point",
        ) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry a position too
        mark = getattr(exc, "position", None)
        if isinstance(mark, int) and _Loader is not yaml.SafeLoader:  # libyaml counts UTF-8 bytes, not characters
            mark = len(text.encode("utf-8", "surrogatepass")[:mark].decode("utf-8", "ignore"))
        line, col = _line_col(text, mark) if isinstance(mark, int) else (1, 1)
        raise _problem(
            path,
            line,
            col,
            "yaml-syntax",
            f"YAML error: {exc}".splitlines()[0],
            "remove control characters and check the file is plain text",
        ) from None
    if not builder.seen_document or doc.data is None:
        raise _problem(
            path, 1, 1, "yaml-empty", "the file is empty", "write a playbook: see the playbook format in the reference"
        )
    if not text.isascii() and INVISIBLE.search(text):  # isascii is free: a flag of the string
        doc.problems += _invisible(doc)
        doc.problems.sort(key=lambda d: (d.line, d.col))
    return doc


def _invisible(doc: Document) -> list[Diagnostic]:
    """An error at each bidi or invisible control character of the text (at most :data:`MAX_INVISIBLE`, and
    then one that counts the rest: a file of them must not become millions of diagnostics)."""
    found = []
    for match in INVISIBLE.finditer(doc.text):
        char = match.group()
        line, col = _line_col(doc.text, match.start(), doc._line_starts)
        message = f"invisible control character U+{ord(char):04X} ({unicodedata.name(char)}) in the text"
        if len(found) == MAX_INVISIBLE:
            more = len(doc.text) - len(INVISIBLE.sub("", doc.text)) - MAX_INVISIBLE - 1  # after this one
            message += f", and {more:,} more after it" if more else ""
        found.append(
            Diagnostic(
                doc.path,
                line,
                col,
                "invisible-control",
                message,
                "remove it: write the text without it (bidi controls can make text show other than it reads)",
            )
        )
        if len(found) > MAX_INVISIBLE:
            break
    return found


def _comment_starts(text: str) -> set[int]:
    """Offsets where spaces or tabs and then ``#`` follow other text on a line: the only places a plain value can
    end with a comment after it (a comment on a line of its own is no hazard). Searched in the reversed text,
    where each candidate begins with the literal ``#``, which the regex engine finds fast."""
    size = len(text)
    return {size - match.end() for match in _HASH_AFTER_TEXT.finditer(text[::-1])}


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(text: str) -> str:
    """``text`` as a YAML quoted scalar."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # line breaks as YAML, and so libyaml's marks, count them


def _line_starts(text: str) -> list[int]:
    """Offset of the start of every line, as YAML counts lines."""
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return [0, *(match.end() for match in _BREAK.finditer(text))]
    lines = text.split("\n")  # the usual case, done without a loop in Python (a 10,000-node file has 60,000 lines)
    lines.pop()
    return [0, *accumulate(map((1).__add__, map(len, lines)))]


def _line_col(text: str, offset: int, starts: list[int] | None = None) -> tuple[int, int]:
    """1-based line and column of character ``offset`` (``starts``: :func:`_line_starts` of ``text``)."""
    starts = starts if starts is not None else _line_starts(text)
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def _within(text: str, line: int, col: int) -> tuple[int, int]:
    """``line``:``col``, or the end of ``text`` when that is past it: when the text does not end with a line break,
    libyaml puts the end of the stream at the start of a line after it, which the file does not have."""
    starts = _line_starts(text)
    return _line_col(text, len(text), starts) if line > len(starts) else (line, col)


class _Builder:
    """Turns parser events into dicts, lists and strings without recursion."""

    def __init__(self, doc: Document, comment_in_value: Severity = Severity.WARNING):
        self.doc = doc
        self.stack: list[list[Any]] = []  # frames: [container, path, pending key or None, key pos]
        self.seen_document = False
        self.comment_in_value = comment_in_value
        # where a comment may follow a value: usually nowhere, so most values cost one test
        self.comment_starts = _comment_starts(doc.text) if " #" in doc.text or "\t#" in doc.text else set()

    def run(self, parser: Any) -> None:
        """Build the document from every event of ``parser`` (a loader), taken one at a time with ``get_event``.

        Keys, values and containers inside the document (nearly all events) are handled here, inline: the
        innermost open container, its path and its pending key (and that key's path, made once for the key and
        its value) are kept in local variables, and no call, no :class:`Pos` and no lookup that can be done once
        per file is made per event. Everything else (the document and its top level, refusals, duplicate and
        complex keys, the depth cap) goes to :meth:`feed`, as every event once did, with :attr:`stack` brought
        up to date first."""
        nulls, stack, values, keys = NULLS, self.stack, self.doc.values, self.doc.keys
        comments = self.comment_starts
        starts = self.doc._line_starts if comments else []
        scalar, mapping, sequence = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        make, position = tuple.__new__, Pos  # a Pos built without a call into Python
        # the innermost open container (None outside the document), its path, whether it is a list, and its
        # pending key (None when it waits for a key, or is a list) with the path of that key
        container: Any = None
        prefix: Key = ()
        in_list = False
        pending: Any = None
        path: Key = ()
        for event in iter(parser.get_event, None):  # no generator: events come straight from libyaml
            kind = event.__class__
            if kind is scalar:
                if event.anchor is None and event.tag is None:
                    if pending is not None or in_list:  # a value or an item of a list
                        value, style = event.value, event.style
                        if not style and value in nulls:
                            value = None
                        if pending is None:
                            path = (*prefix, len(container))
                            container.append(value)
                        else:
                            container[pending] = value
                            pending = None
                        mark = event.start_mark
                        values[path] = (mark.line + 1, mark.column + 1, style or "")
                        if comments and not style and value is not None:
                            end = event.end_mark
                            if starts[end.line] + end.column in comments:
                                self._comment_after(event, path)
                        continue
                    if container is not None:  # a key
                        value, style = event.value, event.style
                        if (style or value not in nulls) and value not in container:
                            pending = value
                            path = (*prefix, value)
                            mark = event.start_mark
                            keys[path] = (mark.line + 1, mark.column + 1, style or "")
                            continue
            elif kind is mapping_end or kind is sequence_end:
                stack.pop()
                pending = None  # the parent's key, if any, has its value: the container just closed
                if stack:
                    container, prefix = stack[-1][0], stack[-1][1]
                    in_list = container.__class__ is list
                else:
                    container, prefix, in_list = None, (), False
                continue
            elif (
                (kind is mapping or kind is sequence)
                and event.anchor is None
                and event.tag is None
                and (pending is not None or in_list)
                and len(stack) < MAX_DEPTH
            ):
                opened: Any = {} if kind is mapping else []
                if pending is None:
                    path = (*prefix, len(container))
                    container.append(opened)
                else:
                    container[pending] = opened
                mark = event.start_mark
                values[path] = make(position, (mark.line + 1, mark.column + 1, ""))
                stack.append([opened, path, None, None])
                container, prefix, in_list, pending = opened, path, kind is sequence, None
                continue
            # the document, its top level, duplicate or complex keys, refusals, the depth cap
            if stack:
                stack[-1][2] = pending
            self.feed(event)
            if stack:
                container, prefix, pending = stack[-1][0], stack[-1][1], stack[-1][2]
                in_list = container.__class__ is list
                if pending is not None:
                    path = (*prefix, pending)

    def feed(self, event: yaml.Event) -> None:
        """One event the short path in :meth:`run` does not take: the stream, the document and its top level,
        refusals, text or containers tagged ``!``, empty or duplicate keys, containers as keys, the depth cap."""
        mark = event.start_mark
        kind = type(event)
        if kind is yaml.ScalarEvent and event.anchor is None and event.tag is None:  # the common case, fast
            style = event.style or ""
            value = None if style == "" and event.value in NULLS else event.value
            pos = Pos(mark.line + 1, mark.column + 1, style)
            self._add(value, pos, pos)
            return
        pos = Pos(mark.line + 1, mark.column + 1)
        if kind is yaml.DocumentStartEvent:
            self._start_document(pos)
        elif kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            self.stack.pop()
        elif kind not in (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
            self._refuse_references(event, pos)
            if kind is yaml.ScalarEvent:  # tagged '!', which only says "plain text"
                style = event.style or ""
                value = None if style == "" and event.value in NULLS else event.value
                was_key = bool(self.stack) and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is None
                path = self._add(value, Pos(pos.line, pos.col, style), pos)
                end, comments = event.end_mark, self.comment_starts
                if (
                    comments
                    and not style
                    and value is not None
                    and not was_key
                    and (self.doc._line_starts[end.line] + end.column in comments)
                ):
                    self._comment_after(event, path)
            else:
                self._open({} if kind is yaml.MappingStartEvent else [], pos)

    def _comment_after(self, event: yaml.ScalarEvent, path: Key) -> None:
        """Report a plain value followed by `` #`` on its last line: YAML read the rest of the line as a comment,
        which is what happens to ``channel: the #exec-incidents channel`` (it is read as ``the``)."""
        text, starts, mark = self.doc.text, self.doc._line_starts, event.end_mark
        end = starts[mark.line] + mark.column
        line_end = starts[mark.line + 1] if mark.line + 1 < len(starts) else len(text)
        rest = text[end:line_end].rstrip("\r\n\x85\u2028\u2029")
        gap = len(rest) - len(rest.lstrip(" \t"))
        if not gap or rest[gap : gap + 1] != "#":
            return
        whole = _quoted(event.value + rest.rstrip(" \t"))
        written = f"- {whole}" if isinstance(path[-1], int) else f"{path[-1]}: {whole}"
        self.doc.problems.append(
            Diagnostic(
                self.doc.path,
                mark.line + 1,
                mark.column + gap + 1,
                "yaml-comment-in-value",
                f"the text after # was read as a comment, so the value is '{_short(event.value)}'",
                f"quote the value if the text is part of it: {written}",
                self.comment_in_value,
            )
        )

    def _fail(self, pos: Pos, code: str, message: str, hint: str) -> YamlProblem:
        return _problem(self.doc.path, pos.line, pos.col, code, message, hint)

    def _start_document(self, pos: Pos) -> None:
        if self.seen_document:
            raise self._fail(
                pos,
                "yaml-multiple-documents",
                "a playbook file holds one YAML document, this is a second one",
                "remove the '---' line and what follows, or move it to its own file",
            )
        self.seen_document = True

    def _refuse_references(self, event: yaml.Event, pos: Pos) -> None:
        """Aliases, anchors and tags are refused: playbooks are plain text, and aliases can explode."""
        if type(event) is yaml.AliasEvent:
            raise self._fail(
                pos, "yaml-alias", f"alias '*{event.anchor}' is not allowed in playbooks", "write the value out in full"
            )
        anchor, tag = getattr(event, "anchor", None), getattr(event, "tag", None)
        if anchor is not None:
            raise self._fail(
                pos,
                "yaml-anchor",
                f"anchor '&{anchor}' is not allowed in playbooks",
                "remove it and write repeated values out in full",
            )
        if tag is not None and tag != "!":
            written = tag.replace("tag:yaml.org,2002:", "!!", 1)
            raise self._fail(
                pos,
                "yaml-tag",
                f"tag '{written}' is not allowed in playbooks",
                "remove the tag: every value is read as plain text",
            )

    def _open(self, container: dict | list, pos: Pos) -> None:
        path = self._add(container, pos, pos)
        if len(self.stack) >= MAX_DEPTH:
            raise self._fail(
                pos,
                "yaml-too-deep",
                f"nesting is deeper than {MAX_DEPTH} levels",
                "playbooks need only a few levels: check the indentation",
            )
        self.stack.append([container, path, None, None])

    def _add(self, value: Any, pos: Pos, key_pos: Pos) -> Key:
        """Put ``value`` where the parser is: the document itself, a list item, a key, or a key's value."""
        if not self.stack:
            return self._add_root(value, pos)
        frame = self.stack[-1]
        container, parent = frame[0], frame[1]
        if isinstance(container, list):
            path = (*parent, len(container))
            container.append(value)
            self.doc.values[path] = pos
            return path
        if frame[2] is None:
            return self._add_key(frame, value, pos, key_pos)
        key = frame[2]
        path = (*parent, key)
        container[key] = value
        self.doc.values[path] = pos
        frame[2] = None
        return path

    def _add_root(self, value: Any, pos: Pos) -> Key:
        if not isinstance(value, dict):
            what = "a list" if isinstance(value, list) else "a single value"
            raise self._fail(
                pos,
                "yaml-top-level",
                f"the file holds {what}, but a playbook is a mapping of keys to values",
                "start the file with 'id: ...', 'title: ...' and the other playbook keys",
            )
        self.doc.data = value
        self.doc.values[()] = pos
        return ()

    def _add_key(self, frame: list[Any], value: Any, pos: Pos, key_pos: Pos) -> Key:
        if not isinstance(value, str):
            raise self._fail(
                pos,
                "yaml-complex-key",
                "a key must be a plain word, not a list, mapping or empty value",
                "write the key as text followed by ':'",
            )
        path = (*frame[1], value)
        if value in frame[0]:
            first = Pos(*self.doc.keys[path])
            raise self._fail(
                pos,
                "yaml-duplicate-key",
                f"key '{value}' appears twice in this mapping (first on line {first.line})",
                "keep one of them; YAML readers would silently drop the other",
            )
        frame[2], frame[3] = value, key_pos
        self.doc.keys[path] = key_pos
        return path
