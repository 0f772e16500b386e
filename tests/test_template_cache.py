"""Compiled templates kept in the build cache (incremental/templatecache.py): a later cached build compiles no
template it has compiled before, sees an edited one, and survives a garbled cache file."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest
from conftest import build_to, generated_site, soup, tree


def reference(site: Path) -> dict[str, bytes]:
    shutil.rmtree(site / "reference", ignore_errors=True)
    return tree(build_to(site, "reference", "--no-cache"))


def edit_card(site: Path, new: str) -> None:
    card = site / "content" / "issues" / "issue-00001.md"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("## What is at stake\n", f"## {new}\n", 1), encoding="utf-8")


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The names of the templates Jinja compiles from source, as they are compiled."""
    names: list[str | None] = []
    real = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: object, name: str | None = None, *args: object,
                **kwargs: object) -> object:  # fmt: skip
        names.append(name)
        return real(self, source, name, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return names


def test_a_cached_build_compiles_no_template_compiled_before(tmp_path: Path, compiled: list[str | None]) -> None:
    site = generated_site(tmp_path, 6)
    build_to(site, "out")
    assert "issue.html" in compiled
    assert list((site / ".cache" / "explainer" / "templates").glob("*/*.cache"))
    compiled.clear()
    edit_card(site, "What is at stake now")
    output = build_to(site, "out")
    assert compiled == []  # the issue page rendered from the stored bytecode
    assert "What is at stake now" in soup(output / "issues" / "issue-00001" / "index.html").get_text()
    assert tree(output) == reference(site)


def test_an_edited_template_is_compiled_again(tmp_path: Path, compiled: list[str | None]) -> None:
    site = generated_site(tmp_path, 6)
    build_to(site, "out")
    template = site / "templates" / "issue.html"
    text = template.read_text(encoding="utf-8")
    assert '<article class="issue">' in text
    template.write_text(text.replace('<article class="issue">', '<article class="issue" data-edited="yes">', 1),
                        encoding="utf-8")  # fmt: skip
    compiled.clear()
    output = build_to(site, "out")
    assert "issue.html" in compiled
    assert soup(output / "issues" / "issue-00001" / "index.html").select_one("article[data-edited=yes]") is not None
    assert tree(output) == reference(site)


def test_a_garbled_compiled_template_is_compiled_afresh(tmp_path: Path) -> None:
    site = generated_site(tmp_path, 6)
    build_to(site, "out")
    stored = list((site / ".cache" / "explainer" / "templates").glob("*/*.cache"))
    assert stored
    for path in stored:
        path.write_bytes(path.read_bytes()[:40])  # Jinja's header, then a cut-off code object
    edit_card(site, "What is at stake now")
    assert tree(build_to(site, "out")) == reference(site)
