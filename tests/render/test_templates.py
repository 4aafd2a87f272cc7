"""The comms templates of the real playbooks, checked as the files they become in the comms repo: the issue form
passes GitHub's schema, the Markdown issue templates have the front matter GitHub needs, GitHub offers one
template per kind of plan, every placeholder is declared, used and explained, the customer emails lead with the
impact and promise no further message, and no organisation name is left as ``{org.key}``.

These checks repeat some of the validator's on purpose, with their own code: they are the second opinion.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from macros.engine.loader import PLAYBOOK_DIR, Project, load_project, playbook_files
from macros.engine.models import Template

CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
GITHUB_FORM_SCHEMA = "vendor.github-issue-forms"
# Keys GitHub reads from the front matter of a Markdown issue template.
ISSUE_KEYS_REQUIRED = ("name", "about", "title", "labels")
ISSUE_KEYS_KNOWN = {*ISSUE_KEYS_REQUIRED, "assignees", "projects", "type"}
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
ISSUE_DIR = ".github/ISSUE_TEMPLATE/"
# A placeholder as the site and the README describe it: a lower-case name, one space inside each pair of braces.
PLACEHOLDER = re.compile(r"\{\{ ([a-z][a-z0-9_]*) \}\}")
ORG_LEFT = re.compile(r"\{\s*org\.")


@pytest.fixture(scope="module")
def project() -> Project:
    loaded = load_project()
    assert loaded.ok, "the real playbooks are invalid:\n" + "\n".join(map(str, loaded.diagnostics))
    return loaded


def of_channel(project: Project, channel: str) -> list[Template]:
    found = [t for t in project.templates.values() if t.channel == channel]
    assert found, f"no template with channel '{channel}': nothing to check"
    return found


def as_file(template: Template) -> str:
    """The text of the file in the comms repo (what the site and the bundle offer)."""
    return template.body + "\n"


def text_fields(template: Template) -> Iterator[tuple[str, str]]:
    """Every piece of text of a template that someone reads, with where it is."""
    yield "title", template.title
    yield "audience", template.audience
    if template.summary:
        yield "summary", template.summary
    yield "body", template.body
    for name, placeholder in template.placeholders.items():
        yield f"placeholders.{name}.description", placeholder.description
        yield f"placeholders.{name}.example", placeholder.example


# ------------------------------------------------------------------------------------- GitHub issue form


@pytest.fixture(scope="module")
def check_form(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], subprocess.CompletedProcess[str]]:
    """``check_form(name, text)``: run check-jsonschema with GitHub's issue form schema on ``text``."""
    assert CHECK_JSONSCHEMA.is_file(), f"check-jsonschema is not installed next to {sys.executable}"
    folder = tmp_path_factory.mktemp("forms")

    def check(name: str, text: str) -> subprocess.CompletedProcess[str]:
        path = folder / f"{name}.yml"
        path.write_text(text, encoding="utf-8")
        return subprocess.run(
            [str(CHECK_JSONSCHEMA), "--builtin-schema", GITHUB_FORM_SCHEMA, str(path)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120, check=False,
        )

    return check


def test_issue_forms_pass_githubs_schema(project: Project, check_form) -> None:
    failures = []
    for template in of_channel(project, "issue-form"):
        assert template.filename.startswith(".github/ISSUE_TEMPLATE/"), template.filename
        assert template.filename.endswith((".yml", ".yaml")), f"GitHub reads issue forms only from .yml: {template}"
        result = check_form(template.id, as_file(template))
        if result.returncode != 0:
            failures.append(f"{template.id} ({template.filename}):\n{result.stdout}")
    assert not failures, "\n".join(failures)


def _first(body: list[dict], field_type: str) -> dict:
    found = [field for field in body if field.get("type") == field_type]
    assert found, f"the issue form has no {field_type} field to break"
    return found[0]


def _no_dropdown_options(form: dict) -> None:
    del _first(form["body"], "dropdown")["attributes"]["options"]


def _checkbox_without_label(form: dict) -> None:
    _first(form["body"], "checkboxes")["attributes"]["options"][0] = {"required": True}


def _unknown_field_type(form: dict) -> None:
    _first(form["body"], "input")["type"] = "select"


def _no_body(form: dict) -> None:
    del form["body"]


@pytest.mark.parametrize(
    "breaks", [_no_dropdown_options, _checkbox_without_label, _unknown_field_type, _no_body], ids=lambda f: f.__name__
)
def test_the_form_check_rejects_a_broken_form(project: Project, check_form, breaks) -> None:
    """Negative control: the real form with one mistake GitHub would refuse must fail the same check."""
    template = of_channel(project, "issue-form")[0]
    form = yaml.safe_load(template.body)
    breaks(form)
    result = check_form(f"broken-{breaks.__name__}", yaml.safe_dump(form, sort_keys=False, allow_unicode=True))
    assert result.returncode != 0, f"check-jsonschema accepted a broken form:\n{result.stdout}"
    assert "Schema validation errors" in result.stdout, result.stdout


# ------------------------------------------------------------------------------ Markdown issue templates


def _nonempty_string(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def test_markdown_issue_templates_have_githubs_front_matter(project: Project) -> None:
    """Wherever a Markdown issue template sits in the bundle, moved into .github/ISSUE_TEMPLATE/ it must work."""
    problems = []
    for template in of_channel(project, "issue"):
        where = f"{template.id} ({template.filename})"
        text = as_file(template)
        if not template.filename.endswith(".md"):
            problems.append(f"{where}: GitHub reads Markdown issue templates only from .md files")
        if not text.startswith("---\n"):
            problems.append(f"{where}: the file does not start with a '---' line")
            continue
        match = FRONT_MATTER.match(text)
        if match is None:
            problems.append(f"{where}: the front matter has no closing '---' line")
            continue
        meta = yaml.safe_load(match.group(1))
        if not isinstance(meta, dict):
            problems.append(f"{where}: the front matter is not a mapping: {meta!r}")
            continue
        problems += [f"{where}: unknown front matter key '{key}'" for key in sorted(set(meta) - ISSUE_KEYS_KNOWN)]
        for key in ("name", "about", "title"):
            if not _nonempty_string(meta.get(key)):
                problems.append(f"{where}: '{key}' must be a non-empty string, got {meta.get(key)!r}")
        labels = meta.get("labels")
        parts = labels.split(",") if isinstance(labels, str) else labels
        if not isinstance(parts, list) or not parts or not all(_nonempty_string(p) for p in parts):
            problems.append(f"{where}: 'labels' must be a list of names or a comma-separated string, got {labels!r}")
        if not text[match.end() :].strip():
            problems.append(f"{where}: nothing after the front matter")
    assert not problems, "\n".join(problems)


def offered_by_github(templates: list[Template]) -> dict[str, list[str]]:
    """Kind of plan (the name GitHub shows, without a bracketed note such as "(Markdown)") → the files under
    .github/ISSUE_TEMPLATE/ that offer it on New issue."""
    kinds: dict[str, list[str]] = {}
    for template in templates:
        if not template.filename.startswith(ISSUE_DIR) or template.channel not in ("issue", "issue-form"):
            continue
        text = template.body
        if template.channel == "issue":
            match = FRONT_MATTER.match(as_file(template))
            assert match, f"{template.id}: no front matter"
            text = match.group(1)
        name = str(yaml.safe_load(text).get("name", ""))
        kind = " ".join(re.sub(r"\(.*?\)", " ", name).lower().split())
        kinds.setdefault(kind, []).append(template.filename)
    return kinds


def test_github_offers_one_template_per_kind_of_plan(project: Project) -> None:
    kinds = offered_by_github(list(project.templates.values()))
    assert kinds, f"no issue template or form under {ISSUE_DIR}"
    twice = {kind: files for kind, files in kinds.items() if len(files) > 1}
    assert not twice, f"GitHub would offer these kinds of plan more than once under New issue: {twice}"
    assert kinds.get("comms plan") == [of_channel(project, "issue-form")[0].filename], (
        f"the comms plan GitHub offers by default should be the issue form: {kinds}"
    )


def test_the_one_per_kind_check_finds_a_second_plan(project: Project) -> None:
    """Negative control: the Markdown plan back in .github/ISSUE_TEMPLATE/ beside the form is two Comms plan choices."""
    markdown = of_channel(project, "issue")[0]
    moved = markdown.model_copy(update={"filename": f"{ISSUE_DIR}comms-plan.md"})
    templates = [moved if t.id == markdown.id else t for t in project.templates.values()]
    form = of_channel(project, "issue-form")[0].filename
    assert sorted(offered_by_github(templates)["comms plan"]) == sorted([f"{ISSUE_DIR}comms-plan.md", form])


# ------------------------------------------------------------------------------------------ customer emails

GREETING = re.compile(r"^(hi|hello|dear)\b.*,$", re.IGNORECASE)
NOT_IMPACT_FIRST = re.compile(
    r"^(you are receiving|you're receiving|you are getting|this email|we are writing|we're writing)", re.IGNORECASE
)
PROMISES_MORE = re.compile(
    r"\b(we will|we'll|we shall|we are going to)\s+(write|e-?mail|send|contact|follow up|be in touch|let you know|"
    r"get back|notify|keep you|update you)"
    r"|\b(another|a further|a follow-up|a second) (e-?mail|message|update)"
    r"|\bwrite (to you )?again\b|\bhear from us again\b",
    re.IGNORECASE,
)
# Status-speak: the words of a status page's state machine, which say nothing about what the reader sees.
STATUS_SPEAK = re.compile(
    r"\b(degraded|investigating|identified|monitoring|operational|partial outage|major outage|elevated error)",
    re.IGNORECASE,
)


def first_sentence(body: str) -> str:
    """The first sentence of an email body: after the subject line and the greeting."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    lines = [line for line in lines if not line.lower().startswith("subject:")]
    if lines and GREETING.match(lines[0]):
        lines = lines[1:]
    assert lines, "the email has nothing after the greeting"
    return re.split(r"(?<=[.!?])\s", lines[0], maxsplit=1)[0]


def email_problems(template: Template, status_page_url: str) -> list[str]:
    problems = []
    opening = first_sentence(template.body)
    where = f"{template.id}: first sentence {opening!r}"
    if NOT_IMPACT_FIRST.match(opening):
        problems.append(f"{where} is about the email, not the impact on the reader")
    if "{{ product_name }}" not in opening:
        problems.append(f"{where} does not name the affected product")
    if not re.search(r"\{\{ [a-z_]*impact[a-z_]* \}\}", opening):
        problems.append(f"{where} does not state the impact")
    texts = [("body", template.body)] + [(f"example of {n}", p.example) for n, p in template.placeholders.items()]
    for field, text in texts:
        for match in PROMISES_MORE.finditer(text):
            problems.append(f"{template.id}: the {field} promises another message: {match.group(0)!r}")
    for match in STATUS_SPEAK.finditer(template.body):
        problems.append(f"{template.id}: status-speak in the body: {match.group(0)!r}")
    if re.search(re.escape(status_page_url.rstrip("/")) + r"/?(\s|$)", template.body):
        problems.append(f"{template.id}: links the status page's front page, not the incident's own entry")
    if "status_page_incident_link" not in template.body and "postmortem_link" not in template.body:
        problems.append(f"{template.id}: names neither the incident's status page entry nor the post-mortem")
    return problems


def test_customer_emails_lead_with_the_impact_and_promise_no_more_mail(project: Project) -> None:
    assert project.organisation is not None
    url = project.organisation.values["status_page_url"]
    problems = [p for template in of_channel(project, "email") for p in email_problems(template, url)]
    assert not problems, "\n".join(problems)


def test_the_email_check_finds_the_old_mistakes(project: Project) -> None:
    """Negative control: an email opening with who it is for, promising a second email and linking the front page."""
    assert project.organisation is not None
    url = project.organisation.values["status_page_url"]
    template = of_channel(project, "email")[0]
    body = (
        "Subject: {{ product_name }}: {{ short_impact }}\n\nHi,\n\n"
        "You are receiving this because you are an owner or admin of {{ organisation_name }}.\n\n"
        f"The status page has updates: {url}\n\nWe will write again when this is resolved.\n"
    )
    problems = "\n".join(email_problems(template.model_copy(update={"body": body}), url))
    expected_problems = (
        "not the impact",
        "does not name the affected product",
        "does not state the impact",
        "promises another message",
        "front page",
        "names neither",
    )
    for expected in expected_problems:
        assert expected in problems, problems


# --------------------------------------------------------------------------------------------- placeholders


def placeholder_problems(template: Template) -> list[str]:
    """What is wrong with the placeholders of one template, with this file's own reading of the body."""
    problems = []
    used = set(PLACEHOLDER.findall(template.body))
    declared = set(template.placeholders)
    for name in sorted(used - declared):
        problems.append(f"{template.id}: '{{{{ {name} }}}}' is used but not declared")
    for name in sorted(declared - used):
        problems.append(f"{template.id}: '{name}' is declared but not used in the body")
    # every pair of braces must be a well-formed placeholder, or a reader cannot tell what to replace
    well_formed = len(PLACEHOLDER.findall(template.body))
    for braces in ("{{", "}}"):
        if template.body.count(braces) != well_formed:
            problems.append(
                f"{template.id}: {template.body.count(braces)} '{braces}' but {well_formed} placeholders "
                "written '{{ name }}'"
            )
    for name, placeholder in template.placeholders.items():
        if not placeholder.description.strip():
            problems.append(f"{template.id}: placeholder '{name}' has no description")
        if not placeholder.example.strip():
            problems.append(f"{template.id}: placeholder '{name}' has no example")
        if "{{" in placeholder.example or "}}" in placeholder.example:
            problems.append(f"{template.id}: the example of '{name}' holds braces, so it reads as a placeholder")
    return problems


def test_every_placeholder_is_declared_used_and_explained(project: Project) -> None:
    used = sum(len(PLACEHOLDER.findall(t.body)) for t in project.templates.values())
    assert used, "no template uses a placeholder: nothing was checked"
    problems = [problem for template in project.templates.values() for problem in placeholder_problems(template)]
    assert not problems, "\n".join(problems)


def test_the_placeholder_check_finds_mistakes(project: Project) -> None:
    """Negative control for the check above, on copies of a real template with one mistake each."""
    template = next(t for t in project.templates.values() if t.placeholders)
    assert placeholder_problems(template) == []
    name, placeholder = next(iter(template.placeholders.items()))
    used = f"{{{{ {name} }}}}"
    mistakes = {
        "undeclared": {"body": template.body + "\n{{ not_declared }}"},
        "unused": {"body": template.body.replace(used, "text")},
        "malformed": {"body": template.body + "\n{{Not A Name}}"},
        "squashed": {"body": template.body.replace(used, f"{{{{{name}}}}}")},
        "no description": {
            "placeholders": {**template.placeholders, name: placeholder.model_copy(update={"description": " "})}
        },
        "no example": {"placeholders": {**template.placeholders, name: placeholder.model_copy(update={"example": ""})}},
    }
    missed = [
        label for label, change in mistakes.items() if not placeholder_problems(template.model_copy(update=change))
    ]
    assert not missed, f"the placeholder check missed: {missed}"


# ----------------------------------------------------------------------------------- organisation names


def _raw_templates() -> Iterator[tuple[Path, dict]]:
    for path in playbook_files([PLAYBOOK_DIR]):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for template in (data or {}).get("templates") or []:
            yield path, template


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_no_organisation_name_is_left_unexpanded(project: Project) -> None:
    # not vacuous: the playbook files do write organisation names in templates as {org.key}
    written = sum(len(ORG_LEFT.findall(text)) for _, raw in _raw_templates() for text in _strings(raw))
    assert written, "no template in playbooks/ uses {org.key}: the check below proves nothing"
    left = [
        f"{template.id} ({template.filename}) {where}: {line.strip()}"
        for template in project.templates.values()
        for where, text in text_fields(template)
        for line in text.splitlines()
        if ORG_LEFT.search(line)
    ]
    assert not left, "{org.key} left in templates:\n" + "\n".join(left)


def test_markdown_and_issue_files_expand_organisation_names(project: Project) -> None:
    """The files people download: Markdown templates and the issue form, as the site and the bundle write them."""
    files = [t for t in project.templates.values() if t.filename.endswith((".md", ".yml", ".yaml"))]
    assert any(t.channel in ("issue", "issue-form") for t in files), "no issue template or form to check"
    left = [t.filename for t in files if "{org." in as_file(t)]
    assert not left, f"files with an unexpanded {{org.key}}: {left}"
