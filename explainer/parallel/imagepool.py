"""The image files a build writes beside its pages: each page's share card (sharecards.py) and each shown
image's variants (pictures.py), kept where the output holds them, else taken from the store, else made, over
forked workers when there are many."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from .. import pictures
from ..hostfiles import absolute_base
from ..link import Site
from ..mediafiles import MediaFile
from ..pages import PageSpec
from ..pictures import VariantStore, variant_files
from ..sharecards import ShareCard, draw, share_cards
from .forks import Workers, can_fork
from .pagepool import PARALLEL_MIN

CARDS_PER_TASK = 32  # share cards a drawing worker gets at once


def shares_of(base_url: str, store: VariantStore | None,
              jobs: int = 1) -> Callable[[Site, list[PageSpec]], dict[str, bytes]]:  # fmt: skip
    """share_files() for another language's site (multilingual.py): every card's bytes, by its path."""

    def shares(site: Site, pages: list[PageSpec]) -> dict[str, bytes]:
        made = share_files(site, pages, base_url, store, jobs=jobs)
        return {path: data for path, data in made if data is not None}

    return shares


def share_files(site: Site, pages: list[PageSpec], base_url: str, store: VariantStore | None,
                have: Callable[[str], bool] = lambda path: False,
                jobs: int = 1) -> Iterator[tuple[str, bytes | None]]:  # fmt: skip
    """Every page's share card (sharecards.py), when base_url names a host: None where have() says the output
    holds it, else from store, else drawn (over jobs forked workers when there are many) and put in store."""
    held, others = listed_cards(site, pages, base_url, have)
    yield from ((path, None) for path in held)
    yield from made_cards(others, store, jobs)


def listed_cards(site: Site, pages: list[PageSpec], base_url: str,
                 have: Callable[[str], bool]) -> tuple[list[str], list[ShareCard]]:  # fmt: skip
    """The paths of the share cards have() says the output holds, and the other cards, in order."""
    if absolute_base(base_url) is None:
        return [], []
    held, others = [], []
    for path, card in sorted(share_cards(site, pages).items()):
        if have(path):
            held.append(path)
        else:
            others.append(card)
    return held, others


def made_cards(cards: list[ShareCard], store: VariantStore | None, jobs: int) -> Iterator[tuple[str, bytes]]:
    """Each card's bytes: from store, else drawn (over jobs forked workers when there are many) and put there."""
    missing = []
    for card in cards:
        data = store.get(card.path) if store is not None else None
        if data is None:
            missing.append(card)
        else:
            yield card.path, data
    for card, data in zip(missing, drawn(missing, jobs), strict=True):
        if store is not None:
            store.put(card.path, data)
        yield card.path, data


def drawn(cards: list[ShareCard], jobs: int) -> Iterator[bytes]:
    """Each card's PNG, in order: in this process, or over jobs forked workers for many."""
    if jobs > 1 and len(cards) >= PARALLEL_MIN and can_fork():
        with Workers(draw, jobs) as workers:  # ~2 ms a card: sent 32 at a time, not one round trip each
            yield from workers.imap(cards, CARDS_PER_TASK)
    else:
        yield from map(draw, cards)


def picture_files(site: Site, used: set[str], store: VariantStore | None,
                  have: Callable[[str], bool] = lambda path: False,
                  jobs: int = 1) -> Iterator[tuple[str, bytes | None]]:  # fmt: skip
    """Every variant of every image shown (pictures.py): from the output (None) where have() says it holds the
    file, else from store, else made (and put in store)."""
    return variant_files(site.media, used, store, lambda files: made_variants(files, jobs), have)


def made_variants(files: list[MediaFile], jobs: int) -> Iterator[dict[str, bytes]]:
    """Each image's variants, in order: in this process, or over jobs forked workers for four or more."""
    if jobs > 1 and len(files) >= 4 and can_fork():  # a pool costs ~0.1 s to start, an image ~0.5 s
        with Workers(variants_of, jobs) as workers:
            yield from workers.imap(files)
    else:
        yield from map(variants_of, files)


def variants_of(file: MediaFile) -> dict[str, bytes]:
    return pictures.make_variants(file, Path(file.path).read_bytes())
