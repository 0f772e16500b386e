"""The explainer views, built from a small site: matrix, timeline, map, updates and feeds, exports, search."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import edit, run_build, run_main, soup, write_site

from explainer.views import search

ATOM = "{http://www.w3.org/2005/Atom}"
LONG = "Wants a written promise that no missiles of any range will ever be placed in Ukraine or anywhere near it."
CHANGES = """changes:
  - date: 2022-01-10
    text: Talks opened in Geneva.
  - date: 2021-12
    text: Russia published its drafts.
---"""


def customise(root: Path) -> Path:
    """SITE with changes on one card, a long position, a group, an event with an end and shared events."""
    write_site(root)
    edit(root, "content/issues/nato-expansion.md", "updated: 2022-01-10\n---", f"updated: 2022-01-10\n{CHANGES}")
    edit(root, "content/issues/missiles.md", "actors: [russia]", f"actors: [russia]\npositions:\n  russia: {LONG}")
    edit(root, "content/events.yaml", "  date: 2021-11\n", "  date: 2021-11\n  end: 2021-12\n")
    edit(
        root,
        "content/events.yaml",
        "  date: 2022-01-10\n  actors: [russia]\n",
        "  date: 2022-01-10\n  actors: [russia, nato]\n",
    )
    return root


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = customise(tmp_path_factory.mktemp("views"))
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root / "output"


def test_matrix_is_a_table_of_actors_by_issues(out: Path) -> None:
    page = soup(out / "positions/index.html")
    region = page.find("div", class_="matrix-scroll")
    assert region is not None and region["tabindex"] == "0" and region["role"] == "region"
    caption = page.find("caption")
    assert caption is not None and region["aria-labelledby"] == caption["id"]
    table = page.find("table", class_="matrix")
    assert table is not None
    columns = [th.get_text(strip=True) for th in table.select("thead th[scope=col]")]
    assert columns == ["Actor", "Will Russia pull back its troops?", "Will NATO grow?", "Arms control",
                       "Where can missiles go?"]  # fmt: skip
    rows = table.select("tbody tr")
    names = [row.select_one("th[scope=row] a").get_text() for row in rows]
    assert names == ["Russia", "NATO"]  # Russia holds 2 positions, NATO 1
    russia = [td for td in rows[0].find_all("td")]
    assert russia[0].get_text(strip=True) == "no stated position"
    assert "matrix-empty" in russia[0]["class"]
    assert russia[1].get_text(" ", strip=True) == "Wants a pledge, says Vladimir Putin ."
    assert russia[1].find("a", href="/actors/putin/") is not None
    summary = russia[3].find("summary")
    assert summary is not None and summary.get_text().endswith("…") and len(summary.get_text()) <= 80
    assert summary["title"] == LONG
    assert russia[3].find("div", class_="matrix-full").get_text(strip=True) == LONG
    nato = [td.get_text(strip=True) for td in rows[1].find_all("td")]
    assert nato == ["no stated position", "The door stays open.", "no stated position", "no stated position"]


def bars(page: Path) -> list[tuple[str, str, float, float]]:
    """(event href, precision, start %, width %) for each row of the first timeline chart on page (start: the left
    edge, or the right one on a right-to-left page)."""
    found = []
    for row in soup(page).select("figure.tl li.tl-row"):
        bar = row.select_one(".tl-bar")
        style = dict(part.split(":") for part in bar["style"].replace("%", "").split(";"))
        precision = next(c for c in bar["class"] if c != "tl-bar").removeprefix("tl-")
        start = float(style["inset-inline-start"])
        found.append((row.select_one("a")["href"], precision, start, float(style[" width"])))
    return found


def test_timeline_orders_events_and_draws_partial_dates_as_spans(out: Path) -> None:
    drawn = bars(out / "events/index.html")
    assert [href for href, *_ in drawn] == ["/events/summit/", "/events/buildup/", "/events/talks/"]
    (_, year, y_left, y_width), (_, span, s_left, s_width), (_, day, d_left, d_width) = drawn
    assert (year, span, day) == ("year", "span", "day")
    # 2008 has the axis to itself up to the break; the buildup (Nov–Dec 2021) and the talks share the rest
    assert y_left == 0 and 30 < y_width < 40
    assert s_left > y_left + y_width and s_width > 10 * d_width
    assert d_left >= s_left + s_width  # 10 January 2022 comes after the end of December 2021
    assert d_left + d_width <= 100
    page = soup(out / "events/index.html")
    assert len(page.select(".tl-axis .tl-break")) == 1  # 2009–2020 is compressed into one break
    assert page.select(".tl-axis .tl-tick")[0].get_text() == "2008"
    row = page.select_one("li.tl-row")
    assert row["data-issues"] == "nato-expansion"  # the filter's data
    issue = [href for href, *_ in bars(out / "issues/nato-expansion/index.html")]
    assert issue == ["/events/summit/", "/events/talks/"]


def test_timelinejs_export(out: Path) -> None:
    data = json.loads((out / "events/timeline.json").read_text(encoding="utf-8"))
    assert data["title"]["text"]["headline"] == "Test explainer"
    events = data["events"]
    assert [e["unique_id"] for e in events] == ["summit", "buildup", "talks"]
    assert events[0]["start_date"] == {"year": 2008} and "end_date" not in events[0]
    assert events[1]["start_date"] == {"year": 2021, "month": 11}
    assert events[1]["end_date"] == {"year": 2021, "month": 12}
    assert events[2]["start_date"] == {"year": 2022, "month": 1, "day": 10}
    assert events[0]["text"] == {"headline": "Bucharest summit", "text": "Promised Ukraine membership."}
    assert events[0]["group"] == "Will NATO grow?"


def test_relationship_map_links_every_node(out: Path) -> None:
    sides = soup(out / "actors/map/index.html").find("svg", class_="relmap-svg")  # memberships and shared stances
    assert {" ".join(line["class"]) for line in sides.find_all("line")} == {"rm-member"}
    page = soup(out / "actors/map/all/index.html")  # every relation, when the reader asks for it
    svg = page.find("svg", class_="relmap-svg")
    assert svg is not None and svg["viewbox"].startswith("0 0 ")
    nodes = {a["href"]: a.get_text(strip=True) for a in svg.find_all("a")}  # the link text is the name
    assert nodes == {"/actors/russia/": "Russia", "/actors/nato/": "NATO", "/actors/putin/": "Vladimir Putin"}
    kinds = {" ".join(line["class"]) for line in svg.find_all("line")}
    assert kinds == {"rm-member", "rm-issue", "rm-event"}
    legend = [li.get_text(" ", strip=True) for li in page.select(".rm-legend li")]
    assert legend == ["Member of", "Positions on the same issue", "Took part in the same event"]
    text = [li.get_text(" ", strip=True) for li in page.select(".rm-text li")]
    assert "Vladimir Putin is a member of Russia" in text
    assert "NATO and Russia hold positions on: Will NATO grow?" in text
    assert "NATO and Russia took part in: Geneva talks" in text
    russia = soup(out / "actors/russia/index.html").find("svg", class_="relmap-svg")
    assert russia is not None
    assert [a["href"] for a in russia.select("a.rm-centre")] == ["/actors/russia/"]
    assert soup(out / "actors/ukraine/index.html").find("svg", class_="relmap-svg") is None  # no relations


def atom(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    return root


def entry_ids(root: ET.Element) -> list[str]:
    return [str(e.findtext(f"{ATOM}id")) for e in root.findall(f"{ATOM}entry")]


def test_updates_show_on_the_issue_the_home_page_and_in_feeds(out: Path) -> None:
    issue = soup(out / "issues/nato-expansion/index.html")
    note = issue.find("p", class_="update-note")
    assert note is not None and note.get_text(" ", strip=True) == "Updated 10 January 2022 : Talks opened in Geneva."
    assert [li["id"] for li in issue.select(".update-list li")] == ["change-2022-01-10", "change-2021-12"]
    home = [li.get_text(" ", strip=True) for li in soup(out / "index.html").select(".home-updates li")]
    assert home[0] == "10 January 2022 · Will NATO grow? : Talks opened in Geneva."
    updates = atom(out / "updates.xml")
    expected = ["https://example.org/issues/nato-expansion/#change-2022-01-10",
                "https://example.org/issues/nato-expansion/#change-2021-12"]  # fmt: skip
    assert entry_ids(updates) == expected
    assert updates.findtext(f"{ATOM}updated") == "2022-01-10T00:00:00Z"
    one = atom(out / "issues/nato-expansion/feed.xml")
    assert one.findtext(f"{ATOM}id") == "https://example.org/issues/nato-expansion/feed.xml"
    assert entry_ids(one) == expected
    assert entry_ids(atom(out / "issues/troops/feed.xml")) == []
    link = issue.find("link", rel="alternate", href="/issues/nato-expansion/feed.xml")
    assert link is not None and link["type"] == "application/atom+xml"


def test_an_added_change_keeps_the_old_entry_ids(tmp_path: Path) -> None:
    root = customise(tmp_path)
    edit(root, "content/issues/nato-expansion.md", "    text: Talks opened in Geneva.\n",
         "    text: Talks opened in Geneva.\n  - date: 2022-01-10\n    text: Second note.\n")  # fmt: skip
    assert run_main(root, "--no-search").returncode == 0
    ids = entry_ids(atom(root / "output/updates.xml"))
    assert ids == ["https://example.org/issues/nato-expansion/#change-2022-01-10-2",
                   "https://example.org/issues/nato-expansion/#change-2022-01-10",
                   "https://example.org/issues/nato-expansion/#change-2021-12"]  # fmt: skip


def test_a_bad_change_is_an_error_on_its_line(tmp_path: Path) -> None:
    root = customise(tmp_path)
    edit(root, "content/issues/nato-expansion.md", "  - date: 2021-12\n", "  - date: 2021-13\n")
    edit(root, "content/issues/nato-expansion.md", "    text: Talks opened in Geneva.\n", "")
    result = run_main(root, "--no-search")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "content/issues/nato-expansion.md:19: error: change 1 needs a 'text'" in lines
    assert "content/issues/nato-expansion.md:20: error: bad date in 'date': '2021-13' has no month 13" in lines


def test_data_export_holds_the_fact_base(out: Path) -> None:
    data = json.loads((out / "data/explainer.json").read_text(encoding="utf-8"))
    assert set(data) == {"schema", "site", "issues", "actors", "events", "sources", "relations"}
    assert data["schema"] == "explainer-data/1"
    assert [i["id"] for i in data["issues"]] == ["troops", "nato-expansion", "arms-control", "missiles"]
    nato = data["issues"][1]
    assert set(nato) == {"id", "url", "title", "summary", "status", "order", "updated", "actors", "events",
                         "positions", "quotes", "figures", "sources", "changes", "corrections", "body"}  # fmt: skip
    assert nato["positions"][0] == {"actor": "russia", "text": "Wants a pledge, says [[putin]].", "stance": None}
    assert nato["quotes"][0] == {"by": "putin", "text": "Give us guarantees now.", "date": "2021-12",
                                 "source": "ap", "context": None, "original": None, "lang": None}  # fmt: skip
    assert nato["changes"] == [{"date": "2022-01-10", "text": "Talks opened in Geneva."},
                               {"date": "2021-12", "text": "Russia published its drafts."}]  # fmt: skip
    assert nato["url"] == "issues/nato-expansion/" and nato["events"] == ["summit", "talks"]
    putin = next(a for a in data["actors"] if a["id"] == "putin")
    assert putin["member_of"] == ["russia"] and putin["kind"] == "person"
    assert data["events"][1] == {**data["events"][1], "date": "2021-11", "end": "2021-12"}
    assert data["sources"] == [{"id": "ap", "title": "Explainer", "publisher": "AP", "url": "https://apnews.com/x",
                                "date": None, "archived": None, "accessed": None, "author": None, "kind": None,
                                "quote": None}]  # fmt: skip
    assert data["relations"]["members"] == {"russia": ["putin"]}
    text = (out / "data/explainer.json").read_text(encoding="utf-8")
    assert text == json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def test_previews_hold_each_targets_summary(out: Path) -> None:
    data = json.loads((out / "data/previews.json").read_text(encoding="utf-8"))
    assert data["actors/putin/"] == {"kind": "Person", "name": "Vladimir Putin",
                                     "summary": "President of Russia, who distrusts NATO."}  # fmt: skip
    assert data["events/talks/"]["kind"] == "Event · 10 January 2022"
    script = soup(out / "issues/nato-expansion/index.html").find("script", src=True)
    assert script is not None and script["data-previews"] == "/data/previews.json" and script.has_attr("defer")
    assert soup(out / "issues/nato-expansion/index.html").find("a", class_="ref", href="/actors/putin/") is not None


def test_pages_are_marked_for_search(out: Path) -> None:
    main = soup(out / "issues/nato-expansion/index.html").find("main")
    assert main is not None and main.has_attr("data-pagefind-body")
    assert main["data-pagefind-filter"] == "kind:issue"
    assert main["data-pagefind-meta"] == "summary:Russia wants a promise; NATO says no."
    assert soup(out / "actors/putin/index.html").find("main")["data-pagefind-filter"] == "kind:actor"
    home = soup(out / "index.html").find("main")
    assert home is not None and not home.has_attr("data-pagefind-body")  # lists, not answers
    box = soup(out / "search/index.html").find(id="search")
    assert box is not None and box["data-index"] == "/pagefind/explainer-bundles.json"


@pytest.mark.skipif(search.pagefind_executable() is None, reason="pagefind is not installed")
def test_pagefind_indexes_the_site_and_a_rebuild_reuses_it(tmp_path: Path) -> None:
    root = customise(tmp_path)
    first = run_main(root)
    assert first.returncode == 0 and "search" not in first.stderr, first.stderr
    index = root / "output/pagefind"
    bundles = json.loads((index / "explainer-bundles.json").read_text())["bundles"]
    assert bundles == ["actors-0/", "events-0/", "issues-0/"]  # one each: the default holds 500 pages
    assert (index / "actors-0/pagefind.js").is_file() and (index / "actors-0/pagefind-ui.js").is_file()
    assert not (index / "issues-0/pagefind.js").exists()  # merged bundles need only their index
    counts = [json.loads((index / b / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"]
              for b in bundles]  # fmt: skip
    assert counts == [4, 3, 4]  # actors, events, issues: not the lists
    again = run_main(root)
    assert " 0 written," in again.stdout, again.stdout


def test_without_pagefind_the_build_succeeds_and_says_search_was_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "pagefind_executable", lambda: None)
    root = customise(tmp_path)
    result = run_main(root)
    assert result.returncode == 0, result.stderr
    assert "search: warning: skipped: Pagefind is not installed" in result.stderr
    assert not (root / "output/pagefind").exists()
    assert (root / "output/search/index.html").is_file()
    quiet = run_main(root, "--no-search")
    assert quiet.returncode == 0 and "search" not in quiet.stderr


def test_relmap_labels_wrap_or_use_a_short_alias() -> None:
    from explainer.model import Actor
    from explainer.views.mapdraw import label_of

    def actor(name: str, *aliases: str) -> Actor:
        return Actor("x", "actors.yaml", 1, name, "group", aliases=aliases)

    assert label_of(actor("NATO")) == ("NATO",)
    assert label_of(actor("Russia-backed separatists")) == ("Russia-backed ", "separatists")
    assert label_of(actor("Organization for Security and Cooperation in Europe", "OSCE")) == ("OSCE",)
    assert label_of(actor("Organization for Security and Cooperation in Europe")) == (
        "Organization ", "for Security…",
    )  # fmt: skip


def test_matrix_is_capped_and_ranks_by_positions_held() -> None:
    from explainer.model import Actor, Issue, Position, Ref, Text
    from explainer.views.matrix import MAX_ISSUES, matrix

    def stance(actor_id: str) -> Position:
        return Position(Ref(actor_id, "x.md", 1), Text("Yes.", "x.md", 1))

    actors = {i: Actor(i, "actors.yaml", 1, i.upper(), "country") for i in ("a", "b", "c")}
    issues = [
        Issue(f"i{n}", "x.md", 1, f"I{n}", "s", Text("", "x.md", 1),
              positions=(stance("b"),) + ((stance("a"),) if n % 2 else ()))
        for n in range(MAX_ISSUES + 5)
    ]  # fmt: skip
    table = matrix(issues, actors, str, smart_quotes=True)
    assert len(table.issues) == MAX_ISSUES and table.total_issues == MAX_ISSUES + 5
    assert [(actor.id, held) for actor, held, _ in table.rows] == [("b", MAX_ISSUES), ("a", MAX_ISSUES // 2)]
    assert table.rows[1][2][0].text is None and table.rows[1][2][1].text is not None
