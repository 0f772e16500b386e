"""A replaced, renamed or deleted image renders again only the pages that show it (its name is among what they
read: mediafiles.Media.get), in a cached build and in serve; the result is always a clean build's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import edit
from test_change_model import Spy
from test_pictures import ISSUE, drawing, pictured_site
from test_speed_features import build, clean, tree

from explainer import mediafiles

CHART = "content/media/charts/bars.png"  # shown in the body of nato-expansion only
PHOTO = "content/media/photo.jpg"  # nato-expansion's image: (its page, and its thumbnail on the home page)
PAGE = "issues/nato-expansion/index.html"


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_replaced_image_renders_only_the_pages_that_show_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              jobs: str) -> None:  # fmt: skip
    site = pictured_site(tmp_path)
    before = tree(build(site, "cached", "--jobs", jobs))
    spy = Spy(monkeypatch)
    drawing(site / CHART, (640, 480), (200, 40, 40))  # new bytes and size, same name
    after = tree(build(site, "cached", "--jobs", jobs))
    assert (spy.keyed, spy.rendered) == ([0], [1])  # no page key made; the one page whose body shows it
    assert after == clean(site)
    assert PAGE in changed(before, after) and b'width="640"' in after[PAGE]
    assert {path for path in changed(before, after) if path.endswith(".html")} == {PAGE}
    drawing(site / PHOTO, (1200, 900), (20, 140, 40))
    again = tree(build(site, "cached", "--jobs", jobs))
    assert spy.rendered[-1] == 2  # the card's page and the home page (its thumbnail)
    assert again == clean(site)
    assert {path for path in changed(after, again) if path.endswith(".html")} == {PAGE, "index.html"}


def test_a_renamed_or_deleted_image_is_a_clean_builds_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = pictured_site(tmp_path)
    drawing(site / "content/media/spare.png", (300, 200))
    edit(site, "content/actors.yaml", "name: Vladimir Putin\n",
         "name: Vladimir Putin\n  image: {src: media/spare.png, alt: A portrait}\n")  # fmt: skip
    build(site, "cached")
    spy = Spy(monkeypatch)
    (site / CHART).rename(site / "content/media/charts/columns.png")
    edit(site, ISSUE, "media/charts/bars.png", "media/charts/columns.png")
    built = tree(build(site, "cached"))
    assert spy.rendered[-1] < 8  # the card's page and the pages that show its body, not the whole site (20)
    assert built == clean(site)
    (site / "content/media/spare.png").unlink()
    edit(site, "content/actors.yaml", "  image: {src: media/spare.png, alt: A portrait}\n", "")
    assert tree(build(site, "cached")) == clean(site)


def test_a_page_that_does_not_note_the_image_it_shows_is_caught(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The teeth: with Media.get noting nothing, the replaced chart's page is kept stale, and the comparison
    with a clean build sees it."""
    site = pictured_site(tmp_path)
    build(site, "cached", "--jobs", "1")
    monkeypatch.setattr(mediafiles.reads, "note", lambda key: None)
    shutil.rmtree(site / "cached")
    build(site, "cached", "--jobs", "1")  # every page rendered again, none noting the images it shows
    drawing(site / CHART, (640, 480), (200, 40, 40))
    stale = tree(build(site, "cached", "--jobs", "1"))
    assert b'width="640"' not in stale[PAGE] and stale != clean(site)


def test_serve_renders_again_only_the_pages_that_show_a_replaced_image(tmp_path: Path) -> None:
    from explainer.diagnostics import Diagnostics
    from explainer.incremental.memory import BuildCache
    from explainer.pipeline import BuildOptions, render_site
    from explainer.serve.loop import preview_options

    site = pictured_site(tmp_path)
    options = preview_options(BuildOptions(site / "content", site / "out", site / "templates", site / "static"))
    cache = BuildCache()
    first = render_site(options, Diagnostics(), cache)
    assert first is not None and cache.rendered > 10
    drawing(site / CHART, (640, 480), (200, 40, 40))
    cached = render_site(options, Diagnostics(), cache)
    fresh = render_site(options, Diagnostics())
    assert cached is not None and fresh is not None and cached[0] == fresh[0]
    assert cache.rendered == 1 and b'width="640"' in cached[0][PAGE]
    drawing(site / PHOTO, (1200, 900), (20, 140, 40))
    cached = render_site(options, Diagnostics(), cache)
    fresh = render_site(options, Diagnostics())
    assert cached is not None and fresh is not None and cached[0] == fresh[0]
    assert cache.rendered == 2  # the card's page and the home page
