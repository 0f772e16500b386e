"""Stage 6, write: build the new output beside the old one, then swap it in.

The new tree is written into `.NAME.tmp-XXXX` next to the output folder:
files whose bytes did not change are hard-linked from the old output (same
inode, so the same mtime: rsync and `aws s3 sync` skip them), the rest are
written fresh. Only when every file is in place is the old folder renamed to
`.NAME.old-XXXX` and the new one to NAME. A build killed at any point leaves
the previous output whole; the next build removes the leftovers. A lock file,
`.NAME.lock`, serialises builds into the same folder.

`Staging` is that folder while a build runs: `build` opens it (lock, clean-up,
refusal of a foreign folder) before rendering, and the render workers write
each page into it as they go, so no page's bytes are held in memory. A build
that changes few files updates the output where it stands instead
(inplace.py), when the build cache proves the folder is as the last build
left it.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import inplace
from .inplace import Stamp
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
        link(old, new)
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


def write_in_place(new: Path, output: Path, files: set[str]) -> WriteStats:
    """The fallback for an output folder that cannot be renamed (a mount point): copy the new tree's files over."""
    write_file(output / MARKER, MARKER_TEXT)
    written = sum(write_file(output / rel, (new / rel).read_bytes()) for rel in sorted(files))
    removed = prune(output, files)
    shutil.rmtree(new)
    return WriteStats(written, len(files) - written, removed)


def link(old: Path, new: Path) -> None:
    """Put old's file at new: the same inode, so the same bytes and mtime."""
    new.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(old, new)
    except OSError:  # a file system without hard links
        shutil.copy2(old, new)


class Staging:
    """The output folder while a build writes it: locked from the start, leftovers of killed builds cleaned.

    `begin` chooses how: a new tree beside output, swapped in whole by `commit` (the default), or, when
    `previous` (the file list the last build left, from the build cache) still matches the folder and few
    pages change, an update in place (inplace.py). `put` may run in forked workers; the main process
    records what they did with `note`. Leaving the `with` block without `commit` leaves output as it was.
    Whether the folder matches `previous` (`intact`, a stat of every file: ~0.25 s at 46,000 files) is
    checked on entering, by `aside` when given (which begins the check, e.g. in another process, and
    returns how to wait for its answer: `build` lets it run beside loading), and awaited on first use.
    """

    def __init__(self, output: Path, previous: dict[str, Stamp] | None = None,
                 aside: Callable[[Callable[[], bool]], Callable[[], bool]] | None = None) -> None:  # fmt: skip
        output = Path(os.path.abspath(output))
        self.output = output.resolve() if output.is_symlink() else output
        self.previous = previous
        self.new: Path | None = None  # the tree beside output; None before begin and when updating in place
        self.in_place = False
        self.files: set[str] = set()
        self.changed: set[str] = set()  # written: new bytes (staged beside the old file when in place)
        self.done = False
        self.aside = aside
        self._intact = False  # output is exactly as the last build left it (checked on entering)
        self._checking: Callable[[], bool] | None = None  # the check begun aside, not yet awaited
        self.manifest: dict[str, Stamp] | None = None  # after an update in place: the files' stamps now
        self.exits = ExitStack()

    def __enter__(self) -> Staging:
        check_output(self.output)
        self.exits.enter_context(output_lock(self.output))
        try:
            clean_leftovers(self.output)
            check_output(self.output)
            if self.previous:
                check = functools.partial(inplace.intact, self.output, self.previous)
                if self.aside is None:
                    self._intact = check()
                else:
                    self._checking = self.aside(check)
        except BaseException:
            self.exits.close()
            raise
        return self

    @property
    def intact(self) -> bool:
        """True when output is exactly as the last build left it (every file's stamp, no journal)."""
        if self._checking is not None:
            waiting, self._checking = self._checking, None
            self._intact = waiting()
        return self._intact

    def __exit__(self, *exc: object) -> None:
        try:
            if not self.done:
                self.discard()
        finally:
            try:
                self.intact  # noqa: B018  # a check still running aside is waited for, not left behind
            finally:
                self.exits.close()

    def begin(self, changing: int, total: int) -> None:
        """Prepare to write, knowing that up to `changing` of `total` pages may change."""
        if self.intact and inplace.small(changing, total):
            inplace.start(self.output)  # first: a killed update is seen by the next build
            self.in_place = True
            return
        self.new = Path(tempfile.mkdtemp(dir=self.output.parent, prefix=sibling(self.output, "tmp-")))
        place(self.output / MARKER, self.new / MARKER, MARKER_TEXT)  # first: a killed build leaves an "ours" folder

    def put(self, rel: str, data: bytes) -> bool:
        """Write data as rel unless the last output holds exactly it (True if written); safe in a worker."""
        if self.in_place:
            return inplace.put(self.output, rel, data)
        assert self.new is not None, "begin() first"
        return place(self.output / rel, self.new / rel, data)

    def keep(self, rel: str) -> None:
        """rel is the file the last build wrote, its bytes unchanged (the build cache proved it)."""
        if not self.in_place:
            assert self.new is not None, "begin() first"
            link(self.output / rel, self.new / rel)
        self.note(rel, False)

    def note(self, rel: str, written: bool) -> None:
        self.files.add(rel)
        if written:
            self.changed.add(rel)

    def add(self, rel: str, data: bytes) -> None:
        self.note(rel, self.put(rel, data))

    def current(self, rel: str) -> Path:
        """Where rel's bytes for this build are now."""
        if self.in_place:
            return inplace.current(self.output, rel, rel in self.changed)
        assert self.new is not None
        return self.new / rel

    def commit(self) -> WriteStats:
        """Make output hold exactly the files put, kept and added."""
        if self.in_place:
            removed = sorted(set(self.previous or ()) - self.files - {MARKER})
            self.done = True  # from here a failure keeps the journal: the next build remakes the folder
            inplace.finish(self.output, sorted(self.changed), removed)
            self.manifest = inplace.manifest_after(self.output, self.previous or {}, self.changed, removed)
        else:
            assert self.new is not None, "begin() first"
            self.new.chmod(0o755)
            removed = sorted(rel for rel in count_files(self.output) - self.files if not inplace.leftover(rel))
            try:
                swap(self.new, self.output)
            except OSError as error:
                if error.errno not in (errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES):
                    raise
                self.done = True
                return write_in_place(self.new, self.output, self.files)
        self.done = True
        written = len(self.changed)
        return WriteStats(written, len(self.files) - written, len(removed))

    def discard(self) -> None:
        if self.in_place:
            inplace.undo(self.output)
        elif self.new is not None:
            shutil.rmtree(self.new, ignore_errors=True)


def write_output(files: dict[str, bytes], output: Path) -> WriteStats:
    """Make output hold exactly files, swapped in whole; unchanged files keep bytes and mtime."""
    with Staging(output) as staging:
        staging.begin(len(files), len(files))
        for rel in sorted(files):
            staging.add(rel, files[rel])
        return staging.commit()
