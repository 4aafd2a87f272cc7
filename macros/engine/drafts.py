"""The draft checker: a message's text and the rules (draft_rules.py) → findings, each at a line and column.

The browser's checker (docs/assets/icp/drafts.js) does the same steps on the same data: the rules' portable
sources and the patterns below come to it from :func:`as_data`, so a pattern is written once, and a test runs
both over a corpus of drafts and compares every finding.

Positions count characters (code points), lines from 1 at each line end (``\\n``, ``\\r\\n`` or a lone ``\\r``, as
editors and :meth:`str.splitlines` count them), columns from 1.

Phrases and patterns are looked for in the text with each run of spaces that holds at most one line break read as
one space (:func:`flatten`), so that a phrase or a pattern written with spaces also finds words a hard-wrapped
line, a Windows line end or an indent splits; a paragraph break still separates. A rule finds each place once:
a match that starts inside an earlier match of the same rule is the same finding. The rules that read English
words for what is missing (``first-sentence``, ``must-mention``, ``reading-ease``) pass over a text that is not
mostly English (:func:`english`): they would flag every such draft.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .draft_rules import TOO_LONG, Compiled, RuleSet

MAX_CHARS = 100_000  # a draft longer than this is checked up to here, and says so
TOO_LONG_MESSAGE = f"only the first {MAX_CHARS:,} characters are checked"
TOO_LONG_SUGGESTION = "check a message at a time: a draft this long is not one message"
QUOTE_MAX = 60  # characters of the found text quoted in a finding's message
SPACES = " \t\n\r\f\v"  # what counts as space here and in drafts.js (not Unicode's longer, engine-dependent list)

# How a text is cut into sentences and words: the same sources run in Python (re.ASCII) and in drafts.js ("gu").
# ends a sentence, before a space or line end
SENTENCE_END = "[.!?\u061f\u3002]{1,5}[\"'\u201d\u2019)\\]]{0,3}(?=[ \\t\\r]|$)"
# a full stop that ends no sentence
NOT_AN_END = "(?:\\b(?:e\\.g|i\\.e|etc|vs|approx|incl|Mr|Ms|Mrs|Dr|St|No)|\\b[A-Z])\\.$"
NOT_AN_END_REACH = 11  # NOT_AN_END is read in the characters before a full stop, this many (its longest word and one)
# a line that starts a sentence of its own (a heading, a list item, a "Label:" line)
STANDALONE = "^[ \\t]{0,8}(?:#{1,6}[ \\t]|[-*+>|][ \\t]|[0-9]{1,3}[.)][ \\t]|[A-Za-z][A-Za-z ]{0,30}:[ \\t])"
HEADING = "^[ \\t]{0,8}#{1,6}[ \\t]"  # a Markdown heading also ends its sentence at the end of its line
CONTINUES = "^[ \\t]{0,8}[a-z]"  # a line that carries on the sentence of the line before
TABLE_ROW = "^[ \\t]{0,8}\\|"  # a table row: each cell is a sentence of its own
CELL = "[^|]{1,100000}"
# a word: a full stop, comma or colon inside it (e.g., U.S., 3.5%, 1,204, 09:40, an address) does not split it
_NOT_IN_WORD = "[^ \\t\\n\\r\\f\\v.,;:!?()\\[\\]{}\"\u201c\u201d\u2018\u00ab\u00bb]"
WORD = f"{_NOT_IN_WORD}{{1,200}}(?:[.,:]{_NOT_IN_WORD}{{1,200}}){{0,20}}"
# letters beyond A to Z: Latin with accents, Greek, Cyrillic, Arabic, Hebrew, Indic, Chinese, Japanese, Korean...
# (not the punctuation, symbols and emoji of U+2000-U+303F, nor surrogates)
_OTHER_LETTERS = (
    "\u00c0-\u1fff\u3040-\ud7ff\uf900-\ufdff\ufe70-\ufefe\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff66-\uffdc"
)
HAS_LETTER = f"[A-Za-z0-9{_OTHER_LETTERS}]"
FOREIGN = f"[{_OTHER_LETTERS}]"  # a word with one of these is not English
ENGLISH_WORD = "^[A-Za-z'\u2019-]{1,200}$"
VOWELS = "[aeiouy]{1,20}"

LINE_END = "\\r\\n|\\r|\\n"
# what flatten() reads as one space: a run of spaces, with at most one line end in it
SPACE_RUN = "[ \\t\\f\\v]{0,100000}(?:\\r\\n|\\r|\\n)?[ \\t\\f\\v]{0,100000}"

_END, _NOT_AN_END, _STANDALONE, _HEADING, _CONTINUES, _TABLE_ROW, _CELL = (
    re.compile(p, re.ASCII) for p in (SENTENCE_END, NOT_AN_END, STANDALONE, HEADING, CONTINUES, TABLE_ROW, CELL)
)
_WORD, _HAS_LETTER, _FOREIGN, _ENGLISH, _VOWELS, _LINE_END, _SPACE_RUN = (
    re.compile(p, re.ASCII) for p in (WORD, HAS_LETTER, FOREIGN, ENGLISH_WORD, VOWELS, LINE_END, SPACE_RUN)
)


@dataclass(frozen=True, order=True)
class Finding:
    start: int  # character offset in the text
    order: int  # the rule's place in the rules file (orders findings at one place)
    rule: str
    line: int
    col: int
    length: int
    message: str
    suggestion: str

    def __str__(self) -> str:
        return f"{self.line}:{self.col}: {self.rule}: {self.message}; {self.suggestion}"


@dataclass(frozen=True)
class Scope:
    audience: str = "customer"
    state: str = "ongoing"
    security: bool = False


def applies(rule, scope: Scope) -> bool:
    return (
        scope.audience in rule.audiences
        and scope.state in rule.states
        and (scope.security or not rule.security_only)
    )


def check(text: str, rules: RuleSet, scope: Scope) -> list[Finding]:
    """Every finding of the rules that apply to ``scope``, in the order of the text; none in a blank draft, which
    has nothing to check yet."""
    if not text.strip(SPACES):
        return []
    found: list[tuple[int, int, int, str, str]] = []  # start, length, order, rule id, message
    extra: list[Finding] = []
    if len(text) > MAX_CHARS:
        at = MAX_CHARS
        text = text[:MAX_CHARS]
        extra.append(_finding(text, at, 0, -1, TOO_LONG, TOO_LONG_MESSAGE, TOO_LONG_SUGGESTION))
    read = _Read(text)
    for order, item in enumerate(rules.rules):
        rule = item.rule
        if not applies(rule, scope):
            continue
        for start, length, message in _run(item, read):
            found.append((start, length, order, rule.id, message))
    reach: dict[str, int] = {}  # each rule's furthest end so far: a match starting before it is the same finding
    findings = list(extra)
    lines = _line_starts(text)
    by_id = {item.rule.id: item.rule for item in rules.rules}
    for start, length, order, rule_id, message in sorted(found, key=lambda f: (f[0], f[2], -f[1])):
        if rule_id in reach and (start < reach[rule_id] or start == reach[rule_id] == start + length):
            continue
        reach[rule_id] = max(reach.get(rule_id, 0), start + length)
        findings.append(_finding(text, start, length, order, rule_id, message, by_id[rule_id].suggestion, lines))
    return sorted(findings)


class _Read:
    """A text as the rules read it: its sentences, its flattened copy, whether it is English; each made once."""

    def __init__(self, text: str):
        self.text = text
        self.sentences = split_sentences(text)
        self._flat: tuple[str, list[int]] | None = None
        self._stats: tuple[int, int, int, int] | None = None

    @property
    def flat(self) -> tuple[str, list[int]]:
        if self._flat is None:
            self._flat = flatten(self.text)
        return self._flat

    @property
    def stats(self) -> tuple[int, int, int, int]:
        if self._stats is None:
            self._stats = word_stats(self.text, self.sentences)
        return self._stats

    @property
    def english(self) -> bool:
        total_words, _, _, foreign = self.stats
        return english(total_words, foreign)


def flatten(text: str) -> tuple[str, list[int]]:
    """``text`` with each run of spaces that holds at most one line break written as one space, and where each of
    its characters (and its end) was in ``text``."""
    out: list[str] = []
    where: list[int] = []
    at = 0
    for match in _SPACE_RUN.finditer(text):
        start, end = match.start(), match.end()
        if end == start:
            continue
        out.append(text[at:start])
        where.extend(range(at, start))
        out.append(" ")
        where.append(start)
        at = end
    out.append(text[at:])
    where.extend(range(at, len(text) + 1))
    return "".join(out), where


def _finding(text, start, length, order, rule_id, message, suggestion, lines=None) -> Finding:
    lines = lines if lines is not None else _line_starts(text)
    line = _line_of(lines, start)
    return Finding(start, order, rule_id, line + 1, start - lines[line] + 1, length, message, suggestion)


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _LINE_END.finditer(text)]


def _line_of(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if starts[mid] <= offset:
            low = mid
        else:
            high = mid - 1
    return low


def _quote(text: str) -> str:
    words = " ".join(w for w in re.split("[ \t\n\r\f\v]+", text) if w)
    return words if len(words) <= QUOTE_MAX else words[: QUOTE_MAX - 1] + "\u2026"


def _run(item: Compiled, read: _Read):
    """(start, length, message) of each finding of one rule."""
    rule = item.rule
    kind = rule.kind  # type: ignore[attr-defined]
    text, sentences = read.text, read.sentences
    if kind in ("phrase", "pattern", "internal-names"):
        flat, where = read.flat
        for portable in item.find:
            for match in portable.compiled.finditer(flat):
                if match.end() > match.start():
                    start, end = where[match.start()], where[match.end() - 1] + 1
                    quoted = f"\u201c{_quote(text[start:end])}\u201d"
                    yield start, end - start, f"{quoted}: {rule.message}"
    elif kind == "must-mention":
        if read.english and not any(p.compiled.search(read.flat[0]) for p in item.find):
            yield 0, 0, rule.message
    elif kind == "notice":
        yield 0, 0, rule.message
    elif kind == "first-sentence":
        first = first_sentence(text, sentences, item.skip_lines) if read.english else None
        if first is not None:
            start, end = first
            sentence = flatten(text[start:end])[0]
            forbidden = any(_starts_with(p, sentence) for p in item.forbid_start)
            if forbidden or not any(p.compiled.search(sentence) for p in item.find):
                yield start, end - start, rule.message
    elif kind == "sentence-length":
        for start, end in sentences:
            count = len(words(text[start:end]))
            if count > rule.max_words:  # type: ignore[attr-defined]
                yield start, end - start, f"{rule.message} ({count} words; at most {rule.max_words})"  # type: ignore[attr-defined]
    elif kind == "reading-ease":
        score = ease(read.stats, rule.min_words)  # type: ignore[attr-defined]
        if score is not None and score < rule.min_score:  # type: ignore[attr-defined]
            yield 0, 0, f"{rule.message} (reading ease {math.floor(score)}; at least {rule.min_score:g})"  # type: ignore[attr-defined]


def _starts_with(portable, text: str) -> bool:
    match = portable.compiled.search(text)
    return match is not None and match.start() == 0


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: ended by . ! ? before a space, by a blank line, before a line that starts one
    of its own (a heading, a list item, a "Label:" line), at the end of a heading, or by a line break unless the
    next line carries on in lower case."""
    out: list[tuple[int, int]] = []
    start = end = -1  # a sentence still open at the end of the line before
    for offset, line in zip(_line_starts(text), _LINE_END.split(text), strict=True):
        alone = _STANDALONE.search(line) is not None
        heading = _HEADING.search(line) is not None
        if start >= 0 and (alone or not _CONTINUES.search(line)):
            out.append((start, end))
            start = -1
        if _TABLE_ROW.search(line):
            for cell in _CELL.finditer(line):
                if cell.group(0).strip(SPACES):
                    at = offset + _lead(line, cell.start())
                    out.append((at, offset + cell.start() + len(cell.group(0).rstrip(SPACES))))
        elif line.strip(SPACES):
            if start < 0:
                start = offset + _lead(line, 0)
            for match in _END.finditer(line):
                before = line[max(0, match.start() - NOT_AN_END_REACH) : match.start() + 1]
                if match.group(0) == "." and _NOT_AN_END.search(before):
                    continue
                out.append((start, offset + match.end()))
                start = offset + _lead(line, match.end())
            end = offset + len(line.rstrip(SPACES))
            if start >= end or heading:
                if start < end:
                    out.append((start, end))
                start = -1
    if start >= 0:
        out.append((start, end))
    return [(s, e) for s, e in out if _HAS_LETTER.search(text[s:e])]


def _lead(line: str, at: int) -> int:
    """The first character at or after ``at`` that is not a space."""
    while at < len(line) and line[at] in " \t\r":
        at += 1
    return at


def first_sentence(text: str, sentences: list[tuple[int, int]], skip: tuple) -> tuple[int, int] | None:
    """The first sentence, passing over those that begin a line ``skip`` passes over (a subject, a greeting)."""
    starts = _line_starts(text)
    for start, end in sentences:
        index = _line_of(starts, start)
        if not text[starts[index] : start].strip(SPACES):
            stop = starts[index + 1] if index + 1 < len(starts) else len(text)
            line = text[start:stop].rstrip("\r\n")  # the rest of the line, its line end left out
            if any(_starts_with(p, line) for p in skip):
                continue
        return start, end
    return None


def words(sentence: str) -> list[str]:
    return [w for w in _WORD.findall(sentence) if _HAS_LETTER.search(w)]


def syllables(word: str) -> int:
    """Syllables of an English word, by its groups of vowels, a silent final e left out."""
    lower = word.lower()
    count = len(_VOWELS.findall(lower))
    if count > 1 and lower.endswith("e") and not lower.endswith("le"):
        count -= 1
    return max(count, 1)


def word_stats(text: str, sentences: list[tuple[int, int]]) -> tuple[int, int, int, int]:
    """(words, syllables, sentences with words, words not in English) of the text. A word of letters A to Z is
    counted by its syllables; any other (a number, an address, a word in another script) as one syllable, and one
    with letters beyond A to Z as not English."""
    total_words = total_syllables = counted = foreign = 0
    for start, end in sentences:
        found = words(text[start:end])
        if not found:
            continue
        counted += 1
        for word in found:
            total_words += 1
            if _ENGLISH.search(word):
                total_syllables += syllables(word)
            else:
                total_syllables += 1
                if _FOREIGN.search(word):
                    foreign += 1
    return total_words, total_syllables, counted, foreign


def english(total_words: int, foreign: int) -> bool:
    """Mostly English: fewer than a fifth of the words have letters beyond A to Z (a text with no words is)."""
    return foreign * 5 < total_words or total_words == 0


def ease(stats: tuple[int, int, int, int], min_words: int) -> float | None:
    """Flesch reading ease from :func:`word_stats`, or None when the text has fewer than ``min_words`` words or
    is not mostly English."""
    total_words, total_syllables, counted, foreign = stats
    if total_words < min_words or not english(total_words, foreign):
        return None
    return 206.835 - 1.015 * (total_words / counted) - 84.6 * (total_syllables / total_words)


def as_data(rules: RuleSet) -> dict:
    """What the browser's checker reads: the rules with their portable sources, and the patterns above."""
    out = []
    for item in rules.rules:
        rule = item.rule
        entry = {
            "id": rule.id,
            "kind": rule.kind,  # type: ignore[attr-defined]
            "message": rule.message,
            "suggestion": rule.suggestion,
            "audiences": list(rule.audiences),
            "states": list(rule.states),
            "security_only": rule.security_only,
            "find": [p.source for p in item.find],
            "forbid_start": [p.source for p in item.forbid_start],
            "skip_lines": [p.source for p in item.skip_lines],
        }
        for key in ("max_words", "min_score", "min_words"):
            if hasattr(rule, key):
                entry[key] = getattr(rule, key)
        out.append(entry)
    text = {
        "max_chars": MAX_CHARS, "too_long": TOO_LONG, "too_long_message": TOO_LONG_MESSAGE,
        "too_long_suggestion": TOO_LONG_SUGGESTION, "quote_max": QUOTE_MAX, "sentence_end": SENTENCE_END,
        "not_an_end_reach": NOT_AN_END_REACH,
        "not_an_end": NOT_AN_END, "standalone": STANDALONE, "heading": HEADING, "continues": CONTINUES, "word": WORD,
        "has_letter": HAS_LETTER, "foreign": FOREIGN, "table_row": TABLE_ROW, "cell": CELL,
        "english_word": ENGLISH_WORD, "vowels": VOWELS, "line_end": LINE_END, "space_run": SPACE_RUN,
    }
    return {"rules": out, "text": text}
