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

import functools
import itertools
import threading
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..diagnostics import Diagnostic, Diagnostics
from ..pages import PageSpec
from ..reads import Deps
from ..render import Renderer, TemplateProblem, render_each
from .forks import can_fork, page_workers
from .pagepool import runs

if TYPE_CHECKING:
    from ..incremental.pagereads import PageReads

PARALLEL_MIN = 200  # fewer pages than this render faster in one process than a pool starts

Page = tuple[str, bytes, Deps, list[Diagnostic]]  # path, HTML, what rendering it read, diagnostics
Texts = list[tuple[str, Markup]]  # Markdown source, HTML
Run = tuple[list[Page], tuple[str, int | None, str] | None, Texts]  # its pages, the template problem that stopped it


def usable(pages: list[PageSpec], jobs: int) -> bool:
    return jobs > 1 and len(pages) >= PARALLEL_MIN and threading.active_count() == 1 and can_fork()


def render_run(renderer: Renderer, pages: list[PageSpec], reads: PageReads, bounds: tuple[int, int]) -> Run:
    """Render pages[start:stop] (the forked workers inherit the rest): each page, the template problem that
    stopped the run if any, and the Markdown texts this worker rendered that its memo did not hold when the run
    began."""
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
    files: dict[str, bytes] = {}
    markdown = renderer.markdown
    with page_workers(functools.partial(render_run, renderer, pages, reads), jobs) as workers:
        for done, problem, texts in workers.imap(runs(len(pages), jobs)):
            for path, html, deps, items in done:
                files[path] = html
                reads.pages[path] = deps
                for diagnostic in items:
                    diags.add(diagnostic)
            for source, text_html in texts:  # memoised for the next saves (each page reported its findings)
                markdown.cache.setdefault(source, text_html)
            if problem:
                diags.error(*problem)
                break  # one broken template breaks every page that uses it: say it once
    return files


def render_spread(renderer: Renderer, pages: list[PageSpec], diags: Diagnostics, jobs: int) -> dict[str, bytes]:
    """render.render_each(), over jobs forked workers where that is safe and pays (usable()): `build`'s pages of
    a site's other languages (multilingual.py), which no cache keeps."""
    if not usable(pages, jobs):
        return render_each(renderer, pages, diags)
    from ..incremental.pagereads import PageReads

    return render_forked(renderer, pages, PageReads(renderer), diags, jobs)
