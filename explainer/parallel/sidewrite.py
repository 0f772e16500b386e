"""`build`'s last serial step, split: each issue's feed made and written by a forked child while the main
process makes the advice, the sitemap and the exports.

After the page workers, the main process made the host and view files alone
(~1 s at 5,000 cards) and wrote them (~0.9 s, mostly the 5,001 feed files:
one system call after another). A feed per issue depends on the issue, the
site's settings and the base URL only, so a child forked then makes and
writes them (into the staged output, as the page workers do) and hands back
which it wrote; the bytes are those `views.feeds.feeds` makes.
"""

from __future__ import annotations

import functools
import sys

from ..link import Site
from ..reads import Deps, unit
from ..views.feeds import issue_feed, issue_feed_path
from ..write import Staging
from .forks import Child, ChildDied, can_fork

PARALLEL_MIN = 300  # fewer issues than this: their feeds are made in the main process with the rest
# More than this, and the memory the two processes then copy (the main process touches every record while
# making the exports) outweighs the time: at 20,000 cards an empty-cache build's peak went 900 → 1,076 MiB,
# over the 1 GiB target, for ~3 % of its time.
PARALLEL_MAX = 10_000


def write_feeds(site: Site, base: str, out: Staging) -> list[tuple[str, bool, Deps]]:
    """Each issue's feed written into out; (path, whether written) for each."""
    done = []
    for issue in site.issues:
        data, reads = unit(functools.partial(issue_feed, site.config, issue, base, site.words))
        path = issue_feed_path(issue)
        done.append((path, out.put(path, data), reads.frozen()))
    return done


def child(site: Site, base: str, out: Staging) -> list[tuple[str, bool, Deps]]:
    """What the forked child runs (a name of its own, so a test can make the child alone die)."""
    return write_feeds(site, base, out)


class FeedChild:
    """The forked child writing each issue's feed: `finish()` waits for it and notes its files in the output (a
    child that died leaves them to the main process); `stop()`, when the build fails before that, only waits,
    so nothing is written into a tree being removed."""

    def __init__(self, site: Site, base: str, out: Staging):
        self.site, self.base, self.out = site, base, out
        self.writer = Child(functools.partial(child, site, base, out))  # inherited by the child, not pickled

    def finish(self) -> dict[str, Deps]:
        """Wait for the child; what making each feed read, by its path."""
        try:
            done = self.writer.result()
        except ChildDied:  # killed: the main process writes them
            print("warning: the process writing the issue feeds failed; they are written here", file=sys.stderr)
            done = write_feeds(self.site, self.base, self.out)
        for path, written, _deps in done:
            self.out.note(path, written)
        return {path: deps for path, _written, deps in done}

    def stop(self) -> None:
        self.writer.stop()


def issue_feeds_aside(site: Site, base: str | None, out: Staging, jobs: int) -> FeedChild | None:
    """Start writing each issue's feed in a forked child; None, nothing started, with one job, few or very many
    issues, no full base URL or no fork (the main process then makes them with the other view files)."""
    if base is None or jobs <= 1 or not PARALLEL_MIN <= len(site.issues) <= PARALLEL_MAX:
        return None
    if not can_fork():
        return None
    return FeedChild(site, base, out)
