"""Stage 1, load: read the content folder into raw documents with lines."""

from __future__ import annotations

import codecs
import dataclasses
import os
import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .diagnostics import Diagnostic, Diagnostics, Unread
from .yamlfile import ParsedYaml, parse_yaml
from .yamlfile import Path as KeyPath

FACT_KINDS = ("actors", "events", "sources")
YAML_SUFFIXES = (".yaml", ".yml")
MARKDOWN_LIKE = (".markdown", ".mdown", ".mkd", ".mkdn", ".txt", ".text")
_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


@dataclass(frozen=True, slots=True)
class Document:
    """One content file: its data, the line of every key, and its Markdown body.

    A file that could not be read or parsed is kept as `readable=False` so that
    later stages can tell "broken" from "missing" and not report every
    reference into it as unknown.
    """

    kind: str  # "site", "issue", "translation" (`issues/<id>.<lang>.md`), "actors", "events", "sources" or
    # "catalogue" (a .po file: its text is the body)
    path: str  # the content folder as given on the command line, then the file
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    ref_sources: dict[KeyPath, tuple[int, str]] = field(default_factory=dict)
    readable: bool = True

    @property
    def stem(self) -> str:
        return Path(self.path).stem

    def line(self, *key_path: str | int) -> int:
        """The line of key_path, or of its nearest parent that has one."""
        line = self.lines.get(key_path)  # the common case: the key path has a line of its own
        if line is not None:
            return line
        path = tuple(key_path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def ref_source(self, *key_path: str | int) -> tuple[int, str] | None:
        """The first line and source text of a value that holds `[[`, as written."""
        return self.ref_sources.get(tuple(key_path))


def is_ignored(name: str) -> bool:
    """Hidden files and editor droppings (`.#x.md`, `x.md~`, `4913`, `x.swp`)."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp", ".bak")) or name.isdigit()


def content_files(root: Path, misnamed: list[tuple[str, Path, str]] | None = None) -> Iterator[tuple[str, Path, bool]]:
    """Yield (kind, path, is a symlink) for every content file under root, in a stable order. Files in the same
    folders that look like content but are not read (`x.markdown`, `x.MD`) go to misnamed, with their kind and
    the suffix wanted."""
    site = root / "site.yaml"
    if site.is_file():
        yield "site", site, site.is_symlink()
    for kind, path, symlink in folder_files("issue", root / "issues", (".md",), (*MARKDOWN_LIKE, ".md"), misnamed):
        yield ("translation" if "." in path.stem else kind), path, symlink  # `<id>.<lang>.md` translates `<id>.md`
    for kind in FACT_KINDS:
        for suffix in YAML_SUFFIXES:
            single = root / f"{kind}{suffix}"
            if single.is_file():
                yield kind, single, single.is_symlink()
        yield from folder_files(kind, root / kind, YAML_SUFFIXES, YAML_SUFFIXES, misnamed)
    # the site's own wording of built-in strings, one gettext catalogue per language (docs/languages.md)
    yield from folder_files("catalogue", root / "i18n", (".po",), (".po",), misnamed)


def folder_files(kind: str, folder: Path, read: tuple[str, ...], looks_like: tuple[str, ...],
                 misnamed: list[tuple[str, Path, str]] | None) -> Iterator[tuple[str, Path, bool]]:  # fmt: skip
    try:
        with os.scandir(folder) as scan:  # DirEntry: its type without a stat per file (20,000 cards: 0.1 s)
            entries = sorted(scan, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        name = entry.name
        if is_ignored(name) or not entry.is_file():
            continue
        suffix = os.path.splitext(name)[1]
        if suffix in read:
            yield kind, folder / name, entry.is_symlink()
        elif misnamed is not None and suffix.lower() in looks_like:
            misnamed.append((kind, folder / name, read[0]))


DOCUMENT_FIELDS = tuple(f.name for f in dataclasses.fields(Document))


def pack_document(document: Document, diagnostics: list[Diagnostic]) -> bytes:
    """A Document and its load diagnostics, pickled as plain values (its fields in order: a frozen dataclass
    would be rebuilt field by field through object.__setattr__)."""
    fields = tuple(getattr(document, name) for name in DOCUMENT_FIELDS)
    return pickle.dumps((fields, diagnostics), protocol=pickle.HIGHEST_PROTOCOL)


def unpack_document(data: bytes) -> tuple[Document, list[Diagnostic]]:
    fields, diagnostics = pickle.loads(data)
    return Document(*fields), diagnostics


def read_text(path: Path, rel: str, diags: Diagnostics) -> str | None:
    """Read a UTF-8 file with any BOM and CRLF line endings normalised."""
    raw = read_bytes(path, rel, diags)
    return None if raw is None else decode_text(raw, rel, diags)


def read_bytes(path: Path, rel: str, diags: Diagnostics) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as error:
        diags.error(rel, None, f"cannot read this file: {error.strerror or error}")
        return None


def decode_text(raw: bytes, rel: str, diags: Diagnostics) -> str | None:
    """A file's bytes as text: UTF-8 with any BOM and CRLF line endings normalised."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        diags.error(rel, 1, "saved as UTF-16, not UTF-8: save the file as UTF-8")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        diags.error(
            rel,
            line,
            f"not UTF-8 text (byte 0x{raw[error.start]:02x}): save the file as UTF-8",
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, rel: str, diags: Diagnostics) -> tuple[str, str, int] | None:
    """Split a card into (front matter, body, body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        diags.error(rel, 1, "an issue card must start with front matter: a line '---', the fields, then '---'")
        return None
    for number, line in enumerate(lines[1:], start=1):
        if _FENCE.match(line):
            front = "\n".join(lines[1:number])
            body = "\n".join(lines[number + 1 :])
            return front, body, number + 2
    diags.error(rel, 1, "front matter is not closed: add a line '---' after the last field")
    return None


def load_document(kind: str, path: Path, rel: str, diags: Diagnostics) -> Document:
    """Read one content file into a Document; report why it cannot be read."""
    raw = read_bytes(path, rel, diags)
    if raw is None:
        return Document(kind, rel, None, readable=False)
    return document_of(kind, raw, rel, diags)


def document_of(kind: str, raw: bytes, rel: str, diags: Diagnostics) -> Document:
    """A content file's Document from its bytes alone (and the kind and name it was listed under)."""
    text = decode_text(raw, rel, diags)
    if text is None:
        return Document(kind, rel, None, readable=False)
    if kind == "catalogue":
        return Document(kind, rel, {}, body=text)
    if kind not in ("issue", "translation"):
        return from_yaml(kind, rel, parse_yaml(text, rel, diags))
    parts = split_front_matter(text, rel, diags)
    if parts is None:
        return Document(kind, rel, None, readable=False)
    front, body, body_line = parts
    return from_yaml(kind, rel, parse_yaml(front, rel, diags, offset=1), body, body_line)


def from_yaml(kind: str, rel: str, parsed: ParsedYaml | None, body: str = "", body_line: int = 1) -> Document:
    if parsed is None:
        return Document(kind, rel, None, readable=False)
    return Document(kind, rel, parsed.data, parsed.lines, body, body_line, parsed.ref_sources)


class ParseCache:
    """Documents of earlier loads by (path, mtime, size, inode): `serve` re-reads only changed files."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[tuple[int, int, int], Document, list[Diagnostic]]] = {}

    def load(self, kind: str, path: Path, rel: str, diags: Diagnostics) -> Document:
        """load_document, or the same Document (and its diagnostics again) if the file is unchanged."""
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        entry = self.entries.get(rel)
        if entry is None or entry[0] != key or entry[1].kind != kind:
            own = Diagnostics()
            entry = (key, load_document(kind, path, rel, own), own.items)
            self.entries[rel] = entry
        diags.items.extend(entry[2])
        return entry[1]


def listed_files(root: Path, diags: Diagnostics) -> list[tuple[str, Path, str, bool]]:
    """(kind, path, path as the user names it, inside the content folder) of every content file."""
    if not root.is_dir():
        diags.error(str(root), None, "content folder not found: create it, or run 'python build.py new issue ID'")
        return []
    misnamed: list[tuple[str, Path, str]] = []
    files = list(content_files(root, misnamed))
    if not files:
        diags.error(
            root.as_posix(),
            None,
            "the content folder is empty: add site.yaml and issues/<id>.md (docs/content-format.md), "
            "or run 'python build.py new issue ID'",
        )
        return []
    resolved_root = root.resolve()
    folders: dict[Path, bool] = {}  # a file that is not a symlink is inside if its folder is
    listed = []
    for kind, path, symlink in files:
        inside = folders.get(path.parent)
        if inside is None:
            inside = folders[path.parent] = path.parent.resolve().is_relative_to(resolved_root)
        if inside and symlink:
            inside = path.resolve().is_relative_to(resolved_root)
        if not inside:
            rel = path.as_posix()
            diags.error(rel, None, "a symlink pointing outside the content folder: copy the file in instead")
        listed.append((kind, path, path.as_posix(), inside))  # as the user names it, so editors can jump to it
    for kind, path, wanted in misnamed:
        diags.warning(
            path.as_posix(),
            None,
            f"not read: only files ending in '{wanted}' are content here; rename it to '{path.stem}{wanted}'",
        )
        section = "issues" if kind == "issue" else kind
        diags.unread.setdefault((section, path.stem), Unread(path.as_posix(), path.stem + wanted))
    if not any(kind == "site" for kind, *_ in listed):
        diags.error(
            (root / "site.yaml").as_posix(), None, "site.yaml is missing: create it with a 'title' and a 'description'"
        )
    return listed


class DocumentCache(Protocol):
    def load(self, kind: str, path: Path, rel: str, diags: Diagnostics) -> Document: ...


def load_content(root: Path, diags: Diagnostics, cache: DocumentCache | None = None) -> list[Document]:
    """Load every content file under root; problems go to diags. A cache skips unchanged files."""
    return load_listed(listed_files(root, diags), diags, cache)


def load_listed(listed: list[tuple[str, Path, str, bool]], diags: Diagnostics,
                cache: DocumentCache | None = None) -> list[Document]:  # fmt: skip
    """load_content() of the files listed_files() gave."""
    documents = []
    for kind, path, rel, inside in listed:
        if not inside:
            documents.append(Document(kind, rel, None, readable=False))
        else:
            documents.append(cache.load(kind, path, rel, diags) if cache else load_document(kind, path, rel, diags))
    return documents
