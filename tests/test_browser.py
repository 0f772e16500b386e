"""What static/style.css and static/explainer.js do in a real browser: headless Chromium (tests/chromium.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import HAVE_CHROMIUM, Page, chromium, served
from conftest import REPO, run_build, write_tree

pytestmark = pytest.mark.skipif(
    not HAVE_CHROMIUM, reason="Debian's chromium is not installed (apt-get install chromium)"
)

ACTORS = ("russia", "nato", "ukraine", "united-states", "european-union", "germany", "france", "poland-and-the-baltics")
ISSUES = 10


def stance(issue: int, row: int) -> str | None:
    """Actor row's stance on an issue: none, short, long (cut short in the matrix) or with a link."""
    other = ACTORS[(row + 1) % len(ACTORS)]
    kind = (issue + row) % 4
    if kind == 3:
        return None
    if kind == 0:
        return f"Wants talks on question {issue} first, says [[{other}]] agrees, and will not move on the rest."
    return f"Short answer {issue}." if kind == 1 else f"Agrees with [[{other}]]."


def matrix_site(root: Path) -> Path:
    """A site whose positions matrix of 8 actors × 10 issues is wider than a desktop window, with the default theme."""
    files = {
        "content/site.yaml": "title: Matrix\ndescription: Many positions.\nbase_url: https://example.org/\n",
        "content/actors.yaml": "".join(
            f"{a}:\n  name: {a.replace('-', ' ').title()}\n  kind: country\n  summary: Who {a} is.\n" for a in ACTORS
        ),
        "content/events.yaml": "{}\n",
        "content/sources.yaml": "{}\n",
    }
    for n in range(ISSUES):
        positions = "".join(
            f"  {actor}: >-\n    {text}\n" for row, actor in enumerate(ACTORS) if (text := stance(n, row))
        )
        files[f"content/issues/question-{n}.md"] = (
            f"---\ntitle: Question {n} about the talks and the treaty\nsummary: Summary {n}.\norder: {n}\n"
            f"actors: [{', '.join(ACTORS)}]\npositions:\n{positions}---\n"
            + "Background.\n\n" * 30
            + "Near the end, [[russia]] and [[nato|the alliance]] said more.\n"
        )
    write_tree(root, files)
    for name in ("templates", "static"):
        shutil.copytree(REPO / name, root / name)
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root / "output"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The matrix site, built and served; its root URL."""
    with served(matrix_site(tmp_path_factory.mktemp("site"))) as root:
        yield root


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    with chromium(tmp_path_factory.mktemp("profile")) as tab:
        yield tab


TABBABLE = ".matrix-scroll :is(a[href], summary):not(.matrix-full *)"  # what a closed cell hides is not focusable

# Where the focused element and its cell are, against the part of the scroller the pinned column leaves
# visible (on the inline-start side, left or right by the page's direction). null outside the matrix.
FOCUS = """(() => {
  const focused = document.activeElement, scroller = focused.closest('.matrix-scroll');
  if (!scroller || focused === scroller) return null;
  const cell = focused.closest('td, th'), pin = cell.parentElement.cells[0];
  const box = scroller.getBoundingClientRect(), p = pin.getBoundingClientRect();
  const start = box.left + scroller.clientLeft, end = start + scroller.clientWidth;
  const rtl = getComputedStyle(scroller).direction === 'rtl';
  const visible = cell === pin ? [start, end] : rtl ? [start, p.left] : [p.right, end];
  const rect = (r) => [r.left, r.right, r.top, r.bottom];
  return {name: focused.tagName + ' ' + focused.textContent.trim().slice(0, 30) + ' @' + cell.cellIndex,
          id: [...document.querySelectorAll(TABBABLE)].indexOf(focused),
          element: rect(focused.getBoundingClientRect()), cell: rect(cell.getBoundingClientRect()),
          visible, width: innerWidth, height: innerHeight};
})()""".replace("TABBABLE", repr(TABBABLE))


def hidden_part(where: dict[str, Any]) -> list[str]:
    """What of the focused element or its cell lies outside the visible part of the scroller or the window."""
    low, high = where["visible"]
    problems = [] if 0 <= low <= high <= where["width"] else [f"the scroller's visible part {low:.0f}–{high:.0f} px"]
    for what in ("element", "cell"):
        left, right, _, _ = where[what]
        if left < low - 0.5 or right > high + 0.5:
            problems.append(f"{what} spans {left:.0f}–{right:.0f} px, visible {low:.0f}–{high:.0f}")
    _, _, top, bottom = where["element"]  # the page scrolls down to the element; a tall cell may go on below
    if top < -0.5 or bottom > where["height"] + 0.5:
        problems.append(f"element spans {top:.0f}–{bottom:.0f} px down a window {where['height']} px high")
    return problems


@pytest.mark.parametrize(("width", "direction"), [(390, "ltr"), (1280, "ltr"), (390, "rtl"), (1280, "rtl")])
def test_tabbing_through_the_matrix_never_hides_the_focused_cell(
    site: str, page: Page, width: int, direction: str
) -> None:
    page.viewport(width, 800, mobile=width < 500)
    page.open(site + "positions/")
    page.evaluate(f"document.documentElement.dir = '{direction}'")  # the CSS's logical properties mirror it
    assert page.evaluate("(s => s.scrollWidth > s.clientWidth + 500)(document.querySelector('.matrix-scroll'))")
    kinds = page.evaluate(
        f"[...document.querySelectorAll({TABBABLE!r})].map(e => e.closest('td, th').tagName + e.tagName)"
    )
    focusable = len(kinds)  # 10 issue and 8 actor links; a quarter of the 80 stances each long or with a link
    assert {kind: kinds.count(kind) for kind in set(kinds)} == {"THA": 18, "TDSUMMARY": 20, "TDA": 20}
    page.evaluate("document.querySelector('.matrix-scroll').focus()")
    seen, problems = [], []
    while True:
        page.press("Tab")
        where = page.evaluate(FOCUS)
        if where is None:
            break
        seen.append(where["id"])
        problems += [f"{where['name']}: {problem}" for problem in hidden_part(where)]
    assert seen == list(range(focusable))  # every link and summary in the matrix, in order
    assert not problems, "\n".join(problems)


def test_shift_tab_back_through_the_matrix_never_hides_the_focused_cell(site: str, page: Page) -> None:
    page.viewport(390, 800, mobile=True)
    page.open(site + "positions/")
    page.evaluate("document.querySelector('.matrix-scroll').scrollLeft = 0; document.querySelector('main a').focus()")
    last = page.evaluate(f"[...document.querySelectorAll({TABBABLE!r})].at(-1).focus()")
    assert last is None
    problems = []
    while (where := page.evaluate(FOCUS)) is not None:
        problems += [f"{where['name']}: {problem}" for problem in hidden_part(where)]
        page.press("Tab", shift=True)
    assert not problems, "\n".join(problems)


OPENED = "document.querySelectorAll('.matrix details[open]').length"


def test_escape_closes_an_opened_cell_and_focuses_its_summary(site: str, page: Page) -> None:
    page.viewport(390, 800, mobile=True)
    page.open(site + "positions/")
    page.evaluate("document.querySelectorAll('.matrix summary')[3].focus()")
    page.press("Enter")
    assert page.evaluate(OPENED) == 1
    page.press("Escape")
    assert page.evaluate(OPENED) == 0
    assert page.evaluate("document.activeElement === document.querySelectorAll('.matrix summary')[3]")

    page.press("Enter")
    page.press("Tab")  # onto the link inside the opened stance: its preview card shows
    assert page.evaluate("document.activeElement.closest('.matrix-full a.ref') !== null")
    assert hidden_part(page.evaluate(FOCUS)) == []
    assert page.wait_for("(c => c && !c.hidden)(document.getElementById('preview-card'))")
    page.press("Escape")  # the first Escape hides the card, as before
    assert page.evaluate("document.getElementById('preview-card').hidden")
    assert page.evaluate(OPENED) == 1
    page.press("Escape")  # the second closes the cell; focus goes back to its summary, not to the page
    assert page.evaluate(OPENED) == 0
    assert page.evaluate("document.activeElement === document.querySelectorAll('.matrix summary')[3]")


CARD = """(() => {
  const card = document.getElementById('preview-card'), link = document.activeElement;
  if (!card || card.hidden) return null;
  const c = card.getBoundingClientRect(), l = link.getBoundingClientRect();
  return {card: [c.left, c.right, c.top, c.bottom], link: [l.left, l.right, l.top, l.bottom],
          width: document.documentElement.clientWidth, height: document.documentElement.clientHeight};
})()"""


def focused_card(site: str, page: Page, link: str, room: int) -> dict[str, Any]:
    """The last link matching `link` on an issue page focused in a window 390 px wide that ends `room` px below
    it; the card's and the link's rects once the card shows."""
    page.viewport(390, 800, mobile=True)
    page.open(site + "issues/question-0/")
    bottom = page.evaluate(f"[...document.querySelectorAll('{link}')].at(-1).getBoundingClientRect().bottom")
    page.viewport(390, int(bottom) + room, mobile=True)
    page.evaluate(f"window.scrollTo(0, 0); [...document.querySelectorAll('{link}')].at(-1).focus()")
    assert page.wait_for(f"({CARD}) !== null")
    where: dict[str, Any] = page.evaluate(CARD)
    left, right, _, _ = where["card"]
    assert left >= 0 and right <= where["width"]  # within the window's width
    return where


def test_a_preview_card_that_would_run_past_the_window_opens_above_its_link(site: str, page: Page) -> None:
    where = focused_card(site, page, "main .body a.ref[href*=nato]", 12)
    _, _, top, bottom = where["card"]
    assert bottom <= where["height"]
    assert bottom <= where["link"][2]  # above the link, not over it
    assert top >= 0


def test_a_preview_card_with_room_below_its_link_opens_below(site: str, page: Page) -> None:
    where = focused_card(site, page, "main .body a.ref[href*=nato]", 300)
    _, _, top, bottom = where["card"]
    assert top >= where["link"][3] and bottom <= where["height"]


def test_a_hovered_link_near_the_bottom_opens_its_card_above(site: str, page: Page) -> None:
    page.viewport(390, 800, mobile=False)
    page.open(site + "issues/question-0/")
    link = "[...document.querySelectorAll('main .body a.ref')].at(-1)"
    bottom = page.evaluate(f"{link}.getBoundingClientRect().bottom")
    page.viewport(390, int(bottom) + 8)
    page.evaluate("window.scrollTo(0, 0)")
    x, y = page.evaluate(f"(r => [r.left + r.width / 2, r.top + r.height / 2])({link}.getBoundingClientRect())")
    page.hover(x, y)
    card = "document.getElementById('preview-card')"
    assert page.wait_for(f"{card} && !{card}.hidden")
    shown, owner = page.evaluate(f"[{card}, {link}].map(e => e.getBoundingClientRect()).map(r => [r.top, r.bottom])")
    assert shown[1] <= owner[0] and shown[0] >= 0
