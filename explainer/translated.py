"""Texts in a site's other languages, read and checked (docs/languages.md#translations).

- A card's translation, `issues/<id>.<lang>.md`: only the card's texts (title, summary, positions by actor,
  quotes, figures and change notes in the card's order, the body) and its own `updated:`; ids, dates and
  lists of ids come from the card. `validate_translation` reads one file alone (serve validates files one
  by one); `check_translations` holds each against its card once every record is known (link calls it).
- A fact's text field written by language (`name: {en: ..., es: ...}`): `Fields.by_language` reads it, and
  validate keeps the other languages' texts as one `FactTexts` per actor, event, source or site.yaml.

Neither record has an `id`: a change to one is no pairing of the change model, so every page is compared
again (incremental/changes.py), whichever language shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .dates import PartialDate
from .diagnostics import Diagnostics, did_you_mean
from .fields import Fields, check_id, describe
from .load import Document
from .model import Issue, Ref, Text
from .refs import make_text

TRANSLATION_FIELDS = ("title", "summary", "positions", "quotes", "figures", "changes", "updated")
QUOTE_TEXTS = ("by", "text", "context")  # `by` only checks the order: it must name the card's quote's speaker
FIGURE_TEXTS = ("value", "label")
CHANGE_TEXTS = ("text",)


@dataclass(frozen=True, slots=True)
class QuoteText:
    """The translation of the card's quote number `index` (from 0)."""

    index: int
    line: int
    by: Ref | None
    text: Text
    context: Text | None = None


@dataclass(frozen=True, slots=True)
class FigureText:
    index: int
    line: int
    label: str
    value: str | None = None


@dataclass(frozen=True, slots=True)
class ChangeText:
    index: int
    line: int
    text: str


@dataclass(frozen=True, slots=True)
class Translation:
    """`issues/<issue>.<language>.md`: a card's texts in another language."""

    path: str
    issue: str
    language: str
    title: str
    summary: str
    body: Text | None  # None: the file has no body (the card's shows)
    positions: tuple[tuple[Ref, Text], ...] = ()  # (the actor as the translation names it, the text)
    quotes: tuple[QuoteText, ...] = ()
    figures: tuple[FigureText, ...] = ()
    changes: tuple[ChangeText, ...] = ()
    updated: PartialDate | None = None  # when the translation was last brought up to date with its card


@dataclass(frozen=True, slots=True)
class FactTexts:
    """The texts an actor, event, source (or site.yaml: section and owner `site`) gives by language."""

    path: str
    section: str  # actors, events, sources, site
    owner: str  # the entity's id
    mapped: tuple[str, ...]  # the fields written by language
    texts: tuple[tuple[str, str, Any], ...]  # (language, field, text) for each language but the default

    def text(self, language: str, key: str) -> Any:
        return next((text for lang, name, text in self.texts if lang == language and name == key), None)

    def complete(self, language: str) -> bool:
        """Whether every field written by language has language's text."""
        given = {name for lang, name, _text in self.texts if lang == language}
        return all(key in given for key in self.mapped)


def file_parts(doc: Document) -> tuple[str, str]:
    """(card id, language) of `issues/<id>.<lang>.md`."""
    issue, _, language = doc.stem.partition(".")
    return issue, language


def language_problem(language: str, languages: tuple[str, ...]) -> str | None:
    """Why a translation file's language is not one the site translates into, or None."""
    if not languages:
        return (f"a translation into '{language}', but site.yaml has no 'languages:': add 'languages:' (the "
                f"default first, e.g. [en, {language}]) to publish the site in more than one language")  # fmt: skip
    if language == languages[0]:
        others = ", ".join(languages[1:]) or "none yet"
        return f"'{language}' is the default language, the card's own: a translation is into another ({others})"
    if language not in languages:
        listed = ", ".join(languages)
        return f"'{language}' is not one of the site's languages ({listed}){did_you_mean(language, languages[1:])}"
    return None


def validate_translation(doc: Document, diags: Diagnostics, smart_quotes: bool,
                         languages: tuple[str, ...]) -> Translation | None:  # fmt: skip
    """One translation file, read alone: its texts, or None after an error."""
    issue, language = file_parts(doc)
    problem = language_problem(language, languages)
    if problem:
        diags.error(doc.path, 1, problem)
        return None
    if not check_id(issue, doc.path, 1, diags, "file name"):
        return None
    if doc.data is None or not isinstance(doc.data, dict):
        what = "empty" if doc.data is None else describe(doc.data)
        diags.error(doc.path, 1, f"a translation's front matter must be a mapping with a 'title' and a 'summary', "
                                 f"not {what}")  # fmt: skip
        return None
    fields = Fields(doc, doc.data, (), diags, "translation", smart_quotes, languages)
    only_texts(fields, TRANSLATION_FIELDS, f"the card {issue}.md")
    title, summary = fields.prose("title", required=True), fields.prose("summary", required=True)
    positions = []
    for actor_id, stance in fields.mapping("positions").items():
        line = fields.line("positions", actor_id)
        if not isinstance(stance, str | int | float) or isinstance(stance, bool) or not str(stance).strip():
            diags.error(doc.path, line, f"the position of '{actor_id}' must be text, not {describe(stance)}")
            continue
        text = make_text(str(stance).strip(), doc.path, line, doc.ref_source("positions", actor_id))
        positions.append((Ref(str(actor_id), doc.path, line), text))
    quotes = [quote_text(fields.sub(item, "quotes", i, what=f"translated quote {i + 1}"), i)
              for i, item in fields.items("quotes")]  # fmt: skip
    figures = [figure_text(fields.sub(item, "figures", i, what=f"translated figure {i + 1}"), i)
               for i, item in fields.items("figures")]  # fmt: skip
    changes = [change_text(fields.sub(item, "changes", i, what=f"translated change {i + 1}"), i)
               for i, item in fields.items("changes")]  # fmt: skip
    if title is None or summary is None:
        return None
    body = make_text(doc.body, doc.path, doc.body_line) if doc.body.strip() else None
    return Translation(doc.path, issue, language, title, summary, body, tuple(positions),
                       tuple(q for q in quotes if q), tuple(f for f in figures if f), tuple(c for c in changes if c),
                       fields.date("updated"))  # fmt: skip


def only_texts(fields: Fields, allowed: tuple[str, ...], card: str) -> None:
    """An error at each key that is not a text of a translation: what is not translated comes from the card."""
    for key in fields.data:
        if key in allowed:
            continue
        line = fields.line(key)
        hint = did_you_mean(str(key), allowed)
        fields.error_at(line, f"'{key}' is not translated: ids, dates and lists of ids come from {card}; "
                              f"a {fields.what} holds only {', '.join(allowed)}{hint}")  # fmt: skip


def quote_text(fields: Fields, index: int) -> QuoteText | None:
    only_texts(fields, QUOTE_TEXTS, "the card")
    text = fields.markdown("text", required=True)
    if text is None:
        return None
    return QuoteText(index, fields.line(), fields.ref("by"), text, fields.markdown("context"))


def figure_text(fields: Fields, index: int) -> FigureText | None:
    only_texts(fields, FIGURE_TEXTS, "the card")
    label = fields.prose("label", required=True)
    return FigureText(index, fields.line(), label, fields.prose("value")) if label else None


def change_text(fields: Fields, index: int) -> ChangeText | None:
    only_texts(fields, CHANGE_TEXTS, "the card")
    text = fields.prose("text", required=True)
    return ChangeText(index, fields.line(), text) if text else None


def texts_of(translation: Translation) -> list[Text]:
    """Every Markdown text of a translation (their [[links]] are checked like the card's)."""
    texts = [text for _actor, text in translation.positions]
    texts += [q.text for q in translation.quotes] + [q.context for q in translation.quotes if q.context]
    return texts + ([translation.body] if translation.body else [])


def check_translations(translations: list[Translation], facts: list[FactTexts], issues: list[Issue],
                       broken: set[str], check_ref: Callable[[Ref], Any], diags: Diagnostics) -> None:  # fmt: skip
    """Each translation against its card (it names only the card's actors, quotes, figures and change notes),
    and every [[link]] in translated texts."""
    cards = {issue.id: issue for issue in issues}
    for translation in translations:
        card = cards.get(translation.issue)
        if card is None:
            if translation.issue not in broken:  # a card with errors is reported already
                hint = did_you_mean(translation.issue, cards)
                diags.error(translation.path, 1, f"a translation of '{translation.issue}', but there is no card "
                                                 f"issues/{translation.issue}.md{hint}")  # fmt: skip
            continue
        against_card(translation, card, diags)
        named = names_of(card)
        for text in texts_of(translation):
            for ref in text.refs:
                if check_ref(ref) and ref.id not in named:
                    diags.error(ref.path, ref.line, f"[[{ref.id}]] links '{ref.id}', which the card {card.id}.md does "
                                                    f"not name: a translation may link only what its card names (its "
                                                    f"lists, positions, quotes and [[links]])"
                                                    f"{did_you_mean(ref.id, named)}")  # fmt: skip
    for owner in facts:
        for _lang, _key, value in owner.texts:
            for ref in value.refs if isinstance(value, Text) else ():
                check_ref(ref)


def names_of(card: Issue) -> set[str]:
    """Every id a card names: itself, its lists, its positions' actors, its quotes' speakers and sources, its
    figures' sources and every [[link]] in its texts."""
    named = {card.id, *(r.id for r in (*card.actors, *card.events, *card.sources))}
    named.update(p.actor.id for p in card.positions)
    named.update(q.by.id for q in card.quotes)
    named.update(r.id for r in (*(q.source for q in card.quotes), *(f.source for f in card.figures)) if r)
    texts = [card.body, *(p.text for p in card.positions), *(q.text for q in card.quotes)]
    texts += [q.context for q in card.quotes if q.context]
    named.update(ref.id for text in texts for ref in text.refs)
    return named


def against_card(translation: Translation, card: Issue, diags: Diagnostics) -> None:
    """Errors where a translation names what its card does not."""
    path, name = translation.path, f"the card {card.id}.md"
    stances = [p.actor.id for p in card.positions]
    for actor, _text in translation.positions:
        if actor.id not in stances:
            diags.error(path, actor.line, f"'{actor.id}' has no position in {name}: a translation gives the texts "
                                          f"of its positions only{did_you_mean(actor.id, stances)}")  # fmt: skip
    for quote in translation.quotes:
        if quote.index >= len(card.quotes):
            diags.error(path, quote.line, beyond("quote", quote.index, len(card.quotes), name))
            continue
        said = card.quotes[quote.index]
        if quote.by is not None and quote.by.id != said.by.id:
            diags.error(path, quote.by.line, f"quote {quote.index + 1} of {name} is by '{said.by.id}', not "
                                             f"'{quote.by.id}': quotes are translated in the card's order")  # fmt: skip
        if quote.context is not None and said.context is None:
            diags.error(path, quote.context.line, f"quote {quote.index + 1} of {name} has no 'context' to translate")
    for figure in translation.figures:
        if figure.index >= len(card.figures):
            diags.error(path, figure.line, beyond("figure", figure.index, len(card.figures), name))
    for change in translation.changes:
        if change.index >= len(card.changes):
            diags.error(path, change.line, beyond("change", change.index, len(card.changes), name))


def beyond(what: str, index: int, count: int, card: str) -> str:
    has = f"{count} {what}{'s' if count != 1 else ''}" if count else f"no {what}s"
    return f"{what} {index + 1} translates nothing: {card} has {has} ({what}s are translated in the card's order)"
