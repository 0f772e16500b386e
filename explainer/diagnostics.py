"""Diagnostics: users' mistakes as data, printed compiler-style."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """text with control characters (a newline in an id or a file name) written as escapes: `\\n`."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem found in the user's files."""

    path: str
    line: int | None
    severity: Severity
    message: str

    def format(self) -> str:
        """Return `path:line: severity: message`, the form editors can jump to, always on one line."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return one_line(f"{where}: {self.severity.value}: {self.message}")


@dataclass(slots=True)
class Diagnostics:
    """The problems collected over one build, in the order found."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False)

    def add(self, diagnostic: Diagnostic) -> None:
        """Record diagnostic once: `[[x]] and [[x|y]]` on one line is one mistake to fix."""
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self.items.append(diagnostic)

    def error(self, path: str, line: int | None, message: str) -> None:
        self.add(Diagnostic(path, line, Severity.ERROR, message))

    def warning(self, path: str, line: int | None, message: str) -> None:
        self.add(Diagnostic(path, line, Severity.WARNING, message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        """Return the diagnostics sorted by file and line."""
        return sorted(self.items, key=lambda d: (d.path, d.line or 0, d.message))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ` — did you mean 'x'?` for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" — did you mean '{close[0]}'?" if close else ""
