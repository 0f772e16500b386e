"""Page metadata for search engines and social cards: JSON-LD with schema.org types."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from .dates import PartialDate
from .model import Actor, Event, Issue, Party, SiteConfig, Source
from .pages import PageSpec

# A country is a party here (it attends talks, belongs to alliances), which schema.org's Country, a Place,
# cannot be: `attendee` and `memberOf` take a Person or an Organization. So it is the state as a
# GovernmentOrganization serving that Country.
ACTOR_TYPES = {"person": "Person", "country": "GovernmentOrganization", "organization": "Organization",
               "group": "Organization"}  # fmt: skip
PARTY_TYPES = {"person": "Person", "organization": "Organization"}


def actor_node(actor: Actor) -> dict[str, Any]:
    """An actor as a schema.org Person or Organization (a country's: its government, serving the Country)."""
    node: dict[str, Any] = {"@type": ACTOR_TYPES[actor.kind], "name": actor.name}
    if actor.kind == "country":
        node["areaServed"] = {"@type": "Country", "name": actor.name}
    return node


def party_node(party: Party) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": PARTY_TYPES[party.kind], "name": party.name}
    if party.url:
        node["url"] = party.url
    if party.logo:
        node["logo"] = party.logo
    return node


def source_node(source: Source) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "CreativeWork", "name": source.title}
    if source.url:
        node["url"] = source.url
    if source.date:
        node["datePublished"] = source.date.iso
    return node


def published(issue: Issue, config: SiteConfig) -> PartialDate | None:
    """When a card was published: its `published`, else its first change, else its `updated`, else the site's.

    Never the build's clock, so the same content gives the same bytes.
    """
    if issue.published:
        return issue.published
    if issue.changes:
        return min(change.date for change in issue.changes)
    return issue.updated or config.updated


def article(page: PageSpec, config: SiteConfig, absolute: Callable[[str], str]) -> dict[str, Any]:
    """An issue card as a BackgroundNewsArticle: schema.org's NewsArticle "aka explainer or backgrounder"."""
    issue: Issue = page.context["issue"]
    publisher = config.publisher or Party(config.title, "organization", absolute(""))
    data: dict[str, Any] = {
        "@type": "BackgroundNewsArticle",
        "headline": issue.title,
        "description": page.description,
        "isPartOf": {"@type": "WebSite", "name": config.title},
        "about": [actor_node(a) for a in page.context["actors"]],
        "author": [party_node(party) for party in config.bylines or (publisher,)],
        "publisher": party_node(publisher),
    }
    first = published(issue, config)
    # the newest of what the card and the page say, so that it is never before the publication
    notes = (*issue.changes, *issue.corrections)
    dates = [date for date in (first, page.updated, *(note.date for note in notes)) if date]
    if first:
        data["datePublished"] = first.iso
    if dates:
        data["dateModified"] = max(dates).iso
    if page.context.get("sources"):  # what the card relies on: cited at its claims first, then the rest listed
        data["citation"] = [source_node(source) for source in page.context["sources"]]
    if issue.corrections:  # schema.org's `correction`: what was put right, and when
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c.text, "datePublished": c.date.iso} for c in issue.corrections
        ]
    return data


def structured_data(page: PageSpec, config: SiteConfig, absolute: Callable[[str], str]) -> dict[str, Any] | None:
    """The schema.org description of a page, or None for pages that have none."""
    data: dict[str, Any] = {"@context": "https://schema.org", "url": absolute(page.url)}
    context = page.context
    if page.kind == "home":
        data.update({"@type": "WebSite", "name": config.title, "description": page.description})
    elif page.kind == "issue":
        data.update(article(page, config, absolute))
    elif page.kind == "actor":
        actor: Actor = context["actor"]
        data.update(actor_node(actor))
        data["description"] = page.description
        if actor.aliases:
            data["alternateName"] = list(actor.aliases)
        if actor.role and actor.kind == "person":
            data["jobTitle"] = actor.role
        current = [actor_node(g) for g, m in context["member_of"] if m is None or m.end is None]  # not the past
        if current:
            data["memberOf"] = current
    elif page.kind == "event":
        event: Event = context["event"]
        data.update({"@type": "Event", "name": event.title, "description": page.description})
        data["startDate"] = event.date.iso
        if event.end:
            data["endDate"] = event.end.iso
        if event.place:
            data["location"] = {"@type": "Place", "name": event.place}
        if context["actors"]:
            data["attendee"] = [actor_node(a) for a in context["actors"]]
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
