"""``python -m macros template ID --incident FILE --format F`` and ``plan --incident FILE``: a template filled from an
incident file is the renderer's bytes; bad input is refused with a located message and exit 2, never a traceback.

Run in this process (``main``), not as a child, to stay fast; one test runs the real command to see the exit code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from macros.cli.main import main
from macros.engine.loader import load_project
from macros.render.fill import values_for
from macros.render.formats import FORMATS
from macros.render.plan import compile_template, render
from tests.conftest import run_cli
from tests.engine.test_incident_file import BAD_FILES
from tests.render.workspace_cases import BY_NAME, HOSTILE, export, incident

PROJECT = load_project()
EVERY_HOURS = PROJECT.organisation.incident.status_page_every_hours
PLAN_ID = next(t.id for t in PROJECT.templates.values() if t.generator)
# one of each kind (rows and a schedule, derived values, singles only, an email): every template is filled for every
# case by tests/render/test_fill.py; here the command is held to it
SAMPLE = [PLAN_ID, "handover-note", "security-incident-note", "customer-email-resolved"]
ONLY_FACTS = """\
templates:
  - id: facts-only
    title: Facts only
    channel: chat
    audience: Everyone
    filename: facts-only.md
    body: |
      ## {{ incident_name }}
      **Products:** {{ products_affected }}, led by {{ incident_lead }}
    placeholders:
      incident_name:
        description: The incident.
        example: INC-1
      products_affected:
        description: The products.
        example: Analytics
        fact: product_names
      incident_lead:
        description: The Incident Lead.
        example: Marco
"""


def run(capsysbinary, *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")


def incident_file(tmp_path: Path, one: dict, name: str = "incident.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(export(one), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def expected(template_id: str, one: dict, fmt: str) -> tuple[str, list[str]]:
    compiled = compile_template(PROJECT.templates[template_id], fmt)
    return render(compiled, values_for(compiled, one, EVERY_HOURS))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", ["full", "hostile", "empty", "year-end"])
def test_template_incident_writes_the_renderers_bytes(tmp_path, capsysbinary, fmt, case):
    path = incident_file(tmp_path, BY_NAME[case])
    for template_id in SAMPLE:
        code, out, err = run(capsysbinary, "template", template_id, "--incident", path, "--format", fmt)
        text, missing = expected(template_id, BY_NAME[case], fmt)
        assert code == 0, err
        assert out == text, (template_id, fmt)
        if missing:
            assert err == f"unfilled ({len(missing)}): {', '.join(missing)}\n", (template_id, fmt)
        else:
            assert err == ""


def test_the_default_format_is_markdown_and_values_are_escaped_only_there(tmp_path, capsysbinary):
    path = incident_file(tmp_path, HOSTILE)
    _, markdown, _ = run(capsysbinary, "template", "security-incident-note", "--incident", path)
    _, text, _ = run(capsysbinary, "template", "security-incident-note", "--incident", path, "--format", "text")
    assert markdown == expected("security-incident-note", HOSTILE, "markdown")[0]
    assert "\\<script\\>" in markdown and "<script>" not in markdown.replace("\\<script\\>", "")
    assert "<script>" in text and "\\<" not in text


def test_the_handover_note_in_slack_and_text(tmp_path, capsysbinary):
    path = incident_file(tmp_path, BY_NAME["full"])
    _, slack, _ = run(capsysbinary, "template", "handover-note", "--incident", path, "--format", "slack")
    _, text, _ = run(capsysbinary, "template", "handover-note", "--incident", path, "--format", "text")
    assert slack.startswith("*Comms handover: INC-517 delayed event ingestion*\n")
    assert text.startswith("Comms handover: INC-517 delayed event ingestion\n")
    for out in (slack, text):
        assert "From Priya to {{ incoming_comms_lead }}" in out
        assert "last update 2026-03-03 16:05 UTC" in out
        assert "Current impact: Analytics: Charts stop at 21:40 UTC; Session replay: Recordings appear late\n" in out
        assert "##" not in out and "**" not in out


def test_output_file_gets_the_bytes_and_stdout_nothing(tmp_path, capsysbinary):
    path = incident_file(tmp_path, BY_NAME["full"])
    target = tmp_path / "out" / "note.txt"
    target.parent.mkdir()
    args = ["template", "handover-note", "--incident", path, "--format", "text", "-o", target]
    code, out, err = run(capsysbinary, *args)
    assert code == 0 and out == ""
    assert target.read_bytes() == expected("handover-note", BY_NAME["full"], "text")[0].encode("utf-8")
    assert err.startswith("unfilled (7): incoming_comms_lead, handover_time")


def test_strict_exits_1_while_anything_is_unfilled(tmp_path, capsysbinary):
    path = incident_file(tmp_path, BY_NAME["full"])
    code, out, err = run(capsysbinary, "template", "handover-note", "--incident", path, "--strict")
    assert code == 1 and out and err.startswith("unfilled (")
    code, _, _ = run(capsysbinary, "template", "handover-note", "--incident", path)
    assert code == 0, "without --strict, unfilled is no failure"


def test_strict_exits_0_when_the_facts_fill_everything(tmp_path, capsysbinary, valid_playbook):
    """An adopter's template whose placeholders are all facts (one through ``fact:``) fills completely."""
    folder = tmp_path / "pb"
    folder.mkdir()
    (folder / "fixture.yaml").write_text(valid_playbook + ONLY_FACTS, encoding="utf-8")
    (folder / "organisation.yaml").write_text("names:\n  team: Team Fixture\n", encoding="utf-8")
    path = incident_file(tmp_path, BY_NAME["full"])
    args = ["template", "facts-only", "--dir", folder, "--org", folder / "organisation.yaml", "--incident", path]
    code, out, err = run(capsysbinary, *args, "--strict", "--format", "slack")
    assert (code, err) == (0, ""), err
    assert out == "*INC-517 delayed event ingestion*\n*Products:* Analytics, Session replay, led by Marco\n"
    code, out, err = run(capsysbinary, *args[:-2], "--strict")
    assert code == 1 and err == "unfilled (3): incident_name, products_affected, incident_lead\n"


def test_without_incident_or_format_the_template_is_printed_as_written():
    done = run_cli("template", "handover-note")  # a child: the walker's printer writes to the sys.stdout it was given
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == PROJECT.templates["handover-note"].body + "\n"


def test_format_without_incident_renders_with_no_facts(capsysbinary):
    code, out, err = run(capsysbinary, "template", "handover-note", "--format", "text")
    assert code == 0
    assert (out, err.rstrip("\n").split(": ", 1)[1].split(", ")) == expected("handover-note", incident(), "text")
    assert "{{ incident_name }}" in out and "## " not in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["template", "no-such-template", "--incident", "x.json"], "no template 'no-such-template'"),
        (["template", "handover-note", "--format", "html"], "invalid choice: 'html'"),
        (["template", "handover-note", "--incident"], "expected one argument"),
        (["template", "handover-note", "--incident", "NOWHERE/none.json"], "NOWHERE/none.json:1:1: "),
        (["template", "handover-note", "--format", "text", "-o", "NOWHERE/out.txt"], "cannot write NOWHERE/out.txt"),
        (["plan", "--incident", "NOWHERE/none.json"], "NOWHERE/none.json:1:1: "),
        (["plan", "-o", "NOWHERE/out.md"], "cannot write NOWHERE/out.md"),
    ],
)
def test_usage_errors_exit_2_with_one_message(tmp_path, capsysbinary, monkeypatch, args, says):
    monkeypatch.chdir(tmp_path)
    args = [str(tmp_path / a) if a.startswith(("NOWHERE", "x.json")) else a for a in args]
    try:
        code, out, err = run(capsysbinary, *args)
    except SystemExit as stop:  # argparse
        code, (out, err) = stop.code, (part.decode("utf-8") for part in capsysbinary.readouterr())
    assert code == 2, err
    assert says.replace("NOWHERE", str(tmp_path / "NOWHERE")) in err, err
    assert "Traceback" not in err and out == ""


@pytest.mark.parametrize("bad", BAD_FILES, ids=[bad.name for bad in BAD_FILES])
def test_every_bad_incident_file_is_refused_at_its_place(tmp_path, capsysbinary, bad):
    path = tmp_path / "incident.json"
    path.write_bytes(bad.content if isinstance(bad.content, bytes) else bad.content.encode("utf-8"))
    for command, args in (("template", ["template", "handover-note"]), ("plan", ["plan"])):
        code, out, err = run(capsysbinary, *args, "--incident", path)
        assert code == 2 and out == ""
        assert err.startswith(f"python -m macros {command}: error: {path}:{bad.line}:{bad.col}: "), err[:300]
        assert bad.says in err and "Traceback" not in err


def test_a_bad_file_exits_2_from_the_real_command(tmp_path):
    path = tmp_path / "incident.json"
    path.write_text('{"format": "incident-comms-playbook/incident", "version": 2}\n', encoding="utf-8")
    done = run_cli("template", "handover-note", "--incident", path)
    assert done.returncode == 2 and done.stdout == ""
    assert f"{path}:1:59: error: made by a newer version of the site" in done.stderr
    assert "Traceback" not in done.stderr


# --------------------------------------------------------------------------------------------- plan --incident


def test_plan_takes_its_answers_from_the_incident(tmp_path, capsysbinary):
    path = incident_file(tmp_path, BY_NAME["full"])
    code, out, err = run(capsysbinary, "plan", "--incident", path)
    text, missing = expected(PLAN_ID, BY_NAME["full"], "markdown")
    assert code == 0 and out == text
    assert err == f"unfilled ({len(missing)}): {', '.join(missing)}\n"
    assert "| Analytics | Charts stop at 21:40 UTC |" in out and "Started: 2026-03-03 09:40 UTC" in out
    assert "- [ ] 2026-03-03 21:05 (update due by 2026-03-03 22:05)\n" in out, "the schedule runs from the last update"


def test_plan_answers_and_flags_win_over_the_incident(tmp_path, capsysbinary):
    path = incident_file(tmp_path, BY_NAME["full"])
    answers = tmp_path / "answers.yaml"
    answers.write_text("severity: Minor\nincident_lead: Sam\n", encoding="utf-8")
    code, out, _ = run(
        capsysbinary, "plan", "--incident", path, "--answers", answers, "--set", "incident_lead=Alex",
        "--row", "products", "product=Flags", "user_visible_impact=None",
    )
    assert code == 0
    assert "## Severity\nMinor\n" in out, "the answers file wins over the incident"
    assert "- Incident Lead: Alex\n" in out, "--set wins over both"
    assert "- Comms Lead: Priya\n" in out, "what nothing else gives comes from the incident"
    assert "| Analytics |" in out and "| Flags | None |" in out, "--row adds to the incident's rows"


def test_plan_with_the_empty_incident_is_the_empty_plan(tmp_path, capsysbinary):
    path = incident_file(tmp_path, incident())
    code, out, _ = run(capsysbinary, "plan", "--incident", path)
    _, empty, _ = run(capsysbinary, "plan")
    assert code == 0 and out == empty
