"""The plan generator's Python side: schedule, escaping, unfilled placeholders, the CLI."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from pathlib import Path

import pytest

from macros.engine.loader import load_project
from macros.render.plan import compile_template, render, schedule_times
from tests.render.plan_cases import CASES, FULL

ROOT = Path(__file__).resolve().parents[2]
PROJECT = load_project()
TEMPLATE = next(t for t in PROJECT.templates.values() if t.generator)
COMPILED = compile_template(TEMPLATE)


def run_plan(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "macros", "plan", *args], cwd=cwd, capture_output=True, check=False)


def quote(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly ``text`` (control and break characters escaped)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or 0x7F <= code < 0xA0 or ch in "\u2028\u2029\ufeff":
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def answers_yaml(answers: dict) -> str:
    """Answers as YAML, every string double-quoted."""
    lines = []
    for key, value in answers.items():
        if isinstance(value, str):
            lines.append(f"{key}: {quote(value)}")
        else:
            lines.append(f"{key}:")
            for row in value:
                if not row:
                    lines.append("  - {}")
                    continue
                for i, (field, text) in enumerate(row.items()):
                    lines.append(f"  {'- ' if i == 0 else '  '}{field}: {quote(text)}")
    return "\n".join(lines) + "\n"


def test_checks_come_an_hour_before_each_update_is_due_from_the_last_one():
    assert schedule_times("2026-03-03 21:40", 6, 60, 4) == [
        "2026-03-04 02:40 (update due by 2026-03-04 03:40)",
        "2026-03-04 08:40 (update due by 2026-03-04 09:40)",
        "2026-03-04 14:40 (update due by 2026-03-04 15:40)",
        "2026-03-04 20:40 (update due by 2026-03-04 21:40)",
    ]
    assert schedule_times("2026-12-31 20:15", 6, 30, 1) == ["2027-01-01 01:45 (update due by 2027-01-01 02:15)"]
    assert schedule_times("2028-02-28 22:00", 6, 0, 1) == ["2028-02-29 04:00 (update due by 2028-02-29 04:00)"]


def test_no_check_is_ever_later_than_six_hours_after_the_last_update():
    """The guideline's cadence: whatever the last update, the first check falls before it is six hours old."""
    for minute in range(0, 24 * 60, 7):
        last = f"2026-03-03 {minute // 60:02d}:{minute % 60:02d}"
        check, due = schedule_times(last, 6, 60, 1)[0].removesuffix(")").split(" (update due by ")
        start = datetime.datetime.fromisoformat(last)
        assert datetime.datetime.fromisoformat(due) - start == datetime.timedelta(hours=6)
        assert datetime.timedelta(0) < datetime.datetime.fromisoformat(check) - start < datetime.timedelta(hours=6)


@pytest.mark.parametrize("last", ["", "soon", "2026-02-30 10:00", "2026-03-03 24:00", "9999-12-31 20:00"])
def test_no_schedule_without_a_valid_last_update(last):
    assert schedule_times(last, 6, 60, 8) == []


def test_the_plan_uses_the_six_hour_cadence_from_the_playbook():
    schedule = TEMPLATE.generator.schedule
    assert schedule.every_hours == 6 and schedule.check_before_minutes == 60
    text, _ = render(COMPILED, {"status_page_updated_utc": "2026-03-03 21:40"})
    assert "- [ ] 2026-03-04 02:40 (update due by 2026-03-04 03:40)\n" in text
    assert text.count("- [ ] 202") == schedule.count
    assert "(2026-03-03 21:40 UTC)" in text  # the last update itself is in the plan
    started, _ = render(COMPILED, {"start_utc": "2026-03-03 21:40"})
    assert "- [ ] {{ status_check_time }}" in started, "the incident's start is not the status page's last update"


def test_full_answers_fill_everything():
    text, missing = render(COMPILED, FULL)
    assert missing == []
    assert "{{" not in text
    assert "| Analytics | Charts stop at 21:40 UTC | Not affected | Results pause | Exports run late |" in text
    assert "| Session replay |" in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert not text.startswith("---"), "the issue template's front matter is not part of a plan"


def test_unfilled_placeholders_are_kept_and_listed_in_order():
    text, missing = render(COMPILED, {"severity": "Major"})
    assert missing[0] == "incident_name"
    assert "severity" not in missing
    assert "status_page_updated_utc" in missing and "status_check_time" in missing
    for name in missing:
        assert "{{ " + name + " }}" in text


def test_values_are_inert_text():
    text, _ = render(COMPILED, CASES["hostile"])
    assert all(text[i - 1] == "\\" for i, ch in enumerate(text) if ch in "<>"), "a < or > without a backslash"
    assert "\\<script\\>" in text
    assert "\\[click\\](javascript:alert(1))" in text
    assert "a\\|b" in text
    assert "\n# heading" not in text, "a value cannot start a new Markdown line"


def test_cli_output_equals_the_renderer_for_every_case(tmp_path):
    for name, answers in CASES.items():
        file = tmp_path / f"{name}.yaml"
        file.write_text(answers_yaml(answers), encoding="utf-8")
        result = run_plan("--answers", str(file))
        assert result.returncode == 0, (name, result.stderr.decode())
        expected, missing = render(COMPILED, answers)
        assert result.stdout == expected.encode("utf-8"), name
        if missing:
            assert f"unfilled ({len(missing)}): {', '.join(missing)}" in result.stderr.decode()


def test_cli_flags_rows_output_file_and_strict(tmp_path):
    out = tmp_path / "plan.md"
    result = run_plan(
        "--set", "incident_name=INC-1", "--set", "status_page_updated_utc=2026-03-03 21:40",
        "--row", "products", "product=Analytics", "data_lost_or_delayed=Delayed",
        "--output", str(out), "--strict",
    )
    assert result.returncode == 1, "unfilled placeholders with --strict exit 1"
    text = out.read_text(encoding="utf-8")
    assert text == render(COMPILED, {"incident_name": "INC-1", "status_page_updated_utc": "2026-03-03 21:40",
                                     "products": [{"product": "Analytics", "data_lost_or_delayed": "Delayed"}]})[0]
    full = tmp_path / "full.yaml"
    full.write_text(answers_yaml(FULL), encoding="utf-8")
    assert run_plan("--answers", str(full), "--strict").returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "nope=1"], "--set nope: not a single-value placeholder"),
        (["--set", "novalue"], "is not NAME=TEXT"),
        (["--row", "nope", "a=b"], "--row nope: no such row group"),
        (["--row", "products", "bogus=1"], "unknown field(s) bogus"),
        (["--template", "handover-note"], "no fillable template 'handover-note'"),
    ],
)
def test_cli_usage_errors(args, message):
    result = run_plan(*args)
    assert result.returncode == 2
    assert message in result.stderr.decode()
    assert b"Traceback" not in result.stderr


def test_cli_answers_file_errors_are_located(tmp_path):
    bad = tmp_path / "answers.yaml"
    bad.write_text("incident_name: ok\nbogus: 1\n", encoding="utf-8")
    result = run_plan("--answers", str(bad))
    assert result.returncode == 2
    assert f"{bad}:2:1: unknown answer 'bogus'" in result.stderr.decode()
    bad.write_text("incident_name: [1\n", encoding="utf-8")
    result = run_plan("--answers", str(bad))
    assert result.returncode == 2
    assert "yaml-syntax" in result.stderr.decode()
    assert b"Traceback" not in result.stderr


def test_the_browser_reads_times_with_the_same_pattern() -> None:
    """fill.js keeps a copy of the time pattern (a browser cannot import Python): it must be this one, whole."""
    from macros.render import plan

    script = (ROOT / "docs" / "assets" / "icp" / "fill.js").read_text(encoding="utf-8")
    found = re.search(r"const TIME = /\^(.*)\$/;", script)
    assert found, "fill.js no longer defines TIME as a /^…$/ literal"
    assert found.group(1) == plan._TIME.pattern
