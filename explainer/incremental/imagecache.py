"""Image variants kept between builds (pictures.py names each by a digest of its source and setting, so a name
always holds the same bytes): on disk for `build` (`.cache/explainer/images/`), in memory for `serve`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class DiskVariants:
    """Variants as files under folder, by their output path."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, path: str) -> bytes | None:
        try:
            return (self.folder / path).read_bytes()
        except OSError:
            return None

    def put(self, path: str, data: bytes) -> None:
        target = self.folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)  # whole or not at all: a killed build leaves no half image


class MemoryVariants:
    """Variants in memory (serve), by their output path."""

    def __init__(self) -> None:
        self.made: dict[str, bytes] = {}

    def get(self, path: str) -> bytes | None:
        return self.made.get(path)

    def put(self, path: str, data: bytes) -> None:
        self.made[path] = data
