"""Issue 6: the build cache, parallel rendering and the faster Markdown never change a byte of the output."""

from __future__ import annotations

import os
import pickle
import shutil
import sys
import types
from pathlib import Path
from typing import Any

import markdown
import pytest
from conftest import REPO, dies_in_children, generated_site, run_build, run_main, tree

from explainer import render
from explainer.fastinline import needed_characters, speed_up
from explainer.incremental import buildcache, digests

sys.path.insert(0, str(REPO / "bench"))


@pytest.fixture
def corpus_site(tmp_path: Path) -> Path:
    """A generated explainer big enough (40 cards, 89 pages) for the worker pool, with the default theme."""
    return generated_site(tmp_path, 40)


def build(site: Path, output: str, *args: str) -> Path:
    result = run_main(site, "--no-search", "--output", output, *args)
    assert result.returncode == 0, result.stderr
    return site / output


def clean(site: Path) -> dict[str, bytes]:
    """The reference: one process, no cache."""
    shutil.rmtree(site / "reference", ignore_errors=True)
    return tree(build(site, "reference", "--jobs", "1", "--no-cache"))


def test_cached_parallel_and_single_process_builds_are_byte_identical(corpus_site: Path) -> None:
    reference = clean(corpus_site)
    assert tree(build(corpus_site, "parallel", "--jobs", "2", "--no-cache")) == reference
    assert tree(build(corpus_site, "cached", "--jobs", "2")) == reference  # fills the cache
    shutil.rmtree(corpus_site / "cached")
    assert tree(build(corpus_site, "cached", "--jobs", "2")) == reference  # Markdown from the cache
    assert tree(build(corpus_site, "cached", "--jobs", "1")) == reference  # nothing changed


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in sorted(folder.rglob("*")) if p.is_file()}


def test_pages_written_by_the_workers_are_the_bytes_the_in_memory_path_gives(corpus_site: Path) -> None:
    from explainer.diagnostics import Diagnostics
    from explainer.pipeline import BuildOptions, render_site
    from explainer.write import write_output

    site = corpus_site
    options = BuildOptions(site / "content", site / "memory", site / "templates", site / "static", search=False)
    rendered = render_site(options, Diagnostics())  # every file's bytes in one dict, as before issue 6
    assert rendered is not None and "index.html" in rendered[0]
    write_output(rendered[0], site / "memory")
    assert tree(build(site, "workers", "--jobs", "2", "--no-cache")) == tree(site / "memory")


@pytest.mark.parametrize("mistake", ["", "{{ no_such_name.x }}", "{% if %}"])
def test_the_advice_and_warnings_of_a_worker_build_are_the_in_memory_paths(
    corpus_site: Path, mistake: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The advice and base_url warnings, made by the main process around the page workers, are the ones the
    in-memory path reports: kept when the pages render, none when a template fails (one that fails as it
    renders, or as it compiles: in the main process first, before the workers fork)."""
    from explainer.diagnostics import Diagnostics
    from explainer.pipeline import BuildOptions, render_site

    site = corpus_site
    card = site / "content" / "issues" / "issue-00003.md"
    card.write_text(card.read_text().replace("sources: [", "old_sources: ["))  # advice: cites no sources
    config = site / "content" / "site.yaml"
    config.write_text(config.read_text().replace("https://example.org/", "/sub/"))  # not a full URL: a warning
    broken = bool(mistake)
    template = site / "templates" / "event.html"
    template.write_text(template.read_text().replace("{% block main %}", "{% block main %}" + mistake))
    monkeypatch.chdir(site)  # paths as the command line reports them
    options = BuildOptions(Path("content"), Path("memory"), Path("templates"), Path("static"), search=False)
    memory = Diagnostics()
    assert (render_site(options, memory) is None) is broken
    result = run_main(site, "--no-search", "--output", "workers", "--jobs", "2", "--no-cache")
    assert result.returncode == int(broken)
    expected = "".join(d.format() + "\n" for d in memory.sorted())
    assert result.stderr.startswith(expected) and expected
    assert ("cites no sources" in result.stderr) is not broken
    assert ("templates/event.html:3: error: " in result.stderr) is broken


def test_a_full_rebuild_swaps_in_a_new_tree_of_the_same_files(corpus_site: Path) -> None:
    output = build(corpus_site, "plain", "--jobs", "2", "--no-cache")
    before, folder = inodes(output), output.stat().st_ino
    result = run_main(corpus_site, "--no-search", "--output", "plain", "--jobs", "2", "--no-cache")
    assert result.returncode == 0 and " 0 written" in result.stdout, result.stdout
    assert output.stat().st_ino != folder  # a new tree, swapped in
    assert inodes(output) == before  # of the very same files: hard links, so the same mtimes


def test_a_template_edit_is_rendered_by_the_workers_into_the_folder_in_place(corpus_site: Path) -> None:
    output = build(corpus_site, "cached", "--jobs", "2")
    before, folder = inodes(output), output.stat().st_ino
    base = corpus_site / "templates" / "base.html"
    base.write_text(base.read_text().replace("<head>", "<head>\n<!-- edited -->", 1))
    built = tree(build(corpus_site, "cached", "--jobs", "2"))  # 89 pages: enough for the pool, few enough
    assert output.stat().st_ino == folder  # updated in place
    after = inodes(output)
    assert sorted(after) == sorted(before)  # no journal, no staged file left
    assert [rel for rel in after if (after[rel] == before[rel]) == rel.endswith(".html")] == []  # pages only
    assert built == clean(corpus_site)


def test_example_site_with_warnings_is_the_same_with_and_without_cache_and_workers(example_site: Path) -> None:
    card = example_site / "content" / "issues" / "pace-of-talks.md"
    card.write_text(card.read_text() + "\nA <b>raw</b> tag.\n")
    first = run_main(example_site, "--no-search", "--output", "one", "--jobs", "1", "--no-cache")
    second = run_main(example_site, "--no-search", "--output", "two", "--jobs", "2")
    third = run_main(example_site, "--no-search", "--output", "two", "--jobs", "2")
    assert first.returncode == second.returncode == third.returncode == 0, first.stderr
    assert "raw HTML" in first.stderr and first.stderr == second.stderr == third.stderr
    assert "0 written" in third.stdout
    assert tree(example_site / "one") == tree(example_site / "two")


def test_an_edited_card_and_a_renamed_actor_rebuild_exactly_what_they_must(corpus_site: Path) -> None:
    build(corpus_site, "cached")
    card = corpus_site / "content" / "issues" / "issue-00003.md"
    card.write_text(card.read_text().replace("## What is at stake", "## What is at stake today", 1))
    built = tree(build(corpus_site, "cached"))
    assert built == clean(corpus_site)
    assert b"What is at stake today" in built["issues/issue-00003/index.html"]
    actors = corpus_site / "content" / "actors.yaml"
    actors.write_text(actors.read_text().replace("name: Actor 3\n", "name: Actor Three\n"))
    assert tree(build(corpus_site, "cached")) == clean(corpus_site)  # every [[actor-00003]] shows the new name


def test_an_edit_of_the_same_size_and_mtime_is_read_again(corpus_site: Path) -> None:
    """The parsed documents are kept by their bytes, not by (size, mtime): an edit that keeps both is seen."""
    build(corpus_site, "cached")
    card = corpus_site / "content" / "issues" / "issue-00003.md"
    actors = corpus_site / "content" / "actors.yaml"
    before = {path: (path.read_text(), path.stat()) for path in (card, actors)}
    card.write_text(before[card][0].replace("## What is at stake\n", "## What is at stoke\n", 1))
    actors.write_text(before[actors][0].replace("name: Actor 3\n", "name: Actor 8\n", 1))
    for path, (_text, info) in before.items():
        assert path.stat().st_size == info.st_size
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    built = tree(build(corpus_site, "cached"))
    assert built == clean(corpus_site)
    assert b"What is at stoke" in built["issues/issue-00003/index.html"]
    assert b"Actor 8" in built["actors/actor-00003/index.html"]
    for path, (text, _info) in before.items():  # and back: the cache holds the edited files now
        path.write_text(text)
    assert tree(build(corpus_site, "cached")) == clean(corpus_site)


def test_a_build_that_keeps_pages_keeps_the_markdown_of_their_texts(corpus_site: Path) -> None:
    def texts() -> set[bytes]:
        return set(pickle.loads((corpus_site / ".cache" / "explainer" / "markdown.pickle").read_bytes())["texts"])

    build(corpus_site, "cached")
    before = texts()
    card = corpus_site / "content" / "issues" / "issue-00003.md"
    card.write_text(card.read_text().replace("## What is at stake", "## What is at stake today", 1))
    build(corpus_site, "cached")  # renders a few pages, keeps the rest
    assert before < texts()  # the edited body added, none of the kept pages' texts dropped
    base = corpus_site / "templates" / "base.html"
    base.write_text(base.read_text().replace("<head>", "<head>\n<!-- edited -->", 1))
    assert tree(build(corpus_site, "cached")) == clean(corpus_site)  # every page again, the Markdown from the cache


def test_a_template_edit_invalidates_the_cache(corpus_site: Path) -> None:
    build(corpus_site, "cached")
    base = corpus_site / "templates" / "base.html"
    base.write_text(base.read_text().replace("<head>", "<head>\n<!-- edited -->", 1))
    built = tree(build(corpus_site, "cached"))
    assert built == clean(corpus_site)
    assert b"<!-- edited -->" in built["index.html"]


def test_a_settings_change_invalidates_the_cache(corpus_site: Path) -> None:
    build(corpus_site, "cached")
    site_yaml = corpus_site / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "smart_quotes: false\n")
    assert tree(build(corpus_site, "cached")) == clean(corpus_site)
    built = tree(build(corpus_site, "cached", "--base-url", "https://news.example/explainer/"))
    shutil.rmtree(corpus_site / "reference")
    reference = build(corpus_site, "reference", "--no-cache", "--base-url", "https://news.example/explainer/")
    assert built == tree(reference)


def test_a_generator_version_change_invalidates_the_cache(corpus_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(corpus_site, "cached")
    monkeypatch.setattr(digests, "__version__", "9.9.9")
    monkeypatch.setattr(render, "__version__", "9.9.9")  # the pages name their generator
    built = tree(build(corpus_site, "cached"))
    assert b'content="explainer 9.9.9"' in built["issues/issue-00001/index.html"]
    assert built == clean(corpus_site)


@pytest.mark.parametrize("name", ["build-*.pickle", "markdown.pickle", "documents-*.pickle"])
def test_a_corrupt_cache_gives_one_warning_line_and_a_correct_build(corpus_site: Path, name: str) -> None:
    build(corpus_site, "cached")
    shutil.rmtree(corpus_site / "cached")  # so that the build needs the Markdown cache too
    (path,) = (corpus_site / ".cache" / "explainer").glob(name)
    path.write_bytes(b"\x80\x05garbage" + pickle.dumps({"format": 0})[:7])
    result = run_main(corpus_site, "--no-search", "--output", "cached")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"warning: build cache {path} is unreadable"), lines
    assert tree(corpus_site / "cached") == clean(corpus_site)
    assert run_main(corpus_site, "--no-search", "--output", "cached").stderr == ""  # rewritten whole


def test_a_cache_written_before_the_machinery_moved_is_dropped_quietly(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16 moved buildcache.py into explainer/incremental/: a cache written before names its classes by
    their old modules (`explainer.buildcache.PageEntry`), which no longer exist. It is another version's
    cache, not a broken one: the build starts afresh without a warning."""
    build(corpus_site, "cached")
    shutil.rmtree(corpus_site / "cached")
    (path,) = (corpus_site / ".cache" / "explainer").glob("build-*.pickle")
    state = pickle.loads(path.read_bytes())

    class PageEntry:  # the stored class as the old layout named it
        pass

    PageEntry.__module__, PageEntry.__qualname__ = "explainer.buildcache", "PageEntry"
    old = types.ModuleType("explainer.buildcache")
    old.PageEntry = PageEntry  # type: ignore[attr-defined]
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "explainer.buildcache", old)
        entries = {url: PageEntry() for url in state["pages"]}
        path.write_bytes(pickle.dumps({**state, "code": b"before the move", "pages": entries}))
    assert "explainer.buildcache" not in sys.modules
    result = run_main(corpus_site, "--no-search", "--output", "cached")
    assert (result.returncode, result.stderr) == (0, "")
    assert tree(corpus_site / "cached") == clean(corpus_site)


def test_a_cache_that_is_a_folder_is_not_a_crash(corpus_site: Path) -> None:
    build(corpus_site, "cached")
    (path,) = (corpus_site / ".cache" / "explainer").glob("build-*.pickle")
    path.unlink()
    path.mkdir()
    result = run_main(corpus_site, "--no-search", "--output", "cached")
    assert result.returncode == 0 and "is unreadable" in result.stderr


def test_no_cache_writes_no_cache(corpus_site: Path) -> None:
    build(corpus_site, "plain", "--no-cache")
    assert not (corpus_site / ".cache").exists()


def test_a_build_with_nothing_changed_writes_no_file(corpus_site: Path) -> None:
    build(corpus_site, "cached")
    files = list(corpus_site.rglob("*"))
    before = {p: p.stat().st_mtime_ns for p in files if p.is_file()}
    result = run_build(corpus_site, "--no-search", "--output", "cached")
    assert result.returncode == 0 and " 0 written" in result.stdout, result.stdout
    assert {p: p.stat().st_mtime_ns for p in files if p.is_file()} == before
    assert sorted(corpus_site.rglob("*")) == sorted(files)


def test_a_touched_output_file_is_rebuilt(corpus_site: Path) -> None:
    build(corpus_site, "cached")
    page = corpus_site / "cached" / "issues" / "issue-00002" / "index.html"
    page.write_text("tampered")
    assert tree(build(corpus_site, "cached")) == clean(corpus_site)


def markdown_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "content").rglob("*.md"))]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((REPO / "tests").rglob("*.md"))]
    texts += [
        "It's 'quoted' and \"double\" -- dash --- em... <<angle>> 'tis the '90s",
        "*em* **strong** ***both*** _u_ __uu__ `code` \\*esc\\* <https://x.org> <a@b.org> &amp; &copy; [a](b) ![i](j)",
        "[ref][1] and [short] ![img][1]\n\n[1]: http://x.org\n[short]: http://y.org\n\nline  \nbreak",
        "A [^1] note [[ukraine]] and [[nato|the alliance]]\n\n[^1]: Note with *em*.",
        "![" * 300 + "[a](" * 300 + "\n\n" + "\\[" * 200,
    ]
    return texts


def mixed_texts(count: int = 1500) -> list[str]:
    """Seeded random texts dense in everything an inline pattern looks for, in every order."""
    import random

    pieces = ["*", "**", "_", "`", "\\", "[", "]", "(", ")", "!", "<", ">", "&amp;", "&", "'", '"', "--", "---",
              "...", "..", "  \n", "\n", "[^1]", "[[nato]]", "[[x|y]]", "<a@b.org>", "<https://x.org>", "<b>",
              "[a](b)", "![i](j)", "[r]", "'90s", "word", "two words", " ", ". ", "1", "\n\n[TOC]\n\n",
              "\n## Head\n", "\n# ", "\n> ", "\n---\n", "\n===\n", "\n***\n", "\n_ _ _\n", "\n* i", "\n1. i",
              "\n| a | b |\n|---|---|\n| c | d |\n", "|", "\n|x|\n|-|\n", "\n    code", "\n\n"]  # fmt: skip
    rng = random.Random(6)
    return ["".join(rng.choices(pieces, k=rng.randint(1, 18))) + "\n\n[r]: http://x.org" * rng.randint(0, 1)
            for _ in range(count)]  # fmt: skip


@pytest.mark.parametrize("smarty", [False, True])
def test_the_faster_inline_stage_gives_the_same_html(smarty: bool) -> None:
    extensions = ["tables", "footnotes", "fenced_code", "sane_lists", "toc"] + (["smarty"] if smarty else [])
    plain = markdown.Markdown(extensions=extensions, output_format="html")
    fast = markdown.Markdown(extensions=extensions, output_format="html")
    speed_up(fast)
    for text in markdown_texts() + mixed_texts():
        assert fast.reset().convert(text) == plain.reset().convert(text), text


def test_needed_characters_are_read_from_the_expression() -> None:
    import re

    assert needed_characters(re.compile(r"(?<!\!)\[")) == frozenset("[")
    assert needed_characters(re.compile(r"\*|_")) == frozenset("*_")
    assert needed_characters(re.compile(r"(\s|&nbsp;)'(?=\w)")) == frozenset("'")
    assert needed_characters(re.compile(r"a?b*")) is None  # may match the empty string
    assert needed_characters(re.compile(r"x", re.IGNORECASE)) is None


def test_texts_rendered_first_across_workers_give_the_same_pages_and_warnings(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = corpus_site / "content" / "issues" / "issue-00002.md"
    card.write_text(card.read_text() + "\nA <b>raw</b> tag.\n")  # a warning found while rendering Markdown
    reference = run_main(corpus_site, "--no-search", "--output", "reference", "--jobs", "1", "--no-cache")
    from explainer.parallel import prerender

    counts: list[int] = []
    real = prerender.FirstPass.finish

    def counted(self: prerender.FirstPass) -> int:
        counts.append(real(self))
        return counts[-1]

    monkeypatch.setattr(prerender, "PARALLEL_MIN", 1)
    monkeypatch.setattr(prerender.FirstPass, "finish", counted)
    for output, args in (("uncached", ("--no-cache",)), ("cached", ())):
        result = run_main(corpus_site, "--no-search", "--output", output, "--jobs", "2", *args)
        assert result.returncode == 0 and "raw HTML" in result.stderr
        assert result.stderr == reference.stderr
        assert tree(corpus_site / output) == tree(corpus_site / "reference")
    assert counts[0] > 100  # every text of the 40 cards was rendered by the first pass
    assert counts[1] > 100  # an empty cache: the same


@pytest.mark.parametrize("name", ["build-*.pickle", "markdown.pickle", "documents-*.pickle"])
def test_a_cache_from_another_version_is_dropped_without_a_warning(corpus_site: Path, name: str) -> None:
    build(corpus_site, "cached")
    shutil.rmtree(corpus_site / "cached")
    (path,) = (corpus_site / ".cache" / "explainer").glob(name)
    path.write_bytes(pickle.dumps({"format": buildcache.FORMAT - 1, "texts": {}, "pages": {}}))
    result = run_main(corpus_site, "--no-search", "--output", "cached")
    assert result.returncode == 0 and result.stderr == ""  # an upgrade is not a corrupt cache
    assert tree(corpus_site / "cached") == clean(corpus_site)


def broken_corpus(site: Path) -> Path:
    """corpus_site's content with files that fail to load in each way the loader reports."""
    content = site / "content"
    issues = content / "issues"
    (issues / "bad-yaml.md").write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    (issues / "latin1.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    (issues / "no-front.md").write_text("Just text.\n", encoding="utf-8")
    (issues / "outside.md").symlink_to(site / "templates" / "base.html")
    return content


def test_files_loaded_across_processes_give_the_same_documents_and_diagnostics(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explainer.diagnostics import Diagnostics
    from explainer.load import load_content
    from explainer.parallel import loadpool

    monkeypatch.setattr(loadpool, "PARALLEL_MIN", 1)
    content = broken_corpus(corpus_site)
    one, many = Diagnostics(), Diagnostics()
    reference = load_content(content, one)
    assert loadpool.load_content(content, many, None, 3) == reference
    assert many.items == one.items and len(one.items) >= 4


def test_a_loading_process_that_fails_leaves_its_files_to_the_main_one(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from explainer.diagnostics import Diagnostics
    from explainer.load import load_content
    from explainer.parallel import loadpool

    monkeypatch.setattr(loadpool, "PARALLEL_MIN", 1)
    content = broken_corpus(corpus_site)
    one = Diagnostics()
    reference = load_content(content, one)
    dies_in_children(monkeypatch, loadpool, "load_one")
    got = Diagnostics()
    assert loadpool.load_content(content, got, None, 2) == reference
    assert got.items == one.items
    assert capsys.readouterr().err == "warning: a loading process failed; its files are read again here\n"


def test_a_build_whose_files_load_across_processes_is_byte_identical(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explainer.parallel import loadpool

    card = corpus_site / "content" / "issues" / "issue-00003.md"
    card.write_text(card.read_text() + "\nSee [[nobody-here]].\n")  # an error: reported the same way
    reference = run_main(corpus_site, "--no-search", "--output", "reference", "--jobs", "1", "--no-cache")
    assert reference.returncode == 1 and "nobody-here" in reference.stderr
    monkeypatch.setattr(loadpool, "PARALLEL_MIN", 1)
    for args in (("--no-cache",), ()):
        result = run_main(corpus_site, "--no-search", "--output", "other", "--jobs", "2", *args)
        assert (result.returncode, result.stderr) == (1, reference.stderr.replace("reference", "other"))
    card.write_text(card.read_text().replace("\nSee [[nobody-here]].\n", ""))
    expected = tree(build(corpus_site, "reference", "--jobs", "1", "--no-cache"))
    for args in (("--no-cache",), (), ()):  # the last one from the cached documents
        assert tree(build(corpus_site, "other", "--jobs", "2", *args)) == expected


def test_serves_first_build_over_forked_workers_is_the_one_process_build(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explainer.diagnostics import Diagnostics
    from explainer.incremental.memory import BuildCache
    from explainer.parallel import previewpool
    from explainer.pipeline import BuildOptions, render_site
    from explainer.serve.loop import preview_options

    card = corpus_site / "content" / "issues" / "issue-00002.md"
    card.write_text(card.read_text() + "\nA <b>raw</b> tag.\n")  # a warning found while rendering Markdown
    folders = (corpus_site / "content", corpus_site / "out", corpus_site / "templates", corpus_site / "static")
    options = preview_options(BuildOptions(*folders, base_url="https://example.org/x/"))
    monkeypatch.setattr(previewpool, "PARALLEL_MIN", 1)
    forked: list[int] = []
    real = previewpool.render_forked

    def counted(*args: Any) -> dict[str, bytes]:
        forked.append(len(args[1]))
        return real(*args)

    monkeypatch.setattr(previewpool, "render_forked", counted)
    one, many = BuildCache(), BuildCache()
    many.jobs = 3
    results = []
    for cache in (one, many):
        diags = Diagnostics()
        built = render_site(options, diags, cache)
        assert built is not None
        results.append((built[0], diags.items))
    assert forked == [89]  # the first build of `many` went through the workers, every page
    assert results[0] == results[1] and any("raw HTML" in d.message for d in results[0][1])
    assert {p: e.deps for p, e in one.pages.items()} == {p: e.deps for p, e in many.pages.items()}
    assert set(one.markdown) == set(many.markdown)
    text = card.read_text()
    card.write_text(text.replace("## What is at stake", "## What is at stake now", 1))  # a body-only save
    clean = render_site(options, Diagnostics())
    assert clean is not None
    for cache in (one, many):
        again = render_site(options, Diagnostics(), cache)
        assert again is not None and again[0] == clean[0]
        assert cache.rendered == 1  # the card's page: the workers' record of which bodies each page read holds


def test_issue_feeds_written_by_a_child_are_the_bytes_of_the_main_process(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explainer.parallel import sidewrite

    expected = tree(build(corpus_site, "reference", "--jobs", "1", "--no-cache"))
    assert sum(path.endswith("/feed.xml") for path in expected) == 40
    monkeypatch.setattr(sidewrite, "PARALLEL_MIN", 1)
    started: list[int] = []
    real = sidewrite.issue_feeds_aside

    def counted(*args: Any) -> Any:
        child = real(*args)
        started.append(child is not None)
        return child

    from explainer import pipeline

    monkeypatch.setattr(pipeline, "issue_feeds_aside", counted)
    for args in (("--no-cache",), (), ()):  # fresh, an empty cache, then every file kept
        assert tree(build(corpus_site, "other", "--jobs", "2", *args)) == expected
    assert started == [True, True]  # the third build wrote nothing: the cache said nothing changed
    card = corpus_site / "content" / "issues" / "issue-00004.md"
    text = card.read_text()
    assert "\ntitle: " in text
    card.write_text(text.replace("\ntitle: ", "\ntitle: Edited ", 1))  # shown in the issue's feed
    shutil.rmtree(corpus_site / "reference")
    edited = tree(build(corpus_site, "reference", "--jobs", "1", "--no-cache"))
    assert edited["issues/issue-00004/feed.xml"] != expected["issues/issue-00004/feed.xml"]
    assert tree(build(corpus_site, "other", "--jobs", "2")) == edited  # rewritten by the child, from the cache
    assert started == [True, True, False, True]  # the one-process reference after the edit starts no child


def die(*args: object) -> None:
    os._exit(9)


def test_a_feed_child_that_dies_leaves_the_feeds_to_the_main_process(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explainer.parallel import sidewrite

    expected = tree(build(corpus_site, "reference", "--jobs", "1", "--no-cache"))
    monkeypatch.setattr(sidewrite, "PARALLEL_MIN", 1)
    monkeypatch.setattr(sidewrite, "child", die)  # killed before writing a feed
    result = run_main(corpus_site, "--no-search", "--output", "other", "--jobs", "2", "--no-cache")
    assert result.returncode == 0
    assert "the process writing the issue feeds failed" in result.stderr
    assert tree(corpus_site / "other") == expected


def test_a_build_failing_beside_the_feed_child_leaves_nothing_behind(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explainer import pipeline
    from explainer.parallel import sidewrite

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug while making the exports")

    monkeypatch.setattr(sidewrite, "PARALLEL_MIN", 1)
    monkeypatch.setattr(pipeline, "view_files", broken)  # --no-cache: the views beside the feed child
    before = sorted(path.name for path in corpus_site.iterdir())
    result = run_main(corpus_site, "--no-search", "--output", "other", "--jobs", "2", "--no-cache")
    assert result.returncode == 3 and "a bug while making the exports" in result.stderr
    left = sorted(path.name for path in corpus_site.iterdir() if path.name != ".other.lock")  # the lock stays
    assert left == before  # no output folder, no staged tree


def test_a_cached_build_reads_each_unchanged_content_file_once(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(corpus_site, "cached")  # fills the cache
    card = corpus_site / "content" / "issues" / "issue-00003.md"
    card.write_text(card.read_text().replace("## What is at stake", "## What is at stake now", 1))
    expected = clean(corpus_site)
    reads: list[str] = []
    real = Path.read_bytes

    def counted(self: Path) -> bytes:
        if "content" in self.parts:
            reads.append(self.name)
        return real(self)

    def opened(file: str, *args: Any, **kwargs: Any) -> Any:  # how digests.folder_key reads each input file
        if "content" in Path(file).parts:
            reads.append(Path(file).name)
        return open(file, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", counted)
    monkeypatch.setattr(digests, "open", opened, raising=False)
    assert tree(build(corpus_site, "cached", "--jobs", "1")) == expected
    assert reads.count("issue-00003.md") >= 2  # the edited card: for the inputs' key, then to parse it
    assert reads.count("issue-00004.md") <= 1  # an unchanged one: for the inputs' key at most (test_input_stamps)


def test_page_keys_made_by_forked_workers_are_the_main_processs(corpus_site: Path) -> None:
    """A cached build's page keys come from forked workers that make the contexts of lazily planned pages
    themselves: the keys must be the ones one process makes from pages planned in full."""
    from explainer.diagnostics import Diagnostics
    from explainer.link import link
    from explainer.load import load_content
    from explainer.pages import plan
    from explainer.parallel import pagepool
    from explainer.render import Renderer
    from explainer.validate import validate

    diags = Diagnostics()
    site = link(validate(load_content(corpus_site / "content", diags), diags), diags)
    assert site is not None and not diags.has_errors()
    renderer = Renderer(site, corpus_site / "templates", None, {}, False, diags)
    full, lazy = plan(site), plan(site, lazy=True)
    assert all(page.later is not None for page in lazy if page.kind in ("issue", "actor", "event"))
    one = pagepool.page_keys(full, pagepool.PageKeys(renderer, b"common"), 1)
    forked = pagepool.page_keys(lazy, pagepool.PageKeys(renderer, b"common"), 2)
    assert len(forked) == len(full) == 89 and None not in forked
    assert forked == one
    assert len(set(forked)) == len(forked)  # a key per page
    other = pagepool.page_keys(full, pagepool.PageKeys(renderer, b"other templates"), 2)
    assert not set(other) & set(one)  # the render key is in every page's key


@pytest.mark.parametrize("forked_max", [10_000, 10])
def test_a_first_builds_keys_keep_every_page_on_the_next_build(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch, forked_max: int
) -> None:
    """A first build makes its page keys beside the page workers (a small site) or before they fork (a big one,
    here monkeypatched to be 10 pages); the next build makes them in forked key workers, or (big) in the main
    process. Every key must agree: the next build, with nothing changed but the output's bytes checked again,
    renders only the touched page; after an edit, only the pages that show the card."""
    from explainer.parallel import pagepool

    monkeypatch.setattr(pagepool, "KEYS_FORKED_MAX", forked_max)
    where = pagepool.keys_where(2, 89)
    assert where == ("beside" if forked_max > 89 else "first")
    reference = clean(corpus_site)
    assert tree(build(corpus_site, "cached", "--jobs", "2")) == reference
    rendered: list[int] = []
    real = pagepool.batches

    def counted(renderer: Any, pages: list[Any], *args: Any) -> Any:
        rendered.append(len(pages))
        return real(renderer, pages, *args)

    monkeypatch.setattr(pagepool, "batches", counted)
    (corpus_site / "cached" / "index.html").touch()  # the output no longer proves itself: every key is compared
    assert tree(build(corpus_site, "cached", "--jobs", "2")) == reference
    assert rendered == [1]  # the touched page only
    card = corpus_site / "content" / "issues" / "issue-00003.md"  # its summary: every page's key is made again
    card.write_text(card.read_text().replace("summary: >-\n  ", "summary: >-\n  Edited. ", 1))
    built = tree(build(corpus_site, "cached", "--jobs", "2"))
    assert 1 < rendered[-1] < 20  # the card's page and the pages that list it
    assert built == clean(corpus_site)
