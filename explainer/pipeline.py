"""Run the stages in order: load → validate → link → plan → render → write."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .advice import likely_mistakes
from .assets import fingerprint
from .diagnostics import Diagnostics
from .hostfiles import absolute_base, host_files
from .incremental.buildcache import BuildStore, files_key, site_data_key
from .incremental.cardedits import Edit, card_edits
from .incremental.spliced import edited_views
from .link import Site, link
from .pages import PageSpec, plan
from .parallel.gctune import fewer_collections, give_back_memory
from .parallel.loadpool import load_content
from .parallel.pagepool import Progress, RenderJob, first_pass, make_renderer, render_all
from .parallel.sidewrite import issue_feeds_aside
from .render import render_pages
from .theme import static_files, static_folders, template_folders
from .validate import Records, validate
from .views import search
from .views.files import view_files
from .write import Staging, WriteStats

if TYPE_CHECKING:
    from .incremental.memory import BuildCache


@dataclass(frozen=True, slots=True)
class BuildOptions:
    content: Path
    output: Path
    templates: Path
    static: Path
    base_url: str | None = None
    drafts: bool = False
    relative_urls: bool = False
    strict: bool = False  # warnings fail the build
    fingerprint_assets: bool = True  # serve turns it off: LiveReload's liveCSS needs a stylesheet to keep its name
    search: bool = True  # index the pages with Pagefind (if installed); --no-search, or serve for speed, skip it
    jobs: int = 1  # processes that render pages (--jobs; the command line's default is every core)
    cache_dir: Path | None = None  # the persistent build cache (buildcache.py); None: --no-cache
    progress: bool = False  # a progress line on the terminal for a long build


@dataclass(slots=True)
class BuildResult:
    diagnostics: Diagnostics
    pages: Counter[str] = field(default_factory=Counter)
    stats: WriteStats | None = None
    seconds: float = 0.0
    strict: bool = False

    @property
    def ok(self) -> bool:
        if self.strict and self.diagnostics.warnings:
            return False
        return not self.diagnostics.has_errors()


def render_site(
    options: BuildOptions,
    diags: Diagnostics,
    cache: BuildCache | None = None,
    store: BuildStore | None = None,
    out: Staging | None = None,
) -> tuple[dict[str, bytes], Counter[str]] | None:
    """Every output file, by path, and the pages by kind; None after errors. `serve` passes a cache; `build`
    passes out, the output being written, which gets every file as it is made (the dict is then empty)."""
    earlier = None  # build, with the cache: the files changed since the last build, as they were then
    if cache:
        documents = cache.load(options.content, diags)
        records = cache.validate(documents, diags)
    else:
        documents = load_content(options.content, diags, store.documents if store else None, options.jobs)
        if store:
            earlier = store.documents.earlier()
            store.read_documents = files_key(store.documents.used)
            store.site_data = site_data_key(documents)
            store.documents.save()
        records = validate(documents, diags)
        del documents  # each file's text, data and lines (~200 MB at 20,000 cards): the records hold what is kept
        give_back_memory()
    if cache:
        site = cache.relink.link(records, diags, options.drafts)
    else:
        site = link(records, diags, include_drafts=options.drafts)
    if site is None or diags.has_errors():
        return None
    static, assets = (
        fingerprint(static_files(options.static)) if options.fingerprint_assets else (static_files(options.static), {})
    )
    base_url = options.base_url or site.config.base_url
    if out is not None:  # build: pages rendered across processes, each written as it is made
        renderer = make_renderer(site, options.templates, diags, options.base_url, assets, options.relative_urls,
                                 store)  # fmt: skip
        texts = first_pass(renderer, store, options.jobs)  # the Markdown texts render while the pages are planned
        # Without the cache, each page's context is made by the page worker rendering it; with a cache that may
        # keep pages, by the workers making the page keys (pagepool.page_keys). A first build into the output
        # makes them here, while the Markdown first pass runs, for the keys made here and for the pages.
        pages = plan(site, lazy=store is None or bool(store.pages))
        edits = card_edits(store, earlier, records, diags) if store and store.pages else None
        edited = None if edits is None else frozenset(edits)
        bodies = edits is not None and all(edit.body_only for edit in edits.values())
        job = RenderJob(renderer, options.templates, options.jobs, store, out, Progress(len(pages), options.progress),
                        texts, edited, bodies)  # fmt: skip
        render_all(job, pages, diags)
        if diags.has_errors():
            return None
        spliced = kept_views(site, edits, base_url, out)
        if spliced is not None:  # only what cards show of themselves changed: the view files showing none are kept
            kept, files = spliced
            for path in kept:
                out.keep(path)
            files |= finish_site(site, records, pages, base_url, diags, views=False)
            for path in sorted(files):
                out.add(path, files.pop(path))
            write_rest(options, static, out, diags)
            return {}, Counter(page.kind for page in pages)
        # Made after the page workers are gone, not while they run: the main process touching every record
        # then would copy the memory it shares with them (measured: +50 MiB at 5,000 cards, +300 at 20,000).
        feeds = issue_feeds_aside(site, absolute_base(base_url), out, options.jobs)  # a child writes those
        try:
            files = finish_site(site, records, pages, base_url, diags, issue_feeds=feeds is None)
            for path in sorted(files):
                out.add(path, files.pop(path))  # written at once: data/explainer.json is ~130 MB at 20,000 cards
        except BaseException:
            if feeds is not None:
                feeds.stop()
            raise
        if feeds is not None:
            feeds.finish()
        write_rest(options, static, out, diags)
        return {}, Counter(page.kind for page in pages)
    pages = cache.relink.plan(site) if cache else plan(site)
    if cache:
        files = cache.render_pages(
            site, pages, options.templates, diags, options.base_url, assets, options.relative_urls
        )
    else:
        files = render_pages(site, pages, options.templates, diags, options.base_url, assets, options.relative_urls)
    if diags.has_errors():
        return None
    files.update(finish_site(site, records, pages, base_url, diags, cache))
    if options.search:
        files.update(search.search_index(files, diags, search.pagefind_executable(), options.output, options.jobs))
    files.update(static)
    return files, Counter(page.kind for page in pages)


def finish_site(site: Site, records: Records, pages: list[PageSpec], base_url: str, diags: Diagnostics,
                cache: BuildCache | None = None, issue_feeds: bool = True,
                views: bool = True) -> dict[str, bytes]:  # fmt: skip
    """After the pages have rendered: the advice warnings, the host files and the views (serve's cache keeps
    the parts that did not change; issue_feeds=False leaves out each issue's feed, written by sidewrite;
    views=False all the views)."""
    likely_mistakes(site, records, diags)
    warn_base_url(site, base_url, diags)
    if not views:
        return host_files(site, pages, base_url)
    if cache:
        return cache.host_files(site, pages, base_url) | cache.view_files(site, base_url)
    return host_files(site, pages, base_url) | view_files(site, base_url, issue_feeds)


def kept_views(site: Site, edits: dict[str, Edit] | None, base_url: str,
               out: Staging) -> tuple[list[str], dict[str, bytes]] | None:  # fmt: skip
    """When the only changes since the last build are what the edited issues show of themselves (cardedits.py)
    and the output is as that build left it: the view files to keep and the others, made again or spliced
    (incremental/spliced.py). None: make every view file."""
    if not edits or not out.intact:
        return None
    try:
        old = (out.output / "data" / "explainer.json").read_bytes()
    except OSError:
        return None
    return edited_views(site, {issue_id: edit.before for issue_id, edit in edits.items()}, base_url, old)


def warn_base_url(site: Site, base_url: str, diags: Diagnostics) -> None:
    if absolute_base(base_url) is None:
        diags.warning(
            site.config.path,
            None,
            f"base_url '{base_url}' is not a full URL such as https://example.org/explainer/: "
            "sitemap.xml, feed.xml and canonical links are left out",
        )


def write_rest(options: BuildOptions, static: dict[str, bytes], out: Staging, diags: Diagnostics) -> None:
    """After the pages (and the host and view files): Pagefind's bundle over the pages as written, the static
    files."""
    if options.search:  # search.py: the bundles whose pages changed are indexed again, the others kept
        pages = {path: out.current(path) for path in out.files if path.endswith(".html")}
        kept = search.search_index_of_files(pages, diags, search.pagefind_executable(), out.output, options.jobs,
                                            out.add)  # fmt: skip
        for path in kept:
            out.keep(path)
    for path in sorted(static):
        out.add(path, static[path])


def build(options: BuildOptions) -> BuildResult:
    """Build the site; on any error the output folder is left as it was. The output folder is locked (and
    checked to be ours) before anything is rendered, as the pages are written into it as they render."""
    started = time.perf_counter()
    result = BuildResult(Diagnostics(), strict=options.strict)
    store = BuildStore(options.cache_dir, options.output) if options.cache_dir else None
    inputs = b""
    if store:
        settings = (options.base_url, options.drafts, options.relative_urls, options.fingerprint_assets,
                    options.search and search.pagefind_executable())  # fmt: skip
        theme = (*template_folders(options.templates), *static_folders(options.static))
        inputs = store.inputs_key(settings, (options.content, *theme))
        store.settings = repr(settings)
        if store.unchanged(inputs) and store.summary:  # the same inputs as the last build, whose output is intact
            kinds, diagnostics = store.summary
            for diagnostic in diagnostics:
                result.diagnostics.add(diagnostic)
            result.pages = Counter(kinds)
            result.stats = WriteStats(0, len(store.manifest) - 1, 0)  # the marker file is not counted
            result.seconds = time.perf_counter() - started
            return result
    with Staging(options.output, store.manifest if store else None) as out, fewer_collections():
        rendered = render_site(options, result.diagnostics, store=store, out=out)
        if rendered is not None and result.ok:
            result.pages = rendered[1]
            result.stats = out.commit()
            if store:
                store.save(inputs, dict(result.pages), result.diagnostics.items, out.manifest)
    result.seconds = time.perf_counter() - started
    return result
