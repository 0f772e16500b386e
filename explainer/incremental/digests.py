"""Stable digests of the build cache's keys: of bytes (`digest`), of the generator itself (`code_key`), of a
folder's files (`folder_key`), and of page inputs (`Digester`: a page's whole `PageSpec`, record by record, with
the link each `[[ref]]` in it renders to, and the file of each image it shows)."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
import operator
import os
import sys
import time
from collections.abc import Callable, Iterable
from hashlib import blake2b
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import __version__
from ..dates import PartialDate
from ..mediafiles import shown_in
from ..model import Image, Ref, Text
from ..refs import REF_RE

FORMAT = 5  # bump when what the build cache stores changes shape
PACKAGE = Path(__file__).resolve().parent.parent  # explainer/, every subpackage included (rglob)


def digest(*parts: bytes) -> bytes:
    return hashlib.blake2b(b"\x1f".join(parts), digest_size=16).digest()


def code_key() -> bytes:
    """The generator itself: its version, its source and the versions of what it renders with."""
    import jinja2
    import markdown
    import yaml

    parts = [__version__, sys.version, markdown.__version__, jinja2.__version__, yaml.__version__, str(FORMAT)]
    files = sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.po")])  # the code and its built-in catalogues
    hashed = [digest(p.relative_to(PACKAGE).as_posix().encode(), p.read_bytes()) for p in files]
    return digest(*(part.encode() for part in parts), *hashed)


FileStamp = tuple[int, int, int, int, bytes]  # size, mtime_ns, ctime_ns, inode, and the digest of the bytes
RACY_NS = 2_000_000_000  # a file changed this close to (or after) the moment its stamp was taken is read again


class FileDigests:
    """The digest of each input file's bytes, read again only where its stat changed (git's index rule).

    `earlier` holds the last build's stamps, taken from the moment `taken` on (time.time_ns(), before any file
    was read). A stamp is trusted only if the file's size, mtime, ctime and inode are the same and its mtime
    and ctime are older than `taken` by RACY_NS: a file written in the same timestamp tick as its stamp
    (after it was read, keeping its size and mtime) is "racy" and read every time until it is older. An edit
    that restores the mtime (os.utime) still moves the ctime, which no program can set back."""

    def __init__(self, earlier: dict[str, FileStamp] | None = None, taken: int = 0) -> None:
        self.earlier = earlier or {}
        self.trusted_before = taken - RACY_NS
        self.taken = time.time_ns()  # this build's stamps' moment: before any file is read
        self.stamps: dict[str, FileStamp] = {}
        self.read = 0  # files read (for tests and the benchmark)

    def __call__(self, path: str) -> bytes:
        info = os.stat(path)
        size, mtime, ctime, inode = info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino
        old = self.earlier.get(path)
        if (
            old is not None
            and old[0] == size
            and old[1] == mtime
            and old[2] == ctime
            and old[3] == inode
            and mtime < self.trusted_before
            and ctime < self.trusted_before
        ):
            content = old[4]
        else:
            with open(path, "rb") as file:
                content = digest(file.read())
            self.read += 1
        self.stamps[path] = (size, mtime, ctime, inode, content)
        return content


def read_digest(path: str) -> bytes:
    with open(path, "rb") as file:
        return digest(file.read())


def folder_key(folder: Path, seen: dict[str, bytes] | None = None,
               of: Callable[[str], bytes] = read_digest) -> bytes:  # fmt: skip
    """Every file's path and bytes under folder; seen gets each file's digest of its bytes, by its path; of
    gives that digest (a FileDigests: from the last build's stamps where the file's stat is unchanged)."""
    if not folder.is_dir():
        return digest(b"absent")
    entries = []
    top = str(folder)  # plain strings, not a Path per file: a third of the time at 20,000 cards
    for parent, dirs, names in os.walk(top):
        dirs.sort()
        prefix = os.path.relpath(parent, top).replace(os.sep, "/") + "/" if parent != top else ""
        for name in sorted(names):
            path = os.path.join(parent, name)  # str(Path(parent, name)): how load.py names it
            content = of(path)
            if seen is not None:
                seen[path] = content
            entries.append(digest((prefix + name).encode(), content))
    return digest(*entries)


LEAVES = (Ref, PartialDate)  # records of plain values only: their repr is all of them


def ref_repr(ref: Ref) -> str:
    """repr(ref), without the dataclass repr's guard against recursion (a Ref holds only text and a number)."""
    return f"Ref(id={ref.id!r}, path={ref.path!r}, line={ref.line!r})"


def refs_repr(refs: tuple[Ref, ...]) -> bytes:
    """repr(refs).encode() for a tuple of Refs."""
    if len(refs) == 1:
        return f"({ref_repr(refs[0])},)".encode()
    return f"({', '.join(map(ref_repr, refs))})".encode()


class Undigestable(Exception):
    """A value whose digest would not be stable between runs: its page is always rendered."""


class Digester:
    """Stable digests of page inputs; a record seen twice is digested once.

    `parts` encodes the scalars of a container or record in line (the same bytes as `__call__` gives them) and
    calls back only for the rest: most of a page's values are text and numbers, and a call per value was most
    of the cost of computing every page's key.
    """

    def __init__(self, link: Callable[[str], Any], media: Callable[[str], Any] = lambda src: None):
        self.link = link  # id → what a [[ref]] to it renders (a LinkTarget, or None)
        self.media = media  # an image's src → its file (a MediaFile: name, digest, size), or None
        self.memo: dict[int, tuple[object, bytes]] = {}  # records (and leaf records): each digested once
        self.fields: dict[type, tuple[str, ...]] = {}
        self.getters: dict[type, Callable[[Any], tuple[Any, ...]]] = {}  # a record's field values, in order
        self.targets: dict[str, str] = {}  # id → repr((id, its link))

    def __call__(self, value: Any) -> bytes:
        """A digest (containers, records) or a self-delimiting encoding (scalars) of value."""
        kind = type(value)
        if kind is str:
            data: bytes = value.encode("utf-8", "surrogatepass")
            if "[[" in value or "![" in value:
                found = b"s%d:" % len(data) + data
                if "[[" in value:
                    found += self.links(m.group(1).strip() for m in REF_RE.finditer(value))
                return found + self.images(shown_in(value)) if "![" in value else found
            return b"s%d:" % len(data) + data
        if value is None or kind is bool or kind is int or kind is float:
            scalar = repr(value).encode()
            return b"v%d:" % len(scalar) + scalar
        if kind is tuple or kind is list:
            return blake2b(b"\x1f".join([b"l" if kind is list else b"t", *self.parts(value)]), digest_size=16).digest()
        hit = self.memo.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        if kind in self.fields:
            return self.record(value)
        if kind is Markup:
            return b"m" + self(str(value))
        if kind is dict:
            return digest(b"d", *map(bytes.__add__, self.parts(value.keys()), self.parts(value.values())))
        if kind is set or kind is frozenset:
            return digest(b"e", *sorted(map(self, value)))
        if kind in LEAVES or isinstance(value, (enum.Enum, datetime.date)):
            found = digest(b"r", kind.__qualname__.encode(), (ref_repr(value) if kind is Ref else repr(value)).encode())
            if kind in LEAVES:  # frozen records of plain values, held by the site: each one's repr made once
                self.memo[id(value)] = (value, found)
            return found
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = self.fields[kind] = tuple(f.name for f in dataclasses.fields(value))
            getter = operator.attrgetter(*names) if names else (lambda _value: ())
            self.getters[kind] = getter if len(names) != 1 else (lambda value: (getter(value),))
            return self.record(value)
        raise Undigestable(kind.__qualname__)

    def parts(self, values: Iterable[Any]) -> list[bytes]:
        """[self(v) for v in values], with text without `[[`, numbers and records seen before encoded here."""
        found = []
        memo = self.memo
        for value in values:
            kind = type(value)
            if kind is str:
                if "[[" in value or "![" in value:
                    found.append(self(value))
                else:
                    data = value.encode("utf-8", "surrogatepass")
                    found.append(b"s%d:" % len(data) + data)
            elif kind is float or kind is int or value is None or kind is bool:
                scalar = repr(value).encode()
                found.append(b"v%d:" % len(scalar) + scalar)
            else:
                hit = memo.get(id(value))  # a record digested before (the id of a live object: never a tuple's)
                found.append(hit[1] if hit is not None and hit[0] is value else self(value))
        return found

    def links(self, ids: Iterable[str]) -> bytes:
        """repr([(id, its link), ...]) in id order, each pair's repr made once."""
        pairs = []
        for i in sorted(set(ids)):
            pair = self.targets.get(i)
            if pair is None:
                pair = self.targets[i] = repr((i, self.link(i)))
            pairs.append(pair)
        text = f"[{', '.join(pairs)}]".encode()
        return b"k%d:" % len(text) + text

    def images(self, srcs: Iterable[str]) -> bytes:
        """repr([(src, its file), ...]): the variants' names and sizes the HTML of an image shows."""
        text = repr([(src, self.media(src)) for src in srcs]).encode()
        return b"i%d:" % len(text) + text

    def record(self, value: Any) -> bytes:
        kind = type(value)
        if kind is Image:  # its picture's variants: of the file as it is now
            found = digest(b"I", *self.parts(self.getters[kind](value)), self.images([value.src]))
        elif kind is Text:  # its HTML shows the names and URLs of what it links to; its refs are plain values
            found = digest(b"T", self(value.source), self(value.path), self(value.line), refs_repr(value.refs),
                           self.links(ref.id for ref in value.refs))  # fmt: skip
        else:
            parts = self.parts(self.getters[kind](value))
            found = blake2b(
                b"\x1f".join([b"c", kind.__module__.encode(), kind.__qualname__.encode(), *parts]), digest_size=16
            ).digest()  # digest(), without a call
        self.memo[id(value)] = (value, found)
        return found
