"""Stage 6, write: files into the output folder, unchanged bytes left alone, stale files pruned."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .load import is_ignored

MARKER = ".explainer-output"
MARKER_TEXT = b"This folder is written by explainer (python build.py). It may be deleted and rebuilt.\n"


class OutputRefused(Exception):
    """The output folder holds files explainer did not write."""


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def collect_static(static: Path) -> dict[str, bytes]:
    """Every file under static/, by its output path (`static/style.css`)."""
    files: dict[str, bytes] = {}
    if not static.is_dir():
        return files
    for path in sorted(static.rglob("*")):
        if path.is_file() and not any(is_ignored(part) for part in path.relative_to(static).parts):
            files[f"static/{path.relative_to(static).as_posix()}"] = path.read_bytes()
    return files


def check_output(output: Path) -> None:
    """Refuse an output folder that is not empty and not ours."""
    if output.exists() and not output.is_dir():
        raise OutputRefused(f"--output {output} is a file, not a folder")
    if output.is_dir() and not (output / MARKER).exists() and any(output.iterdir()):
        raise OutputRefused(
            f"--output {output} already holds files that explainer did not write; "
            "choose an empty or new folder (explainer replaces everything in its output folder)"
        )


def write_file(path: Path, data: bytes) -> bool:
    """Write data atomically unless the file already holds exactly it."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def prune(output: Path, keep: set[str]) -> int:
    """Delete files and empty folders under output that this build did not write."""
    removed = 0
    for folder, dirs, names in os.walk(output, topdown=False):
        base = Path(folder)
        for name in names:
            rel = (base / name).relative_to(output).as_posix()
            if rel not in keep and rel != MARKER:
                (base / name).unlink()
                removed += 1
        for name in dirs:
            child = base / name
            if child.is_dir() and not child.is_symlink() and not any(child.iterdir()):
                child.rmdir()
    return removed


def write_output(files: dict[str, bytes], output: Path) -> WriteStats:
    """Make output hold exactly files; leave unchanged files and their mtimes alone."""
    check_output(output)
    output.mkdir(parents=True, exist_ok=True)
    write_file(output / MARKER, MARKER_TEXT)
    written = unchanged = 0
    for rel in sorted(files):
        if write_file(output / rel, files[rel]):
            written += 1
        else:
            unchanged += 1
    removed = prune(output, set(files))
    return WriteStats(written, unchanged, removed)
