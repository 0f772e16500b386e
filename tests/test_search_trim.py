"""Pagefind indexes trimmed copies of the pages (search.trimmed: the `<html>` tag, the title and the
`data-pagefind-body` element less the ignored parts it need not read), and writes the very bundles the whole
pages give, every byte: on the example site (two languages), on a generated corpus with Cyrillic and Persian
text, and on the Persian right-to-left site; and for hand-made pages that put what Pagefind reads where a
trim could lose it, trimmed() either gives up (None) or Pagefind's bundle is still the same."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, generated_site, run_main

from explainer.views import search
from explainer.views.bundles import SIZE_VARIABLE
from explainer.views.search import MARK

PAGEFIND = search.pagefind_executable()
pytestmark = pytest.mark.skipif(PAGEFIND is None, reason="pagefind is not installed")

CYRILLIC = """
zelensky:
  name: Володимир Зеленський
  kind: person
  summary: >-
    Избран в 2019 году; a name and a summary in Cyrillic, searched as words.
"""
PERSIAN = "\n\nکشاورزان دشت نارون می‌گویند سهم آب آنان کم شده است؛ [[zelensky]] پاسخ داد.\n"


def example(root: Path) -> Path:
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, root / name)
    return root


def generated(root: Path) -> Path:
    generated_site(root, 40)
    with open(root / "content/actors.yaml", "a", encoding="utf-8") as actors:
        actors.write(CYRILLIC)
    card = next(iter(sorted((root / "content/issues").glob("*.md"))))
    card.write_text(card.read_text(encoding="utf-8") + PERSIAN, encoding="utf-8")
    return root


def persian(root: Path) -> Path:
    shutil.copytree(REPO / "tests/data/rtl-site/content", root / "content")
    for name in ("templates", "static"):
        shutil.copytree(REPO / name, root / name)
    return root


def bundles(output: Path) -> dict[str, bytes]:
    """Every file of every language's search bundles, by output path."""
    found = [*output.glob("pagefind/**/*"), *output.glob("*/pagefind/**/*")]
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in found if path.is_file()}


def built(root: Path, name: str) -> Path:
    result = run_main(root, "--no-cache", "--output", name, "-q")
    assert result.returncode == 0, result.stderr
    return root / name


@pytest.mark.parametrize("make", [example, generated, persian])
def test_pagefind_writes_the_same_bundles_from_the_trimmed_pages(tmp_path: Path, make: object,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    root = make(tmp_path)  # type: ignore[operator]
    monkeypatch.setenv(SIZE_VARIABLE, "8")  # several bundles a section: merged ones as well as the primary
    trim = built(root, "trimmed")
    with monkeypatch.context() as patch:
        patch.setattr(search, "trimmed", lambda page: None)  # every page placed whole, as before
        whole = built(root, "whole")
    made = bundles(trim)
    assert any(path.endswith(".pf_fragment") for path in made)
    assert made.keys() == bundles(whole).keys()
    differing = [path for path, data in made.items() if bundles(whole)[path] != data]
    assert differing == []
    # and the pages were trimmed, of every kind: a tenth to a half of each page at most is left to parse
    for kind in ("issues", "actors", "events"):
        pages = [page for page in sorted(trim.glob(f"**/{kind}/*/index.html")) if MARK in page.read_bytes()]
        assert pages
        for page in pages:
            data = page.read_bytes()
            cut = search.trimmed(data)
            assert cut is not None and len(cut) < len(data) * 0.8, page


# Pages that put what Pagefind reads outside the body element, or in an ignored element, or hide tags in raw text.
# At most one filter a page: with two filter keys Pagefind 1.5.2 orders its filter file differently run to run, the
# same page too (docs/views.md, Determinism); a site's bundle holds one section, so one filter value.
HEAD = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Page title</title>{head}</head>\n'
MAIN = '<main data-pagefind-body data-pagefind-meta="kind:issue">\n<h1>Zebra crossing</h1>\n{main}\n</main>\n'
PAGES: dict[str, tuple[str, str, str, str]] = {  # name: (in the head, before main, in main, after main)
    "plain": ("", "<header><nav><a href='/'>Home</a></nav></header>", "<p>Okapi herds.</p>", "<footer>f</footer>"),
    "meta in the header": ("", "<p data-pagefind-meta='author:Ann'>Ann</p>", "<p>Okapi.</p>", ""),
    "filter after main": ("", "", "<p>Okapi.</p>", "<p data-pagefind-filter='topic:water'>x</p>"),
    "image after main": ("", "", "<p>Okapi.</p>", "<img src='/a.png' alt='A'>"),
    "meta in the head": ("<meta data-pagefind-meta='date[content]' content='2024'>", "", "<p>Okapi.</p>", ""),
    "open comment": ("", "<!-- <main data-pagefind-body> -->", "<p>Okapi.</p>", ""),
    "ignored holds a filter": (
        "",
        "",
        "<p>Okapi.</p><aside data-pagefind-ignore><span data-pagefind-filter='tag:red'>red</span> gnu</aside>",
        "",
    ),
    "ignored holds an image": ("", "", "<aside data-pagefind-ignore><img src='/b.png' alt='B'></aside><p>O.</p>", ""),
    "ignored holds meta": ("", "", "<section data-pagefind-ignore><p data-pagefind-meta='x'>x</p></section>", ""),
    "ignored all": (
        "",
        "",
        "<p>Okapi.</p><section data-pagefind-ignore='all'><h2 id='s'>Skip</h2>quagga</section>",
        "",
    ),
    "nested ignored": (
        "",
        "",
        "<section data-pagefind-ignore><section><p>a</p></section>"
        "<figure data-pagefind-ignore><svg><text>t</text></svg></figure></section><p>Okapi.</p>",
        "",
    ),
    "svg title in ignored": ("", "", "<figure data-pagefind-ignore><svg><title>t</title></svg></figure><p>O.</p>", ""),
    "ignored then text": ("", "", "<p>Ok<span data-pagefind-ignore>ap</span>i gnu<br>yak</p>", ""),
    "script in main": (
        "",
        "",
        "<script>var s = '<section data-pagefind-ignore>';</script><p>Okapi.</p>"
        "<section data-pagefind-ignore>quagga</section>",
        "",
    ),
    "comment in main": (
        "",
        "",
        "<!-- </aside> --><aside data-pagefind-ignore>quagga <!-- </aside> --> zorilla</aside><p>Okapi.</p>",
        "",
    ),
    "upper case": (
        "",
        "<P DATA-PAGEFIND-META='who:Bo'>Bo</P>",
        "<SECTION DATA-PAGEFIND-IGNORE>quagga</SECTION><p>Okapi.</p>",
        "",
    ),
    "attribute named alike": ("", "", "<p title='data-pagefind-ignore'>Okapi</p><p data-pagefind-ignored>gnu</p>", ""),
    "anchors": (
        "",
        "<header id='top'>t</header>",
        "<h2 id='a'>Alpha</h2><p>Okapi.</p>"
        "<div data-pagefind-ignore><h3 id='b'>Beta</h3></div><h2 id='c'>Gamma</h2><p>Yak.</p>",
        "",
    ),
    "no h1": ("", "", "<p>Okapi.</p>", ""),
}


def page_bytes(head: str, before: str, main: str, after: str, name: str) -> bytes:
    body = MAIN.format(main=main) if name != "no h1" else MAIN.replace("<h1>Zebra crossing</h1>", "").format(main=main)
    return (HEAD.format(head=head) + f"<body>\n{before}\n{body}{after}\n</body>\n</html>\n").encode("utf-8")


def pagefind_bundle(root: Path, pages: dict[str, bytes]) -> dict[str, bytes]:
    site = root / "site"
    for rel, data in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    assert PAGEFIND is not None
    subprocess.run([str(PAGEFIND), "--site", str(site), "--output-path", str(root / "bundle"), "--silent"], check=True)
    return {rel: path.read_bytes() for rel, path in search.bundle_files(root / "bundle")}


@pytest.fixture
def counter() -> Iterator[list[int]]:
    yield [0]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_trimmed_page_gives_pagefind_the_same_bundle_or_is_left_whole(tmp_path: Path, name: str) -> None:
    page = page_bytes(*PAGES[name], name)
    cut = search.trimmed(page)
    expected = {
        "plain": True, "meta in the header": False, "filter after main": False, "image after main": False,
        "meta in the head": False, "open comment": False, "upper case": False,
    }.get(name, True)  # fmt: skip
    assert (cut is not None) == expected
    if cut is None:
        return
    assert pagefind_bundle(tmp_path / "trimmed", {"a/index.html": cut}) == pagefind_bundle(
        tmp_path / "whole", {"a/index.html": page}
    )


def test_trimming_leaves_out_what_pagefind_does_not_read() -> None:
    cut = search.trimmed(page_bytes(*PAGES["plain"], "plain"))
    assert cut is not None and b"<nav>" not in cut and b"<footer>" not in cut and b"<meta" not in cut
    assert b'<html lang="en">' in cut and b"<title>Page title</title>" in cut and b"<h1>Zebra crossing</h1>" in cut
    kept = search.trimmed(page_bytes(*PAGES["ignored holds a filter"], "f"))
    assert kept is not None and b"data-pagefind-filter='tag:red'" in kept  # an ignored element Pagefind reads
    nested = search.trimmed(page_bytes(*PAGES["nested ignored"], "n"))
    assert nested is not None and b"<section" not in nested and b"<svg>" not in nested
    scripted = search.trimmed(page_bytes(*PAGES["script in main"], "s"))
    assert scripted is not None and b"quagga" in scripted  # raw text in the body: its ignored parts stay


def fake_pagefind(folder: Path, started: Path) -> Path:
    """A stand-in for the binary that notes when it starts, then takes its time and writes an empty bundle."""
    script = folder / "pagefind"
    script.write_text(f'#!/bin/sh\ntouch "{started}"\nsleep 0.5\nmkdir -p "$4"\n', encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize("edit", [True, False])
def test_after_an_edit_the_main_thread_goes_on_once_pagefind_has_started(tmp_path: Path, edit: bool) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(page_bytes(*PAGES["plain"], "plain"))
    started = tmp_path / "started"
    output = tmp_path / "output"
    output.mkdir()
    made: dict[str, bytes] = {}

    def where(path: str) -> Path:
        time.sleep(0.3)  # planning takes its time
        return page

    unchanged = (lambda path: False) if edit else None  # an edit: the output as the last build left it
    begun = time.perf_counter()
    index = search.Background(["issues/a/index.html"], where, fake_pagefind(tmp_path, started), output, 1,
                              made.__setitem__, unchanged)  # fmt: skip
    waited = time.perf_counter() - begun
    assert (waited >= 0.6) == edit  # planning and placing the page (two reads) done, or left to the thread
    assert made == {}  # Pagefind still running
    if edit:  # it was started: it notes so at once
        deadline = time.monotonic() + 5
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert started.exists() and made == {}
    index.finish()
    assert started.exists() and "pagefind/issues-0/explainer-index.txt" in made
