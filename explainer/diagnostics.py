"""Diagnostics: users' mistakes as data, printed compiler-style."""

from __future__ import annotations

import difflib
import re
from collections import Counter
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
    NOTE = "note"  # not a problem of its own: what an error elsewhere in the file kept from being checked


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


@dataclass(frozen=True, slots=True)
class Unread:
    """A file that looks like content but was not read (`issues/x.markdown`), for messages that name it."""

    path: str
    rename: str  # the name it would be read under: `x.md`


@dataclass(slots=True)
class Diagnostics:
    """The problems collected over one build, in the order found."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False)
    # (section, file stem) → the file not read: an unknown id that is such a stem says why (link.py)
    unread: dict[tuple[str, str], Unread] = field(default_factory=dict)

    def add(self, diagnostic: Diagnostic) -> None:
        """Record diagnostic once: `[[x]] and [[x|y]]` on one line is one mistake to fix."""
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self.items.append(diagnostic)

    def error(self, path: str, line: int | None, message: str) -> None:
        self.add(Diagnostic(path, line, Severity.ERROR, message))

    def warning(self, path: str, line: int | None, message: str) -> None:
        self.add(Diagnostic(path, line, Severity.WARNING, message))

    def note(self, path: str, line: int | None, message: str) -> None:
        self.add(Diagnostic(path, line, Severity.NOTE, message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        """Return the diagnostics sorted by file and line, causes before symptoms where that is cheap to know:
        a problem with a whole file (not read, unreadable, missing; no line) before the problems at lines, and a
        file's notes after its other lines."""
        return sorted(self.items, key=order_key)


def order_key(d: Diagnostic) -> tuple[bool, str, bool, int, str]:
    note = d.severity is Severity.NOTE
    return (d.line is not None or note, d.path, note, d.line or 0, d.message)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ` — did you mean 'x'?` for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" — did you mean '{close[0]}'?" if close else ""


SHOWN_PER_KIND = 3  # a wall of 5,000 identical warnings hides the one error among them
# What differs between two warnings of one kind: quoted values, [[links]], <tags> and numbers.
_VARYING = re.compile(r"'[^']*'|\[\[.*?\]\]|<[^>]*>|\d[\d,.]*")


def kind_of(diagnostic: Diagnostic) -> tuple[Severity, str]:
    """Diagnostics of one kind have one message template: the message with the values it quotes left out (and
    any "did you mean" suggestion, which only some of them get)."""
    template = _VARYING.sub("…", diagnostic.message)
    return diagnostic.severity, template.removesuffix(" — did you mean …?")


def shown_lines(diagnostics: list[Diagnostic], per_kind: int | None = SHOWN_PER_KIND,
                warnings: bool = True) -> list[str]:  # fmt: skip
    """The lines to print for diagnostics (sorted): every error and note; of the warnings (none if not
    warnings) the first per_kind of each kind, followed by one line counting the rest (per_kind None: all)."""
    total = Counter(kind_of(d) for d in diagnostics if d.severity is Severity.WARNING)
    shown: Counter[tuple[Severity, str]] = Counter()
    lines = []
    for diagnostic in diagnostics:
        if diagnostic.severity is not Severity.WARNING:
            lines.append(diagnostic.format())
            continue
        if not warnings:
            continue
        kind = kind_of(diagnostic)
        shown[kind] += 1
        if per_kind is None or shown[kind] <= per_kind:
            lines.append(diagnostic.format())
        if per_kind is not None and shown[kind] == per_kind and total[kind] > per_kind:
            more = total[kind] - per_kind
            lines.append(f"… and {more:,} more warning{'s' if more != 1 else ''} like this (--verbose shows all)")
    hidden = 0 if warnings else sum(total.values())
    if hidden:
        lines.append(f"{hidden:,} warning{'s' if hidden != 1 else ''} not shown (-q)")
    return lines
