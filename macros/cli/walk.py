"""``python -m macros walk``: a decision tree in the terminal, for when the site is down.

Reads the playbooks directly (no build, no network): one question at a time with numbered answers,
``b`` to go back, ``r`` to restart, ``q`` to quit, then the outcome with its checklist and where each
template lives. ``python -m macros template ID`` prints a template's text.
"""

from __future__ import annotations

import re
import sys
import textwrap
from typing import TextIO

from ..engine.graph import NodeKey, resolve
from ..engine.loader import Project
from ..engine.models import Outcome, Question

WIDTH = 78
# C0 and C1 control characters (but newline) could rewrite a terminal: show them as escapes instead
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def wrap(text: str, indent: str = "", first: str | None = None) -> str:
    """``text`` on lines of at most WIDTH, control characters shown as escapes; ``first`` prefixes line one."""
    start = indent if first is None else first
    return textwrap.fill(
        " ".join(safe(text).split()) or " ",
        WIDTH,
        initial_indent=start,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,  # keep file names and ids whole
    )


class Walk:
    def __init__(self, project: Project, playbook_id: str, entry: str | None, out: TextIO):
        self.project = project
        self.playbook_id = playbook_id
        pb = project.playbooks[playbook_id]
        self.entry: NodeKey = (playbook_id, entry or pb.tree.start)
        self.steps: list[tuple[NodeKey, str]] = []  # (question, answer label)
        self.at = self.entry
        self.out = out

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def node(self, key: NodeKey) -> Question | Outcome:
        return self.project.playbooks[key[0]].tree.nodes[key[1]]

    def show_question(self, node: Question) -> None:
        where = "" if self.at[0] == self.playbook_id else f" (in “{safe(self.project.playbooks[self.at[0]].title)}”)"
        self.say(f"\nStep {len(self.steps) + 1}{where}")
        self.say(wrap(node.question))
        if node.hint:
            self.say(wrap(f"Why this matters: {node.hint}", "  "))
        for number, answer in enumerate(node.answers, start=1):
            self.say(wrap(answer.label, " " * (len(str(number)) + 4), first=f"  {number}) "))
        controls = ["b) back"] if self.steps else []
        self.say("  " + "   ".join([*controls, "r) restart", "q) quit"]))

    def show_outcome(self, node: Outcome) -> None:
        self.say("\n" + "=" * WIDTH)
        self.say(wrap(f"Outcome: {node.title}"))
        self.say(wrap(node.summary))
        if self.steps:
            self.say("\nYour answers:")
            for key, label in self.steps:
                question = self.node(key)
                assert isinstance(question, Question)
                self.say(wrap(f"{question.question} → {label}", "    ", first="  - "))
        self.say("\nWhat to do now:")
        for action in node.actions:
            owner = f" ({safe(self.project.roles[action.owner].name)})" if action.owner else ""
            self.say(wrap(f"[ ] {action.text}{owner}", "      ", first="  "))
            for template_id in action.templates:
                template = self.project.templates[template_id]
                self.say(
                    wrap(
                        f"Template: {template.title} - {template.filename} (python -m macros template {template.id})",
                        "      ",
                    )
                )
        if node.related:
            self.say("\nContinue with:")
            for link in node.related:
                target = resolve(link.to, "") if "#" in link.to else self.project.graph.starts[link.to]
                self.say(
                    wrap(f"{link.label}: python -m macros walk {target[0]} --at {target[1]}", "    ", first="  - ")
                )
        self.say("=" * WIDTH)
        self.say("  " + "   ".join([*(["b) back"] if self.steps else []), "r) restart", "q) quit"]))

    def run(self, read: TextIO) -> int:
        pb = self.project.playbooks[self.playbook_id]
        self.say(wrap(f"{pb.title} - {pb.summary}"))
        while True:
            node = self.node(self.at)
            if isinstance(node, Question):
                self.show_question(node)
            else:
                self.show_outcome(node)
            self.out.write("> ")
            self.out.flush()
            line = read.readline()
            if not line:
                self.say()
                return 0
            choice = line.strip().lower()
            if choice in ("q", "quit", "exit"):
                return 0
            if choice in ("r", "restart"):
                self.steps, self.at = [], self.entry
            elif choice in ("b", "back") and self.steps:
                self.at = self.steps.pop()[0]
            elif isinstance(node, Question) and choice.isdigit() and 1 <= int(choice) <= len(node.answers):
                answer = node.answers[int(choice) - 1]
                self.steps.append((self.at, answer.label))
                self.at = resolve(answer.next, self.at[0])
            else:
                numbers = f"a number from 1 to {len(node.answers)}, " if isinstance(node, Question) else ""
                back = "b, " if self.steps else ""
                self.say(f"Type {numbers}{back}r or q.")


def run_walk(
    project: Project, playbook_id: str, at: str | None, read: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> int:
    if playbook_id not in project.playbooks:
        known = ", ".join(project.playbooks)
        print(f"python -m macros walk: error: no playbook '{playbook_id}' (known: {known})", file=sys.stderr)
        return 2
    nodes = project.playbooks[playbook_id].tree.nodes
    if at is not None and at not in nodes:
        print(
            f"python -m macros walk: error: playbook '{playbook_id}' has no node '{at}' (nodes: {', '.join(nodes)})",
            file=sys.stderr,
        )
        return 2
    return Walk(project, playbook_id, at, out).run(read)


def run_template(project: Project, template_id: str, out: TextIO = sys.stdout) -> int:
    if template_id not in project.templates:
        print(
            f"python -m macros template: error: no template '{template_id}' (known: {', '.join(project.templates)})",
            file=sys.stderr,
        )
        return 2
    body = project.templates[template_id].body + "\n"
    out.write(safe(body) if out.isatty() else body)  # raw into a file or pipe, escaped on a terminal
    return 0
