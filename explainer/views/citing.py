"""Citing the explainer: each issue page as CSL-JSON, BibTeX and RIS (`issues/<id>/cite.json`, `.bib`, `.ris`),
and every source as CSL-JSON (`data/sources.json`), for reference managers (Zotero, Mendeley, EndNote, BibTeX).

CSL-JSON is what citeproc (and Zotero, Pandoc) read: https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..dates import PartialDate
from ..model import Issue, Party, SiteConfig, Source

# A source's `kind` as a CSL item type.
CSL_TYPES = {
    "document": "report",
    "article": "article-newspaper",
    "statement": "speech",
    "interview": "interview",
    "dataset": "dataset",
    "video": "motion_picture",
}


def csl_date(date: PartialDate) -> dict[str, Any]:
    """`{"date-parts": [[2022, 1, 10]]}`: as many parts as the date has."""
    parts = [date.year, *([date.month] if date.month else []), *([date.day] if date.month and date.day else [])]
    return {"date-parts": [parts]}


def csl_name(party: Party | str) -> dict[str, str]:
    """A name as written (`literal`): explainer does not split names into given and family parts."""
    return {"literal": party.name if isinstance(party, Party) else party}


def page_dates(issue: Issue, config: SiteConfig) -> tuple[PartialDate | None, PartialDate | None]:
    """When a card was first published, and its newest version (as its JSON-LD says)."""
    from ..metadata import published  # metadata imports pages, which imports this for the issue pages

    first = published(issue, config)
    notes = (*issue.changes, *issue.corrections)
    dates = [date for date in (first, issue.updated or config.updated, *(n.date for n in notes)) if date]
    return first, max(dates) if dates else None


def byline(config: SiteConfig) -> tuple[Party, ...]:
    """Who wrote the explainer: its authors, else its publisher, else the site."""
    return config.bylines or (config.publisher or Party(config.title, "organization"),)


def page_csl(issue: Issue, config: SiteConfig, url: str | None) -> dict[str, Any]:
    """The issue page as one CSL-JSON item."""
    _, newest = page_dates(issue, config)
    item: dict[str, Any] = {
        "id": issue.id,
        "type": "webpage",
        "title": issue.title,
        "container-title": config.title,
        "author": [csl_name(party) for party in byline(config)],
        "language": config.language,
    }
    if config.publisher:
        item["publisher"] = config.publisher.name
    if newest:
        item["issued"] = csl_date(newest)
    if url:
        item["URL"] = url
    return item


def csl_file(items: list[dict[str, Any]]) -> bytes:
    """A CSL-JSON array, one item a line: stable bytes for the same items."""
    return ("[\n" + ",\n".join(json.dumps(i, ensure_ascii=False, sort_keys=True) for i in items) + "\n]\n").encode()


def bibtex_text(text: str) -> str:
    """text safe inside a braced BibTeX value: LaTeX's special characters escaped, braces balanced."""
    for char in "\\{}":
        text = text.replace(char, "")
    for char in "&%$#_":
        text = text.replace(char, "\\" + char)
    return text


def page_bibtex(issue: Issue, config: SiteConfig, url: str | None) -> bytes:
    """The issue page as one BibTeX `@misc` entry (biblatex reads its `url` and `date` too)."""
    _, newest = page_dates(issue, config)
    fields = [
        ("title", issue.title),
        ("author", " and ".join("{" + bibtex_text(p.name) + "}" for p in byline(config))),
        ("howpublished", config.title),
        ("language", config.language),
    ]
    if config.publisher:
        fields.append(("publisher", config.publisher.name))
    if newest:
        fields += [("year", str(newest.year)), ("date", newest.iso)]
    if url:
        fields.append(("url", url))
    body = ",\n".join(f"  {key} = {{{value if key == 'author' else bibtex_text(value)}}}" for key, value in fields)
    return f"@misc{{{issue.id},\n{body}\n}}\n".encode()


def ris_lines(issue: Issue, config: SiteConfig, url: str | None) -> Iterator[str]:
    _, newest = page_dates(issue, config)
    yield "TY  - ELEC"
    yield f"TI  - {issue.title}"
    for party in byline(config):
        yield f"AU  - {party.name}"
    yield f"T2  - {config.title}"
    if config.publisher:
        yield f"PB  - {config.publisher.name}"
    if newest:
        yield f"PY  - {newest.year}"
        month, day = f"{newest.month:02d}" if newest.month else "", f"{newest.day:02d}" if newest.day else ""
        yield f"DA  - {newest.year:04d}/{month}/{day}/"
    if url:
        yield f"UR  - {url}"
    yield f"LA  - {config.language}"
    yield "ER  - "


def page_ris(issue: Issue, config: SiteConfig, url: str | None) -> bytes:
    """The issue page as one RIS record (EndNote, Zotero, Mendeley)."""
    return "".join(line.replace("\n", " ") + "\r\n" for line in ris_lines(issue, config, url)).encode()


def source_csl(source: Source) -> dict[str, Any]:
    """A source as one CSL-JSON item (its snapshot's address as `archive_location`)."""
    item: dict[str, Any] = {
        "id": source.id,
        "type": CSL_TYPES.get(source.kind or "", "webpage" if source.url else "document"),
        "title": source.title,
    }
    if source.author:
        item["author"] = [csl_name(source.author)]
    if source.publisher:
        item["publisher"] = source.publisher
        item["container-title"] = source.publisher
    if source.date:
        item["issued"] = csl_date(source.date)
    if source.accessed:
        item["accessed"] = csl_date(source.accessed)
    if source.url:
        item["URL"] = source.url
    if source.archived:
        item["archive_location"] = source.archived
    return item


def sources_file(sources: tuple[Source, ...]) -> bytes:
    """data/sources.json: every source (by title) as CSL-JSON."""
    return csl_file([source_csl(source) for source in sources])
