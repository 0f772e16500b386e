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
files whose bytes changed, validated again as the last build read them, with the new ones
(`earlier_pairs`). Nothing lists fields: a field added to a record is compared and recorded like the rest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostics
from ..load import Document
from ..reads import Deps, Key, same_shape
from ..validate import Records, validate

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


def record_pairs(before: Records, after: Records) -> list[tuple[Any, Any]] | None:
    """(earlier record, record) for each record that is not equal to its earlier version, the two matched by
    position, id and file; None when records were added, removed, renamed or moved, or any other value of
    Records (the site config, the ids declared with errors ...) differs."""
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


def earlier_pairs(earlier: Iterable[Document], records: Records, smart_quotes: bool) -> list[tuple[Any, Any]] | None:
    """`build`: the pairs of record_pairs() for the files whose bytes changed since the last build, given as
    that build read them (StoredDocuments.earlier); None when their records differ in number or ids, or the
    earlier ones had errors."""
    documents = list(earlier)
    own = Diagnostics()
    before = validate(documents, own, smart_quotes)
    if own.has_errors():
        return None
    paths = {doc.path for doc in documents}
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
