"""Languages: a site's BCP 47 tag (`language:` in site.yaml) read as a CLDR locale through Babel.

Babel carries the CLDR data (script direction, date patterns, plural rules, number symbols) that a site
in any language needs; writing those tables by hand is what it exists to spare us.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError


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
