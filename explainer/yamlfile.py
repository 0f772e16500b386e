"""YAML with the line of every key, duplicate keys caught, and no surprise types.

PyYAML alone loses line numbers, silently keeps the last of two duplicate
keys, turns `2022-01-10` into a date, `no` into False and `2.50` into 2.5.
Content authors need none of that: we compose the node tree (libyaml's C
parser where available) and build plain data ourselves, recording each key's
line and the source of every value that holds a `[[ref]]`, so a ref in a
folded multi-line value is reported on its own line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .diagnostics import Diagnostics

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

MAX_NODES = 200_000
MAX_DEPTH = 64
# libyaml's composer recurses in C: ~25,000 nested '[' overflow the stack and kill Python
# (a segfault, no exception). Anything near that is refused before libyaml sees it.
MAX_PARSER_DEPTH = 1000
Path = tuple[str | int, ...]

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^-?(?:0|[1-9][0-9]*)$")  # no octal 0777, no sexagesimal 1:30, no 1_000
_RETYPED = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")

_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"  # the default tags


class ContentLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe loader where dates and decimals stay text, only true/false are booleans."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """yaml's BaseResolver.resolve for our fixed table, without its list concatenation per scalar; a plain
        scalar whose first character starts no implicit type (most text) is a str at one dict lookup."""
        if self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]
        if kind is yaml.ScalarNode:
            if implicit[0]:
                resolvers = _IMPLICIT.get(value[0] if value else "")
                if resolvers is not None:
                    for tag, regexp in resolvers:
                        if regexp.match(value):
                            return tag
            return _STR
        if kind is yaml.MappingNode:
            return _MAP
        if kind is yaml.SequenceNode:
            return _SEQ
        return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]


ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _RETYPED]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
ContentLoader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))
ContentLoader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-0123456789"))
_STR, _SEQ, _MAP = (
    ContentLoader.DEFAULT_SCALAR_TAG,
    ContentLoader.DEFAULT_SEQUENCE_TAG,
    ContentLoader.DEFAULT_MAPPING_TAG,
)
# The implicit resolvers by first character, with the wildcard ones (none in PyYAML's table) added, as
# BaseResolver.resolve tries them; a character with none is left out so the lookup says "str" at once.
_IMPLICIT: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: tuple(resolvers) + tuple(ContentLoader.yaml_implicit_resolvers.get(None, []))
    for first, resolvers in ContentLoader.yaml_implicit_resolvers.items()
    if first is not None and (resolvers or ContentLoader.yaml_implicit_resolvers.get(None))
}


@dataclass(frozen=True, slots=True)
class ParsedYaml:
    """Plain data, the line of every key path, and the source of every value holding `[[`."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    ref_sources: dict[Path, tuple[int, str]] = field(default_factory=dict)


class _TooBig(Exception):
    def __init__(self, line: int, why: str) -> None:
        super().__init__(why)
        self.line = line
        self.why = why


class _Builder:
    """Turns a YAML node tree into plain data plus a line for every key path."""

    def __init__(self, loader: yaml.SafeLoader, text: str, path: str, offset: int, diags: Diagnostics):
        self.loader = loader
        self.text = text
        self.path = path
        self.offset = offset
        self.diags = diags
        self.lines: dict[Path, int] = {}
        self.ref_sources: dict[Path, tuple[int, str]] = {}
        self.count = 0
        self.refs_possible = "[[" in text  # else no value's source can hold one: skip the search per value

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def build(self, node: yaml.Node, key_path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(
                self.line_of(node),
                f"more than {MAX_NODES:,} values: split it into several files, or copy less with aliases (*name)",
            )
        if depth > MAX_DEPTH:
            raise _TooBig(self.line_of(node), f"nested more than {MAX_DEPTH} levels deep")
        kind = type(node)
        if kind is _Mapping:
            return self.build_mapping(node, key_path, depth)  # type: ignore[arg-type]
        if kind is _Sequence:
            items = []
            lines = self.lines
            base = 1 + self.offset
            for index, item in enumerate(node.value):
                lines[(*key_path, index)] = item.start_mark.line + base
                if type(item) is _Scalar and self.count < MAX_NODES and depth < MAX_DEPTH:
                    self.count += 1  # what build would do for a scalar, without the call
                    items.append(self.scalar(item, (*key_path, index)))
                else:
                    items.append(self.build(item, (*key_path, index), depth + 1))
            return items
        return self.scalar(node, key_path)

    def scalar(self, node: yaml.Node, key_path: Path) -> Any:
        start = node.start_mark.index
        if self.refs_possible and self.text.find("[[", start, node.end_mark.index) >= 0:
            self.ref_sources[key_path] = (self.line_of(node), self.text[start : node.end_mark.index])
        if node.tag == _STR and type(node) is _Scalar:
            return node.value  # what construct_object gives a str scalar (SafeConstructor.construct_yaml_str)
        return self.loader.construct_object(node)

    def build_mapping(self, node: yaml.MappingNode, key_path: Path, depth: int) -> dict[str, Any]:
        self.loader.flatten_mapping(node)  # resolves `<<:` merge keys
        result: dict[str, Any] = {}
        lines = self.lines
        base = 1 + self.offset
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + base
            if type(key_node) is not _Scalar:
                self.diags.error(self.path, line, "a key must be plain text, not a list or mapping")
                continue
            key = str(key_node.value)  # as written: `~:` is '~', not 'None'
            if key in result:
                first = lines[(*key_path, key)]
                self.diags.error(self.path, line, f"duplicate key '{key}' (first at line {first}): remove one")
                continue
            path = (*key_path, key)
            lines[path] = line
            if type(value_node) is _Scalar and self.count < MAX_NODES and depth < MAX_DEPTH:
                self.count += 1  # what build would do for a scalar, without the call
                result[key] = self.scalar(value_node, path)
            else:
                result[key] = self.build(value_node, path, depth + 1)
        return result


_Scalar, _Sequence, _Mapping = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode


def parse_yaml(text: str, path: str, diags: Diagnostics, offset: int = 0) -> ParsedYaml | None:
    """Parse one YAML document; report problems to diags and return None on failure."""
    if "\t" in text:
        for number, line in enumerate(text.split("\n"), start=1):
            if "\t" in line[: len(line) - len(line.lstrip())]:
                diags.error(path, number + offset, "a tab indents this line: YAML needs spaces")
                return None
    too_deep = parser_depth_over(text, MAX_PARSER_DEPTH)
    if too_deep is not None:
        diags.error(path, too_deep + offset, f"YAML too large: nested more than {MAX_DEPTH} levels deep")
        return None
    loader = ContentLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return ParsedYaml(None, {(): 1 + offset})
        builder = _Builder(loader, text, path, offset, diags)
        data = builder.build(node, (), 0)
        builder.lines[()] = builder.line_of(node)
        return ParsedYaml(data, builder.lines, builder.ref_sources)
    except yaml.MarkedYAMLError as error:
        where, message = explain_yaml_error(error, text)
        diags.error(path, where + offset if where else None, f"bad YAML: {message}")
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, at a position in text
        at = text.encode("utf-8").count(b"\n", 0, error.position) + 1 + offset  # libyaml counts bytes
        diags.error(path, at, f"a control character (U+{error.character:04X}) cannot be in YAML: delete it")
    except yaml.YAMLError as error:
        diags.error(path, None, f"bad YAML: {' '.join(str(error).split())}")
    except _TooBig as error:
        diags.error(path, error.line, f"YAML too large: {error.why}")
    finally:
        loader.dispose()
    return None


def parser_depth_over(text: str, limit: int) -> int | None:
    """The first line where nesting may pass limit, or None: an over-estimate, fast even on megabytes.

    Counted: brackets still open (even in quotes), and block indicators on one line (`- - - x`).
    Nesting by indentation alone needs ~limit²/2 spaces, so the file's size bounds it.
    """
    if text.count("[") + text.count("{") + text.count("- ") < limit:
        return None
    depth = 0
    for number, line in enumerate(text.split("\n"), start=1):
        opens = line.count("[") + line.count("{")
        if depth + opens + line.count("- ") > limit:
            return number
        depth = max(depth + opens - line.count("]") - line.count("}"), 0)
    return None


def explain_yaml_error(error: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """The line to fix and a plain-words reason for the commonest YAML mistakes."""
    problem, context = error.problem or "", error.context or ""
    at = error.problem_mark or error.context_mark
    line = at.line + 1 if at else None
    start = error.context_mark.line + 1 if error.context_mark else line
    if "quoted scalar" in context and "end of stream" in problem:
        return start, "a quote mark opened on this line is never closed: add the closing quote"
    if "flow sequence" in context and "expected ','" in problem:
        return start, "a list opened with '[' on this line is not closed with ']' (or misses a comma)"
    if "flow mapping" in context and "expected ','" in problem:
        return start, "a mapping opened with '{' on this line is not closed with '}' (or misses a comma)"
    if problem.startswith("mapping values are not allowed"):
        return line, (
            "unexpected ':' — put text that contains ': ' in quotes, "
            "or check the indentation of this line and the one above"
        )
    if "cannot start any token" in problem or "while scanning an alias" in context:
        char = text[at.index] if at and at.index < len(text) else "?"
        return line, f"a value cannot start with '{char}': put the whole value in quotes"
    if "expected key" in problem or "expected '-' indicator" in problem or "expected <block end>" in problem:
        if at and text[text.rfind("\n", 0, at.index) + 1 : at.index].strip():
            return line, "unexpected text after a quoted value: put the whole value inside the quotes"
        return line, "this line does not line up with the ones above: check its indentation"
    reason = problem or context or str(error)
    if context and error.context_mark and start != line:
        reason += f" ({context} at line {start})"
    return line, reason
