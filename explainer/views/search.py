"""Search: Pagefind indexes the issue, actor and event pages in bundles of bounded size, if it is installed.

The pages readers search for (those whose `<main>` carries `data-pagefind-body`: an issue's, an actor's
or an event's page, never the lists that repeat them) are split into bundles by section and by a hash
of their id (`plan_bundles`): each section gets the fewest buckets, a power of two, whose largest
holds at most `bundle_size()` pages (500; the hidden `EXPLAINER_SEARCH_BUNDLE_PAGES` sets another, for
tests). So a page stays in its bundle while the set of ids stays the same, an edit touches one bundle,
and Pagefind's time and memory per run depend on the bundle, not the site. Each bundle is Pagefind's
output for its pages alone, in `pagefind/<section>-<n>/`; `pagefind/explainer-bundles.json` lists them,
and the search page merges them in the browser (Pagefind's `mergeIndex`). The first bundle is the
primary one: it keeps Pagefind's scripts, styles and WebAssembly, which merged indexes do not load;
the others keep only their index (entry, meta, index, fragment and filter files).

Pagefind cannot update an index, and 1.5.2 is not byte-stable between runs once pages carry filters
(the filter file, and the names that hash it). So each bundle records the SHA-256 of the pages it
indexed (and its role, the binary, the bundle size and its list of pages) in `explainer-index.txt`, and a
bundle whose digest is the one in the last output is kept from there as it is: only bundles whose pages'
bytes changed are indexed again, one or two at a time (`--jobs`), each over a temporary folder of its pages
trimmed to what Pagefind reads (searchtrim.py; a page that cannot be trimmed safely is hard-linked whole).
`build` starts this in a thread once the pages are written (`Background`), reads only the pages it wrote
when the output is as the last build left it (`plan_index`, which then takes the last output's bundles as
its plan), and the write stage keeps or adds the bundle files, so the output is still swapped in whole;
`serve` runs it in a thread after each good build (`serve/searchlive.py`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostics
from ..write import MARKER, MARKER_TEXT
from .bundles import FOLDER, INDEXED, MANIFEST, Bundle, bundle_size, languages_of, manifest, plan_bundles
from .searchtrim import MARK, trimmed

INSTALL = "pip install 'pagefind[bin]==1.5.2'"
STAMP = "explainer-index.txt"  # in each bundle's folder
DATA = re.compile(r"pagefind-entry\.json|[^/]+\.pf_meta|(index|fragment|filter)/[^/]+")  # what a merged bundle needs
FORMAT = "explainer search bundle 2"


def pagefind_executable() -> Path | None:
    """The pagefind binary from the PyPI package (or PATH), or None when it is not installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    found = get_executable()
    return found if found and found.exists() else None


def header(bundle: Bundle, executable: Path, size: int) -> str:
    """The first line of a bundle's explainer-index.txt: the format, the binary, the bundles' size bound and
    the bundle's role."""
    role = "primary" if bundle.primary else "merged"
    return f"{FORMAT} · Pagefind binary of {executable.stat().st_size} bytes · ≤ {size} pages a bundle · {role}\n"


def stamp(bundle: Bundle, digests: Mapping[str, bytes], executable: Path, size: int) -> str:
    """What a bundle's explainer-index.txt says: its header, the digest of its pages' bytes, and its pages."""
    digest = hashlib.sha256()
    for path in bundle.pages:
        digest.update(path.encode("utf-8") + b"\0" + digests[path])
    pages = "".join(f"{path}\n" for path in bundle.pages)
    return f"{header(bundle, executable, size)}sha256 of the pages indexed: {digest.hexdigest()}\n{pages}"


@dataclass(frozen=True, slots=True)
class Source:
    """Where the pages are: read(path) gives a page's bytes, place(path, target) puts the page at target;
    unchanged(path), when given, is True for a page whose bytes are those the last output holds, that output
    being as the last build left it (write.Staging: intact, and the page not written)."""

    read: Callable[[str], bytes]
    place: Callable[[str, Path], object]
    unchanged: Callable[[str], bool] | None = None


@dataclass(slots=True)
class Plan:
    """The bundles and each one's stamp, from the pages' bytes."""

    bundles: list[Bundle]
    stamps: dict[str, str] = field(default_factory=dict)


def earlier_stamps(output: Path | None) -> dict[tuple[str, ...], tuple[str, str]]:
    """The stamps of the last output's bundles, with their folders (`es/pagefind/issues-0`), by the pages each
    lists."""
    found: dict[tuple[str, ...], tuple[str, str]] = {}
    if output is None:
        return found
    for path in sorted([*output.glob(f"{FOLDER}/*/{STAMP}"), *output.glob(f"*/{FOLDER}/*/{STAMP}")]):
        with contextlib.suppress(OSError, UnicodeDecodeError):
            text = path.read_text(encoding="utf-8")
            found[tuple(text.splitlines()[2:])] = (path.parent.relative_to(output).as_posix(), text)
    return found


def earlier_bundles(known: dict[tuple[str, ...], tuple[str, str]], marked: list[str], executable: Path,
                    size: int) -> list[Bundle] | None:  # fmt: skip
    """The last output's bundles when they hold exactly these pages and their stamps name this binary and size:
    what plan_bundles(marked, size) gives again (it depends on the set of pages and the size alone), without
    hashing ~9,000 ids (~40 ms at 5,000 cards, on an edit's path to Pagefind); else None."""
    if sum(len(pages) for pages in known) != len(marked) or {page for pages in known for page in pages} != set(marked):
        return None
    bundles = []
    for pages, (folder, text) in known.items():
        prefix, _, name = folder.rpartition(FOLDER + "/")
        found = [bundle for bundle in (Bundle(name, pages, True, prefix), Bundle(name, pages, False, prefix))
                 if text.startswith(header(bundle, executable, size))]  # fmt: skip
        if not found:
            return None
        bundles += found
    return sorted(bundles, key=lambda bundle: (bundle.prefix, bundle.name))


def plan_index(paths: Iterable[str], source: Source, executable: Path, size: int, output: Path | None) -> Plan:
    """Keep the candidate pages marked for Pagefind, bundle them, and stamp each bundle from its pages' bytes.

    With source.unchanged, a page a stamp of the last output lists whose bytes have not changed since is known
    to be marked without being read, and a bundle of such pages only, the very pages that stamp lists, takes
    that stamp as it is: a build after an edit reads the pages it wrote, not the whole site."""
    known = earlier_stamps(output) if source.unchanged is not None else {}
    listed = {page for pages in known for page in pages}
    unchanged = source.unchanged or (lambda path: False)
    digests: dict[str, bytes] = {}
    marked = []
    for path in paths:
        if not INDEXED.fullmatch(path):
            continue
        if path in listed and unchanged(path):
            marked.append(path)
            continue
        data = source.read(path)
        if MARK in data:
            marked.append(path)
            digests[path] = hashlib.sha256(data).digest()
    bundles = earlier_bundles(known, marked, executable, size) if known else None
    plan = Plan(plan_bundles(marked, size) if bundles is None else bundles)
    for bundle in plan.bundles:
        earlier = known[bundle.pages][1] if bundle.pages in known else None
        if (
            earlier
            and earlier.startswith(header(bundle, executable, size))
            and not any(p in digests for p in bundle.pages)
        ):
            plan.stamps[bundle.key] = earlier
            continue
        for path in bundle.pages:
            if path not in digests:
                digests[path] = hashlib.sha256(source.read(path)).digest()
        plan.stamps[bundle.key] = stamp(bundle, digests, executable, size)
    return plan


def bundle_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """The files under a bundle folder, by path relative to it, in order."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path.relative_to(folder).as_posix(), path


def can_keep(output: Path | None, bundle: Bundle, wanted: str) -> bool:
    """True when the last output holds this bundle made from pages with this stamp."""
    if output is None:
        return False
    try:
        return (output / bundle.folder / STAMP).read_text(encoding="utf-8") == wanted
    except (OSError, UnicodeDecodeError):
        return False


def kept_files(output: Path, bundle: Bundle) -> list[str]:
    """The last output's files of a bundle it keeps (output paths; plain strings: ~9,000 files at 5,000 cards)."""
    found = []
    top = str(output / bundle.folder)
    for parent, _dirs, names in os.walk(top):
        prefix = bundle.folder + "/" + os.path.relpath(parent, top) + "/" if parent != top else bundle.folder + "/"
        found += [prefix + name for name in names]
    return sorted(found)


def skipped() -> str:
    return f"skipped: Pagefind is not installed, so the site has no search index ({INSTALL})"


@dataclass(slots=True)
class Index:
    """The search files of a build: those kept as they are in the last output, those made, and the warnings."""

    kept: list[str] = field(default_factory=list)
    made: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def report(self, diags: Diagnostics) -> None:
        for warning in self.warnings:
            diags.warning("search", None, warning)


def search_index(
    files: dict[str, bytes], diags: Diagnostics, executable: Path | None, output: Path | None = None, jobs: int = 1
) -> dict[str, bytes]:
    """The search files for the HTML among files, as `pagefind/...` paths; {} with a warning if Pagefind
    cannot run. Bundles kept from the last output (output) are read from there."""

    def place(path: str, target: Path) -> None:
        target.write_bytes(files[path])

    index = indexed(files, Source(files.__getitem__, place), executable, output, jobs)
    index.report(diags)
    if output is not None:
        index.made |= {rel: (output / rel).read_bytes() for rel in index.kept}
    return index.made


class Background:
    """`build`'s index, made in a thread while the main process makes the view files: the pages are all on disk
    (pages: their output paths; where(path): where its bytes are now, asked only of the pages read or placed),
    and Pagefind runs in processes of its own. Each file made is passed to add as its bundle is made; `finish`
    waits and gives the Index (its kept files and warnings).

    With unchanged (the output is as the last build left it: planning reads only the pages written), the
    constructor returns once the first Pagefind has started (or none need to): the thread plans and places the
    changed bundle's pages alone, not sharing the interpreter with the main thread's view files, so Pagefind,
    which the edit waits for, starts sooner (docs/performance.md)."""

    def __init__(self, pages: list[str], where: Callable[[str], Path], executable: Path | None, output: Path,
                 jobs: int, add: Callable[[str, bytes], object],
                 unchanged: Callable[[str], bool] | None) -> None:  # fmt: skip
        def place(path: str, target: Path) -> None:
            try:
                os.link(where(path), target)
            except OSError:
                shutil.copyfile(where(path), target)

        source = Source(lambda path: where(path).read_bytes(), place, unchanged)
        self.stopped = False
        self.failure: BaseException | None = None
        self.index = Index()
        self.begun = threading.Event()

        def run() -> None:
            try:
                self.index = indexed(pages, source, executable, output, jobs, add, lambda: self.stopped,
                                     self.begun.set)  # fmt: skip
            except BaseException as error:  # raised again by finish, in the main thread
                self.failure = error
            finally:
                self.begun.set()

        self.thread = threading.Thread(target=run, name="explainer-search", daemon=True)
        self.thread.start()
        if unchanged is not None:
            try:
                self.begun.wait()
            except BaseException:
                self.stop()
                raise

    def finish(self) -> Index:
        self.thread.join()
        if self.failure is not None:
            raise self.failure
        return self.index

    def stop(self) -> None:
        """Kill a running Pagefind and wait (the build failed or was interrupted)."""
        self.stopped = True
        self.thread.join()


def indexed(paths: Iterable[str], source: Source, executable: Path | None, output: Path | None, jobs: int,
            add: Callable[[str, bytes], object] | None = None, cancelled: Callable[[], bool] = lambda: False,
            begun: Callable[[], object] = lambda: None) -> Index:  # fmt: skip
    """The bundles of the pages among paths: the last output's where a bundle's pages are the same, else
    Pagefind's over a temporary folder its pages are placed into (at most two at once). add: where the files
    made go as each bundle is made (else Index.made); begun is called once a Pagefind has started, or when
    none will."""
    index = Index()
    emit = add or index.made.__setitem__
    if executable is None:
        index.warnings.append(skipped())
        return index
    plan = plan_index(sorted(paths), source, executable, bundle_size(), output)
    if not plan.bundles:
        return index
    stale = [bundle for bundle in plan.bundles if not can_keep(output, bundle, plan.stamps[bundle.key])]
    if not stale:
        begun()

    def make(bundle: Bundle) -> dict[str, bytes] | str:
        place = trimming(source)
        return index_bundle(bundle, plan.stamps[bundle.key], place, executable, output, cancelled=cancelled,
                            begun=begun)  # fmt: skip

    failed = set()
    with ThreadPoolExecutor(max_workers=max(1, min(2, jobs))) as pool:
        running = pool.map(make, stale)  # Pagefind starts first; the kept bundles' files are listed meanwhile
        if output is not None:
            remade = {bundle.key for bundle in stale}
            for bundle in plan.bundles:
                if bundle.key not in remade:
                    index.kept += kept_files(output, bundle)
        for bundle, made in zip(stale, running, strict=True):
            if isinstance(made, str):
                index.warnings.append(f"skipped: {made}")
                failed.add(bundle.key)
            else:
                for path in sorted(made):
                    emit(path, made.pop(path))
    for prefix, bundles in languages_of(plan.bundles).items():
        listed = [bundle for bundle in bundles if bundle.key not in failed]
        if listed and listed[0].primary:  # the merged bundles need the primary one's scripts
            emit(prefix + MANIFEST, manifest(listed))
    return index


def trimming(source: Source) -> Callable[[str, Path], object]:
    """Where source.place would put a page whole, its trimmed copy (`trimmed`: what Pagefind reads of it, for
    the same bundle) when it can be told; else the page as source.place puts it (a hard link, for build)."""

    def place(path: str, target: Path) -> None:
        cut = trimmed(source.read(path))
        if cut is None:
            source.place(path, target)
        else:
            target.write_bytes(cut)

    return place


def scratch_folder(output: Path | None) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder beside output (`.NAME.tmp-search-…`, on its file system, so pages are hard-linked
    and Pagefind writes where the build does), marked as ours so that the next build deletes one a killed
    build left (write.clean_leftovers); without output, in the system's temporary folder."""
    if output is None:
        return tempfile.TemporaryDirectory(prefix="explainer-search-")
    folder = tempfile.TemporaryDirectory(dir=output.parent, prefix=f".{output.name}.tmp-search-")
    (Path(folder.name) / MARKER).write_bytes(MARKER_TEXT)
    return folder


def index_bundle(bundle: Bundle, wanted: str, place: Callable[[str, Path], object], executable: Path,
                 output: Path | None, nice: int = 0,
                 cancelled: Callable[[], bool] = lambda: False,
                 begun: Callable[[], object] = lambda: None) -> dict[str, bytes] | str:  # fmt: skip
    """Pagefind's bundle for the bundle's pages, as output paths with its stamp; or why it failed."""
    with scratch_folder(output) as temp:
        root = Path(temp) / "site"
        for path in bundle.pages:
            target = root / path.removeprefix(bundle.prefix)  # Pagefind's URLs: from the language's root
            target.parent.mkdir(parents=True, exist_ok=True)
            place(path, target)
        made = Path(temp) / "bundle"
        failure = run_pagefind(executable, root, made, nice, cancelled, begun)
        if failure is not None:
            return failure
        found = {
            f"{bundle.folder}/{rel}": path.read_bytes()
            for rel, path in bundle_files(made)
            if bundle.primary or DATA.fullmatch(rel)
        }
    found[f"{bundle.folder}/{STAMP}"] = wanted.encode("utf-8")
    return found


def run_pagefind(executable: Path, site: Path, bundle: Path, nice: int = 0,
                 cancelled: Callable[[], bool] = lambda: False,
                 begun: Callable[[], object] = lambda: None) -> str | None:  # fmt: skip
    """Index the HTML under site into bundle; None, or Pagefind's last line when it fails. Pagefind is
    killed once cancelled() is true (serve stopping: it must not wait for a bundle of a big site); begun() is
    called once it has started."""
    command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--silent"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        if nice:
            with contextlib.suppress(OSError):  # a lower priority is a courtesy, not a need
                os.setpriority(os.PRIO_PROCESS, process.pid, nice)
        begun()
        deadline = time.monotonic() + 600
        while True:
            try:
                out, err = process.communicate(timeout=0.1)  # retrying loses no output (subprocess docs)
                break
            except subprocess.TimeoutExpired:
                if cancelled() or time.monotonic() > deadline:
                    process.kill()
                    process.communicate()
                    return "stopped" if cancelled() else "Pagefind took more than 600 s"
    if process.returncode != 0:
        last = (err.strip() or out.strip() or "no message").splitlines()[-1]
        return f"Pagefind failed (exit {process.returncode}): {last}"
    return None
