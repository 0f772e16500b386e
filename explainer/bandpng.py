"""A PNG of a grey-level image coloured by a palette, written from a backdrop: the rows above and below the band
that changed are the backdrop's, compressed once per process, and only the band's rows are compressed per image.
A share card (sharecards.py) differs from its backdrop (the bar, the site's name, the status) only where its title
is, so this compresses ~40 % of its rows instead of all of them (docs/performance.md#images).

The deflate stream is pieces compressed apart, each ended by a sync flush (byte-aligned, no reference into
another piece), then an empty final block: RFC 1951 allows any sequence of blocks, so decoders read it as one
stream. Each row is filtered with PNG's filter 0 (none): a card's rows are mostly background, where the
adaptive filters gain nothing."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZLIB_HEADER = b"\x78\x01"  # deflate, 32 KiB window, the fastest level's flag (FLEVEL only informs)
FINAL_BLOCK = b"\x03\x00"  # an empty final block (fixed Huffman codes, end of block at once)
BAND_LEVEL, BACKDROP_LEVEL = 1, 9
ADLER_BASE = 65521  # a band each image (fast), the backdrop's pieces once (small)


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def filtered(raw: bytes | memoryview, width: int, start: int, end: int) -> bytes:
    """Rows start to end of raw (one byte a pixel) as PNG scanlines: each after its filter byte 0."""
    view = memoryview(raw)
    return b"".join(b"\0" + view[row * width : (row + 1) * width] for row in range(start, end))


def piece(data: bytes, level: int) -> bytes:
    """data as deflate blocks that end byte-aligned and refer to nothing before them."""
    engine = zlib.compressobj(level, zlib.DEFLATED, -15)
    return engine.compress(data) + engine.flush(zlib.Z_SYNC_FLUSH)


class Backdrop:
    """The rows every image drawn over it shares outside its band, and the PNG header of them all."""

    def __init__(self, raw: bytes, size: tuple[int, int], palette: Sequence[int]):
        self.raw, (self.width, self.height) = raw, size
        self.head = SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", self.width, self.height, 8, 3, 0, 0, 0))
        self.head += chunk(b"PLTE", bytes(palette))
        self.tops: dict[int, tuple[bytes, bytes, int]] = {}  # rows 0 to n: as pixels, compressed, their Adler-32
        self.bottoms: dict[int, tuple[bytes, bytes, int, int]] = {}  # rows n to the end: the same, and the length

    def top(self, end: int) -> tuple[bytes, bytes, int]:
        if end not in self.tops:
            rows = filtered(self.raw, self.width, 0, end)
            self.tops[end] = (self.raw[: end * self.width], piece(rows, BACKDROP_LEVEL), zlib.adler32(rows))
        return self.tops[end]

    def bottom(self, start: int) -> tuple[bytes, bytes, int, int]:
        if start not in self.bottoms:
            rows = filtered(self.raw, self.width, start, self.height)
            self.bottoms[start] = (self.raw[start * self.width :], piece(rows, BACKDROP_LEVEL), zlib.adler32(rows),
                                   len(rows))  # fmt: skip
        return self.bottoms[start]

    def png(self, raw: bytes, start: int, end: int) -> bytes:
        """The PNG of raw (this backdrop's size, one palette index a pixel), which should differ from the
        backdrop only in rows start to end; where it differs outside them too, every row is compressed."""
        if not (raw.startswith(self.top(start)[0]) and raw.endswith(self.bottom(end)[0])):
            start, end = 0, self.height
        _, top, checksum = self.top(start)
        band = filtered(raw, self.width, start, end)
        _, bottom, tail, length = self.bottom(end)
        checksum = adler32_combine(adler32_combine(checksum, zlib.adler32(band), len(band)), tail, length)
        stream = ZLIB_HEADER + top + piece(band, BAND_LEVEL) + bottom + FINAL_BLOCK + struct.pack(">I", checksum)
        return self.head + chunk(b"IDAT", stream) + chunk(b"IEND", b"")


def adler32_combine(first: int, second: int, length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from each one's and the second's length (zlib's
    adler32_combine, which Python's zlib module lacks)."""
    rem = length % ADLER_BASE
    low = first & 0xFFFF
    high = (rem * low + (first >> 16) + (second >> 16) + ADLER_BASE - rem) % ADLER_BASE
    low = (low + (second & 0xFFFF) + ADLER_BASE - 1) % ADLER_BASE
    return low | high << 16
