"""The files a static host and its crawlers read: sitemap.xml, feed.xml, robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from .dates import PartialDate
from .link import Site
from .pages import PageSpec, entity_url

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def absolute_base(base_url: str) -> str | None:
    """base_url if it is a full http(s) URL, ending in '/'; else None."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return base_url if base_url.endswith("/") else base_url + "/"


def day(date: PartialDate) -> str:
    """A full W3C date (sitemaps reject `2021-12`): partial dates take their first day."""
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}"


def timestamp(date: PartialDate) -> str:
    return f"{day(date)}T00:00:00Z"


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    text: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def sitemap(pages: list[PageSpec], base: str) -> bytes:
    """sitemaps.org urlset of every page, lastmod from the content's dates."""
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for page in pages:
        if page.kind == "404":
            continue
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = base + page.url
        if page.updated:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = day(page.updated)
    return _xml(urlset)


def atom_feed(site: Site, base: str) -> bytes:
    """An Atom feed of the issues, newest `updated` first; ids are the pages' URLs."""
    ET.register_namespace("", ATOM)
    config = site.config
    dated = [(issue.updated or config.updated, issue) for issue in site.issues]
    dated.sort(key=lambda pair: pair[0] or PartialDate(1), reverse=True)  # stable: ties keep home order
    newest = max((d for d, _ in dated if d), default=config.updated or PartialDate(1970))
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = base
    ET.SubElement(feed, f"{{{ATOM}}}title").text = config.title
    ET.SubElement(feed, f"{{{ATOM}}}subtitle").text = config.description
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = timestamp(newest)
    ET.SubElement(feed, f"{{{ATOM}}}link", href=base + "feed.xml", rel="self", type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", href=base, rel="alternate", type="text/html")
    for name in config.authors or (config.title,):
        author = ET.SubElement(feed, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = name
    for updated, issue in dated:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        url = base + entity_url(issue)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url
        ET.SubElement(entry, f"{{{ATOM}}}title").text = issue.title
        ET.SubElement(entry, f"{{{ATOM}}}link", href=url, rel="alternate", type="text/html")
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = timestamp(updated or newest)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = issue.summary
    return _xml(feed)


def robots(base: str | None) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if base:
        lines.append(f"Sitemap: {base}sitemap.xml")
    return ("\n".join(lines) + "\n").encode()


def host_files(site: Site, pages: list[PageSpec], base_url: str) -> dict[str, bytes]:
    """sitemap.xml and feed.xml (when base_url is a full URL) and robots.txt."""
    base = absolute_base(base_url)
    files = {"robots.txt": robots(base)}
    if base:
        files["sitemap.xml"] = sitemap(pages, base)
        files["feed.xml"] = atom_feed(site, base)
    return files
