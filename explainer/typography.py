"""Typographic quotes, dashes and ellipses for plain text, by the rules Markdown bodies get them.

Markdown texts are rendered with Python-Markdown's smarty extension. Plain fields (titles, summaries,
names, labels ...) and the plain text made from Markdown (descriptions, previews) are run through the
same extension here, so `"the deal"` reads “the deal” everywhere a reader sees it when `smart_quotes`
is on. Identifiers and URLs never go through it.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from functools import cache

import markdown
from markdown.util import HTML_PLACEHOLDER_RE

from .refs import REF_RE

# What smarty changes: straight quotes, `--`, `---` and `...`. A text without them is returned as it is
# (most titles and names), without the cost of a tree.
_SMARTENED = re.compile(r"['\"]|--|\.\.\.")


@cache
def _smarty() -> markdown.Markdown:
    return markdown.Markdown(extensions=["smarty"])


@cache
def smarten(text: str) -> str:
    """text with smarty's typographic quotes, dashes and ellipses; nothing else in it is read as Markdown.

    A `[[ref]]` left in plain text is read as the word it stands for (`"[[nato]]" said` opens its quote),
    and its id is kept as written.
    """
    if not _SMARTENED.search(text):
        return text
    if "[[" not in text:
        return _smarty_text(text)
    token = "zref"
    while token in text:  # a word the text does not hold, so the refs' stand-ins are never confused with it
        token += "z"
    refs: list[re.Match[str]] = []

    def hold(match: re.Match[str]) -> str:
        refs.append(match)
        return f"{token}{len(refs) - 1}{token}"

    def put_back(match: re.Match[str]) -> str:
        ref = refs[int(match.group(1))]
        if ref.group(2) is None:
            return ref.group(0)
        label_at = ref.start(2) - ref.start(0)
        return ref.group(0)[:label_at] + _smarty_text(ref.group(2)) + "]]"

    held = _smarty_text(REF_RE.sub(hold, text))
    return re.sub(rf"{token}(\d+){token}", put_back, held)


def _smarty_text(text: str) -> str:
    md = _smarty().reset()
    root = etree.Element("div")
    paragraph = etree.SubElement(root, "p")
    paragraph.text = text  # one text node: no emphasis, links or HTML are looked for, only smarty's patterns
    md.treeprocessors["smarty"].run(root)
    # smarty leaves a placeholder in the text for each entity it puts in the HTML stash (`&ldquo;`)
    stash = md.htmlStash.rawHtmlBlocks
    return HTML_PLACEHOLDER_RE.sub(lambda m: html.unescape(str(stash[int(m.group(1))])), paragraph.text or "")


def typeset(text: str, smart_quotes: bool) -> str:
    """text as a reader sees it: smartened when the site's `smart_quotes` is on."""
    return smarten(text) if smart_quotes else text
