"""The draft checker (:func:`macros.engine.drafts.check`) on bad input: whatever the text, it returns findings,
never raises, and every finding is at a place inside the text, its line and column (counted in code points,
lines from 1, columns from 1) agreeing with its offset.

Nothing here is timed. That a long text costs little is shown on the work itself: the characters the checker's
own text patterns are given to read stay a small multiple of the text's length, so no step reads the text again
for each sentence or each line (the rules' patterns cannot take long either: :mod:`.test_safe_pattern`).
"""

from __future__ import annotations

import re

import pytest

from macros.engine import draft_rules, drafts
from macros.engine.drafts import MAX_CHARS, Finding, Scope
from macros.engine.loader import load_organisation
from tests.conftest import ORG_FIXTURE

SCOPES = [Scope("customer", "ongoing", True), Scope("status-page", "resolved", False), Scope("internal", "ongoing")]
EVERY_RULE = Scope("customer", "ongoing", True)  # every rule of the default applies here but those of resolved


@pytest.fixture(scope="module")
def rules() -> draft_rules.RuleSet:
    organisation, problems = load_organisation(ORG_FIXTURE)
    assert organisation is not None, problems
    loaded, problems = draft_rules.load(draft_rules.DEFAULT_FILE, organisation)
    assert loaded is not None, problems
    return loaded


LINE_END = re.compile("\r\n|\r|\n")


def expected_line_col(text: str, offset: int) -> tuple[int, int]:
    """Line and column of ``offset`` as the checker documents them: a line ends at LF, CR LF or a lone CR."""
    starts = [0] + [m.end() for m in LINE_END.finditer(text) if m.end() <= offset]
    return len(starts), offset - starts[-1] + 1


def checked(text: str, rules: draft_rules.RuleSet, scope: Scope = EVERY_RULE) -> list[Finding]:
    """The findings on ``text``, each asserted to be at a place inside it and at the line and column of that
    place."""
    found = drafts.check(text, rules, scope)
    known = {item.rule.id for item in rules.rules} | {draft_rules.TOO_LONG}
    checked_text = text[:MAX_CHARS]
    assert found == sorted(found)
    for finding in found:
        assert finding.rule in known
        assert 0 <= finding.start <= len(checked_text), finding
        assert finding.length >= 0 and finding.start + finding.length <= len(checked_text), finding
        assert (finding.line, finding.col) == expected_line_col(checked_text, finding.start), finding
        assert finding.message and finding.suggestion
        assert "\n" not in finding.message, finding
    return found


def places(found: list[Finding]) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.col) for f in found]


# --- empty and nearly empty ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "   \t  ", "\n", "\r\n", "\t\n \n", "\u00a0", "\u200b", "."])
@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: f"{s.audience}-{s.state}")
def test_an_empty_or_blank_draft_gets_only_findings_at_its_start(rules, text, scope):
    found = checked(text, rules, scope)
    assert all((f.start, f.length) == (0, 0) for f in found), found


# --- long --------------------------------------------------------------------------------------------------------


def test_a_megabyte_is_checked_up_to_max_chars_and_says_so(rules):
    sentence = "Your exports did not work. We believe the root cause is fixed. "
    text = (sentence * (1_000_000 // len(sentence) + 1))[:1_000_000]
    found = checked(text, rules)
    [too_long] = [f for f in found if f.rule == draft_rules.TOO_LONG]
    assert (too_long.start, too_long.line, too_long.col, too_long.length) == (MAX_CHARS, 1, MAX_CHARS + 1, 0)
    assert too_long.message == f"only the first {MAX_CHARS:,} characters are checked"
    hedges = [f for f in found if f.rule == "hedge"]
    assert len(hedges) == text[:MAX_CHARS].count("We believe")  # every one of the checked part, none after
    assert max(f.start + f.length for f in found) <= MAX_CHARS


def test_a_text_of_exactly_max_chars_is_checked_whole(rules):
    text = "x" * MAX_CHARS
    assert draft_rules.TOO_LONG not in {f.rule for f in checked(text, rules)}
    assert draft_rules.TOO_LONG in {f.rule for f in checked(text + "x", rules)}


def test_a_single_word_of_200000_characters(rules):
    found = checked("a" * 200_000, rules)
    too_long = [(f.start, f.line, f.col) for f in found if f.rule == draft_rules.TOO_LONG]
    assert too_long == [(MAX_CHARS, 1, MAX_CHARS + 1)]


def test_5000_blank_lines_then_a_sentence(rules):
    assert checked("\n" * 5000, rules) == []  # nothing to check
    found = checked("\n" * 5000 + "We believe exports work.", rules)
    assert ("hedge", 5001, 1) in places(found)


def test_a_markdown_table_of_10000_cells(rules):
    header = "| Product | Status | Since | Notes |\n|---|---|---|---|\n"
    row = "| x | we believe | 1 | 2 |\n"
    text = header + row * 2500  # 4 cells a row
    assert len(text) < MAX_CHARS
    found = checked(text, rules)
    hedges = [f for f in found if f.rule == "hedge"]
    assert len(hedges) == 2500
    assert (hedges[-1].line, hedges[-1].col) == (2502, len("| x | ") + 1)


def test_a_table_row_of_7000_cells(rules):
    found = checked("|" + " we believe |" * 7000, rules)
    assert [f.col for f in found if f.rule == "hedge"] == [3 + 13 * i for i in range(7000)]


# --- characters ----------------------------------------------------------------------------------------------


def test_control_characters_and_binary_looking_text(rules):
    # every C0 and C1 control but the line ends LF and CR (tested below)
    controls = "".join(chr(c) for c in [*range(32), 0x7F, *range(0x80, 0xA0)] if chr(c) not in "\n\r")
    text = controls * 50 + "\nWe believe\x00 the root\x1b[31m cause\x07 is fixed.\n" + controls
    found = checked(text, rules)
    assert ("hedge", 2, 1) in places(found)


def test_bytes_read_as_latin_1_are_checked_as_text(rules):
    text = bytes(range(256)).decode("latin-1") * 40
    checked(text, rules)


def test_lone_surrogates(rules):
    text = "We believe \ud800 the \udfff root cause\udbff is \udc00fixed."
    found = checked(text, rules)
    assert ("hedge", 1, 1) in places(found)
    assert ("cause-too-early", 1, text.index("root") + 1) in places(found)


@pytest.mark.parametrize(
    "text",
    [
        "您的导出无法使用。我们相信根本原因已修复。请查看状态页面。",
        "\u202bلم تعمل صادراتك منذ الساعة 09:40.\u202c نحن نعتقد أن السبب قد تم إصلاحه؟",
        "\u2067הייצוא שלך לא עבד מאז 09:40\u2069. \u200fאנחנו מאמינים שזה תוקן.",
        "\u202eWe believe the root cause is fixed.\u202c \u2066root cause\u2069 \u200eroot cause\u200f",
    ],
    ids=["chinese", "arabic", "hebrew", "bidi-controls-in-english"],
)
def test_other_scripts_and_bidi_controls(rules, text):
    for scope in SCOPES:
        checked(text, rules, scope)


def test_bidi_controls_do_not_move_the_columns(rules):
    text = "\u202e\u2066\u200f We believe it is fixed."
    assert ("hedge", 1, 5) in places(checked(text, rules))


def test_emoji_outside_the_bmp_count_one_column_each(rules):
    text = "😀😀😀 We believe 👍🏽 the root cause is 🇪🇺 fixed.\n🧑‍💻 we believe"
    found = places(checked(text, rules))
    assert ("hedge", 1, 5) in found  # three emoji and a space: 4 code points before
    assert ("cause-too-early", 1, text.index("root") + 1) in found
    assert ("hedge", 2, 5) in found  # a person, a zero-width joiner, a laptop, a space


LF_DRAFT = (
    "Subject: Exports\n\nHi,\n\nYour exports did not work from 09:40 to 10:10.\nWe believe the root cause is "
    "fixed; see the status page.\n\n- We apologise for any inconvenience.\n"
)


def test_crlf_line_ends_give_the_same_places_as_lf(rules):
    lf, crlf = checked(LF_DRAFT, rules), checked(LF_DRAFT.replace("\n", "\r\n"), rules)
    assert places(lf)  # something to compare
    assert places(crlf) == places(lf)


def test_cr_only_line_ends_give_the_same_places_as_lf(rules):
    # Lines end at a CR too (old Mac files, some pasted text): as an editor shows them, and as str.splitlines()
    # counts them. Read as one long line, the greeting 'Hi,' would swallow the first real sentence as well.
    lf = drafts.check(LF_DRAFT, rules, EVERY_RULE)
    cr = drafts.check(LF_DRAFT.replace("\n", "\r"), rules, EVERY_RULE)
    assert places(cr) == places(lf)


def test_mixed_line_ends(rules):
    found = checked("We believe\r\nb\rc\nd\n\r\r\n\u2028e\u2029f\x85g\x0bh\x0ci we believe", rules)
    assert [(f.line, f.col) for f in found if f.rule == "hedge"] == [(1, 1), (7, 12)]  # only CR and LF end lines


# --- the work grows with the text, not faster --------------------------------------------------------------------


class _Counting:
    """A compiled pattern that counts the characters it is given to read."""

    READS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")

    def __init__(self, pattern: re.Pattern[str], tally: list[int]):
        self._pattern, self._tally = pattern, tally

    def __getattr__(self, name: str):
        method = getattr(self._pattern, name)
        if name not in self.READS:
            return method

        def counted(*args, **kwargs):
            string, rest = (args[1], args[2:]) if name in ("sub", "subn") else (args[0], args[1:])
            pos = rest[0] if rest else kwargs.get("pos", 0)
            endpos = rest[1] if len(rest) > 1 else kwargs.get("endpos", len(string))
            self._tally[0] += max(0, min(endpos, len(string)) - pos)
            return method(*args, **kwargs)

        return counted


@pytest.mark.parametrize(
    "unit",
    ["ab. ", "e.g. ", "Hi. ", "Hi\n", "a\n", "A\n", "| a ", "|a|\n", "a", ". ", "Subject: x\n", "- x\n", "\n",
     "We believe the root cause is fixed. "],
)
def test_the_checker_reads_a_long_text_a_few_times_not_once_a_sentence(rules, monkeypatch, unit):
    tally = [0]
    for name, value in list(vars(drafts).items()):
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(drafts, name, _Counting(value, tally))
    text = (unit * (20_000 // len(unit) + 1))[:20_000]
    checked(text, rules)
    assert tally[0] <= 50 * len(text), f"{tally[0]:,} characters read for a text of {len(text):,}"
