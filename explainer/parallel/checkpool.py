"""Stages 1 and 2 for a cached `build`: each content file loaded and validated only when its bytes changed.

Validating a file depends on the file alone and on site.yaml's `smart_quotes` and `languages` (validate.py:
each document adds to the records on its own; references are resolved later, in link). So site.yaml is
loaded first; then every file whose entry in the cache (`buildcache.StoredDocuments`) has its bytes and
those settings gives its records and diagnostics from there, and the others are parsed and validated, spread
over forked children (shares balanced by bytes, as `loadpool.py` does) when there are many. The result,
records and diagnostics (every file's load diagnostics, then every file's validation diagnostics, each in
the listed order), is the one `validate(load_content(...))` makes. A child that fails or dies leaves its share
to the main process.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from ..diagnostics import Diagnostics
from ..incremental.buildcache import Checked, StoredDocuments, checked
from ..load import Document, listed_files
from ..siteconfig import languages_of, smart_quotes_of
from ..validate import Records, merge_records
from . import loadpool
from .forks import Child, can_fork
from .loadpool import File, shares

Made = tuple[bytes | None, bytes, bool]  # a file's key (None: unreadable), packed Checked, parsed afresh


def check_one(kind: str, path: Path, rel: str, store: StoredDocuments) -> Made:
    key, data, value = store.lookup(kind, path, rel)
    return key, data, value is not None


def check_share(files: list[File], share: list[int], store: StoredDocuments) -> list[Made]:
    """A forked child's work: its share of the files."""
    return [check_one(*files[i], store) for i in share]


def load_checked(root: Path, diags: Diagnostics, store: StoredDocuments,
                 jobs: int = 1) -> tuple[Records, list[Document]]:  # fmt: skip
    """validate(load_content(root)) with store: the records, and site.yaml's Document (none without one)."""
    listed = listed_files(root, diags)
    done: dict[int, Checked] = {}
    missing: list[int] = []
    for index, (kind, path, rel, inside) in enumerate(listed):
        if kind == "site":  # first: it holds the settings the others are validated by
            done[index] = one(store, kind, path, rel, inside)
    sites = [value[3] for value in done.values() if value[3] is not None]
    store.settings(smart_quotes_of(sites), languages_of(sites))
    for index, (kind, path, rel, inside) in enumerate(listed):
        if index in done:
            continue
        entry = store.stored(kind, path, rel) if inside else None
        if entry is not None:
            done[index] = store.adopt(rel, *entry, None, False)
        elif inside:
            missing.append(index)
        else:
            done[index] = one(store, kind, path, rel, False)
    files = [listed[i][:3] for i in missing]
    if jobs > 1 and len(files) >= loadpool.PARALLEL_MIN and can_fork():
        done |= spread(files, missing, store, jobs)
    else:
        for index, (kind, path, rel) in zip(missing, files, strict=True):
            done[index] = one(store, kind, path, rel, True)
    parts = [done[i] for i in range(len(listed))]
    for part in parts:
        for diagnostic in part[0]:
            diags.add(diagnostic)
    for part in parts:
        for diagnostic in part[2]:
            diags.add(diagnostic)
    return merge_records([part[1] for part in parts]), sites


def one(store: StoredDocuments, kind: str, path: Path, rel: str, inside: bool) -> Checked:
    """One file's Checked, from store or made here (outside the content folder: not read, as listed_files
    reported, nor stored)."""
    if not inside:
        return checked(kind, Document(kind, rel, None, readable=False), [], store.smart_quotes, store.languages)
    key, data, value = store.lookup(kind, path, rel)
    return store.adopt(rel, key, data, value, value is not None)


def spread(files: list[File], indexes: list[int], store: StoredDocuments, jobs: int) -> dict[int, Checked]:
    """Each file's Checked by its index, made over jobs processes: the main one takes the first share."""
    split = shares(files, jobs)
    children = [(share, Child(functools.partial(check_share, files, share, store))) for share in split[1:]]
    done = {indexes[i]: one(store, *files[i], True) for i in split[0]}
    for share, child in children:
        try:
            theirs: list[Made] | None = child.result()
        except Exception:  # ChildDied, or what it raised: the main process does the share
            theirs = None
        if theirs is None or len(theirs) != len(share):
            print("warning: a loading process failed; its files are read again here", file=sys.stderr)
            theirs = [check_one(*files[i], store) for i in share]
        for i, (key, data, parsed) in zip(share, theirs, strict=True):
            done[indexes[i]] = store.adopt(files[i][2], key, data, None, parsed)
    return done
