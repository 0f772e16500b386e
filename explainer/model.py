"""The typed records that flow between the stages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import PartialDate
from .reads import watch

ACTOR_KINDS = ("person", "country", "organization", "group")
PARTY_KINDS = ("person", "organization")
STANCES = ("for", "against", "mixed", "unclear")  # a position's stance on its card's question or proposal
_WAYBACK_STAMP = re.compile(r"/web/(\d{4})(\d{2})(\d{2})\d*(?:[a-z]{2}_)?/")
SOURCE_KINDS = ("document", "article", "statement", "interview", "dataset", "video")


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to an id, as written, with where it was written."""

    id: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Cite:
    """A citation at a claim, `[[@source-id, locator]]`: the source's id (with where it was written) and the
    locator, if any (a page, a section, a timestamp)."""

    source: Ref
    locator: str | None = None


@dataclass(frozen=True, slots=True)
class Text:
    """Markdown text with where it starts, the [[refs]] and the [[@citations]] it contains."""

    source: str
    path: str
    line: int
    refs: tuple[Ref, ...] = ()
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True, slots=True)
class Party:
    """Who writes or publishes the explainer (site.yaml `authors`, `publisher`), as the pages' metadata names them."""

    name: str
    kind: str = "person"  # one of PARTY_KINDS
    url: str | None = None
    logo: str | None = None


@dataclass(frozen=True, slots=True)
class SiteConfig:
    path: str
    title: str
    description: str
    subtitle: str | None = None
    language: str = "en"  # the default language: the only one, or the first of languages
    languages: tuple[str, ...] = ()  # `languages: [en, es, fa]`: every language the site is published in
    base_url: str = "/"
    updated: PartialDate | None = None
    authors: tuple[str, ...] = ()  # the names of bylines, as the footer and feeds show them
    smart_quotes: bool = True
    allow_html: bool = False
    bylines: tuple[Party, ...] = ()  # the authors, each a person or an organization
    publisher: Party | None = None
    map_agreement: int = 2  # the map's "same side": actors that took the same stance on at least this many issues


@dataclass(frozen=True, slots=True)
class Catalogue:
    """A site's own wording of built-in strings in one language (`content/i18n/<lang>.po`)."""

    path: str
    language: str  # the file's name: `fa`, `pt-BR`
    messages: tuple[tuple[str, str | tuple[str, ...]], ...]  # msgid (a plural's: singular NUL plural) → msgstr


@dataclass(frozen=True, slots=True)
class Image:
    """A picture a card, actor or event shows at its top (`image: {src, alt, caption, credit}`)."""

    src: str  # relative to the content folder: `media/map.png`
    alt: str | None  # None: not given (a warning); "": decorative, on purpose
    path: str
    line: int
    caption: str | None = None
    credit: str | None = None


@dataclass(frozen=True, slots=True)
class Position:
    actor: Ref
    text: Text
    stance: str | None = None  # one of STANCES, when written `{text, stance}`


@dataclass(frozen=True, slots=True)
class Quote:
    by: Ref
    text: Text
    date: PartialDate | None = None
    source: Ref | None = None
    context: Text | None = None  # inline Markdown: "at a news conference after the [[geneva-talks]]"
    original: Text | None = None  # the words as said, in their own language; text is the translation
    lang: str | None = None  # the original's BCP 47 tag (given whenever original is)


@dataclass(frozen=True, slots=True)
class Figure:
    value: str
    label: str
    source: Ref | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """One dated note of what changed on an issue card (`changes:`)."""

    date: PartialDate
    text: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Issue:
    id: str
    path: str
    line: int
    title: str
    summary: str
    body: Text
    order: int | None = None
    status: str | None = None
    actors: tuple[Ref, ...] = ()
    events: tuple[Ref, ...] = ()
    positions: tuple[Position, ...] = ()
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    sources: tuple[Ref, ...] = ()
    updated: PartialDate | None = None
    draft: bool = False
    changes: tuple[Change, ...] = ()  # as written; views sort them
    published: PartialDate | None = None
    corrections: tuple[Change, ...] = ()  # `corrections:` as written: what was wrong and was put right
    # made from the texts' [[@citations]] (citations.py): each source cited at a claim, in the order of numbering,
    # with the locator of each citation of it; pages that list a card's citations read this, not every text
    citations: tuple[tuple[str, tuple[str | None, ...]], ...] = ()
    image: Image | None = None

    section = "issues"

    @property
    def name(self) -> str:
        return self.title

    @property
    def link_text(self) -> str:
        """What a bare `[[id]]` shows."""
        return self.title


@dataclass(frozen=True, slots=True)
class Role:
    """One of an actor's `roles:`: its title from start to end, each a partial date or open (None)."""

    title: str
    start: PartialDate | None = None  # `from:`
    end: PartialDate | None = None  # `to:`


@dataclass(frozen=True, slots=True)
class Membership:
    """One `member_of` entry: the group, and from when to when (`{id, from, to}`; a plain id has no dates)."""

    group: Ref
    start: PartialDate | None = None
    end: PartialDate | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    path: str
    line: int
    name: str
    kind: str
    role: str | None = None
    member_of: tuple[Ref, ...] = ()
    aliases: tuple[str, ...] = ()
    summary: Text | None = None
    links: tuple[tuple[str, str], ...] = ()
    short: str | None = None  # a shorter name for link text ("NATO" for the alliance's full name)
    image: Image | None = None
    roles: tuple[Role, ...] = ()  # the dated history, as written (explainer/roles.py reads it)
    memberships: tuple[Membership, ...] = ()  # member_of's entries with their dates, in member_of's order

    section = "actors"

    @property
    def title(self) -> str:
        return self.name

    @property
    def link_text(self) -> str:
        """What a bare `[[id]]` shows: the short name, else the name."""
        return self.short or self.name


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    path: str
    line: int
    title: str
    date: PartialDate
    end: PartialDate | None = None
    place: str | None = None
    actors: tuple[Ref, ...] = ()
    issues: tuple[Ref, ...] = ()
    summary: Text | None = None
    sources: tuple[Ref, ...] = ()
    short: str | None = None  # a shorter name for link text ("the Geneva talks" for a long headline)
    image: Image | None = None
    ongoing: bool = False  # `end: ongoing` (end is then None)

    section = "events"

    @property
    def name(self) -> str:
        return self.title

    @property
    def link_text(self) -> str:
        """What a bare `[[id]]` shows: the short name, else the title."""
        return self.short or self.title


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    path: str
    line: int
    title: str
    publisher: str | None = None
    url: str | None = None
    date: PartialDate | None = None
    archived: str | None = None  # a snapshot of url (the Wayback Machine's): the link's fallback
    accessed: PartialDate | None = None  # when the writer read it
    author: str | None = None
    kind: str | None = None  # one of SOURCE_KINDS
    quote: str | None = None  # the passage relied on, plain text

    section = "sources"

    @property
    def name(self) -> str:
        return self.title

    @property
    def version_date(self) -> str | None:
        """When the snapshot's version was current (Robust Links' `data-versiondate`): `accessed`, else the day in
        a Wayback Machine address (`/web/20220110093000/...`), else None."""
        if self.accessed:
            return self.accessed.iso
        stamp = _WAYBACK_STAMP.search(self.archived or "")
        return f"{stamp[1]}-{stamp[2]}-{stamp[3]}" if stamp else None

    @property
    def link_text(self) -> str:
        return self.title


Entity = Issue | Actor | Event | Source


# Every field read is noted while a recording is open (reads.py): how build and serve know what a page read.
# fmt: off
watch(
    (Ref, Cite, Text, Party, SiteConfig, Catalogue, Image, Position, Quote, Figure, Change, Role, Membership,
     Issue, Actor, Event, Source),
    (Issue, Actor, Event, Source),
)
# fmt: on
