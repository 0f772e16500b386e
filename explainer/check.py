"""`python build.py check`: build into a temporary folder, then check the result.

Content problems are the build's own diagnostics (`path:line: error: ...`).
Output problems name the page's URL: a link or #fragment that resolves to
nothing, an asset that is missing, a page without a title or description,
`[[` or `]]` left in a page's text (a `[[link]]` that was not made a link,
named with the content file it was written in).
External links are fetched only on request, a few at a time, each with a
short timeout, with every source's address and snapshot (sourcecheck.py).
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import __version__
from .assets import CSS_REF_RE, css_target
from .diagnostics import Diagnostics
from .hostfiles import absolute_base
from .load import listed_files, load_document, load_listed
from .model import Entity, Source
from .pageparse import STRAIGHT, Link, Stray, parse_page
from .pages import entity_url
from .pipeline import BuildOptions, BuildResult, build
from .render import base_path
from .siteconfig import validate_site
from .sourcecheck import addresses, declared_sources, snapshot_list, source_problems
from .translations import outdated_lines, untranslated_lines
from .validate import validate

FETCH_WORKERS = 8
FETCH_TIMEOUT = 10.0


@dataclass(slots=True)
class CheckReport:
    problems: list[str] = field(default_factory=list)
    pages: int = 0
    links: int = 0
    external: int = 0
    translations: list[str] = field(default_factory=list)  # untranslated cards and out-of-date translations


def translation_status(content: Path) -> list[str]:
    """Per language, the cards not (fully) translated, then the translations older than their cards: what a
    translator has left to do, not problems (a card may wait for its translation)."""
    diags = Diagnostics()  # the build has reported them already
    records = validate(load_listed(listed_files(content, diags), diags), diags)
    return untranslated_lines(records) + outdated_lines(records)


class ContentSources:
    """Where a page's words were written: each entity page's own file, and the line holding a text.

    Made only when a page shows a stray `[[`: it reads the content folder again (the build keeps no map)."""

    def __init__(self, content: Path):
        diags = Diagnostics()  # the build has reported them already
        listed = listed_files(content, diags)
        records = validate(load_listed(listed, diags), diags)
        pages: list[Entity] = [*records.issues, *records.actors, *records.events]
        self.owners = {entity_url(entity): entity.path for entity in pages}
        # smart quotes made straight again, one character for one, so offsets (and lines) stay as written
        self.texts = {rel: path.read_text(encoding="utf-8-sig", errors="replace").translate(STRAIGHT)
                      for _kind, path, rel, inside in listed if inside}  # fmt: skip

    def locate(self, page: str, stray: Stray) -> str | None:
        """`path:line` of the stray's words as written (else of its key), in the page's own file first; else
        the page's own file, if it has one."""
        own = self.owners.get(page)
        order = sorted(self.texts, key=lambda rel: rel != own)  # a stable sort: the rest in file order
        words = r"\s+".join(map(re.escape, stray.text.translate(STRAIGHT).split()))
        for pattern in (words, re.escape(stray.key)):
            for rel in order:
                match = re.search(pattern, self.texts[rel])
                if match:
                    at = match.start() if stray.text.startswith("[[") else match.end() - 1
                    return f"{rel}:{self.texts[rel].count(chr(10), 0, at) + 1}"
        return own


class OutputChecker:
    """Checks a built site folder, knowing the base URL it was built for."""

    def __init__(self, root: Path, base_url: str, content: Path | None = None):
        self.root = root
        self.content = content
        self.sources: ContentSources | None = None
        self.base = base_path(base_url)
        self.absolute = absolute_base(base_url)
        self.files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
        self.pages = {rel: parse_page(root / rel) for rel in sorted(self.files) if rel.endswith(".html")}
        self.external: dict[str, list[str]] = {}  # URL → the pages that link to it
        self.report = CheckReport(pages=len(self.pages))

    def page_url(self, rel: str) -> str:
        """The address a reader uses for an output file: `https://example.org/explainer/issues/x/`."""
        path = rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel
        return (self.absolute or self.base) + path

    def problem(self, rel: str, line: int | None, message: str) -> None:
        where = f" (line {line} of {rel})" if line else ""
        self.report.problems.append(f"{self.page_url(rel)}: error: {message}{where}")

    def internal_path(self, rel: str, url: str) -> str | None:
        """The site-relative path a link names; None for external and non-web links."""
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") or url.startswith("//"):
            full = url if parts.scheme else "https:" + url
            if self.absolute and full.startswith(self.absolute):
                return unquote(urlsplit(full[len(self.absolute) :]).path)
            self.external.setdefault(url.split("#")[0], []).append(rel)
            return None
        if parts.scheme:  # mailto:, tel:, data:, javascript:
            return None
        path = unquote(parts.path)
        if not path:
            return rel
        if path.startswith("/"):
            if not path.startswith(self.base):
                return "../" + path.lstrip("/")  # outside the site: reported as missing
            return path[len(self.base) :]
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
        if joined == ".":
            return ""
        return joined + "/" if path.endswith("/") else joined

    def target_file(self, path: str) -> str | None:
        """The output file a site-relative path is served from, or None."""
        if path.startswith("../") or path == "..":
            return None
        for candidate in (path, f"{path}index.html" if path.endswith("/") or not path else f"{path}/index.html"):
            if candidate in self.files:
                return candidate
        return None

    def check_link(self, rel: str, link: Link) -> None:
        if not link.url:
            self.problem(rel, link.line, "empty link")
            return
        path = self.internal_path(rel, link.url)
        if path is None:
            return
        self.report.links += 1
        target = self.target_file(path)
        if target is None:
            self.problem(rel, link.line, f"broken link: {link.url} (no such page or file in the output)")
            return
        fragment = unquote(urlsplit(link.url).fragment)
        if fragment and target in self.pages and fragment not in self.pages[target].ids:
            self.problem(rel, link.line, f"broken link: {link.url} (no id '{fragment}' on that page)")

    def check_pages(self) -> None:
        for rel, page in self.pages.items():
            if not page.title.strip():
                self.problem(rel, None, "no <title>")
            if not page.description:
                self.problem(rel, None, 'no <meta name="description">')
            for link in page.links:
                self.check_link(rel, link)
            self.check_strays(rel, page.strays)

    def check_strays(self, rel: str, strays: list[Stray]) -> None:
        """Report each distinct stray bracket once per page, with the file it was written in."""
        seen: set[str] = set()
        for stray in strays:
            if stray.text in seen:
                continue
            seen.add(stray.text)
            source = None
            if self.content is not None:
                self.sources = self.sources or ContentSources(self.content)
                source = self.sources.locate(rel[: -len("index.html")] if rel.endswith("index.html") else rel, stray)
            where = f"written in {source}" if source else "not found in the content: a template's text?"
            self.problem(rel, stray.line, f"'{stray.text}' shows as written, not as a link ({where})")

    def check_stylesheets(self) -> None:
        for rel in sorted(f for f in self.files if f.endswith(".css")):
            text = (self.root / rel).read_text(encoding="utf-8", errors="replace")
            for match in CSS_REF_RE.finditer(text):
                found = css_target(rel, match.group("ref"))
                if found is None:
                    continue
                self.report.links += 1
                if found[0] not in self.files:
                    line = text.count("\n", 0, match.start()) + 1
                    self.problem(rel, line, f"missing asset: {match.group('ref')}")

    def check_host_files(self) -> None:
        """Every <loc> of sitemap.xml and every link of feed.xml names a page of the output."""
        for rel, tag, attr in (("sitemap.xml", "loc", None), ("feed.xml", "link", "href")):
            if rel not in self.files:
                continue
            try:
                tree = ET.parse(self.root / rel)
            except ET.ParseError as error:
                self.problem(rel, error.position[0], f"not well-formed XML: {error}")
                continue
            for element in tree.iter():
                if element.tag.rsplit("}", 1)[-1] != tag:
                    continue
                url = (element.get(attr) if attr else element.text) or ""
                self.check_link(rel, Link(0, url.strip()))

    def check(self) -> CheckReport:
        self.check_pages()
        self.check_stylesheets()
        self.check_host_files()
        return self.report


def fetch_status(url: str, timeout: float) -> str | None:
    """None if url answers with success; else why not."""
    import urllib.error  # here: urllib.request (http.client, email) is ~30 ms of every build's start-up
    import urllib.request

    headers = {"User-Agent": f"explainer-check/{__version__}"}
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue  # some servers refuse HEAD; ask again with GET
            return f"HTTP {error.code}"
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return f"unreachable ({reason})"
    return None


def check_external(
    checker: OutputChecker,
    timeout: float,
    workers: int,
    fetch: Callable[[str, float], str | None] = fetch_status,
    sources: Sequence[Source] = (),
) -> None:
    """Fetch every external link and every source's address and snapshot, a few at a time, and report those that
    fail: a source's at its line in the content, saying whether it keeps an archived copy (sourcecheck.py)."""
    urls = sorted(set(checker.external) | addresses(sources))
    checker.report.external = len(urls)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda url: fetch(url, timeout), urls))
    failures = {url: failure for url, failure in zip(urls, results, strict=True) if failure}
    said = {s.url for s in sources if s.url in failures}  # said of the source, at its line
    for url, failure in failures.items():
        if url in checker.external and url not in said:
            pages = sorted(set(checker.external[url]))
            also = f" (also linked from {len(pages) - 1} more pages)" if len(pages) > 1 else ""
            checker.problem(pages[0], None, f"external link {url}: {failure}{also}")
    checker.report.problems.extend(source_problems(list(sources), failures))


def configured_base_url(options: BuildOptions) -> str:
    """The base URL a build uses: --base-url, else site.yaml's."""
    if options.base_url:
        return options.base_url
    path = options.content / "site.yaml"
    config = validate_site(load_document("site", path, path.as_posix(), Diagnostics()), Diagnostics())
    return config.base_url if config else "/"


def run_check(
    options: BuildOptions,
    external: bool = False,
    timeout: float = FETCH_TIMEOUT,
    workers: int = FETCH_WORKERS,
    snapshots: Path | None = None,
) -> tuple[BuildResult, CheckReport | None]:
    """Build into a temporary folder and check it; no report when the build failed. snapshots: a file to write
    the addresses of the sources without an archived copy to."""
    with tempfile.TemporaryDirectory(prefix="explainer-check-") as folder:
        options = dataclasses.replace(options, output=Path(folder) / "site")
        result = build(options)
        if not result.ok:
            return result, None
        checker = OutputChecker(options.output, configured_base_url(options), options.content)
        report = checker.check()
        report.translations = translation_status(options.content)
        sources = declared_sources(options.content) if external or snapshots else []
        if external:
            check_external(checker, timeout, workers, sources=sources)
        if snapshots:
            try:
                snapshots.write_text(snapshot_list(sources), encoding="utf-8")
            except OSError as error:
                report.problems.append(f"{snapshots}: error: cannot write the snapshot list: {error.strerror or error}")
        return result, report
