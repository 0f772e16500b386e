"""The files of the views that are not pages: feeds and JSON exports."""

from __future__ import annotations

from typing import Any

from ..hostfiles import absolute_base
from ..link import Site
from .export import data_export, previews
from .feeds import feeds
from .matrix import markdown_plain
from .timeline import timelinejs


def view_files(site: Site, base_url: str) -> dict[str, bytes]:
    """events/timeline.json, data/explainer.json, data/previews.json, and (with a full base_url) the update feeds."""
    from ..pages import entity_url  # pages imports the views for its contexts

    def name(entity_id: str) -> str:
        entity = site.entities.get(entity_id)
        return entity.name if entity else entity_id

    def plain(source: str) -> str:
        return markdown_plain(source, name)

    def url(entity: Any) -> str:
        return str(entity_url(entity))

    def group(event: Any) -> str:
        issues = site.relations.event_issues.get(event.id, ())
        return name(issues[0]) if issues else ""

    config = site.config
    files = {
        "events/timeline.json": timelinejs(
            config.title,
            config.description,
            site.events,
            lambda e: plain(e.summary.source) if e.summary else "",
            group,
        ),
        "data/explainer.json": data_export(site, url),
        "data/previews.json": previews(site, url, plain),
    }
    base = absolute_base(base_url)
    if base:
        files.update(feeds(config, site.issues, base))
    return files
