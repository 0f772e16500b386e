"""The files a static host and its crawlers read: sitemap.xml, feed.xml, robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from .dates import PartialDate
from .link import Site
from .pages import PageSpec, entity_url

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


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


# sitemap.xml (a line per page) and feed.xml are written as text, as ElementTree (ET.indent, then ET.tostring)
# writes them, with its own escaping: 8,757 elements at 5,000 cards took ElementTree about 0.15 s.
_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"


def _leaf(indent: str, tag: str, text: str) -> str:
    """A child element holding only text, on its own line, as ElementTree writes it."""
    return f"{indent}<{tag}>{ET._escape_cdata(text)}</{tag}>" if text else f"{indent}<{tag} />"  # type: ignore[attr-defined]


def _link(indent: str, href: str, rel: str, kind: str) -> str:
    escape = ET._escape_attrib  # type: ignore[attr-defined]
    return f'{indent}<link href="{escape(href)}" rel="{escape(rel)}" type="{escape(kind)}" />'


def sitemap(pages: list[PageSpec], base: str, languages: tuple[str, ...] = ()) -> bytes:
    """sitemaps.org urlset of every page, lastmod from the content's dates. With several languages (the
    default first, at the root; the others under /<lang>/), every language's page, each listing all of them
    (and the default as x-default) in `xhtml:link` alternates."""
    if len(languages) > 1:
        return multilingual_sitemap(pages, base, languages)
    lines = [_DECLARATION, f'<urlset xmlns="{SITEMAP}">']
    for page in pages:
        if page.kind == "404":
            continue
        lines.append("  <url>")
        lines.append(_leaf("    ", "loc", base + page.url))
        if page.updated:
            lines.append(_leaf("    ", "lastmod", day(page.updated)))
        lines.append("  </url>")
    if len(lines) == 2:
        return f'{_DECLARATION}\n<urlset xmlns="{SITEMAP}" />\n'.encode()
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def multilingual_sitemap(pages: list[PageSpec], base: str, languages: tuple[str, ...]) -> bytes:
    escape = ET._escape_attrib  # type: ignore[attr-defined]
    prefixes = [(tag, "" if n == 0 else f"{tag}/") for n, tag in enumerate(languages)]
    lines = [_DECLARATION, f'<urlset xmlns="{SITEMAP}" xmlns:xhtml="{XHTML}">']
    for page in pages:
        if page.kind == "404":
            continue
        alternates = [(tag, base + prefix + page.url) for tag, prefix in prefixes]
        alternates.append(("x-default", alternates[0][1]))
        for _tag, url in alternates[:-1]:
            lines.append("  <url>")
            lines.append(_leaf("    ", "loc", url))
            if page.updated:
                lines.append(_leaf("    ", "lastmod", day(page.updated)))
            lines += [f'    <xhtml:link rel="alternate" hreflang="{escape(other)}" href="{escape(href)}" />'
                      for other, href in alternates]  # fmt: skip
            lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def atom_feed(site: Site, base: str) -> bytes:
    """An Atom feed of the issues, newest `updated` first; ids are the pages' URLs."""
    config = site.config
    dated = [(issue.updated or config.updated, issue) for issue in site.issues]
    dated.sort(key=lambda pair: pair[0] or PartialDate(1), reverse=True)  # stable: ties keep home order
    newest = max((d for d, _ in dated if d), default=config.updated or PartialDate(1970))
    lines = [
        _DECLARATION,
        f'<feed xmlns="{ATOM}">',
        _leaf("  ", "id", base),
        _leaf("  ", "title", config.title),
        _leaf("  ", "subtitle", config.description),
        _leaf("  ", "updated", timestamp(newest)),
        _link("  ", base + "feed.xml", "self", "application/atom+xml"),
        _link("  ", base, "alternate", "text/html"),
    ]
    for name in config.authors or (config.title,):
        lines += ["  <author>", _leaf("    ", "name", name), "  </author>"]
    for updated, issue in dated:
        url = base + entity_url(issue)
        lines += [
            "  <entry>",
            _leaf("    ", "id", url),
            _leaf("    ", "title", issue.title),
            _link("    ", url, "alternate", "text/html"),
            _leaf("    ", "updated", timestamp(updated or newest)),
            _leaf("    ", "summary", issue.summary),
            "  </entry>",
        ]
    lines.append("</feed>\n")
    return "\n".join(lines).encode("utf-8")


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
        files["sitemap.xml"] = sitemap(pages, base, site.config.languages)
        files["feed.xml"] = atom_feed(site, base)
    return files
