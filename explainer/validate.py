"""Stage 2, validate: raw documents → typed records with unresolved references."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from .citations import number_citations, reading_order
from .diagnostics import Diagnostics
from .facts import FACT_VALIDATORS
from .fields import check_id, describe, top_mapping
from .load import Document
from .model import (
    Actor,
    Catalogue,
    Entity,
    Event,
    Issue,
    Position,
    Ref,
    SiteConfig,
    Source,
)
from .parts import (
    CORRECTION_FIELDS,
    empty_citations,
    validate_change,
    validate_figure,
    validate_image,
    validate_position,
    validate_quote,
)
from .placeholders import placeholder_warnings
from .refs import make_text
from .siteconfig import languages_of, smart_quotes_of, validate_catalogue, validate_site
from .translated import FactTexts, Translation, validate_translation
from .typography import typeset

ISSUE_FIELDS = (
    "title", "summary", "order", "status", "actors", "events", "positions",
    "quotes", "figures", "sources", "updated", "draft", "changes", "published", "corrections", "image",
)  # fmt: skip
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


def merge_records(parts: list[Records]) -> Records:
    """The records of documents validated one by one (`validate([doc], ...)`) as validate() gives them for all:
    lists joined in order, sets joined, the rest the last one set."""
    merged = Records()
    for name in (f.name for f in dataclasses.fields(Records)):
        values = [getattr(part, name) for part in parts]
        kind = type(getattr(merged, name))
        if kind is list:
            setattr(merged, name, [item for value in values for item in value])
        elif kind is set:
            setattr(merged, name, set().union(*values))
        else:
            setattr(merged, name, next((v for v in reversed(values) if v is not None), None))
    return merged


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
