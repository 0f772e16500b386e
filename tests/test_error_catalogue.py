"""docs/errors.md lists every error and warning: each message the code can emit appears there.

The messages are found in the code's syntax tree, not by hand: every text passed to an
`error(...)`/`warning(...)`/`note(...)` call (diags, fields, self), to `findings.add` and `.note`, `_TooBig` and
`TemplateProblem`, and every reason explain_yaml_error returns. A message held in a variable
or a constant is followed to its assignment in the same module. For each message the longest
literal part (an f-string's text between its `{}`) must appear in docs/errors.md.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO

CALLS = {
    "error": -1, "warning": -1, "problem": -1, "add": 1, "note": -1,
    "_TooBig": 1, "TemplateProblem": 2, "OutputRefused": 0, "ScaffoldError": 0,
}  # fmt: skip
MIN_FRAGMENT = 6


def literal_parts(node: ast.expr) -> list[str]:
    """The literal text of a str constant or f-string (its parts between `{}`), else []."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [part.value for part in node.values if isinstance(part, ast.Constant) and isinstance(part.value, str)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return literal_parts(node.left) + literal_parts(node.right)
    return []


def assignments(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """name → every value assigned to it anywhere in the module."""
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
    return found


def called_name(call: ast.Call) -> str | None:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def messages(path: Path) -> Iterator[tuple[int, str]]:
    """(line, longest literal fragment) of every message text in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = assignments(tree)
    candidates: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and called_name(node) in CALLS:
            index = CALLS[called_name(node) or ""]
            if len(node.args) >= (2 if index == -1 else index + 1):
                candidates.append(node.args[index])
        if isinstance(node, ast.FunctionDef) and node.name == "explain_yaml_error":
            for ret in ast.walk(node):
                if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Tuple):
                    candidates.append(ret.value.elts[1])
    for expr in candidates:
        values = names.get(expr.id, []) if isinstance(expr, ast.Name) else [expr]
        for value in values:
            parts = [p.strip(" :—") for p in literal_parts(value)]
            longest = max(parts, key=len, default="")
            if len(longest) >= MIN_FRAGMENT:
                yield value.lineno, longest


MESSAGES = sorted(
    {(f"{path.relative_to(REPO).as_posix()}:{line}", text)
     for path in sorted((REPO / "explainer").rglob("*.py")) for line, text in messages(path)}
)  # fmt: skip


def test_the_extractor_finds_the_messages() -> None:
    texts = {text for _, text in MESSAGES}
    assert len(MESSAGES) > 40
    assert any("is not named on any page" in text for text in texts)
    assert "a tab indents this line: YAML needs spaces" in texts


@pytest.mark.parametrize("where, fragment", MESSAGES, ids=[where for where, _ in MESSAGES])
def test_every_message_is_in_the_catalogue(where: str, fragment: str) -> None:
    catalogue = (REPO / "docs/errors.md").read_text(encoding="utf-8")
    assert fragment in catalogue, f"{where}: add the message containing {fragment!r} to docs/errors.md"
