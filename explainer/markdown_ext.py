"""Markdown rendering with `[[ref]]` links, one memoised renderer per build."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import NamedTuple

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString
from markupsafe import Markup

from .model import Text
from .refs import REF_PATTERN


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


class RefExtension(Extension):
    def __init__(self, resolve: Resolve):
        super().__init__()
        self.resolve = resolve

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Above reference links (170), so `[[x]]` is never read as `[x]`.
        md.inlinePatterns.register(RefInlineProcessor(self.resolve, md), "explainer-ref", 175)


class MarkdownRenderer:
    """Renders Markdown texts to HTML; the same text renders once per build."""

    def __init__(self, resolve: Resolve, smart_quotes: bool):
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
        self.md = markdown.Markdown(extensions=extensions, output_format="html")
        self.cache: dict[str, Markup] = {}

    def __call__(self, text: Text | str | None) -> Markup:
        if text is None:
            return Markup("")
        source = text.source if isinstance(text, Text) else text
        html = self.cache.get(source)
        if html is None:
            html = Markup(self.md.reset().convert(source))
            self.cache[source] = html
        return html

    def inline(self, text: Text | str | None) -> Markup:
        """Render a one-paragraph text without its `<p>` wrapper."""
        html = str(self(text))
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)
