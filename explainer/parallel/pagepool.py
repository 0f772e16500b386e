"""Stage 5 for `build`: pages from the build cache where their inputs are unchanged, the rest rendered
across processes (fork), each worker writing its pages straight into the output being staged (write.py),
so no page's bytes travel back or wait in memory; each page's bytes are a one-process build's."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics
from ..incremental.buildcache import UNMADE, BuildStore, StoredMarkdown
from ..incremental.changes import Change
from ..incremental.digests import Digester, Undigestable, digest, folder_key
from ..incremental.pagereads import PageReads
from ..incremental.templatecache import StoredTemplates
from ..link import Site
from ..pages import PageSpec
from ..reads import Deps
from ..render import Renderer, TemplateProblem
from ..theme import template_folders
from ..write import Staging
from .forks import can_fork, page_workers
from .gctune import give_back_memory
from .prerender import FirstPass, prerender

PARALLEL_MIN = 48  # fewer pages than this render faster in one process than a pool starts
PROGRESS_AFTER = 2.0  # seconds before the progress line appears


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Progress:
    """`rendered 1,200/8,754 pages, 410 pages/s` on a terminal, once a build has taken PROGRESS_AFTER s."""

    def __init__(self, total: int, enabled: bool, started: float | None = None):
        self.total = total
        self.done = 0
        self.enabled = enabled and sys.stderr.isatty()
        self.started = started if started is not None else time.perf_counter()
        self.render_started = time.perf_counter()
        self.shown = 0.0

    def add(self, count: int) -> None:
        self.done += count
        now = time.perf_counter()
        if not self.enabled or now - self.started < PROGRESS_AFTER or now - self.shown < 0.2:
            return
        self.shown = now
        rate = self.done / max(now - self.render_started, 1e-6)
        sys.stderr.write(f"\rrendered {self.done:,}/{self.total:,} pages, {rate:,.0f} pages/s ")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


@dataclass(slots=True)
class Batch:
    """What one worker hands back for a run of pages: each page's path, whether its file was written
    (False: the last output held these bytes already) and diagnostics; the bytes are in the new tree."""

    pages: list[tuple[str, bool, list[Diagnostic], Deps | None]]  # and what rendering it read (PageReads)
    problem: tuple[str, int | None, str] | None
    texts: list[tuple[bytes, bytes, list[tuple[int, str]]]]


Key = bytes | None  # a page's key (None: always rendered)


class PageKeys:
    """Each page's key for the build cache: a digest of `common` (render_key) and of its PageSpec, context and
    all (made now for a page planned lazily); one Digester per process, so a record met by many pages is
    digested once there."""

    def __init__(self, renderer: Renderer, common: bytes):
        self.resolve = renderer.resolve
        self.media = renderer.site.media.peek
        self.common = common
        self.digester: Digester | None = None
        self.owner = 0  # the process the digester belongs to: a forked worker starts its own

    def __call__(self, page: PageSpec) -> Key:
        if self.digester is None or self.owner != os.getpid():
            self.digester, self.owner = Digester(self.resolve, self.media), os.getpid()
        page = page.complete()
        try:
            return digest(self.common, self.digester(page))
        except Undigestable:
            return None  # always rendered

    def release(self) -> None:
        self.digester = None  # the records' digests (~100 MB at 20,000 cards)

    def of_all(self, pages: list[PageSpec]) -> dict[str, Key]:
        """Every page's key, by its output path, made in this process; then the digests are let go."""
        found = {page.output_path: self(page) for page in pages}
        self.release()
        return found


def render_run(renderer: Renderer, pages: list[PageSpec], out: Staging, reads: PageReads | None,
               bounds: tuple[int, int]) -> Batch:  # fmt: skip
    """Render pages[start:stop] into the output, each with its own diagnostics (and the context of a page
    planned lazily made here). The forked page workers inherit the first four arguments (forks.py): a fork
    copies them for free, where sending a Site to each worker would pickle it whole."""
    done: list[tuple[str, bool, list[Diagnostic], Deps | None]] = []
    problem = None
    for page in pages[bounds[0] : bounds[1]]:
        own = Diagnostics()
        renderer.markdown.diags = own
        try:
            html = renderer.render(page).encode("utf-8")
        except TemplateProblem as error:
            problem = (error.path, error.line, error.message)
            break  # one broken template breaks every page that uses it: say it once
        deps = reads.pages.pop(page.output_path) if reads is not None else None
        done.append((page.output_path, out.put(page.output_path, html), own.items, deps))
    texts = renderer.markdown.cache.take() if isinstance(renderer.markdown.cache, StoredMarkdown) else []
    return Batch(done, problem, texts)


def runs(count: int, jobs: int) -> list[tuple[int, int]]:
    """Page ranges small enough to balance the workers and large enough to cost little to hand out."""
    size = max(4, min(64, count // (jobs * 8) or 1))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def forking(jobs: int, count: int) -> bool:
    """Whether count pages' work is worth a pool of jobs forked workers."""
    return jobs > 1 and count >= PARALLEL_MIN and can_fork()


def batches(renderer: Renderer, pages: list[PageSpec], out: Staging, jobs: int,
            reads: PageReads | None = None) -> Iterator[Batch]:  # fmt: skip
    """The pages rendered into out, a Batch per run, in order: over jobs forked page workers when worth it."""
    work = functools.partial(render_run, renderer, pages, out, reads)
    if not forking(jobs, len(pages)):
        yield from map(work, runs(len(pages), 1))
        return
    with page_workers(work, jobs) as workers:
        yield from workers.imap(runs(len(pages), jobs))


def compile_templates(renderer: Renderer) -> None:
    """Compile every template once in the main process, before the page workers fork: each worker (a fresh
    one every RUNS_PER_WORKER runs) then inherits them instead of compiling its own (~0.16 s of CPU each)."""
    for name in renderer.env.list_templates(extensions=["html"]):
        try:
            renderer.env.get_template(name)
        except Exception:  # a broken template: the page that uses it reports it when it renders
            continue


# Beyond this many pages, the page keys are made by the main process alone, before any worker forks: a process
# making every key touches every record, and beside forked workers each touch copies the memory page it is on
# (at 20,000 cards, 35,007 pages, two key workers took a one-card rebuild to 1,230 MiB, past the 1 GiB target).
KEYS_FORKED_MAX = 17_500
KEY_RUN = 512  # pages per run of page_keys: the workers' digests of records are kept across runs, not pages


def key_run(pages: list[PageSpec], keys: PageKeys, bounds: tuple[int, int]) -> list[Key]:
    return [keys(page) for page in pages[bounds[0] : bounds[1]]]


def keys_where(jobs: int, count: int) -> str:
    """Where a first build into an output (every page renders) makes its count pages' keys: "beside" the page
    workers, in the main process while they render, from contexts it planned in full while the Markdown first
    pass ran (5,000 cards: 0.5 s less than before they fork, the same CPU; the main process's copies of the
    memory it shares with them, +50 MiB); without forked workers, or above KEYS_FORKED_MAX pages, "first",
    before they fork. (Made by the page workers, each for the pages it renders, they cost more than either:
    a worker, replaced every RUNS_PER_WORKER runs, digests again every card its pages show; 20,000 cards,
    59.5 s against 48.8.)"""
    return "beside" if forking(jobs, count) and count <= KEYS_FORKED_MAX else "first"


def page_keys(pages: list[PageSpec], keys: PageKeys, jobs: int) -> list[Key]:
    """Every page's key, in order; made by jobs forked workers (which make the contexts of pages planned
    lazily: the main process never holds them all), each keeping its digests of the records for all its runs.
    Measured at 5,000 cards: 1.3 s of wall time against 2.3 s making every context and key in the main
    process (2.5 s of CPU against 2.3)."""
    bounds = [(start, min(start + KEY_RUN, len(pages))) for start in range(0, len(pages), KEY_RUN)]
    work = functools.partial(key_run, pages, keys)  # inherited by the forked workers, not pickled
    if not forking(jobs, len(pages)) or len(pages) > KEYS_FORKED_MAX:
        found = [key for run in map(work, bounds) for key in run]
        keys.release()
        return found
    with page_workers(work, jobs) as workers:
        return [key for run in workers.imap(bounds) for key in run]


def unchanged_pages(store: BuildStore, pages: list[PageSpec], common: bytes,
                    change: Change | None) -> tuple[dict[str, Key], set[str]]:  # fmt: skip
    """When the cache knows what changed since the last build (changes.py) and the render key is the same: the
    pages kept with the key the cache holds, because nothing they read changed, and the pages that render
    without a key being made (the rest: the card's own page, the home page ...; the cache keeps them under
    UNMADE, which no key made equals). Else an empty dict and set: every page is keyed."""
    same: dict[str, Key] = {}
    unkeyed: set[str] = set()
    if change is None or common != store.last_common:
        return same, unkeyed
    stale = store.table.stale(change)
    for page in pages:
        entry = store.pages.get(page.output_path)
        if entry is not None and not stale(entry.deps):
            same[page.output_path] = entry.key
        else:
            unkeyed.add(page.output_path)
    return same, unkeyed


def render_key(renderer: Renderer, templates: Path, store: BuildStore) -> bytes:
    """Everything besides a page's own inputs that its HTML depends on: the code, every theme folder the
    templates are looked up in (adding or removing a site's own file changes the key), what the templates read
    besides the page (every one of env.globals that is a value, not a function, so the whole SiteConfig and any
    added later), the settings the renderer's functions use, and site.yaml as it was read."""
    # The images a page shows are in its own key (Digester), not here: a replaced image changes only theirs.
    settings = (renderer.base, renderer.relative, sorted(renderer.assets.items()), renderer.absolute_base,
                len(renderer.site.sources))  # fmt: skip
    values = sorted((name, value) for name, value in renderer.env.globals.items() if not callable(value))
    return digest(store.code, *map(folder_key, template_folders(templates)), repr(settings).encode(),
                  repr(values).encode(), store.site_data)  # fmt: skip


def markdown_setting(renderer: Renderer, store: BuildStore) -> bytes:
    """What every Markdown text's HTML depends on besides its source and links: the code, the base path and
    the site config but for the fields only the templates show (an edit of the title keeps the stored texts;
    any field added later is in the key)."""
    config = dataclasses.replace(renderer.site.config, title="", description="", subtitle=None, updated=None,
                                 authors=())  # fmt: skip
    return digest(b"markdown", store.code, repr((config, renderer.base)).encode())  # its images: Digester


def make_renderer(site: Site, templates: Path, diags: Diagnostics, base_url: str | None,
                  assets: dict[str, str], relative: bool, store: BuildStore | None) -> Renderer:  # fmt: skip
    """The build's renderer; with a cache, its Markdown memo backed by the stored texts and its compiled
    templates by the stored ones."""
    renderer = Renderer(site, templates, base_url, assets, relative, diags)
    if store is not None:
        renderer.env.bytecode_cache = StoredTemplates(store.folder, store.code)
    if store is not None and not relative:  # relative links differ by page depth: those texts are rendered afresh
        setting = markdown_setting(renderer, store)
        renderer.markdown.cache = StoredMarkdown(
            store, store.markdown, setting, Digester(renderer.resolve, site.media.peek), renderer.markdown.removed
        )
    return renderer


def first_pass(renderer: Renderer, store: BuildStore | None, jobs: int) -> FirstPass | None:
    """When every page will render (no cache, or a cache with no page of this output yet), the Markdown
    texts' first pass, started before the pages are planned; else None (render_all decides later)."""
    if renderer.relative or (store is not None and store.pages):
        return None
    return FirstPass(renderer.markdown, renderer.site, jobs).start()


@dataclass(frozen=True, slots=True)
class RenderJob:
    """What render_all renders the pages with: the renderer, the template folder (for the render key), the
    number of processes, the build cache (None: --no-cache), the output being staged and the progress line;
    texts, the Markdown first pass if started already (every page renders then); change, what changed since
    the last build if the cache knows (changes.py); planned, what planning a page read, by its output path;
    shared, made before page workers fork (each would make it again), not when the few pages render here."""

    renderer: Renderer
    templates: Path
    jobs: int
    store: BuildStore | None
    out: Staging
    progress: Progress
    texts: FirstPass | None = None
    change: Change | None = None
    planned: Callable[[str], Deps] | None = None
    shared: Callable[[], object] = lambda: None  # makes what the pages share, before the page workers fork


def render_all(job: RenderJob, pages: list[PageSpec], diags: Diagnostics) -> None:
    """Every page into job.out: kept from the last output where the cache proves it unchanged, else rendered
    (and written unless the last output holds the same bytes); template problems go to diags."""
    renderer, store, jobs, out = job.renderer, job.store, job.jobs, job.out
    if job.texts is not None:  # finished before the page keys: their digests would be copies beside its workers
        if jobs > 1 and len(pages) >= PARALLEL_MIN:
            compile_templates(renderer)  # while its workers render the texts
        job.texts.finish()
    keys: dict[str, Key] = {}
    kept: list[str] = []
    dirty = pages
    maker = PageKeys(renderer, render_key(renderer, job.templates, store)) if store is not None else None
    if store is not None and maker is not None:
        store.common = maker.common
    if store is not None and maker is not None and store.pages:  # a page may be kept: its key decides
        keys, kept, dirty = kept_pages(job, store, pages, maker, diags)
        maker = None
        give_back_memory()  # before the workers fork: freed but resident memory would be theirs to copy
    # Every page renders (the first build into this output): where its key is made, keys_where() says.
    where = keys_where(jobs, len(pages)) if maker is not None else None
    if maker is not None and where == "first":
        keys = maker.of_all(pages)
        give_back_memory()
    out.begin(len(dirty), len(pages))
    if forking(jobs, len(dirty)):
        job.shared()
    if job.texts is None and jobs > 1 and len(dirty) >= PARALLEL_MIN:
        compile_templates(renderer)
    if job.texts is None and not renderer.relative and len(dirty) == len(pages):  # every page: each text once
        prerender(renderer.markdown, renderer.site, jobs)
    if store is not None and isinstance(renderer.markdown.cache, StoredMarkdown):
        store.add_markdown(renderer.markdown.cache.take())
    for path in kept:
        out.keep(path)
    job.progress.add(len(kept))
    stream = batches(renderer, dirty, out, jobs, PageReads(renderer) if store is not None else None)
    if maker is not None and where == "beside":
        first = next(stream, None)  # the pool runs: the keys are made while it renders the rest
        keys = maker.of_all(pages)
        stream = itertools.chain([first] if first else [], stream)
    note_batches(job, stream, keys, diags)


def kept_pages(job: RenderJob, store: BuildStore, pages: list[PageSpec], maker: PageKeys,
               diags: Diagnostics) -> tuple[dict[str, Key], list[str], list[PageSpec]]:  # fmt: skip
    """With a cache that holds pages of this output: each page's key, the pages kept (their diagnostics
    reported again) and the pages to render."""
    keys: dict[str, Key] = {}
    kept: list[str] = []
    dirty: list[PageSpec] = []
    same, unkeyed = unchanged_pages(store, pages, maker.common, job.change)
    made = iter(page_keys([p for p in pages if p.output_path not in same and p.output_path not in unkeyed],
                          maker, job.jobs))  # fmt: skip
    for page in pages:
        path = page.output_path
        key = UNMADE if path in unkeyed else same[path] if path in same else next(made)
        keys[path] = key
        hit = store.cached_page(path, key, job.out.intact) if key is not None and path not in unkeyed else None
        if hit is None:
            dirty.append(page)
            continue
        store.partial = True
        kept.append(path)
        for diagnostic in hit:
            diags.add(diagnostic)
    return keys, kept, dirty


def note_batches(job: RenderJob, stream: Iterator[Batch], keys: dict[str, Key], diags: Diagnostics) -> None:
    """Each rendered page noted in the output and, with its key, in the cache; its diagnostics into diags."""
    store, out = job.store, job.out
    for batch in stream:
        for path, written, page_diags, deps in batch.pages:
            out.note(path, written)
            for diagnostic in page_diags:
                diags.add(diagnostic)
            made_key = keys.get(path)
            if store is not None and made_key is not None:
                planned = job.planned(path) if job.planned is not None and deps is not None else None
                store.rendered_page(path, made_key, page_diags, planned | deps if planned and deps else None)
        if store is not None:
            store.add_markdown(batch.texts)
        job.progress.add(len(batch.pages))
        if batch.problem:
            diags.error(*batch.problem)
            break
    job.progress.close()
