"""YAML with the line of every key, duplicate keys caught, and no surprise types.

PyYAML alone loses line numbers, silently keeps the last of two duplicate
keys, turns `2022-01-10` into a date and `no` into False. Content authors
need none of that: we compose the node tree (libyaml's C parser where
available) and build plain data ourselves, recording each key's line.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .diagnostics import Diagnostics

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

MAX_NODES = 200_000
MAX_DEPTH = 64
Path = tuple[str | int, ...]

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class ContentLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe loader where dates stay text and only true/false are booleans."""


ContentLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
ContentLoader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))


class _TooBig(Exception):
    def __init__(self, line: int, why: str) -> None:
        super().__init__(why)
        self.line = line
        self.why = why


class _Builder:
    """Turns a YAML node tree into plain data plus a line for every key path."""

    def __init__(self, loader: yaml.SafeLoader, path: str, offset: int, diags: Diagnostics):
        self.loader = loader
        self.path = path
        self.offset = offset
        self.diags = diags
        self.lines: dict[Path, int] = {}
        self.count = 0

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.offset

    def build(self, node: yaml.Node, key_path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(self.line_of(node), f"more than {MAX_NODES:,} values (aliases expanding?)")
        if depth > MAX_DEPTH:
            raise _TooBig(self.line_of(node), f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, key_path, depth)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[(*key_path, index)] = self.line_of(item)
                items.append(self.build(item, (*key_path, index), depth + 1))
            return items
        return self.loader.construct_object(node)

    def build_mapping(self, node: yaml.MappingNode, key_path: Path, depth: int) -> dict[str, Any]:
        self.loader.flatten_mapping(node)  # resolves `<<:` merge keys
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = self.line_of(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.diags.error(self.path, line, "a key must be plain text, not a list or mapping")
                continue
            key = str(self.loader.construct_object(key_node))
            if key in result:
                first = self.lines[(*key_path, key)]
                self.diags.error(self.path, line, f"duplicate key '{key}' (first at line {first}): remove one")
                continue
            self.lines[(*key_path, key)] = line
            result[key] = self.build(value_node, (*key_path, key), depth + 1)
        return result


def parse_yaml(text: str, path: str, diags: Diagnostics, offset: int = 0) -> tuple[Any, dict[Path, int]] | None:
    """Parse one YAML document; report problems to diags and return None on failure."""
    if "\t" in text:
        for number, line in enumerate(text.split("\n"), start=1):
            if "\t" in line[: len(line) - len(line.lstrip())]:
                diags.error(path, number + offset, "a tab indents this line: YAML needs spaces")
                return None
    loader = ContentLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {(): 1 + offset}
        builder = _Builder(loader, path, offset, diags)
        data = builder.build(node, (), 0)
        builder.lines[()] = builder.line_of(node)
        return data, builder.lines
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        mark_line = mark.line + 1 + offset if mark else None
        reason = " ".join(part for part in (error.context, error.problem) if part)
        diags.error(path, mark_line, f"bad YAML: {reason}")
    except yaml.YAMLError as error:
        diags.error(path, None, f"bad YAML: {error}")
    except _TooBig as error:
        diags.error(path, error.line, f"YAML too large: {error.why}")
    finally:
        loader.dispose()
    return None
