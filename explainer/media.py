"""The content's image files (`content/media/`), read once per build, and every image the content names checked
against them: a name with no file is an error at its line, an image without alt text a warning, a file that
nothing shows a warning, a file that is not an image an error."""

from __future__ import annotations

import difflib
import hashlib
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from .diagnostics import Diagnostics, did_you_mean
from .link import texts_of
from .load import is_ignored
from .mediafiles import IMAGE_RE, MEDIA, Media, MediaFile, normalise
from .model import Actor, Event, Issue, Text
from .refs import _blank_code
from .translated import Translation
from .validate import Records

# Files kept beside the images that are not images: their licence, a note.
NOT_IMAGES = re.compile(r"^(?:LICEN[CS]E|COPYING|README|CREDITS)(?:\.\w+)?$|\.(?:txt|md)$", re.IGNORECASE)
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")  # what the variants are made from (pictures.py)
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|/|#)")


def is_external(src: str) -> bool:
    """An image on another site (`https://…`), or a path from the site's root: not the content's own."""
    return bool(_EXTERNAL.match(src.strip()))


def media_files(root: Path) -> Iterator[tuple[Path, str]]:
    """(path, name) of every file under content/media/ that should be an image, in a stable order."""
    top = root / MEDIA
    for parent, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not is_ignored(d))
        for name in sorted(names):
            if is_ignored(name) or NOT_IMAGES.search(name):
                continue
            path = Path(parent, name)
            yield path, f"{MEDIA}/{path.relative_to(top).as_posix()}"


# EXIF orientations that turn the picture a quarter: its upright width is the file's height.
QUARTER_TURNS = (5, 6, 7, 8)


def read_media(root: Path, diags: Diagnostics,
               known: dict[str, tuple[tuple[int, int, int], MediaFile]] | None = None) -> Media:  # fmt: skip
    """Every image under content/media/; a file that cannot be read or is no image Pillow reads is an error.
    known (kept by the caller between builds): each file's MediaFile by its (mtime, size, inode)."""
    found = []
    for path, name in media_files(root):
        shown = path.as_posix()
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            hit = known.get(shown) if known is not None else None
            if hit is not None and hit[0] == stamp:
                found.append(hit[1])
                continue
            data = path.read_bytes()
        except OSError as error:
            diags.error(shown, None, f"cannot read this file: {error.strerror or error}")
            continue
        file = media_file(name, data, shown, diags)
        if file is not None:
            found.append(file)
            if known is not None:
                known[shown] = (stamp, file)
    return Media.of(found)


def media_file(name: str, data: bytes, shown: str, diags: Diagnostics) -> MediaFile | None:
    if name.lower().endswith(".svg"):
        diags.error(shown, None, "SVG images are not supported yet: export it as PNG")
        return None
    try:
        with PILImage.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format or "", image.size
            turned = image.getexif().get(0x0112) in QUARTER_TURNS if kind == "JPEG" else False
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        reason = "not an image" if isinstance(error, UnidentifiedImageError) else f"a damaged image ({error})"
        diags.error(shown, None, f"{reason}: only JPEG, PNG, GIF and WebP files belong in {MEDIA}/")
        return None
    if kind not in FORMATS:
        diags.error(shown, None, f"a {kind} image: only JPEG, PNG, GIF and WebP files belong in {MEDIA}/")
        return None
    if turned:
        width, height = height, width
    return MediaFile(name, shown, hashlib.sha256(data).hexdigest(), width, height, kind)


@dataclass(frozen=True, slots=True)
class Written:
    """An image as a text writes it: `![alt](src "title")` at its line."""

    alt: str
    src: str
    title: str | None
    line: int


def written_images(text: Text) -> Iterator[Written]:
    """Every Markdown image in a text, with its line (none in code)."""
    if "![" not in text.source:
        return
    scanned = _blank_code(text.source)
    for match in IMAGE_RE.finditer(scanned):
        title = match.group(3) if match.group(3) is not None else match.group(4)
        line = text.line + scanned.count("\n", 0, match.start())
        yield Written(match.group(1).strip(), match.group(2), title, line)


def check_images(records: Records, media: Media, diags: Diagnostics) -> set[str]:
    """Every image the content names, checked against media (errors and warnings at their lines); the names of
    the files used. A file nothing uses is a warning at the file."""
    used: set[str] = set()
    names = [file.name for file in media.files]
    shown: list[Issue | Actor | Event] = [*records.issues, *records.actors, *records.events]
    for entity in shown:
        image = entity.image
        if image is not None:
            check_name(image.src, image.path, image.line, media, names, used, diags)
    for text in all_texts(records):
        for written in written_images(text):
            if is_external(written.src):
                continue
            if not written.alt:
                diags.warning(text.path, written.line, NO_ALT_MARKDOWN)
            check_name(written.src, text.path, written.line, media, names, used, diags)
    for file in media.files:
        if file.name not in used:
            diags.warning(file.path, None, UNUSED)
    return used


def all_texts(records: Records) -> Iterator[Text]:
    """Every Markdown text of the content: the cards', actors' and events', and their other languages'
    (a card's translation file, a fact's text written by language)."""
    entities: list[Issue | Actor | Event] = [*records.issues, *records.actors, *records.events]
    for entity in entities:
        yield from texts_of(entity)
    for translation in records.translations:
        yield from translation_texts(translation)
    for facts in records.texts:
        yield from (text for _language, _field, text in facts.texts if isinstance(text, Text))


def translation_texts(translation: Translation) -> Iterator[Text]:
    if translation.body is not None:
        yield translation.body
    yield from (text for _actor, text in translation.positions)
    for quote in translation.quotes:
        yield quote.text
        if quote.context is not None:
            yield quote.context


UNUSED = "image not used by any card, actor or event: show it somewhere, or delete it"
NO_ALT_MARKDOWN = ("the image has no alt text: describe what it shows between the brackets, "
                   "![what it shows](media/…)")  # fmt: skip


def check_name(src: str, path: str, line: int, media: Media, names: list[str], used: set[str],
               diags: Diagnostics) -> None:  # fmt: skip
    file = media.get(src)
    if file is not None:
        used.add(file.name)
        return
    wanted = normalise(src)
    hint = did_you_mean(wanted, names)
    if not hint and names:  # a misspelt folder or a file moved into one: compare the file names alone
        by_base = {name.rsplit("/", 1)[-1]: name for name in names}
        close = difflib.get_close_matches(wanted.rsplit("/", 1)[-1], list(by_base), n=1, cutoff=0.6)
        hint = f" — did you mean '{by_base[close[0]]}'?" if close else ""
    where = "" if wanted.startswith(f"{MEDIA}/") else f": images live in the content folder's {MEDIA}/ folder"
    diags.error(path, line, f"image '{src}' not found{where}{hint}")
