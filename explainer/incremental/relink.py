"""`serve`: link and plan again only what a save changed.

When link read nothing that changed (changes.change_of: the records that are new objects, each against the
one it replaces, compared on what link read of any record of its kind), the last `Site` is reused with the
new records swapped in for the old ones (`Swapper`), and only the pages that read something that changed
(what planning and rendering each page read, reads.py) are planned again; every other page keeps its
`PageSpec`, so the renderer keeps its HTML. Anything else (a new or deleted file, a title, a list of ids ...)
links and plans in full, and the renderer compares each page's spec with the last one.
tests/test_differential.py checks that the output equals a clean build's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from operator import is_not
from types import MappingProxyType
from typing import Any

from ..dates import PartialDate
from ..diagnostics import Diagnostic, Diagnostics
from ..link import Relations, Site, link
from ..model import Ref, Text
from ..pages import PageSpec, Planner, page_makers
from ..reads import Deps, Key, shaped, unit
from ..validate import Records
from .changes import LINK, Change, change_of, record_pairs

LEAVES = (str, int, float, bool, type(None), Text, Ref, PartialDate, Relations)  # hold no records


class Unsure(Exception):
    """A value of a kind the swap does not know how to copy: link and plan in full."""


class Swapper:
    """Copies a structure with some objects replaced, sharing every part that holds none of them."""

    def __init__(self, replace: dict[int, Any], records: set[int]):
        self.replace = replace  # id(old object) → new object
        self.records = records  # ids of the other records: they hold ids, never other records
        self.memo: dict[int, Any] = {}

    def swap(self, value: Any) -> Any:
        key = id(value)
        if key in self.replace:
            return self.replace[key]
        if key in self.records or isinstance(value, LEAVES):
            return value
        if key not in self.memo:
            self.memo[key] = self.copy(value)
        return self.memo[key]

    def swap_all(self, values: Iterable[Any]) -> list[Any]:
        """swap() of each value; records and leaves (most values) are told apart without a call each."""
        replace, records, swap = self.replace, self.records, self.swap
        return [
            replace[key] if (key := id(v)) in replace else v if key in records or isinstance(v, LEAVES) else swap(v)
            for v in values
        ]

    def copy(self, value: Any) -> Any:
        if type(value) in (list, tuple, set, frozenset):
            items = self.swap_all(value)  # a set iterates in the same order twice
            return type(value)(items) if any(map(is_not, items, value)) else value
        if type(value) in (dict, MappingProxyType):
            keys, values = self.swap_all(value.keys()), self.swap_all(value.values())
            if not (any(map(is_not, keys, value.keys())) or any(map(is_not, values, value.values()))):
                return value
            pairs = dict(zip(keys, values, strict=True))
            return pairs if type(value) is dict else MappingProxyType(pairs)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = [f.name for f in dataclasses.fields(value) if f.init]
            changes = {name: self.swap(getattr(value, name)) for name in fields}
            if all(changes[name] is getattr(value, name) for name in fields):
                return value
            return dataclasses.replace(value, **changes)
        raise Unsure(type(value).__name__)


class Relinker:
    """link() and plan(): in full, or the last Site with the changed records swapped in and the pages that read
    a change planned again."""

    def __init__(self) -> None:
        self.records: Records | None = None
        self.drafts = False
        self.site: Site | None = None
        self.pages: list[PageSpec] = []
        self.deps: list[Deps] = []  # what planning each page read
        self.diagnostics: list[Diagnostic] = []  # the last full link's
        self.shapes: dict[str, frozenset[Key]] = {}  # what link and the planner's tables read of each record kind
        self.change: Change | None = None  # what changed since the last good build; None: linked in full since
        self.done = True  # whether the last build since link() finished (else the next change adds to this one)
        self.heads = False  # whether the last plan() changed what a page is besides its context (its URL, title ...)

    def reuse(self, records: Records, drafts: bool) -> tuple[Site, Change] | None:
        """The last site with the changed records swapped in, and the change; None: link in full."""
        if self.records is None or self.site is None or drafts != self.drafts:
            return None
        same: list[tuple[Any, Any]] = []
        pairs = record_pairs(self.records, records, same)
        change = change_of(pairs, self.shapes) if pairs is not None else None
        if pairs is None or change is None:
            return None
        # Equal records read again (the rest of a file one record of which changed) are swapped in too: the site
        # must hold the very objects of `records`, or a later change to one of them would find nothing to replace.
        replace = {id(a): b for a, b in (*pairs, *same)}
        everything = {id(r) for f in dataclasses.fields(Records) if isinstance(v := getattr(records, f.name), list)
                      for r in v}  # fmt: skip
        try:
            return Swapper(replace, everything).swap(self.site), change
        except (Unsure, ValueError):
            return None

    def link(self, records: Records, diags: Diagnostics, include_drafts: bool) -> Site | None:
        reused = self.reuse(records, include_drafts)
        if reused is not None:
            # A build that stopped after link (an error) made no page: its change is still to be made.
            change = reused[1] if self.done else None if self.change is None else self.change | reused[1]
            self.records, self.site, self.change, self.done = records, reused[0], change, False
            diags.items.extend(self.diagnostics)
            return self.site
        own = Diagnostics(unread=diags.unread)  # the files load did not read, named by unknown-id errors
        site, shape = shaped(lambda: link(records, own, include_drafts=include_drafts))
        diags.items.extend(own.items)
        self.records, self.drafts, self.site, self.change, self.done = records, include_drafts, site, None, False
        self.diagnostics, self.shapes, self.pages, self.deps = own.items, {LINK: shape}, [], []
        return site

    def plan(self, site: Site, rendered: Mapping[str, Deps]) -> list[PageSpec]:
        """Every page: all planned, after a full link; else the last ones, those that read a change planned
        again (with new tables of the planner, which note what they read). rendered: what rendering each page
        read, by output path."""
        planner = Planner(site)
        planner.unrecorded = set()  # what each table reads is kept, to know when a save changes it
        makers = page_makers(planner, False)
        change = self.change
        if change is None or len(makers) != len(self.pages):
            made = [unit(make) for make in makers]
            self.pages, self.deps = [page for page, _ in made], [reads.frozen() for _, reads in made]
            self.heads = True
        else:
            self.heads = False
            stale = [n for n, (page, deps) in enumerate(zip(self.pages, self.deps, strict=True))
                     if change.stale(deps) or change.stale(rendered.get(page.output_path))]  # fmt: skip
            for index in stale:
                page, reads = unit(makers[index])
                self.heads = self.heads or head(page) != head(self.pages[index])
                self.pages[index], self.deps[index] = page, reads.frozen()
        self.shapes.update(planner.shapes)
        return self.pages


def head(page: PageSpec) -> tuple[Any, ...]:
    """What a page is besides its context: what sitemap.xml lists of it."""
    return tuple(getattr(page, f.name) for f in dataclasses.fields(page) if f.name not in ("context", "later"))
