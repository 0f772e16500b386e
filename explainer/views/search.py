"""Search: Pagefind indexes the rendered pages after the build, if it is installed.

Pagefind runs over a temporary copy of the HTML, and its bundle comes back as
files under `pagefind/` that the write stage writes with everything else, so
the output folder is still swapped in whole.

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
import subprocess
import tempfile
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


def pages_digest(files: dict[str, bytes], executable: Path) -> str:
    digest = hashlib.sha256(str(executable.stat().st_size).encode())
    for path in sorted(p for p in files if p.endswith(".html")):
        digest.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
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


def search_index(
    files: dict[str, bytes], diags: Diagnostics, executable: Path | None, output: Path | None = None
) -> dict[str, bytes]:
    """Pagefind's bundle for the HTML among files, as `pagefind/...` paths; {} with a warning if it cannot run."""
    if executable is None:
        message = f"skipped: Pagefind is not installed, so the site has no search index ({INSTALL})"
        diags.warning("search", None, message)
        return {}
    stamp = f"sha256 of the pages indexed: {pages_digest(files, executable)}\n"
    reused = previous_bundle(output, stamp)
    if reused is not None:
        return reused
    with tempfile.TemporaryDirectory(prefix="explainer-search-") as temp:
        root = Path(temp)
        for path, data in files.items():
            if path.endswith(".html"):
                target = root / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        command = [str(executable), "--site", str(root), "--output-subdir", FOLDER, "--silent"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            last = (result.stderr.strip() or result.stdout.strip() or "no message").splitlines()[-1]
            diags.warning("search", None, f"skipped: Pagefind failed (exit {result.returncode}): {last}")
            return {}
        bundle = root / FOLDER
        found = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}
        found[STAMP] = stamp.encode("utf-8")
        return found
