"""The comms-repo bundle (``downloads/comms-templates.zip``): exactly the templates at their place in the repo plus
a README, the same bytes from every build, and linked from the templates page."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin

import pytest

from macros.engine.loader import Project, load_project
from macros.render import links
from macros.render.bundle import DATE_TIME, README, bundle_bytes, bundle_files

ROOT = Path(__file__).resolve().parents[2]
ISSUE_FORM = ".github/ISSUE_TEMPLATE/comms-plan.yml"
PLAN_TEMPLATE = "templates/comms-plan.md"  # the Markdown plan, beside the form rather than a second choice
DEFLATE_LEVEL_FLAGS = 0b110  # bits 1-2 of the general purpose flags: deflate level hint (unused, must be 0)


@pytest.fixture(scope="module")
def project() -> Project:
    loaded = load_project()
    assert loaded.ok, "the real playbooks are invalid:\n" + "\n".join(map(str, loaded.diagnostics))
    return loaded


@pytest.fixture(scope="module")
def built_zip(built_site: Path) -> bytes:
    path = built_site / links.BUNDLE
    assert path.is_file(), f"the build wrote no {links.BUNDLE}"
    return path.read_bytes()


def expected_files(project: Project) -> dict[str, bytes]:
    return {t.filename: (t.body + "\n").encode("utf-8") for t in project.templates.values()}


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None, "a member of the zip is corrupt"
        return {info.filename: archive.read(info) for info in archive.infolist()}


# --------------------------------------------------------------------------------------------- contents


def test_the_zip_holds_exactly_the_templates_and_a_readme(built_zip: bytes, project: Project) -> None:
    found = read_zip(built_zip)
    expected = expected_files(project)
    assert set(found) == {*expected, README}, (
        f"missing: {sorted(set(expected) | {README} - set(found))}, "
        f"extra: {sorted(set(found) - set(expected) - {README})}"
    )
    differ = [name for name, content in expected.items() if found[name] != content]
    assert not differ, f"files in the zip that differ from the template body + newline: {differ}"


def test_the_readme_explains_every_file_and_placeholder(built_zip: bytes, project: Project) -> None:
    readme = read_zip(built_zip)[README].decode("utf-8")
    missing = []
    for template in project.templates.values():
        texts = [template.filename, template.title, template.audience, template.summary or ""]
        for name, placeholder in template.placeholders.items():
            texts += [f"{{{{ {name} }}}}", placeholder.description, placeholder.example]
        # the README backslash-escapes what Markdown would act on: compare with the text as it reads rendered
        shown = re.sub(r"\\(.)", r"\1", readme)
        missing += [f"{template.id}: {text!r}" for text in texts if " ".join(text.split()) not in shown]
    assert not missing, "not in the README of the zip:\n" + "\n".join(missing)
    for needed in ("unzip", ".github/ISSUE_TEMPLATE/", "New issue", "{{"):
        assert needed in readme, f"the README does not mention {needed!r}"


def test_unpacking_gives_the_issue_templates_at_their_place(built_zip: bytes, project: Project, tmp_path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(built_zip)) as archive:
        archive.extractall(tmp_path)
    for name in (ISSUE_FORM, PLAN_TEMPLATE):
        assert (tmp_path / name).is_file(), f"unpacking the zip gives no {name}"
    offered = sorted(p.name for p in (tmp_path / ".github" / "ISSUE_TEMPLATE").iterdir())
    assert offered == ["comms-plan.yml"], f"GitHub would offer these under New issue: {offered}"
    unpacked = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert unpacked == sorted({*expected_files(project), README})
    for name, content in expected_files(project).items():
        assert (tmp_path / name).read_bytes() == content, name


def test_the_bundle_matches_what_the_site_offers_one_by_one(built_site: Path, built_zip: bytes) -> None:
    found = read_zip(built_zip)
    differ = [
        name for name in found if name != README and (built_site / "downloads" / name).read_bytes() != found[name]
    ]
    assert not differ, f"the zip and the single downloads differ: {differ}"


def test_no_organisation_name_is_left_unexpanded_in_the_zip(built_zip: bytes) -> None:
    left = [name for name, content in read_zip(built_zip).items() if b"{org." in content]
    assert not left, f"files of the zip with an unexpanded {{org.key}}: {left}"


# --------------------------------------------------------------------------------------------- reproducible


def test_every_entry_has_the_fixed_metadata(built_zip: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(built_zip)) as archive:
        infos = archive.infolist()
        assert archive.comment == b""
    names = [info.filename for info in infos]
    assert names == sorted(names), f"entries not sorted: {names}"
    assert len(set(names)) == len(names), "duplicate entries"
    problems = []
    for info in infos:
        expected = {
            "date_time": DATE_TIME,
            "compress_type": zipfile.ZIP_DEFLATED,
            "create_system": 3,
            "external_attr": (stat.S_IFREG | 0o644) << 16,
            "extra": b"",
            "comment": b"",
            "is_dir": False,
            "data descriptor / level flags": 0,
        }
        actual = {
            "date_time": info.date_time,
            "compress_type": info.compress_type,
            "create_system": info.create_system,
            "external_attr": info.external_attr,
            "extra": info.extra,
            "comment": info.comment,
            "is_dir": info.is_dir(),
            "data descriptor / level flags": info.flag_bits & (0x08 | DEFLATE_LEVEL_FLAGS),
        }
        problems += [
            f"{info.filename}: {key} is {actual[key]!r}, not {value!r}"
            for key, value in expected.items()
            if actual[key] != value
        ]
    assert not problems, "\n".join(problems)
    # the local headers carry no extra fields either (zipfile only shows those of the central directory)
    for info in infos:
        header = built_zip[info.header_offset : info.header_offset + 30]
        assert header[:4] == b"PK\x03\x04", info.filename
        assert int.from_bytes(header[28:30], "little") == 0, f"{info.filename}: extra field in the local header"


def test_bundle_bytes_is_the_same_every_call_and_in_any_order(project: Project) -> None:
    first = bundle_bytes(project)
    assert bundle_bytes(project) == first
    reordered = SimpleNamespace(templates=dict(reversed(list(project.templates.items()))))
    assert bundle_bytes(reordered) == first, "the zip depends on the order of the templates"


def test_the_built_zip_is_what_bundle_bytes_returns(built_zip: bytes, project: Project) -> None:
    """The hook serves the bytes unchanged (no text re-encoding on the way to the site folder)."""
    assert built_zip == bundle_bytes(project)


def test_two_strict_builds_give_byte_identical_zips(built_site: Path, built_zip: bytes, tmp_path: Path) -> None:
    """A second full build, into another folder, for another address, in another time zone and locale, with
    another hash seed and umask: the zip is the same to the byte."""
    site_dir = tmp_path / "second-site"
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "SITE_URL": "http://localhost:8765/other/",
        "TZ": "Pacific/Kiritimati",
        "LC_ALL": "C",
        "PYTHONHASHSEED": "12345",
    }
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=180, check=False,
        umask=0o077,
    )
    assert result.returncode == 0, f"second mkdocs build --strict failed:\n{result.stdout}"
    warnings = [line for line in result.stdout.splitlines() if line.startswith("WARNING")]
    assert not warnings, "\n".join(warnings)
    second = (site_dir / links.BUNDLE).read_bytes()
    assert site_dir != built_site
    assert hashlib.sha256(second).hexdigest() == hashlib.sha256(built_zip).hexdigest()
    assert second == built_zip


# --------------------------------------------------------------------------------------------- guards


def test_a_template_named_like_the_readme_is_refused(project: Project) -> None:
    template = next(iter(project.templates.values()))
    clash = SimpleNamespace(templates={template.id: template.model_copy(update={"filename": README})})
    with pytest.raises(ValueError, match=r"README\.md"):
        bundle_files(clash)


# --------------------------------------------------------------------------------------------- the page


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[dict[str, str], int]] = []  # attributes, index among start tags
        self.template_sections: list[int] = []
        self._count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._count += 1
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and values.get("href"):
            self.links.append((values, self._count))
        if tag == "section" and "icp-template" in values.get("class", "").split():
            self.template_sections.append(self._count)


def test_the_templates_page_links_the_bundle_before_the_templates(built_site: Path) -> None:
    page_path = links.page_url(links.template_page())
    parsed = _Links()
    parsed.feed((built_site / page_path / "index.html").read_text(encoding="utf-8"))
    base = "http://site.invalid/" + page_path
    to_bundle = [
        (attrs, position)
        for attrs, position in parsed.links
        if urljoin(base, attrs["href"]) == "http://site.invalid/" + links.BUNDLE
    ]
    assert to_bundle, f"no link to {links.BUNDLE} on {page_path}"
    assert parsed.template_sections, "the templates page shows no template"
    assert to_bundle[0][1] < parsed.template_sections[0], "the bundle link comes after the first template"
    assert (built_site / links.BUNDLE).is_file()
