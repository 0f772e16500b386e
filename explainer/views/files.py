"""The files of the views that are not pages: feeds and JSON exports."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any

from ..hostfiles import absolute_base
from ..link import SINGULAR, Site
from . import citing, feeds
from .export import Exporter, assemble, data_export, encoded, listing, previews
from .feeds import updates_feed
from .matrix import markdown_plain
from .popolo import popolo_file
from .timeline import timelinejs


def url(entity: Any) -> str:
    from ..pages import entity_url  # pages imports the views for its contexts

    return str(entity_url(entity))


def namer(site: Site) -> Callable[[str], str]:
    """What a [[link]] to an id shows in plain text: the entity's name, or the id if it is not in the build."""

    def name(entity_id: str) -> str:
        entity = site.entities.get(entity_id)
        return entity.link_text if entity else entity_id

    return name


def timeline_file(site: Site) -> bytes:
    """events/timeline.json: the events, each grouped under its first issue."""
    name = namer(site)

    def group(event: Any) -> str:
        issues = site.relations.event_issues.get(event.id, ())
        return name(issues[0]) if issues else ""

    def summary(event: Any) -> str:
        return markdown_plain(event.summary.source, name, site.config.smart_quotes) if event.summary else ""

    config = site.config
    return timelinejs(config.title, config.description, site.events, summary, group, site.words)


def page_address(site: Site) -> Callable[[Any], str]:
    """An entity's page as a full address when base_url is one, else its path from the site's root."""
    base = absolute_base(site.config.base_url)
    return lambda entity: f"{base}{url(entity)}" if base else url(entity)


def previews_file(site: Site) -> bytes:
    """data/previews.json: what hover cards show."""
    name = namer(site)
    return previews(site, url, lambda source: markdown_plain(source, name, site.config.smart_quotes))


def file_makers(site: Site, base_url: str, issue_feeds: bool = True) -> dict[str, Callable[[], bytes]]:
    """How to make each view file but data/explainer.json (export_parts()), by its path: events/timeline.json,
    data/previews.json, data/sources.json, data/popolo.json, each issue's citation files, and (with a full
    base_url) the update feeds (each issue's only with issue_feeds: `build` may write those from a child,
    `sidewrite.py`)."""
    makers: dict[str, Callable[[], bytes]] = {
        "events/timeline.json": lambda: timeline_file(site),
        "data/previews.json": lambda: previews_file(site),
        "data/popolo.json": lambda: popolo_file(site, page_address(site)),
    }
    base = absolute_base(base_url)
    makers["data/sources.json"] = lambda: citing.sources_file(site.sources)
    for issue in site.issues:
        makers.update(cite_makers(site, issue, base))
    if base:
        makers["updates.xml"] = lambda: updates_feed(site.config, site.issues, base, site.words)
        if issue_feeds:
            for issue in site.issues:
                made = functools.partial(feeds.issue_feed, site.config, issue, base, site.words)
                makers[feeds.issue_feed_path(issue)] = made
    return makers


def cite_makers(site: Site, issue: Any, base: str | None) -> dict[str, Callable[[], bytes]]:
    """An issue page's citation files, by path: issues/<id>/cite.json (CSL-JSON), cite.bib, cite.ris."""
    page = f"issues/{issue.id}/"
    link = base + page if base else None
    config = site.config
    return {
        page + "cite.json": lambda: citing.csl_file([citing.page_csl(issue, config, link)]),
        page + "cite.bib": lambda: citing.page_bibtex(issue, config, link),
        page + "cite.ris": lambda: citing.page_ris(issue, config, link),
    }


EXPORT = "data/explainer.json"


def export_entry(site: Site, section: str, record: Any) -> bytes:
    """One record's entry in data/explainer.json (section: its list, "issues" ...)."""
    exporter = Exporter(site, url)
    return encoded(getattr(exporter, SINGULAR[section])(record))


def export_parts(site: Site) -> tuple[dict[str, Callable[[], bytes]], dict[str, list[str]]]:
    """data/explainer.json in parts, each made alone: the head ("head"), each record's entry ("issues/<id>",
    ...) and the relations ("relations"), by name; and the names of each list of the file in order."""
    exporter = Exporter(site, url)
    makers: dict[str, Callable[[], bytes]] = {"head": lambda: encoded(exporter.head())}
    lists: dict[str, list[str]] = {}
    for section in ("issues", "actors", "events", "sources"):
        export = getattr(exporter, SINGULAR[section])
        names = lists[section] = []
        for record in getattr(site, section):
            part = f"{section}/{record.id}"
            makers[part] = functools.partial(lambda export, record: encoded(export(record)), export, record)
            names.append(part)
    makers["relations"] = lambda: encoded(exporter.relations())  # one object, not a list
    return makers, lists


def export_file(head: bytes, lists: dict[str, list[str]], part: Callable[[str], bytes]) -> bytes:
    """data/explainer.json from its parts: the head as JSON, part(name) of each list's parts, the relations."""
    pieces: dict[str, Iterable[bytes]] = {name: listing(map(part, names)) for name, names in lists.items()}
    return assemble(json.loads(head), pieces | {"relations": [part("relations")]})


def view_files(site: Site, base_url: str, issue_feeds: bool = True) -> dict[str, bytes]:
    """Every view file, by its path (file_makers() and data/explainer.json). serve and a cached build make
    each again only when what it read changed (`incremental/viewparts.py`)."""
    files = {path: make() for path, make in file_makers(site, base_url, issue_feeds).items()}
    files[EXPORT] = data_export(site, url)
    return files
