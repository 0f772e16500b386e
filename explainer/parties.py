"""site.yaml's `authors` and `publisher`: who writes and who publishes the explainer, as `Party` records."""

from __future__ import annotations

import re
from typing import Any

from .diagnostics import did_you_mean
from .fields import Fields, describe
from .model import PARTY_KINDS, Party
from .typography import typeset

AUTHOR_FIELDS = ("name", "kind", "url")
PUBLISHER_FIELDS = ("name", "url", "logo")
WEB_ADDRESS = re.compile(r"https?://[^\s/]+(/\S*)?")


def web_address(fields: Fields, key: str) -> str | None:
    """An http(s) address: metadata readers take nothing else (a relative path means nothing off the page)."""
    url = fields.text(key)
    if url is None:
        return None
    if not WEB_ADDRESS.fullmatch(url):
        fields.error(key, f"'{key}' must be a full web address such as https://example.org/, not '{url}'")
        return None
    return url


def named(value: Any) -> str | None:
    """A name written as a plain value (`Explainer desk`, or a number), else None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip() or None


def author(fields: Fields, value: Any, *key: Any) -> Party | None:
    """One entry of `authors`: a name (a person), or a mapping {name, kind?, url?}."""
    name = named(value)
    if name is not None:
        if "[[" in name:
            fields.warn_plain(key[0], fields.line(*key))
        return Party(typeset(name, fields.smart_quotes))
    if not isinstance(value, dict):
        message = f"each of 'authors' must be a name or a mapping with a 'name', not {describe(value)}"
        fields.diags.error(fields.doc.path, fields.line(*key), message)
        return None
    entry = fields.sub(value, *key, what=f"author {key[1] + 1}" if len(key) > 1 else "author")
    entry.check_known(AUTHOR_FIELDS)
    kind = entry.text("kind") or "person"
    if kind not in PARTY_KINDS:
        hint = did_you_mean(kind, PARTY_KINDS)
        entry.error("kind", f"unknown author kind '{kind}' (one of person, organization){hint}")
        kind = "person"
    name = entry.prose("name", required=True)
    url = web_address(entry, "url")
    return Party(name, kind, url) if name else None


def authors(fields: Fields) -> tuple[Party, ...]:
    """`authors`: a list of entries, or one entry alone."""
    value = fields.raw("authors", False)
    if value is None:
        return ()
    if not isinstance(value, list):
        found = author(fields, value, "authors")
        return (found,) if found else ()
    found_all = (author(fields, entry, "authors", index) for index, entry in enumerate(value))
    return tuple(found for found in found_all if found)


def publisher(fields: Fields) -> Party | None:
    """`publisher`: a name, or a mapping {name, url?, logo?}; always an organization."""
    value = fields.raw("publisher", False)
    if value is None:
        return None
    name = named(value)
    if name is not None:
        if "[[" in name:
            fields.warn_plain("publisher", fields.line("publisher"))
        return Party(typeset(name, fields.smart_quotes), "organization")
    if not isinstance(value, dict):
        fields.error("publisher", f"'publisher' must be a name or a mapping with a 'name', not {describe(value)}")
        return None
    entry = fields.sub(value, "publisher", what="publisher")
    entry.check_known(PUBLISHER_FIELDS)
    name = entry.prose("name", required=True)
    url, logo = web_address(entry, "url"), web_address(entry, "logo")
    return Party(name, "organization", url, logo) if name else None
