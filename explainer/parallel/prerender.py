"""Stage 5, first half, for a big build: every Markdown text rendered once, spread over the processes.

Markdown is most of a page's cost, and a text can appear on several pages (a
position on its issue's page, its actor's and the positions page; a quote on
its issue's and its speaker's). Rendered page by page in several workers, such a text is
rendered once per worker that meets it, and the workers' loads are as uneven
as the pages. Rendered first, text by text in runs handed out in order, each
text costs one conversion; the main process keeps the HTML in the renderer's
memo, and the page workers forked after it read it from there. The HTML and
the warnings are the ones the page render would have produced: the same
MarkdownRenderer turns the same source into the same bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from markupsafe import Markup

from ..link import Site, texts_of
from ..markdown_ext import MarkdownRenderer
from ..model import Issue
from .forks import Workers, can_fork

PARALLEL_MIN = 200  # fewer texts than this are left to the page workers
RUN = 48  # texts per run handed to a worker

Rendered = list[tuple[str, list[tuple[int, str]]]]


def render_run(markdown: MarkdownRenderer, sources: list[str], bounds: tuple[int, int]) -> Rendered:
    """The HTML and findings of sources[start:stop] (the forked workers inherit markdown and sources)."""
    done = []
    for source in sources[bounds[0] : bounds[1]]:
        html = markdown(source)  # a plain str: no diagnostics here, the page that shows it reports them
        done.append((str(html), markdown.removed.get(source, [])))
    return done


def site_texts(site: Site) -> Iterator[str]:
    """Every text of site that more than one page may show: positions, quotes, summaries.

    Not the issue cards' bodies: each is shown on its card's page alone, so the page workers render it
    once anyway, and the main process need not hold the HTML of every body (~120 MB at 20,000 cards)."""
    for entity in site.entities.values():
        for text in texts_of(entity):
            if not (isinstance(entity, Issue) and text is entity.body):
                yield text.source


class FirstPass:
    """The texts of site missing from markdown's memo, rendered over `jobs` forked processes in the background:
    `start()` returns at once, so the main process can plan the pages meanwhile; `finish()` waits and fills
    the memo, in the texts' order."""

    def __init__(self, markdown: MarkdownRenderer, site: Site, jobs: int):
        self.markdown = markdown
        self.sources: list[str] = []
        self.workers: Workers[tuple[int, int], Rendered] | None = None
        self.results: Iterator[Rendered] = iter(())
        if jobs > 1 and can_fork():
            self.sources = [s for s in dict.fromkeys(site_texts(site)) if markdown.cache.get(s) is None]
        if len(self.sources) < PARALLEL_MIN:
            self.sources = []
        self.runs = [(start, min(start + RUN, len(self.sources))) for start in range(0, len(self.sources), RUN)]
        self.jobs = jobs

    def start(self) -> FirstPass:
        if self.runs:
            self.workers = Workers(functools.partial(render_run, self.markdown, self.sources), self.jobs)
            self.results = self.workers.imap(self.runs)
        return self

    def finish(self) -> int:
        """Wait for every run; how many texts were rendered."""
        if self.workers is None:
            return 0
        finished = False
        try:
            for (start, stop), rendered in zip(self.runs, self.results, strict=True):
                for source, (html, removed) in zip(self.sources[start:stop], rendered, strict=True):
                    self.markdown.cache[source] = Markup(html)
                    self.markdown.removed[source] = removed
            finished = True  # every result is in: nothing is left for the workers to do
        finally:
            self.workers.close(finished)
            self.workers = None
        return len(self.sources)


def prerender(markdown: MarkdownRenderer, site: Site, jobs: int) -> int:
    """Fill markdown's memo with every text of site not in it yet, over `jobs` processes; how many were rendered."""
    return FirstPass(markdown, site, jobs).start().finish()
