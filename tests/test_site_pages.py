"""A small site built once: every page at its URL, links both ways, dates, order, drafts, escaping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CLEAN, edit, links, run_build, soup, write_site, write_tree

DRAFT = """
    ---
    title: Secret plan
    summary: Not ready.
    draft: true
    order: 0
    actors: [nato]
    ---
    Draft body.
    """


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SITE plus a draft card that a published card links to, built with and without --drafts."""
    root = write_site(tmp_path_factory.mktemp("site"), {"content/issues/secret.md": DRAFT})
    edit(root, "content/issues/missiles.md", "[[ukraine]] worries too.", "[[ukraine]] worries too. See [[secret]].")
    for args in ((), ("--drafts", "--output", "with-drafts")):
        result = run_build(root, *args)
        assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def out(site: Path) -> Path:
    return site / "output"


def hrefs_in_order(page: Path, prefix: str) -> list[str]:
    """The hrefs on page that start with prefix, first occurrences in document order."""
    found = [str(a["href"]) for a in soup(page).find_all("a", href=True)]
    return list(dict.fromkeys(h for h in found if h.startswith(prefix) and h != prefix))


def times(page: Path) -> dict[str, str]:
    """`<time datetime>` → its text, for every time element on page."""
    return {str(t["datetime"]): t.get_text() for t in soup(page).find_all("time")}


def test_every_page_exists_at_its_url_with_its_title(out: Path) -> None:
    pages = {p.relative_to(out).as_posix() for p in out.rglob("index.html")}
    assert pages == {
        "index.html",
        "issues/nato-expansion/index.html",
        "issues/troops/index.html",
        "issues/missiles/index.html",
        "issues/arms-control/index.html",
        "actors/index.html",
        "actors/russia/index.html",
        "actors/putin/index.html",
        "actors/nato/index.html",
        "actors/ukraine/index.html",
        "events/index.html",
        "events/summit/index.html",
        "events/buildup/index.html",
        "events/talks/index.html",
        "positions/index.html",
        "actors/map/index.html",
        "actors/map/all/index.html",
        "sources/index.html",
        "search/index.html",
    }
    headings = {
        "issues/nato-expansion": "Will NATO grow?",
        "actors/putin": "Vladimir Putin",
        "events/talks": "Geneva talks",
        "actors": "Who’s who",
        "events": "Timeline",
    }
    for url, title in headings.items():
        page = soup(out / url / "index.html")
        assert page.h1 is not None and page.h1.get_text(strip=True) == title
        assert page.title is not None and page.title.get_text().startswith(title)
    stylesheet = soup(out / "index.html").find("link", rel="stylesheet")
    assert stylesheet is not None and (out / str(stylesheet["href"]).lstrip("/")).is_file()


def test_issue_and_its_actors_link_both_ways(out: Path) -> None:
    issue = links(out / "issues/nato-expansion/index.html")
    # front matter `actors`, a `positions` key and a quote's `by:` all make the link
    assert {"/actors/russia/", "/actors/nato/", "/actors/putin/"} <= issue
    for actor in ("russia", "nato", "putin"):
        assert "/issues/nato-expansion/" in links(out / f"actors/{actor}/index.html"), actor
    assert "/issues/nato-expansion/" not in links(out / "actors/ukraine/index.html")


def test_actor_page_shows_its_position_on_each_issue(out: Path) -> None:
    russia = soup(out / "actors/russia/index.html").get_text()
    assert "Wants a pledge, says Vladimir Putin." in russia
    assert "The door stays open." in soup(out / "actors/nato/index.html").get_text()
    assert "The door stays open." not in russia


def test_issue_and_event_link_both_ways_from_either_side(out: Path) -> None:
    # nato-expansion lists `events: [talks]`; summit lists `issues: [nato-expansion]`
    issue = links(out / "issues/nato-expansion/index.html")
    assert {"/events/talks/", "/events/summit/"} <= issue
    assert "/issues/nato-expansion/" in links(out / "events/talks/index.html")
    assert "/issues/nato-expansion/" in links(out / "events/summit/index.html")
    assert "/issues/nato-expansion/" not in links(out / "events/buildup/index.html")


def test_event_and_its_actors_link_both_ways(out: Path) -> None:
    assert "/actors/russia/" in links(out / "events/talks/index.html")
    assert "/events/talks/" in links(out / "actors/russia/index.html")
    assert "/events/talks/" not in links(out / "actors/nato/index.html")


def test_member_and_group_link_both_ways(out: Path) -> None:
    assert "/actors/russia/" in links(out / "actors/putin/index.html")
    assert "/actors/putin/" in links(out / "actors/russia/index.html")
    assert "/actors/putin/" not in links(out / "actors/ukraine/index.html")


def test_refs_link_forward_and_count_as_mentions(out: Path) -> None:
    body = soup(out / "issues/nato-expansion/index.html")
    geneva = body.find("a", href="/events/talks/", string="Geneva")
    assert geneva is not None, "[[talks|Geneva]] shows its label"
    assert body.find("a", href="/issues/missiles/", string="Where can missiles go?") is not None
    # backlinks: the issue body, an actor's folded summary, an event's summary
    assert "/issues/nato-expansion/" in links(out / "issues/missiles/index.html")
    assert "/actors/putin/" in links(out / "actors/nato/index.html")
    assert {"/events/summit/", "/issues/missiles/"} <= links(out / "actors/ukraine/index.html")


def test_ref_inside_code_is_text_not_a_link(out: Path) -> None:
    troops = soup(out / "issues/troops/index.html")
    code = troops.find("code", string="[[ukraine]]")
    assert code is not None
    assert "/actors/ukraine/" not in links(out / "issues/troops/index.html")
    assert "/issues/troops/" not in links(out / "actors/ukraine/index.html")


def test_partial_dates_are_shown_as_people_say_them(out: Path) -> None:
    timeline = times(out / "events/index.html")
    assert timeline.items() >= {"2008": "2008", "2021-11": "November 2021", "2022-01-10": "10 January 2022"}.items()
    issue = times(out / "issues/nato-expansion/index.html")
    assert issue["2021-12"] == "December 2021"  # the quote's date
    assert issue["2022-01-10"] == "10 January 2022"  # updated
    assert times(out / "index.html")["2022-01"] == "January 2022"  # site.yaml updated


def test_home_orders_cards_by_order_then_title(out: Path) -> None:
    assert hrefs_in_order(out / "index.html", "/issues/") == [
        "/issues/troops/",  # order: 1
        "/issues/nato-expansion/",  # order: 2
        "/issues/arms-control/",  # no order: by title
        "/issues/missiles/",
    ]


def test_timeline_is_chronological_and_actors_are_grouped_by_kind(out: Path) -> None:
    assert hrefs_in_order(out / "events/index.html", "/events/") == [
        "/events/summit/",
        "/events/buildup/",
        "/events/talks/",
    ]
    assert hrefs_in_order(out / "actors/index.html", "/actors/") == [
        "/actors/russia/",  # countries, by name
        "/actors/ukraine/",
        "/actors/nato/",  # organisations
        "/actors/putin/",  # people
    ]


def test_drafts_are_left_out_without_a_trace(out: Path) -> None:
    assert not (out / "issues/secret").exists()
    for page in out.rglob("*.html"):
        assert "/issues/secret/" not in links(page), page
    missiles = soup(out / "issues/missiles/index.html")
    assert "See secret." in missiles.get_text(), "a [[ref]] to a draft keeps its words"
    assert "Secret plan" not in (out / "index.html").read_text(encoding="utf-8")


def test_drafts_flag_builds_and_links_drafts(site: Path) -> None:
    out = site / "with-drafts"
    page = soup(out / "issues/secret/index.html")
    assert page.h1 is not None and page.h1.get_text(" ", strip=True).startswith("Secret plan")
    assert hrefs_in_order(out / "index.html", "/issues/")[0] == "/issues/secret/"  # order: 0
    assert "/issues/secret/" in links(out / "issues/missiles/index.html")
    assert "/issues/secret/" in links(out / "actors/nato/index.html")


def test_base_url_path_prefixes_every_internal_link(tmp_path: Path) -> None:
    write_site(tmp_path)
    result = run_build(tmp_path, "--base-url", "https://example.org/explainer/")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "output"
    issue = links(out / "issues/nato-expansion/index.html")
    assert {"/explainer/actors/putin/", "/explainer/events/talks/", "/explainer/issues/missiles/"} <= issue
    internal = [h for page in out.rglob("*.html") for h in links(page) if h.startswith("/")]
    assert internal and all(h.startswith("/explainer/") for h in internal)


EVIL = "<script>alert(1)</script> & <b>bold</b>"


def test_markup_in_content_comes_out_as_text(tmp_path: Path) -> None:
    write_site(tmp_path)
    edit(tmp_path, "content/issues/troops.md", "title: Will Russia pull back its troops?", f"title: '{EVIL}'")
    edit(tmp_path, "content/actors.yaml", "name: NATO", "name: <i>NATO</i>")
    edit(tmp_path, "content/issues/arms-control.md", "Body.", "Body: [[troops]].")  # a ref shows the title
    result = run_build(tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "output"
    issue = soup(out / "issues/troops/index.html")
    assert issue.h1 is not None and issue.h1.get_text() == EVIL
    assert issue.title is not None and EVIL in issue.title.get_text()
    home = soup(out / "index.html")
    assert home.find("a", href="/issues/troops/", string=EVIL) is not None
    assert soup(out / "actors/nato/index.html").find("h1", string="<i>NATO</i>") is not None
    putin = soup(out / "actors/putin/index.html")  # its summary says [[nato]]
    assert putin.find("a", href="/actors/nato/", string="<i>NATO</i>") is not None
    arms = soup(out / "issues/arms-control/index.html")
    assert arms.find("a", href="/issues/troops/", string=EVIL) is not None
    for page in out.rglob("*.html"):
        parsed = soup(page)
        assert parsed.find(["b", "i"]) is None, page
        for script in parsed.find_all("script"):  # only data and the theme's own file, never the title's <script>
            if script.get("src"):
                assert str(script["src"]).startswith("/static/explainer.") and not script.get_text(), page
                continue
            assert script.get("type") == "application/ld+json", page
            json.loads(script.get_text())


def test_yaml_values_stay_as_written(tmp_path: Path) -> None:
    write_site(tmp_path)
    edit(tmp_path, "content/issues/troops.md", "title: Will Russia pull back its troops?", "title: 1997")
    edit(tmp_path, "content/issues/arms-control.md", "title: Arms control", "title: 2022-01-10\nstatus: no")
    edit(tmp_path, "content/actors.yaml", "name: NATO", "name: yes\n  role: 2.50")
    result = run_build(tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "output"
    assert soup(out / "issues/troops/index.html").find("h1", string="1997") is not None
    arms = soup(out / "issues/arms-control/index.html")
    assert arms.find("h1", string="2022-01-10") is not None
    assert arms.find(string="no") is not None
    nato = soup(out / "actors/nato/index.html")
    assert nato.find("h1", string="yes") is not None
    assert nato.find(string="2.50") is not None


def test_crlf_and_bom_files_just_work(tmp_path: Path) -> None:
    write_site(tmp_path, CLEAN)
    for path in (tmp_path / "content").rglob("*.*"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = run_build(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = tmp_path / "output"
    issue = soup(out / "issues/nato-expansion/index.html")
    assert issue.h1 is not None and issue.h1.get_text() == "Will NATO grow?"
    assert "/actors/putin/" in links(out / "issues/nato-expansion/index.html")
    assert times(out / "events/index.html")["2022-01-10"] == "10 January 2022"


def test_crlf_file_reports_the_right_line(tmp_path: Path) -> None:
    write_site(tmp_path)
    edit(tmp_path, "content/issues/missiles.md", "[[ukraine]]", "[[ukrane]]")
    path = tmp_path / "content/issues/missiles.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = run_build(tmp_path)
    assert result.returncode == 1
    assert "content/issues/missiles.md:6: error: unknown issue, actor or event 'ukrane'" in result.stderr


def test_hidden_files_and_editor_droppings_are_ignored(tmp_path: Path) -> None:
    write_site(tmp_path)
    junk = "not: [valid yaml"
    write_tree(tmp_path, {"content/issues/.#troops.md": junk, "content/issues/troops.md~": junk})
    write_tree(tmp_path, {"content/actors/.hidden.yaml": junk, "content/issues/notes.txt": junk})
    result = run_build(tmp_path)
    assert result.returncode == 0, result.stderr
