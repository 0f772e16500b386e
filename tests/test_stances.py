"""Stances: a position written `{text, stance}` (for, against, mixed, unclear) shows its stance in words and a
shape as well as colour on the issue page, the matrix and the actor page; the issue page counts them; the JSON
export holds them; the plain form keeps working."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SITE, built_site, run_main, snapshot, soup, words, write_site

CARD = SITE["content/issues/nato-expansion.md"].replace(
    """        positions:
          russia: Wants a pledge, says [[putin]].
          nato: The door stays open.
""",
    """        positions:
          russia: {text: "Wants a pledge, says [[putin]].", stance: against}
          nato:
            text: The door stays open.
            stance: for
          putin: {text: Says the same., stance: against}
          ukraine: Hopes to join one day.
""",
)


def test_the_issue_page_shows_each_stance_in_words_and_shape_and_counts_them(tmp_path: Path) -> None:
    out = built_site(tmp_path, {"content/issues/nato-expansion.md": CARD})
    page = soup(out / "issues/nato-expansion/index.html")
    assert words(page.select_one(".stance-summary")) == "1 for, 2 against"
    rows = {words(r.th): r.td for r in page.select(".positions-table tbody tr")}
    russia = rows["Russia"].select_one(".stance")
    assert "stance-against" in russia["class"] and words(russia) == "− Against"
    assert russia.select_one(".stance-mark")["aria-hidden"] == "true"  # the shape is for the eye; the word is read
    assert words(rows["NATO"].select_one(".stance")) == "+ For"
    assert rows["Ukraine"].select_one(".stance") is None  # written as plain text: no stance claimed
    assert "Wants a pledge, says" in words(rows["Russia"]) and rows["Russia"].find("a")["href"] == "/actors/putin/"


def test_the_matrix_and_actor_page_show_stances(tmp_path: Path) -> None:
    out = built_site(tmp_path, {"content/issues/nato-expansion.md": CARD})
    matrix = soup(out / "positions/index.html")
    column = [words(th) for th in matrix.select("table.matrix thead th")].index("Will NATO grow?") - 1
    cells = {row.th.a.get_text(): row.select("td") for row in matrix.select("table.matrix tbody tr")}
    assert words(cells["NATO"][column].select_one(".stance")) == "+ For"
    assert cells["Ukraine"][column].select_one(".stance") is None
    actor = soup(out / "actors/nato/index.html")
    assert words(actor.select_one(".actor-issues .stance")) == "+ For"


def test_the_export_holds_stances(tmp_path: Path) -> None:
    out = built_site(tmp_path, {"content/issues/nato-expansion.md": CARD})
    issues = {i["id"]: i for i in json.loads((out / "data/explainer.json").read_text(encoding="utf-8"))["issues"]}
    stances = {p["actor"]: p["stance"] for p in issues["nato-expansion"]["positions"]}
    assert stances == {"russia": "against", "nato": "for", "putin": "against", "ukraine": None}


def test_a_site_in_russian_counts_by_its_plurals(tmp_path: Path) -> None:
    site = SITE["content/site.yaml"].rstrip(" ") + "        language: ru\n"
    out = built_site(tmp_path, {"content/issues/nato-expansion.md": CARD, "content/site.yaml": site})
    page = soup(out / "issues/nato-expansion/index.html")
    assert words(page.select_one(".stance-summary")) == "1 за, 2 против"
    assert "Против" in words(page.select_one(".positions-table .stance-against"))


def test_a_bad_stance_or_a_position_without_text_is_an_error_at_its_line(tmp_path: Path) -> None:
    out = built_site(tmp_path, {})
    before = snapshot(out)
    card = CARD.replace("stance: for", "stance: pro")
    card = card.replace("{text: Says the same., stance: against}", "{stance: for}")
    write_site(tmp_path, {"content/issues/nato-expansion.md": card})
    result = run_main(tmp_path, "--no-search", "--no-cache")
    assert result.returncode == 1
    path = "content/issues/nato-expansion.md"
    assert f"{path}:12: error: unknown stance 'pro' (one of for, against, mixed, unclear)" in result.stderr
    assert f"{path}:13: error: the position of 'putin' needs a 'text'" in result.stderr
    assert snapshot(out) == before
