"""Dated roles and memberships (`roles: [{title, from, to}]`, `member_of: [{id, from, to}]`): the role a dated
quote or event shows, the actor page's history, an organisation's members past and present, the errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SITE, built_site, run_main, snapshot, soup, words, write_site

from explainer.dates import parse_date
from explainer.model import Actor, Role
from explainer.roles import roles_at, within

KERRY = Role("Secretary of State", parse_date("2013-02-01"), parse_date("2017-01-20"))


@pytest.mark.parametrize(
    ("when", "inside"),
    [
        ("2013-02-01", True),  # the first day
        ("2013-01-31", False),  # the day before
        ("2017-01-20", True),  # the last day
        ("2017-01-21", False),  # the day after
        ("2015", True),
        ("2013", False),  # January 2013 is before the span
        ("2017-01", False),  # 21–31 January are after it
        ("2013-02", True),
    ],
)
def test_a_date_is_within_a_span_when_all_of_it_is(when: str, inside: bool) -> None:
    assert within(parse_date(when), KERRY.start, KERRY.end) is inside


@pytest.mark.parametrize(
    ("when", "inside"),
    [("2021", False), ("2021-08", True), ("2021-08-31", True), ("2021-09-01", False), ("2020-03", True)],
)
def test_partial_ends_cover_their_whole_period(when: str, inside: bool) -> None:
    # a role ending `2021-08` lasts through 31 August; a quote dated `2021` may be from December, so is not in it
    role = Role("Foreign Minister", parse_date("2020"), parse_date("2021-08"))
    assert within(parse_date(when), role.start, role.end) is inside


def test_roles_at_lists_every_role_held_and_none_for_no_date() -> None:
    open_ended = Role("Senator", parse_date("1985"))
    actor = Actor("kerry", "a.yaml", 1, "John Kerry", "person", roles=(KERRY, open_ended))
    assert roles_at(actor, parse_date("2016-05-02")) == (KERRY, open_ended)
    assert roles_at(actor, parse_date("1990")) == (open_ended,)
    assert roles_at(actor, None) == ()


DATED: dict[str, str | None] = {
    "content/actors.yaml": """
        russia:
          name: Russia
          kind: country
        putin:
          name: Vladimir Putin
          kind: person
          roles:
            - title: Prime Minister of Russia
              from: 2008-05-08
              to: 2012-05-07
            - title: President of Russia
              from: 2012-05-07
          member_of:
            - russia
            - id: nato
              from: 2010
              to: 2011-06
        nato:
          name: NATO
          kind: organization
          role: Western military alliance
        ukraine:
          name: Ukraine
          kind: country
          member_of: [{id: nato, from: 2019}]
        """,
    "content/issues/nato-expansion.md": SITE["content/issues/nato-expansion.md"].replace(
        """            date: 2021-12
            source: ap
""",
        """            date: 2021-12
            source: ap
          - by: putin
            text: Earlier words.
            date: 2010-03
          - by: putin
            text: Words of that year.
            date: 2012
""",
    ),
    "content/events.yaml": SITE["content/events.yaml"].replace("actors: [russia]", "actors: [russia, putin]"),
}


def test_a_quote_shows_the_role_its_speaker_held_at_its_date(tmp_path: Path) -> None:
    out = built_site(tmp_path, DATED)
    captions = [words(f) for f in soup(out / "issues/nato-expansion/index.html").select("figcaption")]
    assert "President of Russia" in captions[0] and "then" not in captions[0]  # 2021-12: the open role
    assert "then Prime Minister of Russia" in captions[1]  # 2010-03: a role that has ended since
    # 2012: he was prime minister until May and president from May, neither all year: no role is named
    assert "Minister" not in captions[2] and "President" not in captions[2]
    actor_page = soup(out / "actors/putin/index.html")
    said = [words(f) for f in actor_page.select(".quotes figcaption")]
    assert "then Prime Minister of Russia" in said[1]


def test_an_event_shows_its_actors_roles_at_its_date(tmp_path: Path) -> None:
    out = built_site(tmp_path, DATED)
    chips = soup(out / "events/talks/index.html").select(".chips li")
    assert [words(c) for c in chips] == ["Russia", "Vladimir Putin, President of Russia"]


def test_the_actor_page_shows_the_role_history_and_dated_memberships(tmp_path: Path) -> None:
    out = built_site(tmp_path, DATED)
    page = soup(out / "actors/putin/index.html")
    assert page.select_one("p.role").get_text() == "President of Russia"  # no `role:`: the open one
    history = [words(li) for li in page.select(".role-history li")]
    assert history == ["Prime Minister of Russia (8 May 2008–7 May 2012)", "President of Russia (since 7 May 2012)"]
    assert words(page.find("dt", string="Part of").find_next("dd")) == "Russia, NATO (2010–June 2011)"
    times = page.select(".role-history time")
    assert [t["datetime"] for t in times] == ["2008-05-08", "2012-05-07", "2012-05-07"]


def test_an_organisation_page_shows_members_past_and_present(tmp_path: Path) -> None:
    out = built_site(tmp_path, DATED)
    page = soup(out / "actors/nato/index.html")
    assert words(page.find("dt", string="Members").find_next("dd")) == "Ukraine (since 2019)"
    assert words(page.find("dt", string="Former members").find_next("dd")) == "Vladimir Putin (2010–June 2011)"
    assert page.select_one("p.role").get_text() == "Western military alliance"  # `role:` alone, as before


BAD_ACTORS = """
    russia:
      name: Russia
      kind: country
    putin:
      name: Vladimir Putin
      kind: person
      roles:
        - title: President
          from: 2012
          to: 2008
        - from: 2000
          tiel: x
      member_of:
        - russia
        - id: nato
          from: 2011-06
          to: 2010
        - [nato]
        - id: natoo
    nato:
      name: NATO
      kind: organization
    ukraine:
      name: Ukraine
      kind: country
    """


def test_mistakes_in_roles_and_memberships_are_reported_at_their_lines_all_at_once(tmp_path: Path) -> None:
    out = built_site(tmp_path, {})
    before = snapshot(out)
    write_site(tmp_path, {"content/actors.yaml": BAD_ACTORS})
    result = run_main(tmp_path, "--no-search", "--no-cache")
    assert result.returncode == 1
    path = "content/actors.yaml"
    for line in (
        f"{path}:10: error: 'to' (2008) is before 'from' (2012) in role 1 of actor 'putin': swap them or fix one",
        f"{path}:11: error: role 2 of actor 'putin' needs a 'title'",
        f"{path}:12: warning: unknown field 'tiel' in role 2 of actor 'putin' is ignored — did you mean 'title'?",
        f"{path}:17: error: 'to' (2010) is before 'from' (2011-06) in membership 2 of actor 'putin': swap them or "
        "fix one",
        f"{path}:18: error: 'member_of' must list ids or {{id, from, to}} entries, not a list",
        f"{path}:19: error: unknown actor 'natoo' — did you mean 'nato'?",
    ):
        assert line in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before


def test_a_role_title_by_language_is_read_in_each_language(tmp_path: Path) -> None:
    from explainer.diagnostics import Diagnostics
    from explainer.load import load_content
    from explainer.translations import records_in
    from explainer.validate import validate

    site = SITE["content/site.yaml"].rstrip(" ") + "        languages: [en, es, fr]\n"
    actors = DATED["content/actors.yaml"] or ""
    actors = actors.replace("title: Prime Minister of Russia", "title: {en: Prime Minister of Russia, es: primer "
                            "ministro de Rusia, fr: Premier ministre de Russie}")  # fmt: skip
    actors = actors.replace("title: President of Russia", "title: {en: President of Russia, es: presidente de Rusia}")
    write_site(tmp_path, {**DATED, "content/site.yaml": site, "content/actors.yaml": actors})
    diags = Diagnostics()
    records = validate(load_content(tmp_path / "content", diags), diags)
    assert not diags.errors, diags.sorted()
    putin = next(a for a in records_in(records, "es").records.actors if a.id == "putin")
    assert [r.title for r in putin.roles] == ["primer ministro de Rusia", "presidente de Rusia"]
    assert putin.role == "presidente de Rusia"  # no `role:`: the open role's title, in the language too
    french = records_in(records, "fr")
    putin = next(a for a in french.records.actors if a.id == "putin")
    assert putin.role == "President of Russia" and "putin" in french.untranslated  # one title has no French


def test_the_json_export_holds_roles_and_dated_memberships(tmp_path: Path) -> None:
    out = built_site(tmp_path, DATED)
    actors = {a["id"]: a for a in json.loads((out / "data/explainer.json").read_text(encoding="utf-8"))["actors"]}
    assert actors["putin"]["roles"] == [
        {"title": "Prime Minister of Russia", "from": "2008-05-08", "to": "2012-05-07"},
        {"title": "President of Russia", "from": "2012-05-07", "to": None},
    ]
    assert actors["putin"]["memberships"] == [
        {"id": "russia", "from": None, "to": None},
        {"id": "nato", "from": "2010", "to": "2011-06"},
    ]
    assert actors["putin"]["member_of"] == ["russia", "nato"]  # as before
    assert actors["nato"]["roles"] == [] and actors["nato"]["role"] == "Western military alliance"


def test_the_example_shows_a_dated_role_at_the_geneva_talks(example_site: Path) -> None:
    result = run_main(example_site, "--no-search", "--no-cache")
    assert result.returncode == 0, result.stderr
    chips = soup(example_site / "output/events/geneva-talks-2022/index.html").select(".chips li")
    ryabkov = next(words(c) for c in chips if "Ryabkov" in c.get_text())
    assert "head of Russia’s team at the security talks" in ryabkov
    history = soup(example_site / "output/actors/ryabkov/index.html").select(".role-history li")
    assert "since 10 January 2022" in words(history[1])
