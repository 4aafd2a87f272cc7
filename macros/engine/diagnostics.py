"""Located problems, reported the way compilers do: ``path:line:col: severity: message``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file, with a hint that says how to fix it."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return f"{text} [{self.code}]"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.is_error]


def warnings(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if not d.is_error]
