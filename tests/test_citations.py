"""Citations at the claim: `[[@source-id]]` / `[[@source-id, locator]]` in a card's Markdown texts."""

from __future__ import annotations

from pathlib import Path

from conftest import SITE, edit, run_main, soup, write_site

ISSUE = "content/issues/nato-expansion.md"

SOURCES = """
    ap:
      title: Explainer
      publisher: AP
      url: https://apnews.com/x
    nato-statement:
      title: NATO statement
    treaty-draft:
      title: Draft treaty
    """

CITED = (
    SITE[ISSUE]
    .replace("says [[putin]].", "says [[putin]].[[@treaty-draft, art. 4]]")
    .replace(
        "The talks in [[talks|Geneva]] were about this.",
        "The talks in [[talks|Geneva]] were about this.[[@ap]] The door\n        stays open.[[@nato-statement]]"
        " Again.[[@treaty-draft]]\n\n        In code: `[[@nowhere]]`.",
    )
)


def build(root: Path, changes: dict[str, str]) -> tuple[int, str]:
    write_site(root, {"content/sources.yaml": SOURCES, **changes})
    done = run_main(root, "--no-search")
    return done.returncode, done.stderr


def test_citations_are_numbered_in_reading_order_and_link_both_ways(tmp_path: Path) -> None:
    status, errors = build(tmp_path, {ISSUE: CITED})
    assert status == 0, errors
    page = soup(tmp_path / "output/issues/nato-expansion/index.html")
    markers = [(a.get_text(), a["href"], a["id"]) for a in page.select("sup.cite-ref a")]
    # positions come before the body on the page: the draft treaty, cited first there, is [1]
    assert markers == [
        ("[1, art. 4]", "/issues/nato-expansion/#source-treaty-draft", "cite-nato-expansion-1-1"),
        ("[2]", "/issues/nato-expansion/#source-ap", "cite-nato-expansion-2-1"),
        ("[3]", "/issues/nato-expansion/#source-nato-statement", "cite-nato-expansion-3-1"),
        ("[1]", "/issues/nato-expansion/#source-treaty-draft", "cite-nato-expansion-1-2"),
    ]
    entries = page.select("ol.source-list > li")
    assert [li["id"] for li in entries] == ["source-treaty-draft", "source-ap", "source-nato-statement"]
    backs = [[a["href"] for a in li.select("a.cite-back")] for li in entries]
    assert backs == [
        ["#cite-nato-expansion-1-1", "#cite-nato-expansion-1-2"],
        ["#cite-nato-expansion-2-1"],
        ["#cite-nato-expansion-3-1"],
    ]
    assert entries[0].select_one(".cite-locator").get_text() == "art. 4"
    assert "Back to citation 1.2" in entries[0].get_text()
    assert page.find("code").get_text() == "[[@nowhere]]"  # code is text


def test_a_cited_text_shown_on_another_page_links_to_its_cards_sources(tmp_path: Path) -> None:
    status, errors = build(tmp_path, {ISSUE: CITED})
    assert status == 0, errors
    actor = soup(tmp_path / "output/actors/russia/index.html")
    assert [a["href"] for a in actor.select("sup.cite-ref a")] == ["/issues/nato-expansion/#source-treaty-draft"]


def test_a_card_citing_only_at_its_claims_cites_sources(tmp_path: Path) -> None:
    card = CITED.replace("\n        sources: [ap]", "").replace("\n            source: ap", "")
    status, errors = build(tmp_path, {ISSUE: card})
    assert status == 0, errors
    warning = f"{ISSUE}:1: warning: this issue card cites no sources"
    assert warning not in errors
    uncited = card
    for citation in ("[[@ap]]", "[[@nato-statement]]", "[[@treaty-draft, art. 4]]", "[[@treaty-draft]]"):
        uncited = uncited.replace(citation, "")
    assert warning in build(tmp_path, {ISSUE: uncited})[1]


def test_an_unknown_cited_source_is_an_error_at_its_line(tmp_path: Path) -> None:
    card = CITED.replace("[[@nato-statement]]", "[[@nato-statment, p. 2]]")
    status, errors = build(tmp_path, {ISSUE: card})
    assert status == 1
    assert f"{ISSUE}:20: error: unknown source 'nato-statment' — did you mean 'nato-statement'?" in errors
    assert not (tmp_path / "output").exists()


def test_an_empty_citation_is_an_error(tmp_path: Path) -> None:
    status, errors = build(tmp_path, {ISSUE: CITED.replace("[[@ap]]", "[[@, p. 2]]")})
    assert status == 1
    assert (
        f"{ISSUE}:19: error: empty citation: write [[@source-id]] or [[@source-id, locator]] with the source's id"
        in errors
    )


def test_a_citation_outside_a_card_is_an_error(tmp_path: Path) -> None:
    actors = SITE["content/actors.yaml"].replace("distrusts [[nato]].", "distrusts [[nato]].[[@ap]]")
    status, errors = build(tmp_path, {"content/actors.yaml": actors})
    assert status == 1
    assert (
        "content/actors.yaml:10: error: [[@ap]]: citations work only in an issue card's body, positions and "
        "quotes, not in an actor's summary: remove it, or name the source in the text"
    ) in errors


ARCHIVED = """
    ap:
      title: Explainer
      publisher: AP
      author: Jane Doe
      kind: article
      url: https://apnews.com/x
      archived: https://web.archive.org/web/20220110093000/https://apnews.com/x
      quote: Severe consequences
    nato-statement:
      title: NATO statement
      kind: statement
      url: https://nato.int/s
      archived: https://archive.example/s
      accessed: 2022-01-12
    treaty-draft:
      title: Draft treaty
    """


def test_a_source_with_a_snapshot_carries_robust_links_and_a_fallback_link(tmp_path: Path) -> None:
    status, errors = build(tmp_path, {ISSUE: CITED, "content/sources.yaml": ARCHIVED})
    assert status == 0, errors
    page = soup(tmp_path / "output/issues/nato-expansion/index.html")
    ap = page.select_one("#source-ap")
    link = ap.find("a", href="https://apnews.com/x")
    assert (link["data-originalurl"], link["data-versionurl"], link["data-versiondate"]) == (
        "https://apnews.com/x",
        "https://web.archive.org/web/20220110093000/https://apnews.com/x",
        "2022-01-10",  # the day in the Wayback Machine's address
    )
    assert ap.select_one("a.snapshot")["href"] == "https://web.archive.org/web/20220110093000/https://apnews.com/x"
    text = " ".join(ap.get_text().split())
    assert text.startswith("Jane Doe, Explainer (article), AP")
    assert ap.select_one("q.source-quote").get_text() == "Severe consequences"
    statement = page.select_one("#source-nato-statement")
    assert statement.find("a", href="https://nato.int/s")["data-versiondate"] == "2022-01-12"  # accessed
    assert "accessed 12 January 2022" in statement.get_text()
    plain = page.select_one("#source-treaty-draft")
    assert not plain.select("[data-versionurl]") and not plain.select("a.snapshot")


def test_an_unknown_source_kind_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    status, errors = build(tmp_path, {"content/sources.yaml": ARCHIVED.replace("kind: article", "kind: artcle")})
    assert status == 1
    assert (
        "content/sources.yaml:5: error: unknown source kind 'artcle' (one of document, article, statement, "
        "interview, dataset, video) — did you mean 'article'?"
    ) in errors


def test_the_sources_page_lists_every_source_and_what_relies_on_it(tmp_path: Path) -> None:
    events = SITE["content/events.yaml"].replace("date: 2022-01-10\n", "date: 2022-01-10\n          sources: [ap]\n")
    status, errors = build(tmp_path, {ISSUE: CITED, "content/events.yaml": events, "content/sources.yaml": ARCHIVED})
    assert status == 0, errors
    page = soup(tmp_path / "output/sources/index.html")
    entries = page.select("ol.source-index > li")
    assert [li["id"] for li in entries] == ["source-treaty-draft", "source-ap", "source-nato-statement"]  # by title
    by_id = {li["id"]: li for li in entries}
    ap = by_id["source-ap"]
    uses = [" ".join(li.get_text().split()) for li in ap.select("ul.source-uses > li")]
    assert uses == ["Will NATO grow? · Citations: [2] · Quote by Vladimir Putin", "Geneva talks event"]
    assert [a["href"] for a in ap.select("a.cite-ref")] == ["/issues/nato-expansion/#cite-nato-expansion-2-1"]
    draft = by_id["source-treaty-draft"]
    assert [a.get_text() for a in draft.select("a.cite-ref")] == ["[1, art. 4]", "[1]"]
    assert page.select_one("footer a[aria-current=page]")["href"] == "/sources/"


CORRECTED = SITE[ISSUE].replace(
    "updated: 2022-01-10\n",
    "updated: 2022-01-10\n        changes:\n          - date: 2022-01-10\n            text: Talks began.\n"
    "        corrections:\n          - date: 2022-01-11\n            text: The talks were in Geneva, not Vienna.\n",
)


def test_a_correction_is_shown_at_the_top_apart_from_updates_and_marked_on_the_home_page(tmp_path: Path) -> None:
    status, errors = build(tmp_path, {ISSUE: CORRECTED})
    assert status == 0, errors
    page = soup(tmp_path / "output/issues/nato-expansion/index.html")
    header = page.select_one("header.page-header")
    box = header.select_one("section.corrections")
    assert " ".join(box.select_one("li#correction-1").get_text().split()) == (
        "Correction 11 January 2022: The talks were in Geneva, not Vienna."
    )
    assert "Geneva, not Vienna" not in page.select_one("section.updates").get_text()  # not an update note
    assert "Geneva, not Vienna" not in header.select_one(".update-note").get_text()
    home = soup(tmp_path / "output/index.html")
    latest = home.select("section.home-updates li")
    assert latest[0].select_one(".badge.correction").get_text() == "Correction"
    assert latest[0].find("a")["href"] == "/issues/nato-expansion/#correction-1"
    assert not latest[1].select(".badge.correction")


def test_a_source_nothing_relies_on_is_a_warning_and_a_citation_counts_as_relying(tmp_path: Path) -> None:
    status, errors = build(tmp_path, {ISSUE: SITE[ISSUE]})
    assert status == 0, errors
    assert [line for line in errors.splitlines() if "not cited anywhere" in line] == [
        "content/sources.yaml:5: warning: source 'nato-statement' is not cited anywhere: cite it at a claim with "
        "[[@nato-statement]], list it in a card's or event's 'sources', or remove it",
        "content/sources.yaml:7: warning: source 'treaty-draft' is not cited anywhere: cite it at a claim with "
        "[[@treaty-draft]], list it in a card's or event's 'sources', or remove it",
    ]
    status, errors = build(tmp_path, {ISSUE: CITED})
    assert "not cited anywhere" not in errors


def test_a_translated_card_numbers_its_own_citations_and_keeps_the_cards_beside_them(example_site: Path) -> None:
    edit(example_site, "content/issues/arms-control.es.md", "en general.", "en general.[[@ap-explainer, párr. 13]]")
    done = run_main(example_site, "--no-search")
    assert done.returncode == 0, done.stderr
    page = soup(example_site / "output/es/issues/arms-control/index.html")
    markers = {a["id"]: a.get_text() for a in page.select("sup.cite-ref a")}
    assert "[1, párr. 13]" in markers.values()  # the translation's own citation, in the Spanish body
    ids = {tag["id"] for tag in page.find_all(id=True)}
    backs = [a["href"].removeprefix("#") for a in page.select("a.cite-back")]
    assert backs and set(backs) <= ids  # every back-link finds its marker on this page
    english = soup(example_site / "output/issues/arms-control/index.html")
    assert [a.get_text() for a in english.select("sup.cite-ref a")][:1] == ["[1, para. 13]"]
