"""The relationship map by sides: /actors/map/ draws memberships and shared stances with each camp's actors next
to each other on the ring; /actors/map/all/ adds shared issues and events when the reader asks for them. The
crossings are counted from the SVG's geometry."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import generated_site, run_main, soup, write_tree

FONT = 20  # explainer/views/relmap.py
BEFORE = 456  # crossings on the example's map when every relation was drawn in kind-and-name order (issue 21)

Segment = tuple[float, float, float, float]
Box = tuple[float, float, float, float]


def segments(svg: Tag) -> list[Segment]:
    lines = svg.select("g.rm-lines line")
    return [(float(li["x1"]), float(li["y1"]), float(li["x2"]), float(li["y2"])) for li in lines]


def crossings(lines: list[Segment]) -> int:
    """Pairs of lines that cross (a shared end or a touch is no crossing)."""

    def side(ax: float, ay: float, bx: float, by: float, cx: float, cy: float) -> float:
        return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)

    count = 0
    for (x1, y1, x2, y2), (x3, y3, x4, y4) in itertools.combinations(lines, 2):
        if (
            side(x3, y3, x4, y4, x1, y1) * side(x3, y3, x4, y4, x2, y2) < 0
            and side(x1, y1, x2, y2, x3, y3) * side(x1, y1, x2, y2, x4, y4) < 0
        ):
            count += 1
    return count


def label_box(text: Tag) -> Box:
    """About where a label's glyphs fall: 0.6 em a character, from its anchor; one line of 1.1 em per tspan."""
    spans = text.find_all("tspan")
    width = 0.6 * FONT * max(len(s.get_text()) for s in spans)
    x, y = float(text["x"]), float(text["y"])
    left = {"end": x - width, "start": x, "middle": x - width / 2}[text["text-anchor"]]
    return (left, y - 0.8 * FONT, left + width, y + 0.25 * FONT + 1.1 * FONT * (len(spans) - 1))


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def built_example(example_site: Path) -> Path:
    result = run_main(example_site, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    return example_site / "output"


def test_the_default_map_draws_sides_with_a_third_of_the_crossings_or_fewer(example_site: Path) -> None:
    out = built_example(example_site)
    page = soup(out / "actors/map/index.html")
    svg = page.select_one("svg.relmap-svg")
    lines = segments(svg)
    kinds = {line["class"][0] for line in svg.select("g.rm-lines line")}
    assert kinds == {"rm-member", "rm-agree"}  # no shared-issue or shared-event lines unless asked for
    assert crossings(lines) <= BEFORE // 3, crossings(lines)
    everything = soup(out / "actors/map/all/index.html").select_one("svg.relmap-svg")
    assert {"rm-issue", "rm-event"} <= {line["class"][0] for line in everything.select("g.rm-lines line")}
    assert page.select_one(".rm-views a")["href"] == "/actors/map/all/"  # a link: no script needed
    assert soup(out / "actors/map/all/index.html").select_one(".rm-views a")["href"] == "/actors/map/"


def test_each_camp_sits_together(example_site: Path) -> None:
    """Each camp in a band of its own, its hub at the top in the middle and its other actors below on both sides."""
    svg = soup(built_example(example_site) / "actors/map/index.html").select_one("svg.relmap-svg")
    at = {a["href"].split("/")[-2]: (float(a.circle["cx"]), float(a.circle["cy"])) for a in svg.select("a.rm-node")}
    middle = float(svg["viewbox"].split()[2]) / 2
    russian = {"russia", "putin", "ryabkov", "kremlin"}  # 'for' a halt to NATO's growth and a ban on weapons; members
    western = {"united-states", "nato", "biden"}  # 'against' the halt and 'for' an arms deal; members
    assert max(at[i][1] for i in russian) < min(at[i][1] for i in western)  # one band above the other
    for hub, camp in (("russia", russian), ("united-states", western)):
        assert at[hub][0] == middle and all(at[hub][1] < at[i][1] for i in camp - {hub})
        assert {at[i][0] < middle for i in camp - {hub}} == {True, False}  # members on both sides


def assert_labels_clear(svg: Tag) -> None:
    """No label overlaps another label or node, or leaves the drawing; every node is a link."""
    nodes = svg.select("a.rm-node")
    assert nodes and all(a.get("href") for a in nodes)
    boxes = [label_box(a.find("text")) for a in nodes]
    circles = [(float(a.circle["cx"]), float(a.circle["cy"]), float(a.circle["r"])) for a in nodes]
    width = float(svg["viewbox"].split()[2])
    for n, box in enumerate(boxes):
        assert box[0] >= 0 and box[2] <= width, (nodes[n]["href"], box, width)  # inside the drawing
        for m, other in enumerate(boxes):
            assert m == n or not overlap(box, other), (nodes[n]["href"], nodes[m]["href"])
        for m, (cx, cy, r) in enumerate(circles):
            assert m == n or not overlap(box, (cx - r, cy - r, cx + r, cy + r)), (nodes[n]["href"], nodes[m]["href"])


def assert_lines_pass_clear(svg: Tag) -> None:
    """No line runs through an actor it does not join: each passes every other node's circle at more than its
    radius (a line inside a camp crowded into one column would run through the actors between its ends)."""
    circles = [(float(a.circle["cx"]), float(a.circle["cy"]), float(a.circle["r"])) for a in svg.select("a.rm-node")]
    for x1, y1, x2, y2 in segments(svg):
        for cx, cy, r in circles:
            if math.hypot(cx - x1, cy - y1) <= r + 6 or math.hypot(cx - x2, cy - y2) <= r + 6:
                continue  # one of its ends (two kinds between one pair are drawn 5 units apart)
            dx, dy = x2 - x1, y2 - y1
            t = max(0.0, min(1.0, ((cx - x1) * dx + (cy - y1) * dy) / (dx * dx + dy * dy)))
            assert math.hypot(x1 + t * dx - cx, y1 + t * dy - cy) > r, ((x1, y1, x2, y2), (cx, cy))


def test_on_the_sides_map_no_line_runs_through_another_actor(example_site: Path) -> None:
    assert_lines_pass_clear(soup(built_example(example_site) / "actors/map/index.html").select_one("svg.relmap-svg"))


@pytest.mark.parametrize("page", ["actors/map/index.html", "actors/map/all/index.html"])
def test_no_label_overlaps_another_label_or_node(example_site: Path, page: str) -> None:
    html = BeautifulSoup((built_example(example_site) / page).read_text(encoding="utf-8"), "html.parser")
    assert_labels_clear(html.select_one("svg.relmap-svg"))


OLD_ORDER = {"country": 0, "organization": 1, "person": 2, "group": 3}  # the old map: kind, then name


def old_layout(export: dict[str, Any], most: int = 40) -> list[Segment]:
    """The map as it was before sides (issue 21), from data/explainer.json: the `most` actors with the most
    relations of any kind (member of, positions on the same issue, in the same event), sorted by kind then name,
    down the left arc and up the right arc of an ellipse (the two columns), every relation drawn, two kinds
    between one pair side by side 5 units apart. The same geometry the old relmap.draw gave."""
    rank = {a["id"]: n for n, a in enumerate(export["actors"])}
    actors = {a["id"]: a for a in export["actors"]}
    pairs: dict[tuple[str, str], list[str]] = {}

    def join(a: str, b: str, kind: str) -> None:
        if a != b and a in actors and b in actors:
            kinds = pairs.setdefault((a, b) if rank[a] < rank[b] else (b, a), [])
            if kind not in kinds:
                kinds.append(kind)

    for actor in export["actors"]:
        for group in actor["member_of"]:
            join(actor["id"], group, "member")
    for kind, groups in (("issue", [[p["actor"] for p in i["positions"]] for i in export["issues"]]),
                         ("event", [e["actors"] for e in export["events"]])):  # fmt: skip
        for ids in groups:
            for a, b in itertools.combinations(dict.fromkeys(ids), 2):
                join(a, b, kind)
    near: dict[str, set[str]] = {}
    for a, b in pairs:
        near.setdefault(a, set()).add(b)
        near.setdefault(b, set()).add(a)
    top = sorted(near, key=lambda i: (-len(near[i]), rank[i]))[:most]
    shown = sorted(top, key=lambda i: (OLD_ORDER.get(actors[i]["kind"], 9), actors[i]["name"].casefold(), i))
    left, right = shown[: (len(shown) + 1) // 2], shown[(len(shown) + 1) // 2 :][::-1]
    rows = max(len(left), len(right))
    step, rx = 46, 100
    cx, cy = 2 * (rx + 14 + 165) / 2, (rows * step + 60) / 2
    ry = (rows - 1) * step / 2 + step
    where = {}
    for side, column in ((-1, left), (1, right)):
        for row, actor in enumerate(column):
            y = cy - (rows - 1) * step / 2 + row * step
            where[actor] = (cx + side * max(rx * math.sqrt(max(0.0, 1 - ((y - cy) / ry) ** 2)), 28), y)
    lines = []
    for (a, b), kinds in pairs.items():
        if a in where and b in where:
            (x1, y1), (x2, y2) = where[a], where[b]
            length = math.hypot(x2 - x1, y2 - y1) or 1.0
            ordered = [k for k in ("member", "issue", "event") if k in kinds]
            for n, _kind in enumerate(ordered):
                off = (n - (len(ordered) - 1) / 2) * 5
                ox, oy = -(y2 - y1) / length * off, (x2 - x1) / length * off
                lines.append((round(x1 + ox, 1), round(y1 + oy, 1), round(x2 + ox, 1), round(y2 + oy, 1)))
    return lines


def test_on_a_generated_200_actor_corpus_the_default_map_has_a_third_of_the_old_crossings(tmp_path: Path) -> None:
    """bench/make_corpus.py's corpus with 200 actors in camps (dated memberships, roles, stances): the default map
    crosses at most a third as often as the old layout of the same corpus, counted by the same rule, and no label
    overlaps another label or node."""
    generated_site(tmp_path, 200, actors=200)
    result = run_main(tmp_path, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "output"
    svg = soup(out / "actors/map/index.html").select_one("svg.relmap-svg")
    kinds = {line["class"][0] for line in svg.select("g.rm-lines line")}
    assert kinds == {"rm-member", "rm-agree"}, kinds  # the corpus has sides of both kinds
    sides = crossings(segments(svg))
    before = crossings(old_layout(json.loads((out / "data/explainer.json").read_text(encoding="utf-8"))))
    print(f"200-actor corpus: {sides} crossings on the default map, {before} in the old layout")
    assert sides * 3 <= before, (sides, before)
    for page in ("actors/map/index.html", "actors/map/all/index.html"):
        assert_labels_clear(soup(out / page).select_one("svg.relmap-svg"))


def agreeing_site(root: Path, agreement: str = "") -> None:
    """Four actors, no memberships: a and b take the same stance on two cards, c and d on one only."""
    cards = {
        "one": "a: {text: Yes., stance: for}\n  b: {text: Yes too., stance: for}\n"
               "  c: {text: No., stance: against}\n  d: {text: No too., stance: against}\n",
        "two": "a: {text: No., stance: against}\n  b: {text: No too., stance: against}\n"
               "  c: {text: Yes., stance: for}\n  d: {text: Unsure., stance: unclear}\n",
    }  # fmt: skip
    files = {
        "content/site.yaml": f"title: T\ndescription: D.\nbase_url: https://example.org/\n{agreement}",
        "content/actors.yaml": "".join(f"{i}:\n  name: Actor {i.upper()}\n  kind: country\n" for i in "abcd"),
        "content/sources.yaml": "wire:\n  title: A wire story\n",
    }
    for name, positions in cards.items():
        files[f"content/issues/{name}.md"] = f"---\ntitle: Card {name}\nsummary: S.\npositions:\n  {positions}---\nB.\n"
    write_tree(root, files)


def agree_pairs(out: Path) -> set[tuple[str, ...]]:
    """The pairs the sides map's list says take the same side."""
    page = soup(out / "actors/map/index.html")
    found = set()
    for item in page.select(".rm-text li"):
        if "same side" in item.get_text():
            found.add(tuple(sorted(a["href"].split("/")[-2] for a in item.select("a")[:2])))
    return found


def test_agreement_on_one_card_is_no_side_by_default_two_cards_are(tmp_path: Path) -> None:
    agreeing_site(tmp_path)
    result = run_main(tmp_path, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert agree_pairs(tmp_path / "output") == {("a", "b")}
    svg = soup(tmp_path / "output/actors/map/index.html").select_one("svg.relmap-svg")
    drawn = {a["href"].split("/")[-2] for a in svg.select("a.rm-node")}
    assert drawn == {"a", "b"} and len(svg.select("line.rm-agree")) == 1
    around_c = soup(tmp_path / "output/actors/c/index.html").select(".rm-text li")
    assert not any("same side" in li.get_text() for li in around_c)  # its own map: no side with d either
    assert legend(tmp_path / "output/actors/map/index.html") == ["On the same side of at least 2 issues"]
    assert legend(tmp_path / "output/actors/a/index.html") == [
        "On the same side of at least 2 issues", "Positions on the same issue"]  # fmt: skip


def legend(page: Path) -> list[str]:
    """What a page's relation map's legend names, in order."""
    return [" ".join(li.get_text().split()) for li in soup(page).select(".rm-legend li")]


def test_map_agreement_sets_how_many_cards_make_a_side(tmp_path: Path) -> None:
    agreeing_site(tmp_path, "map_agreement: 1\n")
    result = run_main(tmp_path, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert agree_pairs(tmp_path / "output") == {("a", "b"), ("c", "d")}
    assert legend(tmp_path / "output/actors/map/index.html") == ["On the same side of an issue"]
    agreeing_site(tmp_path, "map_agreement: 3\n")
    result = run_main(tmp_path, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert agree_pairs(tmp_path / "output") == set()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "content/site.yaml:4: error: 'map_agreement' must be 1 or more (the issues on which two actors take "
              "the same stance to be drawn on one side), not 0"),
        ("two", "content/site.yaml:4: error: 'map_agreement' must be a whole number, not text"),
    ],
)  # fmt: skip
def test_a_bad_map_agreement_is_an_error_at_its_line(tmp_path: Path, value: str, message: str) -> None:
    agreeing_site(tmp_path, f"map_agreement: {value}\n")
    result = run_main(tmp_path, "--no-search", "--no-cache")
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "output").exists()
