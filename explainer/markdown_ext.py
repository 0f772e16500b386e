"""Markdown rendering with `[[ref]]` links, one memoised renderer per build."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import NamedTuple

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import HTML_RE, InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from markupsafe import Markup

from .diagnostics import Diagnostics
from .fastinline import speed_up
from .model import Text
from .refs import REF_PATTERN, _blank_code

# Schemes that run code or smuggle a document in when a reader clicks (browsers ignore case,
# and spaces, tabs, newlines and control characters around and inside the scheme).
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


class LinkTarget(NamedTuple):
    href: str
    name: str
    section: str


Resolve = Callable[[str], LinkTarget | None]


class RefInlineProcessor(InlineProcessor):
    """Turns `[[id]]` / `[[id|label]]` into a link to that page."""

    def __init__(self, resolve: Resolve, md: markdown.Markdown):
        super().__init__(REF_PATTERN, md)
        self.resolve = resolve

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        ref_id = m.group(1).strip()
        label = (m.group(2) or "").strip()
        target = self.resolve(ref_id)
        if target is None:  # a draft left out of this build: keep the words
            element = etree.Element("span")
            element.text = label or AtomicString(ref_id)
            return element, m.start(0), m.end(0)
        element = etree.Element("a")
        element.set("href", target.href)
        element.set("class", f"ref ref-{target.section}")
        # A label is Markdown the author wrote here; a name is plain text from YAML: never parse it as HTML.
        element.text = label or AtomicString(target.name)
        return element, m.start(0), m.end(0)


class Findings:
    """What the safety checks removed from the text being converted, each with its line in that text."""

    def __init__(self) -> None:
        self.source = ""
        self.items: list[tuple[int, str]] = []
        self.cursor: dict[str, int] = {}

    def begin(self, source: str) -> None:
        self.source = _blank_code(source)  # `<b>` in code is text, not HTML: never look for it there
        self.items = []
        self.cursor = {}

    def add(self, written: str, message: str) -> None:
        """Record message on the line of the next occurrence of written in the source (else its first line)."""
        at = self.source.find(written, self.cursor.get(written, -1) + 1)
        if at >= 0:
            self.cursor[written] = at
        self.items.append((self.source.count("\n", 0, at) if at >= 0 else 0, message))


class RawHtmlRemover(InlineProcessor):
    """Drops raw HTML tags (their text stays); comments go silently, everything else with a warning."""

    def __init__(self, findings: Findings, md: markdown.Markdown):
        super().__init__(HTML_RE, md)
        self.findings = findings

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # type: ignore[override]
        tag = m.group(0)
        if not tag.startswith("<!--"):
            shown = tag if len(tag) <= 40 else tag[:37] + "..."
            self.findings.add(
                tag,
                f"raw HTML {shown} is not rendered and was left out: "
                "write Markdown instead, or set 'allow_html: true' in site.yaml",
            )
        return "", m.start(0), m.end(0)


def unsafe_scheme(url: str) -> str | None:
    """The scheme of a javascript:, vbscript: or data: URL, however it is disguised; else None."""
    plain = _IGNORED_IN_SCHEME.sub("", url).lower()
    return next((scheme for scheme in UNSAFE_SCHEMES if plain.startswith(scheme)), None)


class UnsafeLinkRemover(Treeprocessor):
    """Turns links and images to javascript:, vbscript: and data: URLs into plain text, with a warning."""

    def __init__(self, findings: Findings, md: markdown.Markdown):
        super().__init__(md)
        self.findings = findings

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            url = element.get(attribute) if attribute else None
            scheme = unsafe_scheme(url) if url else None
            if url is None or scheme is None:
                continue
            what = "link" if element.tag == "a" else "image"
            self.findings.add(
                url.strip(),
                f"a {scheme} {what} is not allowed and was made plain text: "
                "link to an http(s) address, or set 'allow_html: true' in site.yaml",
            )
            if element.tag == "img":
                element.text = element.get("alt", "")
            element.tag = "span"
            element.attrib.clear()


class SafetyExtension(Extension):
    """No raw HTML and no script URLs in Markdown: what `allow_html: false` (the default) means."""

    def __init__(self, findings: Findings):
        super().__init__()
        self.findings = findings

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")  # an HTML block becomes a paragraph of tags the remover drops
        md.inlinePatterns.register(RawHtmlRemover(self.findings, md), "html", 90)
        md.treeprocessors.register(UnsafeLinkRemover(self.findings, md), "explainer-unsafe-links", 15)


class RefExtension(Extension):
    def __init__(self, resolve: Resolve):
        super().__init__()
        self.resolve = resolve

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Above reference links (170), so `[[x]]` is never read as `[x]`.
        md.inlinePatterns.register(RefInlineProcessor(self.resolve, md), "explainer-ref", 175)


class MarkdownRenderer:
    """Renders Markdown texts to HTML; the same text renders once per build."""

    def __init__(
        self, resolve: Resolve, smart_quotes: bool, allow_html: bool = False, diags: Diagnostics | None = None
    ):
        self.findings = Findings()
        self.diags = diags
        extensions: list[Extension | str] = [
            "tables",
            "footnotes",
            "fenced_code",
            "sane_lists",
            "toc",
            RefExtension(resolve),
        ]
        if smart_quotes:
            extensions.append("smarty")
        if not allow_html:
            extensions.append(SafetyExtension(self.findings))
        self.md = markdown.Markdown(extensions=extensions, output_format="html")
        speed_up(self.md)  # same HTML, a third of the time
        self.cache: dict[str, Markup] = {}
        self.removed: dict[str, list[tuple[int, str]]] = {}  # source → (line in it, warning)

    def __call__(self, text: Text | str | None) -> Markup:
        if text is None:
            return Markup("")
        source = text.source if isinstance(text, Text) else text
        html = self.cache.get(source)
        if html is None:
            self.findings.begin(source)
            html = Markup(self.md.reset().convert(source))
            self.cache[source] = html
            self.removed[source] = self.findings.items
        if self.diags is not None and isinstance(text, Text):
            for offset, message in self.removed.get(source, ()):
                self.diags.warning(text.path, text.line + offset, message)
        return html

    def inline(self, text: Text | str | None) -> Markup:
        """Render a one-paragraph text without its `<p>` wrapper."""
        html = str(self(text))
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)
