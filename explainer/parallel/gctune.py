"""Fewer garbage collections during a build.

A build allocates millions of small objects that live until it ends (the
model) or die young without cycles (Markdown's element trees, Jinja's
output). CPython's default collector runs a young-generation pass every
700 allocations and, from time to time, full passes over every object: at
5,000 cards that is about a third of rendering's CPU time. Collecting every
50,000 allocations instead cost a few MiB of cyclic garbage that lives a
little longer and saved 30 % of rendering's CPU and 10–20 % of loading's
(docs/performance.md).
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Iterator
from contextlib import contextmanager, suppress

BUILD_THRESHOLDS = (50_000, 20, 50)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's thresholds for the duration of a build; put them back after."""
    before = gc.get_threshold()
    gc.set_threshold(*BUILD_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def give_back_memory() -> None:
    """Hand the C allocator's free pages back to the system (glibc's malloc_trim; elsewhere nothing).

    Memory a build frees (the parsed documents' cache entries, the page keys' digests: ~100 MB each at
    20,000 cards) stays resident in the process's heap. The page workers forked after would share it and
    copy each page of it they allocate into; given back first, it costs nothing.
    """
    with suppress(AttributeError, OSError):  # not glibc: nothing to do
        ctypes.CDLL(None).malloc_trim(0)
