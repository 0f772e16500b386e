"""Draw the example explainer's pictures (content/media/), CC0 by the project: a schematic map of NATO's eastern
flank and two drawings. Run from the repository's root: `python scripts/draw_example_pictures.py`.

The borders are simplified by hand to a few dozen points each: a picture to orient a reader, not a survey."""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

MEDIA = Path(__file__).resolve().parent.parent / "content" / "media"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SCALE = 2  # drawn at twice the size, then reduced: smooth edges

# (longitude, latitude) outlines, simplified
UKRAINE = [(22.1, 48.4), (22.6, 49.1), (23.6, 51.5), (25.0, 51.9), (27.8, 51.6), (30.6, 51.3), (32.2, 52.1),
           (34.4, 51.7), (35.4, 50.6), (38.2, 50.0), (40.1, 49.6), (39.7, 47.8), (38.2, 47.1), (36.6, 46.7),
           (35.2, 46.1), (35.4, 45.3), (36.5, 45.4), (35.0, 44.8), (33.5, 44.4), (32.5, 45.4), (33.6, 46.1),
           (31.7, 46.6), (30.8, 46.5), (29.7, 45.3), (28.2, 45.5), (28.9, 46.4), (29.9, 46.8), (29.2, 47.9),
           (27.5, 48.5), (26.6, 48.3), (24.9, 47.7), (22.9, 47.9)]  # fmt: skip
BELARUS = [(23.2, 52.2), (23.5, 53.9), (25.5, 54.3), (26.6, 55.7), (28.2, 56.1), (30.9, 55.6), (31.8, 54.0),
           (32.7, 53.3), (32.2, 52.1), (30.6, 51.3), (27.8, 51.6), (25.0, 51.9), (23.6, 51.5)]  # fmt: skip
POLAND = [(14.1, 53.9), (18.6, 54.8), (19.6, 54.4), (22.8, 54.4), (23.5, 53.9), (23.2, 52.2), (23.6, 51.5),
          (22.6, 49.1), (19.0, 49.4), (15.0, 50.9), (14.6, 51.8)]  # fmt: skip
LITHUANIA = [(21.0, 56.1), (24.0, 56.3), (26.6, 55.7), (25.5, 54.3), (23.5, 53.9), (22.8, 54.4), (21.3, 55.2)]
LATVIA = [(21.0, 56.1), (21.1, 57.0), (22.6, 57.6), (24.3, 57.2), (24.4, 57.9), (25.6, 57.9), (27.3, 57.5),
          (28.2, 56.1), (26.6, 55.7), (24.0, 56.3)]  # fmt: skip
ESTONIA = [(23.5, 58.3), (23.4, 59.2), (28.0, 59.5), (27.4, 58.7), (27.3, 57.5), (25.6, 57.9), (24.4, 57.9)]
KALININGRAD = [(19.6, 54.4), (22.8, 54.4), (21.3, 55.2), (20.0, 54.9)]
MOLDOVA = [(26.6, 48.3), (27.5, 48.5), (29.2, 47.9), (29.9, 46.8), (28.9, 46.4), (28.2, 45.5)]
ROMANIA = [(20.3, 46.1), (22.1, 48.4), (22.9, 47.9), (24.9, 47.7), (26.6, 48.3), (28.2, 45.5), (29.7, 45.3),
           (28.6, 43.7), (27.0, 44.1), (22.7, 44.2), (21.4, 44.8)]  # fmt: skip
RUSSIA = [(28.0, 59.5), (29.5, 59.9), (29.0, 60.6), (42.5, 60.6), (42.5, 42.6), (39.0, 44.0), (37.5, 44.7),
          (38.2, 46.3), (39.3, 47.1), (39.7, 47.8), (40.1, 49.6),
          (38.2, 50.0), (35.4, 50.6), (34.4, 51.7), (32.2, 52.1), (32.7, 53.3), (31.8, 54.0), (30.9, 55.6),
          (28.2, 56.1), (27.3, 57.5), (27.4, 58.7)]  # fmt: skip
BLACK_SEA = [(27.4, 42.6), (28.6, 43.7), (29.7, 45.3), (30.8, 46.5), (31.7, 46.6), (33.6, 46.1), (32.5, 45.4),
             (33.5, 44.4), (35.0, 44.8), (36.5, 45.4), (37.5, 44.7), (39.0, 44.0), (42.5, 42.6)]  # fmt: skip
AZOV = [(35.2, 46.1), (36.6, 46.7), (38.2, 47.1), (39.3, 47.1), (38.2, 46.3), (37.5, 45.2), (36.5, 45.4),
        (35.4, 45.3)]  # fmt: skip
BALTIC_SEA = [(12.5, 54.3), (14.1, 53.9), (18.6, 54.8), (19.6, 54.4), (20.0, 54.9), (21.3, 55.2), (21.0, 56.1),
              (21.1, 57.0), (22.6, 57.6), (23.5, 58.3), (23.4, 59.2), (28.0, 59.5), (29.5, 59.9), (29.0, 60.2),
              (22.0, 60.1), (21.3, 60.6), (18.8, 60.6), (18.3, 59.5), (16.6, 57.5), (16.0, 56.2), (14.2, 55.4),
              (12.5, 55.4)]  # fmt: skip
WEST, EAST, SOUTH, NORTH = 12.5, 42.5, 42.6, 60.6
SEA, LAND, NATO, RUSSIA_BELARUS, UKRAINE_COLOUR, NEUTRAL = (
    "#cfe3f1", "#ecebe4", "#8fb3d9", "#e3a49a", "#f3d77a", "#d6d3c8")
INK = "#1d2733"


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(BOLD if bold else FONT, size * SCALE)


def draw_map(path: Path) -> None:
    width = 1600
    mid = math.radians((SOUTH + NORTH) / 2)
    ratio = (NORTH - SOUTH) / ((EAST - WEST) * math.cos(mid))
    height = round(width * ratio)
    image = Image.new("RGB", (width * SCALE, height * SCALE), LAND)
    draw = ImageDraw.Draw(image)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return ((lon - WEST) / (EAST - WEST) * width * SCALE, (NORTH - lat) / (NORTH - SOUTH) * height * SCALE)

    def shape(points: list[tuple[float, float]], fill: str) -> None:
        draw.polygon([xy(*p) for p in points], fill=fill, outline="#ffffff", width=2 * SCALE)

    for country in (POLAND, LITHUANIA, LATVIA, ESTONIA, ROMANIA):
        shape(country, NATO)
    for country in (RUSSIA, BELARUS, KALININGRAD):
        shape(country, RUSSIA_BELARUS)
    shape(UKRAINE, UKRAINE_COLOUR)
    shape(MOLDOVA, NEUTRAL)
    for sea in (BLACK_SEA, AZOV, BALTIC_SEA):  # over the land: the coasts are the seas' edges
        draw.polygon([xy(*p) for p in sea], fill=SEA)

    k = 1.6  # the map is shown ~640 px wide on a page: its words are drawn large enough to read there

    def label(lon: float, lat: float, text: str, size: int = 26, bold: bool = False, fill: str = INK) -> None:
        draw.text(xy(lon, lat), text, font=font(round(size * k), bold), fill=fill, anchor="mm")

    label(31.2, 49.0, "UKRAINE", 34, True)
    label(37.0, 57.6, "RUSSIA", 38, True)
    label(28.0, 53.2, "BELARUS", 26, True)
    label(19.3, 52.2, "POLAND", 26, True)
    label(26.0, 44.8, "ROMANIA", 22, True)
    label(28.6, 47.4, "MOLDOVA", 11)
    label(24.0, 55.1, "LITHUANIA", 14)
    label(25.0, 56.85, "LATVIA", 14)
    label(25.8, 58.85, "ESTONIA", 14)
    label(21.2, 54.8, "Kaliningrad", 11)
    label(34.0, 45.1, "Crimea", 18)
    label(34.0, 43.6, "Black Sea", 24, fill="#3d6b8f")
    label(18.0, 56.6, "Baltic Sea", 24, fill="#3d6b8f")
    draw.text(xy(30.52, 50.45), "Kyiv ●", font=font(28), fill=INK, anchor="rm")
    draw.text(xy(37.62, 55.75), "● Moscow", font=font(28), fill=INK, anchor="lm")
    # the legend, bottom left
    x0, y0 = 28 * SCALE, (height - 300) * SCALE
    draw.rectangle((x0 - 12 * SCALE, y0 - 14 * SCALE, x0 + 560 * SCALE, y0 + 290 * SCALE), fill="#ffffff")
    entries = [(NATO, "NATO members"), (RUSSIA_BELARUS, "Russia and Belarus"), (UKRAINE_COLOUR, "Ukraine"),
               (NEUTRAL, "Moldova (neutral)")]  # fmt: skip
    for n, (colour, text) in enumerate(entries):
        y = y0 + n * 56 * SCALE
        draw.rectangle((x0, y, x0 + 40 * SCALE, y + 40 * SCALE), fill=colour, outline=INK)
        draw.text((x0 + 56 * SCALE, y + 20 * SCALE), text, font=font(34), fill=INK, anchor="lm")
    draw.text((x0, y0 + 240 * SCALE), "Borders simplified. Crimea:", font=font(24), fill=INK, anchor="lm")
    draw.text((x0, y0 + 272 * SCALE), "annexed by Russia in 2014.", font=font(24), fill=INK, anchor="lm")
    image.resize((width, height), Image.Resampling.LANCZOS).save(path, optimize=True)


def draw_talks(path: Path) -> None:
    """Two delegations facing each other across a long table, flags on it: the Geneva talks, as a drawing."""
    width, height = 1600, 1000
    image = Image.new("RGB", (width * SCALE, height * SCALE), "#e9eef2")
    draw = ImageDraw.Draw(image)
    s = SCALE
    draw.rectangle((0, 620 * s, width * s, height * s), fill="#c9b79c")  # the floor
    draw.rectangle((0, 0, width * s, 90 * s), fill="#d5dde4")
    for x in range(120, 1600, 330):  # tall windows
        draw.rectangle((x * s, 130 * s, (x + 170) * s, 520 * s), fill="#f7fbff", outline="#b8c4ce", width=6 * s)
    draw.rounded_rectangle((260 * s, 520 * s, 1340 * s, 600 * s), 20 * s, fill="#6b4f35")  # the table
    draw.rectangle((300 * s, 600 * s, 330 * s, 760 * s), fill="#5a4029")
    draw.rectangle((1270 * s, 600 * s, 1300 * s, 760 * s), fill="#5a4029")
    for n in range(3):  # three figures a side
        for side, colour in ((0, "#2f4a6d"), (1, "#5c2f2f")):
            x = 360 + n * 140 if side == 0 else 1240 - n * 140
            draw.ellipse(((x - 38) * s, 330 * s, (x + 38) * s, 406 * s), fill="#d9b48f")
            draw.rounded_rectangle(((x - 60) * s, 410 * s, (x + 60) * s, 560 * s), 40 * s, fill=colour)
    # small table flags: stripes only, no emblems
    draw.line((760 * s, 520 * s, 760 * s, 430 * s), fill="#444", width=4 * s)
    for n, colour in enumerate(("#b22234", "#ffffff", "#b22234", "#ffffff", "#b22234")):
        draw.rectangle((762 * s, (430 + n * 10) * s, 830 * s, (440 + n * 10) * s), fill=colour)
    draw.rectangle((762 * s, 430 * s, 790 * s, 456 * s), fill="#3c3b6e")
    draw.line((840 * s, 520 * s, 840 * s, 430 * s), fill="#444", width=4 * s)
    for n, colour in enumerate(("#ffffff", "#0039a6", "#d52b1e")):
        draw.rectangle((842 * s, (430 + n * 16) * s, 910 * s, (446 + n * 16) * s), fill=colour)
    image.resize((width, height), Image.Resampling.LANCZOS).save(path, optimize=True)


def draw_buildup(path: Path) -> None:
    """Rows of armoured vehicles and tents on one side of a border line: the buildup, as a drawing."""
    width, height = 1600, 900
    image = Image.new("RGB", (width * SCALE, height * SCALE), "#dfe6d3")
    draw = ImageDraw.Draw(image)
    s = SCALE
    draw.rectangle((0, 0, width * s, 300 * s), fill="#cddbe6")  # sky
    draw.polygon([(0, 300 * s), (500 * s, 240 * s), (1000 * s, 290 * s), (1600 * s, 230 * s), (1600 * s, 300 * s)],
                 fill="#b7c4a4")  # fmt: skip
    for y in range(310, 900, 40):  # the border: a dashed line across the field
        draw.line((1180 * s, y * s, 1160 * s, (y + 22) * s), fill="#8a2d2d", width=6 * s)
    for row in range(3):
        for n in range(5 - row):
            x, y = 140 + n * 200 + row * 60, 420 + row * 150
            draw.rounded_rectangle((x * s, y * s, (x + 150) * s, (y + 50) * s), 10 * s, fill="#556b3a")
            draw.rounded_rectangle(((x + 35) * s, (y - 30) * s, (x + 105) * s, (y + 5) * s), 10 * s, fill="#4a5e32")
            draw.line(((x + 100) * s, (y - 14) * s, (x + 190) * s, (y - 22) * s), fill="#3f5029", width=8 * s)
            for wheel in range(4):
                cx = x + 22 + wheel * 35
                draw.ellipse(((cx - 14) * s, (y + 40) * s, (cx + 14) * s, (y + 68) * s), fill="#2c3320")
    for n in range(4):  # tents at the back
        x = 120 + n * 230
        draw.polygon([(x * s, 330 * s), ((x + 80) * s, 270 * s), ((x + 160) * s, 330 * s)], fill="#6f7a4c")
    draw.text((1220 * s, 820 * s), "border", font=font(26), fill="#8a2d2d", anchor="lm")
    image.resize((width, height), Image.Resampling.LANCZOS).save(path, optimize=True)


if __name__ == "__main__":
    (MEDIA / "maps").mkdir(parents=True, exist_ok=True)
    draw_map(MEDIA / "maps" / "eastern-flank.png")
    draw_talks(MEDIA / "geneva-talks.png")
    draw_buildup(MEDIA / "troop-buildup.png")
