"""Stage 1 for a big content folder: the files parsed by several processes at once.

Everything before the page workers ran in one process, so one core idled
through loading (a sixth of a clean build at 5,000 cards). Here forked
children each parse a share of the files (shares balanced by bytes) while
the main process parses its own; each child hands back every file as its
pickled Document and load diagnostics — plain values, whose unpickling costs
about a sixth of their parsing. The result, documents and diagnostics in the
listed order, is the one `load.load_content` makes in one process. A child
that fails or dies leaves its share to the main process. (A cached `build`
loads and validates with `checkpool.py`, which spreads its files the same way.)
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics
from ..load import Document, DocumentCache, listed_files, load_document, load_listed, pack_document, unpack_document
from .forks import Child, can_fork

PARALLEL_MIN = 300  # fewer files than this are not worth a fork
File = tuple[str, Path, str]  # kind, path, name as the user writes it
Listed = tuple[str, Path, str, bool]  # and whether it is inside the content folder
Own = tuple[Document, list[Diagnostic]]  # a file loaded in the main process, and its diagnostics
Loaded = bytes  # a file's pickled Document and load diagnostics


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


def load_one(kind: str, path: Path, rel: str) -> Loaded:
    own = Diagnostics()
    return pack_document(load_document(kind, path, rel, own), own.items)


def load_share(files: list[File], share: list[int]) -> list[Loaded]:
    """A forked child's work: its share of the files."""
    return [load_one(*files[i]) for i in share]


def handed_back(child: Child[list[Loaded]], files: list[File], share: list[int]) -> list[Loaded]:
    """What child loaded of its share; the share loaded here if the child failed or died."""
    try:
        theirs: list[Loaded] | None = child.result()
    except Exception:  # ChildDied, or what it raised: the main process parses the share and reports what is wrong
        theirs = None
    if theirs is None or len(theirs) != len(share):
        print("warning: a loading process failed; its files are read again here", file=sys.stderr)
        theirs = [load_one(*files[i]) for i in share]
    return theirs


def load_content(root: Path, diags: Diagnostics, cache: DocumentCache | None = None, jobs: int = 1) -> list[Document]:
    """load.load_content(), with the files spread over jobs processes when there are many."""
    listed = listed_files(root, diags)
    inside = [index for index, item in enumerate(listed) if item[3]]
    if jobs <= 1 or len(inside) < PARALLEL_MIN or not can_fork() or cache is not None:
        return load_listed(listed, diags, cache)
    files = [listed[i][:3] for i in inside]
    split = shares(files, jobs)
    children = [(share, Child(functools.partial(load_share, files, share))) for share in split[1:]]
    mine: dict[int, Own] = {}
    for i in split[0]:
        own = Diagnostics()
        mine[i] = load_document(*files[i], own), own.items
    found: dict[int, Loaded] = {}
    for share, child in children:
        found.update(zip(share, handed_back(child, files, share), strict=True))
    return in_order(listed, inside, mine, found, diags)


def in_order(listed: list[Listed], inside: list[int], mine: dict[int, Own], found: dict[int, Loaded],
             diags: Diagnostics) -> list[Document]:  # fmt: skip
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
            document, diagnostics = unpack_document(found[n])
        documents.append(document)
        for diagnostic in diagnostics:
            diags.add(diagnostic)
    return documents
