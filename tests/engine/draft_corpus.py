"""A corpus of message drafts, each annotated with every finding the draft checker must give on it.

The drafts live in ``drafts/corpus.yaml``. A case names its scope (audience, state, whether the incident is about
security), its text, and ``expect``: the findings as (rule, line, col), and no others. A case with ``expect: []``
is a well-written draft; one with findings has problems planted in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from macros.engine.facts import DRAFT_AUDIENCES as AUDIENCES
from macros.engine.facts import DRAFT_STATES as STATES

CORPUS = Path(__file__).parent / "drafts" / "corpus.yaml"

CASE_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")

Expected = tuple[str, int, int]  # rule id, line, column


@dataclass(frozen=True)
class Case:
    id: str
    audience: str
    state: str
    security: bool
    text: str
    expect: list[Expected] = field(default_factory=list)

    @property
    def good(self) -> bool:
        return not self.expect


def load_cases(path: Path = CORPUS) -> list[Case]:
    """Every case of the corpus, in file order; a malformed case raises ValueError naming it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise ValueError(f"{path}: expected a mapping with a list under 'cases'")
    cases: list[Case] = []
    seen: set[str] = set()
    for number, raw in enumerate(data["cases"], start=1):
        if not isinstance(raw, dict):
            raise ValueError(f"{path}: case {number} is not a mapping")
        case_id = raw.get("id")
        where = f"{path}: case {number} ({case_id!r})"
        if not isinstance(case_id, str) or not CASE_ID.fullmatch(case_id):
            raise ValueError(f"{where}: id must be lower-case letters, digits and hyphens")
        if case_id in seen:
            raise ValueError(f"{where}: id used twice")
        seen.add(case_id)
        unknown = set(raw) - {"id", "audience", "state", "security", "text", "expect", "note"}
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        audience, state, security, text = raw.get("audience"), raw.get("state"), raw.get("security"), raw.get("text")
        if audience not in AUDIENCES:
            raise ValueError(f"{where}: audience must be one of {AUDIENCES}")
        if state not in STATES:
            raise ValueError(f"{where}: state must be one of {STATES}")
        if not isinstance(security, bool):
            raise ValueError(f"{where}: security must be true or false")
        if not isinstance(text, str):
            raise ValueError(f"{where}: text must be a string")
        expect_raw = raw.get("expect")
        if not isinstance(expect_raw, list):
            raise ValueError(f"{where}: expect must be a list (use [] for a good draft)")
        expect: list[Expected] = []
        for item in expect_raw:
            if (
                not isinstance(item, dict)
                or set(item) != {"rule", "line", "col"}
                or not isinstance(item["rule"], str)
                or not all(isinstance(item[k], int) and not isinstance(item[k], bool) for k in ("line", "col"))
            ):
                raise ValueError(f"{where}: each expected finding is {{rule, line, col}}, got {item!r}")
            expect.append((item["rule"], item["line"], item["col"]))
        cases.append(Case(case_id, audience, state, security, text, expect))
    return cases


def score(cases: list[Case], found: dict[str, list[Expected]]) -> tuple[float, float, int, int, int]:
    """(precision, recall, true positives, false positives, false negatives) of ``found`` against the cases'
    ``expect``, a finding counting once per (case, rule, line, col). With nothing found precision is 1.0; with
    nothing expected recall is 1.0."""
    true_pos = false_pos = false_neg = 0
    for case in cases:
        expected = set(case.expect)
        got = set(found.get(case.id, []))
        true_pos += len(expected & got)
        false_pos += len(got - expected)
        false_neg += len(expected - got)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0
    return precision, recall, true_pos, false_pos, false_neg
