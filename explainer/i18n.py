"""The words a site prints itself, in its language: gettext catalogues, and dates, numbers and plurals by CLDR.

`Words` is a site's language with the strings its own `content/i18n/<lang>.po` overrides; link puts one on
the `Site`, and the Renderer and the views read it from there (no global language: a later build of
another language passes another `Words` to the same code). The built-in catalogues are the `.po` files
of `explainer/locales/`, read with Babel when a build first asks for a language; nothing compiled is
committed.
"""

from __future__ import annotations

import calendar
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton, match_skeleton
from babel.dates import parse_pattern as date_pattern
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from .dates import PartialDate, house_display, house_display_until
from .diagnostics import Diagnostics
from .languages import locale_of
from .model import Catalogue, SiteConfig

LOCALES = Path(__file__).resolve().parent / "locales"  # <lang>/LC_MESSAGES/explainer.po, and explainer.pot
DOMAIN = "explainer"
Message = tuple[str, str | tuple[str, ...]]  # msgid (a plural's: singular and plural joined by NUL) → msgstr(s)
SKELETONS = {"day": "yMMMMd", "month": "yMMMM", "year": "y"}


@dataclass(frozen=True, slots=True)
class Words:
    """A site's language (a BCP 47 tag) and the built-in strings its own catalogue overrides."""

    language: str = "en"
    overrides: tuple[Message, ...] = ()

    @property
    def translations(self) -> NullTranslations:
        """The gettext translations (built-in catalogue, then the site's overrides) Jinja's i18n extension uses."""
        return translations_of(self.language, self.overrides)

    def gettext(self, text: str) -> str:
        return self.translations.gettext(text)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form of a counted phrase for count, by the language's CLDR plural rule; `%(count)s` is the number."""
        return self.translations.ngettext(singular, plural, count) % {"count": self.number(count)}

    def number(self, value: int | float) -> str:
        """value written as a reader of the language writes it: its digits, group and decimal signs."""
        return format_number(self.language, value)

    def date(self, when: PartialDate) -> str:
        """A full date, a month or a year: `10 January 2022`, `December 2021`, `2008` in English."""
        text = date_text(self.language, when)
        return self.gettext("about %(date)s") % {"date": text} if when.approximate else text

    def month_short(self, year: int, month: int) -> str:
        """A month with its year, short, as the timeline's axis shows it: `Jan 2022` in English."""
        return month_short(self.language, year, month)

    def year(self, year: int) -> str:
        """A year alone, as the timeline's headings show it."""
        return date_text(self.language, PartialDate(year))

    def range(self, start: PartialDate, end: PartialDate | None, ongoing: bool = False) -> str:
        """A range as one text: `6–9 July 2018`, `2014–ongoing`; one date when end is None or start."""
        return "".join(self.range_parts(start, end, ongoing))

    def range_parts(self, start: PartialDate, end: PartialDate | None,
                    ongoing: bool = False) -> tuple[str, str, str]:  # fmt: skip
        """A range as the start's text, the separator and the end's text (each date in its own `<time>`); a
        date, '' and '' when end is None or start; the end's text `ongoing` for an open end."""
        if ongoing:
            return self.date(start), "–", self.gettext("ongoing")
        if end is None or end == start:
            return self.date(start), "", ""
        if start.approximate or end.approximate:  # each said in full, with its "about"
            return self.date(start), "–", self.date(end)
        return range_text(self.language, start, end)


def locale_or_english(tag: str) -> Locale:
    return locale_of(tag) or Locale("en")


def N_(text: str) -> str:
    return text


@cache
def month_short(tag: str, year: int, month: int) -> str:
    if house_english(tag):
        return f"{calendar.month_abbr[month]} {year}"
    return format_skeleton("yMMM", date(year, month, 1), locale=date_locale(tag))


def house_english(tag: str) -> bool:
    """English with no region, or British: the house forms ("10 January 2022", "6–9 July 2018"), which CLDR's
    en-GB writes the same for single dates but spaces and abbreviates in ranges."""
    locale = locale_of(tag)
    return locale is not None and locale.language == "en" and locale.territory in (None, "GB")


def date_locale(tag: str) -> Locale:
    locale = locale_or_english(tag)
    return Locale("en", "GB") if house_english(tag) else locale


@cache
def format_number(tag: str, value: int | float) -> str:
    # the symbols of the locale's default numbering system (Persian: `1٬234`); Babel writes its digits 0-9
    return format_decimal(value, locale=locale_or_english(tag), numbering_system="default")


def as_date(when: PartialDate) -> date:
    return date(when.year, when.month or 1, when.day or 1)


@cache
def date_text(tag: str, when: PartialDate) -> str:
    locale = date_locale(tag)
    if when.day:
        text = format_date(as_date(when), "long", locale=locale)
    else:
        text = format_skeleton(SKELETONS[when.precision], as_date(when), locale=locale)
    return text


@cache
def range_text(tag: str, start: PartialDate, end: PartialDate) -> tuple[str, str, str]:
    if house_english(tag):
        return house_display_until(start, end), "–", house_display(end)
    return interval_parts(tag, start, end)


def interval_parts(tag: str, start: PartialDate, end: PartialDate) -> tuple[str, str, str]:
    """babel.dates.format_interval() of two dates of the same precision, as the start's part, the text between
    (the first half's closing literal: `–`, ` تا `) and the end's; dates of different precisions each in full,
    in the locale's fallback pattern (`{0} – {1}`)."""
    locale = date_locale(tag)
    formats = locale.interval_formats
    if start.precision == end.precision:
        skeleton = SKELETONS[start.precision]
        found = skeleton if skeleton in formats else match_skeleton(skeleton, formats)
        halves = formats.get(found) if found else None
        if halves:
            one, two = as_date(start), as_date(end)
            for field in ("y", "M", "d"):
                if field in halves and differs(field, one, two):
                    head, tail = halves[field]
                    first = date_pattern(head)
                    pattern = str(first.format)  # `%(d)s–`: the fields as %-placeholders, the literals as text
                    between = pattern[pattern.rindex(")s") + 2 :] % ()  # the literal after its last field
                    text = first.apply(one, locale)
                    return text[: len(text) - len(between)], between, date_pattern(tail).apply(two, locale)
    fallback = str(formats.get(None, "{0} – {1}"))
    head, _, tail = fallback.partition("{1}")
    return date_text(tag, start), head.replace("{0}", ""), date_text(tag, end) + tail


def differs(field: str, one: date, two: date) -> bool:
    return {"y": one.year != two.year, "M": one.month != two.month, "d": one.day != two.day}[field]


def catalogue_path(tag: str) -> Path | None:
    """The built-in catalogue for a tag: its own, or its language's (`pt-BR` → `pt`); None if none is shipped."""
    for name in catalogue_names(tag):
        path = LOCALES / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def catalogue_names(tag: str) -> Iterator[str]:
    """The names a tag's catalogue may have, most specific first: `pt_BR`, `pt`."""
    locale = locale_of(tag)
    if locale is None:
        yield tag.replace("-", "_")
        return
    yield str(locale)
    if locale.script:
        yield f"{locale.language}_{locale.script}"
    yield locale.language


def read_catalogue(data: bytes, path: str, tag: str | None = None) -> Catalog:
    """A .po file's catalogue (in tag's language: its number of plural forms when the file does not say); raises
    babel's PoFileError (with `lineno`) when it is not valid."""
    locale = locale_of(tag) if tag else None
    return read_po(io.BytesIO(data), locale=locale, domain=DOMAIN, abort_invalid=True)


def messages_of(catalog: Catalog) -> tuple[Message, ...]:
    """Every translated message, in a stable order: plurals keyed by singular NUL plural."""
    found: list[Message] = []
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        if not isinstance(message.id, str):
            strings = tuple(message.string)
            if all(strings):
                found.append(("\0".join(message.id), strings))
        elif isinstance(message.string, str):
            found.append((message.id, message.string))
    return tuple(sorted(found))


@cache
def built_in(tag: str) -> tuple[Catalog | None, str | None]:
    """The shipped catalogue for a tag, and its path; (None, None) when no catalogue is shipped for it."""
    path = catalogue_path(tag)
    if path is None:
        return None, None
    return read_catalogue(path.read_bytes(), str(path)), str(path)


@cache
def template_ids() -> tuple[str, ...]:
    """Every msgid the templates and code use (explainer.pot): a plural's as singular NUL plural."""
    catalog = read_po(io.BytesIO((LOCALES / f"{DOMAIN}.pot").read_bytes()), domain=DOMAIN)
    return tuple(sorted(m.id if isinstance(m.id, str) else "\0".join(m.id) for m in catalog if m.id))


@cache
def translations_of(tag: str, overrides: tuple[Message, ...]) -> NullTranslations:
    """The built-in catalogue of tag with the overrides put over it, as gettext translations (English msgids
    when there is none: gettext then answers each English string as it is)."""
    shipped, _ = built_in(tag)
    if shipped is None and not overrides:
        return NullTranslations()
    catalog = Catalog(locale=locale_or_english(tag), domain=DOMAIN)
    if shipped is not None:
        catalog.mime_headers = shipped.mime_headers
    merged = dict(messages_of(shipped) if shipped else ())
    merged.update(overrides)  # Catalog.add keeps a message's first string: the site's own wording goes in first
    for msgid, string in merged.items():
        key: str | tuple[str, ...] = tuple(msgid.split("\0")) if "\0" in msgid else msgid
        catalog.add(key, string)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def missing(tag: str, overrides: tuple[Message, ...]) -> list[str]:
    """The msgids neither the built-in catalogue of tag nor the overrides translate, in the .pot's order."""
    shipped, _ = built_in(tag)
    known = {msgid for msgid, _ in (*(messages_of(shipped) if shipped else ()), *overrides)}
    return [msgid for msgid in template_ids() if msgid not in known]


def site_words(config: SiteConfig, catalogues: Iterable[Catalogue], diags: Diagnostics) -> Words:
    """The site's Words: its language, with its own catalogue for it (the most specific of `fa-IR.po`,
    `fa.po`). A warning names each built-in string still untranslated, or says once that the language has no
    catalogue at all; those strings are shown in English."""
    names = list(catalogue_names(config.language))
    own = {c.language.replace("-", "_").casefold(): c for c in catalogues}
    chosen = next((own[n.casefold()] for n in names if n.casefold() in own), None)
    overrides = chosen.messages if chosen else ()
    shipped, path = built_in(config.language)
    if shipped is None and chosen is None:
        diags.warning(config.path, None, f"no catalogue of built-in strings in '{config.language}': they are "
                      f"shown in English (dates and numbers are in '{config.language}'); translate them in "
                      f"content/i18n/{config.language}.po (docs/languages.md)")  # fmt: skip
        return Words(config.language)
    where = chosen.path if chosen else path or config.path
    for msgid in missing(config.language, overrides):
        shown = msgid.split("\0")[0]
        diags.warning(where, None, f"no '{config.language}' translation of '{shown}': shown in English")
    return Words(config.language, overrides)
