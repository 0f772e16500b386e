"""A site published in several languages (`languages: [en, es, fa]`): each other language's whole site under
/<lang>/, a language switcher, reciprocal hreflang alternates, sitemap alternates, per-language feeds, exports
and search, the untranslated note; and a one-language site as it was."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO, example_in_one_language, run_main, soup
from tests.test_serve import LiveReloadClient, Server, edit

LANGUAGES = ("en", "es", "fa")
PREFIX = {"en": "", "es": "es/", "fa": "fa/"}
BASE = "https://example.org/"
CARD = "content/issues/nato-expansion.md"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def set_languages(site: Path, languages: str | None) -> None:
    """`languages:` as given (None: taken out). The example is written in en and es: a list without es makes it
    a one-language site first (its Spanish translations and texts out), as a writer would."""
    if languages is None or "es" not in languages:
        example_in_one_language(site)
    path = site / "content" / "site.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("languages:")]
    if languages is not None:
        lines.append(f"languages: {languages}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(site: Path, output: str = "output", *args: str) -> Path:
    done = run_main(site, "--no-cache", "--no-search", "--output", output, *args)
    assert done.returncode == 0, done.stderr
    return site / output


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def pages_of(folder: Path) -> list[str]:
    """The default language's pages (output paths), without the other languages' folders."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*.html")
        if p.relative_to(folder).parts[0] not in ("es", "fa", "pagefind")
    )


def url_of(rel: str) -> str:
    """The page URL of an output path: `issues/x/index.html` → `issues/x/`."""
    return rel.removesuffix("index.html")


@pytest.fixture
def multilingual(example_site: Path) -> Path:
    set_languages(example_site, "[en, es, fa]")
    return build(example_site)


def test_each_other_language_has_the_whole_site_under_its_folder(multilingual: Path) -> None:
    root = pages_of(multilingual)
    assert len(root) > 40
    for language in ("es", "fa"):
        assert pages_of(multilingual / language) == root, language  # every page, at the same place
        for view in ("feed.xml", "updates.xml", "data/explainer.json", "data/previews.json", "events/timeline.json",
                     "issues/nato-expansion/feed.xml"):  # fmt: skip
            assert (multilingual / language / view).is_file(), (language, view)
        assert not (multilingual / language / "static").exists()  # shared at the root
        assert not (multilingual / language / "robots.txt").exists()
        assert not (multilingual / language / "sitemap.xml").exists()  # one sitemap lists every language


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("es", "ltr"), ("fa", "rtl")])
def test_every_page_has_its_languages_lang_dir_words_and_prefixed_links(multilingual: Path, language: str,
                                                                        direction: str) -> None:  # fmt: skip
    folder = multilingual / PREFIX[language]
    for rel in pages_of(multilingual):
        page = soup(folder / rel)
        html = page.find("html")
        assert (html["lang"], html["dir"]) == (language, direction), rel
        if rel != "404.html":
            canonical = page.find("link", rel="canonical")["href"]
            assert canonical == BASE + PREFIX[language] + url_of(rel), rel
        for link in page.select("main a[href], .site-nav:not(.language-nav) a[href]"):
            href = link["href"]
            if href.startswith("/") and not href.startswith("//"):
                assert href.startswith("/" + PREFIX[language]), (rel, href)  # within the reader's language
        for asset in page.select("link[rel=stylesheet], script[src]"):
            ref = asset.get("href") or asset["src"]
            assert ref.startswith("/static/") and (multilingual / ref.lstrip("/")).is_file(), (rel, ref)
        ld = page.find("script", type="application/ld+json")
        data = json.loads(ld.string) if ld is not None else {}
        if "url" in data and rel != "404.html":
            assert data["url"] == BASE + PREFIX[language] + url_of(rel), rel
    home = soup(folder / "index.html")
    search = {"en": "Search", "es": "Buscar", "fa": "جست‌وجو"}[language]
    assert home.select_one(".site-nav a[href$='search/']").get_text() == search
    # dates in the language's locale (the footer's "Updated" date)
    footer = home.select_one(".site-footer time").get_text()
    assert footer == {"en": "10 January 2022", "es": "10 de enero de 2022", "fa": "10 ژانویه 2022"}[language]


def test_the_switcher_links_every_language_marking_the_current_one(multilingual: Path) -> None:
    for language in LANGUAGES:
        for rel in pages_of(multilingual):
            nav = soup(multilingual / PREFIX[language] / rel).select_one("nav.language-nav")
            assert nav is not None and nav["aria-label"], (language, rel)
            links = nav.find_all("a")
            assert [(a["hreflang"], a["lang"]) for a in links] == [(tag, tag) for tag in LANGUAGES]
            assert [a["hreflang"] for a in links if a.get("aria-current") == "page"] == [language]
            for link in links:
                target = link["href"].lstrip("/")
                assert target == PREFIX[link["hreflang"]] + url_of(rel), (language, rel)
                assert (multilingual / target / ("" if target.endswith(".html") else "index.html")).is_file()
            assert [a.get_text() for a in links] == ["English", "Español", "فارسی"]
            assert links[2]["dir"] == "rtl"


def alternates(page: Path) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in soup(page).find_all("link", rel="alternate", hreflang=True)}


def test_hreflang_alternates_are_reciprocal(multilingual: Path) -> None:
    for rel in pages_of(multilingual):
        if rel == "404.html":
            assert alternates(multilingual / rel) == {}
            continue
        url = {language: BASE + PREFIX[language] + url_of(rel) for language in LANGUAGES}
        found = {language: alternates(multilingual / PREFIX[language] / rel) for language in LANGUAGES}
        for a in LANGUAGES:
            assert found[a]["x-default"] == url["en"]
            assert found[a][a] == url[a]  # a page lists itself
            for b in LANGUAGES:
                assert found[a][b] == url[b], (rel, a, b)  # A lists B ...
                assert found[b][a] == url[a], (rel, a, b)  # ... and B lists A


def test_the_sitemap_lists_every_language_with_alternates_and_validates(multilingual: Path) -> None:
    lxml = pytest.importorskip("lxml.etree")
    schema = lxml.XMLSchema(lxml.parse(str(REPO / "tests" / "data" / "sitemap-alternates.xsd")))  # strict
    document = lxml.parse(str(multilingual / "sitemap.xml"))
    assert schema.validate(document), schema.error_log
    tree = ET.parse(multilingual / "sitemap.xml").getroot()
    locs: dict[str, dict[str, str]] = {}
    for url in tree.findall(f"{SITEMAP}url"):
        links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        assert all(link.get("rel") == "alternate" for link in url.findall(f"{XHTML}link"))
        locs[url.findtext(f"{SITEMAP}loc") or ""] = links
    pages = [rel for rel in pages_of(multilingual) if rel != "404.html"]
    assert len(locs) == 3 * len(pages)
    for rel in pages:
        for language in LANGUAGES:
            loc = BASE + PREFIX[language] + url_of(rel)
            assert loc in locs, loc
            assert (multilingual / urlsplit(loc).path.lstrip("/") / "index.html").is_file() or rel.endswith(".html")
            assert locs[loc] == {
                **{t: BASE + PREFIX[t] + url_of(rel) for t in LANGUAGES},
                "x-default": BASE + url_of(rel),
            }


def test_feeds_and_exports_are_per_language(multilingual: Path) -> None:
    for language in ("es", "fa"):
        folder = multilingual / language
        feed = ET.parse(folder / "feed.xml").getroot()
        atom = "{http://www.w3.org/2005/Atom}"
        assert feed.findtext(f"{atom}id") == f"{BASE}{language}/"
        entries = [link.get("href") for link in feed.iter(f"{atom}link") if link.get("rel") == "alternate"]
        assert entries and all(href.startswith(f"{BASE}{language}/") for href in entries)
        updates = (folder / "updates.xml").read_text(encoding="utf-8")
        assert f"{BASE}{language}/issues/" in updates and f'<link href="{BASE}issues/' not in updates
        export = json.loads((folder / "data" / "explainer.json").read_bytes())
        assert export["site"]["base_url"] == f"{BASE}{language}/"
        assert export["site"]["language"] == language
    english = json.loads((multilingual / "data" / "explainer.json").read_bytes())
    assert english["site"]["base_url"] == BASE and english["site"]["language"] == "en"


def test_an_untranslated_page_says_so_and_marks_its_texts_with_the_default_language(multilingual: Path) -> None:
    translated = soup(multilingual / "es" / "issues" / "nato-expansion" / "index.html")  # translated in the example
    assert translated.select_one(".untranslated-note") is None
    heading = translated.find("h1")
    assert heading.get_text() == "¿Dejará la OTAN de crecer hacia el este?" and not heading.get("lang")
    page = soup(multilingual / "es" / "issues" / "pace-of-talks" / "index.html")  # and not this one
    note = page.select_one(".untranslated-note")
    assert note is not None and note.get_text() == "Esta página aún no está traducida: se muestra en inglés."
    assert page.find("h1")["lang"] == "en" and page.find("h1")["dir"] == "ltr"
    assert page.select_one(".lede")["lang"] == "en"
    body = page.select_one("section.body > div[lang]")
    assert body is not None and body["lang"] == "en" and body.find("h2") is not None
    persian = soup(multilingual / "fa" / "actors" / "russia" / "index.html")  # its name is given in en and es only
    assert persian.find("html")["dir"] == "rtl"
    assert persian.find("h1")["lang"] == "en" and persian.find("h1")["dir"] == "ltr"  # inside a right-to-left page
    assert "زبان متن" in persian.select_one(".untranslated-note").get_text()
    for rel in pages_of(multilingual):  # the default language's pages are its own
        english = soup(multilingual / rel)
        assert english.select_one(".untranslated-note") is None, rel
        assert not english.select("main [lang='en']"), rel
    lists = soup(multilingual / "es" / "index.html")  # only an entity's own page carries the note
    assert lists.select_one(".untranslated-note") is None
    titles = lists.select(".issue-list h3 a > span") or lists.select("h3 a > span")
    assert len(titles) == 6 and all((t["lang"], t["dir"]) == ("en", "ltr") for t in titles)  # its texts are marked
    assert "¿Dejará la OTAN de crecer hacia el este?" in [a.get_text() for a in lists.select("h3 a")]
    home = soup(multilingual / "fa" / "index.html")  # the site's own texts, as site.yaml has them in English
    assert [(e["lang"], e["dir"]) for e in home.select(".home-header h1, .home-header .lede, a.brand")] == [
        ("en", "ltr")
    ] * 3
    assert soup(multilingual / "index.html").select_one("a.brand").get("lang") is None
    matrix = soup(multilingual / "fa" / "positions" / "index.html")
    assert {a.span["lang"] for a in matrix.select("thead th a")} == {"en"}


def test_a_one_language_site_is_unchanged(example_site: Path) -> None:
    set_languages(example_site, None)  # the example in English alone
    plain = build(example_site, "plain")
    set_languages(example_site, "[en]")
    listed = build(example_site, "listed")
    assert files_of(plain) == files_of(listed)
    assert not (plain / "es").exists()
    page = soup(plain / "issues" / "nato-expansion" / "index.html")
    assert page.select_one("nav.language-nav") is None
    assert page.find("link", hreflang=True) is None
    assert b"xhtml" not in (plain / "sitemap.xml").read_bytes()


def test_relative_links_of_another_language_reach_its_pages_and_the_shared_static_files(example_site: Path) -> None:
    set_languages(example_site, "[en, es]")
    output = build(example_site, "output", "--relative-urls")
    page = soup(output / "es" / "issues" / "nato-expansion" / "index.html")
    where = output / "es" / "issues" / "nato-expansion"
    stylesheet = page.find("link", rel="stylesheet")["href"]
    assert stylesheet.startswith("../../../static/") and (where / stylesheet).resolve().is_file()
    switch = {a["hreflang"]: a["href"] for a in page.select("nav.language-nav a")}
    assert switch == {
        "en": "../../../issues/nato-expansion/index.html",
        "es": "../../../es/issues/nato-expansion/index.html",
    }
    for link in page.select("main a[href]"):
        href = link["href"].split("#")[0]
        if href and not re.match(r"[a-z]+:", href):
            target = (where / href).resolve()
            assert target.is_file() and (output / "es") in target.parents, href


def test_build_check_finds_no_broken_link_in_a_multilingual_site(example_site: Path) -> None:
    set_languages(example_site, "[en, es, fa]")
    done = run_main(example_site, "check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_cached_builds_equal_a_clean_build_as_languages_and_cards_change(example_site: Path) -> None:
    steps: list[tuple[str | None, tuple[str, str] | None]] = [
        ("[en, es]", None),
        ("[en, es, fa]", None),
        (None, ("summary: ", "summary: Edited. ")),  # a card's summary: its page in every language
        ("[en, fa]", None),
        (None, None),
    ]
    for n, (languages, change) in enumerate(steps):
        if languages is not None:
            set_languages(example_site, languages)
        elif change is not None:
            edit(example_site / CARD, *change)
        else:
            set_languages(example_site, None)
        cached = run_main(example_site, "--no-search", "--output", "cached")
        assert cached.returncode == 0, cached.stderr
        clean = build(example_site, f"clean-{n}")
        assert files_of(example_site / "cached") == files_of(clean), (n, languages, change)
    assert not (example_site / "cached" / "es").exists()


def test_serve_serves_another_languages_pages_and_reloads_them(example_site: Path) -> None:
    set_languages(example_site, "[en, es]")
    server = Server(example_site, "--no-search")
    try:
        status, _, page = server.get("/es/issues/pace-of-talks/")
        assert status == 200 and '<html lang="es" dir="ltr">' in page
        client = LiveReloadClient(server.port, f"http://127.0.0.1:{server.port}/es/issues/pace-of-talks/")
        edit(
            example_site / "content/issues/pace-of-talks.md",  # not translated: /es/ shows its English text
            "## A crowded week",
            "Marked zebra-crossing-43.\n\n## A crowded week",
        )
        message = client.next()
        assert message is not None and message["command"] == "reload"
        assert "zebra-crossing-43" in server.get("/es/issues/pace-of-talks/")[2]
        client.close()
        clean = build(example_site, "clean", "--drafts")
        for rel in ("es/data/explainer.json", "es/updates.xml", "sitemap.xml"):  # pages: serve's static names differ
            assert server.get("/" + rel)[2] == (clean / rel).read_text(encoding="utf-8"), rel
    finally:
        status, stderr = server.stop()
    assert status == 0 and "Traceback" not in stderr, stderr


def test_each_language_is_searched_in_its_own_index(example_site: Path) -> None:
    from explainer.views.search import pagefind_executable

    if pagefind_executable() is None:
        pytest.skip("Pagefind is not installed")
    set_languages(example_site, "[en, es]")
    done = run_main(example_site, "--no-cache", "--output", "output")
    assert done.returncode == 0, done.stderr
    output = example_site / "output"
    search = soup(output / "es" / "search" / "index.html").select_one("#search")
    assert search["data-index"] == "/es/pagefind/explainer-bundles.json"
    for prefix, language in (("", "en"), ("es/", "es")):
        listed = json.loads((output / prefix / "pagefind" / "explainer-bundles.json").read_bytes())["bundles"]
        assert listed
        for bundle in listed:
            entry = json.loads((output / prefix / "pagefind" / bundle / "pagefind-entry.json").read_bytes())
            assert list(entry["languages"]) == [language], (prefix, bundle)
            stamp = (output / prefix / "pagefind" / bundle / "explainer-index.txt").read_text(encoding="utf-8")
            pages = stamp.splitlines()[2:]
            assert pages and all(p.startswith(prefix) and not p.startswith(("es/es", "fa/")) for p in pages)
    entry = output / "es" / "pagefind" / listed[0] / "pagefind-entry.json"
    before = entry.stat().st_mtime_ns
    again = run_main(example_site, "--output", "output")  # the same pages: each language's bundles are kept
    assert again.returncode == 0, again.stderr
    assert entry.stat().st_mtime_ns == before


# The differential test (tests/test_differential.py) runs through sites in several languages.


def languages_in(files: dict[str, bytes]) -> list[str]:
    import yaml

    data = yaml.safe_load(files["content/site.yaml"])
    return list(data.get("languages") or [])


def test_the_default_differential_run_builds_sites_in_several_languages(tmp_path: Path) -> None:
    from tests.difftest import Sequence
    from tests.test_differential import DEFAULT_SEEDS, DEFAULT_STEPS

    several = 0
    for seed in DEFAULT_SEEDS:
        sequence = Sequence(seed, tmp_path / str(seed))
        for _ in range(DEFAULT_STEPS):
            sequence.number += 1
            _edits, override = sequence.edits()
            if override is None and len(languages_in(sequence.content.files())) > 1:
                several += 1
    assert several >= 10, several


def test_cached_build_and_serve_equal_clean_builds_as_languages_and_texts_change(tmp_path: Path) -> None:
    from tests.difftest import run_sequence

    kinds = ["site.languages", "site.language", "issue.summary", "actor.name", "event.title", "issue.body:ref"]
    sequence = run_sequence(11, 8, tmp_path, jobs="1", kinds=kinds)
    assert sequence.counts["site.languages"] >= 2


def test_another_languages_pages_rendered_by_worker_processes_equal_one_process(tmp_path: Path) -> None:
    from explainer.parallel.previewpool import PARALLEL_MIN
    from tests.conftest import generated_site

    site = generated_site(tmp_path, 130)
    set_languages(site, "[en, es]")
    one = build(site, "one", "--jobs", "1")
    spread = build(site, "spread", "--jobs", "2")  # the other language's pages over forked workers
    assert len(pages_of(one / "es")) >= PARALLEL_MIN
    assert files_of(one) == files_of(spread)


def test_a_base_url_sub_path_carries_each_languages_folder(example_site: Path) -> None:
    set_languages(example_site, "[en, fa]")
    output = build(example_site, "output", "--base-url", "https://news.example.com/sub/")
    page = soup(output / "fa" / "events" / "index.html")
    assert page.find("link", rel="canonical")["href"] == "https://news.example.com/sub/fa/events/"
    assert page.find("link", rel="stylesheet")["href"].startswith("/sub/static/")
    assert page.select_one(".site-nav:not(.language-nav) a[href$='search/']")["href"] == "/sub/fa/search/"
    assert {a["hreflang"]: a["href"] for a in page.select("nav.language-nav a")} == {
        "en": "/sub/events/",
        "fa": "/sub/fa/events/",
    }
    assert alternates(output / "fa" / "events" / "index.html")["x-default"] == "https://news.example.com/sub/events/"
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://news.example.com/sub/fa/events/</loc>" in sitemap


def test_serves_search_index_keeps_each_language_apart_and_drops_a_language_no_longer_published(
    example_site: Path, tmp_path: Path
) -> None:
    from explainer.serve.searchlive import LiveIndex
    from explainer.views.search import pagefind_executable

    executable = pagefind_executable()
    if executable is None:
        pytest.skip("Pagefind is not installed")
    set_languages(example_site, "[en, es]")
    files = files_of(build(example_site))
    served = tmp_path / "served"
    served.mkdir()
    index = LiveIndex(served, executable, quiet=True)
    index.refresh(files)
    for prefix, language in (("", "en"), ("es/", "es")):
        listed = json.loads((served / prefix / "pagefind" / "explainer-bundles.json").read_bytes())["bundles"]
        entry = json.loads((served / prefix / "pagefind" / listed[0] / "pagefind-entry.json").read_bytes())
        assert list(entry["languages"]) == [language]
    index.refresh({path: data for path, data in files.items() if not path.startswith("es/")})
    assert not (served / "es" / "pagefind" / "explainer-bundles.json").exists()
    assert not [p for p in (served / "es").rglob("*") if p.is_file()]
    assert (served / "pagefind" / "explainer-bundles.json").is_file()
