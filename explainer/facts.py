"""Actors, events and sources, typed from their entries in content/actors.yaml, events.yaml and sources.yaml."""

from __future__ import annotations

from .diagnostics import did_you_mean
from .fields import Fields, describe
from .model import (
    ACTOR_KINDS,
    SOURCE_KINDS,
    Actor,
    Event,
    Source,
)
from .parts import no_citations, validate_image
from .roles import read_memberships, read_roles
from .typography import typeset

ACTOR_FIELDS = ("name", "short", "kind", "role", "roles", "member_of", "aliases", "summary", "links", "image")
EVENT_FIELDS = ("title", "short", "date", "end", "place", "actors", "issues", "summary", "sources", "image")
SOURCE_FIELDS = ("title", "publisher", "url", "date", "archived", "accessed", "author", "kind", "quote")


def validate_short(fields: Fields) -> str | None:
    """The `short` name a bare [[id]] shows: plain text, never empty."""
    value = fields.data.get("short")
    if "short" in fields.data and (value is None or (isinstance(value, str) and not value.strip())):
        fields.error("short", "'short' is empty: write a shorter name, or leave the field out")
        return None
    short: str | None = fields.by_language("short", "prose")
    if short and "[[" in short:
        fields.error("short", "'short' is plain text, the text of links to this page: write the name without '[['")
        return None
    return short


def validate_actor(fields: Fields, actor_id: str) -> Actor | None:
    fields.check_known(ACTOR_FIELDS)
    name = fields.by_language("name", "prose", required=True)
    kind = fields.text("kind", required=True)
    if kind is not None and kind not in ACTOR_KINDS:
        choices = ", ".join(ACTOR_KINDS)
        fields.error("kind", f"unknown kind '{kind}' (one of {choices}){did_you_mean(kind, ACTOR_KINDS)}")
        kind = None
    links = []
    for label, url in fields.mapping("links").items():
        if not isinstance(url, str) or not url.strip():
            fields.error("links", f"the link '{label}' must be a URL, not {describe(url)}")
            continue
        if "[[" in str(label):
            fields.warn_plain("links", fields.line("links", label))
        links.append((typeset(label, fields.smart_quotes), url.strip()))
    roles, current = read_roles(fields)
    memberships = read_memberships(fields)
    if name is None or kind is None:
        return None
    summary = fields.by_language("summary", "markdown")
    no_citations(summary, fields.diags, "an actor's summary")
    return Actor(
        id=actor_id,
        path=fields.doc.path,
        line=fields.line(),
        name=name,
        kind=kind,
        role=fields.by_language("role", "prose") if "role" in fields.data else current,
        member_of=tuple(m.group for m in memberships),
        aliases=fields.strings("aliases"),
        summary=summary,
        links=tuple(links),
        short=validate_short(fields),
        image=validate_image(fields),
        roles=roles,
        memberships=memberships,
    )


def validate_event(fields: Fields, event_id: str) -> Event | None:
    fields.check_known(EVENT_FIELDS)
    title = fields.by_language("title", "prose", required=True)
    date = fields.date("date", required=True, approximate=True)
    ongoing = fields.data.get("end") == "ongoing"
    end = None if ongoing else fields.date("end", approximate=True)
    if date and end and end.is_before(date):
        fields.error("end", f"'end' ({end}) is before 'date' ({date}): swap them or fix one")
        end = None
    if title is None or date is None:
        return None
    summary = fields.by_language("summary", "markdown")
    no_citations(summary, fields.diags, "an event's summary (list the source in 'sources')")
    return Event(
        id=event_id,
        path=fields.doc.path,
        line=fields.line(),
        title=title,
        date=date,
        end=end,
        place=fields.by_language("place", "prose"),
        actors=fields.refs("actors"),
        issues=fields.refs("issues"),
        summary=summary,
        sources=fields.refs("sources"),
        short=validate_short(fields),
        image=validate_image(fields),
        ongoing=ongoing,
    )


def validate_source(fields: Fields, source_id: str) -> Source | None:
    fields.check_known(SOURCE_FIELDS)
    title = fields.by_language("title", "prose", required=True)
    kind = fields.text("kind")
    if kind is not None and kind not in SOURCE_KINDS:
        choices = ", ".join(SOURCE_KINDS)
        fields.error("kind", f"unknown source kind '{kind}' (one of {choices}){did_you_mean(kind, SOURCE_KINDS)}")
    if title is None:
        return None
    return Source(
        id=source_id,
        path=fields.doc.path,
        line=fields.line(),
        title=title,
        publisher=fields.by_language("publisher", "prose"),
        url=fields.text("url"),
        date=fields.date("date"),
        archived=fields.text("archived"),
        accessed=fields.date("accessed"),
        author=fields.prose("author"),
        kind=kind if kind in SOURCE_KINDS else None,
        quote=fields.prose("quote"),
    )


FACT_VALIDATORS = {
    "actors": ("actor", validate_actor),
    "events": ("event", validate_event),
    "sources": ("source", validate_source),
}
