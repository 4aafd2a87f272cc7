"""``python -m macros draft-check FILE...``: the draft checker on files, as the workspace runs it on a draft.

Prints ``file:line:col: rule: message; suggestion`` for each finding; exit 0 when there is none, 1 when there is
one, 2 on a usage error (a file that is missing or not text, a rules file that cannot be used).
"""

from __future__ import annotations

import argparse
import codecs
import sys
from pathlib import Path

from ..engine.facts import DRAFT_AUDIENCES, DRAFT_STATES
from ..engine.files import PLAYBOOK_DIR, shown

USAGE_ERROR = 2


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "draft-check",
        help="check drafts of messages against the draft rules (plain English, impact first, no status-speak)",
        description="Checks each FILE (- for standard input) as the workspace checks a draft. The rules are "
        "playbooks/draft-rules.yaml when it exists, else the default ones.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--audience", choices=DRAFT_AUDIENCES, default="customer",
                        help="who reads it (default: %(default)s)")
    parser.add_argument("--state", choices=DRAFT_STATES, default="ongoing",
                        help="where the incident is (default: %(default)s)")
    parser.add_argument("--security", action="store_true", help="the draft is about a security incident")
    parser.add_argument("--rules", type=Path, default=None, metavar="FILE",
                        help="rules file (default: draft-rules.yaml beside the organisation file, or the default "
                        "rules)")
    parser.add_argument("--org", type=Path, default=PLAYBOOK_DIR / "organisation.yaml", metavar="FILE",
                        help="organisation file, for its internal_names (default: playbooks/organisation.yaml)")


class NotText(ValueError):
    """Why a draft file cannot be checked, at the line and column of the first byte that is wrong (0: no place)."""

    def __init__(self, message: str, line: int = 0, col: int = 0):
        super().__init__(message)
        self.line, self.col = line, col


def read_draft(path: Path, max_chars: int) -> str:
    """The text of a draft file (or of standard input for ``-``); :class:`NotText` says why it is not text.

    Only as much is read as can hold ``max_chars`` characters and one more (the checker checks no further, and
    says so), so a huge file or stream costs no more memory than a long draft."""
    limit = 4 * (max_chars + 2)  # a character is at most 4 bytes of UTF-8; +2: a BOM, and one character over
    if str(path) == "-":
        raw = sys.stdin.buffer.read(limit + 1)
    elif path.is_dir():
        raise NotText("is a folder, not a file; name the draft files in it")
    else:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    whole, raw = len(raw) <= limit, raw[:limit]
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise NotText("UTF-16 text, not UTF-8; save it as UTF-8", 1, 1)
    if b"\0" in raw:
        raise NotText("not text: it holds a NUL byte (a binary file?)", *_line_col(raw, raw.index(0)))
    try:  # when the file goes on past the limit, a character cut there is left out, not an error
        text = codecs.getincrementaldecoder("utf-8")().decode(raw, final=whole)
    except UnicodeDecodeError as error:
        raise NotText(
            f"not UTF-8 text: byte 0x{raw[error.start]:02x}; save it as UTF-8", *_line_col(raw, error.start)
        ) from None
    return text.removeprefix("\ufeff")


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    """Line and column of byte ``offset`` as the checker counts them (characters, from 1; a line ends at LF, CR LF
    or a lone CR; a BOM is not counted), a byte before it that is not UTF-8 counting as one character."""
    before = raw[:offset].decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def run(args: argparse.Namespace) -> int:
    from ..engine import draft_rules  # here, not at the top: building the parser stays cheap for the others
    from ..engine.drafts import MAX_CHARS, Scope, check
    from ..engine.loader import load_organisation

    if not args.org.is_file():
        print(f"python -m macros draft-check: error: organisation file not found: {args.org}", file=sys.stderr)
        return USAGE_ERROR
    org, problems = load_organisation(args.org)
    rules_path = args.rules or draft_rules.rules_file(args.org.parent)  # the organisation's own, beside its file
    if not rules_path.is_file():
        why = "is a folder, not a file" if rules_path.is_dir() else "not found"
        print(f"python -m macros draft-check: error: rules file {why}: {rules_path}", file=sys.stderr)
        return USAGE_ERROR
    rules = None
    if org is not None:
        rules, more = draft_rules.load(rules_path, org)
        problems += more
    if org is None or rules is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        print("python -m macros draft-check: error: fix the rules (or the organisation file) first", file=sys.stderr)
        return USAGE_ERROR
    for stream in (sys.stdout, sys.stderr):  # a draft's text quoted in a finding must not fail on a narrow console
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    scope = Scope(args.audience, args.state, args.security)
    findings = 0
    failed = False
    for path in args.files:
        name = "<stdin>" if str(path) == "-" else shown(path)
        try:
            text = read_draft(path, MAX_CHARS)
        except FileNotFoundError:
            print(f"{name}: error: no such file", file=sys.stderr)
            failed = True
            continue
        except NotText as error:
            where = f"{name}:{error.line}:{error.col}" if error.line else name
            print(f"{where}: error: {error}", file=sys.stderr)
            failed = True
            continue
        except OSError as error:
            print(f"{name}: error: {error.strerror or error}", file=sys.stderr)
            failed = True
            continue
        for finding in check(text, rules, scope):
            print(f"{name}:{' '.join(str(finding).splitlines())}")  # one line each, whatever a rule's message holds
            findings += 1
    if failed:
        return USAGE_ERROR
    if findings:
        print(f"{findings} finding{'s' * (findings != 1)} in {len(args.files)} file{'s' * (len(args.files) != 1)}",
              file=sys.stderr)
        return 1
    return 0
