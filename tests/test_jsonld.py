"""JSON-LD: every block of a built site type-checked against schema.org's own definitions.

The vocabulary is schema.org's release file (tests/data/schemaorg-current-https.jsonld): a
type must be one of its classes, a property must list one of the node's types (or their
superclasses) in its `domainIncludes`, and a value must be of a type in the property's
`rangeIncludes` (or a subclass), a literal being checked as the Text, URL, Date or DateTime
it stands for. That is what schema.org's validator and Google's Rich Results test complain of.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import edit, run_build, run_main, snapshot, soup, write_site

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Vocabulary:
    """schema.org's classes (with their direct superclasses) and properties (with domains and ranges)."""

    parents: dict[str, tuple[str, ...]]
    domains: dict[str, frozenset[str]]
    ranges: dict[str, frozenset[str]]


def schema_ids(value: Any) -> tuple[str, ...]:
    """The schema.org names among one `{"@id": ...}` or a list of them."""
    items = value if isinstance(value, list) else [value] if value else []
    return tuple(item["@id"].removeprefix("schema:") for item in items if item["@id"].startswith("schema:"))


@functools.cache
def vocabulary() -> Vocabulary:
    graph = json.loads((DATA / "schemaorg-current-https.jsonld").read_text(encoding="utf-8"))["@graph"]
    parents: dict[str, tuple[str, ...]] = {}
    domains: dict[str, frozenset[str]] = {}
    ranges: dict[str, frozenset[str]] = {}
    for node in graph:
        if not node["@id"].startswith("schema:"):
            continue
        name = node["@id"].removeprefix("schema:")
        kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "rdfs:Class" in kinds:
            parents[name] = schema_ids(node.get("rdfs:subClassOf"))
        if "rdf:Property" in kinds:
            domains[name] = frozenset(schema_ids(node.get("schema:domainIncludes")))
            ranges[name] = frozenset(schema_ids(node.get("schema:rangeIncludes")))
    return Vocabulary(parents, domains, ranges)


@functools.cache
def ancestors(name: str) -> frozenset[str]:
    """name and every class it is a subclass of."""
    found = {name}
    for parent in vocabulary().parents.get(name, ()):
        found |= ancestors(parent)
    return frozenset(found)


def is_date(text: str) -> bool:
    """ISO 8601 calendar date, full or of reduced precision (`2022-01-10`, `2021-12`, `2008`)."""
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        return False
    parts = [int(part) for part in text.split("-")] + [1, 1]
    try:
        datetime.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def is_datetime(text: str) -> bool:
    date, _, time = text.partition("T")
    return is_date(date) and bool(re.fullmatch(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?", time))


# What a string must look like to stand for each of schema.org's literal data types.
LITERALS: dict[str, Callable[[str], bool]] = {
    "Text": lambda text: True,
    "URL": lambda text: re.fullmatch(r"https?://[^\s/]+/\S*", text) is not None,
    "Date": lambda text: len(text) in (4, 7, 10) and is_date(text),
    "DateTime": is_datetime,
}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def check_node(node: Any, where: str, errors: list[str], top: bool = False) -> None:
    """Append to errors every way node (a JSON-LD object) breaks schema.org's definitions."""
    vocab = vocabulary()
    if not isinstance(node, dict) or "@type" not in node:
        errors.append(f"{where}: not a typed node: {node!r}")
        return
    types = as_list(node["@type"])
    known: set[str] = set()
    for name in types:
        if name not in vocab.parents:
            errors.append(f"{where}: {name!r} is not a schema.org type")
        known |= ancestors(name)
    for key, value in node.items():
        if key == "@context":
            if not top or value != "https://schema.org":
                errors.append(f"{where}: @context {value!r} (only at the top, https://schema.org)")
            continue
        if key == "@type":
            continue
        inner = f"{where}.{key}"
        if key not in vocab.domains:
            errors.append(f"{inner}: not a schema.org property")
            continue
        if not vocab.domains[key] & known:
            errors.append(f"{inner}: not a property of {'/'.join(types)}")
        for index, item in enumerate(as_list(value)):
            check_value(key, item, f"{inner}[{index}]" if isinstance(value, list) else inner, errors)


def check_value(key: str, value: Any, where: str, errors: list[str]) -> None:
    vocab = vocabulary()
    allowed = vocab.ranges[key]
    if isinstance(value, dict):
        types = as_list(value.get("@type", []))
        if not any(ancestors(name) & allowed for name in types):
            errors.append(f"{where}: a {'/'.join(types) or 'untyped node'} where {key} takes {sorted(allowed)}")
        check_node(value, where, errors)
    elif isinstance(value, str):
        fits = [name for name, test in LITERALS.items() if ancestors(name) & allowed and test(value)]
        if not fits:
            errors.append(f"{where}: text {value!r} where {key} takes {sorted(allowed)}")
    else:
        errors.append(f"{where}: {value!r} is not a node or text")


def json_ld_blocks(output: Path) -> Iterator[tuple[str, Any]]:
    """(page, parsed block) for every JSON-LD script of every page under output."""
    for page in sorted(output.rglob("*.html")):
        for script in soup(page).find_all("script", type="application/ld+json"):
            yield page.relative_to(output).as_posix(), json.loads(script.get_text())


def schema_errors(output: Path) -> list[str]:
    errors: list[str] = []
    for page, block in json_ld_blocks(output):
        check_node(block, page, errors, top=True)
    return errors


# --- the checker itself finds what it should ---


def test_checker_knows_schema_org() -> None:
    vocab = vocabulary()
    assert "Place" in ancestors("Country") and "Organization" not in ancestors("Country")
    assert "Organization" in ancestors("GovernmentOrganization")
    assert vocab.ranges["attendee"] == {"Person", "Organization"}
    errors: list[str] = []
    check_node(
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": "Talks",
            "startDate": "2022-13",
            "url": "/events/talks/",
            "attendee": [{"@type": "Country", "name": "Russia", "memberOf": {"@type": "Country", "name": "CSTO"}}],
            "headline": "Talks",
            "colour": "red",
            "location": {"@type": "Nowhere"},
        },
        "page",
        errors,
        top=True,
    )
    assert errors == [
        "page.startDate: text '2022-13' where startDate takes ['Date', 'DateTime']",
        "page.url: text '/events/talks/' where url takes ['URL']",
        "page.attendee[0]: a Country where attendee takes ['Organization', 'Person']",
        "page.attendee[0].memberOf: not a property of Country",
        "page.attendee[0].memberOf: a Country where memberOf takes ['Organization', 'ProgramMembership']",
        "page.headline: not a property of Event",
        "page.colour: not a schema.org property",
        "page.location: a Nowhere where location takes ['Place', 'PostalAddress', 'Text', 'VirtualLocation']",
        "page.location: 'Nowhere' is not a schema.org type",
    ]


# --- the sites' JSON-LD ---

# The test site's actors and events with every kind of actor, memberships of each kind
# (a person of a country, a country of an organisation, an organisation of a group) and
# events attended by each kind.
SITE_ACTORS = """
    russia:
      name: Russia
      kind: country
      member_of: [csto]
      aliases: [Russian Federation]
    putin:
      name: Vladimir Putin
      kind: person
      role: President of Russia
      member_of: [russia]
      summary: President of Russia, who distrusts [[nato]].
    nato:
      name: NATO
      kind: organization
      member_of: [west]
    ukraine:
      name: Ukraine
      kind: country
    csto:
      name: CSTO
      kind: organization
    west:
      name: The West
      kind: group
    """
SITE_EVENTS = """
    summit:
      title: Bucharest summit
      date: 2008-04-02
      end: 2008-04-04
      place: Bucharest
      issues: [nato-expansion]
      actors: [nato, ukraine, west]
      summary: Promised [[ukraine]] membership.
    buildup:
      title: Troops gather
      date: 2021-11
      actors: [russia, csto]
    talks:
      title: Geneva talks
      date: 2022-01-10
      actors: [russia, putin, nato]
    """


def test_example_site_json_ld_is_schema_org_correct(example_site: Path) -> None:
    result = run_build(example_site, "--no-search")
    assert result.returncode == 0, result.stderr
    output = example_site / "output"
    assert schema_errors(output) == []
    kinds = {page.split("/")[0] for page, _ in json_ld_blocks(output)}
    assert kinds == {"index.html", "issues", "actors", "events", "es"}  # es: the Spanish site, checked alike


def test_site_with_every_kind_of_actor_json_ld_is_schema_org_correct(tmp_path: Path) -> None:
    # SITE has a country (russia) that a person is a member of and that attends an event,
    # an organisation, a person; here a country is a member of an organisation too.
    write_site(tmp_path, {"content/actors.yaml": SITE_ACTORS, "content/events.yaml": SITE_EVENTS})
    result = run_build(tmp_path, "--no-search")
    assert result.returncode == 0, result.stderr
    output = tmp_path / "output"
    assert schema_errors(output) == []
    actors = {page for page, _ in json_ld_blocks(output) if page.startswith("actors/")}
    assert actors == {f"actors/{id}/index.html" for id in ("russia", "putin", "nato", "ukraine", "csto", "west")}


# --- the article: dates, author and publisher ---


def article_block(output: Path, issue: str) -> dict[str, Any]:
    blocks = [block for page, block in json_ld_blocks(output) if page == f"issues/{issue}/index.html"]
    assert len(blocks) == 1
    assert blocks[0]["@type"] == "BackgroundNewsArticle"
    return dict(blocks[0])


def test_article_names_dates_authors_and_publisher_from_the_content(tmp_path: Path) -> None:
    write_site(tmp_path)
    edit(tmp_path, "content/site.yaml", "updated: 2022-01\n", SITE_PARTIES)
    edit(tmp_path, "content/issues/nato-expansion.md", *PUBLISHED)
    edit(tmp_path, "content/issues/missiles.md", "actors: [russia]\n", MISSILES_CHANGES)
    result = run_build(tmp_path, "--no-search")
    assert result.returncode == 0, result.stderr
    output = tmp_path / "output"
    assert schema_errors(output) == []
    authors = [
        {"@type": "Person", "name": "Ann Reporter"},
        {"@type": "Organization", "name": "Explainer desk", "url": "https://news.example/desk/"},
    ]
    publisher = {"@type": "Organization", "name": "Example News", "url": "https://news.example/",
                 "logo": "https://news.example/logo.png"}  # fmt: skip
    nato = article_block(output, "nato-expansion")
    assert (nato["datePublished"], nato["dateModified"]) == ("2021-12-20", "2022-01-10")
    assert (nato["author"], nato["publisher"]) == (authors, publisher)
    missiles = article_block(output, "missiles")  # no `published`: its first change; modified: its last
    assert (missiles["datePublished"], missiles["dateModified"]) == ("2021-11-02", "2022-01-12")
    troops = article_block(output, "troops")  # neither: the site's `updated`
    assert (troops["datePublished"], troops["dateModified"]) == ("2022-01", "2022-01")
    footer = soup(output / "index.html").find("footer")
    assert footer is not None and "By Ann Reporter, Explainer desk" in footer.get_text()


def test_article_without_authors_or_publisher_is_by_the_site(tmp_path: Path) -> None:
    write_site(tmp_path)
    result = run_build(tmp_path, "--no-search")
    assert result.returncode == 0, result.stderr
    nato = article_block(tmp_path / "output", "nato-expansion")
    site = {"@type": "Organization", "name": "Test explainer", "url": "https://example.org/"}
    assert (nato["author"], nato["publisher"]) == ([site], site)
    assert (nato["datePublished"], nato["dateModified"]) == ("2022-01-10", "2022-01-10")


def test_a_cached_build_follows_an_edited_publication_date(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert run_build(tmp_path, "--no-search").returncode == 0
    edit(tmp_path, "content/issues/nato-expansion.md", *PUBLISHED)
    assert run_build(tmp_path, "--no-search").returncode == 0
    cached = snapshot(tmp_path / "output")
    assert article_block(tmp_path / "output", "nato-expansion")["datePublished"] == "2021-12-20"
    assert run_build(tmp_path, "--no-search", "--no-cache").returncode == 0
    assert {path: data for path, (data, _) in cached.items()} == {
        path: data for path, (data, _) in snapshot(tmp_path / "output").items()
    }


def test_bad_authors_publisher_and_published_are_errors_at_their_lines(tmp_path: Path) -> None:
    write_site(tmp_path)
    edit(tmp_path, "content/site.yaml", "updated: 2022-01\n", BAD_PARTIES)
    edit(tmp_path, "content/issues/troops.md", "order: 1\n", "order: 1\npublished: 2022-02-30\n")
    result = run_main(tmp_path, "--no-search")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/issues/troops.md:5: error: bad date in 'published': '2022-02-30' is not a day:"
        " February 2022 has 28 days",
        "content/site.yaml:6: error: each of 'authors' must be a name or a mapping with a 'name', not a list",
        "content/site.yaml:7: error: author 2 needs a 'name'",
        "content/site.yaml:9: error: unknown author kind 'organisation' (one of person, organization)"
        " — did you mean 'organization'?",
        "content/site.yaml:10: error: 'url' must be a full web address such as https://example.org/, not 'desk/'",
        "content/site.yaml:11: warning: unknown field 'email' in author 3 is ignored",
        "content/site.yaml:14: error: 'logo' must be a full web address such as https://example.org/,"
        " not 'static/logo.png'",
        "6 errors; nothing was written to output",
    ]


def test_a_publisher_that_is_not_a_name_or_mapping_is_an_error(tmp_path: Path) -> None:
    write_site(tmp_path)
    edit(tmp_path, "content/site.yaml", "updated: 2022-01\n", "updated: 2022-01\npublisher: [a, b]\n")
    result = run_main(tmp_path, "--no-search")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "content/site.yaml:5: error: 'publisher' must be a name or a mapping with a 'name', not a list"
    )


PUBLISHED = ("updated: 2022-01-10\n", "updated: 2022-01-10\npublished: 2021-12-20\n")
SITE_PARTIES = """updated: 2022-01
authors:
  - Ann Reporter
  - name: Explainer desk
    kind: organization
    url: https://news.example/desk/
publisher:
  name: Example News
  url: https://news.example/
  logo: https://news.example/logo.png
"""
BAD_PARTIES = """updated: 2022-01
authors:
  - [Ann]
  - kind: person
  - name: Desk
    kind: organisation
    url: desk/
    email: desk@news.example
publisher:
  name: Example News
  logo: static/logo.png
"""
MISSILES_CHANGES = """actors: [russia]
changes:
  - date: 2022-01-12
    text: Talks began.
  - date: 2021-11-02
    text: First written.
"""
