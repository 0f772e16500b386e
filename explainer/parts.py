"""The parts an issue card or a fact is made of, typed: quotes, key figures, change notes, positions and images
(each read from its mapping, with its errors at their lines), and the checks on a text's citations."""

from __future__ import annotations

from .diagnostics import Diagnostics, did_you_mean
from .fields import Fields, describe
from .languages import locale_of
from .model import (
    STANCES,
    Change,
    Figure,
    Image,
    Position,
    Quote,
    Ref,
    Text,
)
from .typography import typeset

QUOTE_FIELDS = ("by", "text", "date", "source", "context", "original", "lang")
FIGURE_FIELDS = ("value", "label", "source")
CHANGE_FIELDS = ("date", "text")
POSITION_FIELDS = ("text", "stance")
CORRECTION_FIELDS = ("date", "text")
IMAGE_FIELDS = ("src", "alt", "caption", "credit")


def validate_quote(fields: Fields) -> Quote | None:
    fields.check_known(QUOTE_FIELDS)
    by = fields.ref("by", required=True)
    text = fields.markdown("text", required=True)
    if by is None or text is None:
        return None
    original, lang = fields.markdown("original"), quote_language(fields)
    if original is not None and fields.data.get("lang") is None:  # a wrong `lang` is reported already
        # Without its language the original cannot be marked up for readers, screen readers and search.
        fields.error("original", f"{fields.what} has an 'original' but no 'lang': add the language it was said in")
    if original is None and lang is not None:  # `lang` is the original's language: alone, nothing shows it
        fields.diags.warning(fields.doc.path, fields.line("lang"), f"{fields.what} has a 'lang' but no 'original' "
                             "to mark with it: add the original text, or take 'lang' out")  # fmt: skip
    return Quote(by, text, fields.date("date"), fields.ref("source"), fields.markdown("context"), original, lang)


def quote_language(fields: Fields) -> str | None:
    """A quote's `lang`: a BCP 47 tag that CLDR knows (`en`, `fa`, `pt-BR`), else reported and None."""
    lang = fields.text("lang")
    if lang is not None and locale_of(lang) is None:
        fields.error("lang", f"unknown language '{lang}' in 'lang' of {fields.what}: write a BCP 47 tag such as 'en'")
        return None
    return lang


def validate_figure(fields: Fields) -> Figure | None:
    fields.check_known(FIGURE_FIELDS)
    value = fields.prose("value", required=True)
    label = fields.prose("label", required=True)
    if value is None or label is None:
        return None
    return Figure(value, label, fields.ref("source"))


def validate_change(fields: Fields, known: tuple[str, ...] = CHANGE_FIELDS) -> Change | None:
    """A dated note (`changes:`, `corrections:`)."""
    fields.check_known(known)
    date = fields.date("date", required=True)
    text = fields.prose("text", required=True)
    if date is None or text is None:
        return None
    return Change(date, text, fields.line())


def validate_image(fields: Fields) -> Image | None:
    """`image: {src, alt, caption, credit}`: src required (that it names a file, media.py checks once every file
    is known); no `alt` is a warning at its line (`alt: ""` marks a decorative image, on purpose)."""
    value = fields.data.get("image")
    if value is None:
        return None
    line = fields.line("image")
    if not isinstance(value, dict):
        fields.error("image", f"'image' must be a mapping with 'src' and 'alt', not {describe(value)}")
        return None
    sub = fields.sub(value, "image", what=f"the image of {fields.what}")
    sub.check_known(IMAGE_FIELDS)
    src = sub.text("src", required=True)
    alt = value.get("alt")
    if alt is None:
        fields.diags.warning(fields.doc.path, line, NO_ALT)
    elif not isinstance(alt, str):
        sub.error("alt", f"'alt' must be text, not {describe(alt)}")
        alt = None
    if src is None:
        return None
    alt = typeset(alt.strip(), fields.smart_quotes) if alt else alt
    return Image(src, alt, fields.doc.path, line, sub.prose("caption"), sub.prose("credit"))


NO_ALT = ("the image has no alt text: describe what it shows for readers who cannot see it "
          "(alt: \"\" marks a purely decorative image)")  # fmt: skip


def empty_citations(text: Text, diags: Diagnostics) -> None:
    """An error at each `[[@]]` or `[[@, locator]]`: a citation names its source."""
    for cite in text.cites:
        if not cite.source.id:
            message = "empty citation: write [[@source-id]] or [[@source-id, locator]] with the source's id"
            diags.error(cite.source.path, cite.source.line, message)


def no_citations(text: Text | None, diags: Diagnostics, where: str) -> None:
    """An error at each citation in a text that is not an issue card's: only a card has a numbered source list."""
    for cite in text.cites if text else ():
        diags.error(cite.source.path, cite.source.line,
                    f"[[@{cite.source.id}]]: citations work only in an issue card's body, positions and quotes, "
                    f"not in {where}: remove it, or name the source in the text")  # fmt: skip


def validate_position(fields: Fields, actor_id: str) -> Position | None:
    """A position written `{text, stance}`: Markdown text and one of STANCES."""
    fields.check_known(POSITION_FIELDS)
    text = fields.markdown("text", required=True)
    stance = fields.text("stance")
    if stance is not None and stance not in STANCES:
        choices = ", ".join(STANCES)
        fields.error("stance", f"unknown stance '{stance}' (one of {choices}){did_you_mean(stance, STANCES)}")
        return None
    if text is None:
        return None
    return Position(Ref(actor_id, fields.doc.path, fields.line()), text, stance)
