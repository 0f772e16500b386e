"""The image a link preview shows (`og:image`, `twitter:image`, JSON-LD `image`): the page's own picture where its
card, actor or event has one, else a share card drawn here, 1200 × 630 PNG: the site's name, the page's title
and, for a card, its status. A card is named by a digest of what it shows and of the design, so a name always
holds the same bytes and is drawn once (the build cache and serve keep them like image variants)."""

from __future__ import annotations

import functools
import hashlib
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import PIL
from PIL import Image, ImageDraw, ImageFont, features

from . import bandpng
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
TITLE_TOP, LINE_HEIGHT = 150, round(TITLE_SIZE * 1.25)
MARKS = 6  # rows above a line's ascent and below its descent where the title's marks may reach


canvases = threading.local()  # each thread's card canvas (picture())


@dataclass(frozen=True, slots=True)
class ShareCard:
    site: str
    title: str
    status: str | None  # "Status: deadlocked", in the site's language
    language: str

    @property
    def path(self) -> str:
        """share/<digest>.png, the digest of repr((self, design())), written out here: the dataclass's own repr
        takes twice the time, and every page's card is named on every build (8,785 at 5,000 cards)."""
        named = (f"(ShareCard(site={self.site!r}, title={self.title!r}, status={self.status!r}, "
                 f"language={self.language!r}), {design_repr()})")  # fmt: skip
        return f"share/{hashlib.sha256(named.encode()).hexdigest()[:16]}.png"


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
    """Everything besides a card's text that its bytes depend on: this module's code (its layout and colours)
    and bandpng's (its encoding), the fonts, whether text is shaped, Pillow's version and zlib's."""
    digests = [hashlib.sha256(Path(code).read_bytes()).hexdigest()[:12] for code in (__file__, bandpng.__file__)]
    for path in fonts():
        digests.append(hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12] if path else "built-in")
    return (f"v2 {BACKGROUND}{INK}{ACCENT} {digests} raqm={features.check('raqm')} {PIL.__version__} "
            f"zlib={zlib.ZLIB_RUNTIME_VERSION}")  # fmt: skip


@cache
def design_repr() -> str:
    return repr(design())


@cache
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
    shown = preview_of(site, page)
    if shown is None or isinstance(shown, ShareImage):
        return shown
    return ShareImage(shown.path, WIDTH, HEIGHT, page.title)


def preview_of(site: Site, page: PageSpec) -> ShareImage | ShareCard | None:
    """A page's entity's own picture, else the page's share card; None for the 404 page."""
    if page.kind == "404":
        return None
    entity = page_entity(site, page)
    image = entity.image if entity is not None else None
    file = site.media.get(image.src) if image is not None else None
    if image is not None and file is not None:
        largest = variants(file)[-1]
        return ShareImage(largest.path, largest.width, largest.height, image.alt or "")
    return share_card(site, page, entity)


def share_card(site: Site, page: PageSpec, entity: Issue | Actor | Event | None) -> ShareCard:
    """The card of a page without a picture of its own: every page but the 404 page has one (~2 ms of one core
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
        shown = preview_of(site, page)  # the card made and its path hashed once a page (8,785 at 5,000 cards)
        if isinstance(shown, ShareCard):
            found[shown.path] = shown
    return found


def lines_of(text: str, length: Callable[[str], float], width: int, most: int) -> list[str]:
    """text broken into at most `most` lines no wider than width (the last cut with an ellipsis); a line's
    width is its words' and spaces' lengths."""
    space = length(" ")
    lines: list[list[str]] = []
    used = 0.0
    for word in text.split():
        size = length(word)
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


@lru_cache(maxsize=8192)
def title_length(word: str, language: str) -> float:
    """A word's length in the title's face, shaped for language: a site's titles share most of their words."""
    return font(True, TITLE_SIZE).getlength(word, **layout(language)[1])


def draw(card: ShareCard) -> bytes:
    """The card's PNG: its title drawn in grey levels over its backdrop, coloured by a palette (a third of the
    bytes and time of RGB); only the title's rows are compressed (bandpng.py)."""
    backdrop = backdrop_of(card.site, card.language, card.status)
    canvas, (start, end) = picture(card, backdrop.image)
    return backdrop.png.png(canvas.tobytes(), start, end)


def picture(card: ShareCard, under: Image.Image) -> tuple[Image.Image, tuple[int, int]]:
    """The card in grey levels: its title drawn over under, its backdrop, in this thread's canvas (used again for
    the next card: a new 1200 × 630 image each time costs more in page faults than the drawing); and the rows the
    title touches (from its first line's top to its last line's descent, and a few for marks drawn beyond them)."""
    rtl, options = layout(card.language)
    canvas = getattr(canvases, "canvas", None)
    if canvas is None:
        canvas = canvases.canvas = Image.new("L", (WIDTH, HEIGHT))
    canvas.paste(under)
    pen = ImageDraw.Draw(canvas)
    x, anchor = (WIDTH - MARGIN, "ra") if rtl else (MARGIN, "la")
    face = font(True, TITLE_SIZE)
    y = TITLE_TOP
    length = functools.partial(title_length, language=card.language)
    for line in lines_of(card.title, length, WIDTH - 2 * MARGIN, TITLE_LINES):
        pen.text((x, y), line, font=face, fill=INK_LEVEL, anchor=anchor, **options)
        y += LINE_HEIGHT
    ascent, descent = face.getmetrics() if isinstance(face, ImageFont.FreeTypeFont) else (TITLE_SIZE, TITLE_SIZE)
    return canvas, (TITLE_TOP - MARKS, min(y - LINE_HEIGHT + ascent + descent + MARKS, HEIGHT))


@dataclass(frozen=True, slots=True)
class Backdrop:
    image: Image.Image  # grey levels
    png: bandpng.Backdrop


@lru_cache(maxsize=16)
def backdrop_of(site: str, language: str, status: str | None) -> Backdrop:
    """What cards of one site, language and status share: the accent bar, the site's name and the status; drawn
    once per process (a site has a few statuses in each language)."""
    rtl, options = layout(language)
    canvas = Image.new("L", (WIDTH, HEIGHT), 0)
    pen = ImageDraw.Draw(canvas)
    pen.rectangle((0, 0, WIDTH, 18), fill=ACCENT_LEVEL)
    x, anchor = (WIDTH - MARGIN, "ra") if rtl else (MARGIN, "la")
    pen.text((x, 70), site, font=font(False, SITE_SIZE), fill=MUTED_LEVEL, anchor=anchor, **options)
    if status:
        pen.text((x, HEIGHT - 90), status, font=font(True, STATUS_SIZE), fill=ACCENT_LEVEL, anchor=anchor, **options)
    return Backdrop(canvas, bandpng.Backdrop(canvas.tobytes(), canvas.size, palette()))


@cache
def layout(language: str) -> tuple[bool, dict[str, Any]]:
    """Whether a language is written right to left, and the text options that shape it (Arabic letters joined,
    laid out right to left) where Pillow has raqm."""
    rtl = direction(language) == "rtl"
    if not features.check("raqm"):
        return rtl, {}
    return rtl, {"direction": "rtl" if rtl else "ltr", "language": language}


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
