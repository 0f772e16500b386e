"""Link and plan again only when a save changed more than what issue cards show of themselves.

Editing a card's Markdown body is the commonest save. When the new card equals
the old one in every field but its body, and the body links to the same ids,
no relation changes and the planner has nothing new to read: the last `Site`
and pages are reused with the new `Issue` objects swapped in for the old ones.
When other values only the card shows changed too (its summary, a position, a
quote ...: `shown_only`), the `Site` is reused the same way and the pages
holding an edited issue are planned again (`pages.replan`): plan() copies
those values into their contexts and specs. Anything else (a title, a list of
ids, facts, a new or deleted file, diagnostics from that card) links and plans
in full. tests/test_serve.py checks that the output equals a clean build's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from operator import is_not
from types import MappingProxyType
from typing import Any

from ..dates import PartialDate
from ..diagnostics import Diagnostic, Diagnostics
from ..link import Relations, Site, link, texts_of
from ..model import Actor, Event, Figure, Issue, Position, Quote, Ref, Source, Text
from ..pages import PageSpec, plan, replan
from ..validate import Records

LEAVES = (str, int, float, bool, type(None), Text, Ref, PartialDate, Relations)  # hold no records
RECORDS = (Actor, Event, Source)  # hold ids, never other records


class Unsure(Exception):
    """A value of a kind the swap does not know how to copy: link and plan in full."""


def body_only(old: Any, new: Any) -> bool:
    """new is old with another Markdown body that links to the same ids."""
    return (
        type(old) is Issue
        and type(new) is Issue
        and dataclasses.replace(old, body=new.body) == new
        and {ref.id for ref in old.body.refs} == {ref.id for ref in new.body.refs}
    )


def shape(issue: Issue) -> tuple[Any, ...]:
    """What link() and plan() read of an issue beyond the Issue object they pass on: its id, file, title, order
    and draft flag, the ids it names in each list (in order) and the ids its texts link to. A Ref's line is not
    in it: it only places a diagnostic, and a card with any is not edited this way (cardedits.py)."""
    return (
        issue.id,
        issue.path,
        issue.line,
        issue.title,
        issue.order,
        issue.draft,
        [ref.id for ref in issue.actors],
        [ref.id for ref in issue.events],
        [ref.id for ref in issue.sources],
        [position.actor.id for position in issue.positions],
        [(quote.by.id, quote.source.id if quote.source else None) for quote in issue.quotes],
        [figure.source.id if figure.source else None for figure in issue.figures],
        {ref.id for text in texts_of(issue) for ref in text.refs},
    )


# The fields shape() leaves out: what only the pages holding the issue show (tests/test_card_edits.py checks
# that these and the fields shape() reads are every field of Issue and of what it holds).
SHOWN_ONLY = {
    Issue: ("summary", "body", "status", "updated", "changes", "published"),
    Position: ("text",),
    Quote: ("text", "date", "context"),
    Figure: ("value", "label"),
}


def shown_only(old: Any, new: Any) -> bool:
    """new is old with other values in fields only pages holding the Issue object show (SHOWN_ONLY): link()
    relates it as before and plan() makes every other page from the same values."""
    return type(old) is Issue and type(new) is Issue and shape(old) == shape(new)


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


SKIPPED = frozenset((*LEAVES, *RECORDS))  # exact types issues_in() need not call itself for
FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # a dataclass type → its fields' names


def issues_in(value: Any, found: dict[int, Issue]) -> None:
    """Add the Issue objects inside value (not looking inside records) to found, by their id()."""
    kind = type(value)
    items: Any
    if kind is Issue:
        found[id(value)] = value
        return
    if kind in (list, tuple, set, frozenset):
        items = value
    elif kind in (dict, MappingProxyType):
        items = value.values()
    elif isinstance(value, LEAVES) or kind in RECORDS:
        return
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = FIELD_NAMES.get(kind)
        if names is None:
            names = FIELD_NAMES[kind] = tuple(field.name for field in dataclasses.fields(value))
        items = [getattr(value, name) for name in names]
    else:
        raise Unsure(kind.__name__)
    for item in items:
        if type(item) is Issue:
            found[id(item)] = item
        elif type(item) not in SKIPPED:
            issues_in(item, found)


def issues_by_page(pages: list[PageSpec]) -> dict[int, list[tuple[int, str]]]:
    """id(issue) → (the index of a page whose context holds it, the key of the context value that holds it)."""
    where: dict[int, list[tuple[int, str]]] = {}
    for index, page in enumerate(pages):
        found: dict[int, Issue] = {}
        issues_in([getattr(page, f.name) for f in dataclasses.fields(page) if f.name != "context"], found)
        if found:
            raise Unsure("an issue outside a page's context")
        for name, value in page.context.items():
            issues_in(value, found)
            for key in found:
                where.setdefault(key, []).append((index, name))
            found.clear()
    return where


def issue_ids(context: Any) -> frozenset[str] | None:
    """The ids of the issues a page's context holds (as records; an id named in text does not count), or None
    when it holds a value of a kind issues_in() does not know."""
    found: dict[int, Issue] = {}
    try:
        issues_in(context, found)
    except Unsure:
        return None
    return frozenset(issue.id for issue in found.values())


class Relinker:
    """link() and plan(), or the last Site and pages with changed issue bodies swapped in."""

    def __init__(self) -> None:
        self.records: Records | None = None
        self.drafts = False
        self.site: Site | None = None
        self.pages: list[PageSpec] | None = None
        self.diagnostics: list[Diagnostic] = []
        self.reused = False  # whether the last link() swapped in issues whose bodies alone changed
        self.in_full = False  # whether the last link() linked and planned in full (else it swapped)
        self.swapped: frozenset[str] = frozenset()  # the ids of the issues it swapped in (bodies changed)
        self.links = 0  # link() calls so far: a page rendered at the last one differs from this one's only by swaps
        self.where: dict[int, list[tuple[int, str]]] | None = None  # id(issue) → the pages and context keys holding it

    def swaps(self, records: Records, drafts: bool) -> list[tuple[Any, Any]] | None:
        """(old record, new record) for each record that is a new object since the last link, if only what issues
        show of themselves changed; else None."""
        old = self.records
        if old is None or self.site is None or drafts != self.drafts:
            return None
        pairs: list[tuple[Any, Any]] = []
        for field in dataclasses.fields(Records):
            before, after = getattr(old, field.name), getattr(records, field.name)
            if not isinstance(after, list):
                if before is not after and before != after:
                    return None
                continue
            if len(before) != len(after):
                return None
            for a, b in zip(before, after, strict=True):
                if a is not b:
                    if not (a == b or shown_only(a, b)):
                        return None
                    pairs.append((a, b))
        changed = {b.path for _, b in pairs}
        if any(d.path in changed for d in self.diagnostics):
            return None
        return pairs

    def link(self, records: Records, diags: Diagnostics, include_drafts: bool) -> Site | None:
        self.links += 1
        pairs = self.swaps(records, include_drafts)
        if pairs is not None and self.site is not None:
            replace = {id(a): b for a, b in pairs}
            everything = {id(r) for f in dataclasses.fields(Records) if isinstance(v := getattr(records, f.name), list)
                          for r in v}  # fmt: skip
            swapper = Swapper(replace, everything)
            bodies = all(a == b or body_only(a, b) for a, b in pairs)
            try:
                site = swapper.swap(self.site)
                pages = self.swap_pages(swapper, replace) if bodies else self.replan_pages(site, replace)
            except (Unsure, ValueError):
                pass
            else:
                self.records, self.site, self.pages, self.reused, self.in_full = records, site, pages, bodies, False
                self.swapped = frozenset(b.id for _, b in pairs if type(b) is Issue) if bodies else frozenset()
                diags.items.extend(self.diagnostics)
                return site  # type: ignore[no-any-return]
        own = Diagnostics(unread=diags.unread)  # the files load did not read, named by unknown-id errors
        site = link(records, own, include_drafts=include_drafts)
        diags.items.extend(own.items)
        self.records, self.drafts, self.site, self.pages, self.where = records, include_drafts, site, None, None
        self.diagnostics, self.reused, self.swapped, self.in_full = own.items, False, frozenset(), True
        return site

    def replan_pages(self, site: Site, replace: dict[int, Any]) -> list[PageSpec] | None:
        """The last pages, those holding a replaced issue planned again from site."""
        if self.pages is None:
            return None
        if self.where is None:
            raise Unsure("pages of unknown kinds")
        indices = sorted({index for old in replace for index, _name in self.where.get(old, [])})
        pages = replan(site, self.pages, indices)
        for old, new in replace.items():
            self.where[id(new)] = self.where.pop(old, [])
        return pages

    def swap_pages(self, swapper: Swapper, replace: dict[int, Any]) -> list[PageSpec] | None:
        """The last pages with the new issues in; only the context values that hold a replaced issue are copied."""
        if self.pages is None:
            return None
        if self.where is None:
            raise Unsure("pages of unknown kinds")
        pages = list(self.pages)
        for old, new in replace.items():
            places = self.where.pop(old, [])
            for index, name in places:
                page = pages[index]
                value = swapper.swap(page.context[name])
                if value is not page.context[name]:
                    pages[index] = dataclasses.replace(page, context={**page.context, name: value})
            self.where[id(new)] = places
        return pages

    def plan(self, site: Site) -> list[PageSpec]:
        if self.pages is None or site is not self.site:
            self.pages = plan(site)
            try:  # now rather than on the next save, which should be quick
                self.where = issues_by_page(self.pages)
            except Unsure:
                self.where = None
        return self.pages
