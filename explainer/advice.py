"""Warnings for likely mistakes: content that builds but probably is not what the author meant.

They run after link, on the resolved site, so they never repeat an error; `--strict` makes them fatal.
Draft cards are work in progress: they get no warnings, but what they name still counts as named.
"""

from __future__ import annotations

from collections.abc import Iterator

from .dates import PartialDate
from .diagnostics import Diagnostics
from .hostfiles import absolute_base
from .link import Site, texts_of
from .model import Issue, Ref, Source
from .validate import Records


def likely_mistakes(site: Site, records: Records, diags: Diagnostics) -> None:
    """Warn of cards citing no sources, events naming no actors, stray positions, undated quotes, unnamed actors,
    sources nothing relies on."""
    for issue in site.issues:
        if not issue.draft:
            issue_advice(site, issue, diags)
    for event in site.events:
        if not event.actors:
            diags.warning(event.path, event.line, f"event '{event.id}' names no actors: add 'actors: [id, ...]'")
    drafts = [issue for issue in records.issues if issue.id in site.drafts]
    unused_sources(site, {ref_id for issue in drafts for ref_id in source_ids(issue)}, diags)
    named = {ref_id for issue in drafts for ref_id in actor_ids(issue)}
    relations = site.relations
    for actor in site.actors:
        if actor.id in named:
            continue
        if not (
            relations.actor_issues.get(actor.id)
            or relations.actor_events.get(actor.id)
            or relations.mentions.get(actor.id)
            or relations.members.get(actor.id)
        ):
            diags.warning(
                actor.path,
                actor.line,
                f"actor '{actor.id}' is not named on any page: list it in an issue's or event's 'actors', "
                f"link to it with [[{actor.id}]], or remove it",
            )


def issue_advice(site: Site, issue: Issue, diags: Diagnostics) -> None:
    if not cites_sources(issue):
        diags.warning(issue.path, issue.line, "this issue card cites no sources: list them in 'sources: [id, ...]'")
    listed = {ref.id for ref in issue.actors}
    for position in issue.positions:
        if position.actor.id not in listed:
            diags.warning(
                position.actor.path,
                position.actor.line,
                f"a position for '{position.actor.id}', who is not in this card's 'actors': add it there",
            )
    for number, quote in enumerate(issue.quotes, start=1):
        if quote.date is None and not source_date(site, quote.source):
            diags.warning(
                quote.by.path,
                quote.by.line,
                f"quote {number} has no date, nor a dated source: add 'date: YYYY-MM-DD' (or YYYY-MM, or YYYY)",
            )


def source_date(site: Site, ref: Ref | None) -> PartialDate | None:
    """The date of the source a quote cites: a quote from a dated article is dated by it."""
    source = site.entities.get(ref.id) if ref else None
    return source.date if isinstance(source, Source) else None


def cites_sources(issue: Issue) -> bool:
    return (
        bool(issue.sources)
        or any(q.source for q in issue.quotes)
        or any(f.source for f in issue.figures)
        or any(text.cites for text in texts_of(issue))
    )


def unused_sources(site: Site, in_drafts: set[str], diags: Diagnostics) -> None:
    """Warn of each source that no card or event relies on (a draft's counts)."""
    for source in site.sources:
        if source.id not in in_drafts and not site.relations.source_users.get(source.id):
            diags.warning(
                source.path,
                source.line,
                f"source '{source.id}' is not cited anywhere: cite it at a claim with [[@{source.id}]], list it in a "
                "card's or event's 'sources', or remove it",
            )


def source_ids(issue: Issue) -> Iterator[str]:
    """Every source id a card relies on: its list, its quotes' and figures' sources and its citations."""
    yield from (ref.id for ref in issue.sources)
    yield from (q.source.id for q in issue.quotes if q.source)
    yield from (f.source.id for f in issue.figures if f.source)
    for text in texts_of(issue):
        yield from (cite.source.id for cite in text.cites)


def actor_ids(issue: Issue) -> Iterator[str]:
    """Every id a card names where an actor may stand: its lists, positions, quotes and [[links]]."""
    yield from (ref.id for ref in issue.actors)
    yield from (p.actor.id for p in issue.positions)
    yield from (q.by.id for q in issue.quotes)
    for text in texts_of(issue):
        yield from (ref.id for ref in text.refs)


def advise(site: Site, records: Records, base_url: str, diags: Diagnostics) -> None:
    """After the pages have rendered: the advice warnings."""
    likely_mistakes(site, records, diags)
    warn_base_url(site, base_url, diags)


def warn_base_url(site: Site, base_url: str, diags: Diagnostics) -> None:
    if absolute_base(base_url) is None:
        diags.warning(
            site.config.path,
            None,
            f"base_url '{base_url}' is not a full URL such as https://example.org/explainer/: "
            "sitemap.xml, feed.xml and canonical links are left out",
        )
