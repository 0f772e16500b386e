"""Translations: a site published in several languages (`languages: [en, es, fa]` in site.yaml).

The interface the rest of the build uses; what a translation file or a fact's text by language holds, and
how it is checked, is filled in behind it:

- `site_languages(config)`: every language the site is published in, the default first.
- `records_in(records, language)`: the records as a reader of that language sees them (each text from its
  translation where there is one, else the default language's) and the ids of the entities shown
  untranslated.

Until translation files are read, every language's records are the default language's, all untranslated.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import SiteConfig
from .validate import Records


def site_languages(config: SiteConfig) -> tuple[str, ...]:
    """Every language the site is published in, the default (at the site's root) first."""
    return config.languages or (config.language,)


@dataclass(frozen=True, slots=True)
class Localized:
    """A language's records, and the ids of the issues, actors, events and sources whose texts it shows in the
    default language (each page of one is marked with the default's lang and dir, and says so)."""

    records: Records
    untranslated: frozenset[str]


def records_in(records: Records, language: str) -> Localized:
    """The records as a reader of language sees them."""
    default = site_languages(records.site)[0] if records.site else language
    if language == default:
        return Localized(records, frozenset())
    ids = [entity.id for kind in (records.issues, records.actors, records.events, records.sources) for entity in kind]
    return Localized(records, frozenset(ids))
