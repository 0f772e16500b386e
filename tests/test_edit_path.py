"""What a cached build after a small edit leaves out (issue 17's edit target): the relationship graph is made
only when a page that renders uses it or page workers fork; the output is a clean build's either way."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_speed_features import build, clean, corpus_site, tree

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
