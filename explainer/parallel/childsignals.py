"""How the forked children of a build or a preview take Ctrl-C and a stop signal: quietly.

Ctrl-C in a terminal signals the whole process group, so every page, load
and feed worker raised KeyboardInterrupt and printed a traceback around the
main process's one-line "interrupted"; one interrupted as it took its pool's
queue lock died holding it, and the main process, stopping the pool, waited
for that lock for ever. And a child forked by `serve` inherits its SIGTERM
handler (which turns SIGTERM into KeyboardInterrupt for a clean shutdown), so
a pool stopping its workers (`Pool.terminate`, at the end of every
`with Pool`) made them print tracebacks too. So:

- a child ignores SIGINT, leaving the stopping to the main process, and dies
  of SIGTERM at once, as a process does by default and as `Pool.terminate`
  expects; and it has no stderr (/dev/null): everything a worker has to say
  (diagnostics, a bug's exception) reaches the main process as data, and what
  multiprocessing would print for it is a report of the main process gone
  (`quiet_child`, run first in it);
- both are blocked in the thread that forks, and in the threads it starts
  meanwhile (a pool's, which fork replacement workers), until the child has
  set that up (`signals_held`): one arriving in between waits for it;
- after Ctrl-C the main process stops the interrupted build's pools as the
  interpreter would at exit, by their finalizers (each worker finishes its
  run, takes a sentinel and is sent SIGTERM), and then any other child, before
  `cli.run` exits without that teardown (`stop_pools`).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

STOPS = {signal.SIGINT, signal.SIGTERM}


def quiet_child() -> None:
    """Run first in each forked child (a pool's initializer)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)


@contextmanager
def signals_held() -> Iterator[None]:
    """Around making a pool or starting a process: SIGINT and SIGTERM held back in this thread, and in the
    threads started meanwhile, so a child never runs Python's handlers before quiet_child()."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def stop_pools() -> None:
    """After Ctrl-C, outside the handler (the traceback it holds keeps the interrupted build's pools alive):
    the pools, unreachable now, stopped by their finalizers (a pool's objects are frozen while it runs:
    forks.page_workers); then the children that are not a pool's worker (forks.Child: a load worker, the feed
    writer), which would otherwise run on with no one to hand their result to. A pool's worker killed now
    could hold its queue's lock, and the pool's thread would fork a replacement that waits for that lock for
    ever."""
    gc.unfreeze()
    gc.collect()
    children = [child for child in multiprocessing.active_children() if "PoolWorker" not in child.name]
    for child in children:
        child.terminate()
    for child in children:
        child.join(2)
