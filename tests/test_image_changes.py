"""A replaced, renamed or deleted image renders again only the pages that show it (its name is among what they
read: mediafiles.Media.get), in a cached build and in serve; the result is always a clean build's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import edit, soup
from test_change_model import Spy
from test_pictures import ISSUE, drawing, pictured_site
from test_speed_features import build, clean, tree

from explainer import mediafiles
from explainer.media import NO_ALT_MARKDOWN as NO_ALT

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


def translated_site(root: Path) -> Path:
    """pictured_site in English and Spanish, the card's Spanish body showing images of its own."""
    site = pictured_site(root)
    (site / "content/site.yaml").write_text((site / "content/site.yaml").read_text() + "languages: [en, es]\n")
    drawing(site / "content/media/maps/solo-es.png", (800, 500))
    (site / "content/issues/nato-expansion.es.md").write_text(
        "---\ntitle: ¿Crecerá la OTAN?\nsummary: Quizá.\n---\nLa puerta sigue abierta.\n\n"
        '![Un mapa de la OTAN](media/maps/solo-es.png "Los miembros. Mapa: El proyecto")\n\n'
        "![](media/maps/solo-es.png)\n\n![Un gráfico](media/maps/solo-ez.png)\n",
        encoding="utf-8",
    )
    return site


def test_an_image_only_a_translation_shows_is_checked_made_and_shown(tmp_path: Path) -> None:
    from conftest import run_main

    site = translated_site(tmp_path)
    result = run_main(site, "--no-search")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if ": error: " in line or ": warning: " in line]
    assert lines == [
        "content/issues/nato-expansion.es.md:9: warning: " + NO_ALT,
        "content/issues/nato-expansion.es.md:11: error: image 'media/maps/solo-ez.png' not found"
        " — did you mean 'media/maps/solo-es.png'?",
    ]  # and solo-es.png, which only the translation shows, is not "not used"
    edit(site, "content/issues/nato-expansion.es.md", "![Un gráfico](media/maps/solo-ez.png)\n", "")
    result = run_main(site, "--no-search")
    assert result.returncode == 0, result.stderr
    page = soup(site / "output/es/issues/nato-expansion/index.html")
    img = page.find("img", alt="Un mapa de la OTAN")
    figure = img.find_parent("figure")
    assert (img["width"], img["height"]) == ("800", "500")
    assert figure.figcaption.get_text(" ", strip=True) == "Los miembros. Mapa: El proyecto"
    for src in [img["src"], *(part.split()[0] for part in img["srcset"].split(", "))]:
        assert (site / "output" / src.lstrip("/")).is_file()
    assert len(list((site / "output/media/maps").glob("solo-es.*.webp"))) == 2  # 480 and 800


def test_an_image_in_a_facts_text_in_another_language_is_checked(tmp_path: Path) -> None:
    from conftest import run_main

    site = translated_site(tmp_path)
    edit(site, "content/issues/nato-expansion.es.md", "![Un gráfico](media/maps/solo-ez.png)\n", "")
    edit(site, "content/actors.yaml", "name: Russia\n",
         "name: Russia\n  summary:\n    en: A country.\n    es: Un país. ![](media/maps/solo-ez.png)\n")  # fmt: skip
    result = run_main(site, "--no-search")
    lines = [line for line in result.stderr.splitlines() if ": error: " in line or ": warning: " in line]
    assert sorted(lines) == [
        "content/actors.yaml:5: error: image 'media/maps/solo-ez.png' not found"
        " — did you mean 'media/maps/solo-es.png'?",
        "content/actors.yaml:5: warning: " + NO_ALT,  # Russia's summary in Spanish, at its line
        "content/issues/nato-expansion.es.md:9: warning: " + NO_ALT,
    ]
