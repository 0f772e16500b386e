"""Atom feeds of what changed: /updates.xml for the site and /issues/<id>/feed.xml per issue.

Written as text rather than with ElementTree: a feed per issue is a thousand
feeds at a thousand issues, and string formatting is ten times faster.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..dates import PartialDate
from ..hostfiles import ATOM, timestamp
from ..i18n import N_, Words
from ..model import Issue, SiteConfig
from .changes import Update, all_updates, feed_updates


def feed(config: SiteConfig, base: str, path: str, page: str, title: str, updates: Sequence[Update],
         fallback: PartialDate | None, words: Words) -> bytes:  # fmt: skip
    """An Atom feed at base+path of updates, about the page at base+page (its rel="alternate").

    Each entry's id is its issue URL and anchor, so it never changes.
    """
    from xml.sax.saxutils import escape, quoteattr  # here: it imports urllib.request, ~30 ms of every start-up

    newest = max((u.change.date for u in updates), default=fallback or config.updated or PartialDate(1970))
    lines = [
        "<?xml version='1.0' encoding='utf-8'?>",
        f'<feed xmlns="{ATOM}">',
        f"  <id>{escape(base + path)}</id>",
        f"  <title>{escape(title)}</title>",
        f"  <updated>{timestamp(newest)}</updated>",
        f'  <link href={quoteattr(base + path)} rel="self" type="application/atom+xml" />',
        f'  <link href={quoteattr(base + page)} rel="alternate" type="text/html" />',
    ]
    for name in config.authors or (config.title,):
        lines.append(f"  <author>\n    <name>{escape(name)}</name>\n  </author>")
    for update in updates:
        url = f"{base}issues/{update.issue.id}/#{update.anchor}"
        lines += [
            "  <entry>",
            f"    <id>{escape(url)}</id>",
            f"    <title>{escape(updated_title(update, words))}</title>",
            f'    <link href={quoteattr(url)} rel="alternate" type="text/html" />',
            f"    <updated>{timestamp(update.change.date)}</updated>",
            f"    <summary>{escape(update.change.text)}</summary>",
            *(['    <category term="correction" />'] if update.correction else []),
            "  </entry>",
        ]
    lines.append("</feed>\n")
    return "\n".join(lines).encode("utf-8")


def updated_title(update: Update, words: Words) -> str:
    """An entry's title: `Title (updated 10 January 2022)`, or `(corrected 10 January 2022)`."""
    text = N_("%(title)s (corrected %(date)s)") if update.correction else N_("%(title)s (updated %(date)s)")
    return words.gettext(text) % {"title": update.issue.title, "date": words.date(update.change.date)}


def updates_feed(config: SiteConfig, issues: Sequence[Issue], base: str, words: Words) -> bytes:
    """/updates.xml: every issue's changes."""
    title = words.gettext("%(site)s: updates") % {"site": config.title}
    return feed(config, base, "updates.xml", "", title, all_updates(issues), None, words)


def issue_feed(config: SiteConfig, issue: Issue, base: str, words: Words) -> bytes:
    """/issues/<id>/feed.xml: one issue's changes."""
    path, page = issue_feed_path(issue), f"issues/{issue.id}/"
    return feed(config, base, path, page, f"{issue.title} — {config.title}", feed_updates(issue), issue.updated,
                words)  # fmt: skip


def issue_feed_path(issue: Issue) -> str:
    return f"issues/{issue.id}/feed.xml"


def issue_feeds(config: SiteConfig, issues: Sequence[Issue], base: str, words: Words) -> Iterator[tuple[str, bytes]]:
    """(/issues/<id>/feed.xml, its bytes) for each issue, one made at a time."""
    for issue in issues:
        yield issue_feed_path(issue), issue_feed(config, issue, base, words)


def feeds(config: SiteConfig, issues: Sequence[Issue], base: str, words: Words) -> dict[str, bytes]:
    """/updates.xml with every change, and /issues/<id>/feed.xml for each issue."""
    return {"updates.xml": updates_feed(config, issues, base, words), **dict(issue_feeds(config, issues, base, words))}
