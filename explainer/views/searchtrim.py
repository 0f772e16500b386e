"""What Pagefind reads of a page: `trimmed(page)` is a copy of an indexed page that Pagefind makes the very same
bundle from, byte for byte, while parsing a half to a fifth of the bytes (the header, navigation, footer and
the parts marked `data-pagefind-ignore`, such as an actor's map and lists, left out). search.py places these
copies in Pagefind's scratch folder instead of the pages, where it can tell; else the page whole.

What Pagefind 1.5 reads (its fossick/parser.rs, docs/views.md#search): the `<html lang>`; the text of the
`data-pagefind-body` element, less its ignored elements; from anywhere in the page, the `data-pagefind-meta`,
`-default-meta`, `-filter` and `-sort` attributes (an ignored element's too, unless `="all"`), the first h1
(the title), the first img after it (the image) and the first `<title>` (the title when there is no h1).
Element ids outside the body or in ignored elements only advance a counter that is not in its output. Pages are
read as bytes, in lower case for the tags; text in which tags cannot be counted (a comment, a script, ...)
stops the trim where it lies: before the body element it must be closed, in it no ignored part is left out.
"""

from __future__ import annotations

import re

MARK = b"data-pagefind-body"
TAG_NAME = re.compile(rb"<([a-z][a-z0-9-]*)[\s>/]")
TAG_END = re.compile(rb"[^<>]*>")
ATTRIBUTE = re.compile(rb"\s+([^\s\"'>/=]+)(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
HTML_TAG = re.compile(rb"<html[\s>][^<>]*>")
TITLE = re.compile(rb"<title[\s>][^<]*</title\s*>")
RAW_TEXT = re.compile(rb"<(!--|!\[cdata\[|script|style|textarea|template|title|noscript|xmp|iframe|noembed|noframes|"
                      rb"plaintext)")  # what holds text no tag is counted in, and where it ends: # fmt: skip
RAW_TEXT_END = {b"!--": b"-->", b"![cdata[": b"]]>", b"plaintext": b"\0"}
RAW_TEXT_IN = re.compile(
    rb"<(?:!|s(?:cript|tyle)|t(?:extarea|emplate|itle)|no(?:script|embed|frames)|xmp|iframe|"
    rb"plaintext)"
)  # the same, quicker to search for in a long text
READ_OUTSIDE = (b"data-pagefind", b"<h1", b"<img")  # what Pagefind reads outside the body element
READ_IGNORED = re.compile(rb"<(?:h1|img|title)[\s>/]")  # and in an ignored one, with data-pagefind-meta etc.
READ_ATTRIBUTES = re.compile(rb"data-pagefind-(?:meta|default-meta|filter|sort)[\s=>/]")
IGNORE = b"data-pagefind-ignore"


def open_raw_text(low: bytes) -> bool:
    """True when the text (lower case) leaves a comment or a raw text element (script, style, ...) open."""
    at = 0
    while found := RAW_TEXT.search(low, at):
        end = RAW_TEXT_END.get(found[1], b"</" + found[1])
        at = low.find(end, found.end())
        if at < 0:
            return True
    return False


def element_end(low: bytes, start: int, stop: int, tag: bytes) -> int:
    """Where the element whose start tag is at start ends (after its end tag), or -1 if not before stop: its
    tag's start and end tags counted (low: the page in lower case, holding no raw text there)."""
    depth, at, opened = 0, start, start
    opening, closing = b"<" + tag, b"</" + tag
    while True:
        if 0 <= opened < at:
            opened = low.find(opening, at, stop)
        shut = low.find(closing, at, stop)
        if shut < 0:
            return -1
        if 0 <= opened < shut:
            at = opened + len(opening)
            depth += low[at : at + 1] in b" \t\n\r\f>/"
            continue
        at = shut + len(closing)
        if low[at : at + 1] in b" \t\n\r\f>" and depth == 1:
            found = TAG_END.match(low, at)
            return found.end() if found else -1
        depth -= low[at : at + 1] in b" \t\n\r\f>"


def without_ignored(element: bytes) -> bytes:
    """The element less its `data-pagefind-ignore` elements that hold nothing Pagefind reads of an ignored
    element (a meta, default meta, filter or sort attribute, an h1, an img, a title); as it is if it holds raw
    text (a comment, a script, ...) in which tags cannot be counted."""
    low = element.lower()
    found = low.find(IGNORE)
    if found < 0 or RAW_TEXT_IN.search(low):
        return element
    parts, at = [], 0
    while found >= 0:
        start = low.rfind(b"<", at, found)
        name = TAG_NAME.match(low, start) if start >= 0 else None
        tag_end = TAG_END.match(low, found)
        resume = tag_end.end() if tag_end else found + len(IGNORE)
        if (
            name
            and tag_end
            and low.find(b">", start, found) < 0
            and IGNORE in (attribute[1] for attribute in ATTRIBUTE.finditer(low, name.end() - 1, tag_end.end() - 1))
        ):
            close = element_end(low, start, len(low), name[1])
            read = READ_IGNORED.search(low, resume, close) or READ_ATTRIBUTES.search(low, resume, close)
            if close > 0 and not read:
                parts.append(element[at:start])
                at = resume = close
        found = low.find(IGNORE, resume)
    parts.append(element[at:])
    return b"".join(parts)


def trimmed(page: bytes) -> bytes | None:
    """The page as Pagefind reads it, or None where that cannot be told cheaply and safely: its `<html>` start
    tag (the language), its `<title>` (the title when there is no h1) and its `data-pagefind-body` element
    without the ignored elements it need not read (`without_ignored`). What lies before that element and after
    its end tag must hold nothing else Pagefind reads (a `data-pagefind-*` attribute, an h1, an img) and leave no
    comment or script open. Pagefind writes the same bundle for it as for the page, byte for byte
    (tests/test_search_trim.py), and parses a half to a fifth of it (bench/pagefind_cost.py)."""
    mark = page.find(MARK)
    begin = page.rfind(b"<", 0, mark)
    if begin < 0:
        return None
    before = page[:begin].lower()
    start = TAG_NAME.match(page[begin : begin + 80].lower())
    head = TAG_END.match(page, begin + 1)
    if start is None or head is None or head.end() <= mark or start[1] in (b"html", b"head", b"body", b"svg", b"math"):
        return None
    close = page.rfind(b"</" + start[1])
    if close < begin:
        return None
    after = page[close:].lower()
    end = TAG_END.match(after, 2)
    html = HTML_TAG.search(before)
    if end is None or html is None or before.rfind(b">") < before.rfind(b"<") or open_raw_text(before):
        return None
    if any(word in before or word in after for word in READ_OUTSIDE) or after.find(b"<" + start[1], 1) >= 0 or \
            after.find(b"</" + start[1], 1) >= 0:  # fmt: skip
        return None
    title = TITLE.search(before)
    return b"".join((b"<!DOCTYPE html>\n", page[html.start() : html.end()], b"<head>",
                     page[title.start() : title.end()] if title else b"", b"</head><body>",
                     without_ignored(page[begin : close + end.end()]), b"</body></html>\n"))  # fmt: skip
