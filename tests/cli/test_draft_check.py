"""``python -m macros draft-check``, run as a user runs it: a child process, files in a folder, standard input.

Exit 0 when there is nothing to say (and nothing is printed), 1 with one ``file:line:col: rule: message;
suggestion`` line a finding, 2 on a usage error (a missing file, a folder, a binary or non-UTF-8 file, a rules
file that cannot be used, a bad option), and never a traceback. Most runs use a small rules file of the tests
(``tests/engine/fixtures/draft-rules/rules.yaml``), so that lines can be compared whole.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.cli.draft_check import NotText, read_draft
from macros.engine.drafts import MAX_CHARS
from tests.conftest import ORG_FIXTURE, REPO

FIXTURES = REPO / "tests" / "engine" / "fixtures" / "draft-rules"
RULES = FIXTURES / "rules.yaml"
BROKEN_RULES = FIXTURES / "broken-rules.yaml"
TEST_RULES = ("--rules", RULES, "--org", ORG_FIXTURE)
RESOLVED = ("--state", "resolved")  # no notice: a draft that is fine gets no finding at all

NOTICE = "before-resolution: a customer message before resolution is the exception; say why in the comms plan"
HEDGE = "no-hedge: “We believe”: a hedge; say what is so"
TIME = "promised-time: “within 30 minutes”: a promised time; say when the next update comes"
DRAFT = "Exports failed for you from 09:40.\nWe believe they work again within 30 minutes.\n"


def draft_check(*args: str | Path, cwd: Path, stdin: bytes | None = None, env: dict[str, str] | None = None):
    """``python -m macros draft-check ARGS`` in ``cwd`` (so files are named as a user there types them):
    (exit code, stdout, stderr), none of which may hold a traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "macros", "draft-check", *map(str, args)],
        cwd=cwd, input=stdin, capture_output=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert "Traceback" not in out + err, out + err
    return done.returncode, out, err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "clean.txt").write_text("Exports failed for you from 09:40 to 10:10. They work again.\n", "utf-8")
    return tmp_path


# --- what it prints, and its exit code ---------------------------------------------------------------------


def test_a_clean_file_exits_0_and_prints_nothing(folder):
    assert draft_check("clean.txt", *TEST_RULES, *RESOLVED, cwd=folder) == (0, "", "")


def test_findings_are_one_line_each_and_exit_1(folder):
    code, out, err = draft_check("draft.txt", *TEST_RULES, *RESOLVED, cwd=folder)
    assert code == 1
    assert out == f"draft.txt:2:1: {HEDGE}\ndraft.txt:2:28: {TIME}\n"
    assert err == "2 findings in 1 file\n"


def test_several_files_each_in_turn(folder):
    (folder / "other draft.txt").write_text("All good.\n\nwe think so\n", encoding="utf-8")
    code, out, err = draft_check("draft.txt", "clean.txt", "other draft.txt", *TEST_RULES, *RESOLVED, cwd=folder)
    assert code == 1
    assert out.splitlines() == [
        f"draft.txt:2:1: {HEDGE}",
        f"draft.txt:2:28: {TIME}",
        "other draft.txt:3:1: no-hedge: “we think”: a hedge; say what is so",
    ]
    assert err == "3 findings in 3 files\n"


def test_files_in_other_folders_are_named_as_given(folder):
    (folder / "sub").mkdir()
    (folder / "sub" / "d.txt").write_text("we believe", encoding="utf-8")
    code, out, _ = draft_check("sub/d.txt", *TEST_RULES, *RESOLVED, cwd=folder)
    assert (code, out) == (1, "sub/d.txt:1:1: no-hedge: “we believe”: a hedge; say what is so\n")


def test_standard_input_is_read_for_a_dash(folder):
    code, out, err = draft_check("-", *TEST_RULES, *RESOLVED, cwd=folder, stdin=DRAFT.encode())
    assert code == 1
    assert out == f"<stdin>:2:1: {HEDGE}\n<stdin>:2:28: {TIME}\n"
    assert err == "2 findings in 1 file\n"


def test_standard_input_and_a_file_together(folder):
    code, out, _ = draft_check("clean.txt", "-", *TEST_RULES, *RESOLVED, cwd=folder, stdin=b"we think")
    assert (code, out) == (1, "<stdin>:1:1: no-hedge: “we think”: a hedge; say what is so\n")


def test_empty_standard_input_is_an_empty_draft(folder):
    assert draft_check("-", *TEST_RULES, *RESOLVED, cwd=folder, stdin=b"") == (0, "", "")


def test_a_message_written_on_two_lines_is_printed_on_one(folder):
    (folder / "night.txt").write_text("We fixed it overnight.", encoding="utf-8")
    code, out, _ = draft_check("night.txt", *TEST_RULES, "--audience", "internal", cwd=folder)
    assert (code, out) == (1, "night.txt:1:13: two-lines: “overnight”: said on two lines; one line\n")


# --- the scope: --audience, --state, --security ------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "notice"),
    [
        ((), True),  # customer and ongoing, the defaults
        (("--audience", "customer", "--state", "ongoing"), True),
        (("--state", "resolved"), False),
        (("--audience", "status-page"), False),
        (("--audience", "internal"), False),
        (("--audience", "customer", "--security"), True),
    ],
)
def test_the_before_resolution_notice_only_for_a_customer_while_ongoing(folder, options, notice):
    code, out, _ = draft_check("clean.txt", *TEST_RULES, *options, cwd=folder)
    assert (code, out) == ((1, f"clean.txt:1:1: {NOTICE}\n") if notice else (0, ""))


@pytest.mark.parametrize(
    ("options", "fires"),
    [
        (RESOLVED, False),
        ((*RESOLVED, "--security"), True),
        (("--audience", "status-page", "--security"), True),
        (("--audience", "internal", "--security"), False),  # internal drafts may name it
    ],
)
def test_the_security_rule_only_with_security(folder, options, fires):
    (folder / "breach.txt").write_text("The attacker has gone.", encoding="utf-8")
    code, out, _ = draft_check("breach.txt", *TEST_RULES, *options, cwd=folder)
    line = "breach.txt:1:5: tip-off: “attacker”: a word that tips off an attacker; agree the wording first"
    assert (code, out) == ((1, line + "\n") if fires else (0, ""))


@pytest.mark.parametrize(
    ("option", "value", "choices"),
    [("--audience", "everyone", "'customer', 'internal', 'status-page'"), ("--state", "over", "'ongoing', 'resolved'")],
)
def test_an_unknown_scope_is_a_usage_error(folder, option, value, choices):
    code, out, err = draft_check("clean.txt", option, value, cwd=folder)
    assert (code, out) == (2, "")
    assert err == (
        f"python -m macros draft-check: error: argument {option}: invalid choice: '{value}' (choose from {choices})\n"
    )


def test_no_file_is_a_usage_error(folder):
    code, out, err = draft_check(cwd=folder)
    assert (code, out) == (2, "")
    assert err == "python -m macros draft-check: error: the following arguments are required: FILE\n"


# --- the rules and the organisation file -----------------------------------------------------------------------


def test_the_default_rules_without_rules(folder):
    (folder / "d.txt").write_text("We believe the root cause is fixed.", encoding="utf-8")
    code, out, _ = draft_check("d.txt", "--audience", "status-page", "--state", "resolved", cwd=folder)
    assert code == 1
    assert "\nd.txt:1:1: hedge: “We believe”: " in "\n" + out  # a rule of macros/engine/draft-rules.yaml


def test_a_broken_rules_file_is_a_usage_error_with_each_problem_located(folder):
    code, out, err = draft_check("draft.txt", "--rules", BROKEN_RULES, "--org", ORG_FIXTURE, cwd=folder)
    assert (code, out) == (2, "")
    path = os.path.relpath(BROKEN_RULES, folder)
    path = path if not path.startswith("..") else str(BROKEN_RULES)
    assert err.splitlines() == [
        f"{path}:13:31: error: rule 'promised-time': pattern '\\bwithin [0-9]+ (?:minutes|hours)\\b': '+' repeats "
        "without end, which can take minutes on a long draft; give the most it may repeat: {0,20} for '*', {1,20} "
        "for '+' [unsafe-pattern]",
        f"{path}:18:11: error: rule 'shouting': unknown kind 'capitals'; use one of: phrase, pattern, must-mention, "
        "first-sentence, sentence-length, reading-ease, internal-names, notice [schema-union-tag-invalid]",
        "python -m macros draft-check: error: fix the rules (or the organisation file) first",
    ]


@pytest.mark.parametrize("text", ["", "- just a list\n", "format: [\n"], ids=["empty", "a-list", "yaml-syntax"])
def test_a_rules_file_that_is_not_rules_is_a_usage_error(folder, text):
    (folder / "rules.yaml").write_text(text, encoding="utf-8")
    code, out, err = draft_check("clean.txt", "--rules", "rules.yaml", "--org", ORG_FIXTURE, cwd=folder)
    assert (code, out) == (2, "")
    first, last = err.splitlines()[0], err.splitlines()[-1]
    assert first.startswith("rules.yaml:") and first.endswith("]")
    assert last == "python -m macros draft-check: error: fix the rules (or the organisation file) first"


def test_a_missing_rules_file_is_a_usage_error(folder):
    code, out, err = draft_check("clean.txt", "--rules", "nope.yaml", "--org", ORG_FIXTURE, cwd=folder)
    assert (code, out, err) == (2, "", "python -m macros draft-check: error: rules file not found: nope.yaml\n")


def test_a_folder_as_the_rules_file_is_a_usage_error(folder):
    code, out, err = draft_check("clean.txt", "--rules", ".", "--org", ORG_FIXTURE, cwd=folder)
    assert (code, out, err) == (2, "", "python -m macros draft-check: error: rules file is a folder, not a file: .\n")


def test_a_missing_organisation_file_is_a_usage_error(folder):
    code, out, err = draft_check("clean.txt", "--rules", RULES, "--org", "org.yaml", cwd=folder)
    assert (code, out, err) == (2, "", "python -m macros draft-check: error: organisation file not found: org.yaml\n")


def test_a_broken_organisation_file_is_a_usage_error_located(folder):
    (folder / "org.yaml").write_text("names: [\n", encoding="utf-8")
    code, out, err = draft_check("clean.txt", "--rules", RULES, "--org", "org.yaml", cwd=folder)
    assert (code, out) == (2, "")
    assert err.startswith("org.yaml:2:1: error: YAML syntax error")
    assert err.endswith("python -m macros draft-check: error: fix the rules (or the organisation file) first\n")


# --- files that are not drafts -----------------------------------------------------------------------------------


def test_a_missing_file_is_a_usage_error_and_the_others_are_still_checked(folder):
    code, out, err = draft_check("nope.txt", "draft.txt", *TEST_RULES, *RESOLVED, cwd=folder)
    assert code == 2
    assert out == f"draft.txt:2:1: {HEDGE}\ndraft.txt:2:28: {TIME}\n"
    assert err == "nope.txt: error: no such file\n"


def test_a_folder_is_a_usage_error(folder):
    code, out, err = draft_check(".", *TEST_RULES, cwd=folder)
    assert (code, out, err) == (2, "", ".: error: is a folder, not a file; name the draft files in it\n")


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"We believe\nit\x00works", "bin.dat:2:3: error: not text: it holds a NUL byte (a binary file?)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bin.dat:3:1: error: not text: it holds a NUL byte (a binary file?)"),
        (b"\xff\x00", "bin.dat:1:2: error: not text: it holds a NUL byte (a binary file?)"),
        ("ok\ncafé".encode("latin-1"), "bin.dat:2:4: error: not UTF-8 text: byte 0xe9; save it as UTF-8"),
        ("ok\r\nok\rcafé".encode("latin-1"), "bin.dat:3:4: error: not UTF-8 text: byte 0xe9; save it as UTF-8"),
        (b"\xef\xbb\xbfab\xff", "bin.dat:1:3: error: not UTF-8 text: byte 0xff; save it as UTF-8"),
        ("We believe".encode("utf-16"), "bin.dat:1:1: error: UTF-16 text, not UTF-8; save it as UTF-8"),
        ("We believe".encode("utf-16-be"), "bin.dat:1:1: error: not text: it holds a NUL byte (a binary file?)"),
    ],
    ids=["nul", "png", "nul-after-bad-byte", "latin-1", "latin-1-after-cr", "bom-then-bad-byte", "utf-16",
         "utf-16-without-bom"],
)
def test_a_file_that_is_not_utf8_text_is_a_usage_error_at_its_first_bad_byte(folder, content, error):
    (folder / "bin.dat").write_bytes(content)
    code, out, err = draft_check("bin.dat", *TEST_RULES, cwd=folder)
    assert (code, out, err) == (2, "", error + "\n")


def test_bad_bytes_on_standard_input(folder):
    code, out, err = draft_check("-", *TEST_RULES, cwd=folder, stdin=b"caf\xe9")
    assert (code, out, err) == (2, "", "<stdin>:1:4: error: not UTF-8 text: byte 0xe9; save it as UTF-8\n")


def test_a_bom_is_left_out_and_columns_on_line_1_count_without_it(folder):
    (folder / "bom.txt").write_bytes("\ufeffIt works, we believe.\nwe think".encode())
    code, out, _ = draft_check("bom.txt", *TEST_RULES, *RESOLVED, cwd=folder)
    assert (code, out.splitlines()) == (1, [
        "bom.txt:1:11: no-hedge: “we believe”: a hedge; say what is so",
        "bom.txt:2:1: no-hedge: “we think”: a hedge; say what is so",
    ])


def test_a_bom_on_standard_input_too(folder):
    code, out, _ = draft_check("-", *TEST_RULES, *RESOLVED, cwd=folder, stdin="\ufeffwe think".encode())
    assert (code, out) == (1, "<stdin>:1:1: no-hedge: “we think”: a hedge; say what is so\n")


@pytest.mark.parametrize("content", [b"", b"\n\n", b" \t\r\n"], ids=["empty", "blank-lines", "spaces"])
def test_an_empty_file_has_nothing_to_say(folder, content):
    (folder / "empty.txt").write_bytes(content)
    assert draft_check("empty.txt", *TEST_RULES, cwd=folder) == (0, "", "")  # not even the notice


@pytest.mark.parametrize("line_end", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_other_line_ends_give_the_same_lines_and_columns(folder, line_end):
    (folder / "ends.txt").write_bytes(DRAFT.replace("\n", line_end).encode())
    code, out, _ = draft_check("ends.txt", *TEST_RULES, *RESOLVED, cwd=folder)
    assert (code, out) == (1, f"ends.txt:2:1: {HEDGE}\nends.txt:2:28: {TIME}\n")


def test_a_huge_file_is_read_only_as_far_as_it_is_checked(folder):
    # 5 MB, and a byte that is not UTF-8 past the part that is checked: it is never read
    (folder / "huge.txt").write_bytes(b"we think. " * 500_000 + b"\xff")
    code, out, err = draft_check("huge.txt", *TEST_RULES, *RESOLVED, cwd=folder)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "huge.txt:1:1: no-hedge: “we think”: a hedge; say what is so"
    assert lines[-1] == (
        "huge.txt:1:100001: draft-too-long: only the first 100,000 characters are checked; check a message at a "
        "time: a draft this long is not one message"
    )
    assert len(lines) == 10_001
    assert err == "10001 findings in 1 file\n"


def test_a_character_cut_at_the_end_of_what_is_read_is_no_error(folder):
    (folder / "wide.txt").write_bytes("€".encode() * 200_000)  # 3 bytes each: the read ends inside one
    code, out, err = draft_check("wide.txt", *TEST_RULES, *RESOLVED, cwd=folder)
    assert (code, err) == (1, "1 finding in 1 file\n")
    assert out.startswith("wide.txt:1:100001: draft-too-long: ")


def test_a_console_that_cannot_show_the_text_gets_escapes_not_a_crash(folder):
    (folder / "d.txt").write_text("Nous pensons que… we believe", encoding="utf-8")
    code, out, _ = draft_check("d.txt", *TEST_RULES, *RESOLVED, cwd=folder, env={"PYTHONIOENCODING": "ascii"})
    assert (code, out) == (1, "d.txt:1:19: no-hedge: \\u201cwe believe\\u201d: a hedge; say what is so\n")


# --- whatever the bytes --------------------------------------------------------------------------------------------


@settings(derandomize=True, database=None, deadline=None, max_examples=300)
@given(st.binary(max_size=64) | st.text(max_size=32).map(lambda t: ("\ufeff" + t).encode("utf-8", "surrogatepass")))
def test_any_bytes_are_text_or_a_located_reason_why_not(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("bytes") / "draft.txt"
    path.write_bytes(content)
    try:
        text = read_draft(path, MAX_CHARS)
    except NotText as error:
        assert str(error).endswith(("save it as UTF-8", "(a binary file?)"))
        assert error.line >= 1 and error.col >= 1
        return
    assert text == content.decode("utf-8").removeprefix("\ufeff")
