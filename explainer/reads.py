"""What a computation reads of the records: the dependencies `build` and `serve` redo pages by (issue 16).

The records of model.py are frozen, slotted dataclasses. `watch()` puts a `Watched` descriptor in place of
each field's slot; while a recording is open in this thread (`CURRENT`, a context variable), a read of the
field is noted in it, then the slot is read. Nothing lists fields: a field added to a record is watched and
noted like the others.

Two kinds of recording:
- `Reads`, for a unit of output (a page, a view file, one record's entry in the export): the
  (entity id, field) of each field read of an issue, actor, event or source. A value inside a record (a
  `Position`, a quote's `Text`) is reached only through the entity field that holds it, which is noted. A
  unit also notes the computations shared between units whose results it used (`uses`).
- `Shape`, for a computation that reads every record of a kind and whose result many units use (link, the
  planner's tables): the (type, field) of every record read, nested ones included, whatever record it
  was. Two versions of a record give it the same result if they agree on those fields (`same_shape`): it
  reads nothing else, so it takes the same path through both.

Reads hidden by a memo (a value computed once and handed to many units) are the one way to lose a
dependency: a memo either keeps its reads and notes them again on each hit (`Reads.replay`), or is a
shared computation recorded with a `Shape` and noted with `uses`.
"""

from __future__ import annotations

import contextvars
import dataclasses
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple, TypeVar

T = TypeVar("T")
Key = tuple[str, str]  # (entity id, field)


class Reads:
    """What one unit read: (entity id, field) pairs, and the shared computations it used."""

    __slots__ = ("fields", "shared", "types")

    def __init__(self) -> None:
        self.fields: set[Key] = set()
        self.shared: set[str] = set()
        self.types = None  # a unit notes entity fields only (Shape notes types)

    def replay(self, other: Reads) -> None:
        """Note what other noted: a memo's reads, on a hit."""
        self.fields |= other.fields
        self.shared |= other.shared

    def frozen(self) -> Deps:
        return Deps(frozenset(self.fields), frozenset(self.shared))


class Shape:
    """What a shared computation read: (type name, field) of every record, nested ones included."""

    __slots__ = ("types",)

    def __init__(self) -> None:
        self.types: set[Key] = set()


Recording = Reads | Shape
CURRENT: ContextVar[Recording | None] = ContextVar("explainer_reads", default=None)


class Deps(NamedTuple):
    """A unit's dependencies, as kept between builds (a tuple: quick to pickle, thousands at a time)."""

    fields: frozenset[Key] = frozenset()
    shared: frozenset[str] = frozenset()

    def __or__(self, other: Deps) -> Deps:  # type: ignore[override]
        return Deps(self.fields | other.fields, self.shared | other.shared)


class Watched:
    """A field's slot, noting each read in the open recording."""

    __slots__ = ("ident", "key", "name", "slot")

    def __init__(self, slot: Any, name: str, ident: Any, kind: str):
        self.slot = slot  # the member descriptor that holds the value
        self.name = name
        self.ident = ident  # the id field's slot, for an entity's fields but its id; else None
        self.key = (kind, name)

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        recording = CURRENT.get()
        if recording is not None:
            if recording.types is None:
                if self.ident is not None:
                    recording.fields.add((self.ident.__get__(obj, owner), self.name))
            else:
                recording.types.add(self.key)
        return self.slot.__get__(obj, owner)

    def __set__(self, obj: Any, value: Any) -> None:
        self.slot.__set__(obj, value)

    def __delete__(self, obj: Any) -> None:
        self.slot.__delete__(obj)


class Watching:
    """The record classes to watch, and whether their descriptors are in place in this process. They are put in
    place on the first recording (`record`), not before: a build that records nothing (`--no-cache`) reads
    every field at the slot's own speed."""

    def __init__(self) -> None:
        self.classes: list[type] = []
        self.entities: set[type] = set()
        self.installed = False

    def register(self, classes: Iterable[type], entities: Iterable[type]) -> None:
        self.classes += classes
        self.entities |= set(entities)

    def install(self) -> None:
        """Watch every field of each class (slotted dataclasses); an entity's reads are noted by its id."""
        for cls in self.classes:
            for field in dataclasses.fields(cls):
                slot = cls.__dict__[field.name]
                if isinstance(slot, Watched):
                    continue
                ident = cls.__dict__["id"] if cls in self.entities and field.name != "id" else None
                setattr(cls, field.name, Watched(slot, field.name, getattr(ident, "slot", ident), cls.__name__))
        self.installed = True


WATCHING = Watching()  # filled by model.py when it is imported


def watch(classes: Iterable[type], entities: Iterable[type]) -> None:
    """Register the record classes (model.py); their fields are watched from the first recording on."""
    WATCHING.register(classes, entities)


def record(into: Recording | None) -> contextvars.Token[Recording | None]:
    """Open a recording (None: note nothing), the descriptors put in place first if they are not yet (not for
    None: a build that records nothing keeps the plain slots)."""
    if into is not None and not WATCHING.installed:
        WATCHING.install()
    return CURRENT.set(into)


def recording() -> bool:
    """Whether a recording is open (a memo then has reads to note)."""
    return CURRENT.get() is not None


@contextmanager
def recorded(into: Recording | None) -> Iterator[Recording | None]:
    """Note the reads of the block in into (None: note nothing); the enclosing recording is restored after."""
    token = record(into)
    try:
        yield into
    finally:
        CURRENT.reset(token)


def unit(make: Callable[[], T]) -> tuple[T, Reads]:
    """make() and what it read."""
    reads = Reads()
    with recorded(reads):
        value = make()
    return value, reads


def memo(make: Callable[[], T]) -> tuple[T, Reads | None]:
    """make() for a memo: what it read is noted in the open unit too, and handed back to replay on a hit."""
    outer = CURRENT.get()
    if not isinstance(outer, Reads):
        return make(), None
    value, reads = unit(make)
    outer.replay(reads)
    return value, reads


def note(key: Key) -> None:
    """Note a read that is no record's field (an image file: mediafiles.Media.get) in the open unit."""
    outer = CURRENT.get()
    if isinstance(outer, Reads):
        outer.fields.add(key)


def replay(reads: Reads | None) -> None:
    """A memo's hit: note again what making it read."""
    outer = CURRENT.get()
    if reads is not None and isinstance(outer, Reads):
        outer.replay(reads)


def shaped(make: Callable[[], T]) -> tuple[T, frozenset[Key]]:
    """make() for a shared computation, and the (type, field) pairs it read."""
    shape = Shape()
    with recorded(shape):
        value = make()
    return value, frozenset(shape.types)


def uses(name: str) -> None:
    """The open unit used the shared computation name."""
    outer = CURRENT.get()
    if isinstance(outer, Reads):
        outer.shared.add(name)


def same_shape(old: Any, new: Any, types: frozenset[Key]) -> bool:
    """Whether a computation that read only the (type, field) pairs in types reads the same of old and new."""
    if type(old) is not type(new):
        return False
    if type(old) in (tuple, list):
        return len(old) == len(new) and all(same_shape(a, b, types) for a, b in zip(old, new, strict=True))
    fields = getattr(type(old), "__dataclass_fields__", None)
    if fields is None or type(old) not in WATCHING.classes:
        return bool(old == new)
    kind = type(old).__name__
    return all(same_shape(getattr(old, f), getattr(new, f), types) for f in fields if (kind, f) in types)
