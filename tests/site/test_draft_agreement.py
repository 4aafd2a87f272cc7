"""The draft checker has one source of truth, and its two engines agree on it.

The rules and the text-splitting patterns are written once (macros/engine/draft-rules.yaml, drafts.py) and run
twice: by ``drafts.check`` in Python and by ``icp.drafts.check`` (docs/assets/icp/drafts.js) in the browser.
Here both run on the same texts with the real project's rules (its organisation's internal names included): every
draft of the corpus with its scope, and some hundreds of seeded random texts made of what tends to split two
regular-expression engines (the rules' own phrases and their near misses, abbreviations, Markdown, odd line ends
and spaces, non-ASCII case, right-to-left text, characters outside the BMP, placeholders). Every finding must be
the same, field by field, and the browser's ``from``/``to`` (UTF-16 offsets) must select in its string the very
text Python's ``start``/``length`` (code points) select in Python's.

A disagreement fails with the first case that differs, both lists of findings, and the text cut down to a
smallest one that still differs.
"""

from __future__ import annotations

import functools
import random
import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from macros.engine import drafts
from macros.engine.loader import load_project
from tests.engine.draft_corpus import load_cases

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DRAFTS_JS = ROOT / "docs" / "assets" / "icp" / "drafts.js"
FIELDS = ("rule", "line", "col", "start", "length", "message", "suggestion")
AUDIENCES = ("customer", "internal", "status-page")
STATES = ("ongoing", "resolved")
SCOPES = [drafts.Scope(a, s, sec) for a in AUDIENCES for s in STATES for sec in (False, True)]
RANDOM_TEXTS = 600  # 50 per scope
SEED = 20_261_126
BATCH = 120  # texts per page.evaluate

PROJECT = load_project()
RULES = PROJECT.draft_rules
INTERNAL_NAMES = tuple(PROJECT.organisation.internal_names) if PROJECT.organisation else ()

# In the page: each item's findings, what its from/to select in the page's own string, and the string itself
# (so the comparison is known to be of the same text on both sides).
CHECK_ALL = """
(items) => items.map(({text, scope}) => {
  const found = window.icp.drafts.check(text, window.__draftData, scope);
  return {text, findings: found.map((f) => ({...f, selected: text.slice(f.from, f.to)}))};
})
"""


# ----------------------------------------------------------------------------------------------- the page


@pytest.fixture(scope="module")
def checker(new_watched_context) -> Iterator[object]:
    """One page with drafts.js loaded and the real rules (``drafts.as_data``) in ``window.__draftData``."""
    assert RULES is not None, "the project's draft rules do not load: " + "; ".join(map(str, PROJECT.diagnostics))
    context, recorder = new_watched_context()
    try:
        page = context.new_page()
        page.set_content("<!doctype html><html lang='en'><meta charset='utf-8'><title>drafts</title></html>")
        page.add_script_tag(path=str(DRAFTS_JS))
        page.evaluate("(data) => { window.__draftData = data; }", drafts.as_data(RULES))
        assert page.evaluate("typeof window.icp.drafts.check") == "function"
        yield page
        assert not recorder.problems(), recorder.report()
    finally:
        context.close()


def in_browser(page, items: list[tuple[str, drafts.Scope]]) -> list[dict]:
    out: list[dict] = []
    for at in range(0, len(items), BATCH):
        batch = [
            {"text": text, "scope": {"audience": s.audience, "state": s.state, "security": s.security}}
            for text, s in items[at : at + BATCH]
        ]
        out += page.evaluate(CHECK_ALL, batch)
    return out


# ----------------------------------------------------------------------------------------------- comparing


@functools.lru_cache(maxsize=4096)
def python_findings(text: str, scope: drafts.Scope) -> tuple[drafts.Finding, ...]:
    return tuple(drafts.check(text, RULES, scope))


def in_python(text: str, scope: drafts.Scope) -> list[dict]:
    return [{name: getattr(f, name) for name in FIELDS} for f in python_findings(text, scope)]


def difference(text: str, scope: drafts.Scope, got: dict) -> str | None:
    """What differs between Python's findings on ``text`` and the browser's (``got``), or None."""
    if got["text"] != text:
        return f"the page received another text: {got['text']!r}"
    python = in_python(text, scope)
    browser = got["findings"]
    for number, (ours, theirs) in enumerate(zip(python, browser, strict=False)):
        fields = [name for name in FIELDS if ours[name] != theirs.get(name)]
        if fields:
            return f"finding {number + 1} differs in {', '.join(fields)}"
        wanted = text[ours["start"] : ours["start"] + ours["length"]]
        if theirs["selected"] != wanted:
            return (
                f"finding {number + 1} ({ours['rule']}): from/to {theirs['from']}-{theirs['to']} select "
                f"{theirs['selected']!r} in the page, start/length {ours['start']}+{ours['length']} select {wanted!r}"
            )
    if len(python) != len(browser):
        return f"Python gives {len(python)} findings, the browser {len(browser)}"
    return None


def listed(findings: list[dict]) -> str:
    if not findings:
        return "    (none)"
    rows = []
    for f in findings:
        extra = f"  from/to {f['from']}-{f['to']} = {f['selected']!r}" if "from" in f else ""
        rows.append(f"    {f['rule']} {f['line']}:{f['col']} start {f['start']} length {f['length']}{extra}\n"
                    f"      {f['message']!r} / {f['suggestion']!r}")
    return "\n".join(rows)


def shrink(page, text: str, scope: drafts.Scope, rounds: int = 300) -> str:
    """A shorter text on which the engines still disagree: pieces (lines, then characters) taken out while the
    disagreement stays (delta debugging), each round's candidates checked in one call."""

    def still(candidates: list[str]) -> int | None:
        results = in_browser(page, [(c, scope) for c in candidates])
        return next((i for i, (c, r) in enumerate(zip(candidates, results, strict=True))
                     if difference(c, scope, r) is not None), None)

    current = text
    for units_of in (lambda t: t.splitlines(keepends=True), list):
        units, parts = units_of(current), 2
        while len(units) >= 2 and rounds > 0:
            rounds -= 1
            size = -(-len(units) // parts)
            candidates = ["".join(units[:i] + units[i + size :]) for i in range(0, len(units), size)][:400]
            hit = still(candidates)
            if hit is not None:
                units = units[: hit * size] + units[hit * size + size :]
                parts = max(parts - 1, 2)
            elif size == 1:
                break
            else:
                parts = min(parts * 2, len(units))
        current = "".join(units)
    return current


def assert_agree(page, cases: list[tuple[str, str, drafts.Scope]]) -> int:
    """Both engines on every (label, text, scope); the number of findings compared."""
    results = in_browser(page, [(text, scope) for _, text, scope in cases])
    compared = 0
    for (label, text, scope), got in zip(cases, results, strict=True):
        problem = difference(text, scope, got)
        if problem is None:
            compared += len(got["findings"])
            continue
        small = shrink(page, text, scope)
        small_got = in_browser(page, [(small, scope)])[0]
        shown = text if len(text) <= 3000 else text[:3000] + f"... ({len(text):,} characters in all)"
        pytest.fail(
            f"the engines disagree on {label} ({scope}): {problem}\n"
            f"  text: {shown!r}\n"
            f"  Python:\n{listed(in_python(text, scope))}\n"
            f"  browser:\n{listed(got['findings'])}\n"
            f"  smallest text found that still differs: {small!r} ({difference(small, scope, small_got)})\n"
            f"  Python:\n{listed(in_python(small, scope))}\n"
            f"  browser:\n{listed(small_got['findings'])}",
            pytrace=False,
        )
    return compared


# ----------------------------------------------------------------------------------------------- random texts

SENTENCES = (
    "Scheduled exports to S3 ran up to three hours late on 12 March",
    "Dashboards did not load for organisations on the EU region between 09:40 and 10:15 UTC",
    "No data was lost",
    "You can sign in again",
    "We are sorry your reports were late",
    "Charts stop at 09:40 and catch up within the hour",
    "Invoices sent before 08:00 were not delivered, so please check your outbox and resend any that are missing "
    "once the banner on the billing page says that sending works again for your workspace",
    "The next update is at 15:00 UTC on the status page",
    "Alerts arrived up to 20 min late",
    "Update 14:10 UTC: ingestion lag is at 40 min and falling",
    "Rollback of the worker deploy finished at 13:55",
    "If you saw an error when saving, your changes were kept",
    "Anyone who exports to S3 is affected",
    "It works again",
    "Ok",
    "Thank you for your patience while we looked into this",
    "We are writing to let you know about a problem with logins",
    "At Acme, we take reliability seriously",
    "As you may have noticed, search was slow this morning",
    "you could not upload files larger than 2 MB",
    "and the retry button did nothing",
    "which meant some reports were empty",
)
ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "incl.", "Mr.", "Ms.", "Dr.", "St.", "No. 5", "U.S.",
                 "A. Smith", "p.m.", "a.m.", "Inc.", "v2.3.1", "3.5 GB", "1,024", "0.5%", "24/7", "No.")
NUMBERS_AND_TIMES = ("09:40", "12:50 UTC", "2024-03-12", "14:10–15:00", "3 hrs", "45 mins", "99.9%", "v1.2",
                     "#42", "No 7", "10 000", "1.", "2)", "£5.00", "€", "5xx", "503", "p99", "p95", "HTTP 502")
URLS = ("https://status.example.com/incidents/2024-03-12", "http://127.0.0.1:8000/a.b?c=1&d=e.",
        "status.example.com", "example.com/a.b", "github.com/acme/comms", "gitlab.com/x/y.git",
        "https://github.com/acme/internal/issues/12", "mailto:support@example.com", "www.example.com.")
MARKDOWN = ("# Exports are late", "## Update 2", "###### deep", "#nospace", "- exports ran late",
            "* dashboards are slow", "+ plus item", "1. first", "12) twelfth", "> quoted line",
            "| Region | Impact |", "|---|---|", "| EU | exports late. sorry |", "| US |  |", "||", "| a | b",
            "    indented code", "```", "**bold**", "_em_", "[link](https://example.com)", "---")
LABELS = ("Subject: Your exports ran late", "subject: lower", "Re: your ticket", "RE: Re: Fwd:", "Hi there,",
          "Hello team,", "Dear customer,", "Hey,", "Good morning,", "good evening all", "Hiya", "Impact: exports",
          "Status: resolved", "Next update: 15:00", "Thanks,", "The Product team", "Note:no space")
QUOTES = ('"Exports are late."', "“Exports are late.”", "'done.'", "‘done.’", "he said “it’s fixed.” Then",
          "don't", "don’t", "can’t", "we’ll", "we'll", "(see above.)", "[1].", "it works!)", "really?!", "so...",
          "wait…", "Yes.”", "It failed.'\"", "end.)]", "?!?!?!?")
ODD = ("İstanbul", "İNCIDENT", "ıi", "STRASSE", "Straße", "ß", "ẞ", "ΣΊΣΥΦΟΣ", "σίσυφος", "ς", "ǅ", "K", "ſ",
       "ﬁle", "Ǆ", "Å", "ÉCHEC", "naïve", "café.", "Ⅻ", "ｆｕｌｌｗｉｄｔｈ", "µ", "ΐ")
WORLD = ("服务暂时不可用。我们正在修复。", "导出延迟了三小时", "。", "الخدمة متوقفة؟", "تعذر تسجيل الدخول.",
         "\u202bהשירות לא זמין.\u202c", "\u2067שלום\u2069 world", "\u200fשגיאה\u200e 503", "日本語のテキスト、です。",
         "한국어 문장입니다.", "Привет, мир. Сервис недоступен!", "देरी हुई।")
EMOJI = ("🔥", "👩\u200d💻", "🇪🇺", "𝐁𝐨𝐥𝐝", "😀.", "🚨 Outage", "✅", "1️⃣", "𝒶𝓉𝓉𝒶𝒸𝓀", "🙏🏽", "\U0001f600" * 3,
         "a😀b", "𝟓𝟎𝟑")
PLACEHOLDERS = ("{{ customer_name }}", "{{date}}", "{{ a }} {{ b }}", "{{ nested {{ x }} }}", "{{", "}}",
                "{{}}", "{ {x} }", "{{ " + "x" * 190 + " }}", "{{ " + "x" * 210 + " }}", "{{\nline\n}}",
                "{{ 😀 }}", "{org.team}")
PATTERN_HITS = ("in the next 30 minutes", "within the next 2 hrs", "in the next 1000 days", "by end of day",
                "before the end of the week", "ETA", "eta", "ETAs", "Eta:", "will be fixed by", "will be back shortly",
                "will be working again within", "we expect a fix", "we expect it to be resolved", "HTTP 503",
                "5xx", "502 errors", "500 error", "rollback", "roll back", "rolled back", "redeployed", "hotfixes",
                "DNS", "db", "DB", "failover", "p95", "p99", "mitigated", "mitigation", "#incident-42", "#a",
                "#inc_ab", "a#tag", "internal repo", "internal  repo", "internal channels", "github.com/acme/",
                "GitHub.com/Acme/", "we'll send another update", "we’ll email you again", "we will send you more "
                "emails", "a follow-up email", "stay tuned", "Stay  tuned", "status page", "statuspage",
                "status-page", "post-mortem", "postmortem", "Post Mortem", "incident report", "incident review",
                "latency", "Latency.", "throughput", "packet loss", "upstream", "downstream")
SPACES = (" ", " ", " ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\u00a0", "\u2028", "\u2029",
          "\u3000", "\u200b", "\u0085", "\f", "\v", "", " \n ", "\n\t", "\n   ")
WORDS = ("exports", "dashboards", "the", "your", "team", "customers", "were", "slow", "down", "failed", "missing",
         "unavailable", "cannot", "can't", "could not", "is", "we", "you", "on", "in", "and", "at", "for", "of",
         "a", "an", "organisation", "region", "billing", "search", "uploads", "notifications", "today", "again",
         "working", "fixed", "everything", "information", "unfortunately", "approximately", "infrastructure",
         "reliability", "communication", "inconvenience", "unprecedented", "extraordinarily")


def rule_fragments(rng: random.Random) -> list[list[str]]:
    """What each rule looks for, as the project loads the rules: its phrases, and a few texts that match each of
    its patterns (of every kind: found, required, forbidden at the start, passed over at the start of a line)."""
    out = []
    for item in RULES.rules:
        found = list(getattr(item.rule, "phrases", []))
        for name in ("patterns", "require", "forbid_start", "skip_lines"):
            for pattern in getattr(item.rule, name, []):
                found += [example(pattern, rng) for _ in range(3)]
        found = [text for text in found if text.strip()]
        if found:
            out.append(found)
    return out


CLASS_POOL = "aZm09 \t_-.#/'’éß😀İ"


def example(pattern: str, rng: random.Random) -> str:
    """A text that ``pattern`` matches (short counts taken; ``\\b`` and ``\\B`` left to what surrounds it)."""
    try:
        return _example(sre_parse.parse(pattern), rng)
    except (re.error, ValueError):
        return ""


def _in_class(items, char: str) -> bool:
    hit = False
    for op, value in items:
        if op is sre.LITERAL:
            hit = hit or ord(char) == value
        elif op is sre.RANGE:
            hit = hit or value[0] <= ord(char) <= value[1]
        elif op is sre.CATEGORY:
            hit = hit or re.fullmatch({sre.CATEGORY_DIGIT: "[0-9]", sre.CATEGORY_SPACE: "[ \t\n\r\f\v]",
                                       sre.CATEGORY_WORD: "[A-Za-z0-9_]"}.get(value, "[^\\s\\S]"), char) is not None
    negated = bool(items) and items[0][0] is sre.NEGATE
    return hit != negated


def _example(items, rng: random.Random) -> str:
    out = []
    for op, value in items:
        if op is sre.LITERAL:
            out.append(chr(value))
        elif op is sre.NOT_LITERAL:
            out.append(rng.choice([c for c in CLASS_POOL if ord(c) != value]))
        elif op is sre.IN:
            pool = [c for c in CLASS_POOL if _in_class(value, c)]
            pool += [chr(v) for o, v in value if o is sre.LITERAL] + [chr(v[0]) for o, v in value if o is sre.RANGE]
            pool = [c for c in pool if _in_class(value, c)]
            out.append(rng.choice(pool) if pool else "")
        elif op is sre.ANY:
            out.append(rng.choice("ax9 "))
        elif op is sre.BRANCH:
            out.append(_example(rng.choice(value[1]), rng))
        elif op is sre.SUBPATTERN:
            out.append(_example(value[-1], rng))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, inner = value
            out += [_example(inner, rng) for _ in range(rng.randint(low, min(high, low + 3)))]
    return "".join(out)


def near_miss(rng: random.Random, text: str) -> str:
    """``text`` as it is, or changed in one of the ways that decide whether a rule still finds it."""
    way = rng.randrange(14)
    if way == 0:
        return text.upper()
    if way == 1:
        return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text)
    if way == 2:
        return text.replace(" ", rng.choice(("  ", "\t", "\n", "\r\n", " \n\t", " " * 21, "\u00a0", "\u3000",
                                             "\u2028", "-", "", "\n\n")))
    if way == 3:
        return text.replace("'", "’") if "'" in text else text.replace("’", "'")
    if way == 4:
        return rng.choice(("x", "_", "1", "é", "😀", "-", "#", "İ")) + text
    if way == 5:
        return text + rng.choice(("s", "_", "1", "é", "😀", "-", ".", "ß", "'s", "’"))
    if way == 6:
        return text.replace("i", "İ").replace("I", "ı")
    if way == 7:
        return text.replace("s", "ſ").replace("k", "\u212a")
    if way == 8:
        return text.replace("ss", "ß") if "ss" in text else text.replace("a", "å")
    if way == 9:
        at = rng.randrange(len(text) + 1)
        return text[:at] + rng.choice(("\u00ad", "\u200b", "\u200d", "\u202e", "\ufeff")) + text[at:]
    if way == 10:
        return text.title()
    if way == 11:
        return text.swapcase()
    return text


def sentence(rng: random.Random, pieces: list[str]) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.choice((0, 1, 3, 6, 12, 20, 24, 25, 26, 27, 40)))]
    for piece in pieces:
        words.insert(rng.randrange(len(words) + 1), piece)
    body = " ".join(words)
    if body and rng.random() < 0.6:
        body = body[0].upper() + body[1:]
    return body + rng.choice((".", ".", ".", "!", "?", "...", "?!", ".”", ".\"", ".)", "。", "؟", "", "", ":",
                              ";", ",", ". ", ".\t", ".\r"))


def random_text(rng: random.Random, per_rule: list[list[str]]) -> str:
    pools = (
        *((fragments, 2) for fragments in per_rule), (SENTENCES, 8), (PATTERN_HITS, 4),
        (INTERNAL_NAMES or ("comms repo",), 3),
        (ABBREVIATIONS, 3), (NUMBERS_AND_TIMES, 3), (URLS, 2), (MARKDOWN, 3), (LABELS, 3), (QUOTES, 3),
        (ODD, 2), (WORLD, 2), (EMOJI, 2), (PLACEHOLDERS, 2), (WORDS, 2),
    )
    choices = [pool for pool, weight in pools for _ in range(weight)]
    parts: list[str] = []
    for _ in range(rng.choice((1, 2, 3, 5, 8, 12, 20, 30, 45))):
        kind = rng.random()
        if kind < 0.45:  # a sentence with a few fragments inside it
            inside = [near_miss(rng, rng.choice(rng.choice(choices))) for _ in range(rng.choice((0, 1, 1, 2, 3)))]
            parts.append(sentence(rng, inside))
        else:  # a fragment on its own
            parts.append(near_miss(rng, rng.choice(rng.choice(choices))))
        parts.append(rng.choice(SPACES))
    if rng.random() < 0.2:  # a table
        rows = ["| " + " | ".join(near_miss(rng, rng.choice(rng.choice(choices))) for _ in range(3)) + " |"
                for _ in range(rng.randrange(1, 5))]
        parts.insert(rng.randrange(len(parts) + 1), "\n" + "\n".join(rows) + "\n")
    text = "".join(parts)
    if rng.random() < 0.3:
        text = text.strip()
    if rng.random() < 0.15:
        text = text.replace("\n", rng.choice(("\r\n", "\r", "\u2028")))
    return text


@functools.cache
def random_cases() -> list[tuple[str, str, drafts.Scope]]:
    rng = random.Random(SEED)
    per_rule = rule_fragments(rng)
    cases = [
        (f"random text {number} (seed {SEED})", random_text(rng, per_rule), SCOPES[number % len(SCOPES)])
        for number in range(RANDOM_TEXTS)
    ]
    # edge cases of length and of the end of text, in every scope
    fixed = ["", " ", "\n", "\r\n", ".", "a", "?", "😀", "\u2028", "{{x}}", "| |", "#", "Subject:", "Hi",
             "we believe", "x" * 250 + " we believe", "a." * 300, "\n" * 50 + "root cause",
             ("word " * 30).strip(), ("word " * 30).strip() + ".", "Dr. Smith said so. " * 3,
             "😀 " * 30 + ".", "😀" * 250 + " " + "𝐁" * 250, "{{ a\n\n\tb }}", "{{ " + "  " * 40 + "x }}"]
    # around the longest quote (QUOTE_MAX) and the longest placeholder ({0,200}), in ASCII and outside the BMP
    for fill in ("x", "😀"):
        fixed += ["{{ " + fill * n + " }}" for n in (53, 54, 55, 56, 57)]
        fixed += ["{{" + fill * n + "}}" for n in (200, 201)]
    for number, text in enumerate(fixed):
        for scope in SCOPES:
            cases.append((f"edge text {number}", text, scope))
    # past the length the checker reads: where it cuts must be the same character in both (the first one with
    # characters outside the BMP before the cut, so UTF-16 offsets and code points part)
    tail = "We believe the root cause was DNS. "
    cases.append(("long text, emoji before the cut", "😀 " * 20_000 + tail * 2_000, SCOPES[0]))
    cases.append(("long text, ASCII", tail * 3_000, SCOPES[2]))
    cases.append(("long text, cut inside a phrase", "a" * (drafts.MAX_CHARS - 5) + " we believe it", SCOPES[4]))
    return cases


# ----------------------------------------------------------------------------------------------- the tests


def test_every_corpus_draft_gets_the_same_findings_in_both_engines(checker) -> None:
    cases = load_cases()
    assert cases, "the corpus has no drafts"
    assert_agree(checker, [(f"corpus case {c.id!r}", c.text, drafts.Scope(c.audience, c.state, c.security))
                           for c in cases])


def test_random_texts_get_the_same_findings_in_both_engines(checker) -> None:
    cases = random_cases()
    compared = assert_agree(checker, cases)
    assert RANDOM_TEXTS >= 300 and compared > 1_000


def test_the_random_texts_reach_every_rule_in_every_scope() -> None:
    """The texts are worth comparing on: each rule is found on them (in Python), in each scope it applies to."""
    missing = set()
    seen = set()
    for _, text, scope in random_cases():
        for finding in python_findings(text, scope):
            seen.add((finding.rule, scope))
    for item in RULES.rules:
        for scope in SCOPES:
            if drafts.applies(item.rule, scope) and (item.rule.id, scope) not in seen:
                missing.add((item.rule.id, scope))
    assert not missing, sorted(missing, key=str)
    assert any(rule == drafts.TOO_LONG for rule, _ in seen)
