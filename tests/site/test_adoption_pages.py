"""Pages that exist only when the playbooks hold what they show, macros called with a wrong id, the published
address, and the appointment chain on a role page: what another organisation's content does to the site."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from macros.engine.loader import load_project

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_ORG = ROOT / "tests" / "engine" / "fixtures" / "organisation.yaml"
MINIMAL = """\
id: tiny
title: A tiny playbook
summary: One question, two outcomes.
audience: [Anyone]
owner: Nobody in particular
last_reviewed: 2026-11-01
tree:
  start: ask
  nodes:
    ask:
      question: Is it raining?
      answers:
        - {id: wet, label: It is raining, next: umbrella}
        - {id: dry, label: It is dry, next: walk}
    umbrella:
      title: Take an umbrella
      summary: Stay dry.
      actions: [{text: Open the umbrella.}]
    walk:
      title: Walk
      summary: Enjoy it.
      actions: [{text: Go outside.}]
"""
OPTIONAL = {
    "onboarding/principles/": "Principles",
    "onboarding/practice/": "Practise before you need it",
    "reference/guideline-map/": "Where each guideline lives",
}


def nav_links(site: Path) -> list[str]:
    """The pages of the navigation, in order, as site paths."""
    home = (site / "index.html").read_text(encoding="utf-8")
    return [href.removeprefix("./") for href in re.findall(r'<a href="([^"]+)" class="md-nav__link', home)]


def test_our_site_has_the_optional_pages_in_its_navigation(built_site: Path) -> None:
    links = nav_links(built_site)
    for url in OPTIONAL:
        assert (built_site / url / "index.html").is_file(), url
        assert url in links, f"{url} is not in the navigation: {links}"
    onboarding_nav = [url for url in links if url.startswith("onboarding/")]
    assert onboarding_nav == ["onboarding/", "onboarding/principles/", "onboarding/whole-flow/",
                              "onboarding/practice/", "onboarding/workspace/"], onboarding_nav
    onboarding = (built_site / "onboarding" / "index.html").read_text(encoding="utf-8")
    assert 'href="practice/"' in onboarding and 'href="principles/"' in onboarding


def test_without_their_data_the_optional_pages_and_their_links_vanish(build_project_copy) -> None:
    build = build_project_copy({"tiny.yaml": MINIMAL}, organisation=FIXTURE_ORG.read_text(encoding="utf-8"),
                               keep_real_playbooks=False)
    assert build.returncode == 0, build.output
    site = build.site_dir
    for url in OPTIONAL:
        assert not (site / url).exists(), f"{url} was built without anything to show"
    for file in site.rglob("*.html"):
        text = file.read_text(encoding="utf-8")
        for url in OPTIONAL:
            name = url.rstrip("/").split("/")[-1]
            assert f'{name}/"' not in text, f"{file.relative_to(site)} links to the missing {url}"
    for empty in ("roles", "responsibilities", "comms-templates"):
        assert "yet." in (site / empty / "index.html").read_text(encoding="utf-8"), f"{empty}/ says nothing"


def test_a_macro_with_an_unknown_id_stops_the_build_at_its_line(build_project_copy) -> None:
    page = "---\nrender_macros: true\n---\n\n# Mistake\n\nSome text.\n\n{{ role('comms-leed') }}\n"
    build = build_project_copy({}, extra_pages={"mistake.md": page})
    assert build.returncode != 0
    assert "Traceback" not in build.output, build.output
    assert "docs/mistake.md:9:9: error: role(): no role 'comms-leed'; use one of: " in build.output, build.output
    assert "comms-lead" in build.output.split("docs/mistake.md:9:9:")[1].splitlines()[0]


def _build_without_site_url(root: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PYTHONPATH")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)], cwd=root,
                          env=env, capture_output=True, text=True, timeout=180, check=False)


def test_the_published_address_comes_from_the_organisation_file(build_project_copy, tmp_path: Path) -> None:
    build = build_project_copy({})
    assert build.returncode == 0, build.output
    local = _build_without_site_url(build.root, tmp_path / "local")
    assert local.returncode == 0, local.stdout + local.stderr
    assert "still the local default http://127.0.0.1:8000/" in local.stderr
    org_path = build.root / "playbooks" / "organisation.yaml"
    org = yaml.safe_load(org_path.read_text(encoding="utf-8"))
    org["site_url"] = "https://comms.example.org/playbook"
    org_path.write_text(yaml.safe_dump(org, sort_keys=False), encoding="utf-8")
    published = _build_without_site_url(build.root, tmp_path / "published")
    assert published.returncode == 0, published.stdout + published.stderr
    assert "local default" not in published.stderr
    sitemap = (tmp_path / "published" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://comms.example.org/playbook/</loc>" in sitemap
    assert "127.0.0.1" not in sitemap
    home = (tmp_path / "published" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://comms.example.org/playbook/">' in home


def test_a_role_page_shows_who_appoints_in_words_and_as_a_role(built_site: Path) -> None:
    project = load_project()
    shown = 0
    for role in project.roles.values():
        page = (built_site / "roles" / role.id / "index.html").read_text(encoding="utf-8")
        for link in role.appointment:
            words = link.appointed_by.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;")
            assert words in page, f"roles/{role.id}: '{link.appointed_by}' is not shown"
            if link.appointer_role:
                assert f'href="../{link.appointer_role}/"' in page, f"roles/{role.id}: no link to {link.appointer_role}"
                shown += 1
    assert shown >= 2
