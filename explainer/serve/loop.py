"""`python build.py serve`: build, serve the output with live reload, rebuild on every save.

python-livereload's Server is not used as is: its watcher polls every 0.8 s
and its reload throttle (LiveReloadHandler.DEFAULT_RELOAD_TIME, 3 s) drops
saves. Our watcher thread polls content/, templates/ and static/ (the site's own,
and the default theme's under them) every 50 ms,
waits until the files it saw change stop changing (a burst of saves is one
build; the next scan finds any other file saved meanwhile), rebuilds, writes
the files whose bytes changed, and only then sends one `reload` to every
browser (preview.broadcast).
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import gc
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tornado.ioloop import IOLoop

from ..diagnostics import SHOWN_PER_KIND, Diagnostic, Diagnostics, shown_lines
from ..incremental.memory import BuildCache
from ..load import is_ignored
from ..pipeline import BuildOptions, render_site
from ..render import base_path
from ..theme import static_files, static_folders, watched_folders
from ..views.search import pagefind_executable
from ..write import OutputRefused, write_output
from .preview import PreviewState, broadcast, make_app
from .searchlive import LiveIndex

POLL_SECONDS = 0.05  # how often the sources are scanned (python-livereload: 0.8 s)
SETTLE_SECONDS = 0.05  # a save is built once the sources have not changed for this long
BIG_FILE = 1 << 20  # bytes: an old output file this big is deleted after the reload (write_changes)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

Stamp = dict[str, tuple[int, int, int]]


@dataclass(frozen=True, slots=True)
class Reload:
    """One LiveReload message: the URL path that changed, and whether it is a stylesheet."""

    path: str
    live_css: bool = False


def scan(folders: list[Path]) -> Stamp:
    """(mtime, size, inode) of every file under folders, editor droppings left out."""
    stamp: Stamp = {}
    for folder in folders:
        for parent, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if not is_ignored(d)]
            for name in names:
                if not is_ignored(name):
                    path = os.path.join(parent, name)
                    try:
                        stat = os.stat(path)
                    except OSError:  # deleted between the listing and the stat
                        continue
                    stamp[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    return stamp


def stamp(paths: set[str]) -> Stamp:
    """scan() of just these files (a file gone is left out): the watcher re-checks only what it saw change."""
    found: Stamp = {}
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            continue
        found[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    return found


def write_changes(
    output: Path, old: dict[str, bytes], new: dict[str, bytes], later: list[Path] | None = None
) -> list[str]:
    """Write the files whose bytes changed (atomically) and delete the ones gone; return both.

    later: a big file replaced is first linked to a hidden name added to later, for the caller to delete
    off the reload's path: freeing its blocks takes tens of milliseconds (data/explainer.json: 32 MB at 5,000 issues).
    """
    changed = sorted(rel for rel, data in new.items() if old.get(rel) is not data and old.get(rel) != data)
    for rel in changed:
        path = output / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(new[rel])
        os.chmod(tmp, 0o644)
        if later is not None and len(old.get(rel, b"")) >= BIG_FILE:
            aside = path.with_name(f".old-{os.path.basename(tmp)}")
            with contextlib.suppress(OSError):  # no hard links here: the replace frees the blocks itself
                os.link(path, aside)
                later.append(aside)
        os.replace(tmp, path)
    gone = sorted(old.keys() - new.keys())
    for rel in gone:
        (output / rel).unlink(missing_ok=True)
        folder = (output / rel).parent
        while folder != output and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return changed + gone


def delete(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


class Rebuilder:
    """Builds the site again after a save and says which reloads the browsers need."""

    def __init__(self, options: BuildOptions, state: PreviewState, quiet: bool, verbose: bool = False,
                 index: LiveIndex | None = None):  # fmt: skip
        self.options = options
        self.index = index  # the search bundles, made in a thread after each good build (serve/searchlive.py)
        self.state = state
        self.quiet = quiet
        self.per_kind = None if verbose else SHOWN_PER_KIND  # warnings of one kind shown (build's -q/--verbose)
        self.cache = BuildCache()
        self.cache.jobs = options.jobs
        self.files: dict[str, bytes] | None = None  # the last good build, as written to the output folder
        self.warnings: list[Diagnostic] = []  # printed after the last good build

    def build(self, changed: set[str] | None = None) -> list[Reload]:
        """Rebuild (changed: the source files that changed; None for the first build)."""
        started = time.perf_counter()
        diags = Diagnostics()
        static = [folder.resolve() for folder in static_folders(self.options.static)]
        rendered: dict[str, bytes] | None
        if (
            changed
            and self.files is not None
            and self.state.errors is None
            and all(any(Path(p).resolve().is_relative_to(folder) for folder in static) for p in changed)
        ):  # only static files changed: copy them, render nothing
            rendered = {k: v for k, v in self.files.items() if not k.startswith("static/")}
            rendered.update(static_files(self.options.static))
            self.cache.rendered = 0
        else:
            self.cache.changed = changed
            result = render_site(self.options, diags, self.cache)
            rendered = result[0] if result else None
        shown = diags.sorted()
        if diags.has_errors() or shown != self.warnings:  # a warning that stays is not repeated on every save
            for line in self.lines(shown):
                print(line, file=sys.stderr, flush=True)
        self.warnings = [] if diags.has_errors() else shown
        if rendered is None:
            return self.failed(diags)
        if self.cache.site is not None:
            self.state.base = base_path(self.options.base_url or self.cache.site.config.base_url)
        if self.files is None:
            write_output(rendered, self.options.output)
            written = sorted(rendered)
        else:
            doomed: list[Path] = []
            written = write_changes(self.options.output, self.files, rendered, doomed)
            if doomed:
                threading.Thread(target=delete, args=(doomed,), name="explainer-delete", daemon=True).start()
        self.files, was_broken, self.state.errors = rendered, self.state.errors is not None, None
        if self.index is not None:
            self.index.update(rendered)  # returns at once: the reload does not wait for Pagefind
        if not self.quiet:
            seconds = time.perf_counter() - started
            pages = self.cache.rendered
            print(f"Built in {seconds:.2f} s: {pages} page{'s' * (pages != 1)} rendered, "
                  f"{len(written)} file{'s' * (len(written) != 1)} changed", flush=True)  # fmt: skip
        return self.reloads(written, was_broken)

    def lines(self, diagnostics: list[Diagnostic]) -> list[str]:
        """What the terminal and the error page show of diagnostics: errors in full, warnings as for build."""
        return shown_lines(diagnostics, self.per_kind, warnings=not self.quiet)

    def failed(self, diags: Diagnostics) -> list[Reload]:
        errors = self.lines(diags.sorted())
        count = len(diags.errors)
        print(f"{count} error{'s' * (count != 1)}: shown in the browser; the last good build is kept", file=sys.stderr)
        css = static_files(self.options.static)
        self.state.stylesheets = [data for rel, data in sorted(css.items()) if rel.endswith(".css")]
        was, self.state.errors = self.state.errors, errors
        return [] if was == errors else [Reload(self.state.base)]

    def reloads(self, written: list[str], was_broken: bool) -> list[Reload]:
        if not written and not was_broken:
            return []
        if written and not was_broken and all(rel.endswith(".css") for rel in written):
            return [Reload(self.state.base + rel, live_css=True) for rel in written]
        pages = [rel for rel in written if rel.endswith(".html")] or ["index.html"]
        return [Reload(self.state.base + pages[0])]


def watch(folders: list[Path], before: Stamp, rebuild: Callable[[set[str]], list[Reload]], loop: IOLoop,
          stop: threading.Event) -> None:  # fmt: skip
    """Poll folders; after each save (or burst of saves) rebuild, then tell the browsers.

    before: scan(folders) taken before the build being served began, so a save made while it ran
    (or between its end and this thread's start) is built, not taken for the starting state.
    """
    while not stop.is_set():
        started = time.perf_counter()
        now = scan(folders)
        pause = max(POLL_SECONDS, 2 * (time.perf_counter() - started))  # a big site: scan less often
        if now == before:
            stop.wait(pause)
            continue
        changed = {path for path in before.keys() | now.keys() if before.get(path) != now.get(path)}
        saved = stamp(changed)
        while not stop.wait(SETTLE_SECONDS):  # wait until the saved files stop changing: a burst is one build
            later = stamp(changed)
            if later == saved:
                break
            saved = later
        before = {path: value for path, value in now.items() if path not in changed} | saved
        try:
            reloads = rebuild(changed)
        except Exception as error:  # a bug of ours must not stop the preview
            print(f"error: the rebuild failed: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
            continue
        for reload in reloads:
            loop.add_callback(broadcast, reload.path, reload.live_css)


def listen(state: PreviewState, host: str, port: int) -> str | None:
    """Bind the port; an error message if it cannot be bound."""
    try:
        make_app(state).listen(port, address=host)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            return f"error: port {port} is already in use: stop what uses it or choose another with --port"
        return f"error: cannot listen on {host}:{port}: {error.strerror or error}"
    return None


def preview_options(options: BuildOptions) -> BuildOptions:
    """The build options of a preview: drafts shown, static names kept (for liveCSS), no search index (slow)."""
    wanted: dict[str, Any] = {"drafts": True, "fingerprint_assets": False, "search": False}
    known = {field.name for field in dataclasses.fields(BuildOptions)}
    return replace(options, **{name: value for name, value in wanted.items() if name in known})


def stop_on_sigterm(*_: Any) -> None:
    raise KeyboardInterrupt


def serve(options: BuildOptions, host: str, port: int, open_browser: bool, quiet: bool, own_output: bool,
          verbose: bool = False) -> int:  # fmt: skip
    """Run the preview until Ctrl-C; the exit status. own_output: output is a temporary folder to delete after."""
    search = options.search  # not for the pages' build, but made in a thread (serve/searchlive.py)
    options = preview_options(options)
    scratch = options.output
    if own_output:  # a folder of our own inside it, so the writer's lock file beside it is ours to delete too
        options = replace(options, output=scratch / "site")
    try:
        return run(options, host, port, open_browser, quiet, verbose, search)
    finally:
        if own_output:
            shutil.rmtree(scratch, ignore_errors=True)


def run(options: BuildOptions, host: str, port: int, open_browser: bool, quiet: bool, verbose: bool = False,
        search: bool = False) -> int:  # fmt: skip
    state = PreviewState(options.output, base_path(options.base_url or "/"), port)
    problem = listen(state, host, port)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    if host not in LOCAL_HOSTS:
        print(f"warning: --host {host} lets other machines on the network see the preview, drafts included",
              file=sys.stderr)  # fmt: skip
    index = LiveIndex(options.output, pagefind_executable(), quiet) if search else None
    rebuilder = Rebuilder(options, state, quiet, verbose, index)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    folders = [options.content, *watched_folders(options.templates, options.static)]
    try:
        before = scan(folders)  # before the first build: a save made while it runs is built after it
        rebuilder.build()
        gc.collect()
        gc.freeze()  # the first build's objects live on: full collections need not scan them on every save
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{port}{state.base}"
        print(f"Serving on {url} (Ctrl-C to stop)", flush=True)
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        args = (folders, before, rebuilder.build, IOLoop.current(), stop)
        threading.Thread(target=watch, args=args, name="explainer-watch", daemon=True).start()
        IOLoop.current().start()
    except OutputRefused as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
    finally:
        stop.set()
        if index is not None:
            index.stop()
    return 0
