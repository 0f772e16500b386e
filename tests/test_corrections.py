"""Corrections read by real consumers: feedparser reads the feeds, pyld expands the JSON-LD (with a local
schema.org context: no network) and extruct finds the CorrectionComment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import extruct
import feedparser
import pytest
from conftest import SITE, edit, run_main, soup, write_site
from pyld import jsonld

ISSUE = "content/issues/nato-expansion.md"
CORRECTED = SITE[ISSUE].replace(
    "updated: 2022-01-10\n",
    "updated: 2022-01-10\n        changes:\n          - date: 2022-01-10\n            text: Talks began.\n"
    "        corrections:\n          - date: 2022-01-11\n            text: The talks were in Geneva, not Vienna.\n",
)
LOCAL_CONTEXT = {"@context": {"@vocab": "https://schema.org/"}}


def local_loader(url: str, options: dict[str, Any]) -> dict[str, Any]:
    """schema.org's context from here, never the network; any other address is a test failure."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contextUrl": None, "documentUrl": url, "document": LOCAL_CONTEXT}


@pytest.fixture
def corrected(tmp_path: Path) -> Path:
    write_site(tmp_path, {ISSUE: CORRECTED})
    done = run_main(tmp_path, "--no-search")
    assert done.returncode == 0, done.stderr
    return tmp_path


def test_a_correction_entry_keeps_its_id_while_its_updated_changes(corrected: Path) -> None:
    def entries(feed: str) -> dict[str, Any]:
        parsed = feedparser.parse((corrected / "output" / feed).read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        return {entry.id: entry for entry in parsed.entries}

    entry_id = "https://example.org/issues/nato-expansion/#correction-1"
    for feed in ("issues/nato-expansion/feed.xml", "updates.xml"):
        entry = entries(feed)[entry_id]
        assert entry.updated.startswith("2022-01-11")
        assert [tag.term for tag in entry.tags] == ["correction"]
        assert entry.title == "Will NATO grow? (corrected 11 January 2022)"
        assert entry.summary == "The talks were in Geneva, not Vienna."
    change = entries("updates.xml")["https://example.org/issues/nato-expansion/#change-2022-01-10"]
    assert "tags" not in change
    edit(corrected, ISSUE, "date: 2022-01-11", "date: 2022-01-12")
    assert run_main(corrected, "--no-search").returncode == 0
    for feed in ("issues/nato-expansion/feed.xml", "updates.xml"):
        assert entries(feed)[entry_id].updated.startswith("2022-01-12")  # same id, new updated


def test_json_ld_expands_with_the_correction(corrected: Path) -> None:
    page = soup(corrected / "output/issues/nato-expansion/index.html")
    data = json.loads(page.find("script", type="application/ld+json").string)
    expanded = jsonld.expand(data, {"documentLoader": local_loader})
    [article] = expanded
    assert article["@type"] == ["https://schema.org/BackgroundNewsArticle"]
    [correction] = article["https://schema.org/correction"]
    assert correction["@type"] == ["https://schema.org/CorrectionComment"]
    assert correction["https://schema.org/text"] == [{"@value": "The talks were in Geneva, not Vienna."}]
    assert correction["https://schema.org/datePublished"] == [{"@value": "2022-01-11"}]
    [source] = article["https://schema.org/citation"]  # the sources the card relies on
    assert source["@type"] == ["https://schema.org/CreativeWork"]
    assert source["https://schema.org/name"] == [{"@value": "Explainer"}]


def test_every_pages_json_ld_expands(corrected: Path) -> None:
    pages = sorted((corrected / "output").rglob("*.html"))
    expanded = 0
    for path in pages:
        for script in soup(path).find_all("script", type="application/ld+json"):
            assert jsonld.expand(json.loads(script.string), {"documentLoader": local_loader})
            expanded += 1
    assert expanded > 10


def test_extruct_finds_the_correction_comment(corrected: Path) -> None:
    html = (corrected / "output/issues/nato-expansion/index.html").read_text(encoding="utf-8")
    found = extruct.extract(html, base_url="https://example.org/issues/nato-expansion/", syntaxes=["json-ld"])
    [article] = found["json-ld"]
    assert [c["@type"] for c in article["correction"]] == ["CorrectionComment"]
    uncorrected = (corrected / "output/issues/troops/index.html").read_text(encoding="utf-8")
    assert "correction" not in extruct.extract(uncorrected, syntaxes=["json-ld"])["json-ld"][0]
