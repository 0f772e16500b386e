"""Stage 3, link: resolve every reference and index the links in both directions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .dates import PartialDate
from .diagnostics import Diagnostics, did_you_mean
from .i18n import Words, site_words
from .model import Actor, Entity, Event, Issue, Ref, SiteConfig, Source, Text
from .translated import check_translations
from .validate import Records

Ids = tuple[str, ...]
LINKABLE = ("issues", "actors", "events")
SINGULAR = {"issues": "issue", "actors": "actor", "events": "event", "sources": "source"}


@dataclass(frozen=True, slots=True)
class Relations:
    """Who is linked to whom, each list in reading order (ids only)."""

    issue_actors: Mapping[str, Ids]
    issue_events: Mapping[str, Ids]
    actor_issues: Mapping[str, Ids]
    actor_events: Mapping[str, Ids]
    event_issues: Mapping[str, Ids]
    members: Mapping[str, Ids]
    mentions: Mapping[str, Ids]  # target id → ids of entities whose text [[links]] it
    source_users: Mapping[str, Ids]


@dataclass(frozen=True, slots=True)
class Site:
    """The whole explainer, resolved: what the page planner reads."""

    config: SiteConfig
    issues: tuple[Issue, ...]  # home-page order
    actors: tuple[Actor, ...]  # by name
    events: tuple[Event, ...]  # chronological
    sources: tuple[Source, ...]  # by title
    entities: Mapping[str, Entity]
    relations: Relations
    drafts: frozenset[str] = field(default_factory=frozenset)
    words: Words = field(default_factory=Words)  # the built-in strings, dates and numbers in the site's language

    def get(self, entity_id: str) -> Entity:
        return self.entities[entity_id]


def issue_order(issue: Issue) -> tuple[int, int, str, str]:
    if issue.order is not None:
        return (0, issue.order, issue.title.casefold(), issue.id)
    return (1, 0, issue.title.casefold(), issue.id)


def event_order(event: Event) -> tuple[PartialDate, PartialDate, str, str]:
    return (event.date, event.end or event.date, event.title.casefold(), event.id)


def texts_of(entity: Entity) -> Iterator[Text]:
    """Every Markdown text an entity holds."""
    if isinstance(entity, Issue):
        yield entity.body
        yield from (p.text for p in entity.positions)
        yield from (q.text for q in entity.quotes)
        yield from (q.context for q in entity.quotes if q.context)
        yield from (q.original for q in entity.quotes if q.original)
    elif isinstance(entity, Actor | Event) and entity.summary:
        yield entity.summary


class _Resolver:
    """Checks references against the known ids, reporting each bad one.

    References into something already reported (a card with errors, an
    unreadable actors file, an id defined twice) are not reported again; those
    into a file that could not be parsed are counted, for one note at that file.
    """

    def __init__(self, entities: Mapping[str, Entity], records: Records, hidden: frozenset[str], diags: Diagnostics):
        self.entities = entities
        self.silent = hidden | records.broken
        self.unreadable = records.unreadable
        everything: list[Entity] = [*records.issues, *records.actors, *records.events, *records.sources]
        self.clashing = {e.id for e in everything if entities.get(e.id) is not e}
        self.diags = diags
        self.unparsed = records.unparsed
        self.unchecked: dict[str, set[tuple[str, int, str]]] = defaultdict(set)  # unparsed file → refs into it

    def check(self, ref: Ref, sections: Iterable[str]) -> str | None:
        """The id if ref names a visible entity of one of sections, else None."""
        sections = tuple(sections)
        if ref.id and ref.id not in self.silent:
            target = self.entities.get(ref.id)
            if target is not None and target.section in sections:
                return ref.id  # the common case, without composing a message
        what = _either(SINGULAR[s] for s in sections)
        if not ref.id:
            self.diags.error(ref.path, ref.line, f"empty link: write [[id]] or [[id|label]] with the {what}'s id")
            return None
        if ref.id in self.silent:
            return None
        target = self.entities.get(ref.id)
        if target is None:
            unread = self.unread(ref.id, sections)
            if unread:  # the likely cause, even when a file of those sections could not be parsed
                self.diags.error(ref.path, ref.line, f"unknown {what} '{ref.id}' — {unread}")
            elif self.unreadable.intersection(sections):
                for section, path in self.unparsed:
                    if section in sections:
                        self.unchecked[path].add((ref.path, ref.line, ref.id))
            else:
                choices = [i for i, e in self.entities.items() if e.section in sections]
                self.diags.error(ref.path, ref.line, f"unknown {what} '{ref.id}'{did_you_mean(ref.id, choices)}")
            return None
        if target.section not in sections and ref.id in self.clashing:
            return None
        if target.section not in sections:
            self.diags.error(
                ref.path, ref.line, f"'{ref.id}' is {_article(SINGULAR[target.section])}, not {_article(what)}"
            )
            return None
        return ref.id

    def unread(self, ref_id: str, sections: tuple[str, ...]) -> str:
        """`content/issues/x.markdown was not read: rename it to x.md` when load skipped a file of one of
        sections named after ref_id, else ''."""
        for section in sections:
            unread = self.diags.unread.get((section, ref_id))
            if unread is not None:
                return f"{unread.path} was not read: rename it to {unread.rename}"
        return ""

    def note_unchecked(self) -> None:
        """One note at each unparsed file that references point into: the checks it kept from being made."""
        for path, refs in sorted(self.unchecked.items()):
            count = len(refs)
            first_path, first_line, _ = min(refs)
            section = next(s for s, p in self.unparsed if p == path)
            self.diags.note(
                path,
                None,
                f"{count} reference{'s' if count != 1 else ''} to {section} could not be checked until this file is "
                f"fixed ({'the first ' if count != 1 else ''}at {first_path}:{first_line})",
            )

    def all(self, refs: Iterable[Ref], section: str) -> list[str]:
        """The ids of refs that check() accepts for section (the common case tested here, without a call)."""
        found = []
        silent, get = self.silent, self.entities.get
        for ref in refs:
            if ref.id and ref.id not in silent:
                target = get(ref.id)
                if target is not None and target.section == section:
                    found.append(ref.id)
                    continue
            checked = self.check(ref, (section,))
            if checked:
                found.append(checked)
        return found


def _either(words: Iterable[str]) -> str:
    """`issue`, `issue or actor`, `issue, actor or event`."""
    *rest, last = words
    return f"{', '.join(rest)} or {last}" if rest else last


def _article(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _unique(ids: Iterable[str]) -> Ids:
    return tuple(dict.fromkeys(ids))


def index_entities(records: Records, diags: Diagnostics) -> dict[str, Entity]:
    """All entities by id; a second definition of an id is an error naming both."""
    entities: dict[str, Entity] = {}
    everything: list[Entity] = [*records.issues, *records.actors, *records.events, *records.sources]
    for entity in everything:
        first = entities.get(entity.id)
        if first is not None:
            diags.error(
                entity.path,
                entity.line,
                f"duplicate id '{entity.id}': {_article(SINGULAR[first.section])} with this id "
                f"is already defined at {first.path}:{first.line}",
            )
            continue
        entities[entity.id] = entity
    return entities


def set_map() -> defaultdict[str, set[str]]:
    return defaultdict(set)


@dataclass(slots=True)
class _Links:
    """The relations as link() finds them, each list a set until it is put in reading order."""

    issue_actors: dict[str, Ids] = field(default_factory=dict)
    issue_events: defaultdict[str, set[str]] = field(default_factory=set_map)
    event_issues: defaultdict[str, set[str]] = field(default_factory=set_map)
    actor_issues: defaultdict[str, set[str]] = field(default_factory=set_map)
    actor_events: defaultdict[str, set[str]] = field(default_factory=set_map)
    members: defaultdict[str, set[str]] = field(default_factory=set_map)
    mentions: defaultdict[str, set[str]] = field(default_factory=set_map)
    links_to: defaultdict[str, set[str]] = field(default_factory=set_map)  # mentions reversed: O(1) per issue
    source_users: defaultdict[str, set[str]] = field(default_factory=set_map)

    def relations(self, ordered: Callable[[Iterable[str]], Ids]) -> Relations:
        return Relations(
            issue_actors=self.issue_actors,
            issue_events={k: ordered(v) for k, v in self.issue_events.items()},
            actor_issues={k: ordered(v) for k, v in self.actor_issues.items()},
            actor_events={k: ordered(v) for k, v in self.actor_events.items()},
            event_issues={k: ordered(v) for k, v in self.event_issues.items()},
            members={k: ordered(v) for k, v in self.members.items()},
            mentions={k: ordered(v) for k, v in self.mentions.items()},
            source_users={k: ordered(v) for k, v in self.source_users.items()},
        )


def _mentions(links: _Links, linkable: Iterable[Entity], resolver: _Resolver, entities: Mapping[str, Entity]) -> None:
    silent, get = resolver.silent, entities.get
    for entity in linkable:
        for text in texts_of(entity):
            for ref in text.refs:
                found = get(ref.id) if ref.id and ref.id not in silent else None
                # check()'s common case without the call; anything else goes to check(), which reports it
                target = ref.id if found is not None and found.section in LINKABLE else resolver.check(ref, LINKABLE)
                if target and target != entity.id:
                    links.mentions[target].add(entity.id)
                    links.links_to[entity.id].add(target)


def _issue_links(links: _Links, issues: Iterable[Issue], resolver: _Resolver, entities: Mapping[str, Entity]) -> None:
    for issue in issues:
        named = [
            *resolver.all(issue.actors, "actors"),
            *resolver.all((p.actor for p in issue.positions), "actors"),
            *resolver.all((q.by for q in issue.quotes), "actors"),
        ]
        links.issue_actors[issue.id] = _unique(named)
        for actor_id in [*named, *links.links_to[issue.id]]:
            if entities[actor_id].section == "actors":
                links.actor_issues[actor_id].add(issue.id)
        for event_id in resolver.all(issue.events, "events"):
            links.issue_events[issue.id].add(event_id)
            links.event_issues[event_id].add(issue.id)
        cited = [*issue.sources, *(q.source for q in issue.quotes if q.source),
                 *(f.source for f in issue.figures if f.source),
                 *(c.source for text in texts_of(issue) for c in text.cites if c.source.id)]  # fmt: skip
        for source_id in resolver.all(cited, "sources"):
            links.source_users[source_id].add(issue.id)


def _event_links(links: _Links, events: Iterable[Event], resolver: _Resolver) -> None:
    for event in events:
        for issue_id in resolver.all(event.issues, "issues"):
            links.issue_events[issue_id].add(event.id)
            links.event_issues[event.id].add(issue_id)
        for actor_id in resolver.all(event.actors, "actors"):
            links.actor_events[actor_id].add(event.id)
        for source_id in resolver.all(event.sources, "sources"):
            links.source_users[source_id].add(event.id)


def _memberships(links: _Links, actors: Iterable[Actor], resolver: _Resolver, diags: Diagnostics) -> None:
    for actor in actors:
        for ref in actor.member_of:
            if ref.id == actor.id:
                diags.error(ref.path, ref.line, f"actor '{actor.id}' cannot be a member of itself")
                continue
            group_id = resolver.check(ref, ("actors",))
            if group_id:
                links.members[group_id].add(actor.id)


def link(records: Records, diags: Diagnostics, include_drafts: bool = False) -> Site | None:
    """Resolve all references and index backlinks; None if the config is unusable."""
    entities = index_entities(records, diags)
    hidden = frozenset(i.id for i in records.issues if i.draft and not include_drafts)
    resolver = _Resolver(entities, records, hidden, diags)
    issues = sorted((i for i in records.issues if i.id not in hidden and entities.get(i.id) is i), key=issue_order)
    actors = sorted((a for a in records.actors if entities.get(a.id) is a), key=lambda a: (a.name.casefold(), a.id))
    events = sorted((e for e in records.events if entities.get(e.id) is e), key=event_order)
    sources = sorted((s for s in records.sources if entities.get(s.id) is s), key=lambda s: (s.title.casefold(), s.id))
    ranked: list[Entity] = [*issues, *actors, *events, *sources]
    rank = {e.id: n for n, e in enumerate(ranked)}

    def ordered(ids: Iterable[str]) -> Ids:
        return tuple(sorted(set(ids), key=rank.__getitem__))

    links = _Links()
    _mentions(links, [*issues, *actors, *events], resolver, entities)
    _issue_links(links, issues, resolver, entities)
    _event_links(links, events, resolver)
    _memberships(links, actors, resolver, diags)
    if records.translations or records.texts:  # their [[links]] add no relation: those are the default's
        check = resolver.check
        check_translations(records.translations, records.texts, records.issues, records.broken,
                           lambda ref: check(ref, LINKABLE), diags)  # fmt: skip
    resolver.note_unchecked()
    if records.site is None:
        return None
    relations = links.relations(ordered)
    visible = {i: e for i, e in entities.items() if i not in hidden}
    words = site_words(records.site, records.catalogues, diags)
    return Site(records.site, tuple(issues), tuple(actors), tuple(events), tuple(sources), visible, relations, hidden,
                words)  # fmt: skip
