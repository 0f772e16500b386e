"""The one way the machinery runs work in forked processes: a job's data inherited through fork, never pickled.

A job's data (a Renderer, a Site, the page list: unpicklable, or hundreds of MB) reaches the children
through fork: each child is a copy of the parent, so it has the data for free. The work is a closure over
that data, handed to each child where fork hands things over without pickling:

- `Workers`, a pool running work over items (results in the items' order): the closure goes in the pool's
  `initargs`, which a "fork" pool hands to each worker's initializer by inheritance, also to the fresh
  workers that replace old ones after `runs_per_worker` runs. A pool sends each task's function by name, so
  the worker's initializer puts the closure where `_call` finds it: `_ADOPTED`, filled in a worker only. A
  worker belongs to one pool for its life, so one slot is enough; the parent's stays empty, so no job lives
  on at module level in the parent after its pool (the pool object holds it while it runs), and two jobs at
  once (a pool whose workers are replaced while another pool runs) never see each other's data.
- `Child`, one process started in the background whose result is awaited later: the closure is the
  process's target (inherited by fork) and its result comes back pickled through a pipe. A child that
  dies (killed, or out of memory) is reported as `ChildDied`, where a pool would wait for its task for ever.
  `aside` is a Child for work that may as well run here: it does when fork is missing or the child died.

Both hold SIGINT and SIGTERM back while they fork and run `childsignals.quiet_child` first in every child.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.pool import Pool
from typing import Any, Generic, TypeVar

from .childsignals import quiet_child, signals_held

Item = TypeVar("Item")
Result = TypeVar("Result")

# A page worker is replaced by a fresh fork after this many runs (about 1,000 pages): what it grows while it
# renders (its memo of rendered Markdown, its copies of the site's memory pages touched by reference counting)
# is given back, so the memory of a build no longer grows with the site's size times the workers.
RUNS_PER_WORKER = 16


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@dataclass(frozen=True, slots=True)
class Adopted:
    """What a pool's worker inherited: the work, and the process that made the pool."""

    work: Callable[[Any], Any]
    parent: int


_ADOPTED: list[Adopted] = []  # in a pool's worker only (its initializer fills it): the parent's stays empty


def _adopt(job: Adopted) -> None:
    """A pool worker's initializer, run first in it."""
    quiet_child()
    _ADOPTED[:] = [job]


def _call(item: Any) -> Any:
    """One task in a pool's worker: its inherited work on item."""
    job = _ADOPTED[0]
    if os.getppid() != job.parent:
        os._exit(1)  # the build was killed: write nothing into a tree the next build may be removing
    return job.work(item)


class Workers(Generic[Item, Result]):
    """jobs forked workers running work, a closure they inherit, over items; each worker replaced by a fresh
    fork after runs_per_worker items (None: never). `close()` (or leaving the `with`) stops them."""

    def __init__(self, work: Callable[[Item], Result], jobs: int, runs_per_worker: int | None = None):
        with signals_held():
            self.pool: Pool = multiprocessing.get_context("fork").Pool(
                jobs, _adopt, (Adopted(work, os.getpid()),), runs_per_worker
            )

    def imap(self, items: Iterable[Item], chunksize: int = 1) -> Iterator[Result]:
        """work(item) for each item, in the items' order, as the workers finish them; chunksize items sent to a
        worker at once (fewer round trips for many small items)."""
        return self.pool.imap(_call, items, chunksize)

    def close(self, finished: bool = False) -> None:
        """Wait for the workers to end: when every item is done (finished), as they finish, else stopped at once
        (what they are still doing is dropped). Terminating a pool whose work is done can hang: its task
        handler, still putting the workers' end markers, waits for the queue's lock for ever (seen under
        load, CPython's Pool.terminate); closing lets each worker take its marker and exit."""
        if finished:
            self.pool.close()
        else:
            self.pool.terminate()
        self.pool.join()

    def __enter__(self) -> Workers[Item, Result]:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(finished=kind is None)


@contextlib.contextmanager
def page_workers(work: Callable[[Item], Result], jobs: int) -> Iterator[Workers[Item, Result]]:
    """Workers for pages, each replaced after RUNS_PER_WORKER runs; the objects alive now are frozen for their
    lifetime, so the workers' collections leave them (and their pages of memory) alone."""
    gc.collect()
    gc.freeze()
    try:
        with Workers(work, jobs, RUNS_PER_WORKER) as workers:
            yield workers
    finally:
        gc.unfreeze()


class ChildDied(Exception):
    """A Child ended without handing back a result."""


def _answer(work: Callable[[], object], conn: Connection) -> None:
    """A Child's process: work's result, or the exception it raised, pickled into conn."""
    quiet_child()
    try:
        answer: tuple[bool, object] = (False, work())
    except Exception as error:
        answer = (True, error)
    try:
        conn.send_bytes(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # the parent is gone (Ctrl-C), or an exception that does not pickle: it sees ChildDied
    finally:
        conn.close()


class Child(Generic[Result]):
    """work, a closure, run in one forked process started now; `result()` waits for what it returned."""

    def __init__(self, work: Callable[[], Result]):
        context = multiprocessing.get_context("fork")
        self.reader, writer = context.Pipe(duplex=False)
        self.process = context.Process(target=_answer, args=(work, writer), daemon=True)
        with signals_held():
            self.process.start()
        writer.close()

    def result(self) -> Result:
        """What work returned; raises what it raised, or ChildDied if the process ended without a word."""
        try:
            failed, value = pickle.loads(self.reader.recv_bytes())
        except (EOFError, OSError, pickle.UnpicklingError) as error:
            raise ChildDied() from error
        finally:
            self.stop()
        if failed:
            raise value
        return value  # type: ignore[no-any-return]

    def stop(self) -> None:
        """Wait for the process to end, its result unread."""
        self.reader.close()
        self.process.join()


def aside(work: Callable[[], Result]) -> Callable[[], Result]:
    """work begun now in a forked Child (on a core the caller leaves free); the function returned waits for its
    result, and runs work itself if the child died. Without fork, work runs now. The answer is asked once."""
    if not can_fork():
        value = work()
        return lambda: value
    child = Child(work)

    def result() -> Result:
        try:
            return child.result()
        except ChildDied:
            return work()

    return result
