"""The patterns a draft rule may use: a small, safe part of regular expressions, which Python and the browser
run alike and which cannot take long.

A pattern is read here, refused with the column of what is wrong, or written out once as *portable source*:
the one text that both Python (``re.ASCII``) and JavaScript (``new RegExp(source, "gu")``) compile, with the
same meaning. Case is ignored by writing both cases out (``a`` → ``[aA]``), so neither engine's idea of
case-folding counts; ``\\s`` is written as the same six characters in both (JavaScript's would include
Unicode spaces); ``.`` as ``[^\\n\\r]``.

What is allowed: literal text; escapes ``\\b \\B \\d \\D \\w \\W \\s \\S \\n \\t`` and escaped punctuation;
character classes ``[...]`` and ``[^...]`` with ranges; groups ``(...)`` and ``(?:...)``; ``|``; the counts
``?``, ``{n}`` and ``{n,m}`` (lazy with a trailing ``?``). What is refused, because a backtracking engine can
spend minutes on it over a long draft: unbounded repeats (``*``, ``+``, ``{n,}``), a repeated group that holds
a count or an alternative (``(a+)+``, ``(a|ab){1,9}``), and a pattern whose ways of matching at one character
exceed :data:`MAX_WAYS`. Also refused: anchors, look-arounds, back-references, named groups and inline flags,
which the two engines read differently or which the rules do not need; a count after ``\\b`` or ``\\B`` (which
match no character); and a pattern that can match an empty text, which finds nothing to show and after which
the two engines go on searching differently (Python may then match at the same place, JavaScript moves on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_COUNT = 200  # the largest {n,m} a pattern may use
MAX_WAYS = 2_000  # the most ways a pattern may try to match at one character (the product of its counts)
MAX_LENGTH = 500  # characters of pattern
MAX_CASED_RANGE = 1_000  # a range of other than ASCII letters ignores case when it spans at most this many
SPACE = " \\t\\n\\r\\f\\v"  # \s, written out: the same six characters in Python and JavaScript
_META = set("\\^$.|?*+()[]{}/-")  # what may follow a backslash
_SYNTAX = _META - {"-"}  # what is escaped outside [...] (JavaScript's "u" mode refuses \- there)
_CLASS_ESCAPES = {"d", "D", "w", "W", "s"}
_ESCAPES = {"b", "B", "d", "D", "w", "W", "s", "S"}
_ESCAPE_OF = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\v": "\\v"}  # a control character → its escape
_CONTROL = {escape[1]: escape for escape in _ESCAPE_OF.values()}  # the letter after '\\' → the escape
_CHAR_OF = {escape: char for char, escape in _ESCAPE_OF.items()}  # the escape → the character


class PatternError(ValueError):
    """What is wrong with a pattern, at ``offset`` (a character of the pattern), and how to fix it."""

    def __init__(self, offset: int, message: str, hint: str):
        super().__init__(message)
        self.offset, self.message, self.hint = offset, message, hint


@dataclass(frozen=True)
class Portable:
    source: str  # compiles the same in Python (re.ASCII) and in JavaScript ("gu")
    ways: int  # the most ways it can try at one character
    compiled: re.Pattern[str]


def portable(pattern: str, *, ignore_case: bool = True) -> Portable:
    """``pattern`` checked and written as portable source; raises :class:`PatternError`."""
    if len(pattern) > MAX_LENGTH:
        raise PatternError(MAX_LENGTH, f"the pattern is {len(pattern)} characters long", f"keep it under {MAX_LENGTH}")
    if not pattern:
        raise PatternError(0, "the pattern is empty", "write the text it should find")
    reader = _Reader(pattern, ignore_case)
    source, ways, _, empty = reader.alternatives()
    if reader.at < len(pattern):  # a ')' with no '('
        raise PatternError(reader.at, "')' closes no group", "remove it, or escape it as \\)")
    if empty:  # and Python and JavaScript go on differently after an empty match: they would find different text
        raise PatternError(
            0, "the pattern can match an empty text, so it finds nothing to show (or is found everywhere)",
            "make some of it required: 'colou?r', not '(?:colou?r)?'",
        )
    return Portable(source, ways, re.compile(source, re.ASCII))


def phrase(text: str) -> Portable:
    """A phrase written as plain text: case ignored, any run of spaces or line breaks between its words, a
    straight or curly apostrophe alike, and whole words only at its two ends."""
    words = text.split()
    if not words:
        raise PatternError(0, "the phrase is empty", "write the words it should find")
    escaped = "[ \\t\\n\\r\\f\\v]{1,20}".join("".join(_phrase_char(c) for c in word) for word in words)
    start = "\\b" if re.match(r"\w", words[0], re.ASCII) else ""
    end = "\\b" if re.search(r"\w$", words[-1], re.ASCII) else ""
    source = start + escaped + end
    return Portable(source, 1, re.compile(source, re.ASCII))


def _phrase_char(char: str) -> str:
    if char in "'’":
        return "['’]"
    return _cased(char, True)


def _cased(char: str, ignore_case: bool) -> str:
    """``char`` as source, both of its cases when case is ignored and it has exactly one of each."""
    if char in _SYNTAX:
        return "\\" + char
    if char in _ESCAPE_OF:
        return _ESCAPE_OF[char]
    cases = _cases(char) if ignore_case else char
    return f"[{cases}]" if len(cases) > 1 else char


def _cases(char: str) -> str:
    """``char`` and its other cases, when each is one character (a title-case letter such as ǅ has two others)."""
    lower, upper = char.lower(), char.upper()
    if len(lower) != 1 or len(upper) != 1:
        return char
    return "".join(dict.fromkeys((lower, upper, char)))


class _Reader:
    """A recursive-descent reader of the allowed part; each method returns (source, ways, repeats-inside,
    can-match-an-empty-text)."""

    def __init__(self, text: str, ignore_case: bool):
        self.text, self.at, self.ignore_case = text, 0, ignore_case

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def alternatives(self) -> tuple[str, int, bool, bool]:
        parts = [self.sequence()]
        ways = parts[0][1]
        while self.peek() == "|":
            self.at += 1
            start = self.at
            parts.append(self.sequence())
            ways = self.bounded(ways + parts[-1][1], start)
        source = "|".join(p[0] for p in parts)
        return source, ways, len(parts) > 1 or any(p[2] for p in parts), any(p[3] for p in parts)

    def sequence(self) -> tuple[str, int, bool, bool]:
        source, ways, inner, empty = "", 1, False, True
        while self.peek() not in ("", "|", ")"):
            atom_start = self.at
            atom, atom_ways, atom_inner, atom_empty = self.atom()
            if atom in ("\\b", "\\B") and self.peek() in ("?", "*", "+", "{"):
                raise PatternError(
                    self.at, f"'{atom}' matches no character, so there is nothing for '{self.peek()}' to count",
                    "remove the count",
                )
            count = self.count(atom_start, atom_inner)
            if count is not None:
                text, low, high = count
                atom += text
                atom_ways *= high - low + 1
                atom_inner = True
                atom_empty = atom_empty or low == 0
            source += atom
            ways = self.bounded(ways * atom_ways, atom_start)
            inner = inner or atom_inner
            empty = empty and atom_empty
        return source, ways, inner, empty

    def bounded(self, ways: int, start: int) -> int:
        """``ways``, or an error at ``start``, the part of the pattern that makes them more than MAX_WAYS (a
        group's or an alternative's ways only add up, so the first part over the limit is the culprit)."""
        if ways > MAX_WAYS:
            raise PatternError(
                start,
                f"from here the pattern can try {ways:,} ways of matching at each character (at most {MAX_WAYS:,})",
                "use fewer or smaller counts, {0,20} rather than {0,200}, and fewer alternatives",
            )
        return ways

    def count(self, atom_start: int, atom_inner: bool) -> tuple[str, int, int] | None:
        char, start = self.peek(), self.at
        if char in ("*", "+"):
            raise PatternError(
                start, f"'{char}' repeats without end, which can take minutes on a long draft",
                "give the most it may repeat: {0,20} for '*', {1,20} for '+'",
            )
        if char == "?":
            self.at += 1
            low, high, text = 0, 1, "?"
        elif char == "{":
            match = re.compile(r"\{([0-9]{1,4})(?:(,)([0-9]{0,4}))?\}").match(self.text, self.at)
            if not match:
                raise PatternError(start, "'{' starts no count", "write a count as {n} or {n,m}, or escape it as \\{")
            low = int(match.group(1))
            if match.group(2) and not match.group(3):
                raise PatternError(start, f"'{match.group(0)}' repeats without end", "give the most, e.g. {1,20}")
            high = int(match.group(3)) if match.group(3) else low
            if high < low:
                raise PatternError(start, f"'{match.group(0)}' counts down", "write the smaller number first")
            if high > MAX_COUNT:
                raise PatternError(start, f"'{match.group(0)}' counts up to {high}", f"count to at most {MAX_COUNT}")
            self.at = match.end()
            text = match.group(0)
        else:
            return None
        if high > 1 and atom_inner:
            raise PatternError(
                atom_start, "a repeated group holds a count or an alternative, which can take minutes to fail",
                "repeat only plain text or a character class, e.g. (?:ab){1,3}, not (?:a|ab){1,3} or (?:a{1,2}){1,3}",
            )
        if self.peek() == "?":  # lazy
            self.at += 1
            text += "?"
        if self.peek() in ("?", "*", "+", "{"):
            raise PatternError(self.at, "a count follows a count", "write one count")
        return text, low, high

    def atom(self) -> tuple[str, int, bool, bool]:
        char, start = self.peek(), self.at
        if char == "(":
            self.at += 1
            if self.text.startswith("?:", self.at):
                self.at += 2
            elif self.peek() == "?":
                raise PatternError(
                    start, "look-arounds, named groups and inline flags are not allowed",
                    "use a plain group (...) or (?:...)",
                )
            source, ways, inner, empty = self.alternatives()
            if self.peek() != ")":
                raise PatternError(start, "'(' is never closed", "add ')' or escape it as \\(")
            self.at += 1
            return f"(?:{source})", ways, inner, empty
        if char == "[":
            return self.character_class(), 1, False, False
        if char == "\\":
            source = self.escape(inside_class=False)
            return source, 1, False, source in ("\\b", "\\B")  # a word boundary matches no character
        if char in ("^", "$"):
            raise PatternError(start, f"'{char}' anchors are not allowed", f"escape it as \\{char}, or leave it out")
        if char in ("?", "*", "+", "{"):
            raise PatternError(start, f"'{char}' has nothing before it to count", f"escape it as \\{char}")
        if char in ("]", "}"):
            raise PatternError(start, f"'{char}' closes nothing", f"escape it as \\{char}")
        self.at += 1
        if char == ".":
            return "[^\\n\\r]", 1, False, False
        return _cased(char, self.ignore_case), 1, False, False

    def escape(self, *, inside_class: bool) -> str:
        start = self.at
        self.at += 1
        char = self.peek()
        if not char:
            raise PatternError(start, "the pattern ends with '\\'", "remove it, or write \\\\ for a backslash")
        self.at += 1
        if char == "s":
            return SPACE if inside_class else f"[{SPACE}]"
        if char == "S":
            if inside_class:
                raise PatternError(start, "\\S is not allowed inside [...]", "list what to allow instead")
            return f"[^{SPACE}]"
        if inside_class and char in ("b", "B"):
            raise PatternError(
                start, f"'\\{char}' (a word boundary) means nothing inside [...]", "put it before or after the [...]"
            )
        if char in _ESCAPES:
            return "\\" + char
        if char in _CONTROL:
            return _CONTROL[char]
        if char in _META:
            return "\\" + char if char in _SYNTAX or inside_class else char
        raise PatternError(
            start, f"'\\{char}' is not an escape the rules allow",
            "use \\b \\d \\w \\s (and \\B \\D \\W \\S), \\n, \\t, or \\ before punctuation",
        )

    def character_class(self) -> str:
        start = self.at
        self.at += 1
        negate = self.peek() == "^"
        if negate:
            self.at += 1
        items: list[str] = []
        first = True
        while True:
            char = self.peek()
            if not char:
                raise PatternError(start, "'[' is never closed", "add ']' or escape it as \\[")
            if char == "]" and not first:
                self.at += 1
                break
            first = False
            if char == "\\":
                item = self.escape(inside_class=True)
                if (item.startswith("\\") and item[1:2] in _CLASS_ESCAPES) or item == SPACE:
                    items.append(item)
                    continue
                low = item[-1] if item.startswith("\\") and item[1:] in _META else _unescape(item)
            elif char == "[":
                raise PatternError(self.at, "'[' inside [...]", "escape it as \\[")
            else:
                self.at += 1
                low = char
            if self.peek() == "-" and self.text[self.at + 1:self.at + 2] not in ("]", ""):
                self.at += 1
                high_char, high_start = self.peek(), self.at
                if high_char == "\\":
                    item = self.escape(inside_class=True)
                    high = item[-1] if item[1:] in _META else _unescape(item)
                    if len(high) != 1:  # \d, \w, \s ...: a set of characters, not one
                        raise PatternError(
                            high_start, f"the range {low}-{self.text[high_start:self.at]} ends in a set of characters",
                            "end a range in one character, or put '-' last to mean a hyphen",
                        )
                else:
                    self.at += 1
                    high = high_char
                if ord(high) < ord(low):
                    raise PatternError(
                        self.at - 1, f"the range {low}-{high} runs backwards", "write the lower end first"
                    )
                items.append(self._range(low, high))
            else:
                items.append(_class_char(low, self.ignore_case))
        return "[" + ("^" if negate else "") + "".join(items) + "]"

    def _range(self, low: str, high: str) -> str:
        text = f"{_class_char(low, False)}-{_class_char(high, False)}"
        if not self.ignore_case:
            return text
        for first, last in (("a", "z"), ("A", "Z")):  # the ASCII letters in the range, in the other case
            a, b = max(first, low), min(last, high)
            if a <= b:
                text += f"{a.swapcase()}-{b.swapcase()}"
        if ord(high) > 0x7F and ord(high) - ord(low) <= MAX_CASED_RANGE:  # other letters one by one
            inside = {chr(code) for code in range(max(ord(low), 0x80), ord(high) + 1)}
            others = dict.fromkeys(c for char in sorted(inside) for c in _cases(char) if c not in inside)
            text += "".join(_class_char(c, False) for c in others)
        return text


def _unescape(item: str) -> str:
    return _CHAR_OF.get(item, item)


def _class_char(char: str, ignore_case: bool) -> str:
    if char in _CLASS_HEX:  # '&&' or '~~' in [...] is a set operation Python warns of; \x26 reads the same in both
        return _CLASS_HEX[char]
    escaped = "\\" + char if char in "\\]^-[" else _cased(char, False)
    if ignore_case and len(_cases(char)) > 1:
        return _cases(char)
    return escaped


_CLASS_HEX = {"&": "\\x26", "~": "\\x7e"}
