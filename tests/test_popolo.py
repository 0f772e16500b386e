"""data/popolo.json: people, organizations and memberships with dates in the Popolo format, valid against the
Popolo JSON schemas for person, organization and membership (tests/data/popolo/, written from the Popolo
specification: no registry package ships them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run_main, write_site
from jsonschema import Draft7Validator

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


def validator(name: str) -> Draft7Validator:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


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
        ("person", {"id": "x"}),  # no name
        ("organization", {"name": "NATO", "founding_date": "1949-4-4"}),
        ("membership", {"person_id": "putin", "organization_id": "nato", "start_date": "May 2000"}),
        ("membership", {"member": {"@type": "Country", "id": "russia"}}),
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
