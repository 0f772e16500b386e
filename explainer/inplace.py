"""Stage 6's small update: a build that changes few files updates the output folder where it stands.

Remaking the whole tree beside the output and swapping it in (write.py) costs
a folder made and a folder removed for every folder of the site, whatever
changed; on a disk where `rmdir` costs a millisecond that is seconds for one
edited card. So when the build cache proves the output folder is exactly as
the last build left it (every file's size, mtime and inode, no journal) and
at most SMALL pages, or SHARE of them if that is more, are to be rendered
afresh, the build writes into the folder itself:

1. the journal `.explainer-update` is written first;
2. each file whose bytes change is written beside its old self as
   `.NAME.explainer-new` (the old file still serves);
3. once every file is rendered without error, each is renamed over its old
   self (atomic per file), the files this build no longer makes are deleted;
4. the journal is removed last.

A build that fails removes its `.explainer-new` files and the journal and the
folder is as before. A build killed before step 4 leaves the journal: the
next build sees it, trusts nothing in the folder, and remakes the whole tree
with a swap (which leaves any `.explainer-new` file behind with the old tree).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

JOURNAL = ".explainer-update"
JOURNAL_TEXT = b"An explainer build is updating this folder in place; if this file stays, the next build remakes it.\n"
PENDING = ".explainer-new"
SMALL = 200  # pages rendered afresh: up to this many, or
SHARE = 0.05  # up to this share of the pages, whichever is more, are written in place

Stamp = tuple[int, int, int]  # size, mtime_ns, inode: a file as the last build left it


def stamp(path: Path) -> Stamp | None:
    """path's (size, mtime, inode); None if it is gone."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino


def output_manifest(output: Path) -> dict[str, Stamp]:
    """(size, mtime, inode) of every file under output (as os.walk sees them: symlinked folders not entered)."""
    found: dict[str, Stamp] = {}
    folders = [("", str(output))]
    while folders:
        prefix, folder = folders.pop()
        try:
            entries = os.scandir(folder)
        except FileNotFoundError:
            continue
        with entries:
            for entry in entries:
                if entry.is_dir():
                    if not entry.is_symlink():
                        folders.append((f"{prefix}{entry.name}/", entry.path))
                    continue
                info = entry.stat()
                found[prefix + entry.name] = (info.st_size, info.st_mtime_ns, info.st_ino)
    return found


def small(changing: int, total: int) -> bool:
    """True when a build that renders `changing` of `total` pages should update in place."""
    return changing <= max(SMALL, int(total * SHARE))


def intact(output: Path, previous: dict[str, Stamp]) -> bool:
    """True when output holds exactly the files the last build left, untouched, and no journal."""
    return bool(previous) and not (output / JOURNAL).exists() and output_manifest(output) == previous


def pending(path: Path) -> Path:
    return path.with_name(f".{path.name}{PENDING}")


def leftover(rel: str) -> bool:
    """True for the journal or a staged file of a killed update: not a file of the site."""
    return rel == JOURNAL or rel.endswith(PENDING)


def start(output: Path) -> None:
    with open(output / JOURNAL, "wb") as handle:
        handle.write(JOURNAL_TEXT)
        handle.flush()
        os.fsync(handle.fileno())


def put(output: Path, rel: str, data: bytes) -> bool:
    """Stage data for output/rel beside it unless the file already holds exactly it (True if staged)."""
    target = output / rel
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except (FileNotFoundError, NotADirectoryError):
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(pending(target), "wb") as handle:
        handle.write(data)
    os.chmod(pending(target), 0o644)
    return True


def current(output: Path, rel: str, staged: bool) -> Path:
    """Where the bytes this build gives rel are now."""
    return pending(output / rel) if staged else output / rel


def finish(output: Path, changed: Iterable[str], removed: Iterable[str]) -> None:
    """Rename the staged files over the old ones, delete the removed ones, then the journal."""
    for rel in changed:
        os.replace(pending(output / rel), output / rel)
    for rel in removed:
        path = output / rel
        path.unlink(missing_ok=True)
        remove_empty_parents(path.parent, output)
    (output / JOURNAL).unlink()


def manifest_after(
    output: Path, previous: dict[str, Stamp], changed: Iterable[str], removed: Iterable[str]
) -> dict[str, Stamp]:
    """What output_manifest(output) gives after finish, from the stamps of the changed files alone."""
    found = dict(previous)
    for rel in removed:
        del found[rel]
    for rel in changed:
        now = stamp(output / rel)
        assert now is not None
        found[rel] = now
    return found


def remove_empty_parents(folder: Path, output: Path) -> None:
    while folder != output and folder.is_relative_to(output):
        try:
            folder.rmdir()
        except OSError:  # not empty (or already gone)
            return
        folder = folder.parent


def undo(output: Path) -> None:
    """Remove every staged file (workers may have staged some the main process never heard of), then the journal."""
    for parent, _dirs, names in os.walk(output):
        for name in names:
            if name.endswith(PENDING):
                os.unlink(os.path.join(parent, name))
    (output / JOURNAL).unlink(missing_ok=True)
