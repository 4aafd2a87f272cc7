"""The layout of ``macros/`` tells the story: stages that import only from earlier stages.

Data flows one way: the engine reads and checks the playbooks, the renderers turn a checked project into
HTML and files, the site hands them to MkDocs, and the command line uses the engine and the renderers
without MkDocs. A module that imports from a later stage (the engine from a renderer, a renderer from the
site) fails here, and so does a stage this file does not know. The design page
(``docs/reference/architecture.md``) names every module, so a new one has to be placed there too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "macros"
DESIGN_PAGE = ROOT / "docs" / "reference" / "architecture.md"

# stage → the stages it may import from (itself included)
ALLOWED = {
    "engine": {"engine"},
    "render": {"engine", "render"},
    "site": {"engine", "render", "site"},
    "cli": {"engine", "render", "cli"},
}
ENTRY_POINTS = {"__init__.py": {"site"}, "__main__.py": {"cli"}}  # define_env, and python -m macros
MKDOCS_GLUE = {"site/hooks.py"}  # the only module that may import MkDocs itself


def imported_modules(path: Path, package: Path) -> list[tuple[int, str]]:
    """(line, dotted module) for every import in ``path``, relative ones resolved against ``package``."""
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts[: len(parts) - node.level + (1 if path.name == "__init__.py" else 0)]
                module = ".".join(base + ([node.module] if node.module else []))
                names = [f"{module}.{alias.name}" for alias in node.names] if not node.module else [module]
                found += [(node.lineno, name) for name in names]
            else:
                found.append((node.lineno, node.module or ""))
    return found


def stage_of(dotted: str, package_name: str) -> str | None:
    """The stage of a module of the package (``macros.render.flow`` → ``render``), or None outside it."""
    parts = dotted.split(".")
    if parts[0] != package_name:
        return None
    return parts[1] if len(parts) > 1 else ""


def violations(package: Path) -> list[str]:
    problems = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        top = rel.split("/")[0]
        if rel in ENTRY_POINTS:
            allowed = ENTRY_POINTS[rel]
        elif top in ALLOWED:
            allowed = ALLOWED[top]
        else:
            problems.append(f"{rel}: outside every stage ({', '.join(ALLOWED)}); move it into one")
            continue
        for line, dotted in imported_modules(path, package):
            stage = stage_of(dotted, package.name)
            if dotted.split(".")[0] == "mkdocs" and rel not in MKDOCS_GLUE:
                problems.append(f"{rel}:{line}: imports {dotted}; only {', '.join(MKDOCS_GLUE)} may know MkDocs")
            if stage is None:
                continue
            if stage not in allowed:
                problems.append(f"{rel}:{line}: imports {dotted}; '{top}' may import only from {sorted(allowed)}")
    return problems


def test_every_module_imports_only_from_its_own_or_an_earlier_stage() -> None:
    assert violations(PACKAGE) == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("engine/models.py", "from ..render.html import el\n", "engine/models.py:1: imports macros.render.html"),
        ("engine/models.py", "import macros.site.pages\n", "engine/models.py:1: imports macros.site.pages"),
        ("render/flow.py", "from ..site import pages\n", "render/flow.py:1: imports macros.site"),
        ("render/flow.py", "from macros.cli.main import main\n", "render/flow.py:1: imports macros.cli.main"),
        ("cli/main.py", "\n\nfrom ..site.hooks import on_config\n", "cli/main.py:3: imports macros.site.hooks"),
        ("engine/graph.py", "def f():\n    from ..render import links\n", "engine/graph.py:2: imports macros.render"),
        ("render/tree.py", "from mkdocs.plugins import event_priority\n", "render/tree.py:1: imports mkdocs.plugins"),
        ("helpers.py", "x = 1\n", "helpers.py: outside every stage"),
    ],
)
def test_the_check_catches_an_import_against_the_flow(tmp_path: Path, module: str, source: str, expected: str):
    package = tmp_path / "macros"
    for stage in ALLOWED:
        (package / stage).mkdir(parents=True)
        (package / stage / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / module).write_text(source)
    found = violations(package)
    assert any(problem.startswith(expected) for problem in found), found


def test_imports_within_a_stage_and_from_earlier_ones_pass(tmp_path: Path) -> None:
    package = tmp_path / "macros"
    sources = {
        "engine/models.py": "from .graph import resolve\nfrom . import graph\n",
        "render/flow.py": "from ..engine.loader import Project\nfrom .html import el\nimport json\n",
        "site/pages.py": "from ..render import links\nfrom ..engine.loader import Project\n",
        "site/hooks.py": "from mkdocs.plugins import event_priority\nfrom macros.site import pages\n",
        "cli/main.py": "from ..engine.loader import Project\nfrom ..render.plan import render\n",
        "__init__.py": "from .site.page_macros import register\n",
    }
    for stage in ALLOWED:
        (package / stage).mkdir(parents=True)
    for module, source in sources.items():
        (package / module).write_text(source)
    assert violations(package) == []


def test_the_design_page_names_every_module_and_stage() -> None:
    text = DESIGN_PAGE.read_text(encoding="utf-8")
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.name == "__init__.py" and rel.parent != Path("."):
            continue
        if not re.search(rf"\b{re.escape(rel.name)}\b", text):
            missing.append(rel.as_posix())
    missing += [f"stage {stage}/" for stage in ALLOWED if f"{stage}/" not in text]
    assert not missing, f"docs/reference/architecture.md does not mention: {', '.join(missing)}"
