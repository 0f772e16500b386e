"""Shared helpers: build real sites into tmp_path and parse the HTML."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent


def write_tree(root: Path, files: dict[str, str]) -> None:
    """Write files (path → text, dedented) under root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def run_build(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python build.py` as a user would, in cwd."""
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A copy of the repo's example content, templates and static files."""
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, tmp_path / name)
    return tmp_path
