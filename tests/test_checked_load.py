"""A cached build loads and validates only the content files whose bytes changed (parallel/checkpool.py): the
others' records and diagnostics come from the build cache, and the result is a full validation's."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, dies_in_children
from test_speed_features import broken_corpus, build, clean, corpus_site, tree

from explainer import validate as validate_module
from explainer.diagnostics import Diagnostic, Diagnostics
from explainer.incremental.buildcache import StoredDocuments
from explainer.load import load_content
from explainer.parallel import checkpool, loadpool
from explainer.pipeline import BuildOptions
from explainer.pipeline import build as run_build
from explainer.validate import validate

__all__ = ["corpus_site"]  # the fixture, imported for the tests here


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The path of every issue card validated in this process."""
    seen: list[str] = []
    real = validate_module.validate_issue

    def counted(doc: object, *args: object, **kwargs: object) -> object:
        seen.append(doc.path)  # type: ignore[attr-defined]
        return real(doc, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validate_module, "validate_issue", counted)
    return seen


def diagnostics_of(site: Path, output: str, cache: bool) -> list[Diagnostic]:
    """A build's diagnostics (in the order found), in this process, with one job."""
    options = BuildOptions(site / "content", site / output, site / "templates", site / "static", search=False,
                           cache_dir=site / ".cache" / "explainer" if cache else None)  # fmt: skip
    return run_build(options).diagnostics.items


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_one_card_edit_validates_that_card_alone(corpus_site: Path, validated: list[str]) -> None:
    build(corpus_site, "cached", "--jobs", "1")
    assert len(validated) == 40  # the first build validates every card
    validated.clear()
    card = corpus_site / "content" / "issues" / "issue-00007.md"
    append(card, "\nOne more line.\n")
    built = tree(build(corpus_site, "cached", "--jobs", "1"))
    assert validated == [str(card.relative_to(corpus_site))]
    assert built == clean(corpus_site)
    validated.clear()
    build(corpus_site, "cached", "--jobs", "1")  # nothing changed: nothing is validated (nor built)
    assert validated == []


def test_a_changed_smart_quotes_setting_validates_every_file_again(corpus_site: Path, validated: list[str]) -> None:
    site_yaml = corpus_site / "content" / "site.yaml"
    append(corpus_site / "content" / "issues" / "issue-00004.md", '\nShe said "it holds".\n')
    page = "issues/issue-00004/index.html"
    before = tree(build(corpus_site, "cached", "--jobs", "1"))[page]
    validated.clear()
    append(site_yaml, "smart_quotes: false\n")
    built = tree(build(corpus_site, "cached", "--jobs", "1"))
    assert len(validated) == 40
    assert built == clean(corpus_site)
    assert built[page] != before  # the quotes typeset otherwise


def test_diagnostics_of_unchanged_files_are_reported_as_a_clean_build_reports_them(corpus_site: Path) -> None:
    issues = corpus_site / "content" / "issues"
    # a warning (the summary's `[[`), an error (order is not a number) and an unknown id link reports
    replace(issues / "issue-00002.md", "summary: >-\n  ", "summary: >-\n  See [[actor-00001]]. ")
    replace(issues / "issue-00005.md", "order: ", "order: many\nx_order: ")
    append(issues / "issue-00009.md", "\nSee [[nobody-here]].\n")
    reference = diagnostics_of(corpus_site, "reference", cache=False)
    assert any(d.path.endswith("issue-00005.md") and d.severity == "error" for d in reference)
    assert any(d.path.endswith("issue-00002.md") and d.severity == "warning" for d in reference)
    assert diagnostics_of(corpus_site, "cached", cache=True) == reference  # an empty cache
    append(issues / "issue-00011.md", "\nAnother card edited.\n")  # the broken ones are taken from the cache
    assert diagnostics_of(corpus_site, "cached", cache=True) == diagnostics_of(corpus_site, "reference", cache=False)
    replace(issues / "issue-00005.md", "order: many\nx_order: ", "order: ")  # fixed: its error is gone
    replace(issues / "issue-00009.md", "\nSee [[nobody-here]].\n", "\n")
    fixed = diagnostics_of(corpus_site, "cached", cache=True)
    assert fixed == diagnostics_of(corpus_site, "reference", cache=False)
    assert not any(d.severity == "error" for d in fixed)
    assert any(d.path.endswith("issue-00002.md") and d.severity == "warning" for d in fixed)  # still there
    assert tree(corpus_site / "cached") == tree(corpus_site / "reference")


@pytest.mark.parametrize("jobs", [1, 2])
def test_stored_records_and_diagnostics_are_a_full_validations(corpus_site: Path, jobs: int,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(loadpool, "PARALLEL_MIN", 1)
    content = broken_corpus(corpus_site)
    append(content / "issues" / "issue-00001.md", "\nSee [[nowhere]] and a {{placeholder}}.\n")
    one = Diagnostics()
    reference = validate(load_content(content, one), one)
    assert len(one.items) >= 4
    runs = []
    for _ in range(2):  # the second from the entries the first saved
        store = StoredDocuments(corpus_site / "documents.pickle", b"code")
        got = Diagnostics()
        records, sites = checkpool.load_checked(content, got, store, jobs)
        assert records == reference
        assert got.items == one.items
        assert [doc.path for doc in sites] == [str(content / "site.yaml")]
        runs.append((dict(store.used), store.parsed))
        store.save()
    assert runs[0][1] == len(runs[0][0]) == len(list(content.rglob("*.md"))) + 4 - 1  # the symlink out is not read
    assert runs[1] == (runs[0][0], 0)  # nothing parsed again


def test_a_checking_process_that_fails_leaves_its_files_to_the_main_one(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(loadpool, "PARALLEL_MIN", 1)
    content = broken_corpus(corpus_site)
    one = Diagnostics()
    reference = validate(load_content(content, one), one)
    dies_in_children(monkeypatch, checkpool, "check_one")
    got = Diagnostics()
    store = StoredDocuments(corpus_site / "documents.pickle", b"code")
    assert checkpool.load_checked(content, got, store, 2)[0] == reference
    assert got.items == one.items
    assert capsys.readouterr().err == "warning: a loading process failed; its files are read again here\n"


def test_the_example_built_with_a_cache_is_the_clean_build(tmp_path: Path) -> None:
    import shutil

    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, tmp_path / name)
    assert diagnostics_of(tmp_path, "cached", cache=True) == diagnostics_of(tmp_path, "reference", cache=False)
    assert tree(tmp_path / "cached") == tree(tmp_path / "reference")
