"""The draft checker's half of the benchmark: one realistic long draft checked with the project's rules by
``drafts.check`` in this process and by drafts.js in a headless Chromium page, side by side in one run, and the
checker's precision and recall on the corpus of drafts (tests/engine/drafts/corpus.yaml) when there is one.

The draft is built the same every time: incident updates of realistic sentences (a subject and greeting, status
headings, lists, a table, times and links) with some problems planted in them (status-speak, a hedge, a named
cause, jargon, an internal name, a promised time, a placeholder left in, a long sentence), cut at the number of
words asked for.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for entry in (str(ROOT), str(HERE)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

import bench_browser  # noqa: E402

from macros.engine import drafts  # noqa: E402

DRAFTS_JS = ROOT / "docs" / "assets" / "icp" / "drafts.js"
SEED = 2_000
SCOPE = drafts.Scope("customer", "ongoing", True)  # the scope in which the most rules apply

OPENING = [
    "Subject: Exports and dashboards were slow for EU organisations this morning",
    "",
    "Hi there,",
    "",
    "Scheduled exports to S3 ran up to three hours late for organisations on the EU region, from 09:40 UTC.",
]
UPDATE_HEADINGS = ("## Update {t} UTC", "### {t} UTC: what changed", "Update {t} UTC:")
SENTENCES = (
    "Dashboards load again for everyone on the EU region.",
    "Exports that were queued since {t} UTC are now running, oldest first.",
    "No data was lost: every export arrives in full once it has caught up.",
    "If you saw an error when saving a report, your changes were kept.",
    "You do not need to do anything; exports resend on their own.",
    "Charts stop at {t} and fill in within the hour.",
    "Alerts arrived up to 20 minutes late, so an alert you received late was still correct.",
    "Logins work as usual, and API keys were not affected.",
    "We are sorry your reports were late this morning.",
    "The next update is at {t} UTC on the status page, or sooner if anything changes.",
    "The status page has this incident's entry: https://status.example.com/incidents/2024-03-12",
    "Invoices sent before {t} UTC were delivered, though some arrived twice.",
    "If an invoice reached a customer twice, only one of them is charged.",
    "Search was slow for about 40 minutes and is back to its usual speed.",
    "Uploads larger than 2 MB failed between {t} and {t2} UTC; please upload those files again.",
    "Mobile notifications were delayed by up to ten minutes, e.g. for comments and mentions.",
    "Reports you scheduled for today still run at the time you chose.",
    "Organisations on the US and APAC regions were not affected.",
    "Thank you for bearing with us while exports caught up.",
    "Our support team answers at support@example.com if something still looks wrong to you.",
)
LIST_ITEMS = (
    "- exports to S3: catching up, about {n} left in the queue",
    "- dashboards: working",
    "- alerts: working, the backlog sent by {t} UTC",
    "- uploads: working again",
    "1. Open the export page.",
    "2. Choose Resend on any export marked late.",
)
TABLE = ("| Region | What you notice | Since |", "| --- | --- | --- |", "| EU | exports late | {t} UTC |",
         "| US | nothing | - |")
PLANTED = (  # problems the checker must find
    "We are experiencing degraded performance on the export service.",
    "Exports should be back to normal within the next 30 minutes.",
    "The root cause was a database failover in one cluster.",
    "Team Blitzscale rolled back the deployment at {t} UTC, see #incident-2024-03-12 for details.",
    "We apologize for any inconvenience this may have caused.",
    "Dear {{ customer_name }}, your exports were late.",
    "A small number of customers may have seen elevated error rates.",
    "Out of an abundance of caution we paused every export in the region and then restarted them one by one "
    "after checking each of them by hand so that none of the files that customers receive would be incomplete "
    "or sent twice.",
    "Latency on the API reached several seconds at p99.",
    "We will send you another email once the fix is deployed.",
)
CLOSING = ["", "The Product team"]


def _time(rng: random.Random) -> str:
    return f"{rng.randrange(8, 18):02d}:{rng.randrange(0, 60, 5):02d}"


def _fill(rng: random.Random, line: str) -> str:
    return line.replace("{t2}", _time(rng)).replace("{t}", _time(rng)).replace("{n}", str(rng.randrange(20, 900)))


def draft_text(words: int = 2_000, seed: int = SEED) -> str:
    """A draft of ``words`` words (split at spaces) made of incident updates, the same for the same arguments."""
    rng = random.Random(seed)
    lines = list(OPENING)
    count = sum(len(line.split()) for line in lines) + sum(len(line.split()) for line in CLOSING)
    planted = 0
    while count < words:
        block = ["", _fill(rng, rng.choice(UPDATE_HEADINGS)), ""]
        paragraph = [_fill(rng, rng.choice(SENTENCES)) for _ in range(rng.randrange(2, 6))]
        if rng.random() < 0.5:
            paragraph.insert(rng.randrange(len(paragraph) + 1), _fill(rng, PLANTED[planted % len(PLANTED)]))
            planted += 1
        block.append(" ".join(paragraph))
        if rng.random() < 0.35:
            block += [""] + [_fill(rng, item) for item in rng.sample(LIST_ITEMS, 3)]
        if rng.random() < 0.1:
            block += [""] + [_fill(rng, row) for row in TABLE]
        for line in block:
            taken = line.split()
            if count + len(taken) > words:  # the last line is cut at the word count
                line = " ".join(taken[: words - count])
                taken = line.split()
            if taken or not line:
                lines.append(line)
            count += len(taken)
            if count >= words:
                break
    return "\n".join(lines + CLOSING) + "\n"


@dataclass
class DraftTimes:
    words: int
    chars: int
    python_ms: list[float] = field(default_factory=list)
    browser_ms: list[float] = field(default_factory=list)
    first_ms: list[float] = field(default_factory=list)  # the first check in a fresh page, patterns compiled
    findings: int = 0
    same: bool = False  # both engines gave the same findings (rule, line, col, length, message)
    rules_in_scope: int = 0


_TIME_CHECKS = """
({text, scope, runs}) => {
  const out = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    window.icp.drafts.check(text, window.__draftData, scope);
    out.push(performance.now() - t0);
  }
  return out;
}
"""
_FINDINGS = """
({text, scope}) => window.icp.drafts.check(text, window.__draftData, scope)
  .map((f) => [f.rule, f.line, f.col, f.length, f.message])
"""


def _scope_js(scope: drafts.Scope) -> dict:
    return {"audience": scope.audience, "state": scope.state, "security": scope.security}


def _checker_page(browser, data: dict):
    """A fresh context and page with drafts.js and the rules loaded (no request leaves the machine)."""
    context = browser.new_context()
    context.route("**/*", bench_browser._local_only)
    page = context.new_page()
    page.set_content("<!doctype html><html lang='en'><meta charset='utf-8'><title>drafts</title></html>")
    page.add_script_tag(path=str(DRAFTS_JS))
    page.evaluate("(data) => { window.__draftData = data; }", data)
    return context, page


def measure(browser, rules, *, words: int = 2_000, rounds: int = 5, runs: int = 10, warm_up: int = 5,
            fresh_pages: int = 7, progress: Callable[[str], None] = lambda message: None) -> DraftTimes:
    """``rounds`` rounds of ``runs`` checks in each engine, the engine going first alternating, after
    ``warm_up`` checks in each; and the first check of ``fresh_pages`` new pages."""
    text = draft_text(words)
    data = drafts.as_data(rules)
    scope = _scope_js(SCOPE)
    out = DraftTimes(words=len(text.split()), chars=len(text))
    out.rules_in_scope = sum(drafts.applies(item.rule, SCOPE) for item in rules.rules)
    for number in range(fresh_pages):
        progress(f"drafts: first check in a fresh page {number + 1}/{fresh_pages}")
        context, page = _checker_page(browser, data)
        try:
            out.first_ms += page.evaluate(_TIME_CHECKS, {"text": text, "scope": scope, "runs": 1})
        finally:
            context.close()
    context, page = _checker_page(browser, data)
    try:
        page.evaluate(_TIME_CHECKS, {"text": text, "scope": scope, "runs": warm_up})
        python = [drafts.check(text, rules, SCOPE) for _ in range(warm_up)][-1]
        browser_found = page.evaluate(_FINDINGS, {"text": text, "scope": scope})
        out.findings = len(python)
        out.same = [[f.rule, f.line, f.col, f.length, f.message] for f in python] == browser_found

        def in_python() -> None:
            for _ in range(runs):
                start = time.perf_counter()
                drafts.check(text, rules, SCOPE)
                out.python_ms.append((time.perf_counter() - start) * 1000)

        def in_browser() -> None:
            out.browser_ms.extend(page.evaluate(_TIME_CHECKS, {"text": text, "scope": scope, "runs": runs}))

        for number in range(rounds):
            progress(f"drafts: round {number + 1}/{rounds}, {runs} checks of {out.words:,} words in each engine")
            for step in (in_python, in_browser) if number % 2 == 0 else (in_browser, in_python):
                step()
    finally:
        context.close()
    return out


@dataclass
class CorpusScore:
    cases: int
    precision: float
    recall: float
    true_pos: int
    false_pos: int
    false_neg: int


def corpus_score(rules) -> CorpusScore | None:
    """Precision and recall of Python's findings on the corpus; None while there is no corpus."""
    try:
        from tests.engine.draft_corpus import load_cases, score
    except ImportError:
        return None
    cases = load_cases()
    found = {
        case.id: [(f.rule, f.line, f.col) for f in drafts.check(case.text, rules, drafts.Scope(
            case.audience, case.state, case.security))]
        for case in cases
    }
    return CorpusScore(len(cases), *score(cases, found))
