"""Stage 1 for a big content folder: the files parsed by several processes at once.

Everything before the page workers ran in one process, so one core idled
through loading (a sixth of a clean build at 5,000 cards). Here forked
children each parse a share of the files (shares balanced by bytes) while
the main process parses its own; each child hands back every file as its
pickled Document and load diagnostics — plain values, whose unpickling costs
about a sixth of their parsing — or, with the build cache, as the very entry
`StoredDocuments` keeps. The result, documents, diagnostics and cache
entries in the listed order, is the one `load.load_content` makes in one
process. A child that fails or dies leaves its share to the main process.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Diagnostics
from ..load import Document, DocumentCache, listed_files, load_document, load_listed, pack_document, unpack_document
from .forks import Child, can_fork

if TYPE_CHECKING:
    from ..incremental.buildcache import StoredDocuments

PARALLEL_MIN = 300  # fewer files than this are not worth a fork
File = tuple[str, Path, str]  # kind, path, name as the user writes it
Listed = tuple[str, Path, str, bool]  # and whether it is inside the content folder
Own = tuple[Document, list[Diagnostic]]  # a file loaded in the main process, and its diagnostics
Loaded = tuple[bytes | None, bytes, bool]  # a file's cache key (None without a cache), pickled Document, parsed


def shares(files: list[File], count: int) -> list[list[int]]:
    """The files' indexes split into count shares of about equal bytes, each in order."""
    sizes = []
    for _kind, path, _rel in files:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)
    loads = [0] * count
    split: list[list[int]] = [[] for _ in range(count)]
    for index in sorted(range(len(files)), key=lambda i: -sizes[i]):  # biggest first, each to the lightest share
        lightest = loads.index(min(loads))
        split[lightest].append(index)
        loads[lightest] += sizes[index] + 512  # a small file still costs a read and a parse
    return [sorted(share) for share in split]


def load_one(kind: str, path: Path, rel: str, store: StoredDocuments | None) -> Loaded:
    if store is not None:
        found = store.lookup(kind, path, rel)
        if found is not None:
            entry, document, _ = found
            return entry[0], entry[1], document is not None
    own = Diagnostics()
    return None, pack_document(load_document(kind, path, rel, own), own.items), True


def load_share(files: list[File], share: list[int], store: StoredDocuments | None) -> list[Loaded]:
    """A forked child's work: its share of the files."""
    return [load_one(*files[i], store) for i in share]


def handed_back(child: Child[list[Loaded]], files: list[File], share: list[int],
                store: StoredDocuments | None) -> list[Loaded]:  # fmt: skip
    """What child loaded of its share; the share loaded here if the child failed or died."""
    try:
        theirs: list[Loaded] | None = child.result()
    except Exception:  # ChildDied, or what it raised: the main process parses the share and reports what is wrong
        theirs = None
    if theirs is None or len(theirs) != len(share):
        print("warning: a loading process failed; its files are read again here", file=sys.stderr)
        theirs = [load_one(*files[i], store) for i in share]
    return theirs


def load_content(root: Path, diags: Diagnostics, cache: DocumentCache | None = None, jobs: int = 1) -> list[Document]:
    """load.load_content(), with the files spread over jobs processes when there are many."""
    listed = listed_files(root, diags)
    inside = [index for index, item in enumerate(listed) if item[3]]
    if jobs <= 1 or len(inside) < PARALLEL_MIN or not can_fork() or not (cache is None or hasattr(cache, "lookup")):
        return load_listed(listed, diags, cache)
    store: StoredDocuments | None = cache  # type: ignore[assignment]
    files = [listed[i][:3] for i in inside]
    split = shares(files, jobs)
    children = [(share, Child(functools.partial(load_share, files, share, store))) for share in split[1:]]
    mine: dict[int, Own] = {}
    for i in split[0]:
        own = Diagnostics()
        mine[i] = (cache.load(*files[i], own) if cache else load_document(*files[i], own)), own.items
    found: dict[int, Loaded] = {}
    for share, child in children:
        found.update(zip(share, handed_back(child, files, share, store), strict=True))
    return in_order(listed, inside, mine, found, store, diags)


def in_order(listed: list[Listed], inside: list[int], mine: dict[int, Own], found: dict[int, Loaded],
             store: StoredDocuments | None, diags: Diagnostics) -> list[Document]:  # fmt: skip
    """Every listed file's Document, in order, from those loaded here (mine) and by the children (found);
    their diagnostics into diags in the same order."""
    documents: list[Document] = []
    position = {listed_index: n for n, listed_index in enumerate(inside)}
    for index, (kind, _path, rel, ok) in enumerate(listed):
        if not ok:
            documents.append(Document(kind, rel, None, readable=False))
            continue
        n = position[index]
        if n in mine:
            document, diagnostics = mine[n]
        else:
            key, data, parsed = found[n]
            if store is not None and key is not None:
                document, diagnostics = store.adopt(rel, (key, data), parsed)
            else:
                document, diagnostics = unpack_document(data)
        documents.append(document)
        for diagnostic in diagnostics:
            diags.add(diagnostic)
    return documents
