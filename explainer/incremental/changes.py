"""What changed since the last build, and which units of output to make again: one decision for `build` and `serve`.

A unit (a page, a view file, one record's entry in the export) is kept from the last build if nothing it
read changed (`reads.py` records what it reads). The change between two builds is worked out from the
records that are not equal, each paired with its earlier version by id (`record_pairs`):
- every (entity id, field) whose value differs (`Change.fields`);
- every shared computation (link, the planner's tables) that reads what differs (`Change.shared`), found
  with what it read of each kind of record (`reads.same_shape`).
When link reads what changed, the lists, relations and pages themselves may differ: `change_of` answers
None and the caller compares every page by value instead (serve: the PageSpecs; build: the page keys).
`serve` pairs the records it holds in memory with the new ones; `build` pairs the records of the content
files whose bytes changed, as the last build validated them (its build cache keeps each file's records),
with the new ones (`earlier_pairs`). Nothing lists fields: a field added to a record is compared and recorded
like the rest.
"""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..mediafiles import FILE
from ..reads import Deps, Key, same_shape
from ..validate import Records

LINK = "link"  # the shared computation every page depends on: when it reads a change, nothing is kept by deps


@dataclass(frozen=True, slots=True)
class Change:
    fields: frozenset[Key]  # (entity id, field) whose value changed
    shared: frozenset[str]  # the shared computations that read what changed

    def __or__(self, other: Change) -> Change:
        return Change(self.fields | other.fields, self.shared | other.shared)

    def stale(self, deps: Deps | None) -> bool:
        """Whether a unit that read deps (None: unknown) must be made again."""
        return deps is None or not self.fields.isdisjoint(deps.fields) or not self.shared.isdisjoint(deps.shared)


def record_pairs(before: Records, after: Records,
                 same: list[tuple[Any, Any]] | None = None) -> list[tuple[Any, Any]] | None:  # fmt: skip
    """(earlier record, record) for each record that is not equal to its earlier version, the two matched by
    position, id and file; None when records were added, removed, renamed or moved, or any other value of
    Records (the site config, the ids declared with errors ...) differs. same, if given, gets the pairs of
    records read again that are equal to their earlier version but new objects."""
    pairs: list[tuple[Any, Any]] = []
    for field in dataclasses.fields(Records):
        old, new = getattr(before, field.name), getattr(after, field.name)
        if not isinstance(new, list) or not all(dataclasses.is_dataclass(r) for r in new):
            if old is not new and old != new:
                return None
            continue
        if len(old) != len(new):
            return None
        for a, b in zip(old, new, strict=True):
            if a is b:
                continue
            if type(a) is not type(b) or getattr(a, "id", None) != getattr(b, "id", None) or a.path != b.path:
                return None
            if a != b:
                pairs.append((a, b))
            elif same is not None:
                same.append((a, b))
    return pairs


def change_of(pairs: Iterable[tuple[Any, Any]], shapes: Mapping[str, frozenset[Key]]) -> Change | None:
    """The change from each earlier record to its new version; None when link reads any of it (or a record
    without an id changed)."""
    fields: set[Key] = set()
    shared: set[str] = set()
    for old, new in pairs:
        entity = getattr(new, "id", None)
        if entity is None:
            return None
        for field in dataclasses.fields(new):
            if getattr(old, field.name) != getattr(new, field.name):
                fields.add((entity, field.name))
        shared.update(name for name, types in shapes.items() if name not in shared and not same_shape(old, new, types))
    if LINK in shared or LINK not in shapes:
        return None
    return Change(frozenset(fields), frozenset(shared))


def with_images(change: Change | None, before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> Change | None:
    """change with each image file changed, added or removed (Media.stamps of the last build and this one) as
    (its name, FILE): the pages that show it read that (mediafiles.Media.get). None: unknown."""
    if change is None or before is None:
        return None
    names = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    return change | Change(frozenset((name, FILE) for name in names), frozenset()) if names else change


def earlier_pairs(before: Records, paths: frozenset[str], records: Records) -> list[tuple[Any, Any]] | None:
    """`build`: the pairs of record_pairs() for the files whose bytes changed since the last build (paths), given
    the records that build validated from them (StoredDocuments.earlier); None when their records differ in
    number or ids."""
    after = Records()
    for field in dataclasses.fields(Records):
        value = getattr(records, field.name)
        if field.name == "site":
            after.site = value if value is not None and value.path in paths else None
        elif isinstance(value, list) and all(dataclasses.is_dataclass(r) for r in value):
            setattr(after, field.name, [r for r in value if r.path in paths])
        else:
            setattr(after, field.name, getattr(before, field.name))  # read by link, which runs in full in build
    return record_pairs(before, after)


Packed = tuple[bytes, tuple[str, ...]]  # a unit's reads as stored: the numbers of its (id, field) pairs, shared names


class DepTable:
    """Every (id, field) pair any stored unit read, numbered once for the whole cache: a unit's reads are kept as
    an array of numbers (450,000 pairs at 5,000 cards pickle in 0.7 s as tuples, a few ms as arrays)."""

    def __init__(self, keys: list[tuple[str, str]]):
        self.keys = keys
        self._index: dict[tuple[str, str], int] | None = None

    @property
    def index(self) -> dict[tuple[str, str], int]:
        if self._index is None:  # not made by a build with nothing to do
            self._index = {key: number for number, key in enumerate(self.keys)}
        return self._index

    def pack(self, deps: Deps | Packed | None) -> Packed | None:
        if deps is None or isinstance(deps[0], bytes):
            return deps  # type: ignore[return-value]
        index, keys = self.index, self.keys
        numbers = array("I")
        for key in deps[0]:
            number = index.get(key)
            if number is None:
                number = index[key] = len(keys)
                keys.append(key)
            numbers.append(number)
        return numbers.tobytes(), tuple(sorted(deps[1]))

    def compacted(self, pages: dict[str, Any], views: dict[str, Deps | Packed]) -> list[tuple[str, str]]:
        """The keys to store: as they are, or, once the pairs no unit reads any longer (ids gone) outnumber the
        rest, only the ones read, every unit's numbers renumbered."""
        units = [(entry.deps if isinstance(entry.deps, tuple) else None) for entry in pages.values()]
        units += list(views.values())
        if len(self.keys) < 100_000 or len(self.keys) < 2 * len(units) * 20:
            return self.keys
        live = {self.keys[n] for deps in units if deps is not None and isinstance(deps[0], bytes)
                for n in array("I", deps[0])}  # fmt: skip
        if 2 * len(live) > len(self.keys):
            return self.keys
        old, fresh = self.keys, DepTable([])

        def repacked(deps: Any) -> Any:
            """deps numbered in the fresh table (as they are when not packed)."""
            if deps is None or not isinstance(deps[0], bytes):
                return deps
            return fresh.pack(Deps(frozenset(old[n] for n in array("I", deps[0])), frozenset(deps[1])))

        for entry in pages.values():
            entry.deps = repacked(entry.deps)
        for name, deps in views.items():
            views[name] = repacked(deps)
        self.keys, self._index = fresh.keys, fresh.index
        return self.keys

    def stale(self, change: Change) -> Callable[[Deps | Packed | None], bool]:
        """change.stale() for units whose reads are packed or not."""
        changed = frozenset(self.index[key] for key in change.fields if key in self.index)

        def stale(deps: Deps | Packed | None) -> bool:
            if deps is None or not isinstance(deps[0], bytes):
                return change.stale(deps)  # type: ignore[arg-type]
            numbers = array("I")
            numbers.frombytes(deps[0])
            return not changed.isdisjoint(numbers) or not change.shared.isdisjoint(deps[1])

        return stale
