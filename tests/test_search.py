"""Search in bundles (explainer/views/search.py): the merged bundles answer as one whole-site Pagefind index does,
in headless Chromium (tests/chromium.py); an edit re-indexes only its page's bundle; serve keeps them fresh.

The example site, with an actor whose name is in Cyrillic, built with bundles of at most 3 pages (the hidden
EXPLAINER_SEARCH_BUNDLE_PAGES), so each section is split into several.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import HAVE_CHROMIUM, Page, chromium, served
from conftest import REPO, example_in_one_language, run_build, run_main

from explainer.views import search
from explainer.views.bundles import SIZE_VARIABLE

PAGEFIND = search.pagefind_executable()
pytestmark = pytest.mark.skipif(PAGEFIND is None, reason="pagefind is not installed")
needs_chromium = pytest.mark.skipif(not HAVE_CHROMIUM, reason="Debian's chromium is not installed")

SIZE = "3"
ACTOR = """
zelensky:
  name: Володимир Зеленський
  kind: person
  role: President of Ukraine
  aliases: [Volodymyr Zelensky]
  summary: >-
    Elected in 2019, he asks [[nato]] for a date to join and visits Kyiv's
    front-line towns.
"""
CARD = "content/issues/nato-expansion.md"
BODY = "## What Russia is asking for"
QUERIES = (
    "Зеленський",  # a non-Latin name
    "Zelensky",
    "Putin",  # actor names
    "NATO",
    "Geneva",  # places
    "Brussels",
    "Kyiv",
    "Crimea",
    "missiles",  # words from bodies
    "sanctions",
    "inspections",
    "1997",
    "capybara",  # a word of one position: shown on the card's page and on the actor's
    "quagga",  # nowhere: no page
)


def site_with_search(root: Path) -> Path:
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, root / name)
    example_in_one_language(root)  # one language's bundles (tests/test_multilingual.py searches several)
    with open(root / "content/actors.yaml", "a", encoding="utf-8") as actors:
        actors.write(ACTOR)
    card = root / CARD
    text = card.read_text(encoding="utf-8")
    text = text.replace(BODY, f"[[zelensky]] spoke of an okapi-gazelle.\n\n{BODY}", 1)
    text = text.replace("road map to membership.", "road map to membership, a capybara pledge.", 1)  # NATO's position
    text = text.replace("door stays open.", "door stays open to an axolotl.", 1)  # the summary
    card.write_text(text, encoding="utf-8")
    return root


def build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SIZE_VARIABLE, SIZE)
        result = run_build(root, *args)
    assert result.returncode == 0, result.stderr
    assert "search" not in result.stderr, result.stderr
    return result


def bundles(output: Path) -> list[str]:
    return list(json.loads((output / search.MANIFEST).read_text(encoding="utf-8"))["bundles"])


def whole_index(output: Path, into: Path) -> None:
    """One Pagefind index of the same pages, the way the build made it before bundles."""
    site = into.parent.parent / f"{into.name}-site"
    for page in sorted(output.rglob("*.html")):
        target = site / page.relative_to(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(page, target)
    assert PAGEFIND is not None
    subprocess.run([str(PAGEFIND), "--site", str(site), "--output-path", str(into), "--silent"], check=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = site_with_search(tmp_path_factory.mktemp("search"))
    build(root)
    whole_index(root / "output", root / "output/whole")  # /whole/: a folder whose path holds no "pagefind"
    return root / "output"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    with chromium(tmp_path_factory.mktemp("profile")) as tab:
        yield tab


# Each query through the merged bundles, as explainer.js merges them, and through each other index given (the
# whole-site one): the URLs found, sorted.
COMPARE = """(async () => {
  const list = new URL('pagefind/explainer-bundles.json', location.origin + '/');
  const names = (await (await fetch(list)).json()).bundles;
  const paths = names.map((name) => new URL(name, list).pathname);
  const merged = await import(paths[0] + 'pagefind.js');
  for (const path of paths.slice(1)) await merged.mergeIndex(path);
  const indexes = [merged];
  for (const other of OTHERS) indexes.push(await import(other + 'pagefind.js'));
  const found = async (pagefind, query) => {
    const response = await pagefind.search(query);
    return (await Promise.all(response.results.map((r) => r.data()))).map((d) => d.url).sort();
  };
  const answers = {};
  for (const query of QUERIES) answers[query] = await Promise.all(indexes.map((index) => found(index, query)));
  return answers;
})()"""


def answers(page: Page, root: str, queries: tuple[str, ...], others: tuple[str, ...] = ("/whole/",)) -> Any:
    """{query: [the pages the merged bundles find, those each other index finds]}, from the search page."""
    page.open(root + "search/")
    script = COMPARE.replace("QUERIES", json.dumps(list(queries), ensure_ascii=False))
    return page.evaluate(script.replace("OTHERS", json.dumps(list(others))))


def test_pages_are_split_into_bundles_of_at_most_the_size(built: Path) -> None:
    names = bundles(built)
    assert names[0] == "actors-0/" and {n.split("-")[0] for n in names} == {"actors", "events", "issues"}
    assert len(names) >= 9
    counted = 0
    for name in names:
        entry = json.loads((built / "pagefind" / name / "pagefind-entry.json").read_text(encoding="utf-8"))
        count = entry["languages"]["en"]["page_count"]
        assert 1 <= count <= int(SIZE), name
        counted += count
    whole = json.loads((built / "whole/pagefind-entry.json").read_text(encoding="utf-8"))
    assert counted == whole["languages"]["en"]["page_count"]  # the same pages: issues, actors, events
    assert (built / "pagefind" / names[0] / "pagefind-ui.js").is_file()
    assert not any((built / "pagefind" / n / "pagefind.js").exists() for n in names[1:])


@needs_chromium
def test_merged_bundles_find_the_same_pages_as_one_whole_index(built: Path, page: Page) -> None:
    with served(built) as root:
        found = answers(page, root, QUERIES)
    for query, (merged, whole) in found.items():
        assert merged == whole, query
    assert {"/actors/zelensky/", "/issues/nato-expansion/"} <= set(found["Зеленський"][0])
    assert all(found[q][0] for q in QUERIES[:-1]) and found["quagga"] == [[], []]
    assert len({url for merged, _ in found.values() for url in merged}) > 2 * int(SIZE)  # from several bundles


def indexed_texts(output: Path) -> dict[str, str]:
    """What Pagefind indexed of each page, by URL: the content of each page's fragment in every bundle (a gzipped
    `pagefind_dcd` signature and JSON)."""
    texts = {}
    for fragment in sorted((output / "pagefind").glob("*/fragment/*.pf_fragment")):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        texts[data["url"]] = data["content"]
    return texts


def test_a_text_is_indexed_on_the_page_it_is_written_for_not_on_pages_that_repeat_it(built: Path) -> None:
    """NATO's actor page lists the mention of it in zelensky's summary and NATO's position on the card; the card's
    events list its summary: each is indexed once, where it was written (docs/views.md#search). Pagefind's search
    matches words loosely, so this reads what it indexed rather than what a query finds."""
    texts = indexed_texts(built)
    assert len(texts) > 20 and "/issues/nato-expansion/" in texts
    for word, url in (("Зеленський", "/actors/zelensky/"), ("capybara", "/issues/nato-expansion/"),
                      ("axolotl", "/issues/nato-expansion/")):  # fmt: skip
        assert word in texts[url]
    assert [url for url, text in texts.items() if "capybara" in text] == ["/issues/nato-expansion/"]
    assert [url for url, text in texts.items() if "axolotl" in text] == ["/issues/nato-expansion/"]
    assert "Зеленський" not in texts["/actors/nato/"]  # its "Mentioned in" list
    assert "capybara pledge" in (built / "actors/nato/index.html").read_text(encoding="utf-8")  # shown all the same
    assert "axolotl" in (built / "events/geneva-talks-2022/index.html").read_text(encoding="utf-8")


@needs_chromium
def test_the_search_box_shows_results_from_every_bundle(built: Path, page: Page) -> None:
    query = "Зеленський"
    with served(built) as root:
        expected = answers(page, root, (query,))[query][0]
        page.open(root + "search/")
        assert page.wait_for("!!document.querySelector('#search input')")
        page.evaluate(f"""(() => {{ const input = document.querySelector('#search input');
          input.value = '{query}'; input.dispatchEvent(new Event('input', {{bubbles: true}})); }})()""")
        links = "[...document.querySelectorAll('.pagefind-ui__result-link')]"
        assert page.wait_for(f"{links}.length === {len(expected)}")
        shown = page.evaluate(f"{links}.map(a => a.pathname)")
        counts = page.evaluate("document.querySelector('.pagefind-ui__filter-panel').innerText")
    assert sorted(shown) == expected and 2 <= len(expected) <= 5  # the UI shows five before "Load more"
    assert {path.split("/")[1] for path in shown} == {"actors", "issues"}  # from two sections' bundles at least
    assert "actor (1)" in counts and "issue (1)" in counts, counts  # the kind filter counts every bundle


def files_under(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino) for p in folder.rglob("*") if p.is_file()
    }


def reader(output: Path, read: list[str] | None = None,
           unchanged: Callable[[str], bool] | None = None) -> search.Source:  # fmt: skip
    """The pages of output as search.py reads them; each page read is noted in read."""

    def read_page(rel: str) -> bytes:
        if read is not None:
            read.append(rel)
        return (output / rel).read_bytes()

    return search.Source(read_page, lambda rel, target: os.link(output / rel, target), unchanged)


def test_a_build_after_an_edit_reads_only_the_pages_it_wrote_and_stamps_as_if_it_read_all(built: Path) -> None:
    """plan_index with `unchanged` (build, into an output as the last build left it) reads the changed pages and
    the bundles holding them; every stamp is the one a digest of every page gives (a cache is never wrong)."""
    assert PAGEFIND is not None
    pages = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.html"))
    full = search.plan_index(pages, reader(built), PAGEFIND, int(SIZE), None)
    for bundle in full.bundles:
        assert (built / bundle.folder / search.STAMP).read_text(encoding="utf-8") == full.stamps[bundle.name]
    read: list[str] = []
    none_changed = search.plan_index(pages, reader(built, read, lambda rel: True), PAGEFIND, int(SIZE), built)
    assert none_changed.stamps == full.stamps and none_changed.bundles == full.bundles
    assert read == ["actors/map/index.html"]  # a path like an actor's, but unmarked: read to know it
    edited = "issues/nato-expansion/index.html"
    read.clear()
    one_changed = search.plan_index(pages, reader(built, read, lambda rel: rel != edited), PAGEFIND, int(SIZE), built)
    home = next(b for b in full.bundles if edited in b.pages)
    assert one_changed.stamps == full.stamps  # the bytes are the same here: the stamp made again equals it
    assert sorted(read) == sorted({"actors/map/index.html", *home.pages})
    page = built / edited
    data = page.read_bytes()
    try:
        page.write_bytes(data.replace(b"okapi", b"tapir"))
        changed = search.plan_index(pages, reader(built, None, lambda rel: rel != edited), PAGEFIND, int(SIZE), built)
    finally:
        page.write_bytes(data)
    assert {name for name in full.stamps if changed.stamps[name] != full.stamps[name]} == {home.name}
    # the last output's bundles are taken as the plan only for the size they were planned with
    smaller = search.plan_index(pages, reader(built, None, lambda rel: True), PAGEFIND, 2, built)
    assert smaller.bundles == search.plan_index(pages, reader(built), PAGEFIND, 2, None).bundles != full.bundles


def test_an_edit_indexes_only_its_pages_bundle_and_the_search_finds_the_new_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "pagefind-runs.txt"
    wrapper = tmp_path / "pagefind"  # counts Pagefind's runs: one per bundle indexed
    wrapper.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{PAGEFIND}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_executable", lambda: wrapper)
    monkeypatch.setenv(SIZE_VARIABLE, SIZE)
    root = site_with_search(tmp_path / "site")
    assert run_main(root).returncode == 0  # with the build cache, as users build
    output = root / "output"
    first_runs = len(log.read_text().splitlines())
    assert first_runs == len(bundles(output))
    before = files_under(output / "pagefind")
    card = root / CARD
    card.write_text(card.read_text(encoding="utf-8").replace("okapi-gazelle", "wombat-heron"), encoding="utf-8")
    result = run_main(root)
    assert result.returncode == 0 and "search" not in result.stderr, result.stderr
    assert len(log.read_text().splitlines()) == first_runs + 1  # one bundle indexed again
    after = files_under(output / "pagefind")
    changed = {rel.split("/")[0] for rel in before.keys() ^ after.keys()}
    changed |= {rel.split("/")[0] for rel in before.keys() & after.keys() if before[rel] != after[rel]}
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    plan = search.plan_index(pages, reader(output), wrapper, int(SIZE), None)  # every page read and digested
    home = next(b.name for b in plan.bundles if "issues/nato-expansion/index.html" in b.pages)
    assert changed == {home}, changed  # every other bundle kept as it was: same bytes, same file
    for bundle in plan.bundles:  # each stamp the edit's build wrote or kept is what the pages' bytes give
        assert (output / bundle.folder / search.STAMP).read_text(encoding="utf-8") == plan.stamps[bundle.name]
    if HAVE_CHROMIUM:
        whole_index(output, output / "whole")
        with chromium(tmp_path / "profile") as tab, served(output) as url:
            found = answers(tab, url, ("wombat", "okapi", "Zelensky"))
        assert found["wombat"] == [["/issues/nato-expansion/"]] * 2
        assert found["okapi"] == [[], []]
        assert found["Zelensky"][0] == found["Zelensky"][1] != []


@needs_chromium
def answers_meanwhile(tab: Page, url: str, queries: tuple[str, ...]) -> Any:
    """answers() while serve may be replacing a bundle: a search that read the old entry and then asks for one of
    its fragments just deleted fails once (as a reader's would, whose page then reloads), and the tab's own
    livereload script may reload the page under the query after a save; None, to ask again."""
    try:
        return answers(tab, url, queries, ())
    except RuntimeError as error:
        transient = ("invalid gzip data", "Failed to fetch", "Inspected target navigated or closed")
        if any(words in str(error) for words in transient):
            return None
        raise


def test_serve_indexes_the_site_and_a_saved_card_is_found_within_seconds(tmp_path: Path) -> None:
    from test_serve import LiveReloadClient, Server

    root = site_with_search(tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SIZE_VARIABLE, SIZE)
        server = Server(root)  # search on, as `python build.py serve` runs
    try:
        url = f"http://127.0.0.1:{server.port}/"
        deadline = time.monotonic() + 60
        while not (server.output / search.MANIFEST).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(bundles(server.output)) >= 9, server.stderr  # made after the first build, in a thread
        client = LiveReloadClient(server.port, url)
        with chromium(tmp_path / "profile") as tab:
            assert answers(tab, url, ("okapi",), ())["okapi"] == [["/issues/nato-expansion/"]]
            card = root / CARD
            card.write_text(card.read_text(encoding="utf-8").replace("okapi-gazelle", "wombat-heron"), encoding="utf-8")
            saved = time.monotonic()
            message = client.next()
            assert message is not None and message["command"] == "reload"
            reloaded = time.monotonic() - saved
            while (found := answers_meanwhile(tab, url, ("wombat", "okapi"))) != {
                "wombat": [["/issues/nato-expansion/"]],
                "okapi": [[]],
            } and time.monotonic() - saved < 30:
                time.sleep(0.2)
            seconds = time.monotonic() - saved
        client.close()
        assert found == {"wombat": [["/issues/nato-expansion/"]], "okapi": [[]]}
        print(f"save → reload {reloaded:.2f} s, save → found by the search {seconds:.2f} s")
        assert seconds < 15  # ~1-2 s on an idle machine; the issue asks for 5 s at 5,000 cards
    finally:
        status, stderr = server.stop()
    assert status == 0 and "Traceback" not in stderr and "search:" not in stderr, stderr


def test_serve_without_pagefind_says_so_once_and_serves(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from explainer.serve.searchlive import LiveIndex

    index = LiveIndex(tmp_path, None)
    index.update({"issues/a/index.html": b"<main data-pagefind-body>A</main>"})
    index.stop()
    assert index.thread is None and not (tmp_path / "pagefind").exists()
    assert capsys.readouterr().err == (
        "search: note: Pagefind is not installed, so the preview has no search (pip install 'pagefind[bin]==1.5.2')\n"
    )
