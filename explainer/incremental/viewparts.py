"""The view files (feeds, timeline.json, previews.json, data/explainer.json) made again only where what they
read changed: `serve` and a cached `build`.

Each view file, and each part of data/explainer.json (its head, each record's entry, the relations), is a
unit: made with its reads recorded (reads.py), and kept while `Change.stale` says nothing it read changed.
`serve` keeps every part's bytes in memory. `build` keeps only what each read (in its cache); a kept file
stays in the output as it is, and when the parts of data/explainer.json made again are entries of records
that changed, the last file is spliced: each such entry, made again from the record as the last build read
it, is found once in it and replaced (else the whole file is made again).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..link import Site
from ..reads import unit
from ..views.files import EXPORT, export_entry, export_file, export_parts, file_makers
from .changes import Change


class ViewParts:
    """What each part read when it was made (and its bytes, when kept in memory), by name."""

    def __init__(self, deps: dict[str, Any] | None = None, keep_bytes: bool = True,
                 stale: Callable[[Change], Callable[[Any], bool]] | None = None):  # fmt: skip
        self.deps: dict[str, Any] = deps or {}  # Deps, or as the build cache packs them (stale knows how to read)
        self.stale = stale or (lambda change: change.stale)
        self.made: dict[str, bytes] = {}
        self.keep_bytes = keep_bytes  # serve: every part's bytes; build: none (the output holds the files)
        self.remade: list[str] = []  # the parts made by the last view_files()

    def part(self, name: str, stale: Callable[[Any], bool] | None, make: Callable[[], bytes], fresh: dict[str, Any],
             made: dict[str, bytes]) -> bytes | None:  # fmt: skip
        """The part's bytes, made again if what it read changed (stale: None, made again whatever it read); None
        when kept and its bytes are not held."""
        deps = self.deps.get(name)
        if deps is not None and stale is not None and not stale(deps) and (not self.keep_bytes or name in self.made):
            fresh[name] = deps
            if name in self.made:
                made[name] = self.made[name]
            return made.get(name)
        data, reads = unit(make)
        fresh[name] = reads.frozen()
        if self.keep_bytes:
            made[name] = data
        self.remade.append(name)
        return data

    def view_files(self, site: Site, base_url: str, change: Change | None, issue_feeds: bool = True,
                   before: Mapping[str, Any] | None = None, old_export: Callable[[], bytes | None] | None = None,
                   ) -> dict[str, bytes | None]:  # fmt: skip
        """Every view file by path: its bytes, or None for a file kept as the last build wrote it (build). before:
        the changed records as the last build read them, by id; old_export: the last build's export file."""
        fresh: dict[str, Any] = {}
        made: dict[str, bytes] = {}
        self.remade = []
        stale = self.stale(change) if change is not None else None
        files = {path: self.part(path, stale, make, fresh, made)
                 for path, make in file_makers(site, base_url, issue_feeds).items()}  # fmt: skip
        makers, lists = export_parts(site)
        pieces = {name: self.part(name, stale, make, fresh, made) for name, make in makers.items()}
        self.deps, self.made = fresh, made
        remade = [name for name in makers if name in self.remade]
        if self.keep_bytes:
            files[EXPORT] = export_file(made["head"], lists, made.__getitem__)
        elif not remade:
            files[EXPORT] = None
        elif len(remade) == len(makers):
            files[EXPORT] = export_file(pieces["head"] or b"", lists, lambda name: pieces[name] or b"")
        else:
            files[EXPORT] = spliced(site, remade, pieces, before or {}, old_export) or self.whole_export(makers, lists)
        return files

    def whole_export(self, makers: Mapping[str, Callable[[], bytes]], lists: dict[str, list[str]]) -> bytes:
        pieces = {}
        for name, make in makers.items():
            pieces[name], reads = unit(make)
            self.deps[name] = reads.frozen()
        return export_file(pieces["head"], lists, pieces.__getitem__)


def spliced(site: Site, remade: list[str], pieces: Mapping[str, bytes | None], before: Mapping[str, Any],
            old_export: Callable[[], bytes | None] | None) -> bytes | None:  # fmt: skip
    """The last export with each remade entry replaced, if every one is the entry of a record in before (its
    earlier version) and occurs once in the last file; else None."""
    old = old_export() if old_export else None
    if old is None:
        return None
    edits = []
    for name in remade:
        kind, _, record_id = name.partition("/")
        earlier = before.get(record_id)
        if not record_id or earlier is None or type(earlier).section != kind:
            return None
        was = export_entry(site, kind, earlier)
        at = old.find(was)
        if at < 0 or old.find(was, at + 1) >= 0:
            return None
        edits.append((at, len(was), pieces[name]))
    data = bytearray(old)
    for at, length, new in sorted(edits, key=lambda edit: -edit[0]):  # from the end: earlier offsets hold
        data[at : at + length] = new or b""
    return bytes(data)
