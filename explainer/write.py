"""Stage 6, write: build the new output beside the old one, then swap it in.

The new tree is written into `.NAME.tmp-XXXX` next to the output folder:
files whose bytes did not change are hard-linked from the old output (same
inode, so the same mtime: rsync and `aws s3 sync` skip them), the rest are
written fresh. Only when every file is in place is the old folder renamed to
`.NAME.old-XXXX` and the new one to NAME. A build killed at any point leaves
the previous output whole; the next build removes the leftovers. A lock file,
`.NAME.lock`, serialises builds into the same folder.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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


def sibling(output: Path, kind: str) -> str:
    """The prefix of a helper beside output: `.output.tmp-`, `.output.old-`, `.output.lock`."""
    return f".{output.name}.{kind}"


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold an exclusive lock on `.NAME.lock` beside output while writing it."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output.parent / sibling(output, "lock"), "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def ours(folder: Path) -> bool:
    """True for a folder explainer wrote (marker present) or an empty one."""
    return (folder / MARKER).exists() or not any(folder.iterdir())


def clean_leftovers(output: Path) -> None:
    """Recover or delete the temporary folders of builds that were killed."""
    parent = output.parent
    old = sorted(parent.glob(sibling(output, "old-") + "*"))
    if not output.exists() and old and ours(old[-1]):
        os.rename(old[-1], output)  # killed between the two renames of a swap
    for folder in sorted(parent.glob(sibling(output, "tmp-") + "*")) + old:
        if folder.is_dir() and not folder.is_symlink() and ours(folder):
            shutil.rmtree(folder)


def same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def place(old: Path, new: Path, data: bytes) -> bool:
    """Put data at new: linked from old when it holds the same bytes (True if written)."""
    new.parent.mkdir(parents=True, exist_ok=True)
    if same_bytes(old, data):
        try:
            os.link(old, new)
        except OSError:  # a file system without hard links
            shutil.copy2(old, new)
        return False
    with open(new, "wb") as handle:
        handle.write(data)
    os.chmod(new, 0o644)
    return True


def count_files(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != MARKER}


def swap(new: Path, output: Path) -> None:
    """Replace output by new with two renames; the old tree is deleted after."""
    if not output.exists():
        os.rename(new, output)
        return
    old = Path(tempfile.mkdtemp(dir=output.parent, prefix=sibling(output, "old-")))
    try:
        os.rename(output, old)  # replaces the empty folder mkdtemp made
    except OSError:
        old.rmdir()
        raise
    os.rename(new, output)
    shutil.rmtree(old)


def write_in_place(files: dict[str, bytes], output: Path) -> WriteStats:
    """The fallback for an output folder that cannot be renamed (a mount point)."""
    write_file(output / MARKER, MARKER_TEXT)
    written = sum(write_file(output / rel, files[rel]) for rel in sorted(files))
    removed = prune(output, set(files))
    return WriteStats(written, len(files) - written, removed)


def write_output(files: dict[str, bytes], output: Path) -> WriteStats:
    """Make output hold exactly files, swapped in whole; unchanged files keep bytes and mtime."""
    output = Path(os.path.abspath(output))
    if output.is_symlink():
        output = output.resolve()
    check_output(output)
    with output_lock(output):
        clean_leftovers(output)
        check_output(output)
        new = Path(tempfile.mkdtemp(dir=output.parent, prefix=sibling(output, "tmp-")))
        try:
            place(output / MARKER, new / MARKER, MARKER_TEXT)  # first: a killed build leaves an "ours" folder
            written = sum(place(output / rel, new / rel, files[rel]) for rel in sorted(files))
            new.chmod(0o755)
            removed = len(count_files(output) - set(files))
            try:
                swap(new, output)
            except OSError as error:
                if error.errno not in (errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES):
                    raise
                shutil.rmtree(new)
                return write_in_place(files, output)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
    return WriteStats(written, len(files) - written, removed)
