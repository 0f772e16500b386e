"""The content's image files as the link, plan and render stages know them (media.py reads them)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from . import reads

MEDIA = "media"  # the folder, inside the content folder, and the path every image is named by
FILE = "file"  # the field a page reads of an image it shows: (its name, FILE) among the page's reads (reads.py)
# `![alt](src "title")`, with `<src>` or a single-quoted title; code is blanked before it is looked for.
IMAGE_RE = re.compile(r"!\[((?:[^\]\\\n]|\\.)*)\]\(\s*<?([^\s<>()]+)>?(?:\s+(?:\"([^\"]*)\"|'([^']*)'))?\s*\)")


@dataclass(frozen=True, slots=True)
class MediaFile:
    """One image file: its name (`media/maps/flank.png`), a digest of its bytes, its size upright, its format."""

    name: str
    path: str  # as the user names it: `content/media/maps/flank.png`
    digest: str
    width: int
    height: int
    format: str


@dataclass(frozen=True, slots=True)
class Media:
    """Every image file of the content folder, by name; its repr (in the render keys) changes with any of them."""

    files: tuple[MediaFile, ...] = ()
    by_name: dict[str, MediaFile] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, files: list[MediaFile]) -> Media:
        return cls(tuple(files), {file.name: file for file in files})

    def get(self, src: str) -> MediaFile | None:
        """The file src names; the open unit of output (a page) notes that it shows it (reads.py): a changed,
        added or removed image makes again only the pages that read its name."""
        name = normalise(src)
        reads.note((name, FILE))
        return self.by_name.get(name)

    def peek(self, src: str) -> MediaFile | None:
        """The file src names, noted nowhere."""
        return self.by_name.get(normalise(src))

    def stamps(self) -> dict[str, tuple[str, int, int, str]]:
        """Each file's digest, size and format, by name: what the pages that show it depend on."""
        return {file.name: (file.digest, file.width, file.height, file.format) for file in self.files}


def shown_in(source: str) -> list[str]:
    """The src of each image a Markdown text shows (`![alt](media/x.jpg)`; in code too: more is never wrong)."""
    return [match.group(2) for match in IMAGE_RE.finditer(source)] if "![" in source else []


def normalise(src: str) -> str:
    """A name as written (`./media/x.jpg`, `media//x.jpg`) as the content folder names the file."""
    return os.path.normpath(src.strip()).replace(os.sep, "/") if src.strip() else ""
