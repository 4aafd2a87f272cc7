"""Hints only suggest fixes that pass: each fix a hint names, applied to the file as an author would, leaves no
problem at all.

Every fixture here holds exactly one problem. The hint is read the way an author reads it: the alternatives it
offers ("rename the file to ... or set 'id: ...'", "point to one of: a, b"), each applied on its own to a copy of
the fixture, which must then load without any diagnostic. A hint that offered an invalid id, a node that loops
back, or a role that would hand a task to itself would fail here.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from macros.engine.diagnostics import Diagnostic

BROKEN = Path(__file__).parent / "fixtures" / "broken"

Files = dict[str, str]  # file name → text, one folder
Fix = Callable[[Files, Diagnostic], Files]

FIXTURES = [
    "id-mismatch.yaml",
    "Fire Drill.yaml",
    "reserved-id-playbook.yaml",
    "reserved-id-organisation.yaml",
    "reserved-id-role.yaml",
    "dangling-next.yaml",
    "unknown-start.yaml",
    "unknown-role-owner.yaml",
    "unknown-role-instead.yaml",
    "unknown-role-raci.yaml",
    "unknown-template.yaml",
    "unknown-playbook.yaml",
    "unknown-playbook-related.yaml",
    "unknown-node/here.yaml",
    "unknown-node-related/here.yaml",
    "yaml-comment-in-value.yaml",
    "yaml-invisible-control.yaml",
]


# --- applying what a hint says ------------------------------------------------------------------------


def _name(problem: Diagnostic) -> str:
    return Path(problem.path).name


def _edit_line(files: Files, problem: Diagnostic, edit: Callable[[str], str], line: int | None = None) -> Files:
    lines = files[_name(problem)].split("\n")
    index = (line or problem.line) - 1
    lines[index] = edit(lines[index])
    return {**files, _name(problem): "\n".join(lines)}


def _replace_token(files: Files, problem: Diagnostic, value: str) -> Files:
    """The word at the problem's position (a value or a key) replaced by ``value``."""

    def edit(line: str) -> str:
        start = problem.col - 1
        token = re.match(r"[^\s,:\]}]+", line[start:])
        assert token, f"no value at {problem.line}:{problem.col} of {line!r}"
        return line[:start] + value + line[start + token.end() :]

    return _edit_line(files, problem, edit)


def _set_id(files: Files, problem: Diagnostic, new: str) -> Files:
    return _edit_line(files, problem, lambda line: re.sub(r"id: \S+", f"id: {new}", line, count=1))


def _rename(files: Files, problem: Diagnostic, new_name: str) -> Files:
    renamed = {name: text for name, text in files.items() if name != _name(problem)}
    assert new_name not in renamed, f"the hint renames the file over another one: {new_name}"
    renamed[new_name] = files[_name(problem)]
    return renamed


def _insert_after(files: Files, problem: Diagnostic, anchor: str, block: str) -> Files:
    text = files[_name(problem)]
    if anchor in text:
        return {**files, _name(problem): text.replace(anchor, anchor + block, 1)}
    return {**files, _name(problem): text.rstrip("\n") + "\n" + anchor + block}


def _change_references(files: Files, problem: Diagnostic, old: str, new: str, count: int) -> Files:
    """Every role reference (owner, instead, appointer_role) or playbook link to ``old`` renamed ``new``."""
    pattern = re.compile(rf"((?:owner|instead|appointer_role|to|next): ){re.escape(old)}(?=$|#)", re.MULTILINE)
    changed, total = {}, 0
    for name, text in files.items():
        changed[name], n = pattern.subn(rf"\g<1>{new}", text)
        total += n
    assert total == count, f"the hint says {count} references, the files have {total}"
    return changed


def fixes(problem: Diagnostic) -> list[tuple[str, Fix]]:
    """Each alternative the hint offers, as a description and a function that applies it."""
    hint = problem.hint
    found: list[tuple[str, Fix]] = []
    refs = re.search(r", and change the (\d+) (?:reference|link)s? to it", hint)
    old_id = re.search(r"id '([^']+)'", problem.message)

    def with_refs(fix: Fix, new: str) -> Fix:
        if not refs:
            return fix
        assert old_id
        return lambda files, p: _change_references(fix(files, p), p, old_id.group(1), new, int(refs.group(1)))

    both = re.search(r"set 'id: ([^']+)' and rename the file to '([^']+)'", hint)
    if both:
        new, file_name = both.groups()
        fix = with_refs(lambda files, p: _rename(_set_id(files, p, new), p, file_name), new)
        found.append((both.group(0), fix))
        hint = hint.replace(both.group(0), "")
    for match in re.finditer(r"rename the file to '([^']+)'", hint):
        name = match.group(1)
        found.append((match.group(0), lambda files, p, name=name: _rename(files, p, name)))
    for match in re.finditer(r"(?:set|e\.g\.) 'id: ([^']+)'", hint):
        new = match.group(1)
        found.append((match.group(0), with_refs(lambda files, p, new=new: _set_id(files, p, new), new)))
    for match in re.finditer(r"set 'start' to '([^']+)'", hint):
        start = match.group(1)
        found.append((match.group(0), lambda files, p, start=start: _replace_token(files, p, start)))
    for match in re.finditer(r"(?:one of|a node of this playbook): ([a-z0-9, -]+?)(?:$|, or |\s\()", hint):
        if "(as 'playbook-id#node-id')" in hint[match.end() - 2 :][:30]:
            continue  # names playbooks, not nodes: needs a node of one of them, which the hint does not say
        for choice in match.group(1).split(", "):

            def point(files: Files, p: Diagnostic, choice: str = choice) -> Files:
                token = files[_name(p)].split("\n")[p.line - 1][p.col - 1 :]
                keep = token.split("#")[0] + "#" if p.code == "unknown-node" and "#" in token.split()[0] else ""
                return _replace_token(files, p, keep + choice)

            found.append((f"{match.group(0).split(':')[0]}: {choice}", point))
    for match in re.finditer(r"add a node '([^']+)'(?! to)", hint):
        node = match.group(1)
        block = f"    {node}:\n      title: Added\n      summary: Added.\n      actions:\n        - text: Do it.\n"
        found.append((match.group(0), lambda files, p, b=block: _insert_after(files, p, "  nodes:\n", b)))
    for match in re.finditer(r"add a playbook '([^']+)' with a node '([^']+)'", hint):
        pid, node = match.groups()
        playbook = (
            f"id: {pid}\ntitle: Added\nsummary: Added.\naudience: [Testers]\nowner: QA\nlast_reviewed: 2026-11-01\n"
            f"tree:\n  start: {node}\n  nodes:\n    {node}:\n      title: Added\n      summary: Added.\n"
            "      actions:\n        - text: Do it.\n"
        )
        found.append((match.group(0), lambda files, p, pid=pid, text=playbook: {**files, f"{pid}.yaml": text}))
    for match in re.finditer(r"define a role '([^']+)' under 'roles'", hint):
        block = f"  - id: {match.group(1)}\n    name: Added\n    summary: Added.\n    does:\n      - Something.\n"
        found.append((match.group(0), lambda files, p, b=block: _insert_after(files, p, "roles:\n", b)))
    for match in re.finditer(r"define a template '([^']+)' under 'templates'", hint):
        block = (
            f"  - id: {match.group(1)}\n    title: Added\n    channel: email\n    audience: Everyone\n"
            f"    filename: emails/{match.group(1)}.md\n    body: Hello.\n"
        )
        found.append((match.group(0), lambda files, p, b=block: _insert_after(files, p, "templates:\n", b)))
    quoted = re.search(r"quote the value if the text is part of it: (\S+): (.+)$", hint)
    if quoted:
        key, value = quoted.groups()
        found.append(
            (
                quoted.group(0),
                lambda files, p: _edit_line(files, p, lambda ln: ln.split(f"{key}:")[0] + f"{key}: {value}"),
            )
        )
    if hint.startswith("remove it: write the text without it"):
        found.append(("remove it", lambda files, p: _edit_line(files, p, lambda ln: ln[: p.col - 1] + ln[p.col :])))
    return found


# --- the tests ----------------------------------------------------------------------------------------


def _copy(fixture: str, folder: Path) -> tuple[Path, Files]:
    """The fixture (or the folder of two it is in) copied to ``folder``; returns the path to load and its files."""
    source = BROKEN / fixture.split("/")[0]
    folder.mkdir()
    if source.is_dir():
        shutil.copytree(source, folder, dirs_exist_ok=True)
    else:
        shutil.copy2(source, folder / source.name)
    return folder, {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.yaml")}


def _write(folder: Path, files: Files) -> None:
    for path in folder.glob("*.yaml"):
        path.unlink()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("fixture", FIXTURES)
def test_every_fix_a_hint_offers_passes(load_paths, tmp_path, fixture):
    original, files = _copy(fixture, tmp_path / "original")
    [problem] = load_paths([original]).diagnostics
    offered = fixes(problem)
    assert offered, f"the test cannot read a fix in the hint: {problem.hint!r}"
    for number, (what, fix) in enumerate(offered):
        folder = tmp_path / f"fix-{number}"
        folder.mkdir()
        _write(folder, fix(files, problem))
        left = load_paths([folder]).diagnostics
        assert left == [], f"{problem}\nafter '{what}':\n" + "\n".join(map(str, left))


def test_id_mismatch_offers_both_fixes_when_both_are_valid(only_problem):
    assert [what for what, _ in fixes(only_problem("id-mismatch.yaml"))] == [
        "rename the file to 'not-the-file-name.yaml'",
        "set 'id: id-mismatch'",
    ]


def test_a_file_name_that_is_no_id_is_not_offered_as_one(only_problem):
    problem = only_problem("Fire Drill.yaml")
    assert problem.hint == "rename the file to 'fire-drill.yaml'"
    assert "Fire Drill" not in problem.hint


def test_a_hint_never_renames_a_file_over_another_playbook(write_playbook, load_paths, valid_playbook):
    # b.yaml says 'id: a', and a.yaml exists: renaming b.yaml to a.yaml would overwrite it
    write_playbook(valid_playbook.replace("id: fixture", "id: a"), "a.yaml")
    other = valid_playbook.replace("id: fixture", "id: a").replace("  - id: lead\n", "  - id: lead-b\n")
    folder = write_playbook(other.replace("owner: lead\n", "owner: lead-b\n"), "b.yaml").parent
    mismatch = [d for d in load_paths([folder]).diagnostics if d.code == "id-mismatch"]
    assert [d.hint for d in mismatch] == ["set 'id: b'"]


def test_neither_the_id_nor_the_file_name_usable(write_playbook, load_paths, valid_playbook, tmp_path):
    # 'Index.yaml' with 'id: index': the file name is no id and the id is reserved; the hint makes one of the title
    write_playbook(valid_playbook.replace("id: fixture", "id: index"), "Index.yaml")
    [problem] = load_paths([tmp_path]).diagnostics
    assert (problem.code, problem.hint) == (
        "reserved-id",
        "set 'id: fixture-playbook' and rename the file to 'fixture-playbook.yaml'",
    )
    [(_, fix)] = fixes(problem)
    folder = tmp_path / "fixed"
    folder.mkdir()
    _write(folder, fix({"Index.yaml": (tmp_path / "Index.yaml").read_text()}, problem))
    assert load_paths([folder]).diagnostics == []


def test_links_to_a_renamed_playbook_are_counted_in_the_hint(write_playbook, load_paths, valid_playbook, tmp_path):
    write_playbook(valid_playbook.replace("id: fixture", "id: index"), "index.yaml")
    third = "        - id: other\n          label: Ask the other playbook\n          next: index#wait\n"
    linking = valid_playbook.replace("id: fixture", "id: linking").replace(
        "          next: wait\n", "          next: wait\n" + third
    )
    write_playbook(
        linking.split("roles:")[0] + "tree:" + linking.split("tree:")[1], "linking.yaml"
    )  # 'lead' is index's
    found = load_paths([tmp_path]).diagnostics
    assert [d.code for d in found] == ["reserved-id"], "\n".join(map(str, found))
    [problem] = found
    assert problem.hint == (
        "set 'id: fixture-playbook' and rename the file to 'fixture-playbook.yaml', and change the 1 link to it"
    )
    [(_, fix)] = fixes(problem)
    folder = tmp_path / "fixed"
    folder.mkdir()
    _write(folder, fix({p.name: p.read_text() for p in tmp_path.glob("*.yaml")}, problem))
    assert load_paths([folder]).diagnostics == []


def test_a_dangling_answer_is_never_pointed_back_up_the_tree(load_text, valid_playbook):
    # 'look' is below 'ask'; its answer 'gone' dangles: 'ask' and 'look' itself would loop, 'act' and 'wait' not
    text = valid_playbook.replace("          next: wait\n", "          next: look\n", 1) + (
        "    look:\n      question: Look again?\n      answers:\n"
        "        - id: yes\n          label: Yes\n          next: gone\n"
        "        - id: no\n          label: No\n          next: wait\n"
    )
    [problem] = load_text(text).diagnostics
    assert (problem.code, problem.hint) == ("dangling-next", "add a node 'gone' or point to one of: act, wait")
