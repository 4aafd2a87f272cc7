"""Where things live on the site, and relative links between them (raw HTML is not rewritten by MkDocs)."""

from __future__ import annotations

import posixpath

PLAYBOOK_DIR = "playbooks"
ROLE_DIR = "roles"
TEMPLATE_DIR = "comms-templates"
DOWNLOAD_DIR = "downloads"
RESPONSIBILITIES_PAGE = "responsibilities.md"
# Pages generated only when the playbooks hold what they show (they vanish, with their nav entries, otherwise)
PRINCIPLES_PAGE = "onboarding/principles.md"
PRACTICE_PAGE = "onboarding/practice.md"
GUIDELINE_MAP_PAGE = "reference/guideline-map.md"
CHECKER_PAGE = f"{TEMPLATE_DIR}/draft-check.md"  # the draft checker: always generated (its rules always exist)
WALK_DIR = "assets/icp/walks"  # one file per playbook, read by the walker (macros/render/walk_data.py)
BUNDLE = f"{DOWNLOAD_DIR}/comms-templates.zip"  # every template, laid out for the comms repo (macros/render/bundle.py)


def page_url(src_uri: str) -> str:
    """Site path of a Markdown source with directory URLs: ``a/b.md`` → ``a/b/``, ``a/index.md`` → ``a/``."""
    stem = src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri
    if src_uri.endswith(".md"):
        if stem == "index" or stem.endswith("/index"):
            stem = stem[: -len("index")]
        else:
            stem += "/"
    return stem


def relative(from_src: str, to_path: str, anchor: str = "") -> str:
    """Link from the page built from ``from_src`` to a site path (``""`` is the site root)."""
    here = page_url(from_src)
    suffix = f"#{anchor}" if anchor else ""
    if to_path == here and anchor:
        return suffix
    rel = posixpath.relpath(to_path or ".", here or ".")
    if rel == ".":
        rel = "./"
    elif to_path == "" or to_path.endswith("/"):
        rel += "/"
    return rel + suffix


def playbook_page(playbook_id: str) -> str:
    return f"{PLAYBOOK_DIR}/{playbook_id}.md"


def steps_page(playbook_id: str) -> str:
    """Every step of a playbook on one page: the decision tree without JavaScript, and in print."""
    return f"{PLAYBOOK_DIR}/{playbook_id}/steps.md"


def role_page(role_id: str) -> str:
    return f"{ROLE_DIR}/{role_id}.md"


def template_page() -> str:
    return f"{TEMPLATE_DIR}/index.md"


def download_path(filename: str) -> str:
    return f"{DOWNLOAD_DIR}/{filename}"


def flow_download(playbook_id: str) -> str:
    return f"{DOWNLOAD_DIR}/flows/{playbook_id}.mmd"


def walk_file(playbook_id: str) -> str:
    return f"{WALK_DIR}/{playbook_id}.js"


def node_anchor(playbook_id: str, node_id: str) -> str:
    return f"{playbook_id}--{node_id}"


def template_anchor(template_id: str) -> str:
    return f"template-{template_id}"


def principle_anchor(principle_id: str) -> str:
    return f"principle-{principle_id}"


def task_anchor(task_id: str) -> str:
    return f"task-{task_id}"
