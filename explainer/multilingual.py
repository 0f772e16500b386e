"""The other languages of a site published in several (`languages: [en, es, fa]`): each one's whole site.

The default language's site is the build's own, at the root. Each other language gets the same pages, feeds and
exports under `/<lang>/` (`languages.language_prefix`), planned and rendered by the same stages from that
language's records (`translations.records_in`) and linked with its own `Words`; only the static files are shared
at the root. The files are made afresh on every build and every save of `serve` (no cache keeps them), so they are
always what a clean build makes; sitemap.xml at the root lists every language's pages (`hostfiles.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .diagnostics import Diagnostics
from .hostfiles import absolute_base, atom_feed
from .i18n import site_words
from .languages import language_prefix
from .link import Site, link
from .pages import PageSpec, plan
from .render import SITE_TEXTS, Renderer, render_each
from .translations import records_in, site_languages
from .validate import Records
from .views.files import view_files


@dataclass(frozen=True, slots=True)
class LanguageSite:
    """Another language's site: where it sits (`es/`), its linked records, the ids it shows untranslated."""

    language: str
    prefix: str
    site: Site
    untranslated: frozenset[str]


def root_url(base_url: str) -> str:
    return base_url if base_url.endswith("/") else base_url + "/"


def language_sites(records: Records, diags: Diagnostics, include_drafts: bool) -> list[LanguageSite]:
    """Each language but the default, linked from its records. Link has checked the default's references
    already (what it would say again is dropped); a language's missing built-in strings are warnings."""
    config = records.site
    if config is None:
        return []
    made = []
    for language in site_languages(config)[1:]:
        localized = records_in(records, language)
        own = localized.records.site or config
        prefix = language_prefix(config, language)
        settings = replace(own, language=language, base_url=root_url(own.base_url) + prefix)
        linked = link(replace(localized.records, site=settings), Diagnostics(), include_drafts)
        if linked is None:
            continue
        words = site_words(settings, localized.records.catalogues, diags)
        untranslated = localized.untranslated
        if (own.title, own.subtitle, own.description) == (config.title, config.subtitle, config.description):
            untranslated |= {SITE_TEXTS}  # the site's own texts shown as the default language has them
        made.append(LanguageSite(language, prefix, replace(linked, words=words), untranslated))
    return made


Render = Callable[[Renderer, list[PageSpec], Diagnostics], dict[str, bytes]]


def language_files(records: Records, diags: Diagnostics, templates: Path, base_url: str | None,
                   assets: dict[str, str], relative: bool, drafts: bool,
                   render: Render = render_each) -> dict[str, bytes] | None:  # fmt: skip
    """Every file of every other language's site, by its path from the output's root (`es/issues/x/index.html`);
    {} for a site in one language, None after a template error. render: how the pages are rendered (`build`
    passes one over its worker processes)."""
    if records.site is None or len(site_languages(records.site)) < 2:
        return {}
    root = base_url or records.site.base_url
    files: dict[str, bytes] = {}
    for other in language_sites(records, diags, drafts):
        pages = plan(other.site)
        renderer = Renderer(other.site, templates, root, assets, relative, diags, other.untranslated)
        made = render(renderer, pages, diags)
        if diags.has_errors():
            return None
        url = root_url(root) + other.prefix
        base = absolute_base(url)
        if base:
            made["feed.xml"] = atom_feed(other.site, base)
        made |= view_files(other.site, url)
        files |= {other.prefix + path: data for path, data in made.items()}
    return files
