"""Every content mistake: the exact message and line, exit status 1, and output/ left untouched.

Each case starts from a copy of SITE already built once into output/, breaks
one thing, builds again and compares stderr in full, so a cascade of
follow-on errors fails the test as surely as a wrong line does.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CLEAN, REPO, Snapshot, edit, run_build, run_main, snapshot, write_site, write_tree

ISSUE = "content/issues/nato-expansion.md"
ACTORS = "content/actors.yaml"
EVENTS = "content/events.yaml"
SOURCES = "content/sources.yaml"
SITE_YAML = "content/site.yaml"

Breakage = Callable[[Path], None]


def change(rel: str, old: str, new: str) -> Breakage:
    return lambda root: edit(root, rel, old, new)


def add_file(rel: str, text: str) -> Breakage:
    return lambda root: write_tree(root, {rel: text})


def remove(rel: str) -> Breakage:
    return lambda root: (root / rel).unlink()


def latin1(rel: str, old: str, new: str) -> Breakage:
    def breakage(root: Path) -> None:
        path = root / rel
        path.write_bytes(path.read_text(encoding="utf-8").replace(old, new).encode("latin-1"))

    return breakage


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SITE, built once successfully."""
    root = write_site(tmp_path_factory.mktemp("built"))
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def site(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built site (file bytes and mtimes kept)."""
    root = tmp_path / "site"
    shutil.copytree(built, root, copy_function=shutil.copy2)
    return root


def expect_errors(root: Path, *messages: str) -> None:
    """Build root: exactly these lines (errors, and any notes), then the count of errors, exit 1, and output/ as
    it was."""
    before: Snapshot = snapshot(root / "output")
    assert before, "the good build wrote files"
    result = run_main(root)
    errors = sum(": error: " in m for m in messages)
    count = f"{errors} error{'s' if errors != 1 else ''}"
    assert result.stderr == "".join(f"{m}\n" for m in messages) + f"{count}; nothing was written to output\n"
    assert result.returncode == 1
    assert result.stdout == ""
    assert snapshot(root / "output") == before


def unchecked(rel: str, count: int, first: str) -> str:
    """The note at a facts file that does not parse: how many references into it wait to be checked."""
    section = rel.removeprefix("content/").removesuffix(".yaml")
    waiting = f"{count} references to {section} could not be checked until this file is fixed"
    return f"{rel}: note: {waiting} (the first at {first})"


# SITE's references into each facts file: while the file does not parse, none of them can be checked
ACTORS_UNCHECKED = unchecked(ACTORS, 10, f"{EVENTS}:5")
EVENTS_UNCHECKED = unchecked(EVENTS, 2, f"{ISSUE}:7")
SOURCES_UNCHECKED = unchecked(SOURCES, 2, f"{ISSUE}:15")

CASES: dict[str, tuple[list[Breakage], list[str]]] = {
    # --- bad YAML, with the line to fix ---
    "yaml-unclosed-list": (
        [change(ISSUE, "actors: [russia, nato]", "actors: [russia, nato")],
        [f"{ISSUE}:6: error: bad YAML: a list opened with '[' on this line is not closed with ']' (or misses a comma)"],
    ),
    "yaml-colon-in-value": (
        [change(ISSUE, "summary: Russia wants a promise; NATO says no.", "summary: Russia says: no.")],
        [
            f"{ISSUE}:3: error: bad YAML: unexpected ':' — put text that contains ': ' in quotes, "
            "or check the indentation of this line and the one above"
        ],
    ),
    "yaml-unclosed-quote": (
        [change(ACTORS, "name: Vladimir Putin", 'name: "Vladimir Putin')],
        [
            f"{ACTORS}:5: error: bad YAML: a quote mark opened on this line is never closed: add the closing quote",
            ACTORS_UNCHECKED,
        ],
    ),
    "yaml-bad-indentation": (
        [change(EVENTS, "  date: 2021-11", " date: 2021-11")],
        [
            f"{EVENTS}:8: error: bad YAML: this line does not line up with the ones above: check its indentation",
            EVENTS_UNCHECKED,
        ],
    ),
    "yaml-tab": (
        [change(ACTORS, "  kind: person", "\tkind: person")],
        [f"{ACTORS}:6: error: a tab indents this line: YAML needs spaces", ACTORS_UNCHECKED],
    ),
    "yaml-value-starts-with-at": (
        [change(SOURCES, "publisher: AP", "publisher: @AP")],
        [
            f"{SOURCES}:3: error: bad YAML: a value cannot start with '@': put the whole value in quotes",
            SOURCES_UNCHECKED,
        ],
    ),
    "yaml-text-after-quotes": (
        [change(ISSUE, "status: deadlocked", "status: 'dead' locked")],
        [f"{ISSUE}:5: error: bad YAML: unexpected text after a quoted value: put the whole value inside the quotes"],
    ),
    "no-front-matter": (
        [add_file("content/issues/troops.md", "# Will Russia pull back its troops?\n")],
        [
            "content/issues/troops.md:1: error: an issue card must start with front matter: "
            "a line '---', the fields, then '---'"
        ],
    ),
    "front-matter-not-closed": (
        [add_file("content/issues/troops.md", "---\ntitle: Troops\nsummary: Not yet.\n")],
        ["content/issues/troops.md:1: error: front matter is not closed: add a line '---' after the last field"],
    ),
    "front-matter-empty": (
        [add_file("content/issues/troops.md", "---\n---\nBody.\n")],
        ["content/issues/troops.md:1: error: issue card is empty: it needs a 'title' and a 'summary'"],
    ),
    "front-matter-a-list": (
        [add_file("content/issues/troops.md", "---\n- title\n---\n")],
        ["content/issues/troops.md:2: error: issue card must be a mapping (key: value lines), not a list"],
    ),
    # --- missing required fields ---
    "issue-without-title": (
        [change(ISSUE, "title: Will NATO grow?\n", "")],
        [f"{ISSUE}:2: error: issue card needs a 'title'"],
    ),
    "issue-with-empty-summary": (
        [change(ISSUE, "summary: Russia wants a promise; NATO says no.", "summary:")],
        [f"{ISSUE}:3: error: issue card needs a 'summary'"],
    ),
    "actor-without-name": (
        [change(ACTORS, "  name: NATO\n", "")],
        [f"{ACTORS}:11: error: actor 'nato' needs a 'name'"],
    ),
    "actor-without-kind": (
        [change(ACTORS, "  kind: organization\n", "")],
        [f"{ACTORS}:11: error: actor 'nato' needs a 'kind'"],
    ),
    "event-without-date": (
        [change(EVENTS, "  date: 2021-11\n", "")],
        [f"{EVENTS}:6: error: event 'buildup' has no date: write it as YYYY-MM-DD (or YYYY-MM, or YYYY)"],
    ),
    "event-with-an-empty-date": (
        [change(EVENTS, "  date: 2021-11\n", "  date:  # YYYY-MM-DD\n")],
        [f"{EVENTS}:8: error: event 'buildup' has no date: write it as YYYY-MM-DD (or YYYY-MM, or YYYY)"],
    ),
    "event-with-an-empty-quoted-date": (
        [change(EVENTS, "  date: 2021-11\n", '  date: ""\n')],
        [f"{EVENTS}:8: error: event 'buildup' has no date: write it as YYYY-MM-DD (or YYYY-MM, or YYYY)"],
    ),
    "event-without-title": (
        [change(EVENTS, "  title: Geneva talks\n", "")],
        [f"{EVENTS}:9: error: event 'talks' needs a 'title'"],
    ),
    "source-without-title": (
        [change(SOURCES, "  title: Explainer\n", "")],
        [f"{SOURCES}:1: error: source 'ap' needs a 'title'"],
    ),
    "quote-without-text": (
        [change(ISSUE, "    text: Give us guarantees now.\n", "")],
        [f"{ISSUE}:12: error: quote 1 needs a 'text'"],
    ),
    "site-without-description": (
        [change(SITE_YAML, "description: A small explainer for tests.\n", "")],
        [f"{SITE_YAML}:1: error: site.yaml needs a 'description'"],
    ),
    "site-yaml-missing": (
        [remove(SITE_YAML)],
        [f"{SITE_YAML}: error: site.yaml is missing: create it with a 'title' and a 'description'"],
    ),
    # --- unknown ids, wherever they are written ---
    "unknown-actor-in-actors": (
        [change(ISSUE, "actors: [russia, nato]", "actors: [rusia, nato]")],
        [f"{ISSUE}:6: error: unknown actor 'rusia' — did you mean 'russia'?"],
    ),
    "unknown-event-in-events": (
        [change(ISSUE, "events: [talks]", "events: [talk]")],
        [f"{ISSUE}:7: error: unknown event 'talk' — did you mean 'talks'?"],
    ),
    "unknown-source-in-sources": (
        [change(ISSUE, "sources: [ap]", "sources: [apx]")],
        [f"{ISSUE}:16: error: unknown source 'apx' — did you mean 'ap'?"],
    ),
    "unknown-actor-as-position-key": (
        [change(ISSUE, "  nato: The door stays open.", "  nat0: The door stays open.")],
        [f"{ISSUE}:10: error: unknown actor 'nat0' — did you mean 'nato'?"],
    ),
    "unknown-ref-in-body": (
        [change(ISSUE, "See also [[missiles]].", "See also [[misiles]].")],
        [f"{ISSUE}:21: error: unknown issue, actor or event 'misiles' — did you mean 'missiles'?"],
    ),
    "unknown-ref-in-position": (
        [change(ISSUE, "says [[putin]]", "says [[puttin]]")],
        [f"{ISSUE}:9: error: unknown issue, actor or event 'puttin' — did you mean 'putin'?"],
    ),
    "unknown-ref-in-folded-actor-summary": (
        [change(ACTORS, "distrusts [[nato]]", "distrusts [[natto]]")],
        [f"{ACTORS}:10: error: unknown issue, actor or event 'natto' — did you mean 'nato'?"],
    ),
    "unknown-ref-in-event-summary": (
        [change(EVENTS, "Promised [[ukraine]]", "Promised [[ukriane]]")],
        [f"{EVENTS}:5: error: unknown issue, actor or event 'ukriane' — did you mean 'ukraine'?"],
    ),
    "unknown-actor-in-quote-by": (
        [change(ISSUE, "by: putin", "by: poutine")],
        [f"{ISSUE}:12: error: unknown actor 'poutine' — did you mean 'putin'?"],
    ),
    "unknown-source-in-quote": (
        [change(ISSUE, "    source: ap", "    source: reuters")],
        [f"{ISSUE}:15: error: unknown source 'reuters'"],
    ),
    "unknown-actor-in-member-of": (
        [change(ACTORS, "member_of: [russia]", "member_of: [rusia]")],
        [f"{ACTORS}:7: error: unknown actor 'rusia' — did you mean 'russia'?"],
    ),
    "unknown-issue-in-event-issues": (
        [change(EVENTS, "issues: [nato-expansion]", "issues: [nato-expanse]")],
        [f"{EVENTS}:4: error: unknown issue 'nato-expanse' — did you mean 'nato-expansion'?"],
    ),
    "unknown-actor-in-event-actors": (
        [change(EVENTS, "actors: [russia]", "actors: [kremlin]")],
        [f"{EVENTS}:12: error: unknown actor 'kremlin'"],
    ),
    "id-of-the-wrong-kind": (
        [change(ISSUE, "events: [talks]", "events: [putin]")],
        [f"{ISSUE}:7: error: 'putin' is an actor, not an event"],
    ),
    "empty-ref": (
        [change(ISSUE, "See also [[missiles]].", "See also [[]].")],
        [f"{ISSUE}:21: error: empty link: write [[id]] or [[id|label]] with the issue, actor or event's id"],
    ),
    # --- duplicate ids name both places ---
    "duplicate-id-in-one-file": (
        [change(ACTORS, "ukraine:\n", "russia:\n  name: Russia again\n  kind: country\nukraine:\n")],
        [f"{ACTORS}:14: error: duplicate key 'russia' (first at line 1): remove one"],
    ),
    "duplicate-key-in-front-matter": (
        [change(ISSUE, "order: 2\n", "order: 2\ntitle: Again\n")],
        [f"{ISSUE}:5: error: duplicate key 'title' (first at line 2): remove one"],
    ),
    "duplicate-id-across-files": (
        [add_file("content/actors/more.yaml", "putin:\n  name: Putin\n  kind: person\n")],
        [
            "content/actors/more.yaml:1: error: duplicate id 'putin': "
            f"an actor with this id is already defined at {ACTORS}:4"
        ],
    ),
    "duplicate-id-across-kinds": (
        [change(SOURCES, "ap:\n", "talks:\n  title: Talk show\nap:\n")],
        [f"{SOURCES}:1: error: duplicate id 'talks': an event with this id is already defined at {EVENTS}:9"],
    ),
    "duplicate-id-issue-and-actor": (
        [add_file("content/issues/russia.md", "---\ntitle: Russia?\nsummary: Yes.\n---\n")],
        [
            f"{ACTORS}:1: error: duplicate id 'russia': "
            "an issue with this id is already defined at content/issues/russia.md:1"
        ],
    ),
    # --- bad ids and file names ---
    "bad-actor-id": (
        [change(ACTORS, "ukraine:\n", "Joe Biden:\n  name: Joe Biden\n  kind: person\nukraine:\n")],
        [
            f"{ACTORS}:14: error: bad actor id 'Joe Biden': ids are lower-case letters and digits "
            "joined by hyphens: use 'joe-biden'"
        ],
    ),
    "bad-event-id": (
        [change(EVENTS, "talks:\n", "vienna_talks:\n  title: Vienna\n  date: 2022-01-13\ntalks:\n")],
        [
            f"{EVENTS}:9: error: bad event id 'vienna_talks': ids are lower-case letters and digits "
            "joined by hyphens: use 'vienna-talks'"
        ],
    ),
    "bad-file-name": (
        [add_file("content/issues/Troops Plan.md", "---\ntitle: Plan\nsummary: S.\n---\n")],
        [
            "content/issues/Troops Plan.md:1: error: bad file name 'Troops Plan': ids are lower-case letters "
            "and digits joined by hyphens: use 'troops-plan'"
        ],
    ),
    # --- bad dates ---
    "date-month-13": (
        [change(EVENTS, "date: 2022-01-10", "date: 2022-13-01")],
        [f"{EVENTS}:11: error: bad date in 'date': '2022-13-01' has no month 13"],
    ),
    "date-30-february": (
        [change(EVENTS, "date: 2022-01-10", "date: 2022-02-30")],
        [f"{EVENTS}:11: error: bad date in 'date': '2022-02-30' is not a day: February 2022 has 28 days"],
    ),
    "date-in-words": (
        [change(EVENTS, "date: 2022-01-10", "date: last tuesday")],
        [f"{EVENTS}:11: error: bad date in 'date': 'last tuesday' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"],
    ),
    "date-single-digit-month": (
        [change(EVENTS, "date: 2022-01-10", "date: 2022-1-10")],
        [f"{EVENTS}:11: error: bad date in 'date': '2022-1-10' needs two-digit months and days: write '2022-01-10'"],
    ),
    "date-in-a-quote": (
        [change(ISSUE, "date: 2021-12", "date: 2021-00")],
        [f"{ISSUE}:14: error: bad date in 'date': '2021-00' has no month 00"],
    ),
    "date-updated-of-a-card": (
        [change(ISSUE, "updated: 2022-01-10", "updated: 10/01/2022")],
        [f"{ISSUE}:17: error: bad date in 'updated': '10/01/2022' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"],
    ),
    "date-end-before-start": (
        [change(EVENTS, "date: 2022-01-10", "date: 2022-01-10\n  end: 2022-01-09")],
        [f"{EVENTS}:12: error: 'end' (2022-01-09) is before 'date' (2022-01-10): swap them or fix one"],
    ),
    # --- not UTF-8 ---
    "not-utf8-card": (
        [latin1(ISSUE, "NATO says no.", "NATO dit non, évidemment.")],
        [f"{ISSUE}:3: error: not UTF-8 text (byte 0xe9): save the file as UTF-8"],
    ),
    "not-utf8-yaml": (
        [latin1(ACTORS, "name: Ukraine", "name: Ukraïne")],
        [f"{ACTORS}:15: error: not UTF-8 text (byte 0xef): save the file as UTF-8", ACTORS_UNCHECKED],
    ),
    "utf16-card": (
        [lambda root: (root / ISSUE).write_text((root / ISSUE).read_text(encoding="utf-8"), encoding="utf-16")],
        [f"{ISSUE}:1: error: saved as UTF-16, not UTF-8: save the file as UTF-8"],
    ),
    # --- wrong values ---
    "order-not-a-number": (
        [change(ISSUE, "order: 2", "order: second")],
        [f"{ISSUE}:4: error: 'order' must be a whole number, not text"],
    ),
    "draft-no-is-not-a-boolean": (
        [change(ISSUE, "order: 2", "draft: no")],
        [f"{ISSUE}:4: error: 'draft' must be true or false, not 'no'"],
    ),
    "unknown-actor-kind": (
        [change(ACTORS, "kind: organization", "kind: organisation")],
        [
            f"{ACTORS}:13: error: unknown kind 'organisation' (one of person, country, organization, group)"
            " — did you mean 'organization'?"
        ],
    ),
    "actor-member-of-itself": (
        [change(ACTORS, "member_of: [russia]", "member_of: [russia, putin]")],
        [f"{ACTORS}:7: error: actor 'putin' cannot be a member of itself"],
    ),
    "positions-not-a-mapping": (
        [
            change(
                ISSUE,
                "positions:\n  russia: Wants a pledge, says [[putin]].\n  nato: The door stays open.\n",
                "positions: [russia, nato]\n",
            )
        ],
        [f"{ISSUE}:8: error: 'positions' must be a mapping (key: value lines), not a list"],
    ),
}


@pytest.mark.parametrize("breakages, messages", CASES.values(), ids=CASES.keys())
def test_content_error(site: Path, breakages: list[Breakage], messages: list[str]) -> None:
    for breakage in breakages:
        breakage(site)
    expect_errors(site, *messages)


def test_every_error_of_a_build_is_reported_at_once_in_file_order(site: Path) -> None:
    change(EVENTS, "date: 2021-11", "date: 2021-13")(site)
    change(ISSUE, "by: putin", "by: poutine")(site)
    change(ACTORS, "member_of: [russia]", "member_of: [rusia]")(site)
    expect_errors(
        site,
        f"{ACTORS}:7: error: unknown actor 'rusia' — did you mean 'russia'?",
        f"{EVENTS}:8: error: bad date in 'date': '2021-13' has no month 13",
        f"{ISSUE}:12: error: unknown actor 'poutine' — did you mean 'putin'?",
    )


def test_a_broken_card_is_not_also_reported_wherever_it_is_linked(site: Path) -> None:
    # events.yaml names nato-expansion in `issues`; the card itself is what is wrong
    change(ISSUE, "title: Will NATO grow?", "title: [Will NATO grow?")(site)
    expect_errors(
        site,
        f"{ISSUE}:2: error: bad YAML: a list opened with '[' on this line is not closed with ']' (or misses a comma)",
    )


def test_an_unreadable_actors_file_does_not_make_every_actor_unknown_but_says_what_waits(site: Path) -> None:
    change(ACTORS, "russia:\n", "- russia:\n")(site)
    # YAML notices only at the next entry, line 4, that `- russia:` began a list; then one note, not ten errors
    expect_errors(
        site,
        f"{ACTORS}:4: error: bad YAML: this line does not line up with the ones above: check its indentation",
        ACTORS_UNCHECKED,
    )


def test_two_refs_to_the_same_unknown_id_on_one_line_count_once(site: Path) -> None:
    change(ISSUE, "See also [[missiles]].", "See also [[misiles]] and [[misiles|them]].")(site)
    expect_errors(site, f"{ISSUE}:21: error: unknown issue, actor or event 'misiles' — did you mean 'missiles'?")


def break_template(site: Path, line: str) -> int:
    """Copy the default theme into the project and add line inside issue.html's main block; its line number."""
    shutil.copytree(REPO / "templates", site / "templates")
    template = site / "templates" / "issue.html"
    lines = template.read_text(encoding="utf-8").split("\n")
    at = next(n for n, text in enumerate(lines) if "{% block main %}" in text) + 1
    lines.insert(at, line)
    template.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def test_template_syntax_error_names_the_template_file_and_line(site: Path) -> None:
    line = break_template(site, "{{ issue.title | no_such_filter }}")
    before = snapshot(site / "output")
    result = run_build(site)
    assert result.stderr == (
        f"templates/issue.html:{line}: error: template syntax error: No filter named 'no_such_filter'.\n"
        "1 error; nothing was written to output\n"
    )
    assert result.returncode == 1
    assert snapshot(site / "output") == before


def test_unclosed_template_tag_is_reported_where_jinja_notices(site: Path) -> None:
    break_template(site, "{% if issue.title %}never closed")
    lines = (site / "templates/issue.html").read_text(encoding="utf-8").split("\n")
    endblock = next(n for n, text in enumerate(lines, start=1) if "{% endblock %}" in text)
    before = snapshot(site / "output")
    result = run_main(site)
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"templates/issue.html:{endblock}: error: template syntax error: Encountered unknown tag 'endblock'."
    ), result.stderr
    assert snapshot(site / "output") == before


def test_error_while_rendering_names_the_template_line(site: Path) -> None:
    line = break_template(site, "{{ issue.no_such_field }}")
    result = run_main(site)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"templates/issue.html:{line}: error: undefined value while rendering issues/troops/: "
        "'explainer.model.Issue object' has no attribute 'no_such_field'"
    )


def test_warnings_do_not_stop_the_build(site: Path) -> None:
    write_site(site, CLEAN)  # no other warnings
    change(ISSUE, "order: 2", "order: 2\ntitel: Typo")(site)
    result = run_main(site)
    assert result.returncode == 0, result.stderr
    assert (
        result.stderr == f"{ISSUE}:5: warning: unknown field 'titel' in issue card is ignored — did you mean 'title'?\n"
    )
    assert " — 1 warning — " in result.stdout


def test_a_misnamed_content_file_is_named_in_a_warning_not_skipped_silently(site: Path) -> None:
    write_site(site, CLEAN)
    card = (site / ISSUE).read_text(encoding="utf-8")
    write_tree(site, {
        "content/issues/extra.markdown": card.replace("order: 2", "order: 99"),
        "content/issues/other.MD": card,
        "content/issues/notes.pdf": "not content",  # not content-like: no warning
        "content/actors/more.YAML": "x: {name: X, kind: person}\n",
    })  # fmt: skip
    result = run_main(site)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "content/actors/more.YAML: warning: not read: only files ending in '.yaml' are content here; "
        "rename it to 'more.yaml'\n"
        "content/issues/extra.markdown: warning: not read: only files ending in '.md' are content here; "
        "rename it to 'extra.md'\n"
        "content/issues/other.MD: warning: not read: only files ending in '.md' are content here; "
        "rename it to 'other.md'\n"
    )
    assert not (site / "output/issues/extra").exists()


def test_an_unknown_id_that_names_a_file_not_read_says_so_after_that_files_warning(site: Path) -> None:
    (site / "content/issues/missiles.md").rename(site / "content/issues/missiles.markdown")
    change(EVENTS, "issues: [nato-expansion]", "issues: [nato-expansion, missiles]")(site)
    unread = "content/issues/missiles.markdown was not read: rename it to missiles.md"
    expect_errors(
        site,
        "content/issues/missiles.markdown: warning: not read: only files ending in '.md' are content here; "
        "rename it to 'missiles.md'",
        f"{EVENTS}:4: error: unknown issue 'missiles' — {unread}",
        f"{ISSUE}:21: error: unknown issue, actor or event 'missiles' — {unread}",
    )


def test_an_unknown_actor_named_like_a_file_not_read_in_the_actors_folder_says_so(site: Path) -> None:
    write_tree(site, {"content/actors/belarus.YAML": "belarus: {name: Belarus, kind: country}\n"})
    change(ISSUE, "actors: [russia, nato]", "actors: [russia, nato, belarus]")(site)
    expect_errors(
        site,
        "content/actors/belarus.YAML: warning: not read: only files ending in '.yaml' are content here; "
        "rename it to 'belarus.yaml'",
        f"{ISSUE}:6: error: unknown actor 'belarus' — content/actors/belarus.YAML was not read: "
        "rename it to belarus.yaml",
    )


def test_a_ref_in_a_plain_text_summary_is_a_warning_with_its_line(site: Path) -> None:
    write_site(site, CLEAN)
    text = (site / ISSUE).read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.split("\n"), start=1) if row.startswith("summary:"))
    change(ISSUE, "summary: ", "summary: Per [[russia]], ")(site)
    result = run_main(site)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"{ISSUE}:{line}: warning: the summary is plain text (the page's description in search results and "
        "link previews): '[[' shows as written; write the name instead\n"
    )
