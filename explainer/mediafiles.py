"""The content's image files as the link, plan and render stages know them (media.py reads them)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

MEDIA = "media"  # the folder, inside the content folder, and the path every image is named by


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
        return self.by_name.get(normalise(src))


def normalise(src: str) -> str:
    """A name as written (`./media/x.jpg`, `media//x.jpg`) as the content folder names the file."""
    return os.path.normpath(src.strip()).replace(os.sep, "/") if src.strip() else ""
