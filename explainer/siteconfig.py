"""site.yaml and the site's own catalogues (content/i18n/*.po), typed: the settings every other file is read
with (`smart_quotes`, `languages`) are taken from the raw document first."""

from __future__ import annotations

from babel.messages.pofile import PoFileError

from .diagnostics import Diagnostics
from .fields import Fields, top_mapping
from .i18n import messages_of, read_catalogue
from .languages import tag_problem
from .load import Document
from .model import Catalogue, SiteConfig
from .parties import authors, publisher
from .translated import FactTexts

SITE_FIELDS = (
    "title", "description", "subtitle", "language", "languages", "base_url", "updated", "authors", "publisher",
    "smart_quotes", "allow_html", "map_agreement",
)  # fmt: skip


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
