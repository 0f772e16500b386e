"""Cite this: each issue page's CSL-JSON, BibTeX and RIS, and data/sources.json, read by real consumers
(citeproc-py with a standard style, bibtexparser, rispy), all offline."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from conftest import SITE, run_main, soup, write_site

SOURCES = """
    ap:
      title: Explainer
      publisher: AP
      author: Jane Doe
      kind: article
      date: 2022-01-10
      accessed: 2022-01-11
      url: https://apnews.com/x
      archived: https://web.archive.org/web/20220110093000/https://apnews.com/x
    """
SITE_YAML = (
    SITE["content/site.yaml"].rstrip(" ") + "        authors: [Ann Writer, Bo Editor]\n        publisher: Desk & Co\n"
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_site(tmp_path, {"content/sources.yaml": SOURCES, "content/site.yaml": SITE_YAML})
    done = run_main(tmp_path, "--no-search")
    assert done.returncode == 0, done.stderr
    return tmp_path / "output"


def bibliography(items: list[dict[str, object]]) -> list[str]:
    """Each item as citeproc-py renders it in the Harvard (Cite Them Right) style it ships."""
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    found = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        found.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in found.bibliography()]


def test_the_page_offers_ready_text_and_three_downloads(site: Path) -> None:
    page = soup(site / "issues/nato-expansion/index.html")
    box = page.select_one("section.cite-this")
    assert " ".join(box.select_one(".cite-text").get_text().split()) == (
        "Ann Writer, Bo Editor, “Will NATO grow?”, Test explainer, 10 January 2022, "
        "https://example.org/issues/nato-expansion/"
    )
    assert [a["href"] for a in box.select("a[download]")] == [
        f"/issues/nato-expansion/cite.{ext}" for ext in ("json", "bib", "ris")
    ]


def test_csl_json_renders_through_citeproc(site: Path) -> None:
    items = json.loads((site / "issues/nato-expansion/cite.json").read_text())
    [entry] = bibliography(items)
    assert "Will NATO grow?" in entry and "Ann Writer" in entry
    assert "https://example.org/issues/nato-expansion/" in entry
    sources = json.loads((site / "data/sources.json").read_text())
    assert [s["id"] for s in sources] == ["ap"]
    assert sources[0]["archive_location"].startswith("https://web.archive.org/")
    [source] = bibliography(sources)
    assert "Jane Doe" in source and "Explainer" in source and "2022" in source


def test_bibtex_parses_with_bibtexparser(site: Path) -> None:
    library = bibtexparser.parse_string((site / "issues/nato-expansion/cite.bib").read_text())
    assert not library.failed_blocks
    [entry] = library.entries
    assert entry.key == "nato-expansion" and entry.entry_type == "misc"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["title"] == "Will NATO grow?"
    assert fields["author"] == "{Ann Writer} and {Bo Editor}"
    assert fields["publisher"] == "Desk \\& Co"
    assert fields["url"] == "https://example.org/issues/nato-expansion/"
    assert fields["date"] == "2022-01-10"


def test_ris_parses_with_rispy(site: Path) -> None:
    [record] = rispy.loads((site / "issues/nato-expansion/cite.ris").read_text())
    assert record["type_of_reference"] == "ELEC"
    assert record["title"] == "Will NATO grow?"
    assert record["authors"] == ["Ann Writer", "Bo Editor"]
    assert record["urls"] == ["https://example.org/issues/nato-expansion/"]
    assert record["date"] == "2022/01/10/"
    assert record["publisher"] == "Desk & Co"
