"""Stage 2, validate: raw documents → typed records with unresolved references."""

from __future__ import annotations

from dataclasses import dataclass, field

from babel.messages.pofile import PoFileError

from .citations import number_citations, reading_order
from .diagnostics import Diagnostics, did_you_mean
from .fields import Fields, check_id, describe
from .i18n import messages_of, read_catalogue
from .languages import locale_of, tag_problem
from .load import Document
from .model import (
    ACTOR_KINDS,
    SOURCE_KINDS,
    STANCES,
    Actor,
    Catalogue,
    Change,
    Entity,
    Event,
    Figure,
    Image,
    Issue,
    Position,
    Quote,
    Ref,
    SiteConfig,
    Source,
    Text,
)
from .parties import authors, publisher
from .placeholders import placeholder_warnings
from .refs import make_text
from .roles import read_memberships, read_roles
from .translated import FactTexts, Translation, validate_translation
from .typography import typeset

SITE_FIELDS = (
    "title", "description", "subtitle", "language", "languages", "base_url", "updated", "authors", "publisher",
    "smart_quotes", "allow_html", "map_agreement",
)  # fmt: skip
ISSUE_FIELDS = (
    "title", "summary", "order", "status", "actors", "events", "positions",
    "quotes", "figures", "sources", "updated", "draft", "changes", "published", "corrections", "image",
)  # fmt: skip
ACTOR_FIELDS = ("name", "short", "kind", "role", "roles", "member_of", "aliases", "summary", "links", "image")
EVENT_FIELDS = ("title", "short", "date", "end", "place", "actors", "issues", "summary", "sources", "image")
SOURCE_FIELDS = ("title", "publisher", "url", "date", "archived", "accessed", "author", "kind", "quote")
QUOTE_FIELDS = ("by", "text", "date", "source", "context", "original", "lang")
FIGURE_FIELDS = ("value", "label", "source")
CHANGE_FIELDS = ("date", "text")
POSITION_FIELDS = ("text", "stance")
CORRECTION_FIELDS = ("date", "text")
IMAGE_FIELDS = ("src", "alt", "caption", "credit")


@dataclass(slots=True)
class Records:
    """Everything the content declares, typed but not yet cross-checked."""

    site: SiteConfig | None = None
    issues: list[Issue] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # ids declared with errors: not "unknown" when referenced
    unreadable: set[str] = field(default_factory=set)  # sections with a file that could not be read
    # (section, path) of each actors, events or sources file that could not be read, parsed or taken as a
    # mapping: an unknown id of its section may be defined there, so link counts those it leaves unreported
    unparsed: list[tuple[str, str]] = field(default_factory=list)
    catalogues: list[Catalogue] = field(default_factory=list)  # content/i18n/*.po
    translations: list[Translation] = field(default_factory=list)  # content/issues/<id>.<lang>.md
    texts: list[FactTexts] = field(default_factory=list)  # facts' and site.yaml's texts in other languages


def top_mapping(doc: Document, diags: Diagnostics, what: str, smart_quotes: bool = True) -> Fields | None:
    if doc.data is None:
        if doc.kind in ("site", "issue"):
            needs = "a 'title' and a 'description'" if doc.kind == "site" else "a 'title' and a 'summary'"
            diags.error(doc.path, 1, f"{what} is empty: it needs {needs}")
        return None
    if not isinstance(doc.data, dict):
        diags.error(doc.path, doc.line(), f"{what} must be a mapping (key: value lines), not {describe(doc.data)}")
        return None
    return Fields(doc, doc.data, (), diags, what, smart_quotes)


def smart_quotes_of(documents: list[Document]) -> bool:
    """The site's `smart_quotes` setting (on unless site.yaml says `false`), read before any record is typed:
    every plain text a reader sees is typeset by it as it is validated."""
    for doc in documents:
        if doc.kind == "site" and doc.readable and isinstance(doc.data, dict):
            return doc.data.get("smart_quotes") is not False
    return True


def languages_of(documents: list[Document]) -> tuple[str, ...]:
    """site.yaml's `languages:` as written (each tag CLDR knows, once), read before any record is typed: a
    fact's text written by language (`name: {en: ..., es: ...}`) is read by them."""
    for doc in documents:
        if doc.kind == "site" and doc.readable and isinstance(doc.data, dict):
            listed = doc.data.get("languages")
            tags = listed if isinstance(listed, list) else [listed]
            return tuple(dict.fromkeys(t for t in tags if isinstance(t, str) and tag_problem(t) is None))
    return ()


def validate_site(doc: Document, diags: Diagnostics, texts: list[FactTexts] | None = None) -> SiteConfig | None:
    """site.yaml; its title, description and subtitle in other languages go to texts."""
    fields = top_mapping(doc, diags, "site.yaml", smart_quotes_of([doc]))
    if fields is None:
        return None
    fields.check_known(SITE_FIELDS)
    fields.languages = languages = site_languages(fields)
    title = fields.by_language("title", "prose", required=True)
    description = fields.by_language("description", "prose", required=True)
    base_url = fields.text("base_url") or "/"
    if not base_url.endswith("/"):
        base_url += "/"
    smart = fields.raw("smart_quotes", False)
    bylines = authors(fields)
    config = SiteConfig(
        path=doc.path,
        title=title or "",
        description=description or "",
        subtitle=fields.by_language("subtitle", "prose"),
        language=site_language(fields, languages),
        languages=languages,
        base_url=base_url,
        updated=fields.date("updated"),
        authors=tuple(party.name for party in bylines),
        smart_quotes=fields.boolean("smart_quotes") if smart is not None else True,
        allow_html=fields.boolean("allow_html"),
        bylines=bylines,
        publisher=publisher(fields),
        map_agreement=map_agreement(fields),
    )
    if texts is not None and fields.mapped:
        texts.append(FactTexts(doc.path, "site", "site", tuple(fields.mapped), tuple(fields.by_lang)))
    return config if title and description else None


def map_agreement(fields: Fields) -> int:
    """`map_agreement`: on how many issues two actors must take the same stance for the map to draw them on one
    side; 2 when not written, or after an error (reported at its line)."""
    value = fields.integer("map_agreement")
    if value is None:
        return 2
    if value < 1:
        fields.error("map_agreement", f"'map_agreement' must be 1 or more (the issues on which two actors take "
                                      f"the same stance to be drawn on one side), not {value}")  # fmt: skip
        return 2
    return value


def site_language(fields: Fields, languages: tuple[str, ...]) -> str:
    """`language:`, a BCP 47 tag CLDR knows (the first of languages when those are given); English after an
    error (reported at its line)."""
    tag = fields.text("language") or (languages[0] if languages else "en")
    problem = tag_problem(tag)
    if problem:
        fields.error("language", problem)
        return "en"
    if languages and tag != languages[0]:
        fields.error("language", f"'language' is '{tag}' but the first of 'languages', the default, is "
                                 f"'{languages[0]}': give one of them, or make them agree")  # fmt: skip
    return tag


def site_languages(fields: Fields) -> tuple[str, ...]:
    """`languages: [en, es, fa]`: BCP 47 tags CLDR knows, each once, the default first; () when not given."""
    found: list[str] = []
    for tag, line in fields.listed("languages", (str,), "language tags"):
        problem = tag_problem(tag)
        if problem:
            fields.diags.error(fields.doc.path, line, problem)
        elif tag in found:
            fields.diags.error(fields.doc.path, line, f"'{tag}' is listed twice in 'languages'")
        else:
            found.append(tag)
    return tuple(found)


def validate_catalogue(doc: Document, diags: Diagnostics) -> Catalogue | None:
    """A site's .po file: its messages, or None after an error at its line (a file named for no language too)."""
    language = doc.stem
    problem = tag_problem(language)
    if problem:
        diags.error(doc.path, None, f"the catalogue's name must be its language: {problem}")
        return None
    try:
        catalog = read_catalogue(doc.body.encode("utf-8"), doc.path, language)
    except PoFileError as error:
        line = error.lineno + 1  # Babel counts from 0
        diags.error(doc.path, line, f"not a valid .po file: {str(error).rsplit(' on ', 1)[0]}")
        return None
    return Catalogue(doc.path, language, messages_of(catalog))


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


def validate_issue(doc: Document, diags: Diagnostics, smart_quotes: bool = True) -> Issue | None:
    stem = doc.stem
    if not check_id(stem, doc.path, 1, diags, "file name"):
        return None
    fields = top_mapping(doc, diags, "issue card", smart_quotes)
    if fields is None:
        return None
    fields.check_known(ISSUE_FIELDS)
    title = fields.prose("title", required=True)
    summary = fields.text("summary", required=True)  # its own warning for a `[[` (below), then typeset
    if summary and "[[" in summary:
        diags.warning(
            doc.path,
            fields.bracket_line("summary"),
            "the summary is plain text (the page's description in search results and link previews): "
            "'[[' shows as written; write the name instead",
        )
    positions = []
    for actor_id, stance in fields.mapping("positions").items():
        line = fields.line("positions", actor_id)
        if isinstance(stance, dict):
            own = fields.sub(stance, "positions", actor_id, what=f"the position of '{actor_id}'")
            position = validate_position(own, actor_id)
            if position is not None:
                positions.append(position)
            continue
        if not isinstance(stance, str | int | float) or isinstance(stance, bool) or not str(stance).strip():
            diags.error(doc.path, line, f"the position of '{actor_id}' must be text, not {describe(stance)}")
            continue
        text = make_text(str(stance).strip(), doc.path, line, doc.ref_source("positions", actor_id))
        positions.append(Position(Ref(actor_id, doc.path, line), text))
    quotes = [
        validate_quote(fields.sub(item, "quotes", i, what=f"quote {i + 1}")) for i, item in fields.items("quotes")
    ]
    figures = [
        validate_figure(fields.sub(item, "figures", i, what=f"figure {i + 1}")) for i, item in fields.items("figures")
    ]
    changes = [
        validate_change(fields.sub(item, "changes", i, what=f"change {i + 1}")) for i, item in fields.items("changes")
    ]
    corrections = [
        validate_change(fields.sub(item, "corrections", i, what=f"correction {i + 1}"), CORRECTION_FIELDS)
        for i, item in fields.items("corrections")
    ]
    issue = Issue(
        id=stem,
        path=doc.path,
        line=1,
        title=title or "",
        summary=typeset(summary, fields.smart_quotes) if summary else "",
        body=make_text(doc.body, doc.path, doc.body_line),
        order=fields.integer("order"),
        status=fields.plain("status"),
        actors=fields.refs("actors"),
        events=fields.refs("events"),
        positions=tuple(positions),
        quotes=tuple(q for q in quotes if q),
        figures=tuple(f for f in figures if f),
        sources=fields.refs("sources"),
        updated=fields.date("updated"),
        draft=fields.boolean("draft"),
        changes=tuple(c for c in changes if c),
        published=fields.date("published"),
        corrections=tuple(c for c in corrections if c),
        image=validate_image(fields),
    )
    for text in reading_order(issue):
        empty_citations(text, diags)
    return number_citations(issue) if title and summary else None


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


def validate_short(fields: Fields) -> str | None:
    """The `short` name a bare [[id]] shows: plain text, never empty."""
    value = fields.data.get("short")
    if "short" in fields.data and (value is None or (isinstance(value, str) and not value.strip())):
        fields.error("short", "'short' is empty: write a shorter name, or leave the field out")
        return None
    short: str | None = fields.by_language("short", "prose")
    if short and "[[" in short:
        fields.error("short", "'short' is plain text, the text of links to this page: write the name without '[['")
        return None
    return short


def validate_actor(fields: Fields, actor_id: str) -> Actor | None:
    fields.check_known(ACTOR_FIELDS)
    name = fields.by_language("name", "prose", required=True)
    kind = fields.text("kind", required=True)
    if kind is not None and kind not in ACTOR_KINDS:
        choices = ", ".join(ACTOR_KINDS)
        fields.error("kind", f"unknown kind '{kind}' (one of {choices}){did_you_mean(kind, ACTOR_KINDS)}")
        kind = None
    links = []
    for label, url in fields.mapping("links").items():
        if not isinstance(url, str) or not url.strip():
            fields.error("links", f"the link '{label}' must be a URL, not {describe(url)}")
            continue
        if "[[" in str(label):
            fields.warn_plain("links", fields.line("links", label))
        links.append((typeset(label, fields.smart_quotes), url.strip()))
    roles, current = read_roles(fields)
    memberships = read_memberships(fields)
    if name is None or kind is None:
        return None
    summary = fields.by_language("summary", "markdown")
    no_citations(summary, fields.diags, "an actor's summary")
    return Actor(
        id=actor_id,
        path=fields.doc.path,
        line=fields.line(),
        name=name,
        kind=kind,
        role=fields.by_language("role", "prose") if "role" in fields.data else current,
        member_of=tuple(m.group for m in memberships),
        aliases=fields.strings("aliases"),
        summary=summary,
        links=tuple(links),
        short=validate_short(fields),
        image=validate_image(fields),
        roles=roles,
        memberships=memberships,
    )


def validate_event(fields: Fields, event_id: str) -> Event | None:
    fields.check_known(EVENT_FIELDS)
    title = fields.by_language("title", "prose", required=True)
    date = fields.date("date", required=True, approximate=True)
    ongoing = fields.data.get("end") == "ongoing"
    end = None if ongoing else fields.date("end", approximate=True)
    if date and end and end.is_before(date):
        fields.error("end", f"'end' ({end}) is before 'date' ({date}): swap them or fix one")
        end = None
    if title is None or date is None:
        return None
    summary = fields.by_language("summary", "markdown")
    no_citations(summary, fields.diags, "an event's summary (list the source in 'sources')")
    return Event(
        id=event_id,
        path=fields.doc.path,
        line=fields.line(),
        title=title,
        date=date,
        end=end,
        place=fields.by_language("place", "prose"),
        actors=fields.refs("actors"),
        issues=fields.refs("issues"),
        summary=summary,
        sources=fields.refs("sources"),
        short=validate_short(fields),
        image=validate_image(fields),
        ongoing=ongoing,
    )


def validate_source(fields: Fields, source_id: str) -> Source | None:
    fields.check_known(SOURCE_FIELDS)
    title = fields.by_language("title", "prose", required=True)
    kind = fields.text("kind")
    if kind is not None and kind not in SOURCE_KINDS:
        choices = ", ".join(SOURCE_KINDS)
        fields.error("kind", f"unknown source kind '{kind}' (one of {choices}){did_you_mean(kind, SOURCE_KINDS)}")
    if title is None:
        return None
    return Source(
        id=source_id,
        path=fields.doc.path,
        line=fields.line(),
        title=title,
        publisher=fields.by_language("publisher", "prose"),
        url=fields.text("url"),
        date=fields.date("date"),
        archived=fields.text("archived"),
        accessed=fields.date("accessed"),
        author=fields.prose("author"),
        kind=kind if kind in SOURCE_KINDS else None,
        quote=fields.prose("quote"),
    )


FACT_VALIDATORS = {
    "actors": ("actor", validate_actor),
    "events": ("event", validate_event),
    "sources": ("source", validate_source),
}


def validate_facts(doc: Document, diags: Diagnostics, records: Records, smart_quotes: bool = True,
                   languages: tuple[str, ...] = ()) -> None:  # fmt: skip
    """Validate one actors, events or sources file: a mapping of id → entry."""
    singular, validator = FACT_VALIDATORS[doc.kind]
    fields = top_mapping(doc, diags, f"{doc.kind} file", smart_quotes)
    if fields is not None:
        fields.languages = languages
    if fields is None:
        if doc.data is not None:
            records.unreadable.add(doc.kind)
            records.unparsed.append((doc.kind, doc.path))
        return
    target: list[Entity] = getattr(records, doc.kind)
    for entry_id, entry in fields.data.items():
        line = fields.line(entry_id)
        record = None
        if check_id(entry_id, doc.path, line, diags, f"{singular} id"):
            if isinstance(entry, dict):
                own = fields.sub(entry, entry_id, what=f"{singular} '{entry_id}'")
                record = validator(own, entry_id)
                if record is not None and own.mapped:
                    records.texts.append(FactTexts(doc.path, doc.kind, entry_id, tuple(own.mapped), tuple(own.by_lang)))
            else:
                message = f"{singular} '{entry_id}' must be a mapping of fields, not {describe(entry)}"
                diags.error(doc.path, line, message)
        if record is None:
            records.broken.add(entry_id)
        else:
            target.append(record)


def validate(documents: list[Document], diags: Diagnostics, smart_quotes: bool | None = None,
             languages: tuple[str, ...] | None = None) -> Records:  # fmt: skip
    """Type-check every document; unresolved references stay as Refs. Plain text is typeset by smart_quotes,
    texts by language read by languages (by default, the settings of the site.yaml among documents)."""
    smart = smart_quotes_of(documents) if smart_quotes is None else smart_quotes
    tags = languages_of(documents) if languages is None else languages
    records = Records()
    for doc in documents:
        if not doc.readable:
            if doc.kind == "issue":
                records.broken.add(doc.stem)
            elif doc.kind != "site":
                records.unreadable.add(doc.kind)
                records.unparsed.append((doc.kind, doc.path))
        elif doc.kind == "site":
            records.site = validate_site(doc, diags, records.texts)
        elif doc.kind == "catalogue":
            catalogue = validate_catalogue(doc, diags)
            if catalogue is not None:
                records.catalogues.append(catalogue)
        elif doc.kind == "translation":
            translation = validate_translation(doc, diags, smart, tags)
            if translation is not None:
                records.translations.append(translation)
        elif doc.kind == "issue":
            issue = validate_issue(doc, diags, smart)
            if issue is None:
                records.broken.add(doc.stem)
            else:
                records.issues.append(issue)
        else:
            validate_facts(doc, diags, records, smart, tags)
        if doc.readable:
            placeholder_warnings(doc, diags)
    return records
