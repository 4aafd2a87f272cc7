"""The patterns a draft rule may use (:mod:`macros.engine.safe_pattern`), from the side of someone writing rules.

What is accepted finds what it says (case ignored unless asked, a phrase across any spacing and either
apostrophe, whole words); what is refused is refused at the character that is wrong, with a hint. Safety is
proved on the shape of what is accepted, never by timing it: random patterns from a small grammar are either
refused with a :class:`PatternError` or come out as source whose repeats Python's own parser finds bounded and
never nested, which compiles without a warning, and which JavaScript (``new RegExp(source, "gu")``, one node
process for a batch) compiles and runs to the same matches as Python.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros.engine.safe_pattern import MAX_COUNT, MAX_LENGTH, MAX_WAYS, PatternError, Portable, phrase, portable

try:  # Python's own reader of regular expressions (3.11+), to check the shape of what is accepted
    import re._constants as sre_constants
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - Python before 3.11
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

NODE = shutil.which("node")
PROPERTY = settings(
    derandomize=True, deadline=None, database=None, max_examples=400, suppress_health_check=[HealthCheck.too_slow]
)


def finds(source: Portable | str, text: str) -> list[str]:
    pattern = source if isinstance(source, Portable) else portable(source)
    return [m.group(0) for m in pattern.compiled.finditer(text)]


def refused(pattern: str) -> PatternError:
    with pytest.raises(PatternError) as caught:
        portable(pattern)
    return caught.value


# --- accepted: they find what they say -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        ("exports", "Exports, EXPORTS and exports", ["Exports", "EXPORTS", "exports"]),
        ("colou?r", "Color or COLOUR", ["Color", "COLOUR"]),
        (r"\b(?:in|within) the next [0-9]{1,3} ?minutes?\b", "Fixed WITHIN THE NEXT 30 minutes.", [
            "WITHIN THE NEXT 30 minutes"
        ]),
        (r"\bETA\b", "eta, ETA, beta, etas", ["eta", "ETA"]),
        ("[a-c]{3}", "ABC abc xyz", ["ABC", "abc"]),
        ("[K-c]", "k C [", ["k", "C", "["]),  # a range across both cases ignores case at both ends
        ("[à-ÿ]{1,5}", "ÀÉÎ àéî", ["ÀÉÎ", "àéî"]),  # and a range of other letters
        ("ǅ", "ǅ ǆ Ǆ", ["ǅ", "ǆ", "Ǆ"]),  # a title-case letter keeps itself beside its two other cases
        ("a.c", "abc a\nc a\rc", ["abc"]),  # '.' is never a line break
        (r"a\sb", "a b a\tb a\u00a0b a\u2003b", ["a b", "a\tb"]),  # \s: the six ASCII spaces, as in JavaScript
        (r"\d{2}", "12 ٣٤", ["12"]),  # \d: ASCII digits only
        (r"\w{1,9}", "café", ["caf"]),  # \w: ASCII only
        (r"a\.b\-c\/d", "a.b-c/d axb-c/d", ["a.b-c/d"]),
        (r"\{\{[^{}]{0,200}\}\}", "Hi {{ name }}, {{x}}", ["{{ name }}", "{{x}}"]),
        ("[&&~~||]{1,4}", "a&&b ~~ ||", ["&&", "~~", "||"]),
        ("a{1,3}?", "aaa", ["a", "a", "a"]),  # lazy
        ("😀{2}", "😀😀😀", ["😀😀"]),
        ("status ?page|post-?mortem", "Status page, postmortem", ["Status page", "postmortem"]),
    ],
)
def test_an_accepted_pattern_finds_what_it_says(pattern, text, found):
    assert finds(pattern, text) == found


def test_case_is_told_apart_only_when_asked():
    assert finds(portable("ETA", ignore_case=False), "eta ETA Eta") == ["ETA"]
    assert finds(portable("[a-c]{2}", ignore_case=False), "AB ab") == ["ab"]


def test_accepted_source_is_plain_and_bounded():
    made = portable("(hi|hello) there")
    assert made.source == "(?:[hH][iI]|[hH][eE][lL][lL][oO]) [tT][hH][eE][rR][eE]"
    assert made.ways == 2
    assert portable("[a-z]{0,40}x{1,3}").ways == 41 * 3


# --- phrases ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["degraded performance", "Degraded  Performance", "DEGRADED\tperformance", "degraded\n   performance",
     "degraded\r\nperformance"],
)
def test_a_phrase_matches_across_any_spacing_and_case(text):
    assert finds(phrase("degraded performance"), f"We saw {text}.") == [text]


def test_a_phrase_needs_the_space_between_its_words():
    assert finds(phrase("degraded performance"), "degradedperformance") == []


@pytest.mark.parametrize("written", ["don't", "don’t"])
def test_a_phrase_takes_a_straight_or_curly_apostrophe(written):
    assert finds(phrase(written), "don't, DON’T, dont") == ["don't", "DON’T"]


def test_a_phrase_matches_whole_words_at_its_ends():
    assert finds(phrase("eta"), "beta etas ETA. (eta)") == ["ETA", "eta"]
    assert finds(phrase("root cause"), "the root causes; the root cause") == ["root cause"]


def test_a_phrase_that_ends_in_punctuation_needs_no_word_boundary_there():
    assert finds(phrase("#incident"), "see #incident-db and #incident") == ["#incident", "#incident"]
    assert finds(phrase("e.g."), "e.g. this") == ["e.g."]


def test_a_phrase_is_plain_text_not_a_pattern():
    assert finds(phrase("a+b (c)"), "a+b (c) aab c") == ["a+b (c)"]
    assert finds(phrase("5*"), "5* 55") == ["5*"]


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_an_empty_phrase_is_refused(text):
    with pytest.raises(PatternError) as caught:
        phrase(text)
    assert (caught.value.offset, caught.value.message) == (0, "the phrase is empty")
    assert caught.value.hint


# --- refused: at the culprit, with a hint ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "offset", "message", "hint"),
    [
        # broken syntax
        ("(abc", 0, "'(' is never closed", "add ')'"),
        ("ab)c", 2, "')' closes no group", "escape it as \\)"),
        ("[a-", 0, "'[' is never closed", "add ']'"),
        ("x[^]", 1, "'[' is never closed", "add ']'"),
        ("a{2,1}", 1, "'{2,1}' counts down", "smaller number first"),
        ("a{,3}", 1, "'{' starts no count", "{n} or {n,m}"),
        ("{2}", 0, "'{' has nothing before it to count", "escape it"),
        ("a{2}{3}", 4, "a count follows a count", "write one count"),
        ("[z-a]", 3, "the range z-a runs backwards", "lower end first"),
        ("[a-\\d]", 3, "ends in a set of characters", "put '-' last"),
        ("ab\\", 2, "the pattern ends with '\\'", "\\\\"),
        ("", 0, "the pattern is empty", "write the text"),
        ("a" * (MAX_LENGTH + 1), MAX_LENGTH, f"{MAX_LENGTH + 1} characters long", f"under {MAX_LENGTH}"),
        # repeats without end
        ("a*", 1, "'*' repeats without end", "{0,20} for '*'"),
        ("ab+", 2, "'+' repeats without end", "{1,20} for '+'"),
        ("a{2,}", 1, "'{2,}' repeats without end", "give the most"),
        ("a{0,201}", 1, "counts up to 201", f"at most {MAX_COUNT}"),
        # a repeated group with a repeat or an alternative inside
        ("x(a{1,9}){1,9}", 1, "a repeated group holds a count or an alternative", "repeat only plain text"),
        ("(a|aa){1,50}", 0, "a repeated group holds a count or an alternative", "(?:ab){1,3}"),
        ("((ab)?){2}", 0, "a repeated group holds a count or an alternative", "repeat only plain text"),
        # the catastrophic classics
        ("(a+)+$", 2, "'+' repeats without end", "{1,20}"),
        ("(a|a)*", 5, "'*' repeats without end", "{0,20}"),
        ("(.*a){20}", 2, "'*' repeats without end", "{0,20}"),
        ("(x+x+)+y", 2, "'+' repeats without end", "{1,20}"),
        ("(a|a){1,20}", 0, "a repeated group holds a count or an alternative", "repeat only plain text"),
        # too many ways at one character: at the part that makes them too many
        ("[a-z]{0,99}[a-z]{0,99}", 11, "10,000 ways of matching at each character", "fewer or smaller counts"),
        ("(a|b|c|d|e|f|g)(a|b|c|d|e|f|g)(a|b|c|d|e|f|g)(a|b|c|d|e|f|g)", 45, "2,401 ways", "fewer alternatives"),
        # anchors, look-arounds, back-references, named groups, inline flags
        ("^Hi", 0, "'^' anchors are not allowed", "escape it as \\^"),
        ("bye$", 3, "'$' anchors are not allowed", "escape it as \\$"),
        ("a(?=b)", 1, "look-arounds, named groups and inline flags are not allowed", "(?:...)"),
        ("a(?!b)", 1, "look-arounds", "(?:...)"),
        ("(?<=a)b", 0, "look-arounds", "(?:...)"),
        ("(?<!a)b", 0, "look-arounds", "(?:...)"),
        ("(?P<name>a)", 0, "named groups", "(?:...)"),
        ("(?i)abc", 0, "inline flags", "(?:...)"),
        ("(a)\\1", 3, "'\\1' is not an escape the rules allow", "\\b \\d \\w \\s"),
        # unknown escapes, and escapes that mean nothing where they are
        ("\\q", 0, "'\\q' is not an escape the rules allow", "\\ before punctuation"),
        ("\\x41", 0, "'\\x' is not an escape", "\\b \\d \\w \\s"),
        ("\\u0041", 0, "'\\u' is not an escape", "\\b \\d \\w \\s"),
        ("\\p{L}", 0, "'\\p' is not an escape", "\\b \\d \\w \\s"),
        ("\\A", 0, "'\\A' is not an escape", "\\b \\d \\w \\s"),
        ("[\\b]", 1, "means nothing inside [...]", "before or after"),
        ("a\\b?", 3, "'\\b' matches no character, so there is nothing for '?' to count", "remove the count"),
        ("[\\S]", 1, "\\S is not allowed inside [...]", "list what to allow"),
        ("[[]", 1, "'[' inside [...]", "escape it as \\["),
        ("a]", 1, "']' closes nothing", "escape it as \\]"),
        # what can match an empty text: found everywhere, and Python and JavaScript go on differently after it
        ("a??", 0, "can match an empty text", "make some of it required"),
        ("(|a)", 0, "can match an empty text", "make some of it required"),
        ("x{0}", 0, "can match an empty text", "make some of it required"),
        ("\\b", 0, "can match an empty text", "make some of it required"),
        ("(?:colou?r)?", 0, "can match an empty text", "'colou?r'"),
    ],
)
def test_a_refused_pattern_says_where_and_how_to_fix_it(pattern, offset, message, hint):
    error = refused(pattern)
    assert error.offset == offset, error.message
    assert message in error.message
    assert hint in error.hint
    assert 0 <= error.offset <= len(pattern)


def test_the_largest_accepted_ways_and_one_more():
    assert portable("[a-z]{0,39}[a-z]{0,49}x").ways == MAX_WAYS
    assert refused("[a-z]{0,39}[a-z]{0,49}x?").offset == len("[a-z]{0,39}[a-z]{0,49}")


def test_a_huge_alternation_is_refused_where_it_grows_too_large():
    pattern = "|".join(["a{1,200}"] * 11)  # 11 x 200 ways
    assert len(pattern) <= MAX_LENGTH
    assert refused(pattern).offset == pattern.rindex("|") + 1


# --- random patterns: only PatternError, and what is accepted is safe ---------------------------------------

LITERAL = st.sampled_from([*"abcXYZ019 -_'’éǅßK.,:;!?#/&~%\"<>=@`", "\n", "\t", "😀", "\u00a0"])
GOOD_ESCAPE = st.sampled_from(
    [r"\b", r"\B", r"\d", r"\D", r"\w", r"\W", r"\s", r"\S", r"\n", r"\t", r"\r", r"\f", r"\v", r"\.", r"\-", r"\(",
     r"\)", r"\[", r"\]", r"\{", r"\}", r"\|", r"\?", r"\*", r"\+", r"\^", r"\$", r"\/", r"\\"]
)
ESCAPE = st.one_of(GOOD_ESCAPE, st.sampled_from([r"\q", r"\x41", r"\1", r"\u0041", r"\p{L}", "\\"]))
GOOD_CLASS_ITEM = st.one_of(
    LITERAL, GOOD_ESCAPE.filter(lambda e: e not in (r"\b", r"\B", r"\S")),
    st.sampled_from(["a-z", "0-9", "K-c", "à-ÿ", "-", "&&", "~~", "||", "!-/", "\\--0"]),
)
CLASS_ITEM = st.one_of(GOOD_CLASS_ITEM, ESCAPE, st.sampled_from(["^", "--", "[", "]", "z-a", "a-\\d"]))


def character_class(items: st.SearchStrategy[str], closed: st.SearchStrategy[bool]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda negate, chosen, close: "[" + "^" * negate + "".join(chosen) + "]" * close,
        st.booleans(), st.lists(items, min_size=1, max_size=5), closed,
    )


SAFE_COUNT = st.sampled_from(["", "", "", "?", "{2}", "{0,3}", "{1,20}", "??", "{1,2}?", "{0}"])
COUNT = st.one_of(SAFE_COUNT, st.sampled_from(["*", "+", "{2,}", "{3,1}", "{0,200}", "{201}", "{,3}", "{", "*?", "+?"]))
OPEN = st.sampled_from(["(", "(?:", "(", "(?:", "(?=", "(?!", "(?<=", "(?<!", "(?P<n>", "(?i)", "(?"])
ATOM = st.one_of(
    LITERAL, ESCAPE, character_class(CLASS_ITEM, st.sampled_from([True, True, True, False])),
    st.sampled_from([".", "^", "$"]),
)
GOOD_LITERAL = LITERAL.filter(lambda c: c != "?")
GOOD_ATOM = st.one_of(GOOD_LITERAL, GOOD_LITERAL, GOOD_ESCAPE, character_class(GOOD_CLASS_ITEM, st.just(True)),
                      st.just("."))
REQUIRED_COUNT = st.sampled_from(["", "", "", "", "", "{2}", "{1,20}", "{1,2}?", "?", "{0,3}"])


def grammar(atom: st.SearchStrategy[str], count: st.SearchStrategy[str], opens: st.SearchStrategy[str]):
    return st.recursive(
        st.builds(str.__add__, atom, count),
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=4).map("".join),
            st.lists(inner, min_size=2, max_size=4).map("|".join),
            st.builds(lambda o, body, c: f"{o}{body}){c}", opens, inner, count),
        ),
        max_leaves=12,
    )


TOKENS = st.sampled_from(["a", "B", "(", ")", "(?:", "[", "]", "{", "}", "{1,3}", "|", "?", "*", "+", "\\", ".", "^",
                          "$", "-", "\\d", "\\s", "é", "😀"])
ANY_PATTERN = st.one_of(
    grammar(ATOM, COUNT, OPEN),
    st.lists(TOKENS, max_size=20).map("".join),  # unbalanced soups
    st.text(max_size=30),
)
# only what is allowed, put together: most are accepted; the rest are refused as a whole (nested, or too many ways)
LIKELY_ACCEPTED = grammar(GOOD_ATOM, REQUIRED_COUNT, st.sampled_from(["(", "(?:"]))


def repeats_are_bounded_and_never_nested(parsed, inside_repeat: bool = False) -> bool:
    """What Python's parser made of a source: every repeat has a most, at most MAX_COUNT, and one that can repeat
    more than once holds no repeat and no alternative."""
    for op, av in parsed:
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            _, high, body = av
            if high == sre_constants.MAXREPEAT or high > MAX_COUNT or (inside_repeat and high > 0):
                return False
            if not repeats_are_bounded_and_never_nested(body, inside_repeat or high > 1):
                return False
        elif op is sre_constants.BRANCH:
            if inside_repeat or not all(repeats_are_bounded_and_never_nested(b, inside_repeat) for b in av[1]):
                return False
        elif op is sre_constants.SUBPATTERN:
            if not repeats_are_bounded_and_never_nested(av[-1], inside_repeat):
                return False
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT, sre_constants.GROUPREF, sre_constants.AT) and (
            op is not sre_constants.AT or av not in (sre_constants.AT_BOUNDARY, sre_constants.AT_NON_BOUNDARY)
        ):
            return False  # look-arounds, back-references, anchors (only \b and \B may pass)
    return True


@pytest.mark.parametrize(
    ("source", "safe"),
    [("a{1,5}b", True), ("(?:ab){1,3}", True), ("\\b(?:a|b)?c", True), ("a*", False), ("a{1,201}", False),
     ("(?:a{1,2}){2}", False), ("(?:a|bc){2}", False), ("(?=a)a", False), ("(a)\\1", False), ("^a", False)],
)
def test_the_shape_check_tells_safe_from_unsafe(source, safe):  # the check the random tests rely on
    assert repeats_are_bounded_and_never_nested(sre_parse.parse(source, re.ASCII)) is safe


def assert_refused_or_safe(pattern: str) -> None:
    try:
        made = portable(pattern)
    except PatternError as error:
        assert 0 <= error.offset <= min(len(pattern), MAX_LENGTH)
        assert error.message and error.hint
        return
    assert made.ways <= MAX_WAYS
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a FutureWarning ('[a&&b]' may mean set intersection one day) fails too
        compiled = re.compile(made.source, re.ASCII)
    parsed = sre_parse.parse(made.source, re.ASCII)
    assert repeats_are_bounded_and_never_nested(parsed), made.source
    assert parsed.getwidth()[0] > 0, f"{made.source!r} can match an empty text"
    assert compiled.pattern == made.compiled.pattern


@PROPERTY
@given(ANY_PATTERN)
def test_random_patterns_are_refused_or_safe(pattern):
    assert_refused_or_safe(pattern)


@PROPERTY
@given(LIKELY_ACCEPTED)
def test_random_likely_accepted_patterns_are_refused_or_safe(pattern):  # the grammar with fewer refused parts
    assert_refused_or_safe(pattern)


# --- the same in JavaScript ---------------------------------------------------------------------------------

SAMPLE_TEXTS = [
    "Your exports did not work from 09:40 to 10:10. See the STATUS PAGE: {{ link }}",
    "Hi,\n\nWe're sorry – exports don’t load.\r\nThe ETA is 30 min; e.g. retry.",
    "café ÉTÉ ǅ ǆ Ǆ ß K k ſ ı İ \u00a0 \u2003 😀😀 👍🏽 ٣٤ 中文 שלום",
    "aaa abab a-b a.b a/b a\\b [x] (y) #chan-1 a&&b ~~ || \t\f\v",
    "",
]

# Reads {"sources": [...], "texts": [...]}; for each source its compile error, or its matches over each text as
# [start, end, text] with start and end counted in code points (as Python counts).
JS = r"""
const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const { sources, texts } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const points = (text, index) => [...text.slice(0, index)].length;
  const out = sources.map((source) => {
    let re;
    try { re = new RegExp(source, "gu"); } catch (error) { return { error: String(error.message) }; }
    return { matches: texts.map((text) => [...text.matchAll(re)].map(
      (m) => [points(text, m.index), points(text, m.index + m[0].length), m[0]])) };
  });
  process.stdout.write(JSON.stringify(out));
});
"""


def in_javascript(sources: list[str], texts: list[str]) -> list[dict]:
    done = subprocess.run(
        [NODE, "-e", JS], input=json.dumps({"sources": sources, "texts": texts}), capture_output=True, text=True,
        encoding="utf-8", timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def in_python(made: Portable, texts: list[str]) -> list[list[list]]:
    return [[[m.start(), m.end(), m.group(0)] for m in made.compiled.finditer(text)] for text in texts]


def same_in_both(patterns: list[str]) -> None:
    made = []
    for pattern in patterns:
        try:
            made.append(portable(pattern))
        except PatternError:
            continue
    results = in_javascript([m.source for m in made], SAMPLE_TEXTS)
    for portable_, result in zip(made, results, strict=True):
        assert "error" not in result, f"{portable_.source!r}: {result.get('error')}"
        assert result["matches"] == in_python(portable_, SAMPLE_TEXTS), portable_.source


needs_node = pytest.mark.skipif(NODE is None, reason="node is not on PATH: patterns are not run in JavaScript")


@needs_node
def test_the_accepted_patterns_above_match_the_same_in_javascript():
    patterns = [
        "exports", "colou?r", r"\bETA\b", "[a-c]{3}", "[K-c]", "[à-ÿ]{1,5}", "ǅ", "a.c", r"a\sb", r"\d{2}",
        r"\w{1,9}", r"a\.b\-c\/d", r"\{\{[^{}]{0,200}\}\}", "[&&~~||]{1,4}", "a{1,3}?", "😀{2}", r"[^\w\s]",
        r"\B#[a-z0-9][a-z0-9_-]{1,79}", r"(?:didn|doesn|don)['’]t", "[\\-\\]\\\\]", r"\S{1,3}", r"\W", r"\D{2}",
        "a??b", "(?:a|b)c", "x{0}y", "[^\\n]{1,5}", "İ", "ſ", "K",
    ]
    assert all(portable(p) for p in patterns)
    same_in_both(patterns)


@needs_node
@settings(PROPERTY, max_examples=4)
@given(st.lists(st.one_of(LIKELY_ACCEPTED, ANY_PATTERN), min_size=150, max_size=150))
def test_random_accepted_patterns_match_the_same_in_javascript(patterns):
    same_in_both(patterns)


@needs_node
def test_phrases_match_the_same_in_javascript():
    texts = [*SAMPLE_TEXTS, "we are   AWARE\nof an issue; don't DON’T; #incident-db"]
    phrases = ["we are aware of an issue", "don't", "#incident", "e.g.", "exports", "a+b (c)", "ETA", "café"]
    made = [phrase(p) for p in phrases]
    results = in_javascript([m.source for m in made], texts)
    for portable_, result in zip(made, results, strict=True):
        assert result.get("matches") == in_python(portable_, texts), portable_.source
