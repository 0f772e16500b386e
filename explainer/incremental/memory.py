"""What `serve` keeps between rebuilds so a save costs little: parsed files, typed records, rendered pages.

Every rebuild runs every stage over the whole model, so its output is byte-identical to a clean build; the
caches only skip work whose inputs are the same objects, equal values, or read nothing that changed:
- load: a file with the same (mtime, size, inode) is not re-read (`load.ParseCache`),
  and when the watcher names the changed files (all already known) the folder is not listed;
- validate: a Document that is the same object as last time keeps its records;
- link, plan: when link read nothing that changed, the last Site is reused with the new records swapped in,
  and only the pages that read a change are planned again (`relink.py`, `changes.py`);
- render: compiled templates are kept; a Markdown text is rendered again only when the link (name, URL) of
  an entity it `[[links]]` to changed; a page is rendered again if it was planned again (what it read while
  rendered counts too) and its `PageSpec` differs, if a template or a render setting changed, or if the link
  of an entity it `[[links]]` to changed;
- host and view files: each kept while nothing it read changed (`viewparts.py`); sitemap.xml also while no
  page's URL, title or date changed.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup

from ..diagnostics import Diagnostic, Diagnostics
from ..hostfiles import host_files
from ..link import Site
from ..load import Document, ParseCache, load_content
from ..markdown_ext import ref_ids
from ..mediafiles import MediaFile, normalise, shown_in
from ..pages import PageSpec
from ..parallel import previewpool
from ..reads import Deps, unit
from ..render import Renderer, render_each
from ..siteconfig import languages_of, smart_quotes_of
from ..theme import template_folders
from ..validate import Records, merge_records, validate
from .imagecache import MemoryVariants
from .pagereads import PageReads
from .relink import Relinker
from .viewparts import ViewParts


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory between builds; a changed template has a new checksum."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def folder_stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """(path, mtime, size) of every file under folder: changes when any file does."""
    stamp = []
    for parent, _dirs, names in os.walk(folder):
        for name in names:
            stat = os.stat(os.path.join(parent, name))
            stamp.append((os.path.join(parent, name), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(stamp))


@dataclasses.dataclass(slots=True)
class RenderedPage:
    spec: PageSpec
    html: bytes
    deps: Deps  # what rendering it read (the entities a [[link]] in it shows too: Renderer.resolve reads them)


class BuildCache:
    """Caches for repeated builds of one site by one process (`serve`)."""

    def __init__(self) -> None:
        self.parsed = ParseCache()
        self.changed: set[str] | None = None  # the files the watcher saw change, for the next load only
        self.documents: list[Document] | None = None
        self.root: Path | None = None
        self.load_clean = False  # the last load reported nothing
        self.relink = Relinker()
        self.host: tuple[Deps, str, dict[str, bytes]] | None = None  # what they read, base_url, the files
        self.views = ViewParts()
        self.validated: dict[int, tuple[Document, Records, list[Diagnostic]]] = {}
        self.smart_quotes = True  # the setting the validated records were typeset by
        self.languages: tuple[str, ...] = ()  # site.yaml's languages, by which they read texts by language
        self.bytecode = MemoryBytecodeCache()
        self.markdown: dict[str, Markup] = {}  # Markdown source → HTML, while the entities it links to stay the same
        self.pages: dict[str, RenderedPage] = {}
        self.setting: tuple[Any, ...] | None = None
        self.targets: dict[str, Any] = {}  # id → the link a [[ref]] to it renders
        self.linked: Mapping[str, Any] = {}  # the entities those targets were computed from
        self.site: Site | None = None  # the last site rendered
        self.rendered = 0  # pages rendered by the last build, for the terminal and the benchmark
        self.jobs = 1  # processes that may render a build's pages (previewpool)
        self.media: dict[str, tuple[tuple[int, int, int], MediaFile]] = {}  # each image file read, by its stamp
        self.variants = MemoryVariants()  # each image's variants, by output path
        self.images: dict[str, tuple[str, int, int, str]] = {}  # the last build's image files (Media.stamps)

    def load(self, root: Path, diags: Diagnostics) -> list[Document]:
        """load_content(); when the watcher says which existing files changed, only those are looked at."""
        changed, self.changed = self.changed, None
        documents = self.documents
        if changed is not None and documents is not None and root == self.root and self.load_clean:
            index = {doc.path: n for n, doc in enumerate(documents)}
            inside = [os.path.normpath(p) for p in changed if Path(p).resolve().is_relative_to(root.resolve())]
            if all(p in index and os.path.isfile(p) and not os.path.islink(p) for p in inside):
                documents = list(documents)
                own = Diagnostics()
                for path in inside:
                    documents[index[path]] = self.parsed.load(documents[index[path]].kind, Path(path), path, own)
                diags.items.extend(own.items)
                self.documents, self.load_clean = documents, not own.items
                return documents
        own = Diagnostics()
        self.documents = load_content(root, own, self.parsed)
        diags.items.extend(own.items)
        diags.unread.update(own.unread)
        self.root, self.load_clean = root, not own.items
        return self.documents

    def host_files(self, site: Site, pages: list[PageSpec], base_url: str) -> dict[str, bytes]:
        """hostfiles.host_files(), kept while nothing they read changed, nor any page's URL, title or date."""
        change, host = self.relink.change, self.host
        if change is None or self.relink.heads or host is None or host[1] != base_url or change.stale(host[0]):
            files, reads = unit(lambda: host_files(site, pages, base_url))
            host = self.host = (reads.frozen(), base_url, files)
        return dict(host[2])

    def view_files(self, site: Site, base_url: str) -> dict[str, bytes]:
        """views.files.view_files(), each file (and each record's export) kept while nothing it read changed; the
        last step of a good build."""
        files = self.views.view_files(site, base_url, self.relink.change)
        self.relink.done = True
        return {path: data for path, data in files.items() if data is not None}

    def validate(self, documents: list[Document], diags: Diagnostics) -> Records:
        """validate(), reusing the records of documents that are the same objects as last time."""
        fresh: dict[int, tuple[Document, Records, list[Diagnostic]]] = {}
        smart, languages = smart_quotes_of(documents), languages_of(documents)
        if (smart, languages) != (self.smart_quotes, self.languages):  # plain text is typeset by the one, texts
            self.validated, self.smart_quotes, self.languages = {}, smart, languages  # by language read by the other
        for doc in documents:
            hit = self.validated.get(id(doc))
            if hit is None or hit[0] is not doc:
                own = Diagnostics()
                hit = (doc, validate([doc], own, smart, languages), own.items)
            fresh[id(doc)] = hit
            diags.items.extend(hit[2])
        self.validated = fresh
        return merge_records([fresh[id(doc)][1] for doc in documents])

    def render_pages(self, site: Site, pages: list[PageSpec], templates: Path, diags: Diagnostics,
                     *settings: Any) -> dict[str, bytes]:  # fmt: skip
        """render_pages(), re-rendering only pages whose inputs changed."""
        self.site = site
        stamps = tuple(map(folder_stamp, template_folders(templates)))  # the site's own and the default theme's
        setting = (stamps, templates, site.config, site.words, len(site.sources), settings)
        if setting != self.setting:
            self.pages, self.markdown, self.setting, self.linked = {}, {}, setting, {}
        images = self.changed_images(site)
        renderer = Renderer(site, templates, *settings, diags=diags)  # type: ignore[misc]  # settings: base_url, assets, relative
        known = self.linked  # a target is computed again only for entities that are new objects
        targets = {
            entity_id: self.targets[entity_id] if known.get(entity_id) is entity else renderer.resolve(entity_id)
            for entity_id, entity in site.entities.items()
        }  # what a [[ref]] to each id shows
        self.linked = dict(site.entities)
        old = self.targets
        changed = {i for i in old.keys() | targets.keys() if old.get(i) != targets.get(i)}
        self.targets = targets
        if changed:
            self.markdown = {src: html for src, html in self.markdown.items() if changed.isdisjoint(ref_ids(src, src))}
        paths = [page.output_path for page in pages]
        changed |= images  # a page that shows an image read its name (mediafiles.Media.get)
        dirty = [page for page, path in zip(pages, paths, strict=True) if self.is_dirty(page, path, changed)]
        reads = PageReads(renderer)
        fresh = self.render_dirty(renderer, dirty, diags, reads)
        for page in dirty:
            if page.output_path in fresh:
                self.pages[page.output_path] = RenderedPage(page, fresh[page.output_path],
                                                            reads.pages[page.output_path])  # fmt: skip
            else:  # not rendered (a broken template): made again next time, whatever changes
                self.pages.pop(page.output_path, None)
        self.rendered = len(fresh)
        kept = {path: self.pages[path] for path in paths if path in self.pages}
        self.pages = kept
        return {path: entry.html for path, entry in kept.items()}

    def changed_images(self, site: Site) -> set[str]:
        """The names of the image files changed, added or removed since the last build; the Markdown texts that
        show one are forgotten."""
        images = site.media.stamps()
        changed = {name for name in images.keys() | self.images.keys() if images.get(name) != self.images.get(name)}
        self.images = images
        if changed:
            self.markdown = {src: html for src, html in self.markdown.items()
                             if changed.isdisjoint(normalise(image) for image in shown_in(src))}  # fmt: skip
        return changed

    def render_dirty(self, renderer: Renderer, pages: list[PageSpec], diags: Diagnostics,
                     reads: PageReads) -> dict[str, bytes]:  # fmt: skip
        """render.render_each, with compiled templates and Markdown kept from the last build; many pages (the
        first build) over `jobs` forked workers when no other thread runs (`previewpool`)."""
        renderer.env.bytecode_cache = self.bytecode
        if not renderer.relative:  # relative links differ by page depth: the renderer keeps those itself
            renderer.markdown.cache = self.markdown
        if previewpool.usable(pages, self.jobs):
            return previewpool.render_forked(renderer, pages, reads, diags, self.jobs)
        return render_each(renderer, pages, diags)

    def is_dirty(self, page: PageSpec, path: str, changed: set[str]) -> bool:
        """Whether page (at path) must be rendered again; a page that need not be takes page as its spec."""
        entry = self.pages.get(path)
        if entry is None or (changed and not changed.isdisjoint(entity for entity, _field in entry.deps.fields)):
            return True
        if not (entry.spec is page or entry.spec == page):
            return True
        entry.spec = page
        return False

    def rendered_reads(self) -> dict[str, Deps]:
        """What rendering each kept page read, by output path (relink.plan)."""
        return {path: entry.deps for path, entry in self.pages.items()}
