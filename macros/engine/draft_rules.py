"""The draft checker's rules: their format (pydantic), where they are read from, and their check.

The rules are data, in one YAML file. An organisation keeps its own as ``playbooks/draft-rules.yaml``; without
one, the default beside this module (``draft-rules.yaml``) applies. The file is read and checked like a
playbook: every problem is reported at its line and column, a pattern that is broken or could take long is
refused there (:mod:`.safe_pattern`), and the build stops.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, StringConstraints, TypeAdapter, ValidationError

from .diagnostics import Diagnostic
from .facts import DRAFT_AUDIENCES, DRAFT_STATES
from .files import DRAFT_RULES_FILE_NAME, shown
from .models import Id, Organisation, Strict, Text
from .safe_pattern import PatternError, Portable, phrase, portable
from .schema_errors import _describe, located
from .yaml_reader import Document, YamlProblem, read

DEFAULT_FILE = Path(__file__).with_name(DRAFT_RULES_FILE_NAME)
FILE_NAME = DRAFT_RULES_FILE_NAME
TOO_LONG = "draft-too-long"  # the checker's own finding for a draft too long to check: no rule may take this id
FORMAT = "incident-comms-playbook/draft-rules"
AUDIENCES = DRAFT_AUDIENCES
STATES = DRAFT_STATES
Pattern = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class _Rule(Strict):
    id: Id
    message: Text = Field(description="What is wrong, and why it matters to the reader.")
    suggestion: Text = Field(description="What to write instead.")
    audiences: list[Literal[AUDIENCES]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: list(AUDIENCES),
        min_length=1,
        description="Whose drafts it checks: `customer`, `internal`, `status-page` (default: all three).",
    )
    states: list[Literal[STATES]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: list(STATES),
        min_length=1,
        description="In which state of the incident: `ongoing`, `resolved` (default: both).",
    )
    security_only: bool = Field(False, description="Checks only drafts about a security incident.")


class PhraseRule(_Rule):
    """Finds any of its phrases: case ignored, any spacing between words, whole words at the ends."""

    kind: Literal["phrase"]
    phrases: list[Phrase] = Field(min_length=1, max_length=200)


class PatternRule(_Rule):
    """Finds any of its patterns (the safe part of regular expressions the reference describes)."""

    kind: Literal["pattern"]
    patterns: list[Pattern] = Field(min_length=1, max_length=50)
    match_case: bool = Field(False, description="Tell upper and lower case apart (default: not).")


class MustMentionRule(_Rule):
    """A finding at the top when none of its patterns is anywhere in the draft."""

    kind: Literal["must-mention"]
    patterns: list[Pattern] = Field(min_length=1, max_length=50)


class FirstSentenceRule(_Rule):
    """The first sentence (after lines such as a subject or a greeting) must match one of ``require`` and must
    not begin with one of ``forbid_start``."""

    kind: Literal["first-sentence"]
    require: list[Pattern] = Field(min_length=1, max_length=50)
    forbid_start: list[Pattern] = Field(default_factory=list, max_length=50)
    skip_lines: list[Pattern] = Field(
        default_factory=list, max_length=50, description="Lines that begin so come before the first sentence."
    )


class SentenceLengthRule(_Rule):
    kind: Literal["sentence-length"]
    max_words: int = Field(ge=5, le=200)


class ReadingEaseRule(_Rule):
    """Flesch reading ease of the whole draft, for drafts of at least ``min_words`` words of English."""

    kind: Literal["reading-ease"]
    min_score: float = Field(ge=0, le=100)
    min_words: int = Field(30, ge=1, le=10_000)


class NoticeRule(_Rule):
    """One finding at the top of every draft in its scope: a reminder the text itself cannot settle."""

    kind: Literal["notice"]


class InternalNamesRule(_Rule):
    """Finds the organisation file's ``internal_names``, and any of its own patterns."""

    kind: Literal["internal-names"]
    patterns: list[Pattern] = Field(default_factory=list, max_length=50)


Rule = Annotated[
    PhraseRule | PatternRule | MustMentionRule | FirstSentenceRule | SentenceLengthRule | ReadingEaseRule
    | InternalNamesRule | NoticeRule,
    Field(discriminator="kind"),
]


class DraftRules(Strict):
    """The draft checker's rules file."""

    # each rule's id is its own, and none is TOO_LONG: load() checks that on the file, to report each at its line

    format: Literal[FORMAT]  # type: ignore[valid-type]
    version: int = Field(ge=1, le=1, description="The version of this format: 1.")
    rules: list[Rule] = Field(min_length=1, max_length=500)


def _kind_of(model: type[_Rule]) -> str:
    return get_args(model.model_fields["kind"].annotation)[0]


KINDS = {_kind_of(model): model for model in get_args(get_args(Rule)[0])}  # kind → its model
_ONE_RULE: TypeAdapter[_Rule] = TypeAdapter(Rule)
FORMAT_HINT = "see the default rules, macros/engine/draft-rules.yaml, for the format"


@dataclass(frozen=True)
class Compiled:
    """One rule, its patterns written as portable source (:mod:`.safe_pattern`)."""

    rule: _Rule
    find: tuple[Portable, ...] = ()  # phrase, pattern, internal-names, must-mention, first-sentence's require
    forbid_start: tuple[Portable, ...] = ()
    skip_lines: tuple[Portable, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    path: str
    rules: tuple[Compiled, ...]


def rules_file(playbook_dir: Path | None) -> Path:
    """The organisation's own rules file when there is one beside the playbooks, else the default."""
    own = playbook_dir / FILE_NAME if playbook_dir is not None else None
    return own if own is not None and own.is_file() else DEFAULT_FILE


def load(path: Path, org: Organisation) -> tuple[RuleSet | None, list[Diagnostic]]:
    """The rules of ``path``, checked and compiled; ``None`` and located problems when they cannot be used."""
    try:
        doc = read(path, shown(path))
    except YamlProblem as problem:
        return None, [_of_rules_file(problem.diagnostic)]
    problems = doc.problems + _check_ids(doc)
    try:
        model = DraftRules.model_validate(doc.data)
    except ValidationError as exc:
        problems += _located(exc, doc)
        rules = doc.data.get("rules") if isinstance(doc.data, dict) else None
        for index, raw in enumerate(rules if isinstance(rules, list) else []):  # the patterns of the rules that
            try:  # are right in themselves: their problems too are reported now, not after the others are fixed
                _compile(doc, index, _ONE_RULE.validate_python(raw), org, problems)
            except ValidationError:
                continue
        return None, sorted(problems, key=lambda p: (p.line, p.col))
    compiled = []
    for index, rule in enumerate(model.rules):
        made = _compile(doc, index, rule, org, problems)
        if made is not None:
            compiled.append(made)
    if any(p.is_error for p in problems):
        return None, problems
    return RuleSet(doc.path, tuple(compiled)), problems


def _of_rules_file(problem: Diagnostic) -> Diagnostic:
    """A problem of the YAML reader, told of a rules file rather than of a playbook."""
    start = "start the file with 'format: incident-comms-playbook/draft-rules', 'version: 1' and 'rules:'"
    if problem.code == "yaml-empty":
        return replace(problem, message="the rules file is empty", hint=f"{start}, or delete it for the default rules")
    if problem.code == "yaml-top-level":
        what = problem.message.split(", but ")[0]
        return replace(problem, message=f"{what}, but a rules file is a mapping of keys to values", hint=start)
    return problem


def _check_ids(doc: Document) -> list[Diagnostic]:
    """An error at each rule id used twice, and at the checker's own id."""
    rules = doc.data.get("rules") if isinstance(doc.data, dict) else None
    problems: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for index, rule in enumerate(rules if isinstance(rules, list) else []):
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        if not isinstance(rule_id, str):
            continue
        pos = doc.pos(("rules", index, "id"))
        if rule_id == TOO_LONG:
            problems.append(Diagnostic(
                doc.path, pos.line, pos.col, "reserved-id",
                f"the rule id '{TOO_LONG}' is the checker's own (for a draft too long to check)",
                "give the rule another id",
            ))
        elif rule_id in seen:
            problems.append(Diagnostic(
                doc.path, pos.line, pos.col, "duplicate-id",
                f"rule id '{rule_id}' is already used (line {seen[rule_id]})", "give this rule another id",
            ))
        else:
            seen[rule_id] = pos.line
    return problems


class _Errors:
    """Validation errors, with their places changed: what :func:`.schema_errors.located` reads."""

    def __init__(self, errors: list[dict[str, Any]]):
        self._errors = errors

    def errors(self, include_url: bool = False) -> list[dict[str, Any]]:
        return self._errors


def _located(exc: ValidationError, doc: Document) -> list[Diagnostic]:
    """Each validation error at its line and column, told of the rule it is in.

    pydantic places an error inside a rule under the rule's kind (``rules, 0, phrase, message``), which is no
    place in the file: it is taken out, so the error is at the key or value it is about."""
    found: list[Diagnostic] = []
    rest: list[dict[str, Any]] = []
    rules = doc.data.get("rules") if isinstance(doc.data, dict) else None
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        model = None
        if len(loc) > 2 and loc[0] == "rules" and loc[2] in KINDS:
            model, loc = KINDS[loc[2]], loc[:2] + loc[3:]
        error = {**error, "loc": loc}
        kind = error["type"]
        if kind in ("union_tag_invalid", "union_tag_not_found"):
            pos = doc.pos((*loc, "kind"))
            value = rules[loc[1]].get("kind") if kind == "union_tag_invalid" else None
            message = f"unknown kind {_describe(value)}" if value is not None else "the rule has no 'kind'"
            found.append(Diagnostic(doc.path, pos.line, pos.col, f"schema-{kind.replace('_', '-')}",
                                    _of_rule(rules, loc, message), f"use one of: {', '.join(KINDS)}"))
        elif kind == "extra_forbidden" and model is not None and len(loc) == 3:
            pos = doc.pos(loc, key=True)
            present = set(rules[loc[1]])
            allowed = ", ".join(name for name in model.model_fields if name not in present)
            message = _of_rule(rules, loc, f"unknown key '{loc[2]}' for a rule of kind '{_kind_of(model)}'")
            hint = f"remove it or fix its spelling (allowed here: {allowed})" if allowed else "remove it"
            found.append(Diagnostic(doc.path, pos.line, pos.col, "schema-extra-forbidden", message, hint))
        else:
            rest.append(error)
    told = located(_Errors(rest), doc, DraftRules)  # type: ignore[arg-type]
    if len(told) != len(rest):  # not one each: leave them as they are
        return found + told
    return found + [_told(error, rules, problem) for error, problem in zip(rest, told, strict=True)]


def _of_rule(rules: Any, loc: tuple, message: str) -> str:
    """``message``, saying which rule it is about when it is about one."""
    if len(loc) < 2 or loc[0] != "rules" or not isinstance(loc[1], int):
        return message
    rule = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
    rule_id = rule.get("id") if isinstance(rule, dict) else None
    return f"rule '{rule_id}': {message}" if isinstance(rule_id, str) else f"rule {loc[1] + 1}: {message}"


def _told(error: dict[str, Any], rules: Any, problem: Diagnostic) -> Diagnostic:
    loc, ctx = error["loc"], error.get("ctx") or {}
    message, hint = problem.message, problem.hint
    if loc == ("version",) and error["type"] in ("greater_than_equal", "less_than_equal"):
        message = f"'version': {_describe(error.get('input'))} is not a version of this format"
        hint = "write 'version: 1'"
    elif "ge" in ctx or "le" in ctx:
        hint = f"write a number of at least {ctx['ge']}" if "ge" in ctx else f"write a number of at most {ctx['le']}"
    elif hint == "see the playbook format in the reference":
        hint = FORMAT_HINT
    if len(loc) > 2:  # inside a rule
        message = _of_rule(rules, loc, message)
    return replace(problem, message=message, hint=hint)


def _compile(doc: Document, index: int, rule: _Rule, org: Organisation, problems: list[Diagnostic]) -> Compiled | None:
    failed = False

    def each(field: str, values: list[str], make) -> tuple[Portable, ...]:
        nonlocal failed
        out = []
        for at, value in enumerate(values):
            try:
                out.append(make(value))
            except PatternError as error:
                failed = True
                pos = doc.pos_in_text(("rules", index, field, at), error.offset)
                what = "phrase" if field == "phrases" else "pattern"
                problems.append(
                    Diagnostic(doc.path, pos.line, pos.col, "unsafe-pattern",
                               f"rule '{rule.id}': {what} '{_one_line(value)}': {error.message}", error.hint)
                )
        return tuple(out)

    def patterns(field: str, values: list[str], *, match_case: bool = False) -> tuple[Portable, ...]:
        return each(field, values, lambda v: portable(v, ignore_case=not match_case))

    kind = rule.kind  # type: ignore[attr-defined]
    if kind == "phrase":
        found = Compiled(rule, each("phrases", rule.phrases, phrase))  # type: ignore[attr-defined]
    elif kind == "pattern":
        found = Compiled(rule, patterns("patterns", rule.patterns, match_case=rule.match_case))  # type: ignore[attr-defined]
    elif kind == "must-mention":
        found = Compiled(rule, patterns("patterns", rule.patterns))  # type: ignore[attr-defined]
    elif kind == "internal-names":
        names = tuple(phrase(name) for name in org.internal_names)
        found = Compiled(rule, names + patterns("patterns", rule.patterns))  # type: ignore[attr-defined]
    elif kind == "first-sentence":
        found = Compiled(
            rule,
            patterns("require", rule.require),  # type: ignore[attr-defined]
            patterns("forbid_start", rule.forbid_start),  # type: ignore[attr-defined]
            patterns("skip_lines", rule.skip_lines),  # type: ignore[attr-defined]
        )
    else:
        found = Compiled(rule)
    return None if failed else found


def _one_line(text: str) -> str:
    """``text`` as written in the rules file, its line breaks and tabs shown as escapes."""
    return text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def check_breaks(loaded, rules: RuleSet) -> list[Diagnostic]:
    """A located error for each rule a template says it breaks that the rules do not have."""
    known = [item.rule.id for item in rules.rules]
    problems = []
    for item in loaded:
        for index, template in enumerate(item.playbook.templates):
            for at, known_break in enumerate(template.draft.breaks):
                if known_break.rule in known:
                    continue
                pos = item.doc.pos(("templates", index, "draft", "breaks", at, "rule"))
                problems.append(
                    Diagnostic(
                        item.doc.path, pos.line, pos.col, "unknown-draft-rule",
                        f"template '{template.id}' says it breaks the draft rule '{known_break.rule}', which "
                        f"{shown(Path(rules.path))} does not have",
                        f"use one of: {', '.join(known)}",
                    )
                )
    return problems
