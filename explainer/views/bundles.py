"""Which search bundle holds which page: the indexed pages (an issue's, an actor's or an event's page) by
language, by section, then by a hash of their id, in the fewest power-of-two buckets of at most
`bundle_size()` pages each (docs/views.md#search). search.py indexes them."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

FOLDER = "pagefind"
MANIFEST = f"{FOLDER}/explainer-bundles.json"
BUNDLE_PAGES = 500  # measured at 5,000 cards: ~0.3 s and 50 MB per 300 issue pages; the edit of a card redoes one
# (250 halves that wait but makes the search page merge 56 bundles, not 28: +53-64 %, docs/performance.md)
SIZE_VARIABLE = "EXPLAINER_SEARCH_BUNDLE_PAGES"  # hidden: smaller bundles for tests
INDEXED = re.compile(r"((?:[^/]+/)?)(issues|actors|events)/([^/]+)/index\.html")  # language prefix, section, id


def bundle_size() -> int:
    """The most pages a bundle holds."""
    try:
        return max(1, int(os.environ.get(SIZE_VARIABLE, "")))
    except ValueError:
        return BUNDLE_PAGES


@dataclass(frozen=True, slots=True)
class Bundle:
    name: str
    pages: tuple[str, ...]  # output paths, sorted
    primary: bool  # the first of its language's bundles
    prefix: str = ""  # the language's site's folder (`es/`; the default language's is the root's, ``)

    @property
    def folder(self) -> str:
        return f"{self.prefix}{FOLDER}/{self.name}"

    @property
    def key(self) -> str:
        """The bundle's name among every language's: `issues-0`, `es/issues-0`."""
        return self.prefix + self.name


def bucket_of(page_id: str) -> int:
    """A page's place on a 32-bit ring: a bundle is a range of it, so doubling the count splits each in two."""
    return int.from_bytes(hashlib.sha256(page_id.encode("utf-8")).digest()[:4], "big")


def split(ids: list[tuple[int, str]], size: int) -> list[list[str]]:
    """The pages (hash, path) in the fewest power-of-two buckets of at most size pages each."""
    count = 1
    while True:
        buckets: list[list[str]] = [[] for _ in range(count)]
        for point, path in ids:
            buckets[point * count >> 32].append(path)
        if count >= len(ids) or max(len(bucket) for bucket in buckets) <= size:
            return buckets
        count *= 2


def plan_bundles(paths: Iterable[str], size: int) -> list[Bundle]:
    """The bundles of the indexed pages among paths: by language (a site in several has one index per
    language, in `<lang>/pagefind/`, so each language's search page searches its own pages), by section, then
    by the hash of the id."""
    sections: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for path in paths:
        match = INDEXED.fullmatch(path)
        if match:
            sections.setdefault((match[1], match[2]), []).append((bucket_of(match[3]), path))
    named: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for prefix, section in sorted(sections):
        buckets = split(sections[prefix, section], size)
        width = len(str(len(buckets) - 1))
        named.setdefault(prefix, []).extend(
            (f"{section}-{n:0{width}d}", tuple(sorted(b))) for n, b in enumerate(buckets) if b
        )
    return [Bundle(name, pages, n == 0, prefix) for prefix in sorted(named)
            for n, (name, pages) in enumerate(sorted(named[prefix]))]  # fmt: skip


def languages_of(bundles: list[Bundle]) -> dict[str, list[Bundle]]:
    """The bundles by language prefix, each language's primary bundle first."""
    found: dict[str, list[Bundle]] = {}
    for bundle in bundles:
        found.setdefault(bundle.prefix, []).append(bundle)
    return found


def manifest(bundles: list[Bundle]) -> bytes:
    """pagefind/explainer-bundles.json: the bundles' folders relative to it, the primary first."""
    return (json.dumps({"bundles": [f"{b.name}/" for b in bundles]}, indent=1) + "\n").encode("utf-8")
