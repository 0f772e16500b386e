"""The relationship map as of a year: /actors/map/<year>/ for each year in which the memberships in force change,
drawn with the memberships held at some time in that year, linked from the map by plain links (no script)."""

from __future__ import annotations

from pathlib import Path

from bs4 import Tag
from conftest import run_main, soup, write_tree

ACTORS = """
    anna:
      name: Anna
      kind: person
      member_of:
        - {id: xland, from: 2010, to: 2012-06}
        - {id: yland, from: 2012-07}
    bert:
      name: Bert
      kind: person
      member_of: [xland]
    cara:
      name: Cara
      kind: person
      member_of: [{id: yland, from: 2014}]
    xland:
      name: Xland
      kind: country
    yland:
      name: Yland
      kind: country
    """


def built(root: Path, actors: str = ACTORS) -> Path:
    write_tree(root, {
        "content/site.yaml": "title: T\ndescription: D.\nbase_url: https://example.org/\n",
        "content/actors.yaml": actors,
        "content/sources.yaml": "wire:\n  title: A wire story\n",
        "content/issues/one.md": "---\ntitle: One\nsummary: S.\npositions:\n  anna: Yes.\n---\nB.\n",
    })  # fmt: skip
    result = run_main(root, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    return root / "output"


def members(svg: Tag) -> set[tuple[str, ...]]:
    """The pairs joined by a membership line, by the ids of the nodes at their ends."""
    at = {(a.circle["cx"], a.circle["cy"]): a["href"].split("/")[-2] for a in svg.select("a.rm-node")}
    return {tuple(sorted((at[(li["x1"], li["y1"])], at[(li["x2"], li["y2"])])))
            for li in svg.select("line.rm-member")}  # fmt: skip


def test_a_view_for_each_year_in_which_the_memberships_change(tmp_path: Path) -> None:
    out = built(tmp_path)
    years = sorted(p.name for p in (out / "actors/map").iterdir() if p.name.isdigit())
    assert years == ["2010", "2012", "2013", "2014"]  # joins in 2010, 2012, 2014; Anna left Xland in 2012
    page = soup(out / "actors/map/2013/index.html")
    assert page.h1.get_text() == "Relationship map as of 2013"
    svg = page.select_one("svg.relmap-svg")
    assert members(svg) == {("anna", "yland"), ("bert", "xland")}  # Anna has left Xland; Cara not yet in Yland
    assert members(soup(out / "actors/map/2012/index.html").select_one("svg.relmap-svg")) == {
        ("anna", "xland"), ("anna", "yland"), ("bert", "xland")}  # both in the year she moved  # fmt: skip
    assert members(soup(out / "actors/map/index.html").select_one("svg.relmap-svg")) == {
        ("anna", "xland"), ("anna", "yland"), ("bert", "xland"), ("cara", "yland")}  # every membership  # fmt: skip


def test_the_map_links_every_year_and_each_year_links_back_without_script(tmp_path: Path) -> None:
    out = built(tmp_path)
    nav = soup(out / "actors/map/index.html").select_one("nav.rm-years")
    hrefs = [a["href"] for a in nav.select("a")]
    assert hrefs == ["/actors/map/", "/actors/map/2010/", "/actors/map/2012/", "/actors/map/2013/",
                     "/actors/map/2014/"]  # fmt: skip
    assert nav.select_one("a[aria-current=page]")["href"] == "/actors/map/"
    year = soup(out / "actors/map/2012/index.html").select_one("nav.rm-years")
    assert year.select_one("a[aria-current=page]").get_text() == "2012"
    assert "/actors/map/" in [a["href"] for a in year.select("a")]
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"https://example.org/actors/map/{y}/" in sitemap for y in ("2010", "2012", "2013", "2014"))


def test_no_dates_no_views_by_year(tmp_path: Path) -> None:
    undated = ACTORS.replace("{id: xland, from: 2010, to: 2012-06}", "xland").replace("{id: yland, from: 2012-07}",
                             "yland").replace("[{id: yland, from: 2014}]", "[yland]")  # fmt: skip
    out = built(tmp_path, undated)
    assert not [p for p in (out / "actors/map").iterdir() if p.name.isdigit()]
    assert soup(out / "actors/map/index.html").select_one("nav.rm-years") is None


SIDED = {
    "content/issues/uno.md": "---\ntitle: Uno\nsummary: S.\npositions:\n  anna: {text: Yes., stance: for}\n"
                             "  cara: {text: Yes too., stance: for}\n---\nB.\n",
    "content/issues/dos.md": "---\ntitle: Dos\nsummary: S.\npositions:\n  anna: {text: No., stance: against}\n"
                             "  cara: {text: No too., stance: against}\n"
                             "  bert: {text: Maybe., stance: unclear}\n---\nB.\n",
    "content/events.yaml": "talks:\n  date: 2013-05-01\n  title: Talks\n  actors: [anna, bert]\n",
}  # fmt: skip


def test_each_year_view_draws_the_shared_sides_from_the_site_graph(tmp_path: Path) -> None:
    """A year's view holds only what it draws (the memberships then, and the sides shared on two cards, taken from
    the site's graph rather than worked out again from every position), and draws what a whole graph would."""
    from explainer.diagnostics import Diagnostics
    from explainer.link import link
    from explainer.load import load_content
    from explainer.pages import Planner
    from explainer.validate import validate
    from explainer.views.relmap import SIDES, Graph

    write_tree(tmp_path, SIDED)
    out = built(tmp_path)
    svg = soup(out / "actors/map/2013/index.html").select_one("svg.relmap-svg")
    assert svg is not None and len(svg.select("line.rm-agree")) == 1  # Anna and Cara, for and against together
    diags = Diagnostics()
    site = link(validate(load_content(tmp_path / "content", diags), diags), diags)
    assert site is not None, diags.items
    planner = Planner(site)
    for year in planner.map_years:
        drawn = planner.map_year_context(year)["relmap"]
        graph = planner.tables[f"graph-{year}"]
        assert {kind for kinds in graph.pairs.values() for kind in kinds} <= set(SIDES)  # no issue or event ties
        assert graph.agreed is planner.graph.agreed  # the sides, worked out once
        whole = Graph(site.actors, site.issues, site.events, site.entities, site.config.map_agreement, year)
        assert drawn == whole.whole(SIDES)


def test_the_relations_in_words_escape_names_and_link_both_ends(tmp_path: Path) -> None:
    """relation_text (Python, not a macro): each relation a sentence whose names are escaped and linked."""
    out = built(tmp_path, ACTORS.replace("name: Xland", 'name: "X & <Land>"'))
    items = soup(out / "actors/bert/index.html").select("details.rm-text li")
    member = next(li for li in items if "is a member of" in li.get_text())
    assert member.get_text() == "Bert is a member of X & <Land>"
    assert [a["href"] for a in member.select("a")] == ["/actors/bert/", "/actors/xland/"]
    assert "X &amp; &lt;Land&gt;</a>" in str(member)
