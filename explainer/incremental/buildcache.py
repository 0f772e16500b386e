"""The persistent build cache (`.cache/explainer/` beside the content folder).

Five things are kept, each under a key that holds everything its value depends on:
- the whole build: a digest of every input byte (content, templates, static),
  the build options and the generator's own code and library versions, with
  the output folder's file list as this build left it. Same key and untouched
  output: the next build writes nothing and replays its diagnostics.
- each page: a digest of its `PageSpec` (the whole context, record by record),
  of the link every `[[ref]]` in it renders to, and of the templates, settings,
  code, the whole SiteConfig and site.yaml's data (`render_key`), with what the
  page read (reads.py: a later build that knows what changed keeps the page,
  key and all, if it read none of it, without the key being made again). The HTML
  itself is not stored: the output folder holds it, and the build keeps that file (hard-linked into the new tree, or
  left where it is) only if its size, mtime and inode are the ones this cache
  saw after writing it; it is never read back.
- each Markdown text: a digest of its source, of the links its `[[refs]]`
  render to and of the renderer's settings, with its HTML (zlib-compressed:
  a fifth of the memory and of the file) and findings.
- each content file's records, with its load and validation diagnostics
  (`StoredDocuments`): a digest of its kind and bytes and of the settings
  that validate it, in a file keyed on the code, so an unchanged file is
  neither parsed nor validated again. The bytes' digest is the one taken for
  the whole build's key.
- each input file's stat (size, mtime, ctime, inode) with the digest of its
  bytes (`digests.FileDigests`): the whole build's key reads only the files
  whose stat changed, or that were written too close to the moment the stamps
  were taken to trust it (git's racy rule), so an unchanged file is not read.

A value whose key differs is never used, so a stale cache cannot change the
output; a corrupt or unreadable file is dropped with one line on stderr.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import sys
import tempfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..diagnostics import Diagnostic, Diagnostics, Severity
from ..inplace import Stamp, output_manifest, stamp
from ..load import Document, document_of, load_document
from ..reads import Deps
from ..validate import Records, merge_records, validate
from .changes import DepTable, Packed
from .digests import FORMAT, Digester, FileDigests, code_key, digest, folder_key
from .packing import pack, unpack

EDITS_MAX = 100  # StoredDocuments.earlier() answers for at most this many changed files


Stored = tuple[bytes, list[tuple[int, str]]]  # a Markdown text's HTML, zlib-compressed UTF-8, and its findings


def compress(html: str) -> bytes:
    return zlib.compress(html.encode("utf-8"), 1)


def decompress(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8")


class OtherVersion(Exception):
    """A cache file names a class this version of explainer does not have (it moved, or was renamed)."""


class CacheUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        try:
            return super().find_class(module, name)
        except (ImportError, AttributeError) as error:
            raise OtherVersion(f"{module}.{name}") from error


def read_pickle(path: Path) -> Any:
    """A cache file's contents; None when there is none or another version wrote it, with one line on stderr
    when it is unreadable."""
    try:
        with open(path, "rb") as handle:
            value = CacheUnpickler(handle).load()
        if not isinstance(value, dict) or not isinstance(value.get("format"), int):
            raise ValueError("not a cache file")
        if value["format"] != FORMAT:
            return None  # written by another version of explainer: expected after an upgrade, not a problem
        return value
    except (FileNotFoundError, OtherVersion):  # OtherVersion: e.g. a class stored before it moved (issue 16)
        return None
    except Exception as error:  # truncated, garbled, a folder, no permission: start afresh, never crash
        if isinstance(error, AttributeError) and "object has no attribute" in str(error):
            return None  # a record stored with fields its class no longer has: another version's file
        reason = f"{type(error).__name__}: {error}".splitlines()[0][:120]
        print(f"warning: build cache {path} is unreadable ({reason}); building without it", file=sys.stderr)
        return None


def write_pickle(path: Path, value: dict[str, Any]) -> None:
    """Write a cache file atomically; a cache that cannot be written is only a slower next build."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump({"format": FORMAT, **value}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as error:
        print(
            f"warning: build cache {path} could not be written ({error}); the next build starts afresh", file=sys.stderr
        )


# The key of a page rendered without its key being made (pagepool.unchanged_pages): no key made equals it, so
# the page is kept only by a build that knows its context unchanged without making its key.
UNMADE = b""


@dataclasses.dataclass(slots=True)
class PageEntry:
    key: bytes
    diagnostics: tuple[Diagnostic, ...]
    deps: Deps | Packed | None = None  # what planning and rendering it read (None: unknown, so never kept by it)


class BuildStore:
    """The build cache of one output folder (and the Markdown cache shared by all)."""

    def __init__(self, folder: Path, output: Path):
        self.folder = folder
        self.output = Path(os.path.abspath(output))
        name = digest(str(self.output).encode()).hex()[:12]
        self.state_path = folder / f"build-{name}.pickle"
        self.markdown_path = folder / "markdown.pickle"
        self.code = code_key()
        self.documents = StoredDocuments(folder / f"documents-{name}.pickle", self.code)
        state = read_pickle(self.state_path) or {}
        if state.get("code") != self.code or state.get("output") != str(self.output):
            state = {}
        self.inputs: bytes | None = state.get("inputs")
        self.manifest: dict[str, Stamp] = state.get("manifest", {})
        self.pages: dict[str, PageEntry] = state.get("pages", {})
        self.summary: tuple[dict[str, int], list[Diagnostic]] | None = state.get("summary")
        self.last_documents: bytes | None = state.get("documents")  # files_key() of the files it read
        self.last_settings: str | None = state.get("settings")
        self.last_common: bytes | None = state.get("common")  # its pages' render_key
        self.last_media: dict[str, tuple[str, int, int, str]] | None = state.get("media")  # its Media.stamps()
        # each input file's stat and digest, as the last build's inputs key took them (digests.FileDigests)
        self.digests = FileDigests(state.get("stamps"), state.get("stamped", 0))
        self.table = DepTable(state.get("table", []))  # the numbers of the (id, field) pairs in pages' and views' reads
        self.views: dict[str, Deps | Packed] = state.get("views", {})  # what each view file and export part read
        self.shapes: dict[str, frozenset[tuple[str, str]]] = state.get("shapes", {})  # link's, the tables' reads
        self.new_shapes: dict[str, frozenset[tuple[str, str]]] = {}
        self.new_views: dict[str, Deps | Packed] = {}
        self.settings = ""  # this build's (set by pipeline.build)
        self.common = b""  # this build's render_key (set by pagepool.render_all)
        self.media: dict[str, tuple[str, int, int, str]] = {}  # this build's image files (set by pipeline)
        self.site_data = b""  # site.yaml as this build read it (site_data_key, set by pipeline.render_site)
        self.read_documents: bytes | None = None  # files_key() of this build's files, once loaded
        self.new_pages: dict[str, PageEntry] = {}
        self._markdown: dict[bytes, Stored] | None = None
        self.markdown_used: dict[bytes, Stored] = {}
        self.markdown_added = 0
        self.partial = False  # some pages were kept, not rendered: their texts are not among markdown_used

    # the whole build

    def inputs_key(self, settings: object, folders: Iterable[Path]) -> bytes:
        """The whole build's key; each file's digest is kept for the documents' cache, which then need not read
        an unchanged file again. A file whose stat is the one the last build stamped is not read (FileDigests)."""
        seen = self.documents.known
        return digest(self.code, repr(settings).encode(), *(folder_key(f, seen, self.digests) for f in folders))

    def unchanged(self, inputs: bytes) -> bool:
        """True when the last build had these very inputs and its output is as it left it."""
        return (
            self.summary is not None
            and self.inputs == inputs
            and bool(self.manifest)
            and self.output.is_dir()
            and output_manifest(self.output) == self.manifest
        )

    def save(self, inputs: bytes, pages: dict[str, int], diagnostics: list[Diagnostic],
             manifest: dict[str, Stamp] | None = None) -> None:  # fmt: skip
        """Record a successful build, after its output was written (whose manifest may be known already)."""
        state = {
            "code": self.code,
            "output": str(self.output),
            "inputs": inputs,
            "manifest": manifest if manifest is not None else output_manifest(self.output),
            "pages": self.new_pages,
            "table": self.table.compacted(self.new_pages, self.new_views),
            "summary": (pages, diagnostics),
            "documents": self.read_documents,
            "settings": self.settings,
            "common": self.common,
            "media": self.media,
            "views": {name: self.table.pack(deps) for name, deps in self.new_views.items()},
            "shapes": self.new_shapes,
            "stamps": self.digests.stamps,
            "stamped": self.digests.taken,
        }
        write_pickle(self.state_path, state)
        self.save_markdown()
        self.documents.save()

    # pages

    def cached_page(self, path: str, key: bytes, intact: bool = False) -> tuple[Diagnostic, ...] | None:
        """The diagnostics of a page with this key, if the output folder still holds the file it rendered to
        last time (same size, mtime and inode as this cache saw after writing it: intact says the whole
        folder was checked so); None: render it."""
        entry = self.pages.get(path)
        if entry is None or entry.key != key or path not in self.manifest:
            return None
        if not intact and stamp(self.output / path) != self.manifest[path]:
            return None
        self.new_pages[path] = entry
        return entry.diagnostics

    def rendered_page(self, path: str, key: bytes, diagnostics: Iterable[Diagnostic], deps: Deps | None) -> None:
        self.new_pages[path] = PageEntry(key, tuple(diagnostics), self.table.pack(deps))

    # Markdown

    @property
    def markdown(self) -> dict[bytes, Stored]:
        if self._markdown is None:
            self._markdown = (read_pickle(self.markdown_path) or {}).get("texts", {})
            if not isinstance(self._markdown, dict):
                self._markdown = {}
        return self._markdown

    def add_markdown(self, entries: Iterable[tuple[bytes, bytes, list[tuple[int, str]]]]) -> None:
        for key, html, findings in entries:
            self.markdown_used[key] = (html, findings)
            self.markdown_added += 1

    def save_markdown(self) -> None:
        """Add this build's new texts; drop the unused ones once they outnumber the used (known only when
        every page was rendered)."""
        if not self.markdown_added:
            return
        texts = {**self.markdown, **self.markdown_used}
        if not self.partial and len(texts) > 2 * len(self.markdown_used) + 1000:
            texts = self.markdown_used
        write_pickle(self.markdown_path, {"texts": texts})


def site_data_key(documents: Iterable[Document]) -> bytes:
    """site.yaml as read: every key and value, whether the validator knows it or not (a field it learns later
    is then in every page's key without anyone listing it)."""
    return digest(b"site", *(repr(doc.data).encode() for doc in documents if doc.kind == "site"))


def files_key(entries: dict[str, tuple[bytes, bytes]]) -> bytes:
    """The names and keys of StoredDocuments entries: which files, with which bytes."""
    return digest(*(rel.encode() + b"\x00" + key for rel, (key, _) in sorted(entries.items())))


Checked = tuple[list[Diagnostic], Records, list[Diagnostic], Document | None]
# a content file as StoredDocuments keeps it: its load diagnostics, its records (validate([document])), its
# validation diagnostics, and its Document if it is site.yaml (whose settings the other files are validated by)


def checked(kind: str, document: Document, loaded: list[Diagnostic], smart_quotes: bool,
            languages: tuple[str, ...]) -> Checked:  # fmt: skip
    """A loaded file validated alone, as validate() validates it among the others."""
    own = Diagnostics()
    records = validate([document], own, smart_quotes, languages)
    return loaded, records, own.items, document if kind == "site" else None


class StoredDocuments:
    """Loading and validation for a cached `build` (parallel/checkpool.py): each content file's records and
    load and validation diagnostics (`Checked`), kept under a digest of its kind and bytes and of the settings
    it is validated by (site.yaml's smart_quotes and languages; site.yaml's own entry is validated by itself),
    so an unchanged file is neither parsed nor validated again. An entry is a function of those alone and of
    the code, which the file is keyed on as a whole. Each file's entry is pickled on its own (packing.py), so
    saving after a one-card edit pickles one card's records, not all."""

    def __init__(self, path: Path, code: bytes):
        self.path = path
        self.code = code
        self._entries: dict[str, tuple[bytes, bytes]] | None = None
        self.used: dict[str, tuple[bytes, bytes]] = {}  # name → (key, packed Checked)
        self.known: dict[str, bytes] = {}  # path → digest of its bytes, read for the build's inputs key
        self.parsed = 0  # files parsed and validated afresh by this build
        self.smart_quotes = True  # the settings this build validates by (site.yaml's): settings()
        self.languages: tuple[str, ...] = ()
        self.setting = repr((True, ())).encode()

    @property
    def entries(self) -> dict[str, tuple[bytes, bytes]]:
        if self._entries is None:
            stored = read_pickle(self.path) or {}
            entries = stored.get("documents")
            self._entries = entries if stored.get("code") == self.code and isinstance(entries, dict) else {}
        return self._entries

    def settings(self, smart_quotes: bool, languages: tuple[str, ...]) -> None:
        """Validate by site.yaml's smart_quotes and languages (every file but site.yaml itself)."""
        self.smart_quotes, self.languages = smart_quotes, languages
        self.setting = repr((smart_quotes, languages)).encode()

    def key(self, kind: str, raw: bytes) -> bytes:
        """An entry's key: the file's kind, the digest of its bytes and the settings that validate it."""
        return digest(b"document", kind.encode(), raw, b"" if kind == "site" else self.setting)

    def stored(self, kind: str, path: Path, rel: str) -> tuple[bytes, bytes] | None:
        """The file's entry, when its bytes (as this build's inputs key read them) are the ones it holds."""
        entry = self.entries.get(rel)
        known = self.known.get(str(path))  # its bytes' digest from this build's inputs key: not read again
        return entry if entry is not None and known is not None and entry[0] == self.key(kind, known) else None

    def lookup(self, kind: str, path: Path, rel: str) -> tuple[bytes | None, bytes, Checked | None]:
        """The file's entry (key, packed Checked), and its Checked when it was loaded and validated afresh
        (None: stored); a key None when the file cannot be read (the Checked says why; not stored)."""
        entry = self.stored(kind, path, rel)
        if entry is not None:
            return entry[0], entry[1], None
        own = Diagnostics()
        try:
            raw = path.read_bytes()
        except OSError:
            document = load_document(kind, path, rel, own)  # which says why it cannot be read
            value = checked(kind, document, own.items, self.smart_quotes, self.languages)
            return None, pack(value), value
        key = self.key(kind, digest(raw))
        entry = self.entries.get(rel)
        if entry is not None and entry[0] == key:
            return key, entry[1], None
        value = checked(kind, document_of(kind, raw, rel, own), own.items, self.smart_quotes, self.languages)
        return key, pack(value), value

    def adopt(self, rel: str, key: bytes | None, data: bytes, value: Checked | None, parsed: bool) -> Checked:
        """Keep the entry (key, data) as this build's for rel (parsed: afresh, here or by a worker), unless the
        file could not be read (key None); its Checked (value, or unpacked from data)."""
        if key is not None:
            self.used[rel] = (key, data)
            self.parsed += parsed
        return value if value is not None else unpack(data)

    def earlier(self) -> tuple[bytes, Records, frozenset[str]] | None:
        """Between loading and save(): the files_key() of the stored files (the ones the build that saved
        them read), and the records then of the files this build read with other bytes, with their names;
        None when a file was added or removed since, or those records had errors."""
        before = self.entries
        if before.keys() != self.used.keys():
            return None
        changed = [rel for rel, (key, _) in self.used.items() if before[rel][0] != key]
        if len(changed) > EDITS_MAX:
            return None
        parts = [unpack(before[rel][1]) for rel in changed]
        if any(d.severity is Severity.ERROR for part in parts for d in part[2]):
            return None
        return files_key(before), merge_records([part[1] for part in parts]), frozenset(changed)

    def save(self) -> None:
        """Keep the files of this build, if any was parsed afresh or is gone; then let go of every entry. Safe
        before the build has succeeded (an entry is a function of its key), and called right after loading:
        the pickled entries are then not held while the pages render."""
        if self.used and (self.parsed or len(self.used) != len(self.entries)):
            write_pickle(self.path, {"code": self.code, "documents": self.used})
        self.used, self._entries, self.parsed, self.known = {}, None, 0, {}


class StoredMarkdown(dict[str, Markup]):
    """MarkdownRenderer.cache backed by the BuildStore: source → HTML, for the links as they are now."""

    def __init__(self, store: BuildStore | None, texts: dict[bytes, Stored],
                 setting: bytes, digester: Digester, removed: dict[str, list[tuple[int, str]]]):  # fmt: skip
        super().__init__()
        self.store = store
        self.texts = texts  # the stored texts (a forked worker's copy)
        self.setting = setting
        self.digester = digester
        self.removed = removed  # the renderer's findings by source
        self.used: list[tuple[bytes, str | None]] = []  # (key, source when newly rendered) in order

    def key(self, source: str) -> bytes:
        return digest(self.setting, self.digester(source))

    def get(self, source: str, default: Any = None) -> Any:
        html = super().get(source)
        if html is not None:
            return html
        key = self.key(source)
        hit = self.texts.get(key)
        if hit is None:
            return default
        html = Markup(decompress(hit[0]))
        self.removed[source] = list(hit[1])
        super().__setitem__(source, html)
        self.used.append((key, None))
        return html

    def __setitem__(self, source: str, html: Markup) -> None:
        super().__setitem__(source, html)
        self.used.append((self.key(source), source))

    def take(self) -> list[tuple[bytes, bytes, list[tuple[int, str]]]]:
        """The texts used since the last call, with their HTML (compressed) and findings: for the store."""
        taken = []
        for key, source in self.used:
            if source is None:
                html, findings = self.texts[key]
            else:
                html, findings = compress(str(super().__getitem__(source))), list(self.removed.get(source, []))
            taken.append((key, html, findings))
        self.used = []
        return taken
