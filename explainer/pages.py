"""Stage 4, plan: the pages to write, each with its template and resolved context."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from . import reads
from .citations import cited_sources
from .dates import PartialDate
from .i18n import N_, Words
from .link import Site
from .model import STANCES, Actor, Entity, Event, Issue, Role, Text
from .roles import membership_in, roles_at
from .views.changes import LATEST, all_updates, issue_corrections, issue_updates
from .views.citing import byline, page_dates
from .views.matrix import markdown_plain, matrix
from .views.relmap import KIND_LABELS as RELATION_LABELS
from .views.relmap import SIDES, Graph, map_years
from .views.sourceuse import source_uses
from .views.timeline import chart

KIND_GROUPS = (
    ("country", N_("Countries")),
    ("organization", N_("Organisations")),
    ("person", N_("People")),
    ("group", N_("Groups")),
)
KIND_LABELS = {"person": N_("Person"), "country": N_("Country"), "organization": N_("Organisation"),
               "group": N_("Group")}  # fmt: skip
HOME_ACTORS = 8
HOME_EVENTS = 5
Later = tuple[Callable[..., dict[str, Any]], tuple[Any, ...]]  # how to make a page's context, and from what


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page to write: where, with which template, from what."""

    url: str  # relative to the site root: "", "issues/nato-expansion/"
    template: str
    kind: str  # home, issue, actor, event, actors, events, positions, map, search, 404
    title: str
    description: str
    context: dict[str, Any]
    updated: PartialDate | None = None
    file: str | None = None  # the output file, when it is not <url>index.html
    later: Later | None = None  # plan(lazy=True): the context is made by complete(), in the process that renders

    @property
    def output_path(self) -> str:
        return self.file or f"{self.url}index.html"

    def complete(self) -> PageSpec:
        """The page with its context, made now if plan(lazy=True) left it for later."""
        if self.later is None:
            return self
        make, args = self.later
        return replace(self, context=make(*args), later=None)


def entity_url(entity: Entity) -> str:
    """The URL path of an entity's page, relative to the site root."""
    return f"{entity.section}/{entity.id}/"


def speaker_roles(speaker: Entity | None, when: PartialDate | None) -> tuple[Role, ...]:
    """The roles a quote's speaker held all through its date (roles.py)."""
    return roles_at(speaker, when) if isinstance(speaker, Actor) else ()


def neighbours(items: tuple[Any, ...], index: int) -> tuple[Any | None, Any | None]:
    before = items[index - 1] if index > 0 else None
    after = items[index + 1] if index + 1 < len(items) else None
    return before, after


def plain(text: str, limit: int = 300) -> str:
    """A one-line description, cut at a word near limit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


class Planner:
    def __init__(self, site: Site):
        self.site = site
        self.rel = site.relations
        # The tables many pages read, made on first use (reads.shaped: what they read of any record, so that
        # build and serve know when they change) and noted as used by each page that reads them.
        self.tables: dict[str, Any] = {}
        self.shapes: dict[str, frozenset[tuple[str, str]]] = {}
        # The tables whose reads are not recorded: all, unless the machinery around asks (serve, a cached build;
        # not one whose reads are known to be as last time). A build that records nothing (`--no-cache`) then
        # never puts reads.py's descriptors in place, and every record's field reads at the slot's own speed.
        self.unrecorded: set[str] = {*self.TABLES, "map-years"}

    TABLES = ("quotes", "graph")  # those a cached build leaves unrecorded when it knows their reads are as last time

    def table(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self.tables:
            if name in self.unrecorded:
                with reads.recorded(None):  # made on a page's first use: its reads are the table's, not the page's
                    self.tables[name] = make()
            else:
                self.tables[name], self.shapes[name] = reads.shaped(make)
        reads.uses(name)
        return self.tables[name]

    @property
    def quotes_by(self) -> dict[str, list[tuple[str, int]]]:
        """Actor id → (issue id, index of the quote in the issue's quotes), in reading order."""
        return self.table("quotes", self.index_quotes)  # type: ignore[no-any-return]

    def index_quotes(self) -> dict[str, list[tuple[str, int]]]:
        found: dict[str, list[tuple[str, int]]] = {}
        for issue in self.site.issues:
            for index, quote in enumerate(issue.quotes):
                found.setdefault(quote.by.id, []).append((issue.id, index))
        return found

    @property
    def graph(self) -> Graph:
        site = self.site

        def made() -> Graph:
            return Graph(site.actors, site.issues, site.events, site.entities, site.config.map_agreement)

        return self.table("graph", made)  # type: ignore[no-any-return]

    def name(self, entity_id: str) -> str:
        """What a bare [[link]] to an id shows in plain text."""
        entity = self.site.entities.get(entity_id)
        return entity.link_text if entity else entity_id

    def plain(self, text: Text) -> str:
        """Markdown source as plain text for a meta description: links by what they show."""
        return plain(markdown_plain(text.source, self.name, self.site.config.smart_quotes))

    def objects(self, ids: Iterable[str]) -> list[Any]:
        return [self.site.entities[i] for i in ids if i in self.site.entities]

    @staticmethod
    def context(lazy: bool, make: Callable[..., dict[str, Any]], *args: Any) -> tuple[dict[str, Any], Later | None]:
        """A page's context and PageSpec.later: the context made now, or how to make it later."""
        return ({}, (make, args)) if lazy else (make(*args), None)

    def issue_page(self, issue: Issue, index: int, lazy: bool = False) -> PageSpec:
        context, later = self.context(lazy, self.issue_context, issue, index)
        updated = issue.updated or self.site.config.updated
        return PageSpec(entity_url(issue), "issue.html", "issue", issue.title, plain(issue.summary), context, updated,
                        later=later)  # fmt: skip

    def issue_context(self, issue: Issue, index: int) -> dict[str, Any]:
        before, after = neighbours(self.site.issues, index)
        get = self.site.entities.get
        positions = [(get(p.actor.id), p.text, p.stance) for p in issue.positions if p.actor.id in self.site.entities]
        counts = Counter(p.stance for p in issue.positions if p.stance and p.actor.id in self.site.entities)
        quotes = [(q, get(q.by.id), get(q.source.id) if q.source else None, speaker_roles(get(q.by.id), q.date))
                  for q in issue.quotes]  # fmt: skip
        figures = [(f, get(f.source.id) if f.source else None) for f in issue.figures]
        events: list[Event] = self.objects(self.rel.issue_events.get(issue.id, ()))
        config = self.site.config
        cited = {c.source: c for c in cited_sources(issue) if c.source in self.site.entities}
        context = {
            "issue": issue,
            "positions": positions,
            "stance_counts": [(stance, counts[stance]) for stance in STANCES if counts[stance]],
            "quotes": quotes,
            "figures": figures,
            "actors": self.objects(self.rel.issue_actors.get(issue.id, ())),
            "events": events,
            # those cited at claims first, by number (an <ol>: the same numbers), then the rest as listed
            "sources": self.objects(dict.fromkeys([*cited, *(s.id for s in issue.sources)])),
            "citations": cited,
            "mentioned_in": self.objects(self.rel.mentions.get(issue.id, ())),
            "previous": before,
            "next": after,
            "updates": issue_updates(issue),
            "corrections": issue_corrections(issue),
            "cite": {"by": [party.name for party in byline(config)], "date": page_dates(issue, config)[1]},
            "chart": chart(events, self.site.words),
        }
        return context

    def actor_page(self, actor: Actor, lazy: bool = False) -> PageSpec:
        context, later = self.context(lazy, self.actor_context, actor)
        role = actor.role or KIND_LABELS[actor.kind]
        description = self.plain(actor.summary) if actor.summary else f"{actor.name}: {role}"
        return PageSpec(entity_url(actor), "actor.html", "actor", actor.name, description, context,
                        self.site.config.updated, later=later)  # fmt: skip

    def actor_context(self, actor: Actor) -> dict[str, Any]:
        issues = []
        for issue in self.objects(self.rel.actor_issues.get(actor.id, ())):
            held = next((p for p in issue.positions if p.actor.id == actor.id), None)
            issues.append((issue, held.text if held else None, held.stance if held else None))
        entities = self.site.entities
        quotes = [
            (issue, issue.quotes[n], roles_at(actor, issue.quotes[n].date))
            for i, n in self.quotes_by.get(actor.id, [])
            if isinstance(issue := entities[i], Issue)
        ]
        mentioned = [e for e in self.objects(self.rel.mentions.get(actor.id, ())) if not isinstance(e, Issue)]
        events: list[Event] = self.objects(self.rel.actor_events.get(actor.id, ()))
        members = [(m, membership_in(m, actor.id)) for m in self.objects(self.rel.members.get(actor.id, ()))]
        context = {
            "actor": actor,
            "kind_label": self.words.gettext(KIND_LABELS[actor.kind]),
            "member_of": [
                (group, membership_in(actor, group.id))
                for group in self.objects(dict.fromkeys(r.id for r in actor.member_of))
            ],
            "members": [(m, span) for m, span in members if span is None or span.end is None],
            "former_members": [(m, span) for m, span in members if span is not None and span.end is not None],
            "issues": issues,
            "events": events,
            "quotes": quotes,
            "mentioned_in": mentioned,
            "relmap": self.graph.around(actor.id),
            "relation_labels": RELATION_LABELS,
            "chart": chart(events, self.site.words),
        }
        return context

    def event_page(self, event: Event, index: int, lazy: bool = False) -> PageSpec:
        context, later = self.context(lazy, self.event_context, event, index)
        description = self.plain(event.summary) if event.summary else f"{event.title}, {self.words.date(event.date)}"
        return PageSpec(entity_url(event), "event.html", "event", event.title, description, context,
                        self.site.config.updated, later=later)  # fmt: skip

    def event_context(self, event: Event, index: int) -> dict[str, Any]:
        before, after = neighbours(self.site.events, index)
        actors = self.objects(dict.fromkeys(r.id for r in event.actors))
        context = {
            "event": event,
            "actors": actors,
            "roles": {a.id: roles_at(a, event.date) for a in actors},
            "issues": self.objects(self.rel.event_issues.get(event.id, ())),
            "sources": self.objects(dict.fromkeys(s.id for s in event.sources)),
            "mentioned_in": self.objects(self.rel.mentions.get(event.id, ())),
            "previous": before,
            "next": after,
        }
        return context

    def home_page(self) -> PageSpec:
        ranked = sorted(
            self.site.actors,
            key=lambda a: (-len(self.rel.actor_issues.get(a.id, ())), a.name.casefold()),
        )
        context = {
            "issues": self.site.issues,
            "key_actors": [a for a in ranked if self.rel.actor_issues.get(a.id)][:HOME_ACTORS],
            "latest_events": list(reversed(self.site.events))[:HOME_EVENTS],
            "positions": {i.id: len(i.positions) for i in self.site.issues},
            "updates": all_updates(self.site.issues)[:LATEST],
        }
        config = self.site.config
        return PageSpec("", "home.html", "home", config.title, plain(config.description), context, config.updated)

    def actors_index(self) -> PageSpec:
        words = self.words
        actors = self.site.actors
        groups = [(words.gettext(label), [a for a in actors if a.kind == kind]) for kind, label in KIND_GROUPS]
        context = {"groups": [(label, actors) for label, actors in groups if actors]}
        description = self.about(N_("The people, countries and organisations in %(site)s."))
        return PageSpec("actors/", "actors.html", "actors", words.gettext("Who’s who"), description, context,
                        self.site.config.updated)  # fmt: skip

    def events_index(self, lazy: bool = False) -> PageSpec:
        context, later = self.context(lazy, self.events_context)
        description = self.about(N_("Every event in %(site)s, in order."))
        return PageSpec("events/", "events.html", "events", self.words.gettext("Timeline"), description, context,
                        self.site.config.updated, later=later)  # fmt: skip

    def events_context(self) -> dict[str, Any]:
        years: dict[int, list[Event]] = {}
        for event in self.site.events:
            years.setdefault(event.date.year, []).append(event)
        context = {
            "years": list(years.items()),
            "chart": chart(self.site.events, self.site.words),
            "filter_issues": [i for i in self.site.issues if self.rel.issue_events.get(i.id)],
            "filter_actors": [a for a in self.site.actors if self.rel.actor_events.get(a.id)],
            "tags": {
                e.id: (" ".join(self.rel.event_issues.get(e.id, ())), " ".join(dict.fromkeys(r.id for r in e.actors)))
                for e in self.site.events
            },
        }
        return context

    def positions_page(self) -> PageSpec:
        actors = {a.id: a for a in self.site.actors}
        context = {"matrix": matrix(self.site.issues, actors, self.name, self.site.config.smart_quotes)}
        description = self.about(N_("Where each side stands on every issue in %(site)s, at a glance."))
        config = self.site.config
        title = self.words.gettext("Who wants what")
        return PageSpec("positions/", "positions.html", "positions", title, description, context,
                        config.updated)  # fmt: skip

    @property
    def map_years(self) -> tuple[int, ...]:
        return self.table("map-years", lambda: map_years(self.site.actors))  # type: ignore[no-any-return]

    def actors_map(self, every: bool = False, lazy: bool = False) -> PageSpec:
        """actors/map/: memberships and shared sides (every relation when there are none); every: actors/map/all/,
        shared issues and events too, a view the reader asks for by a link (no script needed)."""
        context, later = self.context(lazy, self.map_context, every)
        description = self.about(N_("How the actors in %(site)s are related: memberships, issues, events."))
        url = "actors/map/all/" if every else "actors/map/"
        return PageSpec(url, "map.html", "map", self.words.gettext("Relationship map"), description, context,
                        self.site.config.updated, later=later)  # fmt: skip

    def map_context(self, every: bool) -> dict[str, Any]:
        sides = None if every else self.graph.whole(SIDES)
        return {"relmap": sides or self.graph.whole(), "relation_labels": RELATION_LABELS, "every": every,
                "years": () if every else self.map_years, "year": None}  # fmt: skip

    def actors_map_year(self, year: int, lazy: bool = False) -> PageSpec:
        """actors/map/<year>/: the sides map with the memberships in force in that year (stances carry no date:
        the shared sides are the same in every year's view)."""
        site = self.site
        context, later = self.context(lazy, self.map_year_context, year)
        description = self.words.gettext("Memberships in force in %(year)s and shared sides in %(site)s.") % {
            "year": year, "site": site.config.title}  # fmt: skip
        title = self.words.gettext("Relationship map as of %(year)s") % {"year": year}
        return PageSpec(f"actors/map/{year}/", "map.html", "map", title, description, context,
                        site.config.updated, later=later)  # fmt: skip

    def map_year_context(self, year: int) -> dict[str, Any]:
        """The sides map as of year: a graph of the memberships in force then and the site graph's shared sides
        (the same in every year; worked out once, by the graph this page then depends on as well)."""
        site, agreed = self.site, self.graph.agreed

        def made() -> Graph:
            return Graph(site.actors, site.issues, site.events, site.entities, site.config.map_agreement, year, SIDES,
                         agreed)  # fmt: skip

        graph: Graph = self.table(f"graph-{year}", made)
        return {"relmap": graph.whole(SIDES), "relation_labels": RELATION_LABELS, "every": False,
                "years": self.map_years, "year": year}  # fmt: skip

    def sources_index(self, lazy: bool = False) -> PageSpec:
        context, later = self.context(lazy, self.sources_context)
        description = self.about(N_("Every source of %(site)s, and every card, quote, figure and event relying on it."))
        return PageSpec("sources/", "sources.html", "sources", self.words.gettext("Sources"), description, context,
                        self.site.config.updated, later=later)  # fmt: skip

    def sources_context(self) -> dict[str, Any]:
        return {"uses": source_uses(self.site)}

    def search_page(self) -> PageSpec:
        description = self.about(N_("Search every issue, actor and event in %(site)s."))
        return PageSpec("search/", "search.html", "search", self.words.gettext("Search"), description, {},
                        self.site.config.updated)  # fmt: skip

    def not_found(self) -> PageSpec:
        description = self.words.gettext("There is no page at this address.")
        title = self.words.gettext("Page not found")
        return PageSpec("404.html", "404.html", "404", title, description, {}, file="404.html")

    @property
    def words(self) -> Words:
        return self.site.words

    def about(self, text: str) -> str:
        """A built-in description naming the site: `Every event in %(site)s, in order.`, translated."""
        return self.words.gettext(text) % {"site": self.site.config.title}


def page_makers(planner: Planner, lazy: bool) -> list[Callable[[], PageSpec]]:
    """How to make each page of the site, in plan()'s order."""
    site = planner.site
    return [
        planner.home_page,
        *(functools.partial(planner.issue_page, issue, n, lazy) for n, issue in enumerate(site.issues)),
        planner.positions_page,
        planner.actors_index,
        functools.partial(planner.actors_map, False, lazy),
        functools.partial(planner.actors_map, True, lazy),
        *(functools.partial(planner.actors_map_year, year, lazy) for year in planner.map_years),
        *(functools.partial(planner.actor_page, actor, lazy) for actor in site.actors),
        functools.partial(planner.events_index, lazy),
        *(functools.partial(planner.event_page, event, n, lazy) for n, event in enumerate(site.events)),
        functools.partial(planner.sources_index, lazy),
        planner.search_page,
        planner.not_found,
    ]


def plan(site: Site, lazy: bool = False) -> list[PageSpec]:
    """Every page of the site, in a stable order. lazy: the issue, actor and event pages' contexts, and those of
    the timeline, the two maps and the sources page (the list pages that cost most to plan), are left to
    PageSpec.complete(), for the process that renders the page to make (`build`: a page worker, or none when
    the page does not render again)."""
    return [make() for make in page_makers(Planner(site), lazy)]
