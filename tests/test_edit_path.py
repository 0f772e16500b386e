"""What a cached build after a small edit leaves out (issue 17's edit target): the relationship graph is made
only when a page that renders uses it or page workers fork; the output is a clean build's either way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_main
from test_speed_features import build, clean, corpus_site, tree

from explainer import inplace, pipeline
from explainer.parallel import imagepool
from explainer.views import search
from explainer.views.relmap import Graph

__all__ = ["corpus_site"]  # the fixture, imported for the tests here


@pytest.fixture
def graphs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per relationship graph made in this process."""
    made: list[int] = []
    real = Graph.__init__

    def counted(self: Graph, *args: object, **kwargs: object) -> None:
        made.append(1)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Graph, "__init__", counted)
    return made


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_body_edit_makes_no_graph_and_an_actor_edit_makes_it_for_its_page(corpus_site: Path,
                                                                            graphs: list[int]) -> None:  # fmt: skip
    content = corpus_site / "content"
    build(corpus_site, "cached", "--jobs", "1")
    assert graphs  # the first build plans every page: the graph is made
    graphs.clear()
    replace(content / "issues" / "issue-00003.md", "## What is at stake", "## What is at stake now")
    built = tree(build(corpus_site, "cached", "--jobs", "1"))
    assert graphs == []  # the issue page reads no graph: none made
    assert built == clean(corpus_site)
    # An actor's summary: link and the graph read none of it, its actor page renders and reads the graph.
    graphs.clear()
    replace(content / "actors.yaml", "  summary: >-\n    ", "  summary: >-\n    Now ")
    built = tree(build(corpus_site, "cached", "--jobs", "1"))
    assert graphs == [1]  # made once, on the page's first use
    assert built == clean(corpus_site)
    assert b"Now " in built["actors/actor-00000/index.html"]
    # The next edit is built right on top of the pages that one rendered.
    replace(content / "actors.yaml", "  summary: >-\n    Now ", "  summary: >-\n    ")
    assert tree(build(corpus_site, "cached", "--jobs", "1")) == clean(corpus_site)


def test_the_output_check_runs_beside_loading_and_still_finds_pages_changed_or_deleted_in_the_output(
    corpus_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check that the output is as the last build left it (a stat of every file) runs in a forked child
    while the main process loads; a page a user replaced in output/ (same size, mtime put back) or deleted is
    still found, and the next cached build equals a clean one."""
    checked = tmp_path / "checked"

    def noted(output: Path, previous: dict[str, inplace.Stamp]) -> bool:
        with open(checked, "a") as handle:  # a child's list would not reach this process: a file does
            handle.write(f"{os.getpid()}\n")
        return real(output, previous)

    real = inplace.intact
    monkeypatch.setattr(inplace, "intact", noted)
    monkeypatch.setattr(pipeline, "CHECK_ASIDE_MIN", 0)  # the test's 40 cards: aside too
    content, output = corpus_site / "content", corpus_site / "cached"
    build(corpus_site, "cached", "--jobs", "2")
    assert not checked.exists()  # nothing to check against before the first build
    page, gone = output / "issues" / "issue-00002" / "index.html", output / "actors" / "actor-00001" / "index.html"
    before = page.stat()
    data = page.read_bytes()
    swapped = data.replace(b"<title>", b"<title>X", 1)[: len(data)]  # the same size
    assert len(swapped) == len(data) and swapped != data
    replaced = page.with_name("index.html.new")
    replaced.write_bytes(swapped)
    os.utime(replaced, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(replaced, page)  # as an editor saves: a new file renamed over the old
    gone.unlink()
    replace(content / "issues" / "issue-00003.md", "## What is at stake", "## What is at stake now")
    built = tree(build(corpus_site, "cached", "--jobs", "2"))
    assert [int(pid) for pid in checked.read_text().split()] != [os.getpid()]  # checked, in another process
    assert len(checked.read_text().split()) == 1
    assert built == clean(corpus_site)  # the replaced page and the deleted one are made again
    checked.unlink()
    replace(content / "issues" / "issue-00003.md", "## What is at stake now", "## What is at stake")
    built = tree(build(corpus_site, "cached", "--jobs", "1"))
    assert checked.read_text().split() == [str(os.getpid())]  # one process asked for: checked here
    assert built == clean(corpus_site)


@pytest.mark.skipif(search.pagefind_executable() is None, reason="pagefind is not installed")
def test_the_share_cards_are_listed_while_the_search_index_is_made(corpus_site: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """After the pages, every page's share card is listed (and the output's kept) before the build waits for
    Pagefind, not after; the cards to draw are drawn after it. The output is a clean build's either way."""
    order: list[str] = []
    finish, listed = search.Background.finish, imagepool.share_cards

    def finished(self: search.Background) -> object:
        order.append("search awaited")
        return finish(self)

    def cards(*args: object) -> object:
        order.append("cards listed")
        return listed(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(search.Background, "finish", finished)
    monkeypatch.setattr(imagepool, "share_cards", cards)
    content = corpus_site / "content"

    def built(output: str, *args: str) -> dict[str, bytes]:
        result = run_main(corpus_site, "--output", output, "--jobs", "2", *args)
        assert result.returncode == 0, result.stderr
        return tree(corpus_site / output)

    built("cached")
    assert order == ["cards listed", "search awaited"]
    order.clear()
    replace(content / "issues" / "issue-00003.md", "## What is at stake", "## What is at stake now")
    edited = built("cached")
    assert order == ["cards listed", "search awaited"]
    assert edited == built("reference", "--no-cache")
    assert any(path.startswith("share/") for path in edited) and any("pagefind" in path for path in edited)
