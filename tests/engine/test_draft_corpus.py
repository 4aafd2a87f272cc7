"""The draft checker over a corpus of realistic drafts (drafts/corpus.yaml, read by draft_corpus.py): each draft
gets exactly the findings it is annotated with, and over the whole corpus precision and recall are both 1.0.

A draft that gets a finding it should not, or misses one, is a fault of the checker or of the rules, not of the
annotation: the annotation says what a careful reader would flag.
"""

from __future__ import annotations

import pytest

from macros.engine import draft_rules, drafts
from macros.engine.loader import load_organisation
from tests.engine.draft_corpus import Case, load_cases, score

MIN_CASES = 60
MIN_GOOD = 25
MIN_PLANTED_PER_RULE = 2

CASES = load_cases()


@pytest.fixture(scope="module")
def rules() -> draft_rules.RuleSet:
    org, problems = load_organisation()
    assert org is not None, "\n".join(map(str, problems))
    loaded, problems = draft_rules.load(draft_rules.DEFAULT_FILE, org)
    assert loaded is not None, "\n".join(map(str, problems))
    return loaded


def findings(case: Case, rules: draft_rules.RuleSet) -> list[drafts.Finding]:
    return drafts.check(case.text, rules, drafts.Scope(case.audience, case.state, case.security))


def described(case: Case, items: list[tuple[str, int, int]], found: list[drafts.Finding]) -> str:
    lines = case.text.split("\n")
    out = []
    for rule, line, col in sorted(items, key=lambda f: (f[1], f[2], f[0])):
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        match = next((f for f in found if (f.rule, f.line, f.col) == (rule, line, col)), None)
        shown = text[col - 1 : col - 1 + match.length] if match and match.length else text[col - 1 : col + 39]
        out.append(f"  {rule} at {line}:{col}: {shown!r}" + (f" ({match.message})" if match else ""))
    return "\n".join(out)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_draft_gets_exactly_its_findings(case: Case, rules: draft_rules.RuleSet) -> None:
    found = findings(case, rules)
    got = {(f.rule, f.line, f.col) for f in found}
    expected = set(case.expect)
    missing, unexpected = expected - got, got - expected
    assert not missing and not unexpected, (
        f"{case.id} ({case.audience}, {case.state}, security={case.security}):\n"
        + (f"missing (the checker should find these):\n{described(case, sorted(missing), found)}\n" if missing else "")
        + (f"unexpected (false alarms):\n{described(case, sorted(unexpected), found)}\n" if unexpected else "")
    )


def test_precision_and_recall_over_the_corpus(rules: draft_rules.RuleSet) -> None:
    found = {case.id: [(f.rule, f.line, f.col) for f in findings(case, rules)] for case in CASES}
    precision, recall, true_pos, false_pos, false_neg = score(CASES, found)
    good = [c for c in CASES if c.good]
    planted: dict[str, int] = {item.rule.id: 0 for item in rules.rules}
    for case in CASES:
        for rule, _, _ in case.expect:
            planted[rule] = planted.get(rule, 0) + 1
    print(
        f"\ndraft corpus: {len(CASES)} cases ({len(good)} good, {len(CASES) - len(good)} with planted problems), "
        f"{true_pos + false_neg} planted findings"
        f"\nprecision {precision:.3f}, recall {recall:.3f} (true {true_pos}, false alarms {false_pos}, "
        f"missed {false_neg})"
        "\nplanted by rule: " + ", ".join(f"{rule} {count}" for rule, count in planted.items())
    )
    assert len(CASES) >= MIN_CASES, f"the corpus has {len(CASES)} cases; it needs at least {MIN_CASES}"
    assert len(good) >= MIN_GOOD, f"the corpus has {len(good)} good drafts; it needs at least {MIN_GOOD}"
    unknown = sorted(set(planted) - {item.rule.id for item in rules.rules})
    assert not unknown, f"the corpus expects findings of rules the default rules do not have: {unknown}"
    thin = {rule: count for rule, count in planted.items() if count < MIN_PLANTED_PER_RULE}
    assert not thin, f"each default rule needs {MIN_PLANTED_PER_RULE} planted findings; too few: {thin}"
    assert (precision, recall) == (1.0, 1.0), (
        f"precision {precision:.3f} (false alarms {false_pos}), recall {recall:.3f} (missed {false_neg}); "
        "see test_each_draft_gets_exactly_its_findings for which"
    )


def test_good_and_planted_drafts_cover_every_scope() -> None:
    """The corpus reads drafts for each audience and state, and for security incidents, both well and badly
    written: a rule's scope is tested from both sides."""
    for audience in ("customer", "internal", "status-page"):
        assert any(c.audience == audience and c.good for c in CASES), f"no good {audience} draft"
        assert any(c.audience == audience and not c.good for c in CASES), f"no {audience} draft with a problem"
    for state in ("ongoing", "resolved"):
        assert any(c.state == state and c.good for c in CASES), f"no good {state} draft"
        assert any(c.state == state and not c.good for c in CASES), f"no {state} draft with a problem"
    assert any(c.security and c.good for c in CASES), "no good draft about a security incident"
    assert any(c.security and not c.good for c in CASES), "no draft about a security incident with a problem"
