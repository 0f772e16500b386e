"""Reading translations (issue 18, B1): `issues/<id>.<lang>.md` files, facts' texts by language, records_in,
and `python build.py check`'s lists of untranslated and out-of-date translations."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, SITE, run_main, snapshot, soup, write_site, write_tree

from explainer.diagnostics import Diagnostics
from explainer.link import link
from explainer.load import load_content
from explainer.render import Renderer
from explainer.translations import Localized, records_in
from explainer.validate import Records, validate

TWO_LANGUAGES = SITE["content/site.yaml"].replace("updated: 2022-01", "updated: 2022-01\n        languages: [en, es]")

TRANSLATION = """
    ---
    title: ¿Crecerá la OTAN?
    summary: Rusia quiere una promesa; la OTAN dice que no.
    positions:
      russia: Quiere un compromiso, dice [[putin]].
      nato: La puerta sigue abierta.
    quotes:
      - by: putin
        text: Dennos garantías ya.
    updated: 2022-01-10
    ---
    Las conversaciones de [[talks|Ginebra]] trataron de esto.
    """

FACTS = SITE["content/actors.yaml"].replace(
    "  name: NATO\n", "  name: {en: NATO, es: OTAN}\n"
).replace(
    "  name: Vladimir Putin\n",
    "  name: Vladimir Putin\n          role: {en: President, es: Presidente}\n",
)


def two_language_site(root: Path, changes: dict[str, str | None] | None = None) -> Path:
    files: dict[str, str | None] = {
        "content/site.yaml": TWO_LANGUAGES,
        "content/issues/nato-expansion.es.md": TRANSLATION,
        "content/actors.yaml": FACTS,
    }
    return write_site(root, {**files, **(changes or {})})


def records_of(root: Path) -> Records:
    diags = Diagnostics()
    records = validate(load_content(root / "content", diags), diags)
    assert not diags.has_errors(), diags.items
    return records


def errors(root: Path) -> list[str]:
    """A build's error lines, after checking it failed as a user's mistake should (exit 1, no traceback)."""
    result = run_main(root, "build")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if ": error: " in line]


# What a reader of another language is given.


def test_a_cards_translation_gives_its_texts_and_the_card_the_rest(tmp_path: Path) -> None:
    records = records_of(two_language_site(tmp_path))
    spanish = records_in(records, "es")
    card = next(issue for issue in spanish.records.issues if issue.id == "nato-expansion")
    original = next(issue for issue in records.issues if issue.id == "nato-expansion")
    assert card.title == "¿Crecerá la OTAN?"
    assert card.summary == "Rusia quiere una promesa; la OTAN dice que no."
    assert card.body.source.strip() == "Las conversaciones de [[talks|Ginebra]] trataron de esto."
    assert card.body.path.endswith("nato-expansion.es.md")
    assert [(p.actor.id, p.text.source) for p in card.positions] == [
        ("russia", "Quiere un compromiso, dice [[putin]]."),
        ("nato", "La puerta sigue abierta."),
    ]
    assert card.quotes[0].text.source == "Dennos garantías ya."
    # ids, dates and lists of ids are the card's own
    assert (card.actors, card.events, card.sources, card.order, card.status, card.updated) == (
        original.actors, original.events, original.sources, original.order, original.status, original.updated
    )  # fmt: skip
    assert card.quotes[0].by == original.quotes[0].by and card.quotes[0].source == original.quotes[0].source
    # the default language's records are untouched
    assert original.title == "Will NATO grow?"
    assert records_in(records, "en") == Localized(records, frozenset())


def test_facts_and_the_site_by_language(tmp_path: Path) -> None:
    site = TWO_LANGUAGES.replace("title: Test explainer", "title: {en: Test explainer, es: Explicador de prueba}")
    records = records_of(two_language_site(tmp_path, {"content/site.yaml": site}))
    by_id = {actor.id: actor for actor in records.actors}
    assert by_id["nato"].name == "NATO" and by_id["putin"].role == "President"  # the build sees the default's
    assert records.site is not None and records.site.title == "Test explainer"
    spanish = records_in(records, "es").records
    shown = {actor.id: actor for actor in spanish.actors}
    assert shown["nato"].name == "OTAN" and shown["putin"].role == "Presidente"
    assert shown["russia"] is by_id["russia"]  # written once: the same in every language
    assert spanish.site is not None and spanish.site.title == "Explicador de prueba"
    assert spanish.site.description == "A small explainer for tests."


def test_untranslated_holds_what_shows_the_default_language(tmp_path: Path) -> None:
    facts = FACTS.replace("role: {en: President, es: Presidente}", "role: {en: President}")
    partial = TRANSLATION.replace("      nato: La puerta sigue abierta.\n", "")
    records = records_of(two_language_site(tmp_path, {"content/actors.yaml": facts}))
    assert records_in(records, "es").untranslated == {"troops", "missiles", "arms-control", "putin"}
    write_tree(tmp_path, {"content/issues/nato-expansion.es.md": partial})  # a position left in English
    assert "nato-expansion" in records_in(records_of(tmp_path), "es").untranslated


def test_a_translations_links_resolve_and_render_like_the_cards(tmp_path: Path) -> None:
    records = records_of(two_language_site(tmp_path))
    diags = Diagnostics()
    site = link(records_in(records, "es").records, diags)
    assert site is not None and not diags.items
    renderer = Renderer(site, REPO / "templates")
    card = site.get("nato-expansion")
    html = soup_of(str(renderer.markdown(card.body)))  # type: ignore[union-attr]
    assert [(a.get_text(), a["href"]) for a in html.find_all("a")] == [("Ginebra", "/events/talks/")]
    stance = soup_of(str(renderer.markdown(card.positions[0].text)))  # type: ignore[union-attr]
    assert [(a.get_text(), a["href"]) for a in stance.find_all("a")] == [("Vladimir Putin", "/actors/putin/")]


def soup_of(html: str):  # type: ignore[no-untyped-def]
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def test_a_site_with_translations_builds_as_before(tmp_path: Path) -> None:
    """The default language's pages show the default texts (per-language pages are the output side's)."""
    root = two_language_site(tmp_path)
    result = run_main(root, "build")
    assert result.returncode == 0, result.stderr
    page = soup(root / "output/issues/nato-expansion/index.html")
    assert page.find("h1").get_text(strip=True) == "Will NATO grow?"
    assert soup(root / "output/actors/nato/index.html").find("h1").get_text(strip=True) == "NATO"
    assert not (root / "output/issues/nato-expansion.es").exists()


# Mistakes: each at its line, all at once, nothing written.


ERRORS = [
    (  # a translation without languages:
        {"content/site.yaml": SITE["content/site.yaml"]},
        "content/issues/nato-expansion.es.md:1: error: a translation into 'es', but site.yaml has no 'languages:': "
        "add 'languages:' (the default first, e.g. [en, es]) to publish the site in more than one language",
    ),
    (
        {"content/issues/nato-expansion.es.md": None, "content/issues/nato-expansion.esp.md": TRANSLATION},
        "content/issues/nato-expansion.esp.md:1: error: 'esp' is not one of the site's languages (en, es) — did you "
        "mean 'es'?",
    ),
    (
        {"content/issues/nato-expansion.en.md": TRANSLATION},
        "content/issues/nato-expansion.en.md:1: error: 'en' is the default language, the card's own: a translation "
        "is into another (es)",
    ),
    (
        {"content/issues/nato-expansion.es.md": None, "content/issues/nato-expanson.es.md": TRANSLATION},
        "content/issues/nato-expanson.es.md:1: error: a translation of 'nato-expanson', but there is no card "
        "issues/nato-expanson.md — did you mean 'nato-expansion'?",
    ),
    (
        {"content/issues/nato-expansion.es.md": TRANSLATION.replace("updated:", "actors: [russia]\n    updated:")},
        "content/issues/nato-expansion.es.md:10: error: 'actors' is not translated: ids, dates and lists of ids "
        "come from the card nato-expansion.md; a translation holds only title, summary, positions, quotes, "
        "figures, changes, updated",
    ),
    (
        {"content/issues/nato-expansion.es.md": TRANSLATION.replace("title:", "titel:")},
        "content/issues/nato-expansion.es.md:2: error: 'titel' is not translated: ids, dates and lists of ids "
        "come from the card nato-expansion.md; a translation holds only title, summary, positions, quotes, "
        "figures, changes, updated — did you mean 'title'?",
    ),
    (
        {"content/issues/nato-expansion.es.md": TRANSLATION.replace("        text: Dennos", "        date: 2021\n"
                                                                    "        text: Dennos")},
        "content/issues/nato-expansion.es.md:9: error: 'date' is not translated: ids, dates and lists of ids come "
        "from the card; a translated quote 1 holds only by, text, context",
    ),
    (
        {"content/issues/nato-expansion.es.md": TRANSLATION.replace("  russia: Quiere", "  rusia: Quiere")},
        "content/issues/nato-expansion.es.md:5: error: 'rusia' has no position in the card nato-expansion.md: a "
        "translation gives the texts of its positions only — did you mean 'russia'?",
    ),
    (
        {"content/issues/nato-expansion.es.md": TRANSLATION.replace("  - by: putin", "  - by: nato")},
        "content/issues/nato-expansion.es.md:8: error: quote 1 of the card nato-expansion.md is by 'putin', not "
        "'nato': quotes are translated in the card's order",
    ),
    (
        {"content/issues/nato-expansion.es.md": TRANSLATION.replace("ya.\n", "ya.\n        context: En Moscú.\n")},
        "content/issues/nato-expansion.es.md:10: error: quote 1 of the card nato-expansion.md has no 'context' to "
        "translate",
    ),
    (
        {"content/issues/nato-expansion.es.md": TRANSLATION.replace("ya.\n", "ya.\n      - text: Otra.\n")},
        "content/issues/nato-expansion.es.md:10: error: quote 2 translates nothing: the card nato-expansion.md has "
        "1 quote (quotes are translated in the card's order)",
    ),
    (
        {"content/issues/nato-expansion.es.md": TRANSLATION.replace("updated:", "figures:\n      - label: x\n"
                                                                    "    updated:")},
        "content/issues/nato-expansion.es.md:11: error: figure 1 translates nothing: the card nato-expansion.md has "
        "no figures (figures are translated in the card's order)",
    ),
    (
        {"content/issues/nato-expansion.es.md": TRANSLATION.replace("updated:", "changes:\n      - text: x\n"
                                                                    "    updated:")},
        "content/issues/nato-expansion.es.md:11: error: change 1 translates nothing: the card nato-expansion.md has "
        "no changes (changes are translated in the card's order)",
    ),
    (
        {"content/issues/nato-expansion.es.md": "---\n- a list\n---\n"},
        "content/issues/nato-expansion.es.md:1: error: a translation's front matter must be a mapping with a "
        "'title' and a 'summary', not a list",
    ),
    (
        {"content/issues/nato-expansion.es.md": TRANSLATION.replace("    title: ¿Crecerá la OTAN?\n", "")},
        "content/issues/nato-expansion.es.md:2: error: translation needs a 'title'",
    ),
    (
        {"content/issues/nato-expansion.es.md": TRANSLATION.replace("[[talks|Ginebra]]", "[[talk|Ginebra]]")},
        "content/issues/nato-expansion.es.md:12: error: unknown issue, actor or event 'talk' — did you mean 'talks'?",
    ),
    (
        {"content/issues/nato-expansion.es.md": TRANSLATION.replace("de esto.", "de esto y de [[ukraine]].")},
        "content/issues/nato-expansion.es.md:12: error: [[ukraine]] links 'ukraine', which the card "
        "nato-expansion.md does not name: a translation may link only what its card names (its lists, positions, "
        "quotes and [[links]])",
    ),
    (  # a fact by language without languages:
        {"content/site.yaml": SITE["content/site.yaml"], "content/issues/nato-expansion.es.md": None},
        "content/actors.yaml:13: error: 'name' of actor 'nato' is given by language, but site.yaml has no "
        "'languages:': add 'languages:' (the default first, e.g. [en, es]), or write one text",
    ),
    (
        {"content/actors.yaml": FACTS.replace("es: OTAN", "esp: OTAN")},
        "content/actors.yaml:13: error: 'esp' in 'name' of actor 'nato' is not one of the site's languages (en, es) "
        "— did you mean 'es'?",
    ),
    (
        {"content/actors.yaml": FACTS.replace("{en: NATO, es: OTAN}", "{es: OTAN}")},
        "content/actors.yaml:13: error: 'name' of actor 'nato' has no 'en' text: the default language's is needed",
    ),
    (
        {"content/actors.yaml": FACTS.replace("distrusts [[nato]].", "distrusts [[nato]].\n"
                                              "          short: {en: Putin, es: '[[putn]]'}")},
        "content/actors.yaml:12: warning: 'es' of 'short' of actor 'putin' is plain text: '[[' shows as written; "
        "write the name instead",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), ERRORS, ids=[str(n) for n in range(len(ERRORS))])
def test_each_mistake_is_reported_at_its_line(tmp_path: Path, changes: dict[str, str | None],
                                              expected: str) -> None:  # fmt: skip
    root = two_language_site(tmp_path, changes)
    result = run_main(root, "build")
    assert expected in result.stderr.splitlines(), result.stderr
    if ": error: " in expected:
        assert result.returncode == 1 and "Traceback" not in result.stderr


def test_every_mistake_at_once_and_the_output_untouched(tmp_path: Path) -> None:
    root = two_language_site(tmp_path)
    assert run_main(root, "build").returncode == 0
    before = snapshot(root / "output")
    bad = TRANSLATION.replace("  russia: Quiere", "  rusia: Quiere").replace("  - by: putin", "  - by: nato")
    write_tree(root, {"content/issues/nato-expansion.es.md": bad, "content/issues/troops.ed.md": TRANSLATION,
                      "content/actors.yaml": FACTS.replace("{en: NATO, es: OTAN}", "{es: OTAN}")})  # fmt: skip
    found = errors(root)
    assert [line.split(": error: ")[0] for line in found] == [
        "content/actors.yaml:13",
        "content/issues/nato-expansion.es.md:5",
        "content/issues/nato-expansion.es.md:8",
        "content/issues/troops.ed.md:1",
    ]
    assert snapshot(root / "output") == before


def test_a_translation_of_a_card_with_errors_is_not_reported_again(tmp_path: Path) -> None:
    card = SITE["content/issues/nato-expansion.md"].replace("        title: Will NATO grow?\n", "")
    found = errors(two_language_site(tmp_path, {"content/issues/nato-expansion.md": card}))
    assert found == ["content/issues/nato-expansion.md:2: error: issue card needs a 'title'"]


# python build.py check


def test_check_lists_untranslated_cards_and_out_of_date_translations(tmp_path: Path) -> None:
    older = TRANSLATION.replace("updated: 2022-01-10", "updated: 2022-01-09")
    partial = TRANSLATION.replace("    Las conversaciones de [[talks|Ginebra]] trataron de esto.\n", "").replace(
        "    updated: 2022-01-10\n", ""
    )
    root = two_language_site(tmp_path, {"content/issues/nato-expansion.es.md": older})
    result = run_main(root, "check")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith("check:")]
    assert lines == [
        "es: content/issues/arms-control.md is not translated (no content/issues/arms-control.es.md)",
        "es: content/issues/missiles.md is not translated (no content/issues/missiles.es.md)",
        "es: content/issues/troops.md is not translated (no content/issues/troops.es.md)",
        "content/issues/nato-expansion.es.md: out of date: updated 2022-01-09, the card "
        "content/issues/nato-expansion.md 2022-01-10",
    ]
    write_tree(root, {"content/issues/nato-expansion.es.md": partial})
    lines = run_main(root, "check").stdout.splitlines()
    assert "es: content/issues/nato-expansion.md is partly translated (content/issues/nato-expansion.es.md leaves " \
           "texts in en)" in lines  # fmt: skip
    assert "content/issues/nato-expansion.es.md: no 'updated:' date, and the card content/issues/nato-expansion.md " \
           "changed 2022-01-10: give the date the translation was last brought up to date" in lines  # fmt: skip


def test_check_lists_nothing_for_a_site_in_one_language(tmp_path: Path) -> None:
    result = run_main(write_site(tmp_path), "check")
    assert [line for line in result.stdout.splitlines() if not line.startswith("check:")] == []


def test_the_two_language_example_in_languages_md_builds_as_it_says(tmp_path: Path) -> None:
    """docs/languages.md's small site, file by file (each block's first line names its file)."""
    text = (REPO / "docs/languages.md").read_text(encoding="utf-8")
    section = text.split("## A site in several languages", 1)[1].split("\n## ", 1)[0]
    files = {}
    for block in section.split("```")[1::2]:
        first, _, rest = block.partition("\n")[2].partition("\n")
        name = first.removeprefix("# ").removeprefix("<!-- ").removesuffix(" -->")
        if name.startswith("content/"):
            files[name] = rest
    assert sorted(files) == ["content/actors.yaml", "content/events.yaml", "content/issues/nato.es.md",
                             "content/issues/nato.md", "content/site.yaml"]  # fmt: skip
    for rel, body in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(body, encoding="utf-8")
    result = run_main(tmp_path, "build")
    assert result.returncode == 0, result.stderr
    records = records_of(tmp_path)
    spanish = records_in(records, "es")
    assert spanish.untranslated == frozenset()
    assert spanish.records.site is not None and spanish.records.site.title == "Conversaciones en Ginebra"
    card = spanish.records.issues[0]
    assert (card.title, card.positions[0].text.source, card.quotes[0].text.source) == (
        "¿Dejará de crecer la OTAN?", "Quiere un compromiso vinculante.", "línea roja"
    )  # fmt: skip
    assert [e.place for e in spanish.records.events] == ["Ginebra, Suiza"]
