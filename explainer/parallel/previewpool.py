"""`serve`'s first build on every core: the pages rendered by forked workers and handed back.

`serve` keeps every page's HTML, and what rendering it read
(`pagereads.PageReads`), to re-render only what a save changes; its first
build rendered all of them in one process (42 s at 5,000 cards where `build`
takes ~20 s on two cores). Here workers forked from the main process render
runs of the pages, each with the same renderer, read recorders and Markdown
memo, and hand back each page's HTML, what it read and its diagnostics,
and the Markdown texts they rendered, which join the main process's memo.
Results are taken in page order and stop at the first template problem, as
`render.render_each` does.

Only where forking is safe: when the process runs no other thread. That is
`serve`'s first build, before the watcher and the web server start; a later
rebuild runs in the watcher's thread and renders in it.
"""

from __future__ import annotations

import itertools
import multiprocessing
import threading
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..diagnostics import Diagnostic, Diagnostics
from ..pages import PageSpec
from ..reads import Deps
from ..render import Renderer, TemplateProblem
from .pagepool import forked_pool, runs

if TYPE_CHECKING:
    from ..incremental.pagereads import PageReads

PARALLEL_MIN = 200  # fewer pages than this render faster in one process than a pool starts

Page = tuple[str, bytes, Deps, list[Diagnostic]]  # path, HTML, what rendering it read, diagnostics
Texts = list[tuple[str, Markup]]  # Markdown source, HTML
_JOB: tuple[Renderer, list[PageSpec], PageReads] | None = None  # for the forked workers to read


def usable(pages: list[PageSpec], jobs: int) -> bool:
    return (
        jobs > 1
        and len(pages) >= PARALLEL_MIN
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


def render_run(bounds: tuple[int, int]) -> tuple[list[Page], tuple[str, int | None, str] | None, Texts]:
    """Render pages[start:stop] of the current job: each page, the template problem that stopped the run if
    any, and the Markdown texts this worker rendered that its memo did not hold when the run began."""
    assert _JOB is not None
    renderer, pages, reads = _JOB
    markdown = renderer.markdown
    known = len(markdown.cache)  # a dict keeps its order: the texts added by this run come after these
    done: list[Page] = []
    problem = None
    for page in pages[bounds[0] : bounds[1]]:
        own = Diagnostics()
        markdown.diags = own
        try:
            html = renderer.render(page).encode("utf-8")
        except TemplateProblem as error:
            problem = (error.path, error.line, error.message)
            break
        done.append((page.output_path, html, reads.pages[page.output_path], own.items))
    texts = list(itertools.islice(markdown.cache.items(), known, None))
    return done, problem, texts


def render_forked(renderer: Renderer, pages: list[PageSpec], reads: PageReads, diags: Diagnostics,
                  jobs: int) -> dict[str, bytes]:  # fmt: skip
    """render.render_each() over jobs forked workers; reads.pages and the Markdown memo filled as in one process."""
    global _JOB
    _JOB = (renderer, pages, reads)
    files: dict[str, bytes] = {}
    markdown = renderer.markdown
    try:
        with forked_pool(jobs) as pool:
            for done, problem, texts in pool.imap(render_run, runs(len(pages), jobs)):
                for path, html, bodies, items in done:
                    files[path] = html
                    reads.pages[path] = bodies
                    for diagnostic in items:
                        diags.add(diagnostic)
                for source, text_html in texts:  # memoised for the next saves (each page reported its findings)
                    markdown.cache.setdefault(source, text_html)
                if problem:
                    diags.error(*problem)
                    break  # one broken template breaks every page that uses it: say it once
    finally:
        _JOB = None
    return files
