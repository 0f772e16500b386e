"""The stock texts that `build.py new` and `build.py init` write, and the warning when one is still there.

One table serves both: scaffold.py writes these texts into its skeletons, and validate calls
`placeholder_warnings` on every document, so an unedited skeleton never goes live silently. The check runs
on the loaded documents, not on the records, because an event whose date is still empty has no record, and
the writer should see what else is left to fill in beside that error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .diagnostics import Diagnostics
from .load import Document

SITE_TITLE = "The explainer's title"
SITE_DESCRIPTION = "One or two sentences on what this explainer is about and whom it is for."
ISSUE_TITLE = "The question this card answers?"
ISSUE_SUMMARY = "One or two plain sentences that answer the question."
ISSUE_BODY = "Write the explainer here, in Markdown."
ACTOR_ROLE = "What they are, in a few words"
ACTOR_SUMMARY = "One or two sentences about who they are."
EVENT_PLACE = "Where it happened"
EVENT_SUMMARY = "What happened, in a sentence or two."
SOURCE_PUBLISHER = "Who published it"

# Per document kind, the fields each stock text is written to. "body" is an issue card's Markdown.
FIELDS: dict[str, dict[str, str]] = {
    "site": {"title": SITE_TITLE, "description": SITE_DESCRIPTION},
    "issue": {"title": ISSUE_TITLE, "summary": ISSUE_SUMMARY, "body": ISSUE_BODY},
    "actors": {"role": ACTOR_ROLE, "summary": ACTOR_SUMMARY},
    "events": {"place": EVENT_PLACE, "summary": EVENT_SUMMARY},
    "sources": {"publisher": SOURCE_PUBLISHER},
}


def placeholder_warnings(doc: Document, diags: Diagnostics) -> None:
    """Warn at each stock text of a skeleton left in doc (a draft card is work in progress: no warning)."""
    stock = FIELDS.get(doc.kind)
    if not stock or not isinstance(doc.data, dict):
        return
    if doc.kind == "issue":
        if doc.data.get("draft") is True:
            return
        found = [*field_hits(doc, doc.data, (), stock), *body_hits(doc, stock["body"])]
    elif doc.kind == "site":
        found = list(field_hits(doc, doc.data, (), stock))
    else:
        found = [
            hit
            for entry_id, entry in doc.data.items()
            if isinstance(entry, dict)
            for hit in field_hits(doc, entry, (entry_id,), stock)
        ]
    for line, text in found:
        diags.warning(doc.path, line, f'placeholder text from `build.py new`/`init` is still here: replace "{text}"')


def field_hits(doc: Document, data: dict[Any, Any], prefix: tuple[str, ...],
               stock: dict[str, str]) -> Iterator[tuple[int, str]]:  # fmt: skip
    """(line, stock text) for each field of one mapping that still holds its stock text (also when the
    writer added to it rather than replaced it)."""
    for key, text in stock.items():
        value = data.get(key)
        if isinstance(value, str) and text in value:
            yield doc.line(*prefix, key), text


def body_hits(doc: Document, text: str) -> Iterator[tuple[int, str]]:
    """(line, stock text) if the card's Markdown still holds its stock text."""
    at = doc.body.find(text)
    if at >= 0:
        yield doc.body_line + doc.body.count("\n", 0, at), text
