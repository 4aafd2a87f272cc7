"""Read one YAML file into plain data, remembering where every key and value stands.

Playbooks need only mappings, sequences and text, so that is all this reader builds:

* every scalar stays text (``Yes``, ``on`` and ``3`` are strings; only an empty value or ``~``/``null``
  is ``None``), so an answer labelled ``No`` can never turn into ``False``;
* tags (``!!python/object``, ``!custom``), anchors and aliases are refused, so nothing is ever
  constructed and an alias bomb cannot expand;
* duplicate keys are an error that names both lines;
* the file size and the nesting depth are capped, and the parser never recurses, so a hostile file
  costs bounded time and memory.

The result keeps a position for each path through the data (``("tree", "nodes", "start")``), which
is how schema and graph errors are reported at the line and column an author must edit.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .diagnostics import Diagnostic

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32
NULLS = {"", "~", "null", "Null", "NULL"}

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


def read(path: str | Path, display: str | None = None) -> Document:
    """Read and parse the file at ``path``; raises :class:`YamlProblem` with a located message."""
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
    return parse(decode(shown, raw), shown)


def parse(text: str, path: str = "<text>") -> Document:
    """Parse YAML ``text`` into a :class:`Document`; raises :class:`YamlProblem` on the first problem."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise _problem(
            path, 1, 1, "yaml-too-large", f"text is larger than {MAX_BYTES:,} bytes", "split it into several playbooks"
        )
    doc = Document(path=path, data=None, text=text)
    builder = _Builder(doc)
    try:
        builder.run(yaml.parse(text, Loader=_Loader))
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
    return doc


_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # line breaks as YAML, and so libyaml's marks, count them


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _BREAK.finditer(text))]


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

    def __init__(self, doc: Document):
        self.doc = doc
        self.stack: list[list[Any]] = []  # frames: [container, path, pending key or None, key pos]
        self.seen_document = False

    def run(self, events) -> None:
        """Feed every event; plain scalars inside a mapping or list (nearly all events) take a short path."""
        scalar, nulls, stack, values, keys = yaml.ScalarEvent, NULLS, self.stack, self.doc.values, self.doc.keys
        for event in events:
            if event.__class__ is scalar and event.anchor is None and event.tag is None and stack:
                frame = stack[-1]
                container, pending = frame[0], frame[2]
                if pending is None and container.__class__ is dict:  # a key
                    value, style = event.value, event.style
                    if (style or value not in nulls) and value not in container:
                        mark = event.start_mark
                        frame[2] = value
                        keys[(*frame[1], value)] = (mark.line + 1, mark.column + 1, style or "")
                        continue
                elif pending is not None or container.__class__ is list:
                    mark, style = event.start_mark, event.style or ""
                    value = None if not style and event.value in nulls else event.value
                    pos = (mark.line + 1, mark.column + 1, style)
                    if pending is None:  # an item of a list
                        path = (*frame[1], len(container))
                        container.append(value)
                    else:  # the value of a key
                        path = (*frame[1], pending)
                        container[pending] = value
                        frame[2] = None
                    values[path] = pos
                    continue
            self.feed(event)  # keys (duplicates checked there), containers and everything unusual

    def feed(self, event: yaml.Event) -> None:
        """One event the short path in :meth:`run` does not take: containers, keys, documents, refusals."""
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
                self._add(value, Pos(pos.line, pos.col, style), pos)
            else:
                self._open({} if kind is yaml.MappingStartEvent else [], pos)

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
