"""The change model (issue 16: reads.py, incremental/changes.py): a cached build or a serve save whose changes
link does not read (a body, a summary, a position, a quote ...) makes no page key, renders only the pages that
read what changed, keeps the view files that read none of it and splices data/explainer.json; its output is
always a clean build's, and a change link reads keys every page (build) or plans every page (serve)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from test_speed_features import build, clean, corpus_site, tree

from explainer.parallel import pagepool

__all__ = ["corpus_site"]  # the fixture, imported for the tests here

PAGES = 89  # of the 40-card corpus (ten of them the map as of a year)


class Spy:
    """How many pages each build hands to page_keys, and to the page workers."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.keyed: list[int] = []
        self.rendered: list[int] = []
        keys, batches = pagepool.page_keys, pagepool.batches

        def page_keys(pages: list[Any], *args: Any) -> Any:
            self.keyed.append(len(pages))
            return keys(pages, *args)

        def counted(renderer: Any, pages: list[Any], *args: Any) -> Any:
            self.rendered.append(len(pages))
            return batches(renderer, pages, *args)

        monkeypatch.setattr(pagepool, "page_keys", page_keys)
        monkeypatch.setattr(pagepool, "batches", counted)


def edit(site: Path, card: str, old: str, new: str) -> None:
    path = site / "content" / "issues" / f"{card}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_body_edit_keys_no_page_and_renders_the_pages_holding_the_card(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    build(corpus_site, "cached", "--jobs", jobs)
    spy = Spy(monkeypatch)
    edit(corpus_site, "issue-00003", "## What is at stake", "## What is at stake today")
    built = tree(build(corpus_site, "cached", "--jobs", jobs))
    # No page key made; of the pages that hold the card (its own, the home page, its actors' ...), only the one
    # whose templates read its body renders: its own.
    assert (spy.keyed, spy.rendered) == ([0], [1])
    assert built == clean(corpus_site)
    assert b"What is at stake today" in built["issues/issue-00003/index.html"]
    assert b"What is at stake today" in built["data/explainer.json"]  # spliced in
    edit(corpus_site, "issue-00007", "## What is at stake", "## What is at stake now")
    built = tree(build(corpus_site, "cached", "--jobs", jobs))
    assert spy.keyed[-1] == 0
    assert built == clean(corpus_site)
    # A new title keys every page again (it orders lists); the pages kept without a key render again.
    edit(corpus_site, "issue-00007", "title: Issue 7 ", "title: Issue 7 edited ")
    built = tree(build(corpus_site, "cached", "--jobs", jobs))
    assert spy.keyed[-1] == PAGES
    assert built == clean(corpus_site)


def test_a_page_whose_templates_read_another_cards_body_renders_again(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The templates are the writer's: a home page that shows each card's length reads every body."""
    home = corpus_site / "templates" / "home.html"
    loop = "{% for issue in issues %}"
    home.write_text(home.read_text().replace(loop, loop + "{{ issue.body.source|wordcount }}", 1))
    build(corpus_site, "cached")
    spy = Spy(monkeypatch)
    edit(corpus_site, "issue-00003", "## What is at stake", "## What is at stake today and tomorrow")
    built = tree(build(corpus_site, "cached"))
    assert (spy.keyed, spy.rendered) == ([0], [2])  # the card's page and the home page
    assert built == clean(corpus_site)


def test_a_failed_build_between_never_lets_a_body_edit_keep_stale_pages(corpus_site: Path) -> None:
    """The parsed-files cache is saved as soon as a build has loaded, even one that then fails: an edit checked
    against it alone would compare with the failed build's files, not with those the output shows."""
    from conftest import run_main

    build(corpus_site, "cached")
    base = corpus_site / "templates" / "base.html"
    good = base.read_text()
    edit(corpus_site, "issue-00003", "title: Issue 3 ", "title: Issue 3 renamed ")
    base.write_text(good.replace("</footer>", "{% if %}</footer>", 1))
    failed = run_main(corpus_site, "--no-search", "--output", "cached")
    assert failed.returncode == 1 and "base.html" in failed.stderr
    base.write_text(good)
    edit(corpus_site, "issue-00003", "## What is at stake", "## What is at stake today")  # the body only, now
    built = tree(build(corpus_site, "cached"))
    assert built == clean(corpus_site)
    assert b"Issue 3 renamed" in built["index.html"]


@pytest.mark.parametrize("change", ["a new link", "a template", "a touched export"])
def test_a_body_edit_beside_another_change_keys_every_page(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    build(corpus_site, "cached")
    spy = Spy(monkeypatch)
    if change == "a new link":  # the body now links to another id: relations may change
        text = (corpus_site / "content" / "issues" / "issue-00003.md").read_text()
        other = next(f"actor-{n:05d}" for n in range(10) if f"actor-{n:05d}" not in text)
        edit(corpus_site, "issue-00003", "## What is at stake\n", f"## What is at stake\n\nSee [[{other}]].\n")
    else:
        edit(corpus_site, "issue-00003", "## What is at stake", "## What is at stake today")
    if change == "a template":
        footer = corpus_site / "templates" / "base.html"
        footer.write_text(footer.read_text().replace("</footer>", "<p>Edited.</p></footer>", 1))
    if change == "a touched export":  # the output is no longer as the cache left it: made in full
        export = corpus_site / "cached" / "data" / "explainer.json"
        export.write_bytes(export.read_bytes().replace(b'"schema"', b'"schema" ', 1))
    built = tree(build(corpus_site, "cached"))
    keyed = list(spy.keyed)
    assert built == clean(corpus_site)
    spy.keyed = keyed
    if change == "a touched export":
        assert spy.keyed == [0]  # still only bodies changed: the pages are as quick, the views made in full
    else:
        assert spy.keyed == [PAGES]


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """The example explainer (quotes, figures, change notes, feeds: its base_url is a full URL)."""
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, tmp_path / name)
    return tmp_path


EXAMPLE_PAGES = 45

SHOWN = {  # what an issue card shows of itself: (card, old, new)
    "summary": ("arms-control", "summary: >-\n  Possibly.", "summary: >-\n  Perhaps,\n  on balance."),
    "position": ("arms-control", "Makes the same offer as Washington", "Makes the very same offer as Washington"),
    "quote": ("nato-expansion", "text: red line", "text: a red line"),
    "quote context": ("nato-expansion", "how he has described the prospect", "how he has put the prospect"),
    "figure": ("missile-deployments", 'value: "5 minutes"', 'value: "five minutes"'),
    "figure label": ("missile-deployments", "label: time Putin says", "label: the time Putin says"),
    "change note": ("arms-control", "Brought up to date as the talks", "Updated as the talks"),
    "updated": ("arms-control", "updated: 2022-01-10", "updated: 2022-01-11"),
    "updated, no change notes": ("troop-buildup", "updated: 2022-01-10", "updated: 2022-01-12"),  # its feed's date
    "status": ("arms-control", "status: open to talks", "status: in talks"),
    "body": ("arms-control", "## The conditions", "## The conditions set"),
}


@pytest.mark.parametrize("what", list(SHOWN))
def test_an_edit_to_what_a_card_shows_of_itself_keys_no_page(
    example_site: Path, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    card, old, new = SHOWN[what]
    build(example_site, "cached")
    spy = Spy(monkeypatch)
    edit(example_site, card, old, new)
    built = tree(build(example_site, "cached"))
    assert spy.keyed == [0]
    assert 1 <= spy.rendered[0] < EXAMPLE_PAGES  # its own page, the home page, its actors' ...; not the rest
    assert built == clean(example_site)
    assert new.split()[-1].strip('"').encode() in built[f"issues/{card}/index.html"]
    # and again, on top of the pages it rendered without a key (the cache holds them under UNMADE)
    edit(example_site, card, new, old)
    assert tree(build(example_site, "cached")) == clean(example_site)
    assert spy.keyed[-1] == 0


def test_a_run_of_edits_of_every_kind_always_builds_a_clean_builds_files(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edits one after another, each on top of the last (pages rendered without a key by one shown-only build
    are kept or rendered again by the next, and every page is keyed again after another kind of edit), then
    undone in reverse."""
    build(example_site, "cached")
    spy = Spy(monkeypatch)
    shown = [SHOWN[what] for what in ("summary", "quote", "body", "figure", "change note")]
    steps = [*shown[:3], NOT_SHOWN["title"], *shown[3:], NOT_SHOWN["an actor named"]]
    for card, old, new in [*steps, *((card, new, old) for card, old, new in reversed(steps))]:
        edit(example_site, card, old, new)
        assert tree(build(example_site, "cached")) == clean(example_site), (card, new)
    assert spy.keyed.count(0) == 2 * len(shown) and spy.keyed.count(EXAMPLE_PAGES) == 4


NOT_SHOWN = {  # changes that other pages read: every page is keyed
    "title": ("arms-control", "title: Is there room", "title: Is there still room"),
    "order": ("arms-control", "order: 7", "order: 1"),
    "an actor named": ("arms-control", "actors: [united-states, nato, russia", "actors: [united-states, russia"),
    "a quote's speaker": ("nato-expansion", "  - by: ryabkov", "  - by: putin"),
    "a figure's source": ("missile-deployments", "    source: ap-explainer\nsources", "sources"),
    "a new link in a position": (
        "arms-control",
        "Makes the same offer as Washington",
        "Makes the same offer as [[putin]]",
    ),
}


@pytest.mark.parametrize("what", list(NOT_SHOWN))
def test_an_edit_other_pages_read_keys_every_page(example_site: Path, monkeypatch: pytest.MonkeyPatch,
                                                  what: str) -> None:  # fmt: skip
    card, old, new = NOT_SHOWN[what]
    build(example_site, "cached")
    spy = Spy(monkeypatch)
    edit(example_site, card, old, new)
    built = tree(build(example_site, "cached"))
    assert spy.keyed == [EXAMPLE_PAGES]
    assert built == clean(example_site)


def test_serve_links_and_plans_again_only_when_a_save_changes_more_than_what_cards_show(example_site: Path) -> None:
    """serve (relink.Relinker): a save link does not read reuses the linked site and plans again only the pages
    that read what changed; every save gives a clean build's files."""
    from explainer.diagnostics import Diagnostics
    from explainer.incremental.memory import BuildCache
    from explainer.pipeline import BuildOptions, render_site
    from explainer.serve.loop import preview_options

    folders = (example_site / "content", example_site / "out", example_site / "templates", example_site / "static")
    options = preview_options(BuildOptions(*folders))
    cache = BuildCache()
    assert render_site(options, Diagnostics(), cache) is not None
    saves = [(what, *SHOWN[what], False) for what in SHOWN] + [(what, *NOT_SHOWN[what], True) for what in NOT_SHOWN]
    for what, card, old, new, in_full in saves:
        for before, after in ((old, new), (new, old)):  # the save, then its undo
            edit(example_site, card, before, after)
            cached = render_site(options, Diagnostics(), cache)
            clean = render_site(options, Diagnostics())
            assert cached is not None and clean is not None and cached[0] == clean[0], what
            assert (cache.relink.change is None) == in_full, what
            assert cache.rendered < EXAMPLE_PAGES or in_full, what


def test_every_field_of_every_record_is_watched() -> None:
    """No list of fields: every dataclass of model.py has each of its fields watched (reads.watch walks
    dataclasses.fields), so a field added later is recorded when read. A record class left out of the watch()
    call in model.py fails here."""
    import dataclasses
    import inspect

    from explainer import model
    from explainer.reads import WATCHING, Watched

    WATCHING.install()  # done by the first recording of a process
    records = [cls for _, cls in inspect.getmembers(model, inspect.isclass)
               if dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__]  # fmt: skip
    assert len(records) >= 10
    unwatched = [(cls.__name__, f.name) for cls in records
                 for f in dataclasses.fields(cls) if not isinstance(cls.__dict__[f.name], Watched)]  # fmt: skip
    assert unwatched == []


def test_what_link_reads_is_recorded_not_listed() -> None:
    """link's reads of each kind of record (reads.shaped): what issue cards show only of themselves is not among
    them, what orders or relates records is; a body edit that keeps its links is no change to link."""
    import dataclasses

    from explainer.diagnostics import Diagnostics
    from explainer.incremental.changes import LINK, change_of
    from explainer.link import link
    from explainer.load import load_content
    from explainer.reads import same_shape, shaped
    from explainer.validate import validate

    diags = Diagnostics()
    records = validate(load_content(REPO / "content", diags), diags)
    _site, shape = shaped(lambda: link(records, diags, include_drafts=False))
    for read in (("Issue", "title"), ("Issue", "order"), ("Issue", "actors"), ("Quote", "by"), ("Text", "refs")):
        assert read in shape, read
    for unread in (("Issue", "summary"), ("Issue", "status"), ("Text", "source"), ("Figure", "value")):
        assert unread not in shape, unread
    issue = records.issues[0]
    body = dataclasses.replace(issue, body=dataclasses.replace(issue.body, source=issue.body.source + "\nMore."))
    assert same_shape(issue, body, shape)
    change = change_of([(issue, body)], {LINK: shape})
    assert change is not None and change.fields == {(issue.id, "body")}
    retitled = dataclasses.replace(issue, title=issue.title + "!")
    assert not same_shape(issue, retitled, shape) and change_of([(issue, retitled)], {LINK: shape}) is None


def test_the_view_files_are_their_makers_and_the_export(tmp_path: Path) -> None:
    from explainer.diagnostics import Diagnostics
    from explainer.link import link
    from explainer.load import load_content
    from explainer.validate import validate
    from explainer.views.files import EXPORT, export_file, export_parts, file_makers, view_files

    shutil.copytree(REPO / "content", tmp_path / "content")
    diags = Diagnostics()
    site = link(validate(load_content(tmp_path / "content", diags), diags), diags, include_drafts=False)
    assert site is not None
    for base in ("https://example.org/explainer/", "/"):
        made = view_files(site, base)
        assert {path: make() for path, make in file_makers(site, base).items()} | {EXPORT: made[EXPORT]} == made
        makers, lists = export_parts(site)
        assert export_file(makers["head"](), lists, lambda name, makers=makers: makers[name]()) == made[EXPORT]
        assert any(path.endswith("feed.xml") for path in made) == base.startswith("https")


def test_the_dep_table_drops_the_pairs_no_unit_reads_and_keeps_every_units_reads() -> None:
    """DepTable.compacted(): once most numbered (id, field) pairs are read by no stored unit (their ids gone),
    the table keeps only the read ones, and every unit, packed or not, still says the same reads."""
    from array import array

    from explainer.incremental.buildcache import PageEntry
    from explainer.incremental.changes import Change, DepTable
    from explainer.reads import Deps

    table = DepTable([(f"gone-{n}", "title") for n in range(150_000)])  # read by nothing stored now
    page = Deps(frozenset({("a", "title"), ("b", "body")}), frozenset({"graph"}))
    view = Deps(frozenset({("a", "summary")}))
    pages = {"a/index.html": PageEntry(b"k", (), table.pack(page))}
    views = {"data/previews.json": table.pack(view), "updates.xml": Deps(frozenset({("c", "changes")}))}
    keys = table.compacted(pages, views)
    assert len(keys) == 3

    def unpacked(deps: tuple[bytes, tuple[str, ...]]) -> Deps:
        return Deps(frozenset(keys[n] for n in array("I", deps[0])), frozenset(deps[1]))

    assert unpacked(pages["a/index.html"].deps) == page  # type: ignore[arg-type]
    assert unpacked(views["data/previews.json"]) == view  # type: ignore[arg-type]
    assert views["updates.xml"] == Deps(frozenset({("c", "changes")}))  # not packed yet: as it was
    stale = table.stale(Change(frozenset({("b", "body")}), frozenset()))
    assert stale(pages["a/index.html"].deps) and not stale(views["data/previews.json"])


def test_a_build_without_cache_records_no_reads(example_site: Path, tmp_path: Path) -> None:
    """`--no-cache` keeps nothing to compare reads with: no table is recorded and reads.py's descriptors stay out
    of the record classes, so every field reads at the slot's own speed (in a clean build at 5,000 cards the
    descriptors cost ~5 % of the CPU). A recording opened in such a build (a planner table's) puts them in."""
    import subprocess
    import sys

    script = ("import sys; from explainer import cli, reads; status = cli.main(sys.argv[1:]); "
              "print(status, reads.WATCHING.installed)")  # fmt: skip
    args = ["--content", str(example_site / "content"), "--output", str(tmp_path / "out"), "--no-search", "-q"]
    for cache, installed in ((["--no-cache"], False), ([], True)):
        done = subprocess.run([sys.executable, "-c", script, *args, *cache], cwd=example_site, capture_output=True,
                              text=True, check=True, env={**os.environ, "PYTHONPATH": str(REPO)})  # fmt: skip
        assert done.stdout.split() == ["0", str(installed)], (cache, done.stdout, done.stderr)
