"""Search in `serve`: the index's bundles (search.py) made after the first build and after each save, in a
thread of their own, so the reload never waits for Pagefind.

`LiveIndex.update(files)` hands over a good build's files (the dict serve keeps, never changed after) and
returns at once. The thread takes the newest files it was given, digests their pages, indexes again the
bundles whose digest changed (one at a time, Pagefind at a lower priority than the rebuilds), and puts each
into `pagefind/<bundle>/` in the served folder: the new files first (Pagefind names its index files by
their content), then its entry file, then the files it no longer has are deleted; the list of bundles is
rewritten last. Serve's writer never touches `pagefind/`, which is in no build's files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from ..views.bundles import MANIFEST, bundle_size, languages_of, manifest
from ..views.search import INSTALL, STAMP, Source, bundle_files, index_bundle, plan_index, trimming

NICE = 10  # Pagefind yields the cores to the rebuild of the next save


class LiveIndex:
    """The search bundles of a served folder, made again in a thread as the site changes."""

    def __init__(self, output: Path, executable: Path | None, quiet: bool = False) -> None:
        self.output = output
        self.executable = executable
        self.quiet = quiet
        self.stamps: dict[str, str] = {}  # bundle (its key) → the stamp of what its folder holds now
        self.folders: dict[str, str] = {}  # bundle (its key) → its folder
        self.prefixes: set[str] = set()  # the languages' folders holding a list of bundles
        self.pending: dict[str, bytes] | None = None
        self.condition = threading.Condition()
        self.stopped = False
        self.thread: threading.Thread | None = None
        if executable is None:
            print(f"search: note: Pagefind is not installed, so the preview has no search ({INSTALL})",
                  file=sys.stderr, flush=True)  # fmt: skip

    def update(self, files: dict[str, bytes]) -> None:
        """Index these files' pages soon (the newest files given win); returns at once."""
        if self.executable is None:
            return
        with self.condition:
            self.pending = files
            self.condition.notify()
        if self.thread is None:
            self.thread = threading.Thread(target=self.run, name="explainer-search", daemon=True)
            self.thread.start()

    def stop(self) -> None:
        """Stop after the bundle being made, if any (so the served folder can be deleted after)."""
        with self.condition:
            self.stopped = True
            self.condition.notify()
        if self.thread is not None:
            self.thread.join(timeout=60)

    def run(self) -> None:
        while True:
            with self.condition:
                while self.pending is None and not self.stopped:
                    self.condition.wait()
                files, self.pending = self.pending, None
                if self.stopped or files is None:
                    return
            try:
                self.refresh(files)
            except Exception as error:  # a bug of ours must not stop the preview
                print(f"search: error: {type(error).__name__}: {error}", file=sys.stderr, flush=True)

    def refresh(self, files: dict[str, bytes]) -> None:
        """Make the bundles of files' pages whose pages changed, and put them in the served folder."""
        assert self.executable is not None
        started = time.perf_counter()
        source = Source(files.__getitem__, lambda path, target: target.write_bytes(files[path]))
        plan = plan_index(sorted(files), source, self.executable, bundle_size(), None)
        place = trimming(source)  # what Pagefind reads of each page: the same bundle, less to parse
        made = 0
        for bundle in plan.bundles:
            wanted = plan.stamps[bundle.key]
            if self.stamps.get(bundle.key) == wanted:
                continue
            bundle_files_made = index_bundle(bundle, wanted, place, self.executable, self.output, NICE,
                                             lambda: self.stopped)  # fmt: skip
            if self.stopped:  # Ctrl-C reaches Pagefind too
                return
            if isinstance(bundle_files_made, str):
                print(f"search: warning: skipped: {bundle_files_made}", file=sys.stderr, flush=True)
                continue
            install(self.output / bundle.folder, bundle.folder, bundle_files_made)
            self.stamps[bundle.key] = wanted
            self.folders[bundle.key] = bundle.folder
            made += 1
        names = {bundle.key for bundle in plan.bundles}
        for prefix, bundles in languages_of(plan.bundles).items():
            listed = [bundle for bundle in bundles if bundle.key in self.stamps]
            if listed and listed[0].primary:
                put(self.output / (prefix + MANIFEST), manifest(listed))
        for name in sorted(set(self.stamps) - names):
            del self.stamps[name]
            shutil.rmtree(self.output / self.folders.pop(name), ignore_errors=True)
        for prefix in sorted(self.prefixes - languages_of(plan.bundles).keys()):  # a language no longer published
            with contextlib.suppress(OSError):
                (self.output / (prefix + MANIFEST)).unlink()
        self.prefixes = set(languages_of(plan.bundles))
        if made and not self.quiet:
            seconds = time.perf_counter() - started
            print(f"Search index: {made} of {len(plan.bundles)} bundles made again in {seconds:.2f} s", flush=True)


def put(path: Path, data: bytes) -> None:
    """Write path atomically (a hidden temporary file renamed over it), unless it holds data already."""
    with contextlib.suppress(OSError):
        if path.read_bytes() == data:
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def install(folder: Path, prefix: str, made: dict[str, bytes]) -> None:
    """Make folder hold exactly a bundle's files (made: by output path under prefix), the entry file and the
    stamp last, so a browser reading it meanwhile finds the old entry's files or the new one's."""
    wanted = {path.removeprefix(prefix + "/"): data for path, data in made.items()}
    last = ("pagefind-entry.json", STAMP)
    for rel in sorted(wanted, key=lambda rel: (rel in last, rel)):
        put(folder / rel, wanted[rel])
    if folder.is_dir():
        for rel, path in list(bundle_files(folder)):
            if rel not in wanted:
                path.unlink(missing_ok=True)
