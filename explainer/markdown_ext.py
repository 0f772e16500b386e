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

from . import reads
from .citations import MARK_RE, anchor
from .diagnostics import Diagnostics
from .fastinline import speed_up
from .mediafiles import shown_in
from .model import Text
from .pictures import Pictures, split_credit
from .refs import REF_PATTERN, REF_RE, _blank_code

# Schemes that run code or smuggle a document in when a reader clicks (browsers ignore case,
# and spaces, tabs, newlines and control characters around and inside the scheme).
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
# Python-Markdown scans to the end of a paragraph for the closing bracket of every '[', '(' or '<'
# left open: thousands of them take minutes. Past this many in one paragraph they are escaped.
MAX_OPEN_BRACKETS = 100
_CLOSING = {"[": "]", "(": ")", "<": ">"}


TOO_DEEP = "Markdown nested too deeply (lists or quotes inside each other hundreds of times): flatten it"


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
        if not label:  # a name inserted into the author's sentence may be in another script: isolate it
            element.set("dir", "auto")
        return element, m.start(0), m.end(0)


class CiteInlineProcessor(InlineProcessor):
    """Turns a citation's numbered mark (citations.py) into its marker: `[3]`, or `[3, annex I]`, a link to the
    source's entry on its card's page, with an id the entry links back to."""

    def __init__(self, url: Callable[[str], str] | None, md: markdown.Markdown):
        super().__init__(MARK_RE.pattern, md)
        self.url = url

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        number, occurrence, card, source = m.group(1), m.group(2), m.group(3), m.group(4)
        fragment = f"#source-{source}"
        marker = etree.Element("sup", {"class": "cite-ref", "data-pagefind-ignore": ""})  # no words to search for
        link = etree.SubElement(marker, "a", {"href": self.url(f"issues/{card}/{fragment}") if self.url else fragment,
                                              "id": anchor(card, int(number), int(occurrence))})  # fmt: skip
        link.text = AtomicString(f"[{number}, {m.group(5)}]" if m.group(5) else f"[{number}]")
        return marker, m.start(0), m.end(0)


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

    def note(self, line: int, message: str) -> None:
        """Record message on a line of the source (from 0)."""
        self.items.append((line, message))

    def add(self, written: str, message: str) -> None:
        """Record message on the line of the next occurrence of written in the source (else its first line)."""
        at = self.source.find(written, self.cursor.get(written, -1) + 1)
        if at >= 0:
            self.cursor[written] = at
        self.items.append((self.source.count("\n", 0, at) if at >= 0 else 0, message))


def unclosed_brackets(scanned: str) -> list[int]:
    """Positions of every '[', '(' and '<' never closed in its paragraph (scanned has code blanked)."""
    unclosed: list[int] = []
    open_at: list[int] = []
    for paragraph in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", scanned):
        block = paragraph.group(0)
        if sum(block.count(c) for c in _CLOSING) <= MAX_OPEN_BRACKETS:
            continue
        open_at.clear()
        for match in re.finditer(r"[\[\]()<>]", block):
            char = match.group(0)
            if char in _CLOSING:
                open_at.append(match.start())
            elif open_at and _CLOSING[block[open_at[-1]]] == char:
                open_at.pop()
        unclosed.extend(paragraph.start() + at for at in open_at)
    return unclosed if len(unclosed) > MAX_OPEN_BRACKETS else []


# Python-Markdown parses each level of a nested list again: 200 levels take seconds, 2,000 minutes.
MAX_LIST_INDENT = 400  # columns: 100 levels of four spaces
_DEEP_LIST_ITEM = re.compile(rf"^[ \t>]{{{MAX_LIST_INDENT},}}(?:[-*+]|\d+[.)])(?:[ \t]|$)", re.MULTILINE)


def too_deep_at(source: str) -> int | None:
    """The line (from 0) of a list item indented past MAX_LIST_INDENT, or None."""
    match = _DEEP_LIST_ITEM.search(source.expandtabs(4)) if " " * MAX_LIST_INDENT in source.expandtabs(4) else None
    return source.count("\n", 0, match.start()) if match else None


def defuse(source: str) -> str:
    """source with a flood of unclosed brackets backslash-escaped: the same page, in linear time."""
    if sum(source.count(c) for c in _CLOSING) <= MAX_OPEN_BRACKETS:
        return source
    positions = unclosed_brackets(_blank_code(source))
    if not positions:
        return source
    parts, last = [], 0
    for at in positions:
        parts += [source[last:at], "\\"]
        last = at
    parts.append(source[last:])
    return "".join(parts)


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


class PictureProcessor(Treeprocessor):
    """Turns an image of the content's own (`![alt](media/x.jpg "Caption. Photo: Credit")`) into its variants:
    a paragraph holding only the image becomes a `<figure>` with the title as caption and credit; an image
    inside a sentence, a `<picture>` alone. Names with no file stay as written (media.py has reported them)."""

    def __init__(self, owner: MarkdownRenderer, md: markdown.Markdown):
        super().__init__(md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        pictures = self.owner.pictures
        if pictures is None:
            return
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "p" and len(child) == 1 and child[0].tag == "img" and alone(child):
                    html = self.figure(pictures, child[0])
                    if html is not None:
                        parent[index] = self.placeholder(html, child.tail)
                elif child.tag == "img":
                    file = pictures.media.get(child.get("src", ""))
                    if file is not None:  # in a sentence: the stashed HTML joins the text before it
                        stashed = self.md.htmlStash.store(pictures.img(file, child.get("alt", ""), False))
                        text = stashed + (child.tail or "")
                        position = list(parent).index(child)
                        if position == 0:
                            parent.text = (parent.text or "") + text
                        else:
                            before = parent[position - 1]
                            before.tail = (before.tail or "") + text
                        parent.remove(child)

    def figure(self, pictures: Pictures, img: etree.Element) -> str | None:
        src, title = img.get("src", ""), img.get("title")
        caption, credit = split_credit(title) if title else (None, None)
        html = pictures.figure(src, img.get("alt", ""), caption, credit, False)
        return str(html) if html else None

    def placeholder(self, html: str, tail: str | None) -> etree.Element:
        """A paragraph the serializer writes as the HTML given (kept in the Markdown's HTML stash)."""
        stashed = self.md.htmlStash.store(html)
        element = etree.Element("p")
        element.text = stashed
        element.tail = tail
        return element


def alone(paragraph: etree.Element) -> bool:
    """Whether a paragraph holds nothing but its one element."""
    return not (paragraph.text or "").strip() and not (paragraph[0].tail or "").strip()


class PictureExtension(Extension):
    def __init__(self, owner: MarkdownRenderer):
        super().__init__()
        self.owner = owner

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(PictureProcessor(self.owner, md), "explainer-pictures", 14)


class RefExtension(Extension):
    def __init__(self, resolve: Resolve, url: Callable[[str], str] | None = None):
        super().__init__()
        self.resolve = resolve
        self.url = url

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Above backslash escapes (180), which would turn the `\|` of `[[id\|label]]` (a table cell keeps it
        # for the inline stage) into a placeholder inside the id; so also above reference links (170), so
        # `[[x]]` is never read as `[x]`. Below code spans (190): `[[x]]` in backticks stays text.
        md.inlinePatterns.register(RefInlineProcessor(self.resolve, md), "explainer-ref", 185)
        md.inlinePatterns.register(CiteInlineProcessor(self.url, md), "explainer-cite", 186)


def ref_ids(text: Text | str, source: str) -> list[str]:
    """The ids a text [[links]] to (for a plain string, also any in code: more is never wrong)."""
    if isinstance(text, Text):
        return [ref.id for ref in text.refs]
    return [match.group(1).strip() for match in REF_RE.finditer(source)] if "[[" in source else []


class MarkdownRenderer:
    """Renders Markdown texts to HTML; the same text renders once per build."""

    def __init__(
        self,
        resolve: Resolve,
        smart_quotes: bool,
        allow_html: bool = False,
        diags: Diagnostics | None = None,
        url: Callable[[str], str] | None = None,  # a path from the site root → its link (citations' markers)
    ):
        self.findings = Findings()
        self.diags = diags
        self.pictures: Pictures | None = None  # the content's images (the Renderer sets them)
        self.resolve = resolve
        extensions: list[Extension | str] = [
            "tables",
            "footnotes",
            "fenced_code",
            "sane_lists",
            "toc",
            RefExtension(resolve, url),
            PictureExtension(self),
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
            deep = too_deep_at(source)
            try:
                if deep is not None:
                    raise RecursionError
                html = Markup(self.md.reset().convert(defuse(source)))
            except RecursionError:  # lists or quotes nested hundreds deep
                html = Markup("<p>") + source + Markup("</p>")
                self.findings.note(deep or 0, TOO_DEEP)
            self.cache[source] = html
            self.removed[source] = self.findings.items
        if reads.recording():  # the HTML shows the link of each entity it [[links]] to, memo or not: note them
            for entity_id in ref_ids(text, source):
                self.resolve(entity_id)
            if self.pictures is not None:  # and the variants of each image it shows (Media.get notes the read)
                for src in shown_in(source):
                    self.pictures.media.get(src)
        if self.diags is not None and isinstance(text, Text):
            for offset, message in self.removed.get(source, ()):
                report = self.diags.error if message is TOO_DEEP else self.diags.warning
                report(text.path, text.line + offset, message)
        return html

    def inline(self, text: Text | str | None) -> Markup:
        """Render a one-paragraph text without its `<p>` wrapper."""
        html = str(self(text))
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)
