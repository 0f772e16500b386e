"""Each image published in several widths, as WebP and in its own format, under names that carry a digest of
its bytes and of the setting below (so a name always holds the same bytes), and the HTML that offers them:
`<picture>` with `srcset`, `sizes`, `width` and `height`, in a `<figure>` with its caption and credit."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import PIL
from markupsafe import Markup, escape
from PIL import Image as PILImage
from PIL import ImageOps

from .mediafiles import Media, MediaFile

WIDTHS = (480, 960, 1600)  # never more than the original's
JPEG_QUALITY = 82
WEBP_QUALITY = 80
WEBP_METHOD = 2  # libwebp's effort, 0-6: 2 takes a sixth of the default 4's time for files ~5 % larger
# Anything that changes a variant's bytes: this module's code (its settings and how it resizes and encodes) and
# Pillow's version. A change gives every variant a new name, so a name always holds the same bytes.
SETTING = hashlib.sha256(Path(__file__).read_bytes()).digest() + PIL.__version__.encode()
OWN_FORMAT = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "GIF": ("png", "image/png"),
              "WEBP": ("webp", "image/webp")}  # fmt: skip
# The page's column (style.css's --measure) is 42rem wide at most; on a phone an image spans the screen.
SIZES = "(min-width: 44rem) 42rem, 100vw"
THUMB_SIZES = "6rem"
# A credit at the end of a Markdown image's title: `"Caption. Photo: AP/Vahid Salemi"`.
CREDIT_RE = re.compile(r"^(.*?)\s*\b((?:Photo|Photograph|Map|Chart|Graphic|Drawing|Illustration|Image|Credit)s?"
                       r"(?: by)?:\s*\S.*)$", re.DOTALL)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Variant:
    path: str  # in the output: `media/maps/flank.3f2a1b9c0d-960.webp`
    width: int
    height: int
    extension: str  # "webp", "jpg", "png"


def fingerprint(file: MediaFile) -> str:
    return hashlib.sha256(file.digest.encode() + SETTING).hexdigest()[:10]


def widths_of(width: int) -> list[int]:
    """480, 960 and 1600 where the original is wider, and the original's own width if it is less than 1600."""
    chosen = [w for w in WIDTHS if w < width]
    largest = min(width, WIDTHS[-1])
    return chosen if largest in chosen else [*chosen, largest]


def height_at(file: MediaFile, width: int) -> int:
    return max(1, round(file.height * width / file.width))


def formats_of(file: MediaFile) -> list[str]:
    """The extensions published: WebP, then the image's own (a GIF's first frame as PNG)."""
    own = OWN_FORMAT[file.format][0]
    return ["webp"] if own == "webp" else ["webp", own]


def variants(file: MediaFile) -> list[Variant]:
    """Every variant of an image, WebP first, each format from the narrowest."""
    stem = file.name.rsplit(".", 1)[0]
    mark = fingerprint(file)
    return [
        Variant(f"{stem}.{mark}-{width}.{extension}", width, height_at(file, width), extension)
        for extension in formats_of(file)
        for width in widths_of(file.width)
    ]


class VariantStore(Protocol):
    """Where variants made by earlier builds are kept, by their output path (which names their bytes)."""

    def get(self, path: str) -> bytes | None: ...

    def put(self, path: str, data: bytes) -> None: ...


def make_variants(file: MediaFile, source: bytes) -> dict[str, bytes]:
    """Every variant's bytes, by output path: upright (EXIF orientation applied), resized with Lanczos, saved
    with no metadata (no EXIF, no ICC profile, no time), so the same image and setting give the same bytes."""
    with PILImage.open(io.BytesIO(source)) as opened:
        opened.seek(0)  # a GIF's first frame
        upright = ImageOps.exif_transpose(opened)
        has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        base = upright.convert("RGBA" if has_alpha else "RGB")
    made = {}
    for variant in variants(file):
        made[variant.path] = encode(resize(base, variant.width, variant.height), variant.extension)
    return made


def resize(image: PILImage.Image, width: int, height: int) -> PILImage.Image:
    if image.size == (width, height):
        return image.copy()
    return image.resize((width, height), PILImage.Resampling.LANCZOS)


def encode(image: PILImage.Image, extension: str) -> bytes:
    image.info.clear()
    out = io.BytesIO()
    if extension == "webp":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    elif extension == "jpg":
        image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        image.save(out, "PNG", compress_level=6)  # `optimize` takes 4× as long for a smaller-by-nothing file
    return out.getvalue()


def variant_files(media: Media, used: set[str], store: VariantStore | None,
                  make_all: Callable[[list[MediaFile]], Iterator[dict[str, bytes]]],
                  have: Callable[[str], bool] = lambda path: False) -> Iterator[tuple[str, bytes | None]]:  # fmt: skip
    """(output path, bytes) of every variant of every used image; the bytes are None where have(path) says
    the output holds that file already (its name names its bytes). An image is opened and resized (make_all:
    make_variants of each, in order, perhaps in other processes) only when a variant is neither in the output
    nor in store; what is made is put in store."""
    missing: list[MediaFile] = []
    for file in media.files:
        if file.name not in used:
            continue
        paths = [variant.path for variant in variants(file)]
        if all(have(path) for path in paths):
            yield from ((path, None) for path in paths)
            continue
        stored = {path: store.get(path) if store is not None else None for path in paths}
        if any(data is None for data in stored.values()):
            missing.append(file)
        else:
            yield from stored.items()
    for made in make_all(missing):
        for path, data in made.items():
            if store is not None:
                store.put(path, data)
        yield from made.items()


class Pictures:
    """The HTML of an image: what the Markdown extension and the templates' `picture()` print."""

    def __init__(self, media: Media, url: Callable[[str], str]):
        self.media = media
        self.url = url

    def sources(self, file: MediaFile, sizes: str) -> tuple[str, str, Variant]:
        """(the `<source>` tags, the img's srcset, the largest variant of the image's own format)."""
        all_variants = variants(file)
        by_format: dict[str, list[Variant]] = {}
        for variant in all_variants:
            by_format.setdefault(variant.extension, []).append(variant)
        own = formats_of(file)[-1]
        sources = ""
        if own != "webp":
            webp = ", ".join(f"{self.url(v.path)} {v.width}w" for v in by_format["webp"])
            sources = f'<source type="image/webp" srcset="{webp}" sizes="{sizes}">'
        srcset = ", ".join(f"{self.url(v.path)} {v.width}w" for v in by_format[own])
        return sources, srcset, by_format[own][-1]

    def img(self, file: MediaFile, alt: str, lead: bool, sizes: str = SIZES, css: str = "") -> str:
        sources, srcset, largest = self.sources(file, sizes)
        loading = ' fetchpriority="high"' if lead else ' loading="lazy"'
        attributes = f' class="{css}"' if css else ""
        return (f'<picture>{sources}<img src="{self.url(largest.path)}" srcset="{srcset}" sizes="{sizes}" '
                f'width="{largest.width}" height="{largest.height}" alt="{escape(alt)}"{attributes}'
                f'{loading} decoding="async"></picture>')  # fmt: skip

    def figure(self, src: str, alt: str | None, caption: str | None, credit: str | None, lead: bool) -> Markup:
        """`<figure>` of the image named src (its caption and credit below it); "" for a name with no file."""
        file = self.media.get(src)
        if file is None:
            return Markup("")
        below = ""
        if caption or credit:
            shown_credit = f' <span class="credit">{escape(credit)}</span>' if credit else ""
            below = f"<figcaption>{escape(caption or '')}{shown_credit}</figcaption>"
        kind = "picture lead" if lead else "picture"
        return Markup(f'<figure class="{kind}">{self.img(file, alt or "", lead)}{below}</figure>')

    def thumbnail(self, src: str, alt: str | None) -> Markup:
        file = self.media.get(src)
        if file is None:
            return Markup("")
        return Markup(self.img(file, alt or "", False, THUMB_SIZES, "thumb"))


def split_credit(title: str) -> tuple[str, str | None]:
    """A Markdown image's title as (caption, credit): `Caption. Photo: AP` → ("Caption.", "Photo: AP")."""
    match = CREDIT_RE.match(title.strip())
    if match is None:
        return title.strip(), None
    return match.group(1).strip(), match.group(2).strip()
