"""The `[[id]]` and `[[id|label]]` syntax: one regex to find and to render; and the `[[@source-id]]`,
`[[@source-id, locator]]` citations beside it (numbered per card by citations.py)."""

from __future__ import annotations

import re

from .model import Cite, Ref, Text

# A ref may span soft line breaks, as a Markdown link may, but not a blank line (a paragraph break).
_ID_PART = r"[^\[\]|\\\n]*(?:\n(?![ \t]*\n)[^\[\]|\\\n]*)*"
_LABEL_PART = r"[^\[\]\n]*(?:\n(?![ \t]*\n)[^\[\]\n]*)*"
# In a table cell the pipe is written `\|` (`[[id\|label]]`), as Markdown tables require. `\[[` is an
# escaped bracket, not a ref: the renderer matches refs before backslash escapes (markdown_ext.py). The test
# for that backslash comes after the `[[` (a look-behind over `\[[`), not before it: a pattern that starts with
# literal characters lets `re` jump from one `[[` to the next instead of trying every position (6× faster).
REF_PATTERN = rf"\[\[(?<!\\\[\[)(?!@)({_ID_PART})(?:\\?\|({_LABEL_PART}))?\]\]"
REF_RE = re.compile(REF_PATTERN)
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# `[[@id]]` and `[[@id, locator]]` cite a source (never a ref: REF_PATTERN refuses an id starting with `@`). The
# locator is everything after the first comma, and may span soft line breaks as a ref's label may.
CITE_RE = re.compile(rf"\[\[@(?<!\\\[\[@)([^\[\]|,\\\n]*)(?:,({_LABEL_PART}))?\]\]")

# A code span may span soft line breaks too (Markdown's own pattern matches across them).
_CODE = re.compile(r"^(```|~~~).*?^\1[ \t]*$|`[^`\n]+(?:\n(?![ \t]*\n)[^`\n]*)*`", re.MULTILINE | re.DOTALL)


def _blank_code(source: str) -> str:
    """Blank out code spans and fences (keeping newlines): refs there are text."""
    if "`" not in source and "~~~" not in source:
        return source  # nothing to blank: skip the regex (most texts)
    return _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)


def find_refs(source: str, path: str, line: int) -> tuple[Ref, ...]:
    """Every [[ref]] in source, with the line it is on."""
    if "[[" not in source:
        return ()
    scanned = _blank_code(source)
    refs = []
    seen = line  # the line of `at`: newlines counted up to it, so a long text is scanned once, not once per ref
    at = 0
    count = scanned.count
    for match in REF_RE.finditer(scanned):
        start = match.start()
        seen += count("\n", at, start)
        at = start
        refs.append(Ref(match.group(1).strip(), path, seen))
    return tuple(refs)


def find_cites(source: str, path: str, line: int, as_written: tuple[int, str] | None = None) -> tuple[Cite, ...]:
    """Every [[@citation]] in source (not in code), with the line it is on (counted in as_written if given)."""
    if "[[@" not in source:
        return ()
    matches = list(CITE_RE.finditer(_blank_code(source)))
    scan_line, scan = as_written or (line, source)
    lines = [scan_line + scan.count("\n", 0, m.start()) for m in CITE_RE.finditer(_blank_code(scan))]
    if len(lines) != len(matches):  # a folded value read differently: every citation at the text's line
        lines = [line] * len(matches)
    return tuple(
        Cite(Ref(m.group(1).strip(), path, at), " ".join((m.group(2) or "").split()) or None)
        for m, at in zip(matches, lines, strict=True)
    )


def make_text(source: str, path: str, line: int, as_written: tuple[int, str] | None = None) -> Text:
    """Markdown text with its [[refs]] found, in `as_written` (first line, YAML source) if given.

    A folded YAML value (`summary: >-`) has lost its line breaks; its source
    as written still has them, so refs found there get their own lines.
    """
    scan_line, scan = as_written or (line, source)
    return Text(source, path, line, find_refs(scan, path, scan_line), find_cites(source, path, line, as_written))
