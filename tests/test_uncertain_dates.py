"""Approximate and open dates: an event's `date: ~2003` (shown "about 2003", drawn faded) and `end: ongoing`
(shown "ongoing", its bar open to the axis's end), sorted deterministically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import Tag
from conftest import SITE, built_site, run_main, snapshot, soup, words, write_site

from explainer.dates import PartialDate, parse_date

EVENTS = """
    summit:
      title: Bucharest summit
      date: 2008
      issues: [nato-expansion]
    founding:
      title: Founding talks
      date: ~2008
      issues: [nato-expansion]
    early:
      title: Early contacts
      date: ~2003-05
      end: ~2004
      issues: [nato-expansion]
    war:
      title: War in the east
      date: 2014
      end: ongoing
      issues: [nato-expansion]
    talks:
      title: Geneva talks
      date: 2022-01-10
      actors: [russia]
      issues: [nato-expansion]
    """


def test_approximate_dates_parse_only_where_allowed() -> None:
    assert parse_date("~2003", approximate=True) == PartialDate(2003, approximate=True)
    assert parse_date("~2003-05", approximate=True) == PartialDate(2003, 5, approximate=True)
    assert str(parse_date("~2003", approximate=True)) == "~2003" and parse_date("~2003", True).iso == "2003"
    with pytest.raises(ValueError, match="only an event's 'date' and 'end' may start with '~'"):
        parse_date("~2003")
    with pytest.raises(ValueError, match="approximate to the day"):
        parse_date("~2003-05-01", approximate=True)


def test_an_approximate_date_says_about_and_an_open_end_ongoing(tmp_path: Path) -> None:
    out = built_site(tmp_path, {"content/events.yaml": EVENTS})
    assert words(soup(out / "events/founding/index.html").select_one(".event-when")) == "about 2008"
    assert words(soup(out / "events/early/index.html").select_one(".event-when")) == "about May 2003–about 2004"
    when = soup(out / "events/war/index.html").select_one(".event-when")
    assert words(when) == "2014–ongoing"
    assert when.find("time")["datetime"] == "2014"


def test_the_timeline_draws_them_honestly_in_a_fixed_order(tmp_path: Path) -> None:
    out = built_site(tmp_path, {"content/events.yaml": EVENTS})
    page = soup(out / "issues/nato-expansion/index.html")
    rows = page.select(".tl-row")
    titles = [words(r.select_one(".tl-title")) for r in rows]
    # by date; the exact 2008 before about 2008 (same period, the sure one first)
    assert titles == ["Early contacts", "Bucharest summit", "Founding talks", "War in the east", "Geneva talks"]
    bars = {t: r.select_one(".tl-bar") for t, r in zip(titles, rows, strict=True)}
    assert "tl-approximate" in bars["Founding talks"]["class"] and "tl-approximate" in bars["Early contacts"]["class"]
    assert "tl-approximate" not in bars["Bucharest summit"]["class"]
    war = bars["War in the east"]
    assert "tl-ongoing" in war["class"]

    def right(bar: Tag) -> float:
        pairs = (part.split(":") for part in bar["style"].split(";") if part.strip())
        style = {key.strip(): float(value.strip(" %")) for key, value in pairs}
        return style["inset-inline-start"] + style["width"]

    assert right(war) == pytest.approx(100)  # open to the axis's end: as far as the last event reaches
    assert right(bars["Bucharest summit"]) < 100


def test_the_export_and_timeline_json_say_so(tmp_path: Path) -> None:
    out = built_site(tmp_path, {"content/events.yaml": EVENTS})
    events = {e["id"]: e for e in json.loads((out / "data/explainer.json").read_text(encoding="utf-8"))["events"]}
    assert (events["founding"]["date"], events["founding"]["approximate"], events["founding"]["ongoing"]) == (
        "2008", True, False)  # fmt: skip
    assert (events["war"]["end"], events["war"]["ongoing"], events["war"]["approximate"]) == (None, True, False)
    timeline = json.loads((out / "events/timeline.json").read_text(encoding="utf-8"))
    shown = {e["unique_id"]: e["display_date"] for e in timeline["events"]}
    assert shown["founding"] == "about 2008" and shown["war"] == "2014–ongoing"


def test_a_site_in_spanish_says_them_in_spanish(tmp_path: Path) -> None:
    site = SITE["content/site.yaml"].rstrip(" ") + "        language: es\n"
    out = built_site(tmp_path, {"content/events.yaml": EVENTS, "content/site.yaml": site})
    assert words(soup(out / "events/founding/index.html").select_one(".event-when")) == "hacia 2008"
    assert words(soup(out / "events/war/index.html").select_one(".event-when")).startswith("2014–en curso")


def test_a_tilde_elsewhere_or_to_the_day_is_an_error_at_its_line(tmp_path: Path) -> None:
    out = built_site(tmp_path, {})
    before = snapshot(out)
    events = EVENTS.replace("date: ~2008", "date: ~2008-04-03")
    site = SITE["content/site.yaml"].replace("updated: 2022-01", "updated: ~2022-01")
    write_site(tmp_path, {"content/events.yaml": events, "content/site.yaml": site})
    result = run_main(tmp_path, "--no-search", "--no-cache")
    assert result.returncode == 1
    assert (
        "content/events.yaml:7: error: bad date in 'date': '~2008-04-03' is approximate to the day: write '~YYYY' "
        "or '~YYYY-MM', or the exact day"
    ) in result.stderr
    assert (
        "content/site.yaml:4: error: bad date in 'updated': '~2022-01' is approximate: only an event's 'date' and "
        "'end' may start with '~'"
    ) in result.stderr
    assert snapshot(out) == before
