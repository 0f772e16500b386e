"""Citations at the claim: each card's `[[@source-id]]` / `[[@source-id, locator]]` numbered, as footnotes are.

A card's citations are numbered in reading order (its positions, its body, then its quotes: text, original,
context), one number per source, in the order of first citation. `number_citations` writes each citation
into its text as a mark holding its number, its place among the citations of that source, the card and the
source (`[[@3.2@card@source@@locator]]`), so the text's source alone says what it renders: every cache keyed by
a text's source stays right, and the same text shown on an actor's page links back to the card's source list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .model import Issue, Text
from .refs import CITE_RE, ID_RE, _blank_code

MARK_RE = re.compile(r"\[\[@(\d+)\.(\d+)@([a-z0-9-]+)@([a-z0-9-]+)(?:@@([^\[\]]*))?\]\]")


@dataclass(frozen=True, slots=True)
class Cited:
    """A source a card cites at its claims: its number and each place citing it (anchor id, locator)."""

    source: str
    number: int
    marks: tuple[tuple[str, str | None], ...]


def anchor(card: str, number: int, occurrence: int) -> str:
    """The id of a citation's marker: unique on any page, whichever cards' texts it shows."""
    return f"cite-{card}-{number}-{occurrence}"


def reading_order(issue: Issue) -> Iterator[Text]:
    """A card's Markdown texts in the order its page shows them."""
    yield from (p.text for p in issue.positions)
    yield issue.body
    for quote in issue.quotes:
        yield quote.text
        if quote.original:
            yield quote.original
        if quote.context:
            yield quote.context


def cited_sources(issue: Issue) -> tuple[Cited, ...]:
    """The sources issue cites at its claims, by number (order of first citation)."""
    return tuple(
        Cited(source, number, tuple((anchor(issue.id, number, k), locator) for k, locator in enumerate(locators, 1)))
        for number, (source, locators) in enumerate(issue.citations, 1)
    )


def collect(issue: Issue) -> tuple[tuple[str, tuple[str | None, ...]], ...]:
    """Each source issue's texts cite, in the order of first citation, with the locator of each citation."""
    found: dict[str, list[str | None]] = {}
    for text in reading_order(issue):
        for cite in text.cites:
            if ID_RE.fullmatch(cite.source.id):  # else an error at its line (link): never numbered
                found.setdefault(cite.source.id, []).append(cite.locator)
    return tuple((source, tuple(locators)) for source, locators in found.items())


def number_citations(issue: Issue) -> Issue:
    """issue with every citation in its texts written as its numbered mark (none: issue itself). A card shown
    with some texts of a translation is numbered again, in its own reading order."""
    if not any(text.cites for text in reading_order(issue)):
        return replace(issue, citations=()) if issue.citations else issue
    citations = collect(issue)
    numbers = {source: number for number, (source, _) in enumerate(citations, 1)}
    seen: dict[str, int] = {}

    def numbered(text: Text) -> Text:
        if not text.cites:
            return text
        written = as_written(text.source)  # a card's text numbered before: beside a translation's, numbered again
        scanned, parts, last = _blank_code(written), [], 0
        for match in CITE_RE.finditer(scanned):
            source_id = match.group(1).strip()
            number = numbers.get(source_id)
            if number is None:
                continue
            seen[source_id] = occurrence = seen.get(source_id, 0) + 1
            locator = " ".join((match.group(2) or "").split())
            parts += [written[last : match.start()], f"[[@{number}.{occurrence}@{issue.id}@{source_id}"]
            parts.append(f"@@{locator}]]" if locator else "]]")
            last = match.end()
        parts.append(written[last:])
        return replace(text, source="".join(parts))

    positions = tuple(replace(p, text=numbered(p.text)) for p in issue.positions)
    body = numbered(issue.body)
    quotes = tuple(
        replace(
            q,
            text=numbered(q.text),
            original=numbered(q.original) if q.original else None,
            context=numbered(q.context) if q.context else None,
        )
        for q in issue.quotes
    )
    return replace(issue, positions=positions, body=body, quotes=quotes, citations=citations)


def unmarked(source: str) -> str:
    """source without its citation marks (for plain text: previews, descriptions)."""
    return _SPACED_MARK.sub("", source) if "[[@" in source else source


_SPACED_MARK = re.compile(r"[ \t]*" + MARK_RE.pattern)


def as_written(source: str) -> str:
    """source with each citation mark written back as the writer wrote it, `[[@source-id, locator]]` (exports)."""
    if "[[@" not in source:
        return source
    return MARK_RE.sub(lambda m: f"[[@{m.group(4)}, {m.group(5)}]]" if m.group(5) else f"[[@{m.group(4)}]]", source)
