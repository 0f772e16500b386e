"""Languages: a site's BCP 47 tag (`language:` in site.yaml) read as a CLDR locale through Babel.

Babel carries the CLDR data (script direction, date patterns, plural rules, number symbols) that a site
in any language needs; writing those tables by hand is what it exists to spare us.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.localedata import locale_identifiers

from .diagnostics import did_you_mean

# BCP 47's shape (RFC 5646, the parts CLDR uses): language, script, region, variants
TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|\d{3}))?(-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*")


@cache
def locale_of(tag: str) -> Locale | None:
    """The CLDR locale of a BCP 47 tag (`fa`, `pt-BR`, `sr-Latn`), or None when CLDR does not know it."""
    try:
        return Locale.parse(tag.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def direction(tag: str) -> str:
    """`rtl` for a language written right to left (Arabic, Persian, Hebrew, Urdu, ...), else `ltr`."""
    found = locale_of(tag)
    return "rtl" if found is not None and found.text_direction == "rtl" else "ltr"


@cache
def known_tags() -> tuple[str, ...]:
    """Every locale CLDR has data for, as BCP 47 tags (`pt-BR`)."""
    return tuple(sorted(name.replace("_", "-") for name in locale_identifiers()))


def tag_problem(tag: str) -> str | None:
    """Why tag is not a language a site can be written in, or None: malformed, or unknown to CLDR."""
    if not TAG.fullmatch(tag):
        hint = did_you_mean(tag.replace("_", "-"), known_tags())
        return f"'{tag}' is not a BCP 47 language tag: write it like 'en', 'pt-BR' or 'sr-Latn'{hint}"
    if locale_of(tag) is None:
        return f"unknown language '{tag}'{did_you_mean(tag, known_tags())}"
    return None
