"""Python-Markdown's inline stage, minus its per-pattern overhead on text no pattern can match; its
block tests, minus regular-expression scans of blocks that lack the characters they look for; and its
table-of-contents stage skipped on texts with no heading.

Markdown tries every inline pattern (about 20, 35 with smarty) on every text
node, and each try costs a few microseconds of Python and a regular-expression
search: most of the time a 700-word card takes. Here the patterns a node's
characters allow are picked at once (each pattern's bit set by every character
one of its matches must contain); a candidate is skipped when the text lacks a
run of literal characters every match contains, or when its expression finds
nothing from the current position. Either way Markdown would have found no
match and moved on to the next pattern from position 0, which is what happens
here: the HTML is byte-identical (tests/test_speed_features.py compares both on
every fixture and on 1,500 seeded random texts).
"""

from __future__ import annotations

import functools
import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import markdown
from markdown import blockprocessors, inlinepatterns, treeprocessors, util
from markdown.extensions import tables, toc

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
_IGNORECASE = sre.SRE_FLAG_IGNORECASE
CROWDED = 200  # more pattern openers than this in one text node: use Python-Markdown's own loop


def _rank(chars: frozenset[str]) -> int:
    """Prefer few characters, and characters that ordinary prose rarely holds."""
    return len(chars) + (100 if any(c.isspace() or c.isalnum() for c in chars) else 0)


def _needed_in_sequence(items: Any) -> frozenset[str] | None:
    best: frozenset[str] | None = None
    for op, av in items:
        chars = _needed(op, av)
        if chars is not None and (best is None or _rank(chars) < _rank(best)):
            best = chars
    return best


def _needed(op: Any, av: Any) -> frozenset[str] | None:
    """Characters of which a match of this node must contain at least one; None when unknown."""
    if op is sre.LITERAL:
        return frozenset(chr(av))
    if op is sre.IN:
        chars: set[str] = set()
        for item_op, item_av in av:
            if item_op is sre.LITERAL:
                chars.add(chr(item_av))
            elif item_op is sre.RANGE and item_av[1] - item_av[0] < 16:
                chars.update(map(chr, range(item_av[0], item_av[1] + 1)))
            else:  # a negation, a category (\s, \w), a wide range
                return None
        return frozenset(chars)
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, pattern = av
        return None if add_flags & _IGNORECASE else _needed_in_sequence(pattern)
    if op is sre.ATOMIC_GROUP:
        return _needed_in_sequence(av)
    if op is sre.BRANCH:
        found = [_needed_in_sequence(branch) for branch in av[1]]
        return None if any(chars is None for chars in found) else frozenset().union(*found)  # type: ignore[arg-type]
    if op in _REPEATS:
        low, _high, item = av
        return _needed_in_sequence(item) if low >= 1 else None
    return None  # anchors, lookarounds, categories, anything else: no promise


def needed_characters(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Characters of which every match of pattern contains at least one, or None if that is unknown."""
    return _needed_characters(pattern.pattern, pattern.flags)


@functools.lru_cache(maxsize=512)
def _parsed(expression: str, flags: int) -> Any:
    """The expression's parse tree, or None: case-insensitive, or a surprise from the private parser."""
    if flags & _IGNORECASE:
        return None
    try:
        return sre_parse.parse(expression, flags)
    except Exception:  # a private module: any surprise means no shortcut
        return None


def _needed_characters(expression: str, flags: int) -> frozenset[str] | None:
    parsed = _parsed(expression, flags)
    return (_needed_in_sequence(parsed) or None) if parsed is not None else None


def needed_text(pattern: re.Pattern[str]) -> str | None:
    """The longest run of two or more literal characters every match of pattern contains, or None."""
    return _needed_text(pattern.pattern, pattern.flags)


_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}


def _needed_text(expression: str, flags: int) -> str | None:
    parsed = _parsed(expression, flags)
    if parsed is None:
        return None
    best = run = ""
    for op, av in parsed:
        if op is sre.LITERAL:
            run += chr(av)
        elif op in _REPEATS and av[0] == av[1] and len(av[2]) == 1 and av[2][0][0] is sre.LITERAL:
            run += chr(av[2][0][1]) * av[0]  # x{3}: exactly three x
        elif op in _ZERO_WIDTH:
            continue  # consumes nothing: the literals either side are next to each other in the match
        else:
            run = ""
        if len(run) > len(best):
            best = run
    return best if len(best) >= 2 else None


class FastInlineProcessor(treeprocessors.InlineProcessor):
    """treeprocessors.InlineProcessor with hopeless patterns skipped before the Python work.

    Each pattern gets a bit; each character a pattern needs sets its bit in a mask for that character. A text
    node's candidates are the OR of the masks of the characters it holds (plus patterns with no promise), so
    the loop visits only patterns that could match, in Markdown's order, instead of trying all 16–35.
    """

    ordered: list[tuple[Any, bool, str | None]]
    triggers: dict[str, int]
    always: int
    built_for: list[Any] | None = None

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        patterns = list[Any](self.inlinePatterns)  # the registry sorts itself on every index: once per run
        if patterns != self.built_for:
            self.prepare(patterns)
        return super().run(tree, ancestors)

    def prepare(self, patterns: list[Any]) -> None:
        self.ordered = []
        self.triggers = {}
        self.always = 0
        for index, pattern in enumerate(patterns):
            searchable = isinstance(pattern, inlinepatterns.InlineProcessor)
            needed = needed_characters(pattern.getCompiledRegExp()) if searchable else None
            self.ordered.append((pattern, searchable, needed_text(pattern.getCompiledRegExp()) if searchable else None))
            if needed is None:
                self.always |= 1 << index
            else:
                for char in needed:
                    self.triggers[char] = self.triggers.get(char, 0) | 1 << index
        self.built_for = patterns

    def mask_of(self, chars: set[str] | frozenset[str]) -> int:
        mask = self.always
        triggers = self.triggers
        for char in chars.intersection(triggers):
            mask |= triggers[char]
        return mask

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        # hostile floods: the extra searches here would go quadratic
        if len(data) > CROWDED and sum(map(data.count, "[<!`")) > CROWDED:
            stock = treeprocessors.InlineProcessor._InlineProcessor__handleInline  # type: ignore[attr-defined]
            return str(stock(self, data, patternIndex))
        ordered = self.ordered
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        mask = self.mask_of(set(data)) >> patternIndex << patternIndex
        while mask:
            low = mask & -mask
            patternIndex = low.bit_length() - 1
            pattern, searchable, text = ordered[patternIndex]
            if searchable and (
                (text is not None and text not in data) or pattern.getCompiledRegExp().search(data, start) is None
            ):
                mask ^= low
                start = 0
                continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if matched:  # the text changed: the patterns from here on that its characters allow
                mask = self.mask_of(set(data)) >> patternIndex << patternIndex
                if not mask & low:  # this pattern can match no more: the next one searches from the start
                    start = 0
            else:
                mask ^= low
        return data


class QuickToc(toc.TocTreeprocessor):
    """The toc stage, which does nothing to a text with no heading and no `[TOC]` marker but build,
    serialise and post-process an empty table of contents (a third of a one-line text's time)."""

    empty: str | None = None

    def run(self, doc: Any) -> None:
        marker = self.marker
        for element in doc.iter():
            tag = element.tag
            if (isinstance(tag, str) and self.header_rgx.match(tag)) or (
                marker and element.text and marker in element.text
            ):
                return super().run(doc)
        if self.empty is None:
            super().run(doc)  # nothing in doc for it to change: what it leaves in md.toc is the empty table
            self.empty = self.md.toc  # type: ignore[attr-defined]
        self.md.toc_tokens = []  # type: ignore[attr-defined]
        self.md.toc = self.empty  # type: ignore[attr-defined]
        return None

    def replace_marker(self, root: Any, elem: Any) -> None:
        """Put the table in place of a paragraph that is just the marker: none without the marker's text."""
        marker = self.marker
        if any(element.text and marker in element.text for element in root.iter()):
            super().replace_marker(root, elem)


# Block tests that scan the whole block with a regular expression, and what a block must hold for each to
# pass: at least one character of every string. A block without them fails the test without the scan.
QUICK_TESTS: dict[type[Any], tuple[str, ...]] = {
    blockprocessors.HashHeaderProcessor: ("#",),  # `## Title` on some line
    blockprocessors.BlockQuoteProcessor: (">",),  # `> quoted` on some line
    blockprocessors.SetextHeaderProcessor: ("\n", "=-"),  # a title, then a line of = or -
    blockprocessors.HRProcessor: ("-_*",),  # a line of three or more
    tables.TableProcessor: ("\n", "|"),  # a header row with cells split by |, then a separator row
}


def quick_test(processor: Any, wanted: tuple[str, ...]) -> None:
    """Put a cheap check of the characters it needs in front of processor's test."""
    test = processor.test

    def quick(parent: Any, block: str) -> bool:
        for chars in wanted:
            if not any(char in block for char in chars):
                return False
        return bool(test(parent, block))

    processor.test = quick


def speed_up(md: markdown.Markdown) -> None:
    """Swap md's inline tree processors (Markdown's own and smarty's) for FastInlineProcessor, and its
    toc stage for QuickToc, puts a character check in front of the block tests of QUICK_TESTS, and looks
    block-level tags up in a set (the extensions have all added theirs by now)."""
    block_level = frozenset(md.block_level_elements)  # a list, searched for every element Markdown serialises

    def is_block_level(tag: Any) -> bool:
        return isinstance(tag, str) and tag.lower().rstrip("/") in block_level

    md.is_block_level = is_block_level  # type: ignore[method-assign]
    for processor in md.parser.blockprocessors:
        if type(processor) in QUICK_TESTS:
            quick_test(processor, QUICK_TESTS[type(processor)])
    for item in list(md.treeprocessors._priority):  # type: ignore[attr-defined]
        old = md.treeprocessors[item.name]
        if type(old) is toc.TocTreeprocessor:
            old.__class__ = QuickToc  # the same processor, its settings kept, with the shortcut
        if type(old) is treeprocessors.InlineProcessor:
            fast = FastInlineProcessor(md)
            fast.inlinePatterns = old.inlinePatterns
            md.treeprocessors.register(fast, item.name, item.priority)
