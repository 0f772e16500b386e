"""/data/explainer.json, the whole fact base, and /data/previews.json, the summaries hover cards show.

docs/data-export.md documents the schema.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..citations import as_written
from ..dates import PartialDate
from ..i18n import N_
from ..link import Site
from ..model import Actor, Event, Issue, Source, Text

SCHEMA = "explainer-data/1"
PREVIEW_CHARS = 280


def _date(date: PartialDate | None) -> str | None:
    return date.iso if date else None


def _text(text: Text | None) -> str | None:
    return as_written(text.source) if text else None


class Exporter:
    def __init__(self, site: Site, url: Callable[[Any], str]):
        self.site = site
        self.url = url

    def ids(self, ids: Iterable[str]) -> list[str]:
        """Ids that name something in this build (a draft left out is not named)."""
        return [i for i in dict.fromkeys(ids) if i in self.site.entities]

    def issue(self, issue: Issue) -> dict[str, Any]:
        return {
            "id": issue.id,
            "url": self.url(issue),
            "title": issue.title,
            "summary": issue.summary,
            "status": issue.status,
            "order": issue.order,
            "updated": _date(issue.updated),
            "actors": self.ids(self.site.relations.issue_actors.get(issue.id, ())),
            "events": self.ids(self.site.relations.issue_events.get(issue.id, ())),
            "positions": [
                {"actor": p.actor.id, "text": _text(p.text), "stance": p.stance}
                for p in issue.positions
                if p.actor.id in self.site.entities
            ],
            "quotes": [
                {
                    "by": q.by.id,
                    "text": _text(q.text),
                    "date": _date(q.date),
                    "source": q.source.id if q.source else None,
                    "context": _text(q.context),
                    "original": _text(q.original),
                    "lang": q.lang,
                }
                for q in issue.quotes
            ],
            "figures": [
                {"value": f.value, "label": f.label, "source": f.source.id if f.source else None} for f in issue.figures
            ],
            "sources": self.ids(s.id for s in issue.sources),
            "changes": [{"date": c.date.iso, "text": c.text} for c in issue.changes],
            "corrections": [{"date": c.date.iso, "text": c.text} for c in issue.corrections],
            "body": _text(issue.body),
        }

    def actor(self, actor: Actor) -> dict[str, Any]:
        return {
            "id": actor.id,
            "url": self.url(actor),
            "name": actor.name,
            "short": actor.short,
            "kind": actor.kind,
            "role": actor.role,
            "member_of": self.ids(r.id for r in actor.member_of),
            "roles": [{"title": r.title, "from": _date(r.start), "to": _date(r.end)} for r in actor.roles],
            "memberships": [
                {"id": m.group.id, "from": _date(m.start), "to": _date(m.end)}
                for m in actor.memberships
                if m.group.id in self.site.entities
            ],
            "aliases": list(actor.aliases),
            "summary": _text(actor.summary),
            "links": [{"label": label, "url": href} for label, href in actor.links],
        }

    def event(self, event: Event) -> dict[str, Any]:
        return {
            "id": event.id,
            "url": self.url(event),
            "title": event.title,
            "short": event.short,
            "date": event.date.iso,
            "end": _date(event.end),
            "approximate": event.date.approximate or bool(event.end and event.end.approximate),
            "ongoing": event.ongoing,
            "place": event.place,
            "actors": self.ids(r.id for r in event.actors),
            "issues": self.ids(self.site.relations.event_issues.get(event.id, ())),
            "summary": _text(event.summary),
            "sources": self.ids(s.id for s in event.sources),
        }

    @staticmethod
    def source(source: Source) -> dict[str, Any]:
        return {
            "id": source.id,
            "title": source.title,
            "publisher": source.publisher,
            "url": source.url,
            "date": _date(source.date),
            "archived": source.archived,
            "accessed": _date(source.accessed),
            "author": source.author,
            "kind": source.kind,
            "quote": source.quote,
        }

    def relations(self) -> dict[str, dict[str, list[str]]]:
        rel = self.site.relations
        named = {
            "issue_actors": rel.issue_actors, "issue_events": rel.issue_events, "actor_issues": rel.actor_issues,
            "actor_events": rel.actor_events, "event_issues": rel.event_issues, "members": rel.members,
            "mentions": rel.mentions, "source_users": rel.source_users,
        }  # fmt: skip
        return {name: {k: list(v) for k, v in index.items() if v} for name, index in named.items()}

    def head(self) -> dict[str, Any]:
        """Everything but the lists of records and the relations, which data_export() dumps one by one."""
        config = self.site.config
        return {
            "schema": SCHEMA,
            "site": {
                "title": config.title,
                "description": config.description,
                "subtitle": config.subtitle,
                "language": config.language,
                "base_url": config.base_url,
                "updated": _date(config.updated),
                "authors": list(config.authors),
            },
        }


def compact(data: Any) -> str:
    """Compact, keys sorted: the same facts give the same text (and the C encoder, which `indent` would lose)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def dump(data: Any) -> bytes:
    return (compact(data) + "\n").encode("utf-8")


def encoded(data: Any) -> bytes:
    """compact(data) as UTF-8: a piece of a file for assemble()."""
    return compact(data).encode("utf-8")


def listing(items: Iterable[bytes]) -> Iterator[bytes]:
    """The pieces of a JSON list of items that are JSON already: what compact() gives for their values.

    A generator: data_export() hands assemble() each record's piece as it is made, so the records are never
    all in memory as pieces and as the file's bytes at once (128 MB each at 20,000 cards)."""
    yield b"["
    for index, item in enumerate(items):
        yield item if index == 0 else b"," + item
    yield b"]"


def assemble(head: dict[str, Any], parts: dict[str, Iterable[bytes]]) -> bytes:
    """dump(head | {name: value}) for values already dumped as pieces (UTF-8): they are not dumped again.

    Each part goes into a hole that compact() put where sorting the keys puts it (a string holding NUL,
    which no YAML value in head can hold); the pieces are written one by one into the file's bytes.
    """
    holes = {compact(f"\x00{name}\x00"): part for name, part in parts.items()}
    text = compact(head | {name: f"\x00{name}\x00" for name in parts})
    out = io.BytesIO()  # getvalue() hands over its buffer without a copy
    at = 0
    for match in re.finditer("|".join(re.escape(hole) for hole in holes), text):
        out.write(text[at : match.start()].encode("utf-8"))
        for piece in holes[match.group()]:
            out.write(piece)
        at = match.end()
    out.write(text[at:].encode("utf-8") + b"\n")
    return out.getvalue()


def data_export(site: Site, url: Callable[[Any], str]) -> bytes:
    """The fact base as JSON, keys sorted, lists in the site's reading order."""
    exporter = Exporter(site, url)
    parts = {
        "issues": listing(encoded(exporter.issue(i)) for i in site.issues),
        "actors": listing(encoded(exporter.actor(a)) for a in site.actors),
        "events": listing(encoded(exporter.event(e)) for e in site.events),
        "sources": listing(encoded(exporter.source(s)) for s in site.sources),
        "relations": [encoded(exporter.relations())],
    }
    return assemble(exporter.head(), parts)


# what a hover card says an actor is when it has no role (the actor pages' badges spell it "Organisation")
PREVIEW_KINDS = {"person": N_("Person"), "country": N_("Country"), "organization": N_("Organization"),
                 "group": N_("Group")}  # fmt: skip


def previews(site: Site, url: Callable[[Any], str], plain: Callable[[str], str]) -> bytes:
    """URL path → {kind, name, summary} for every issue, actor and event: what a hover card shows."""
    found: dict[str, dict[str, str]] = {}
    words = site.words
    for issue in site.issues:
        found[url(issue)] = {"kind": words.gettext("Issue"), "name": issue.title, "summary": cut(issue.summary)}
    for actor in site.actors:
        summary = plain(actor.summary.source) if actor.summary else ""
        kind = actor.role or words.gettext(PREVIEW_KINDS[actor.kind])
        found[url(actor)] = {"kind": kind, "name": actor.name, "summary": cut(summary)}
    for event in site.events:
        when = words.range(event.date, event.end, event.ongoing)
        summary = plain(event.summary.source) if event.summary else ""
        kind = words.gettext("Event · %(date)s") % {"date": when}
        found[url(event)] = {"kind": kind, "name": event.title, "summary": cut(summary)}
    return dump(found)


def cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1].rsplit(" ", 1)[0] + "…"
