"""Page metadata for search engines and social cards: JSON-LD with schema.org types."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from .model import Actor, Event, Issue
from .pages import PageSpec

ACTOR_TYPES = {"person": "Person", "country": "Country", "organization": "Organization", "group": "Organization"}


def structured_data(page: PageSpec, site_title: str, absolute: Callable[[str], str]) -> dict[str, Any] | None:
    """The schema.org description of a page, or None for pages that have none."""
    data: dict[str, Any] = {"@context": "https://schema.org", "url": absolute(page.url)}
    context = page.context
    if page.kind == "home":
        data.update({"@type": "WebSite", "name": site_title, "description": page.description})
    elif page.kind == "issue":
        issue: Issue = context["issue"]
        data.update(
            {
                "@type": "Article",
                "headline": issue.title,
                "description": page.description,
                "isPartOf": {"@type": "WebSite", "name": site_title},
                "about": [{"@type": ACTOR_TYPES[a.kind], "name": a.name} for a in context["actors"]],
            }
        )
        if page.updated:
            data["dateModified"] = page.updated.iso
    elif page.kind == "actor":
        actor: Actor = context["actor"]
        data.update({"@type": ACTOR_TYPES[actor.kind], "name": actor.name, "description": page.description})
        if actor.aliases:
            data["alternateName"] = list(actor.aliases)
        if actor.role and actor.kind == "person":
            data["jobTitle"] = actor.role
        if context["member_of"]:
            data["memberOf"] = [{"@type": ACTOR_TYPES[g.kind], "name": g.name} for g in context["member_of"]]
    elif page.kind == "event":
        event: Event = context["event"]
        data.update({"@type": "Event", "name": event.title, "description": page.description})
        data["startDate"] = event.date.iso
        if event.end:
            data["endDate"] = event.end.iso
        if event.place:
            data["location"] = {"@type": "Place", "name": event.place}
        if context["actors"]:
            data["attendee"] = [{"@type": ACTOR_TYPES[a.kind], "name": a.name} for a in context["actors"]]
    else:
        return None
    return data


def json_ld(data: dict[str, Any] | None) -> Markup:
    """A `<script type="application/ld+json">` block, safe inside HTML."""
    if data is None:
        return Markup("")
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')
