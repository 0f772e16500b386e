"""The positions matrix: actors × issues, each cell an actor's stance on an issue."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..model import Actor, Issue, Position, Text
from ..typography import typeset

SHORT = 80  # characters of a stance shown in its cell; the rest opens on request
MAX_ISSUES = 40  # columns: the first issues in home-page order
MAX_ACTORS = 60  # rows: the actors with the most positions among those issues


@dataclass(frozen=True, slots=True)
class Cell:
    text: Text | None  # the whole stance, Markdown; None: no stated position
    short: str  # plain text, cut at a word near SHORT, with "…"; "" when the stance fits
    plain: str = ""  # the whole stance as plain text, for a tooltip
    stance: str | None = None  # for, against, mixed, unclear (model.STANCES), when written


@dataclass(frozen=True, slots=True)
class Matrix:
    issues: tuple[Issue, ...]
    rows: tuple[tuple[Actor, int, tuple[Cell, ...]], ...]  # actor, positions held, one cell per issue
    total_issues: int
    total_actors: int


def shorten(text: str, limit: int = SHORT) -> str:
    """ "" if text fits in limit, else its start cut at a word with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return ""
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def markdown_plain(source: str, name: Callable[[str], str], smart_quotes: bool) -> str:
    """Markdown source as one line of plain text, typeset as its rendered HTML is (`smart_quotes`); [[id]]
    links become what a bare link shows (or their labels)."""
    from ..citations import unmarked
    from ..refs import REF_RE

    def label(match: re.Match[str]) -> str:
        return (match.group(2) or "").strip() or name(match.group(1).strip())

    return typeset(" ".join(re.sub(r"[*_`#>]", "", REF_RE.sub(label, unmarked(source))).split()), smart_quotes)


def matrix(issues: Sequence[Issue], actors: dict[str, Actor], name: Callable[[str], str],
           smart_quotes: bool) -> Matrix:  # fmt: skip
    """The matrix of the first MAX_ISSUES issues; rows by positions held (most first), then name."""
    shown = tuple(issues[:MAX_ISSUES])
    stances: dict[str, dict[str, Position]] = {}
    for issue in shown:
        for position in issue.positions:
            if position.actor.id in actors:
                stances.setdefault(position.actor.id, {}).setdefault(issue.id, position)
    ranked = sorted(stances, key=lambda a: (-len(stances[a]), actors[a].name.casefold(), a))
    rows = []
    for actor_id in ranked[:MAX_ACTORS]:
        cells = []
        for issue in shown:
            held = stances[actor_id].get(issue.id)
            plain = markdown_plain(held.text.source, name, smart_quotes) if held else ""
            cells.append(Cell(held.text if held else None, shorten(plain), plain, held.stance if held else None))
        rows.append((actors[actor_id], len(stances[actor_id]), tuple(cells)))
    return Matrix(shown, tuple(rows), len(issues), len(ranked))
