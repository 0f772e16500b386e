"""Images: content/media/ checked, variants in every width and format, srcset, a second build making none."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import CLEAN, edit, run_main, snapshot, soup, write_site
from PIL import Image, ImageDraw

from explainer import pictures, pipeline, sharecards
from explainer.parallel import imagepool

ISSUE = "content/issues/nato-expansion.md"


def drawing(path: Path, size: tuple[int, int], colour: tuple[int, int, int] = (30, 90, 160)) -> bytes:
    """A picture of size written to path (its format from the suffix); its bytes."""
    image = Image.new("RGB", size, (230, 230, 220))
    ImageDraw.Draw(image).ellipse((size[0] // 5, size[1] // 5, size[0] // 2, size[1] // 2), fill=colour)
    out = io.BytesIO()
    image.save(out, {".jpg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP"}[path.suffix])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
    return out.getvalue()


def pictured_site(root: Path) -> Path:
    """CLEAN with a 2000×1500 photo at the top of a card and a 700×400 chart in its body."""
    write_site(root, CLEAN)
    drawing(root / "content/media/photo.jpg", (2000, 1500))
    drawing(root / "content/media/charts/bars.png", (700, 400))
    edit(root, ISSUE, "title: Will NATO grow?\n",
         "title: Will NATO grow?\nimage:\n  src: media/photo.jpg\n  alt: Delegates at a table\n"
         "  caption: The talks in Geneva.\n  credit: 'Photo: The project'\n")  # fmt: skip
    edit(
        root,
        ISSUE,
        "See also [[missiles]].\n",
        'See also [[missiles]].\n\n![Bars of troops](media/charts/bars.png "Troops by year. Chart: The project")\n',
    )
    return root


def build(root: Path, *args: str) -> str:
    result = run_main(root, "--no-search", *args)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_a_cards_image_and_a_markdown_image_are_figures_with_every_width_and_format(tmp_path: Path) -> None:
    root = pictured_site(tmp_path)
    assert "warning" not in build(root)
    page = soup(root / "output/issues/nato-expansion/index.html")
    lead, chart = page.find_all("figure", class_="picture")
    img = lead.find("img")
    assert (img["width"], img["height"]) == ("1600", "1200")
    assert "loading" not in img.attrs and img["fetchpriority"] == "high"  # the first image loads at once
    assert img["alt"] == "Delegates at a table" and img["sizes"]
    widths = [part.split()[1] for part in img["srcset"].split(", ")]
    assert widths == ["480w", "960w", "1600w"]  # never wider than the original: 2000 is not made
    assert all(part.split()[0].endswith(".jpg") for part in img["srcset"].split(", "))
    assert lead.find("source")["type"] == "image/webp"
    assert lead.find("source")["srcset"].count(".webp") == 3
    assert lead.figcaption.get_text(" ", strip=True) == "The talks in Geneva. Photo: The project"
    assert lead.find(class_="credit").get_text() == "Photo: The project"
    small = chart.find("img")
    assert (small["width"], small["height"], small["loading"]) == ("700", "400", "lazy")
    assert [p.split()[1] for p in small["srcset"].split(", ")] == ["480w", "700w"]  # the original's own width
    assert chart.figcaption.contents[0].strip() == "Troops by year."
    assert chart.find(class_="credit").get_text() == "Chart: The project"
    made = sorted(p.name for p in (root / "output/media").rglob("*") if p.is_file())
    assert len(made) == 10  # photo: 3 widths × (WebP, JPEG); chart: 2 widths × (WebP, PNG)
    for path in (root / "output/media").rglob("*.*"):
        with Image.open(path) as variant:
            expected = {".webp": "WEBP", ".jpg": "JPEG", ".png": "PNG"}[path.suffix]
            assert variant.format == expected
            assert variant.width == int(path.stem.rsplit("-", 1)[1])
            assert "exif" not in variant.info
    for src in [img["src"], *(p.split()[0] for p in img["srcset"].split(", "))]:
        assert (root / "output" / src.lstrip("/")).is_file()
    home = soup(root / "output/index.html")
    assert home.find("img", class_="thumb")["alt"] == ""  # the card's title beside it names it


def test_two_clean_builds_make_the_same_bytes(tmp_path: Path) -> None:
    first = pictured_site(tmp_path / "a")
    second = pictured_site(tmp_path / "b")
    build(first, "--no-cache")
    build(second, "--no-cache")
    left = {path: data for path, (data, _) in snapshot(first / "output").items()}
    right = {path: data for path, (data, _) in snapshot(second / "output").items()}
    assert left == right


def test_a_second_build_makes_no_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real = pictures.make_variants
    monkeypatch.setattr(pictures, "make_variants", lambda file, data: made.append(file.name) or real(file, data))
    drawn: list[str] = []
    monkeypatch.setattr(imagepool, "draw", lambda card: drawn.append(card.title) or sharecards.draw(card))
    root = pictured_site(tmp_path)
    build(root)
    assert sorted(made) == ["media/charts/bars.png", "media/photo.jpg"]
    assert "Will Russia pull back its troops?" in drawn and "Vladimir Putin" in drawn  # a card and an actor
    assert len(drawn) == len(set(drawn)) == 17  # every page's own title, once: none for the pictured card or 404
    made.clear()
    drawn.clear()
    edit(root, ISSUE, "The door stays open.", "The door stays wide open.")
    build(root)
    assert made == [] and drawn == []
    build(root, "--output", "elsewhere")  # a new output folder: the variants and cards come from the cache
    assert made == [] and drawn == [] and len(list((root / "elsewhere/media").rglob("*.webp"))) == 5
    edit(root, "content/issues/troops.md", "title: Will Russia pull back its troops?", "title: Will troops go?")
    build(root)
    assert made == [] and drawn == ["Will troops go?"]  # only the card of the page whose title changed
    drawing(root / "content/media/photo.jpg", (1200, 900), (200, 40, 40))  # replaced: only it is made again
    build(root)
    assert made == ["media/photo.jpg"]
    img = soup(root / "output/issues/nato-expansion/index.html").find("img")
    assert (img["width"], img["height"]) == ("1200", "900")
    assert sorted(p.name.rsplit("-", 1)[1] for p in (root / "output/media").glob("photo.*")) == [
        "1200.jpg", "1200.webp", "480.jpg", "480.webp", "960.jpg", "960.webp"
    ]  # fmt: skip


def errors_of(root: Path) -> list[str]:
    result = run_main(root, "--no-search")
    return [line for line in result.stderr.splitlines() if ": error: " in line or ": warning: " in line]


def test_each_mistake_is_reported_at_its_line(tmp_path: Path) -> None:
    root = pictured_site(tmp_path)
    edit(root, ISSUE, "src: media/photo.jpg", "src: media/photos.jpg")
    edit(root, ISSUE, "![Bars of troops](media/charts/bars.png", "![](media/bars.png")
    edit(root, "content/actors.yaml", "  kind: organization\n", "  kind: organization\n  image: media/x.png\n")
    (root / "content/media/notes.pdf").write_bytes(b"%PDF-1.4 not a picture")
    (root / "content/media/broken.jpg").write_bytes(drawing(root / "content/media/whole.jpg", (50, 50))[:60])
    (root / "content/media/LICENSE").write_text("CC0\n")  # a licence beside the images is no image
    (root / "content/media/sketch.svg").write_text("<svg/>")
    edit(root, "content/events.yaml", "  date: 2021-11\n", "  date: 2021-11\n  image: {src: media/photo.jpg}\n")
    edit(root, "content/events.yaml", "  date: 2008\n", "  date: 2008\n  image: {src: media/photo.jpg, alt: [a]}\n")
    result = run_main(root, "--no-search")
    assert result.returncode == 1
    lines = errors_of(root)
    assert lines[0].startswith("content/media/broken.jpg: error: a damaged image (")  # Pillow's words vary
    assert lines[0].endswith("): only JPEG, PNG, GIF and WebP files belong in media/")
    assert lines[1:] == [
        "content/media/charts/bars.png: warning: image not used by any card, actor or event: show it somewhere, "
        "or delete it",
        "content/media/notes.pdf: error: not an image: only JPEG, PNG, GIF and WebP files belong in media/",
        "content/media/sketch.svg: error: SVG images are not supported yet: export it as PNG",
        "content/media/whole.jpg: warning: image not used by any card, actor or event: show it somewhere, or delete it",
        "content/actors.yaml:14: error: 'image' must be a mapping with 'src' and 'alt', not text",
        "content/events.yaml:4: error: 'alt' must be text, not a list",
        "content/events.yaml:11: warning: the image has no alt text: describe what it shows for readers who "
        'cannot see it (alt: "" marks a purely decorative image)',
        "content/issues/nato-expansion.md:3: error: image 'media/photos.jpg' not found — did you mean "
        "'media/photo.jpg'?",
        "content/issues/nato-expansion.md:28: error: image 'media/bars.png' not found — did you mean "
        "'media/charts/bars.png'?",
        "content/issues/nato-expansion.md:28: warning: the image has no alt text: describe what it shows between "
        "the brackets, ![what it shows](media/…)",
    ]


def test_an_image_outside_media_is_named_with_where_images_live(tmp_path: Path) -> None:
    root = pictured_site(tmp_path)
    edit(root, ISSUE, "src: media/photo.jpg", "src: photo.jpg")
    assert errors_of(root) == [
        "content/media/photo.jpg: warning: image not used by any card, actor or event: show it somewhere, or delete it",
        "content/issues/nato-expansion.md:3: error: image 'photo.jpg' not found: images live in the content "
        "folder's media/ folder — did you mean 'media/photo.jpg'?",
    ]


def test_decorative_and_external_images_are_not_warned_of(tmp_path: Path) -> None:
    root = pictured_site(tmp_path)
    edit(root, ISSUE, "  alt: Delegates at a table\n", '  alt: ""\n')
    edit(root, ISSUE, "See also [[missiles]].\n", "See also [[missiles]]. ![A logo](https://example.org/l.png)\n")
    assert errors_of(root) == []
    page = soup(root / "output/issues/nato-expansion/index.html")
    assert page.find("figure", class_="picture").find("img")["alt"] == ""
    assert page.find("img", src="https://example.org/l.png")["alt"] == "A logo"


def test_share_images_are_the_pages_own_picture_or_a_drawn_card(tmp_path: Path) -> None:
    root = pictured_site(tmp_path)
    build(root)
    page = soup(root / "output/issues/nato-expansion/index.html")
    image = page.find("meta", property="og:image")["content"]
    assert image.startswith("https://example.org/media/photo.") and image.endswith("-1600.jpg")
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    assert page.find("meta", attrs={"name": "twitter:image"})["content"] == image
    assert page.find("meta", property="og:image:alt")["content"] == "Delegates at a table"
    assert json.loads(page.find("script", type="application/ld+json").string)["image"] == image
    other = soup(root / "output/issues/troops/index.html")
    card = other.find("meta", property="og:image")["content"]
    assert card.startswith("https://example.org/share/") and card.endswith(".png")
    assert (other.find("meta", property="og:image:width")["content"], other.find("meta", property="og:image:height")[
        "content"]) == ("1200", "630")  # fmt: skip
    with Image.open(root / "output" / card.removeprefix("https://example.org/")) as drawn:
        assert (drawn.format, drawn.size) == ("PNG", (1200, 630))
    home = soup(root / "output/index.html").find("meta", property="og:image")["content"]
    assert home.startswith("https://example.org/share/") and home != card
    assert soup(root / "output/404.html").find("meta", property="og:image") is None
    actor = soup(root / "output/actors/putin/index.html").find("meta", property="og:image")["content"]
    assert actor.startswith("https://example.org/share/") and actor not in (home, card)  # its own card
    shown, titles = set(), set()
    for path in (root / "output").rglob("index.html"):
        page = soup(path)
        meta = page.find("meta", property="og:image")
        if path.parent.name != "nato-expansion":  # every page but the pictured card's shows a card of its title
            assert "/share/" in meta["content"], path
            shown.add(meta["content"].rsplit("/", 1)[1])
            titles.add(page.title.get_text())
    assert {path.name for path in (root / "output/share").iterdir()} == shown  # every card shown, none more
    assert len(shown) == len(titles) == 17  # one per title (the two map pages share theirs)


def test_the_share_cards_of_a_build_are_named_once_a_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build lists every page's share card (`share_cards`, on every edit): each card's name (a digest) is
    made once a page, not once to see that the page shows a card and again to file it."""
    from explainer.diagnostics import Diagnostics
    from explainer.pages import plan

    root = pictured_site(tmp_path)
    options = pipeline.BuildOptions(root / "content", root / "output", root / "templates", root / "static")
    run = pipeline.load_and_link(options, Diagnostics(), None, None)
    assert run is not None and run.site is not None
    pages = plan(run.site)
    named: list[str] = []
    real = sharecards.ShareCard.path
    counted = property(lambda card: named.append(card.title) or real.fget(card))
    monkeypatch.setattr(sharecards.ShareCard, "path", counted)
    cards = sharecards.share_cards(run.site, pages)
    assert len(cards) == 17  # every page but the 404 page and the pictured card's (the two map pages share one)
    assert len(named) == len(pages) - 2  # one name a page that shows a card
    assert {card.title for card in cards.values()} == set(named)


def test_no_share_image_without_a_full_base_url(tmp_path: Path) -> None:
    root = pictured_site(tmp_path)
    edit(root, "content/site.yaml", "base_url: https://example.org/\n", "base_url: /\n")
    run_main(root, "--no-search")
    page = soup(root / "output/issues/troops/index.html")
    assert page.find("meta", property="og:image") is None
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
    assert not (root / "output/share").exists()


def ink_columns(data: bytes) -> tuple[int, int]:
    """The leftmost and rightmost columns of a share card's title lines (y 150-400) that hold ink."""
    with Image.open(io.BytesIO(data)) as card:
        box = card.convert("L").point(lambda v: 255 if v < 120 else 0).crop((0, 150, 1200, 400)).getbbox()
    assert box is not None
    return box[0], box[2]


def test_a_share_card_is_deterministic_and_right_to_left_for_persian() -> None:
    left = sharecards.ShareCard("Explainer", "Will NATO stop expanding east?", "Status: deadlocked", "en")
    right = sharecards.ShareCard("توضیح", "آیا ناتو گسترش به شرق را متوقف می‌کند؟", "وضعیت: بن‌بست", "fa")
    assert sharecards.draw(left) == sharecards.draw(left)
    start, end = ink_columns(sharecards.draw(left))
    assert start == pytest.approx(sharecards.MARGIN, abs=6) and end < 1100
    start, end = ink_columns(sharecards.draw(right))
    assert end == pytest.approx(1200 - sharecards.MARGIN, abs=6) and start > 100  # set from the right margin
    assert left.path != right.path and left.path.startswith("share/")


def test_every_language_s_pages_have_cards_in_that_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[tuple[str, str]] = []
    monkeypatch.setattr(imagepool, "draw", lambda card: drawn.append((card.title, card.language)) or
                        sharecards.draw(card))  # fmt: skip
    root = pictured_site(tmp_path)
    (root / "content/site.yaml").write_text((root / "content/site.yaml").read_text() + "languages: [en, fa]\n")
    build(root)
    own = soup(root / "output/actors/putin/index.html").find("meta", property="og:image")["content"]
    persian = soup(root / "output/fa/actors/putin/index.html").find("meta", property="og:image")["content"]
    assert "/share/" in persian and persian != own and ("Vladimir Putin", "fa") in drawn
    assert (root / "output" / persian.removeprefix("https://example.org/")).is_file()
    timeline = soup(root / "output/fa/events/index.html").find("meta", property="og:image")["content"]
    assert "/share/" in timeline and any(language == "fa" and title != "Vladimir Putin" for title, language in drawn)
    drawn.clear()
    edit(root, ISSUE, "The door stays open.", "The door stays wide open.")
    build(root)
    assert drawn == []  # the other language's pages are made afresh, their cards kept
