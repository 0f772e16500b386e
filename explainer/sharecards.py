"""The image a link preview shows (`og:image`, `twitter:image`, JSON-LD `image`): the page's own picture where its
card, actor or event has one, else a share card drawn here, 1200 × 630 PNG: the site's name, the page's title
and, for a card, its status. A card is named by a digest of what it shows and of the design, so a name always
holds the same bytes and is drawn once (the build cache and serve keep them like image variants)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import PIL
from PIL import Image, ImageDraw, ImageFont, features

from .languages import direction
from .link import Site
from .model import Actor, Event, Issue
from .pages import PageSpec
from .pictures import variants

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
# The design: a light page, a bar of the theme's accent colour, the site's name small, the title large and bold.
BACKGROUND, INK, ACCENT = (245, 244, 240), (26, 26, 26), (179, 38, 30)
INK_LEVEL, MUTED_LEVEL, ACCENT_LEVEL = 239, 150, 250  # grey levels drawn, coloured by the palette (below)
FONT_FOLDERS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
TITLE_SIZE, TITLE_LINES, SITE_SIZE, STATUS_SIZE = 60, 4, 30, 30
COMPRESS = 1  # zlib level: 6 takes 2.5× as long (4.2 ms against 1.7) for files a quarter smaller


@dataclass(frozen=True, slots=True)
class ShareCard:
    site: str
    title: str
    status: str | None  # "Status: deadlocked", in the site's language
    language: str

    @property
    def path(self) -> str:
        mark = hashlib.sha256(repr((self, design())).encode()).hexdigest()[:16]
        return f"share/{mark}.png"


@dataclass(frozen=True, slots=True)
class ShareImage:
    """What a page's head says of its preview image."""

    path: str  # from the site's root
    width: int
    height: int
    alt: str


@cache
def fonts() -> tuple[str | None, str | None]:
    """The regular and bold DejaVu Sans files (Latin, Greek, Cyrillic, Arabic, Hebrew ...), or None each."""
    found = []
    for name in (REGULAR, BOLD):
        found.append(next((str(Path(d, name)) for d in FONT_FOLDERS if Path(d, name).is_file()), None))
    return found[0], found[1]


@cache
def design() -> str:
    """Everything besides a card's text that its bytes depend on: this module's code (its layout and colours),
    the fonts, whether text is shaped, and Pillow's version."""
    digests = [hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]]
    for path in fonts():
        digests.append(hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12] if path else "built-in")
    return f"v1 {BACKGROUND}{INK}{ACCENT} {digests} raqm={features.check('raqm')} {PIL.__version__}"


def font(bold: bool, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = fonts()[1 if bold else 0]
    if path is None:
        return ImageFont.load_default(size)
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(path, size, layout_engine=engine)


def page_entity(site: Site, page: PageSpec) -> Issue | Actor | Event | None:
    if page.kind not in ("issue", "actor", "event"):
        return None
    entity = site.entities.get(page.url.split("/")[1])
    return entity if isinstance(entity, Issue | Actor | Event) else None


def share_image(site: Site, page: PageSpec) -> ShareImage | None:
    """A page's preview image: its entity's own picture (the largest variant in the image's own format, which
    every network reads), else its share card; None for the 404 page."""
    if page.kind == "404":
        return None
    entity = page_entity(site, page)
    image = entity.image if entity is not None else None
    file = site.media.get(image.src) if image is not None else None
    if image is not None and file is not None:
        largest = variants(file)[-1]
        return ShareImage(largest.path, largest.width, largest.height, image.alt or "")
    return ShareImage(share_card(site, page, entity).path, WIDTH, HEIGHT, page.title)


def share_card(site: Site, page: PageSpec, entity: Issue | Actor | Event | None) -> ShareCard:
    """The card of a page without a picture of its own: every page but the 404 page has one (~8 ms of one core
    each, drawn once: the build cache and serve keep them; docs/performance.md#images). The home page's title is
    the site's name; a card's page adds its status."""
    title = site.config.title if page.kind == "home" else page.title
    status = entity.status if isinstance(entity, Issue) else None
    label = site.words.gettext("Status: %(status)s") % {"status": status} if status else None
    return ShareCard(site.config.title, title, label, site.config.language)


def share_cards(site: Site, pages: list[PageSpec]) -> dict[str, ShareCard]:
    """The share card of every page that shows one, by its path."""
    found: dict[str, ShareCard] = {}
    for page in pages:
        shown = share_image(site, page)
        if shown is not None and shown.path.startswith("share/"):
            entity = page_entity(site, page)
            card = share_card(site, page, entity)
            found[card.path] = card
    return found


def lines_of(text: str, face: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int, most: int,
             options: dict[str, Any]) -> list[str]:  # fmt: skip
    """text broken into at most `most` lines no wider than width (the last cut with an ellipsis); each word is
    measured once (a line's width: its words' and spaces')."""
    space = face.getlength(" ", **options)
    lines: list[list[str]] = []
    used = 0.0
    for word in text.split():
        size = face.getlength(word, **options)
        if lines and used + space + size <= width:
            lines[-1].append(word)
            used += space + size
        else:
            lines.append([word])
            used = size
    shown = [" ".join(words) for words in lines[:most]]
    if len(lines) > most:
        shown[-1] += " …"
    return shown


def draw(card: ShareCard) -> bytes:
    """The card's PNG: drawn in grey levels, then coloured by a palette (a third of the bytes and time of RGB)."""
    rtl = direction(card.language) == "rtl"
    options: dict[str, Any] = {}
    if features.check("raqm"):  # shaped (Arabic letters joined) and laid out right to left
        options = {"direction": "rtl" if rtl else "ltr", "language": card.language}
    canvas = Image.new("L", (WIDTH, HEIGHT), 0)
    pen = ImageDraw.Draw(canvas)
    pen.rectangle((0, 0, WIDTH, 18), fill=ACCENT_LEVEL)
    x, anchor = (WIDTH - MARGIN, "ra") if rtl else (MARGIN, "la")
    pen.text((x, 70), card.site, font=font(False, SITE_SIZE), fill=MUTED_LEVEL, anchor=anchor, **options)
    face = font(True, TITLE_SIZE)
    y = 150
    for line in lines_of(card.title, face, WIDTH - 2 * MARGIN, TITLE_LINES, options):
        pen.text((x, y), line, font=face, fill=INK_LEVEL, anchor=anchor, **options)
        y += round(TITLE_SIZE * 1.25)
    if card.status:
        pen.text((x, HEIGHT - 90), card.status, font=font(True, STATUS_SIZE), fill=ACCENT_LEVEL, anchor=anchor,
                 **options)  # fmt: skip
    coloured = Image.frombytes("P", canvas.size, canvas.tobytes())
    coloured.putpalette(palette())
    out = io.BytesIO()
    coloured.save(out, "PNG", compress_level=COMPRESS)
    return out.getvalue()


@cache
def palette() -> list[int]:
    """Grey level → colour: 0 the background to INK_LEVEL the ink, in a straight line; above it, the accent
    (antialiased accent text's edges run from the background towards ink: they read as a darker edge)."""
    colours: list[int] = []
    for level in range(256):
        if level > INK_LEVEL:
            colours.extend(ACCENT)
            continue
        share = level / INK_LEVEL
        colours.extend(round(b + (i - b) * share) for b, i in zip(BACKGROUND, INK, strict=True))
    return colours
