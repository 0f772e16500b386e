"""data/popolo.json: people, organizations and memberships with dates in the Popolo format, valid against the
Popolo project's own JSON schemas for person, organization and membership (vendored unchanged in tests/data/popolo/
with every schema they refer to; see its README), their references resolved from those files, never fetched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run_main, write_site
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

SCHEMAS = REPO / "tests" / "data" / "popolo"

ACTORS = """
    russia:
      name: Russia
      kind: country
      aliases: [Moscow]
      member_of: [{id: nato, from: 2010, to: 2011-06}]
    putin:
      name: Vladimir Putin
      kind: person
      roles:
        - {title: President of Russia, from: 2012-05-07}
      member_of:
        - russia
        - id: kremlin
          from: 2000-05
    kremlin:
      name: The Kremlin
      kind: organization
      links: {Website: "https://en.kremlin.ru/"}
    nato:
      name: NATO
      kind: organization
    ukraine:
      name: Ukraine
      kind: country
    """


def schemas() -> dict[str, dict[str, Any]]:
    """Every vendored schema by file name; each is a draft-03 schema whose `id` is its popoloproject.com address."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMAS.glob("*.json"))}


def registry() -> Registry:
    """The schemas under their own `id`s, so `$ref`s to http://www.popoloproject.com/schemas/... resolve here."""
    found = schemas()
    return Registry().with_resources((s["id"], Resource.from_contents(s, default_specification=DRAFT3))
                                     for s in found.values())  # fmt: skip


def validator(name: str) -> Draft3Validator:
    schema = schemas()[name]
    Draft3Validator.check_schema(schema)
    return Draft3Validator(schema, registry=registry(), format_checker=Draft3Validator.FORMAT_CHECKER)


def test_the_vendored_schemas_are_the_popolo_projects_and_every_reference_resolves() -> None:
    found = schemas()
    assert {"person", "organization", "membership"} <= set(found)
    resolver = registry().resolver()
    for name, schema in found.items():
        assert schema["$schema"] == "http://json-schema.org/draft-03/schema#", name
        assert schema["id"] == f"http://www.popoloproject.com/schemas/{name}.json#", name
        refs = [v["$ref"] for v in walk(schema) if "$ref" in v]
        for ref in refs:
            assert resolver.lookup(ref).contents["id"] == ref  # vendored, not fetched
    assert Draft3Validator.FORMAT_CHECKER.conforms("https://example.org/", "uri")
    assert not Draft3Validator.FORMAT_CHECKER.conforms("not a url", "uri")  # the uri format is checked


def walk(value: Any) -> list[dict[str, Any]]:
    """Every object inside value, value first."""
    if isinstance(value, dict):
        return [value, *(o for v in value.values() for o in walk(v))]
    if isinstance(value, list):
        return [o for v in value for o in walk(v)]
    return []


def popolo(tmp_path: Path) -> dict[str, Any]:
    write_site(tmp_path, {"content/actors.yaml": ACTORS})
    result = run_main(tmp_path, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    return json.loads((tmp_path / "output/data/popolo.json").read_text(encoding="utf-8"))


def test_the_popolo_export_is_valid_against_the_popolo_schemas(tmp_path: Path) -> None:
    data = popolo(tmp_path)
    for key, schema in (("persons", "person"), ("organizations", "organization"), ("memberships", "membership")):
        check = validator(schema)
        for item in data[key]:
            errors = [error.message for error in check.iter_errors(item)]
            assert not errors, (key, item, errors)


def test_people_organizations_and_dated_memberships(tmp_path: Path) -> None:
    data = popolo(tmp_path)
    assert [p["id"] for p in data["persons"]] == ["putin"]
    assert data["persons"][0]["summary"] == "President of Russia"  # no `role:`: the current one of `roles`
    organizations = {o["id"]: o for o in data["organizations"]}
    assert set(organizations) == {"russia", "kremlin", "nato", "ukraine"}
    assert organizations["russia"]["classification"] == "country"
    assert organizations["russia"]["other_names"] == [{"name": "Moscow"}]
    assert organizations["kremlin"]["links"][1] == {"url": "https://en.kremlin.ru/", "note": "Website"}
    assert organizations["kremlin"]["links"][0]["url"] == "https://example.org/actors/kremlin/"
    memberships = {(m.get("person_id") or m["member"]["id"], m["organization_id"]): m for m in data["memberships"]}
    assert memberships[("putin", "kremlin")]["start_date"] == "2000-05" and "end_date" not in memberships[
        ("putin", "kremlin")]  # fmt: skip
    assert "start_date" not in memberships[("putin", "russia")]
    nato = memberships[("russia", "nato")]
    assert nato["member"] == {"@type": "Organization", "id": "russia"} and "person_id" not in nato
    assert (nato["start_date"], nato["end_date"]) == ("2010", "2011-06")
    ids = {p["id"] for p in data["persons"]} | set(organizations)
    assert all(m["organization_id"] in ids for m in data["memberships"])


@pytest.mark.parametrize(
    ("schema", "item"),
    [
        ("person", {"id": "x", "name": 7}),
        ("person", {"name": "Putin", "other_names": [{"note": "no name"}]}),  # other_name.json: name required
        ("person", {"name": "Putin", "links": [{"note": "Website"}]}),  # link.json: url required
        ("person", {"name": "Putin", "links": [{"url": "not a url"}]}),  # link.json: a uri
        ("organization", {"name": "NATO", "founding_date": "1949-4-4"}),
        ("organization", {"name": "NATO", "area": {"parent": {"id": 5}}}),  # area.json, through a reference
        ("membership", {"person_id": "putin", "organization_id": "nato", "start_date": "May 2000"}),
        ("membership", {"member": "russia"}),
    ],
)
def test_the_schemas_reject_what_popolo_does_not_allow(schema: str, item: dict[str, Any]) -> None:
    assert list(validator(schema).iter_errors(item))


def test_the_example_exports_its_people_and_organizations(example_site: Path) -> None:
    result = run_main(example_site, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    data = json.loads((example_site / "output/data/popolo.json").read_text(encoding="utf-8"))
    assert {"putin", "biden", "ryabkov"} <= {p["id"] for p in data["persons"]}
    check = validator("membership")
    assert data["memberships"] and all(check.is_valid(m) for m in data["memberships"])


def test_each_language_has_its_own_popolo_export(example_site: Path) -> None:
    """The example in English and Spanish: /es/data/popolo.json names the actors as the Spanish site does, links
    their Spanish pages, and is as valid as the English one."""
    result = run_main(example_site, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    english = json.loads((example_site / "output/data/popolo.json").read_text(encoding="utf-8"))
    spanish = json.loads((example_site / "output/es/data/popolo.json").read_text(encoding="utf-8"))
    names = {p["id"]: p["name"] for p in spanish["persons"]}
    assert names["ryabkov"] == "Serguéi Riabkov"
    assert {p["id"]: p["name"] for p in english["persons"]}["ryabkov"] == "Sergei Ryabkov"
    links = [p["links"][0]["url"] for p in spanish["persons"]]
    assert links and all(url.startswith("https://example.org/es/actors/") for url in links)
    def by_id(data: dict[str, Any]) -> list[Any]:
        return sorted(data["memberships"], key=lambda m: m["id"])

    assert by_id(spanish) == by_id(english)  # the same facts, whatever the language (ordered by its names)
    for key, schema in (("persons", "person"), ("organizations", "organization"), ("memberships", "membership")):
        check = validator(schema)
        assert all(check.is_valid(item) for item in spanish[key])


def test_without_a_full_base_url_or_with_relative_links_the_export_stays_valid(tmp_path: Path) -> None:
    """A Popolo link's url is a URI: a page's path from the site's root (no full base_url) and an actor's link
    written without its scheme are left out of the export rather than written where the schema forbids them."""
    write_site(tmp_path, {
        "content/site.yaml": "title: T\ndescription: D.\n",
        "content/actors.yaml": ACTORS.replace('{Website: "https://en.kremlin.ru/"}',
                                              '{Website: "en.kremlin.ru", Mail: "mailto:press@kremlin.ru"}'),
    })  # fmt: skip
    result = run_main(tmp_path, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "output/data/popolo.json").read_text(encoding="utf-8"))
    organizations = {o["id"]: o for o in data["organizations"]}
    assert organizations["kremlin"]["links"] == [{"url": "mailto:press@kremlin.ru", "note": "Mail"}]
    assert "links" not in organizations["nato"]
    for key, schema in (("persons", "person"), ("organizations", "organization"), ("memberships", "membership")):
        check = validator(schema)
        for item in data[key]:
            assert not [error.message for error in check.iter_errors(item)], (key, item)
