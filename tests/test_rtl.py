"""Right-to-left sites and mixed scripts: the Persian fixture (tests/data/rtl-site) built and looked at in Chromium,
quotes' originals validated and shown in their own language, and the example (English) site still laid out
left to right."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import HAVE_CHROMIUM, Page, chromium, served
from conftest import REPO, run_build, run_main, soup, write_tree

FIXTURE = REPO / "tests" / "data" / "rtl-site"
browser = pytest.mark.skipif(not HAVE_CHROMIUM, reason="Debian's chromium is not installed (apt-get install chromium)")


def built(root: Path, content: Path) -> Path:
    """content with the default theme, built into root/output."""
    shutil.copytree(content, root / "content")
    for name in ("templates", "static"):
        shutil.copytree(REPO / name, root / name)
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root / "output"


@pytest.fixture(scope="module")
def persian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(tmp_path_factory.mktemp("fa"), FIXTURE / "content")


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(tmp_path_factory.mktemp("en"), REPO / "content")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    with chromium(tmp_path_factory.mktemp("profile")) as tab:
        yield tab


@pytest.fixture(scope="module")
def fa_url(persian: Path) -> Iterator[str]:
    with served(persian) as root:
        yield root


@pytest.fixture(scope="module")
def en_url(english: Path) -> Iterator[str]:
    with served(english) as root:
        yield root


def at(page: Page, url: str, width: int = 1280) -> Page:
    page.viewport(width, 900, mobile=width < 500)
    page.open(url)
    return page


# The rows' bars in date order (the chart lists events oldest first), as [left, right] in px.
BARS = "[...document.querySelectorAll('.tl-row .tl-bar')].map(b => [BOX(b).left, BOX(b).right])"
TICKS = "[...document.querySelectorAll('.tl-tick')].map(t => [t.textContent, BOX(t).right])"
SVG = "[BOX(document.querySelector('.relmap-svg')).left, BOX(document.querySelector('.relmap-svg')).right]"
BOX = "((e) => e.getBoundingClientRect())"


def js(expression: str) -> str:
    return expression.replace("BOX", BOX)


# --- layout -------------------------------------------------------------------------------------------------------


@browser
@pytest.mark.parametrize("path", ["", "issues/water-share/", "events/", "positions/", "actors/map/", "actors/rahimi/"])
def test_chromium_reports_rtl_on_the_persian_pages(fa_url: str, page: Page, path: str) -> None:
    at(page, fa_url + path)
    assert page.evaluate("document.documentElement.lang") == "fa"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"


@browser
@pytest.mark.parametrize("width", [390, 1280])
def test_the_timeline_runs_right_to_left(fa_url: str, page: Page, width: int) -> None:
    bars = at(page, fa_url + "events/", width).evaluate(js(BARS))
    assert len(bars) == 4
    earliest, latest = bars[0], bars[-1]
    assert earliest[0] > latest[1], bars  # the 2019 bar lies wholly to the right of the 2024 one
    ticks = page.evaluate(js(TICKS))
    assert [t[1] for t in ticks] == sorted((t[1] for t in ticks), reverse=True), ticks  # years go leftwards


@browser
def test_an_issue_pages_timeline_is_mirrored_too(fa_url: str, page: Page) -> None:
    at(page, fa_url + "issues/water-share/")
    bars = page.evaluate(js(BARS))
    assert bars[0][0] > bars[-1][1], bars
    label, track = page.evaluate(
        "['.tl-row .tl-label', '.tl-row .tl-track'].map(s => document.querySelector(s).getBoundingClientRect().left)"
    )
    assert label > track


@browser
@pytest.mark.parametrize("width", [390, 1280])
def test_the_matrix_pins_its_actor_column_at_the_right_edge(fa_url: str, page: Page, width: int) -> None:
    at(page, fa_url + "positions/", width)
    where = page.evaluate(
        """(() => { const s = document.querySelector('.matrix-scroll'), b = s.getBoundingClientRect();
                    const pin = document.querySelector('.matrix tbody th').getBoundingClientRect();
                    s.scrollLeft = -s.scrollWidth;  // to the far (left) end
                    const after = document.querySelector('.matrix tbody th').getBoundingClientRect();
                    return [b.right - s.clientLeft, pin.right, after.right]; })()"""
    )
    edge, pinned, scrolled = where
    assert abs(edge - pinned) < 1.5, where
    assert abs(edge - scrolled) < 1.5, where  # still there when the rest has scrolled away


@browser
def test_the_map_is_mirrored_and_every_label_reads_outward_from_its_node(fa_url: str, page: Page) -> None:
    for view in ("actors/map/", "actors/map/all/"):  # the camps (the default view), and the ring of every relation
        at(page, fa_url + view)
        nodes = page.evaluate(
            js("""[...document.querySelectorAll('.rm-node')].map(n => {
                 const c = BOX(n.querySelector('circle')), t = BOX(n.querySelector('text'));
                 return {name: n.textContent.trim(), circle: [c.left, c.right], text: [t.left, t.right]}; })""")
        )
        svg = page.evaluate(js(SVG))
        middle = (svg[0] + svg[1]) / 2
        if view == "actors/map/":
            hub, first = nodes[0], nodes[1]
            assert hub["circle"][0] < middle < hub["circle"][1], hub  # the first camp's hub, in the middle
            assert first["circle"][0] > middle, first  # and its first member heads the right-hand column
        else:
            assert nodes[0]["circle"][0] > middle, nodes[0]  # the first actor heads the right-hand arc
        for node in nodes:
            (c_left, c_right), (t_left, t_right) = node["circle"], node["text"]
            if c_left < middle < c_right:  # a hub: its name above it, centred
                assert abs((t_left + t_right) / 2 - (c_left + c_right) / 2) < 1, node
            elif c_left > middle:
                assert t_left >= c_right - 0.5, node  # on the right, the label lies further right
            else:
                assert t_right <= c_left + 0.5, node
            assert svg[0] - 0.5 <= t_left and t_right <= svg[1] + 0.5, node


@browser
def test_rules_and_indents_sit_on_the_right(fa_url: str, page: Page) -> None:
    at(page, fa_url + "issues/water-share/")
    sides = page.evaluate(
        """['.quote', '.source-list', '.body p'].map(s => { const c = getComputedStyle(document.querySelector(s));
             const right = c.borderRightWidth !== '0px' || c.paddingRight !== '0px';
             return [s, right, c.borderLeftWidth, c.paddingLeft]; })"""
    )
    assert sides == [
        [".quote", True, "0px", "0px"],
        [".source-list", True, "0px", "0px"],
        [".body p", False, "0px", "0px"],
    ]
    at(page, fa_url + "events/")
    dot = "getComputedStyle(document.querySelector('.timeline-item'), '::before')"
    assert page.evaluate(f"[{dot}.right, {dot}.left]")[0].startswith("-")  # the dot hangs off the right edge
    assert page.evaluate("getComputedStyle(document.querySelector('.timeline')).borderRightWidth") == "2px"


PHYSICAL = re.compile(
    r"(?<![-\w])(?:(?:margin|padding|border)-(?:left|right)|left|right|float)\s*:|text-align:\s*(?:left|right)"
)


def test_the_stylesheet_and_templates_use_logical_properties_only() -> None:
    """A physical left/right in the theme would not mirror on a right-to-left page."""
    css = (REPO / "static" / "style.css").read_text(encoding="utf-8")
    assert PHYSICAL.findall(css) == []
    for template in (REPO / "templates").glob("*.html"):
        assert PHYSICAL.findall(template.read_text(encoding="utf-8")) == [], template.name


@browser
def test_a_latin_name_in_persian_text_is_isolated(fa_url: str, page: Page) -> None:
    at(page, fa_url + "issues/water-share/")
    links = page.evaluate(
        """[...document.querySelectorAll('.body a.ref, .quote figcaption a, .source-list a')]
             .filter(a => a.textContent.includes('WaterWatch') || a.textContent.includes('Green River'))
             .map(a => [a.textContent, getComputedStyle(a).unicodeBidi, a.matches(':dir(ltr)'),
                        a.parentElement.matches(':dir(rtl)')])"""
    )
    assert len(links) >= 3, links  # in the body, as a quote's speaker, as a source's title
    for text, bidi, ltr, parent_rtl in links:
        assert (bidi, ltr, parent_rtl) == ("isolate", True, True), text


@browser
def test_a_quotes_original_is_shown_in_its_own_language_and_direction(fa_url: str, page: Page) -> None:
    for path in ("issues/water-share/", "actors/waterwatch/"):
        at(page, fa_url + path)
        found = page.evaluate(
            """[...document.querySelectorAll('.quote blockquote')].map(q => [q.lang, getComputedStyle(q).direction,
                 q.textContent.trim()])"""
        )
        assert ["en", "ltr", "The river cannot be shared if nobody measures it."] in found, (path, found)
        translation = "اگر کسی رود را اندازه نگیرد، نمی‌توان آن را تقسیم کرد."
        assert ["", "rtl", translation] in found, (path, found)


@browser
def test_the_english_site_is_still_laid_out_left_to_right(en_url: str, page: Page) -> None:
    bars = at(page, en_url + "events/").evaluate(js(BARS))
    assert bars[0][1] < bars[-1][0], bars  # earliest on the left
    at(page, en_url + "positions/")
    pinned = page.evaluate(
        "document.querySelector('.matrix tbody th').getBoundingClientRect().left"
        " - document.querySelector('.matrix-scroll').getBoundingClientRect().left"
    )
    assert abs(pinned - 1) < 1.5  # inside the scroller's 1px left border
    at(page, en_url + "actors/map/")
    first = page.evaluate("document.querySelector('.rm-node circle').getBoundingClientRect().left")
    svg = page.evaluate(js(SVG))
    assert first < (svg[0] + svg[1]) / 2
    at(page, en_url + "issues/pace-of-talks/")
    style = "getComputedStyle(document.querySelector('.quote'))"
    quote = page.evaluate(f"[{style}.borderLeftWidth, {style}.borderRightWidth, {style}.paddingLeft]")
    assert quote == ["4px", "0px", "16px"]


# --- HTML, without a browser --------------------------------------------------------------------------------------


def test_an_inserted_name_is_isolated_and_the_writers_own_words_are_not(tmp_path: Path) -> None:
    body = "Asked again, [[putin]] said no; [[putin|the president]] said it twice.\n"
    write_tree(tmp_path, {**SITE, "content/issues/a.md": card("") + body})
    assert run_main(tmp_path).returncode == 0
    page = soup(tmp_path / "output" / "issues" / "a" / "index.html")
    links = [(a.get_text(), a.get("dir")) for a in page.select(".body a.ref")]
    assert links == [("Vladimir Putin", "auto"), ("the president", None)]
    speaker = page.select_one(".quote figcaption a")
    assert speaker is not None and speaker.get("dir") == "auto"
    assert page.select_one(".source-list cite")["dir"] == "auto"  # type: ignore[index]
    assert page.select_one("html")["dir"] == "ltr"  # type: ignore[index]


def test_the_map_on_a_persian_page_is_the_english_drawing_mirrored(persian: Path) -> None:
    from explainer.views.mapdraw import Drawing, Line, Node

    svg = soup(persian / "actors" / "map" / "index.html").select_one("svg.relmap-svg")
    assert svg is not None
    width = int(str(svg["viewbox"]).split()[2])
    circles = [float(c["cx"]) for c in svg.select("circle")]
    assert circles[0] == width / 2 < circles[1]  # the first camp's hub in the middle, its first member on the right
    node = Node(None, 10.0, 5.0, ("a",), "end", 0.0, 5.0)  # type: ignore[arg-type]
    drawing = Drawing(100, 50, (node,), (Line("member", 10.0, 1.0, 30.0, 2.0),), (), (), 1)
    flipped = drawing.mirrored()
    assert (flipped.nodes[0].x, flipped.nodes[0].lx, flipped.nodes[0].anchor) == (90.0, 100.0, "end")
    assert (flipped.lines[0].x1, flipped.lines[0].x2, flipped.lines[0].y1) == (90.0, 70.0, 1.0)
    assert flipped.mirrored() == drawing


def test_the_export_carries_a_quotes_original_and_language(persian: Path) -> None:
    data = json.loads((persian / "data" / "explainer.json").read_text(encoding="utf-8"))
    issue = next(i for i in data["issues"] if i["id"] == "water-share")
    first, second = issue["quotes"]
    assert (first["original"], first["lang"]) == ("The river cannot be shared if nobody measures it.", "en")
    assert (second["original"], second["lang"]) == (None, None)


# --- quotes' originals: validation ---------------------------------------------------------------------------------

SITE = {
    "content/site.yaml": "title: T\ndescription: D.\nbase_url: https://example.org/\n",
    "content/actors.yaml": "putin:\n  name: Vladimir Putin\n  kind: person\n",
    "content/events.yaml": "{}\n",
    "content/sources.yaml": "s:\n  title: S\n  date: 2022-01-10\n",
}


def card(quote: str) -> str:
    return "---\ntitle: Q\nsummary: S.\nsources: [s]\nquotes:\n  - by: putin\n    text: No.\n" + quote + "---\nBody.\n"


def test_an_original_without_its_language_and_an_unknown_language_are_errors_at_their_lines(tmp_path: Path) -> None:
    write_tree(tmp_path, {**SITE, "content/issues/a.md": card("    original: Нет.\n"),
                          "content/issues/b.md": card("    original: Нет.\n    lang: russian\n")})  # fmt: skip
    result = run_main(tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "content/issues/a.md:8: error: quote 1 has an 'original' but no 'lang': add the language it was said in",
        "content/issues/b.md:9: error: unknown language 'russian' in 'lang' of quote 1: "
        "write a BCP 47 tag such as 'en'",
    ]
    assert "Traceback" not in result.stderr


def test_an_original_with_a_known_language_builds(tmp_path: Path) -> None:
    write_tree(tmp_path, {**SITE, "content/issues/a.md": card("    original: Нет.\n    lang: ru\n")})
    result = run_main(tmp_path)
    assert result.returncode == 0, result.stderr
    quote = soup(tmp_path / "output" / "issues" / "a" / "index.html").select_one(".quote-original")
    assert quote is not None and (quote["lang"], quote["dir"], quote.get_text()) == ("ru", "ltr", "Нет.")


def test_a_language_without_an_original_is_a_warning_at_its_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {**SITE, "content/issues/a.md": card("    lang: ru\n")})
    result = run_main(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        "content/issues/a.md:8: warning: quote 1 has a 'lang' but no 'original' to mark with it: "
        "add the original text, or take 'lang' out"
    ) in result.stderr.splitlines()


@browser
def test_the_scripts_words_are_in_the_pages_language(fa_url: str, page: Page) -> None:
    """What static/explainer.js writes (the timeline filter's count, the search box's label) and Pagefind's own
    interface come in Persian on the Persian site, its numbers written as Babel writes the page's (Latin digits)."""
    at(page, fa_url + "events/")
    count = page.evaluate(
        """(() => { const s = document.querySelector('#tl-issue'); s.value = s.options[1].value;
                    s.dispatchEvent(new Event('change'));
                    return document.querySelector('.tl-count').textContent; })()"""
    )
    shown = page.evaluate("document.querySelectorAll('.tl-row:not([hidden])').length")
    total = page.evaluate("document.querySelectorAll('.tl-row').length")
    assert 0 < shown < total, (shown, total)
    assert count == f"{shown} از {total} رویداد", count
    at(page, fa_url + "search/")
    assert page.wait_for("document.querySelector('#search .search-label') !== null")
    label, placeholder = page.evaluate(
        "['.search-label', 'input'].map(s => document.querySelector('#search ' + s))"
        ".map((e, i) => i ? e.placeholder : e.textContent)"
    )
    assert label == "جست‌وجوی یک نام، یک مکان یا یک واژه"
    assert placeholder and not re.search("[A-Za-z]", placeholder), placeholder  # Pagefind UI's own Persian
