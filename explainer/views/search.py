"""Search: Pagefind indexes the rendered pages after the build, if it is installed.

`build` runs Pagefind over the new tree the pages were written into (or, for
an update in place, over a temporary folder of hard links to the pages),
`serve` over a temporary copy of the HTML; its bundle comes back as files
under `pagefind/` that the write stage writes with everything else, so the
output folder is still swapped in whole.

Pagefind 1.5.2 is not byte-stable once pages carry filters: its filter file
(and the names that hash it) differ from run to run for the same pages. So
the bundle records the SHA-256 of the pages it indexed in `pagefind/
explainer-index.txt`, and a build whose pages hash the same reuses the bundle
already in the output folder: a rebuild with no change writes nothing, and
skips Pagefind's time. Two clean builds into two folders still differ under
`pagefind/` (docs/views.md).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..diagnostics import Diagnostics

INSTALL = "pip install 'pagefind[bin]==1.5.2'"
FOLDER = "pagefind"
STAMP = f"{FOLDER}/explainer-index.txt"


def pagefind_executable() -> Path | None:
    """The pagefind binary from the PyPI package (or PATH), or None when it is not installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    found = get_executable()
    return found if found and found.exists() else None


def pages_digest(pages: Iterable[tuple[str, bytes]], executable: Path) -> str:
    """A digest of the pages (path, bytes), in path order, and of the Pagefind binary."""
    digest = hashlib.sha256(str(executable.stat().st_size).encode())
    for path, data in pages:
        digest.update(path.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def previous_bundle(output: Path | None, stamp: str) -> dict[str, bytes] | None:
    """The bundle in the last output, if it indexed pages with this digest."""
    if output is None:
        return None
    try:
        if (output / STAMP).read_text(encoding="utf-8") != stamp:
            return None
        bundle = output / FOLDER
        return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}
    except OSError:
        return None


def skipped(diags: Diagnostics) -> dict[str, bytes]:
    message = f"skipped: Pagefind is not installed, so the site has no search index ({INSTALL})"
    diags.warning("search", None, message)
    return {}


def search_index(
    files: dict[str, bytes], diags: Diagnostics, executable: Path | None, output: Path | None = None
) -> dict[str, bytes]:
    """Pagefind's bundle for the HTML among files, as `pagefind/...` paths; {} with a warning if it cannot run."""
    return indexed(files, files.__getitem__, lambda path, target: target.write_bytes(files[path]), None, diags,
                   executable, output)  # fmt: skip


def search_index_of_files(
    pages: dict[str, Path], site: Path | None, diags: Diagnostics, executable: Path | None, output: Path
) -> dict[str, bytes]:
    """The same for pages already on disk (output path → where its bytes are now). site: a folder whose
    HTML files are exactly these pages, for Pagefind to index where they are; None: they are linked into a
    temporary folder first."""

    def place(path: str, target: Path) -> None:
        try:
            os.link(pages[path], target)
        except OSError:
            shutil.copyfile(pages[path], target)

    return indexed(pages, lambda path: pages[path].read_bytes(), place, site, diags, executable, output)


def indexed(paths: Iterable[str], read: Callable[[str], bytes], place: Callable[[str, Path], object],
            site: Path | None, diags: Diagnostics, executable: Path | None,
            output: Path | None) -> dict[str, bytes]:  # fmt: skip
    """The bundle for the HTML pages among paths (their bytes by read): the last output's if it indexed the
    same pages, else Pagefind's over site, or over a temporary folder the pages are placed into."""
    if executable is None:
        return skipped(diags)
    html = sorted(path for path in paths if path.endswith(".html"))
    stamp = f"sha256 of the pages indexed: {pages_digest(((p, read(p)) for p in html), executable)}\n"
    reused = previous_bundle(output, stamp)
    if reused is not None:
        return reused
    if site is not None:
        return run_pagefind(site, stamp, diags, executable)
    with tempfile.TemporaryDirectory(prefix="explainer-search-") as temp:
        root = Path(temp)
        for path in html:
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            place(path, target)
        return run_pagefind(root, stamp, diags, executable)


def run_pagefind(site: Path, stamp: str, diags: Diagnostics, executable: Path) -> dict[str, bytes]:
    """Index the HTML under site; the bundle comes back as `pagefind/...` paths, with the stamp."""
    with tempfile.TemporaryDirectory(prefix="explainer-pagefind-") as temp:
        bundle = Path(temp) / FOLDER
        command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--silent"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            last = (result.stderr.strip() or result.stdout.strip() or "no message").splitlines()[-1]
            diags.warning("search", None, f"skipped: Pagefind failed (exit {result.returncode}): {last}")
            return {}
        found = {
            f"{FOLDER}/{p.relative_to(bundle).as_posix()}": p.read_bytes()
            for p in sorted(bundle.rglob("*"))
            if p.is_file()
        }
        found[STAMP] = stamp.encode("utf-8")
        return found
