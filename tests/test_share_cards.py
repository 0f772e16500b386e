"""Share cards are PNGs written from a backdrop and a band of rows (bandpng.py): every decoder must read them
as the picture drawn, whatever rows the title reaches."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from PIL import Image, ImageDraw

from explainer import bandpng, sharecards
from explainer.sharecards import ShareCard

LONG = "Will the ceasefire talks over the disputed border hold this winter? "
PERSIAN = "آیا ناتو گسترش به شرق را متوقف می‌کند؟ بی‌طرفی اوکراین در عمل چه شکلی خواهد داشت"
CARDS = [
    ShareCard("Explainer", "Will NATO stop expanding east?", "Status: deadlocked", "en"),
    ShareCard("Explainer", "Sanctions", None, "en"),
    ShareCard("Explainer", LONG * 3, "Status: active", "en"),
    ShareCard("توضیح", PERSIAN, "وضعیت: بن‌بست", "fa"),
    ShareCard("Explainer", "Ǻ̈̈̈̈̈ stacked marks reach above the line, and ̧̧̧̧̧ below it", None, "en"),
]


def drawn_in_one_piece(card: ShareCard) -> bytes:
    """The card's grey levels drawn on one new image, everything in turn (the code before backdrops)."""
    rtl, options = sharecards.layout(card.language)
    canvas = Image.new("L", (1200, 630), 0)
    pen = ImageDraw.Draw(canvas)
    pen.rectangle((0, 0, 1200, 18), fill=sharecards.ACCENT_LEVEL)
    x, anchor = (1200 - sharecards.MARGIN, "ra") if rtl else (sharecards.MARGIN, "la")
    pen.text((x, 70), card.site, font=sharecards.font(False, 30), fill=sharecards.MUTED_LEVEL, anchor=anchor,
             **options)  # fmt: skip
    face = sharecards.font(True, 60)
    lines = sharecards.lines_of(card.title, lambda text: face.getlength(text, **options), 1040, 4)
    for number, line in enumerate(lines):
        pen.text((x, 150 + 75 * number), line, font=face, fill=sharecards.INK_LEVEL, anchor=anchor, **options)
    if card.status:
        pen.text((x, 540), card.status, font=sharecards.font(True, 30), fill=sharecards.ACCENT_LEVEL,
                 anchor=anchor, **options)  # fmt: skip
    return canvas.tobytes()


def idat(data: bytes) -> bytes:
    """The PNG's image data (one IDAT chunk), its CRC checked."""
    at = data.index(b"IDAT") - 4
    (length,) = struct.unpack(">I", data[at : at + 4])
    body = data[at + 4 : at + 8 + length]
    assert struct.unpack(">I", data[at + 8 + length : at + 12 + length])[0] == zlib.crc32(body)
    return body[4:]


@pytest.mark.parametrize("card", CARDS, ids=["ltr", "short", "cut", "rtl", "marks"])
def test_a_card_decodes_to_the_picture_drawn(card: ShareCard) -> None:
    data = sharecards.draw(card)
    expected = drawn_in_one_piece(card)
    rows = zlib.decompress(idat(data))  # zlib checks the stream's Adler-32
    assert rows == b"".join(b"\0" + expected[y * 1200 : (y + 1) * 1200] for y in range(630))
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.mode, image.size) == ("PNG", "P", (1200, 630))
        assert image.tobytes() == expected
        image.convert("RGB")  # the palette is whole
    assert sharecards.draw(card) == data


def test_rows_changed_outside_the_band_are_written_too() -> None:
    rng = random.Random(5)
    width, height = 40, 30
    raw = bytes(rng.choice((0, 0, 0, 7, 200)) for _ in range(width * height))
    backdrop = bandpng.Backdrop(raw, (width, height), list(range(256)) * 3)
    for start, end, changed in ((10, 20, 15), (10, 20, 3), (10, 20, 25), (0, 30, 0), (5, 5, 29), (0, 0, 0)):
        picture = bytearray(raw)
        picture[changed * width + 7] ^= 0xFF
        data = backdrop.png(bytes(picture), start, end)
        with Image.open(io.BytesIO(data)) as image:
            assert image.tobytes() == bytes(picture), (start, end, changed)
        zlib.decompress(idat(data))


def test_adler32_of_two_pieces() -> None:
    rng = random.Random(3)
    for _ in range(300):
        first = rng.randbytes(rng.randrange(0, 200))
        second = rng.randbytes(rng.randrange(0, 200)) * rng.randrange(1, 700)
        assert bandpng.adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second)) == zlib.adler32(
            first + second
        )


def test_a_card_s_name_follows_its_encoding() -> None:
    assert "zlib=" in sharecards.design() and len(sharecards.design().split("[")[1].split(",")) == 4


@pytest.mark.parametrize("card", [*CARDS, ShareCard("It's \"quoted\"", "Back\\slash 'and' \u00e9", None, "fr")])
def test_a_card_s_name_is_the_digest_of_its_repr_and_the_design(card: ShareCard) -> None:
    """The name is written out by hand for speed: it must stay the digest of repr((card, design())), so the
    same card keeps its name (and a deploy its file)."""
    import hashlib

    expected = hashlib.sha256(repr((card, sharecards.design())).encode()).hexdigest()[:16]
    assert card.path == f"share/{expected}.png"
