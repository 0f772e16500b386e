"""Fingerprinted static files: `static/style.css` → `static/style.3f2a1b9c.css`.

A name carries the first 8 hex digits of the SHA-256 of the file's bytes, so
hosts may cache it forever: new bytes get a new name. CSS files have their
`url(...)` and `@import` references to other static files rewritten first, so
a stylesheet's name also changes when a file it names changes.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from urllib.parse import urlsplit

HASH_LENGTH = 8
CSS_REF_RE = re.compile(
    r"""(?P<lead>url\(\s*|@import\s+(?=['"]))(?P<quote>['"]?)(?P<ref>[^'")\s]+)(?P=quote)""",
    re.IGNORECASE,
)


def hashed_name(path: str, data: bytes) -> str:
    """`static/style.css` → `static/style.3f2a1b9c.css` for these bytes."""
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    folder, name = posixpath.split(path)
    stem, dot, suffix = name.rpartition(".")
    new = f"{stem}.{digest}.{suffix}" if dot and stem else f"{name}.{digest}"
    return posixpath.join(folder, new)


def css_target(css_path: str, ref: str) -> tuple[str, str] | None:
    """The static path a relative CSS reference names, and its ?query#fragment; None if not local."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(css_path), parts.path))
    rest = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    return target, rest


class Fingerprinter:
    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.names: dict[str, str] = {}
        self.data: dict[str, bytes] = {}
        self.busy: set[str] = set()

    def name(self, path: str) -> str:
        """The fingerprinted name of path, rewriting a stylesheet's references first."""
        if path in self.names:
            return self.names[path]
        data = self.files[path]
        if path.endswith(".css"):
            self.busy.add(path)
            data = self.rewrite_css(path, data)
            self.busy.discard(path)
        self.names[path] = hashed_name(path, data)
        self.data[path] = data
        return self.names[path]

    def rewrite_css(self, path: str, data: bytes) -> bytes:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return data

        def replace(match: re.Match[str]) -> str:
            found = css_target(path, match.group("ref"))
            if found is None or found[0] not in self.files or found[0] in self.busy:
                return match.group(0)
            target, rest = found
            new = posixpath.relpath(self.name(target), posixpath.dirname(path))
            return f"{match.group('lead')}{match.group('quote')}{new}{rest}{match.group('quote')}"

        return CSS_REF_RE.sub(replace, text).encode("utf-8")


def fingerprint(files: dict[str, bytes]) -> tuple[dict[str, bytes], dict[str, str]]:
    """The files under their fingerprinted names, and the map from each old name to its new one."""
    printer = Fingerprinter(files)
    names = {path: printer.name(path) for path in sorted(files)}
    return {names[path]: printer.data[path] for path in sorted(files)}, names
