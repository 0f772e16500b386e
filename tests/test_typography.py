"""Text that reads like an editor wrote it: date ranges, short names for links, typographic quotes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import SITE, edit, run_build, run_main, snapshot, soup, write_site

# --- date ranges --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, shown",
    [
        ("2018-07-06", "2018-07-09", "6–9 July 2018"),  # one month: the month and year once
        ("2018-07-06", "2018-08-09", "6 July–9 August 2018"),  # one year: the year once
        ("2019-03", "2019-05", "March–May 2019"),
        ("2017", "2019", "2017–2019"),
        ("2017-12-30", "2018-01-02", "30 December 2017–2 January 2018"),  # two years: both in full
        ("2017-12", "2018-02", "December 2017–February 2018"),
        ("2018-07", "2018-08-09", "July–9 August 2018"),  # a month to a day in another month of the year
        ("2018-06-06", "2018-07", "6 June–July 2018"),
        ("2018", "2018-05", "2018–May 2018"),  # a year to a month in it: nothing said once would read right
        ("2018-07", "2018-07-09", "July 2018–9 July 2018"),
        ("2018-07-06", "2018-07-06", "6 July 2018"),  # the same day: one date
    ],
)
def test_a_range_says_what_both_ends_share_once(start: str, end: str, shown: str) -> None:
    from explainer.dates import parse_date, range_display

    assert range_display(parse_date(start), parse_date(end)) == shown


def test_a_range_without_an_end_is_its_start() -> None:
    from explainer.dates import parse_date, range_display

    assert range_display(parse_date("2018-07-06"), None) == "6 July 2018"


EVENTS_WITH_A_SPAN = SITE["content/events.yaml"].replace(
    "date: 2022-01-10\n", "date: 2018-07-06\n          end: 2018-07-09\n"
)


def test_an_event_page_and_the_timeline_show_a_range_in_one_month_once(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"content/events.yaml": EVENTS_WITH_A_SPAN})
    result = run_main(site, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    when = soup(site / "output/events/talks/index.html").select_one(".event-when")
    assert when is not None
    assert when.get_text() == "6–9 July 2018"
    # still two <time> elements, each with its whole date for machines
    assert [(t["datetime"], t.get_text()) for t in when.find_all("time")] == [
        ("2018-07-06", "6"),
        ("2018-07-09", "9 July 2018"),
    ]
    timeline = soup(site / "output/events/index.html")
    assert "6–9 July 2018" in [span.get_text() for span in timeline.select(".timeline-date")]
    previews = json.loads((site / "output/data/previews.json").read_text(encoding="utf-8"))
    assert previews["events/talks/"]["kind"] == "Event · 6–9 July 2018"


# --- short names --------------------------------------------------------------------------------------------

SHORT = {
    "content/events.yaml": SITE["content/events.yaml"].replace(
        "title: Geneva talks\n", "title: The Russia-US security talks open in Geneva\n          short: Geneva talks\n"
    ),
    "content/actors.yaml": SITE["content/actors.yaml"].replace(
        "name: NATO\n", "name: The North Atlantic Treaty Organization\n          short: NATO\n"
    ),
    "content/issues/troops.md": SITE["content/issues/troops.md"].replace(
        "Only in code", "Since the [[talks]], [[nato]] and [[russia]] wait; [[talks|that round]] ended. Only in code"
    ),
}


def test_a_bare_link_shows_the_short_name_and_a_label_or_no_short_name_wins(tmp_path: Path) -> None:
    site = write_site(tmp_path, SHORT)
    result = run_main(site, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    links = [(a["href"], a.get_text()) for a in soup(site / "output/issues/troops/index.html").select(".body a.ref")]
    assert links == [
        ("/events/talks/", "Geneva talks"),  # the short name
        ("/actors/nato/", "NATO"),
        ("/actors/russia/", "Russia"),  # no short name: the name
        ("/events/talks/", "that round"),  # a label is what the writer chose
    ]
    # the page itself keeps the full title, and so do the lists that name it
    event = soup(site / "output/events/talks/index.html")
    assert event.h1 is not None and event.h1.get_text() == "The Russia-US security talks open in Geneva"
    # a bare link in plain text (the meta description of putin's summary) shows the short name too
    putin = soup(site / "output/actors/putin/index.html").find("meta", attrs={"name": "description"})
    assert putin is not None and putin["content"] == "President of Russia, who distrusts NATO."
    export = json.loads((site / "output/data/explainer.json").read_text(encoding="utf-8"))
    assert {a["id"]: a["short"] for a in export["actors"]}["nato"] == "NATO"
    assert {e["id"]: e["short"] for e in export["events"]} == {"summit": None, "buildup": None, "talks": "Geneva talks"}


@pytest.mark.parametrize(
    "short, message",
    [
        ("short:", "content/actors.yaml:6: error: 'short' is empty: write a shorter name, or leave the field out"),
        ('short: "  "', "content/actors.yaml:6: error: 'short' is empty: write a shorter name, or leave the field out"),
        (
            'short: "the [[nato]]"',
            "content/actors.yaml:6: error: 'short' is plain text, the text of links to this page: "
            "write the name without '[['",
        ),
        ("short: [a, b]", "content/actors.yaml:6: error: 'short' must be text, not a list"),
    ],
)
def test_a_short_name_must_be_plain_text(tmp_path: Path, short: str, message: str) -> None:
    actors = SITE["content/actors.yaml"].replace("name: Vladimir Putin\n", f"name: Vladimir Putin\n          {short}\n")
    site = write_site(tmp_path, {"content/actors.yaml": actors})
    result = run_main(site, "--no-search", "--no-cache")
    assert result.returncode == 1
    assert message in result.stderr.splitlines(), result.stderr
    assert "Traceback" not in result.stderr


def test_editing_a_short_name_with_the_cache_equals_a_clean_build(tmp_path: Path) -> None:
    site = write_site(tmp_path, SHORT)
    assert run_build(site, "--no-search").returncode == 0  # fills the build cache
    edit(site, "content/events.yaml", "short: Geneva talks", "short: the Geneva round")
    cached = run_build(site, "--no-search")
    clean = run_build(site, "--no-search", "--no-cache", "--output", "clean")
    assert cached.returncode == 0 and clean.returncode == 0, cached.stderr + clean.stderr
    assert "the Geneva round" in (site / "output/issues/troops/index.html").read_text(encoding="utf-8")
    assert {k: v[0] for k, v in snapshot(site / "output").items()} == {
        k: v[0] for k, v in snapshot(site / "clean").items()
    }


# --- smart quotes -------------------------------------------------------------------------------------------

LONG_STANCE = (
    'Calls the demand a "non-starter" and says the alliance\'s door stays open to every European democracy '
    "that qualifies -- whatever Moscow thinks..."
)
SUMMARY = 'Russia wants a "promise"; NATO\'s answer is no.'
QUOTED = {
    "content/issues/nato-expansion.md": SITE["content/issues/nato-expansion.md"]
    .replace("summary: Russia wants a promise; NATO says no.", "summary: " + json.dumps(SUMMARY))
    .replace("nato: The door stays open.", "nato: " + json.dumps(LONG_STANCE))  # JSON: a YAML double-quoted text
    .replace("            source: ap\n", '            source: ap\n            context: at Putin\'s "Direct Line"\n')
    .replace("title: Will NATO grow?", 'title: Will NATO\'s "open door" close?'),
    "content/sources.yaml": SITE["content/sources.yaml"].replace("publisher: AP", "publisher: AP's desk"),
}


@pytest.mark.parametrize("smart", [True, False])
def test_every_text_shown_follows_the_smart_quotes_setting(tmp_path: Path, smart: bool) -> None:
    setting = "smart_quotes: true\n" if smart else "smart_quotes: false\n"
    files = {**QUOTED, "content/site.yaml": SITE["content/site.yaml"].replace("01\n", "01\n        " + setting)}
    site = write_site(tmp_path, files)
    result = run_main(site, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr

    def shown(text: str) -> str:
        if not smart:
            return text
        return text.replace("'s", "’s").replace(' "', " “").replace('"', "”").replace("--", "–").replace("...", "…")

    issue = soup(site / "output/issues/nato-expansion/index.html")
    lede = issue.select_one(".lede")
    assert lede is not None and lede.get_text() == shown(SUMMARY)
    assert issue.h1 is not None and issue.h1.get_text() == shown('Will NATO\'s "open door" close?')
    assert issue.title is not None and issue.title.get_text().startswith(shown('Will NATO\'s "open door" close?'))
    description = issue.find("meta", attrs={"name": "description"})
    assert description is not None and description["content"] == shown(SUMMARY)
    caption = issue.select_one(".quote figcaption")
    assert caption is not None and shown('at Putin\'s "Direct Line"') in caption.get_text()
    sources = issue.select_one(".source-list")
    assert sources is not None and shown("AP's desk") in sources.get_text()
    # the matrix's cut-short preview, made from the Markdown position as plain text
    matrix = soup(site / "output/positions/index.html")
    previews = [s.get_text() for s in matrix.select(".matrix summary")]
    assert [p for p in previews if p.startswith("Calls the demand")] == [
        shown(LONG_STANCE)[:79].rsplit(" ", 1)[0] + "…"
    ]
    # and the position's own Markdown, rendered on the card, agrees with the preview
    cells = [td.get_text() for td in issue.select(".positions-table td")]
    assert shown(LONG_STANCE) in cells
    card = json.loads((site / "output/data/previews.json").read_text(encoding="utf-8"))["issues/nato-expansion/"]
    assert card["summary"] == shown(SUMMARY)
    assert card["name"] == shown('Will NATO\'s "open door" close?')
    feed = ET.parse(site / "output/feed.xml").getroot()
    titles = [t.text for t in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert shown('Will NATO\'s "open door" close?') in titles
    # ids and URLs are never typeset
    assert issue.select_one('a[href="https://apnews.com/x"]') is not None


def test_a_ref_in_plain_text_keeps_its_id_and_its_quotes_read_around_it() -> None:
    from explainer.typography import smarten

    assert smarten('"[[nato]]" said no -- twice...') == "“[[nato]]” said no – twice…"
    assert smarten('the [[nato|alliance\'s "door"]]') == "the [[nato|alliance’s “door”]]"
    assert smarten('a & b &amp; <i>c</i> "d"') == "a & b &amp; <i>c</i> “d”"  # nothing else is read as markup
    assert smarten("no quotes here") == "no quotes here"
