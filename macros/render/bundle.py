"""All comms templates as one zip, laid out for the comms repo, byte for byte the same on every build.

Each template sits at its ``filename`` (so ``.github/ISSUE_TEMPLATE/`` lands where GitHub looks for it), with
a ``README.md`` at the root that says what each file is and how its placeholders work. There is no top-level
folder: the zip unpacks straight into the repository root.

Reproducible: entries sorted by path, one fixed timestamp, fixed permissions and creator system, one
compression method and level, no extra fields and no comment. Nothing depends on the clock, the file system,
the user or the platform. (Deflate output depends on the zlib implementation: the same zlib gives the same
bytes; a different one, e.g. zlib-ng, may compress differently while the unpacked files stay identical.)
"""

from __future__ import annotations

import io
import posixpath
import re
import stat
import zipfile

from ..engine.loader import Project
from ..engine.models import Template
from ..engine.yaml_reader import YamlProblem, parse
from .templates import CHANNEL_NAMES

README = "README.md"
DATE_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold
PERMISSIONS = (stat.S_IFREG | 0o644) << 16  # regular file, rw-r--r--, in the upper 16 bits (as `git archive`)
CREATE_SYSTEM = 3  # Unix, so the permissions above are honoured
COMPRESSION = zipfile.ZIP_DEFLATED
COMPRESS_LEVEL = 9

ISSUE_DIR = ".github/ISSUE_TEMPLATE"
FOLDER_NOTES = {
    ISSUE_DIR: (
        "GitHub looks here: every file in this folder is offered on the repository's **Issues → New issue** "
        "page, so the comms plan can be opened from it in one click."
    ),
    "templates": "Texts to copy into an email, a chat message or a document, filling in the placeholders.",
    "examples": "Filled-in examples, to show the level of detail that helps. Not for sending.",
}


def template_file(template: Template) -> bytes:
    """A template as it is stored in the comms repo (and offered alone on the site)."""
    return (template.body + "\n").encode("utf-8")


def bundle_files(project: Project) -> dict[str, bytes]:
    """Path in the zip → content: every template at its ``filename``, and the README."""
    files: dict[str, bytes] = {}
    for template in project.templates.values():
        if template.filename in files or template.filename == README:
            raise ValueError(f"template '{template.id}': '{template.filename}' is taken by another file of the bundle")
        files[template.filename] = template_file(template)
    files[README] = readme(project).encode("utf-8")
    return files


def bundle_bytes(project: Project) -> bytes:
    """The zip of :func:`bundle_files`, reproducible to the byte."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=COMPRESSION, compresslevel=COMPRESS_LEVEL) as archive:
        for path, content in sorted(bundle_files(project).items()):
            info = zipfile.ZipInfo(path, date_time=DATE_TIME)
            info.create_system = CREATE_SYSTEM
            info.external_attr = PERMISSIONS
            info.extra = b""
            info.comment = b""
            archive.writestr(info, content, compress_type=COMPRESSION, compresslevel=COMPRESS_LEVEL)
        archive.comment = b""
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------- README


def _labels(template: Template) -> list[str]:
    """Labels an issue template or form puts on new issues (GitHub drops labels the repo does not have).

    Read with the project's own YAML reader (no aliases, tags or surprises), and only text is taken."""
    text = template.body
    if template.channel == "issue":
        text = text.removeprefix("---\n").partition("\n---")[0]
    elif template.channel != "issue-form":
        return []
    try:
        data = parse(text).data
    except YamlProblem:
        return []
    labels = data.get("labels")
    if isinstance(labels, str):
        labels = labels.split(",")
    if not isinstance(labels, list):
        return []
    return [label.strip() for label in labels if isinstance(label, str) and label.strip()]


_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>&|])")


def _md(text: str) -> str:
    """Playbook text as inert Markdown: every character that could start markup (emphasis, code, links,
    HTML, entities, table cells) gets a backslash, so it shows as typed; one line."""
    return _INLINE_MARKUP.sub(r"\\\1", " ".join(text.split()))


def _template_section(template: Template) -> list[str]:
    lines = [
        f"#### `{template.filename}` - {_md(template.title)}",
        "",
        f"- Kind: {CHANNEL_NAMES[template.channel]}",
        f"- For: {_md(template.audience)}",
    ]
    if template.summary:
        lines.append(f"- What it is: {_md(template.summary)}")
    lines.append("")
    if template.placeholders:
        lines += ["Placeholders:", ""]
        lines += [
            f"- `{{{{ {name} }}}}` - {_md(placeholder.description)} Example: {_md(placeholder.example)}"
            for name, placeholder in template.placeholders.items()
        ]
    elif template.channel == "issue-form":
        lines.append("No placeholders: GitHub shows the form, and whoever opens the issue fills in its fields.")
    else:
        lines.append("No placeholders: use it as it is.")
    lines.append("")
    return lines


def readme(project: Project) -> str:
    """The README at the root of the bundle: how to unpack it, how placeholders work, and what each file is."""
    templates = sorted(project.templates.values(), key=lambda t: t.filename)
    labels = sorted({label for t in templates for label in _labels(t)})
    lines = [
        "# Incident comms templates",
        "",
        "The comms templates of the Incident Comms Playbook, laid out for your comms repository. They are",
        "generated from the playbooks: to change one for everybody, change the playbook, then unpack a fresh copy.",
        "",
        "## Unpacking",
        "",
        "The files sit at their place in the repository, with no folder around them: unpack the zip in the root",
        "of the comms repo.",
        "",
        "```sh",
        "cd path/to/comms-repo",
        "unzip -o ~/Downloads/comms-templates.zip -x README.md  # -o: replace older copies; -x: keep the repo's README",
        "```",
        "",
        "Or unpack it anywhere and copy its folders into the repository, `.github` included.",
        f"`{ISSUE_DIR}/` is a hidden folder on macOS and Linux (its name starts with a dot); in Finder, press",
        "Cmd+Shift+. to see it. Commit and push it to the default branch: GitHub then offers the issue",
        "templates on **Issues → New issue**.",
    ]
    if labels:
        names = [f"**{_md(label)}**" for label in labels]
        shown = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        lines += ["", f"Create the labels {shown} in the repository first: GitHub leaves out labels that do not exist."]
    lines += [
        "",
        "## Placeholders",
        "",
        "A placeholder is a name between double braces, such as `{{ incident_name }}`. Nothing fills it in for",
        "you: replace each one, braces included, with the real text before you send or post anything. Every",
        "placeholder is listed below with what to put in it and an example. Before sending, search the text for",
        "`{{` to make sure none is left.",
        "",
        "## The files",
        "",
    ]
    for folder in sorted({posixpath.dirname(t.filename) for t in templates}):
        lines += [f"### `{folder}/`" if folder else "### The root of the repository", ""]
        if folder in FOLDER_NOTES:
            lines += [FOLDER_NOTES[folder], ""]
        for template in templates:
            if posixpath.dirname(template.filename) == folder:
                lines += _template_section(template)
    return "\n".join(lines).rstrip("\n") + "\n"
