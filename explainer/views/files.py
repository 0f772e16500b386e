"""The files of the views that are not pages: feeds and JSON exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..hostfiles import absolute_base
from ..link import Site
from ..model import Issue
from . import feeds
from .export import data_export, previews
from .feeds import updates_feed
from .matrix import markdown_plain
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
    return timelinejs(config.title, config.description, site.events, summary, group)


def preview_facts(issue: Issue) -> tuple[Any, ...]:
    """All data/previews.json shows of an issue (a hover card)."""
    return (issue.id, issue.title, issue.summary)


def feed_facts(issue: Issue) -> tuple[Any, ...]:
    """All an update feed (updates.xml, the issue's own feed.xml) shows of an issue."""
    return (issue.id, issue.title, issue.changes, issue.updated)


def previews_file(site: Site) -> bytes:
    """data/previews.json: what hover cards show."""
    name = namer(site)
    return previews(site, url, lambda source: markdown_plain(source, name, site.config.smart_quotes))


def view_files(site: Site, base_url: str, issue_feeds: bool = True) -> dict[str, bytes]:
    """events/timeline.json, data/explainer.json, data/previews.json, and (with a full base_url) the update feeds
    (each issue's only with issue_feeds: `build` may write those from a child, `sidewrite.py`).

    serve keeps these between saves, each remade only when what it is made from changed (`incremental/kept.py`).
    """
    files = {
        "events/timeline.json": timeline_file(site),
        "data/explainer.json": data_export(site, url),
        "data/previews.json": previews_file(site),
    }
    base = absolute_base(base_url)
    if base:
        files["updates.xml"] = updates_feed(site.config, site.issues, base)
        if issue_feeds:
            files.update(feeds.issue_feeds(site.config, site.issues, base))
    return files


def views_but_export(site: Site, base_url: str) -> list[str]:
    """The files view_files() writes but data/explainer.json, the only one that shows issues' bodies
    (incremental/kept.py says what each reads). tests/test_card_edits.py checks this list against view_files()."""
    paths = ["events/timeline.json", "data/previews.json"]
    if absolute_base(base_url):
        paths += ["updates.xml", *(feeds.issue_feed_path(issue) for issue in site.issues)]
    return paths
