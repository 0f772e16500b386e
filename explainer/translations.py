"""Translations: a site published in several languages (`languages: [en, es, fa]` in site.yaml).

The interface the rest of the build uses (what translation files and texts by language hold, and how they
are read and checked, is `translated.py`'s):

- `site_languages(config)`: every language the site is published in, the default first.
- `records_in(records, language)`: the records as a reader of that language sees them (each text from its
  translation where there is one, else the default language's) and the ids of the entities shown
  (partly) untranslated.
- `untranslated_lines(records)`, `outdated_lines(records)`: what `python build.py check` lists.

An issue is translated into a language when its file `issues/<id>.<lang>.md` gives every text the card has
(title, summary, body, each position, each quote's text and context, each figure's label, each change
note); an actor, event or source when each field it writes by language has that language's text (a field
written once is the same in every language, so counts as translated).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from .citations import number_citations
from .model import Actor, Event, Issue, SiteConfig, Source, Text
from .translated import FactTexts, Translation
from .validate import Records

# the fields a fact (or site.yaml) may write by language, by section
FACT_TEXT_FIELDS = {
    "actors": ("name", "short", "role", "summary"),
    "events": ("title", "short", "place", "summary"),
    "sources": ("title", "publisher"),
    "site": ("title", "description", "subtitle"),
}


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
    cards = {t.issue: t for t in records.translations if t.language == language}
    texts = {(t.path, t.owner): t for t in records.texts if t.section != "site"}
    untranslated: set[str] = set()
    issues = []
    for issue in records.issues:
        translation = cards.get(issue.id)
        if translation is None:
            untranslated.add(issue.id)
            issues.append(issue)
            continue
        shown, complete = translated_issue(issue, translation)
        issues.append(shown)
        if not complete:
            untranslated.add(issue.id)

    site = records.site
    site_texts = next((t for t in records.texts if t.section == "site"), None)
    if site is not None and site_texts is not None:
        site = in_language(site, site_texts, language)
    localized = dataclasses.replace(
        records,
        site=site,
        issues=issues,
        actors=localized_facts(records.actors, texts, language, untranslated),
        events=localized_facts(records.events, texts, language, untranslated),
        sources=localized_facts(records.sources, texts, language, untranslated),
        translations=[],  # applied: nothing is left to translate, or for link to check again
        texts=[],
    )
    return Localized(localized, frozenset(untranslated))


Record = TypeVar("Record", Actor, Event, Source, SiteConfig)
K = TypeVar("K")
T = TypeVar("T")
U = TypeVar("U")


def localized_facts(entities: list[Record], texts: dict[tuple[str, str], FactTexts], language: str,
                    untranslated: set[str]) -> list[Record]:  # fmt: skip
    """Each entity in language; the id of each whose texts by language lack it goes to untranslated."""
    shown = []
    for entity in entities:
        own = texts.get((entity.path, getattr(entity, "id", "")))
        if own is None:
            shown.append(entity)
            continue
        shown.append(in_language(entity, own, language))
        if not own.complete(language):
            untranslated.add(own.owner)
    return shown


def in_language(record: Record, own: FactTexts, language: str) -> Record:
    """record with each of its texts written by language in language, where it has one."""
    changes = {}
    for key in own.mapped:
        text = own.text(language, key)
        if text is not None:
            changes[key] = text
    return dataclasses.replace(record, **changes) if changes else record


def translated_issue(issue: Issue, translation: Translation) -> tuple[Issue, bool]:
    """The card with its translation's texts, and whether the translation gives every text the card has."""
    complete = translation.body is not None or not issue.body.source.strip()
    stances = {actor.id: text for actor, text in translation.positions}
    positions, given = _overlay([(p.actor.id, p) for p in issue.positions], stances,
                                lambda position, text: dataclasses.replace(position, text=text))
    complete = complete and given
    quotes, given = _overlay(list(enumerate(issue.quotes)), {q.index: q for q in translation.quotes},
                             lambda quote, said: dataclasses.replace(quote, text=said.text,
                                                                     context=said.context or quote.context),
                             lambda quote, said: said.context is not None or quote.context is None)
    complete = complete and given
    figures, given = _overlay(list(enumerate(issue.figures)), {f.index: f for f in translation.figures},
                              lambda figure, label: dataclasses.replace(figure, label=label.label,
                                                                        value=label.value or figure.value))
    complete = complete and given
    changes, given = _overlay(list(enumerate(issue.changes)), {c.index: c for c in translation.changes},
                              lambda change, note: dataclasses.replace(change, text=note.text))
    complete = complete and given
    body: Text = translation.body or issue.body
    shown = dataclasses.replace(issue, title=translation.title, summary=translation.summary, body=body,
                                positions=positions, quotes=quotes, figures=figures, changes=changes)  # fmt: skip
    return number_citations(shown), complete  # the translation's [[@citations]], and the card's kept beside them


def _overlay(items: list[tuple[K, T]], given: dict[K, U], apply: Callable[[T, U], T],
             covers: Callable[[T, U], bool] = lambda item, text: True) -> tuple[tuple[T, ...], bool]:
    """Each item with its translated text applied where the translation gives one, and whether it gives all."""
    complete = True
    out = []
    for key, item in items:
        text = given.get(key)
        complete = complete and text is not None and covers(item, text)
        out.append(apply(item, text) if text else item)
    return tuple(out), complete


def untranslated_lines(records: Records) -> list[str]:
    """`check`: per language, the cards with no translation, or one that leaves texts in the default language."""
    if records.site is None:
        return []
    lines = []
    default, *others = site_languages(records.site)
    for language in others:
        untranslated = records_in(records, language).untranslated
        cards = {t.issue for t in records.translations if t.language == language}
        for issue in records.issues:
            if issue.id not in untranslated:
                continue
            name = f"{issue.path.removesuffix('.md')}.{language}.md"
            if issue.id in cards:
                lines.append(f"{language}: {issue.path} is partly translated ({name} leaves texts in {default})")
            else:
                lines.append(f"{language}: {issue.path} is not translated (no {name})")
    return lines


def outdated_lines(records: Records) -> list[str]:
    """`check`: each translation whose card changed after it was last updated (the card's `updated:`, else its
    `published:`, later than the translation's `updated:`), or that has no `updated:` while its card has."""
    cards = {issue.id: issue for issue in records.issues}
    lines = []
    for translation in records.translations:
        card = cards.get(translation.issue)
        changed = (card.updated or card.published) if card else None
        if card is None or changed is None:
            continue
        if translation.updated is None:
            lines.append(f"{translation.path}: no 'updated:' date, and the card {card.path} changed "
                         f"{changed.iso}: give the date the translation was last brought up to date")  # fmt: skip
        elif translation.updated.is_before(changed):
            lines.append(f"{translation.path}: out of date: updated {translation.updated.iso}, the card "
                         f"{card.path} {changed.iso}")  # fmt: skip
    return lines
