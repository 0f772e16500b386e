"""Issue 6: a cached build whose only changes are issue cards' bodies (bodyedits.py) makes no page key, renders
the pages that hold those cards, keeps the view files that show no body and splices data/explainer.json; its
output is always a clean build's, and any other change keys every page as before."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from test_speed_features import build, clean, corpus_site, tree

from explainer import parallel

__all__ = ["corpus_site"]  # the fixture, imported for the tests here

PAGES = 77  # of the 40-card corpus


class Spy:
    """How many pages each build hands to page_keys, and to the page workers."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.keyed: list[int] = []
        self.rendered: list[int] = []
        keys, batches = parallel.page_keys, parallel.batches

        def page_keys(pages: list[Any], *args: Any) -> Any:
            self.keyed.append(len(pages))
            return keys(pages, *args)

        def counted(renderer: Any, pages: list[Any], *args: Any) -> Any:
            self.rendered.append(len(pages))
            return batches(renderer, pages, *args)

        monkeypatch.setattr(parallel, "page_keys", page_keys)
        monkeypatch.setattr(parallel, "batches", counted)


def edit(site: Path, card: str, old: str, new: str) -> None:
    path = site / "content" / "issues" / f"{card}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_body_edit_keys_no_page_and_renders_the_pages_holding_the_card(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    build(corpus_site, "cached", "--jobs", jobs)
    spy = Spy(monkeypatch)
    edit(corpus_site, "issue-00003", "## What is at stake", "## What is at stake today")
    built = tree(build(corpus_site, "cached", "--jobs", jobs))
    # No page key made; of the pages that hold the card (its own, the home page, its actors' ...), only the one
    # whose templates read its body renders: its own.
    assert (spy.keyed, spy.rendered) == ([0], [1])
    assert built == clean(corpus_site)
    assert b"What is at stake today" in built["issues/issue-00003/index.html"]
    assert b"What is at stake today" in built["data/explainer.json"]  # spliced in
    edit(corpus_site, "issue-00007", "## What is at stake", "## What is at stake now")
    built = tree(build(corpus_site, "cached", "--jobs", jobs))
    assert spy.keyed[-1] == 0
    assert built == clean(corpus_site)
    # A front matter edit keys every page again; the pages kept by the body edits without a key render again.
    edit(corpus_site, "issue-00007", "summary: >-\n  ", "summary: >-\n  Edited. ")
    built = tree(build(corpus_site, "cached", "--jobs", jobs))
    assert spy.keyed[-1] == PAGES
    assert built == clean(corpus_site)


def test_a_page_whose_templates_read_another_cards_body_renders_again(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The templates are the writer's: a home page that shows each card's length reads every body."""
    home = corpus_site / "templates" / "home.html"
    loop = "{% for issue in issues %}"
    home.write_text(home.read_text().replace(loop, loop + "{{ issue.body.source|wordcount }}", 1))
    build(corpus_site, "cached")
    spy = Spy(monkeypatch)
    edit(corpus_site, "issue-00003", "## What is at stake", "## What is at stake today and tomorrow")
    built = tree(build(corpus_site, "cached"))
    assert (spy.keyed, spy.rendered) == ([0], [2])  # the card's page and the home page
    assert built == clean(corpus_site)


def test_a_failed_build_between_never_lets_a_body_edit_keep_stale_pages(corpus_site: Path) -> None:
    """The parsed-files cache is saved as soon as a build has loaded, even one that then fails: an edit checked
    against it alone would compare with the failed build's files, not with those the output shows."""
    from conftest import run_main

    build(corpus_site, "cached")
    base = corpus_site / "templates" / "base.html"
    good = base.read_text()
    edit(corpus_site, "issue-00003", "title: Issue 3 ", "title: Issue 3 renamed ")
    base.write_text(good.replace("</footer>", "{% if %}</footer>", 1))
    failed = run_main(corpus_site, "--no-search", "--output", "cached")
    assert failed.returncode == 1 and "base.html" in failed.stderr
    base.write_text(good)
    edit(corpus_site, "issue-00003", "## What is at stake", "## What is at stake today")  # the body only, now
    built = tree(build(corpus_site, "cached"))
    assert built == clean(corpus_site)
    assert b"Issue 3 renamed" in built["index.html"]


@pytest.mark.parametrize("change", ["a new link", "a template", "a touched export"])
def test_a_body_edit_beside_another_change_keys_every_page(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    build(corpus_site, "cached")
    spy = Spy(monkeypatch)
    if change == "a new link":  # the body now links to another id: relations may change
        text = (corpus_site / "content" / "issues" / "issue-00003.md").read_text()
        other = next(f"actor-{n:05d}" for n in range(10) if f"actor-{n:05d}" not in text)
        edit(corpus_site, "issue-00003", "## What is at stake\n", f"## What is at stake\n\nSee [[{other}]].\n")
    else:
        edit(corpus_site, "issue-00003", "## What is at stake", "## What is at stake today")
    if change == "a template":
        footer = corpus_site / "templates" / "base.html"
        footer.write_text(footer.read_text().replace("</footer>", "<p>Edited.</p></footer>", 1))
    if change == "a touched export":  # the output is no longer as the cache left it: made in full
        export = corpus_site / "cached" / "data" / "explainer.json"
        export.write_bytes(export.read_bytes().replace(b'"schema"', b'"schema" ', 1))
    built = tree(build(corpus_site, "cached"))
    keyed = list(spy.keyed)
    assert built == clean(corpus_site)
    spy.keyed = keyed
    if change == "a touched export":
        assert spy.keyed == [0]  # still only bodies changed: the pages are as quick, the views made in full
    else:
        assert spy.keyed == [PAGES]


def test_the_views_kept_after_a_body_edit_are_every_view_file_but_the_export(tmp_path: Path) -> None:
    from explainer.diagnostics import Diagnostics
    from explainer.link import link
    from explainer.load import load_content
    from explainer.validate import validate
    from explainer.views.files import bodiless_views, view_files

    shutil.copytree(REPO / "content", tmp_path / "content")
    diags = Diagnostics()
    site = link(validate(load_content(tmp_path / "content", diags), diags), diags, include_drafts=False)
    assert site is not None
    for base in ("https://example.org/explainer/", "/"):
        made = set(view_files(site, base))
        assert set(bodiless_views(site, base)) == made - {"data/explainer.json"}
        assert any(path.endswith("feed.xml") for path in made) == base.startswith("https")
