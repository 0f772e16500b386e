"""Atom feeds of what changed: /updates.xml for the site and /issues/<id>/feed.xml per issue."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..dates import PartialDate
from ..hostfiles import ATOM, timestamp
from ..model import Issue, SiteConfig
from .changes import Update, all_updates, issue_updates


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def feed(config: SiteConfig, base: str, path: str, title: str, updates: Sequence[Update],
         fallback: PartialDate | None) -> bytes:  # fmt: skip
    """An Atom feed at base+path of updates; each entry's id is its issue URL and anchor, so it never changes."""
    ET.register_namespace("", ATOM)
    newest = max((u.change.date for u in updates), default=fallback or config.updated or PartialDate(1970))
    root = ET.Element(f"{{{ATOM}}}feed")
    _sub(root, "id", base + path)
    _sub(root, "title", title)
    _sub(root, "updated", timestamp(newest))
    _sub(root, "link", href=base + path, rel="self", type="application/atom+xml")
    _sub(root, "link", href=base, rel="alternate", type="text/html")
    for name in config.authors or (config.title,):
        _sub(_sub(root, "author"), "name", name)
    for update in updates:
        url = f"{base}issues/{update.issue.id}/#{update.anchor}"
        entry = _sub(root, "entry")
        _sub(entry, "id", url)
        _sub(entry, "title", f"{update.issue.title} (updated {update.change.date.display})")
        _sub(entry, "link", href=url, rel="alternate", type="text/html")
        _sub(entry, "updated", timestamp(update.change.date))
        _sub(entry, "summary", update.change.text)
    ET.indent(root)
    text: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def feeds(config: SiteConfig, issues: Sequence[Issue], base: str) -> dict[str, bytes]:
    """/updates.xml with every change, and /issues/<id>/feed.xml for each issue."""
    files = {"updates.xml": feed(config, base, "updates.xml", f"{config.title}: updates", all_updates(issues), None)}
    for issue in issues:
        path = f"issues/{issue.id}/feed.xml"
        files[path] = feed(config, base, path, f"{issue.title} — {config.title}", issue_updates(issue), issue.updated)
    return files
