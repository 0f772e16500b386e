"""Python-Markdown's inline stage, minus its per-pattern overhead on text no pattern can match.

Markdown tries every inline pattern (about 20, 35 with smarty) on every text
node, and each try costs a few microseconds of Python and a regular-expression
search: most of the time a 700-word card takes. Here a pattern is skipped when
the text lacks every character a match of it must contain (read from the
expression itself), or else when its expression finds nothing from the current
position. Either way Markdown would have found no match and moved on to the
next pattern from position 0, which is what happens here: the HTML is
byte-identical (tests/test_speed_features.py compares both on every fixture).
"""

from __future__ import annotations

import functools
import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import markdown
from markdown import inlinepatterns, treeprocessors, util

# What __applyPattern puts in place of a match: STX, "klzzwxh:", a number, ETX.
PLACEHOLDER_CHARS = frozenset(util.STX + util.ETX + util.INLINE_PLACEHOLDER_PREFIX + "0123456789")
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
def _needed_characters(expression: str, flags: int) -> frozenset[str] | None:
    if flags & _IGNORECASE:
        return None
    try:
        parsed = sre_parse.parse(expression, flags)
    except Exception:  # a private module: any surprise means no shortcut
        return None
    chars = _needed_in_sequence(parsed)
    return chars or None


class FastInlineProcessor(treeprocessors.InlineProcessor):
    """treeprocessors.InlineProcessor with hopeless patterns skipped before the Python work."""

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        self.ordered = [
            (
                pattern,
                isinstance(pattern, inlinepatterns.InlineProcessor),
                needed_characters(pattern.getCompiledRegExp()),
            )
            for pattern in list[Any](self.inlinePatterns)  # the registry sorts itself on every index: once per run
        ]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        if sum(map(data.count, "[<!`")) > CROWDED:  # hostile floods: the extra searches here would go quadratic
            stock = treeprocessors.InlineProcessor._InlineProcessor__handleInline  # type: ignore[attr-defined]
            return str(stock(self, data, patternIndex))
        ordered: list[tuple[Any, bool, frozenset[str] | None]] = self.ordered
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        start = 0
        count = len(ordered)
        present = set(data)
        while patternIndex < count:
            pattern, searchable, needed = ordered[patternIndex]
            if searchable and (
                (needed is not None and needed.isdisjoint(present))
                or pattern.getCompiledRegExp().search(data, start) is None
            ):
                patternIndex += 1
                start = 0
                continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if matched:  # the text gained a placeholder: its characters, and none other, may be new
                present |= PLACEHOLDER_CHARS
            else:
                patternIndex += 1
        return data


def speed_up(md: markdown.Markdown) -> None:
    """Swap md's inline tree processors (Markdown's own and smarty's) for FastInlineProcessor."""
    for item in list(md.treeprocessors._priority):  # type: ignore[attr-defined]
        old = md.treeprocessors[item.name]
        if type(old) is treeprocessors.InlineProcessor:
            fast = FastInlineProcessor(md)
            fast.inlinePatterns = old.inlinePatterns
            md.treeprocessors.register(fast, item.name, item.priority)
