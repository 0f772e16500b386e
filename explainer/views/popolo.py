"""data/popolo.json: the actors and their memberships in the Popolo format (popoloproject.com), for civic-tech
tools that read it: people (`kind: person`), organizations (every other kind, `classification` saying which),
and memberships with their `start_date` and `end_date`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ..link import Site
from ..model import Actor


def links(actor: Actor, url: str) -> list[dict[str, str]]:
    """The actor's page on the site first, then its own links: each only when it is a full address (a Popolo
    link's `url` is a URI, so a page's path on a site without a full base_url, or a relative link, is left out)."""
    found = [{"url": url, "note": "explainer page"}, *({"url": href, "note": label} for label, href in actor.links)]
    return [link for link in found if absolute(link["url"])]


def absolute(url: str) -> bool:
    """Whether url is a URI: its scheme named (`https://...`, `mailto:...`; not `/actors/x/` or `www.x.org`), a
    web address's host too, and no spaces."""
    parts = urlsplit(url)
    web = parts.scheme in ("http", "https")
    return bool(parts.scheme) and (bool(parts.netloc) or not web) and not any(c.isspace() for c in url)


def person(actor: Actor, url: str) -> dict[str, Any]:
    found: dict[str, Any] = {"id": actor.id, "name": actor.name}
    if actor.aliases:
        found["other_names"] = [{"name": alias} for alias in actor.aliases]
    if actor.role:
        found["summary"] = actor.role
    if found_links := links(actor, url):
        found["links"] = found_links
    return found


def organization(actor: Actor, url: str) -> dict[str, Any]:
    found: dict[str, Any] = {"id": actor.id, "name": actor.name, "classification": actor.kind}
    if actor.aliases:
        found["other_names"] = [{"name": alias} for alias in actor.aliases]
    if actor.role:
        found["description"] = actor.role
    if found_links := links(actor, url):
        found["links"] = found_links
    return found


def memberships(site: Site) -> list[dict[str, Any]]:
    """Each `member_of` entry whose group is an organization in the build: a person's by `person_id`, an
    organization's (a country in an alliance) by `member`, with the entry's dates where written."""
    found = []
    entities = site.entities
    for actor in site.actors:
        for index, membership in enumerate(actor.memberships):
            group = entities.get(membership.group.id)
            if not isinstance(group, Actor) or group.kind == "person" or group.id == actor.id:
                continue
            entry: dict[str, Any] = {"id": f"{actor.id}--{group.id}--{index + 1}"}
            if actor.kind == "person":
                entry["person_id"] = actor.id
            else:
                entry["member"] = {"@type": "Organization", "id": actor.id}
            entry["organization_id"] = group.id
            if membership.start:
                entry["start_date"] = membership.start.iso
            if membership.end:
                entry["end_date"] = membership.end.iso
            found.append(entry)
    return found


def popolo_file(site: Site, url: Callable[[Actor], str]) -> bytes:
    """data/popolo.json, byte-stable: persons and organizations by name (the site's order), then memberships."""
    data = {
        "persons": [person(a, url(a)) for a in site.actors if a.kind == "person"],
        "organizations": [organization(a, url(a)) for a in site.actors if a.kind != "person"],
        "memberships": memberships(site),
    }
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
