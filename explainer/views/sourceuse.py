"""The /sources/ page's data: every source, and every card, claim, quote, figure and event relying on it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..citations import cited_sources
from ..link import Site
from ..model import Entity, Event, Figure, Issue, Source


@dataclass(frozen=True, slots=True)
class CardUse:
    """What one card takes from one source."""

    issue: Issue
    claims: tuple[tuple[str, str], ...]  # each citation at a claim: (its marker's id on the card, its marker text)
    quotes: tuple[Entity, ...]  # the speaker of each quote the source backs
    figures: tuple[Figure, ...]
    listed: bool  # named in the card's `sources`


@dataclass(frozen=True, slots=True)
class SourceUse:
    source: Source
    cards: tuple[CardUse, ...]
    events: tuple[Event, ...]


def card_uses(issue: Issue, entities: Mapping[str, Entity]) -> dict[str, CardUse]:
    """source id → what issue takes from it."""
    claims = {
        cited.source: tuple(
            (mark, f"[{cited.number}, {at}]" if at else f"[{cited.number}]") for mark, at in cited.marks
        )
        for cited in cited_sources(issue)
    }
    quotes: dict[str, list[Entity]] = {}
    for quote in issue.quotes:
        if quote.source and quote.by.id in entities:
            quotes.setdefault(quote.source.id, []).append(entities[quote.by.id])
    figures: dict[str, list[Figure]] = {}
    for figure in issue.figures:
        if figure.source:
            figures.setdefault(figure.source.id, []).append(figure)
    listed = {ref.id for ref in issue.sources}
    every = dict.fromkeys([*claims, *quotes, *figures, *(ref.id for ref in issue.sources)])
    return {
        source: CardUse(
            issue,
            claims.get(source, ()),
            tuple(quotes.get(source, ())),
            tuple(figures.get(source, ())),
            source in listed,
        )
        for source in every
    }


def source_uses(site: Site) -> list[SourceUse]:
    """Every source (by title) with the cards (home-page order) and events (by date) relying on it."""
    cards: dict[str, list[CardUse]] = {}
    for issue in site.issues:
        for source, use in card_uses(issue, site.entities).items():
            cards.setdefault(source, []).append(use)
    events: dict[str, list[Event]] = {}
    for event in site.events:
        for ref in dict.fromkeys(ref.id for ref in event.sources):
            events.setdefault(ref, []).append(event)
    return [SourceUse(s, tuple(cards.get(s.id, ())), tuple(events.get(s.id, ()))) for s in site.sources]
