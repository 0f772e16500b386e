"""Run the stages in order: load → validate → link → plan → render → write."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .advice import advise
from .assets import fingerprint
from .diagnostics import Diagnostics
from .hostfiles import absolute_base, host_files
from .incremental.buildcache import BuildStore, files_key, site_data_key
from .incremental.changes import LINK, Change, change_of, earlier_pairs, with_images
from .incremental.imagecache import DiskVariants
from .incremental.viewparts import ViewParts
from .link import Site, link
from .media import check_images, read_media
from .multilingual import language_files
from .pages import PageSpec, Planner, page_makers, plan
from .parallel.checkpool import load_checked
from .parallel.forks import aside
from .parallel.gctune import fewer_collections, give_back_memory
from .parallel.imagepool import listed_cards, made_cards, picture_files, share_files, shares_of
from .parallel.loadpool import load_content
from .parallel.pagepool import Progress, RenderJob, first_pass, make_renderer, render_all
from .parallel.previewpool import render_spread
from .parallel.sidewrite import issue_feeds_aside
from .reads import Deps, shaped, unit
from .render import render_pages
from .theme import static_files, static_folders, template_folders
from .validate import Records, validate
from .views import search
from .views.files import EXPORT, view_files
from .write import Staging, WriteStats

if TYPE_CHECKING:
    from .incremental.memory import BuildCache

CHECK_ASIDE_MIN = 5_000  # output files from which their check runs in a child (a fork ~10 ms, a stat ~5 µs)


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
    run = load_and_link(options, diags, cache, store)
    if run is None:
        return None
    records, site = run.records, run.site
    assert site is not None  # load_and_link answers None when there is none
    static, assets = (
        fingerprint(static_files(options.static)) if options.fingerprint_assets else (static_files(options.static), {})
    )
    if out is not None:  # build: pages rendered across processes, each written as it is made
        pages = build_into(out, options, diags, store, run, assets)
        if pages is None:
            return None
        variants = DiskVariants(options.cache_dir / "images") if options.cache_dir else None
        previous = store.manifest if store is not None and out.intact else {}
        base_url = options.base_url or site.config.base_url
        # Every page's share card listed, and those the output holds kept, while Pagefind may still run: after a
        # one-card edit that is all there is to do for them (~0.1 s at 8,785 pages); the others are read from the
        # store or drawn after it, one at a time.
        held, rest = listed_cards(site, pages, base_url, previous.__contains__)
        for path in held:
            out.keep(path)
        write_rest(static, out, diags, run.search)
        for path, data in itertools.chain(picture_files(site, run.used, variants, previous.__contains__,
                                                        options.jobs),
                                          made_cards(rest, variants, options.jobs)):  # fmt: skip
            out.keep(path) if data is None else out.add(path, data)
        return {}, Counter(page.kind for page in pages)
    pages = cache.relink.plan(site, cache.rendered_reads()) if cache else plan(site)
    if cache:
        files = cache.render_pages(
            site, pages, options.templates, diags, options.base_url, assets, options.relative_urls
        )
    else:
        files = render_pages(site, pages, options.templates, diags, options.base_url, assets, options.relative_urls)
    if diags.has_errors():
        return None
    base_url = options.base_url or site.config.base_url
    advise(site, records, base_url, diags)
    if cache:
        files |= cache.host_files(site, pages, base_url) | cache.view_files(site, base_url)
    else:
        files |= host_files(site, pages, base_url) | view_files(site, base_url)
    kept = cache.variants if cache else None
    shares = shares_of(base_url, kept, options.jobs)
    others = language_files(records, diags, options.templates, options.base_url, assets, options.relative_urls,
                            options.drafts, media=site.media, shares=shares)  # fmt: skip
    if others is None:
        return None
    files |= others
    if options.search:
        files.update(search.search_index(files, diags, search.pagefind_executable(), options.output, options.jobs))
    files.update(static)
    made = itertools.chain(
        picture_files(site, run.used, kept, jobs=options.jobs),
        share_files(site, pages, base_url, kept, jobs=options.jobs),
    )
    files.update((path, data) for path, data in made if data is not None)
    return files, Counter(page.kind for page in pages)


@dataclass(slots=True)
class BuildRun:
    """The records and the site, and what a cached build knows beside them: the files changed since the last
    build, as it read them, and what link read of each kind of record (changes.py)."""

    records: Records = field(default_factory=Records)
    site: Site | None = None
    earlier: tuple[bytes, Records, frozenset[str]] | None = None  # StoredDocuments.earlier()
    shapes: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict)  # link's and the planner tables'
    pairs: list[tuple[Any, Any]] | None = None  # each changed record with its version in the last build
    change: Change | None = None  # what changed since the last build, when link read none of it
    search: search.Background | None = None  # build: the index, made while the view files are
    used: set[str] = field(default_factory=set)  # the names of the images the content shows


def load_and_link(options: BuildOptions, diags: Diagnostics, cache: BuildCache | None,
                  store: BuildStore | None) -> BuildRun | None:  # fmt: skip
    """Load, validate and link: the records and the site, or None after errors."""
    run = BuildRun()
    if cache:
        records = cache.validate(cache.load(options.content, diags), diags)
        site = cache.relink.link(records, diags, options.drafts)
    else:
        if store:  # only the files whose bytes changed are loaded and validated (checkpool.py)
            records, sites = load_checked(options.content, diags, store.documents, options.jobs)
            run.earlier = store.documents.earlier()
            store.read_documents = files_key(store.documents.used)
            store.site_data = site_data_key(sites)
            store.documents.save()
        else:
            documents = load_content(options.content, diags, None, options.jobs)
            records = validate(documents, diags)
            del documents  # each file's text, data and lines (~200 MB at 20,000 cards): the records hold the rest
        give_back_memory()
        if store:  # what changed, tested against what link read of each kind of record last time (changes.py)
            run.shapes = dict(store.shapes)
            run.pairs = earlier_records(store, run, records)
            run.change = change_of(run.pairs, run.shapes) if run.pairs is not None else None
        if store and run.change is None:  # link may read a change: what it reads is recorded for the next build
            own = Diagnostics(unread=diags.unread)
            site, run.shapes[LINK] = shaped(lambda: link(records, own, include_drafts=options.drafts))
            diags.items.extend(own.items)
        else:  # no cache, or link reads none of the change: it takes the same path as last time
            site = link(records, diags, include_drafts=options.drafts)
    media = read_media(options.content, diags, cache.media if cache else None)
    run.used = check_images(records, media, diags)
    if store:  # a changed image: only the pages that show it (they read its name) render again
        store.media = media.stamps()
        run.change = with_images(run.change, store.last_media, store.media)
    if site is None or diags.has_errors():
        return None
    run.records, run.site = records, dataclasses.replace(site, media=media)
    return run


def build_into(out: Staging, options: BuildOptions, diags: Diagnostics, store: BuildStore | None, run: BuildRun,
               assets: dict[str, str]) -> list[PageSpec] | None:  # fmt: skip
    """`build`'s plan, render and views, every file put into out as it is made; the pages, or None after errors."""
    site = run.site
    assert site is not None
    out.intact  # noqa: B018  # the output's check begun aside on entering (done by now): awaited before workers fork
    renderer = make_renderer(site, options.templates, diags, options.base_url, assets, options.relative_urls,
                             store)  # fmt: skip
    texts = first_pass(renderer, store, options.jobs)  # the Markdown texts render while the pages are planned
    # Without the cache, each page's context is made by the page worker rendering it; with a cache that may
    # keep pages, by the workers making the page keys (pagepool.page_keys). A first build into the output
    # makes them here, while the Markdown first pass runs, for the keys made here and for the pages.
    pages, planned, shared = planned_pages(site, lazy=store is None or bool(store.pages), run=run,
                                           record=bool(store))  # fmt: skip
    change = run.change
    if store:
        store.new_shapes = run.shapes
    job = RenderJob(renderer, options.templates, options.jobs, store, out, Progress(len(pages), options.progress),
                    texts, change, planned, shared)  # fmt: skip
    render_all(job, pages, diags)
    if diags.has_errors():
        return None
    stored = DiskVariants(options.cache_dir / "images") if options.cache_dir else None
    others = language_files(run.records, diags, options.templates, options.base_url, assets, options.relative_urls,
                            options.drafts, functools.partial(render_spread, jobs=options.jobs), site.media,
                            shares_of(options.base_url or site.config.base_url, stored, options.jobs))  # fmt: skip
    if others is None:
        return None
    for path in sorted(others):  # before the search index, which reads every page written
        out.add(path, others.pop(path))
    if options.search:  # the pages are all written: Pagefind indexes them on the core the views leave free
        run.search = start_index(out, options.jobs)
    try:
        return make_views(out, options, diags, store, run, pages)
    except BaseException:
        if run.search is not None:
            run.search.stop()
        raise


def make_views(out: Staging, options: BuildOptions, diags: Diagnostics, store: BuildStore | None, run: BuildRun,
               pages: list[PageSpec]) -> list[PageSpec]:  # fmt: skip
    """After the pages: the advice, the host files and the view files, each put into out."""
    records, site, pairs, change = run.records, run.site, run.pairs, run.change
    assert site is not None
    base_url = options.base_url or site.config.base_url
    advise(site, records, base_url, diags)
    files: dict[str, bytes | None] = dict(host_files(site, pages, base_url))
    # Made after the page workers are gone, not while they run: the main process touching every record
    # then would copy the memory it shares with them (measured: +50 MiB at 5,000 cards, +300 at 20,000).
    views_change = change if out.intact else None  # a view file is kept only from an output as the cache knows it
    feeds = issue_feeds_aside(site, absolute_base(base_url), out, options.jobs) if views_change is None else None
    try:
        if store:
            parts = ViewParts(store.views, keep_bytes=False, stale=store.table.stale)
            # entities only: a changed catalogue (no id) has made the change unknown, and every view file is made
            before = {new.id: old for old, new in pairs or () if hasattr(new, "id")}
            files |= parts.view_files(site, base_url, views_change, feeds is None, before,
                                      lambda: old_file(out.output / EXPORT))  # fmt: skip
            store.new_views = parts.deps
        else:
            files |= view_files(site, base_url, issue_feeds=feeds is None)
        for path in sorted(files):
            data = files.pop(path)  # written at once: data/explainer.json is ~130 MB at 20,000 cards
            out.keep(path) if data is None else out.add(path, data)
    except BaseException:
        if feeds is not None:
            feeds.stop()
        raise
    if feeds is not None:
        made = feeds.finish()
        if store:
            store.new_views |= made
    return pages


def planned_pages(site: Site, lazy: bool, run: BuildRun, record: bool) -> tuple[
        list[PageSpec], Callable[[str], Deps] | None, Callable[[], object]]:  # fmt: skip
    """plan(): every page; with record, how to know what planning a page read, by its output path: recorded as
    each page is planned when the cache cannot tell what changed, else its maker run again, recorded; and how
    to make the planner's tables before page workers fork (which would each make them again). A table whose
    reads are recorded is made here (what it read goes into run.shapes now); one whose reads are known to be
    as last time (the change is known and read none of them), only if a page uses it or workers fork: a
    one-card edit of an issue then makes no relationship graph (~0.2-0.4 s at 5,000 cards)."""
    planner = Planner(site)
    if record and run.change is None:
        planner.unrecorded = set()
    elif record and run.change is not None:
        planner.unrecorded = {name for name in planner.TABLES if name in run.shapes and name not in run.change.shared}
    makers = page_makers(planner, lazy)
    planner.quotes_by  # noqa: B018  # made now, by this process

    def shared() -> object:
        return planner.graph

    if not (record and run.change is not None and "graph" in planner.unrecorded):
        shared()
    run.shapes.update(planner.shapes)
    if record and run.change is None:  # every page may render: each maker recorded once, now
        made = [unit(make) for make in makers]
        deps = {page.output_path: reads.frozen() for page, reads in made}
        return [page for page, _ in made], deps.__getitem__, shared
    pages = [make() for make in makers]
    if not record:
        return pages, None, shared
    # Only the pages that read the change render: the maker of each of those is run again, recorded.
    by_path = {page.output_path: make for page, make in zip(pages, makers, strict=True)}
    return pages, lambda path: unit(by_path[path])[1].frozen(), shared


def earlier_records(store: BuildStore, run: BuildRun, records: Records) -> list[tuple[Any, Any]] | None:
    """Each record that changed since the last build paired with its version then (changes.earlier_pairs), when
    the cache holds the pages the last build made from those files and the same settings; else None."""
    if (
        not store.pages
        or run.earlier is None
        or store.summary is None
        or run.earlier[0] != store.last_documents  # the stored files are not the ones the last build's pages show
        or store.settings != store.last_settings
    ):
        return None
    return earlier_pairs(run.earlier[1], run.earlier[2], records)


def old_file(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def start_index(out: Staging, jobs: int) -> search.Background:
    """The search index of the pages written into out, begun in a thread (search.py: the bundles whose pages
    changed are indexed again, the others kept). Its files go into out as they are made; out's note of them
    is safe beside the main thread's (distinct paths; set.add under the GIL)."""
    pages = [path for path in out.files if path.endswith(".html")]  # where each is: asked of the few read
    unchanged = (lambda path: path not in out.changed) if out.intact else None
    return search.Background(pages, out.current, search.pagefind_executable(), out.output, jobs, out.add, unchanged)


def write_rest(static: dict[str, bytes], out: Staging, diags: Diagnostics, index: search.Background | None) -> None:
    """After the pages and the view files: the search index once made, the static files."""
    if index is not None:
        made = index.finish()
        made.report(diags)
        for path in made.kept:
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
    # The output's check (a stat of every file) runs in a forked child while this process loads and validates.
    many = options.jobs > 1 and store is not None and len(store.manifest) >= CHECK_ASIDE_MIN
    with Staging(options.output, store.manifest if store else None, aside if many else None) as out, \
            fewer_collections():  # fmt: skip
        rendered = render_site(options, result.diagnostics, store=store, out=out)
        if rendered is not None and result.ok:
            result.pages = rendered[1]
            result.stats = out.commit()
            if store:
                store.save(inputs, dict(result.pages), result.diagnostics.items, out.manifest)
    result.seconds = time.perf_counter() - started
    return result
