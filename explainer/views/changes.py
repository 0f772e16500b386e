"""What changed: an issue card's `changes:` as update notes and a home-page list (feeds.py: Atom), with its
`corrections:` beside them, each marked as a correction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..dates import PartialDate
from ..model import Change, Issue

LATEST = 6  # updates listed on the home page


@dataclass(frozen=True, slots=True)
class Update:
    issue: Issue
    change: Change
    anchor: str  # the id of the change on the issue page: change-2022-01-10, change-2022-01-10-2
    correction: bool = False  # a correction's anchor is correction-1, -2 … in the order written, whatever its date


def issue_updates(issue: Issue) -> list[Update]:
    """An issue's changes, newest first; anchors count same-day changes in the order written."""
    seen: dict[PartialDate, int] = {}
    found = []
    for change in issue.changes:
        seen[change.date] = seen.get(change.date, 0) + 1
        suffix = f"-{seen[change.date]}" if seen[change.date] > 1 else ""
        found.append(Update(issue, change, f"change-{change.date.iso}{suffix}"))
    order = {id(u): n for n, u in enumerate(found)}
    return sorted(found, key=lambda u: (u.change.date, order[id(u)]), reverse=True)


def issue_corrections(issue: Issue) -> list[Update]:
    """An issue's corrections, newest first (a tie: the order written)."""
    found = [Update(issue, c, f"correction-{n}", correction=True) for n, c in enumerate(issue.corrections, 1)]
    return sorted(found, key=lambda u: u.change.date, reverse=True)


def feed_updates(issue: Issue) -> list[Update]:
    """An issue's changes and corrections, newest first (a tie: the corrections, then the changes)."""
    return sorted([*issue_corrections(issue), *issue_updates(issue)], key=lambda u: u.change.date, reverse=True)


def all_updates(issues: Sequence[Issue]) -> list[Update]:
    """Every issue's changes and corrections, newest first; a tie keeps home-page order."""
    found = [(n, u) for n, issue in enumerate(issues) for u in feed_updates(issue)]
    found.sort(key=lambda pair: (-pair[1].change.date.year, -pair[1].change.date.month, -pair[1].change.date.day,
                                 pair[0]))  # fmt: skip
    return [u for _, u in found]
