"""A site in several languages in a real browser (headless Chromium, tests/chromium.py): each language's search
page searches its own pages, and a right-to-left language's pages are laid out right to left."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import HAVE_CHROMIUM, Page, chromium, served
from conftest import REPO, run_main

from explainer.views.search import pagefind_executable

pytestmark = [
    pytest.mark.skipif(not HAVE_CHROMIUM, reason="Debian's chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(pagefind_executable() is None, reason="Pagefind is not installed"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("site")
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, root / name)
    site_yaml = root / "content" / "site.yaml"
    written = site_yaml.read_text(encoding="utf-8").replace("languages: [en, es]", "languages: [en, es, fa]")
    site_yaml.write_text(written, encoding="utf-8")
    done = run_main(root, "--no-cache", "--output", "output")
    assert done.returncode == 0, done.stderr
    with served(root / "output") as url:
        yield url


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    with chromium(tmp_path_factory.mktemp("profile")) as tab:
        yield tab


SEARCH = """(() => {
  const input = document.querySelector('#search input');
  if (!input) return false;
  if (input.value !== 'NATO') { input.value = 'NATO'; input.dispatchEvent(new Event('input', {bubbles: true})); }
  return document.querySelectorAll('.pagefind-ui__result-link').length > 0;
})()"""


@pytest.mark.parametrize(("prefix", "direction"), [("", "ltr"), ("es/", "ltr"), ("fa/", "rtl")])
def test_each_languages_search_page_finds_its_own_pages(site: str, page: Page, prefix: str, direction: str) -> None:
    page.open(f"{site}{prefix}search/")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == direction
    assert page.wait_for(SEARCH), f"no result on /{prefix}search/"
    links = page.evaluate(
        "[...document.querySelectorAll('.pagefind-ui__result-link')].map(a => a.getAttribute('href'))"
    )
    assert links, prefix
    for href in links:
        rest = href.removeprefix("/" + prefix)
        assert href.startswith("/" + prefix) and not rest.startswith(("es/", "fa/")), (prefix, json.dumps(links))
        assert Path(rest).parts[0] in ("issues", "actors", "events"), href
