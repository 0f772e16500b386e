"""view_files() for `serve`: each file, and each record's part of data/explainer.json, made again only when
what it is made from changed.

Every part is kept with a key holding everything it reads, compared with `==` on the next build (records
that did not change are the same objects, so that is mostly `is`). A card's Markdown body is read only by
its own entry in data/explainer.json: a body-only save dumps that entry again and splices the file, and
keeps the feeds, timeline.json and previews.json. The bytes are those of views/files.py's view_files(),
which tests/test_serve.py checks against a clean build after saves of every kind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..hostfiles import absolute_base
from ..link import Site
from ..views.export import Exporter, assemble, encoded, listing
from ..views.feeds import issue_feed, issue_feed_path, updates_feed
from ..views.files import feed_facts, preview_facts, previews_file, timeline_file, url

T = TypeVar("T")


class KeptViews:
    """The parts of the last build's view files, each with the key it was made from."""

    def __init__(self) -> None:
        self.kept: dict[tuple[str, ...], tuple[Any, Any]] = {}
        self.fresh: dict[tuple[str, ...], tuple[Any, Any]] = {}
        # The site config and the ids in the build (which [[links]] and relations are left out): a part is kept
        # only while both are the same, so no part's key needs to list the site.yaml fields it reads.
        self.scope: tuple[object, ...] = ()
        self.made = 0  # parts made by the last build, for tests and the benchmark

    def part(self, name: tuple[str, ...], key: Any, make: Callable[..., T], *args: Any) -> T:
        """The kept part if its key equals key, else make(*args)."""
        hit = self.kept.get(name)
        if hit is None or not (hit[0] is key or hit[0] == key):
            hit = (key, make(*args))
            self.made += 1
        self.fresh[name] = hit
        return hit[1]

    def entry(self, kind: str, record: Any, key: Any, export: Callable[[Any], dict[str, Any]]) -> bytes:
        """One record's entry in data/explainer.json, as JSON (UTF-8)."""
        return self.part((kind, record.id), key, lambda: encoded(export(record)))

    def view_files(self, site: Site, base_url: str) -> dict[str, bytes]:
        scope = (site.config, *site.entities)
        if scope != self.scope:
            self.kept, self.scope = {}, scope
        self.fresh, self.made = {}, 0
        config, relations = site.config, site.relations
        names = {entity_id: entity.link_text for entity_id, entity in site.entities.items()}  # what plain text shows
        timeline = (config.title, config.description, site.events, relations.event_issues, names)
        previews = ([preview_facts(i) for i in site.issues], site.actors, site.events, names, config.smart_quotes)
        files = {
            "events/timeline.json": self.part(("timeline",), timeline, timeline_file, site),
            "data/previews.json": self.part(("previews",), previews, previews_file, site),
            "data/explainer.json": self.data_export(site),
        }
        base = absolute_base(base_url)
        if base:
            facts = [feed_facts(i) for i in site.issues]
            files["updates.xml"] = self.part(
                ("updates",), (base, config, facts), updates_feed, config, site.issues, base
            )
            for issue, fact in zip(site.issues, facts, strict=True):
                key = (base, config, fact)
                files[issue_feed_path(issue)] = self.part(("feed", issue.id), key, issue_feed, config, issue, base)
        self.kept, self.fresh = self.fresh, {}
        return files

    def data_export(self, site: Site) -> bytes:
        """export.data_export(), with each record's entry dumped again only when the record changed."""
        exporter = Exporter(site, url)
        rel = site.relations
        issues = (self.entry("issue", i, (i, rel.issue_actors.get(i.id), rel.issue_events.get(i.id)), exporter.issue)
                  for i in site.issues)  # fmt: skip
        events = (self.entry("event", e, (e, rel.event_issues.get(e.id)), exporter.event) for e in site.events)
        parts = {
            "issues": listing(issues),
            "actors": listing(self.entry("actor", a, a, exporter.actor) for a in site.actors),
            "events": listing(events),
            "sources": listing(self.entry("source", s, s, exporter.source) for s in site.sources),
            "relations": [self.part(("relations",), rel, lambda: encoded(exporter.relations()))],
        }
        return assemble(exporter.head(), parts)
