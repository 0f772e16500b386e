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
from .model import SiteConfig

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


def display_name(tag: str, in_tag: str) -> str:
    """A language's name as a reader of in_tag writes it (`español`, `inglés`), from CLDR; the tag if unknown."""
    found, reader = locale_of(tag), locale_of(in_tag)
    name = found.get_display_name(reader or "en") if found is not None else None
    return name or tag


def language_prefix(config: SiteConfig, language: str | None = None) -> str:
    """Where a language's site sits under the site's root: `` for the default language (the first of
    `languages:`, or the only one), `es/` for another. language: the config's own by default."""
    language = config.language if language is None else language
    default = config.languages[0] if config.languages else config.language
    return "" if language == default else f"{language}/"
