"""Publishing: output that drops onto any static host, built atomically and checked."""

from __future__ import annotations

import errno
import functools
import http.server
import os
import pickle
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import urlopen

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, run_build, soup

from explainer import inplace, write
from explainer.assets import fingerprint, hashed_name
from explainer.check import OutputChecker, check_external
from explainer.inplace import output_manifest

DATA = Path(__file__).resolve().parent / "data"
LINK_ATTRS = (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"))
HASHED = re.compile(r"^static/(.+)\.[0-9a-f]{8}(\.\w+)$")


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under folder: its bytes and mtime (ns)."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def contents(folder: Path) -> dict[str, bytes]:
    return {rel: data for rel, (data, _) in snapshot(folder).items()}


def static_names(output: Path) -> dict[str, str]:
    """`style.css` → `static/style.3f2a1b9c.css` for every fingerprinted file in output."""
    names = {}
    for path in (output / "static").rglob("*"):
        rel = path.relative_to(output).as_posix()
        match = HASHED.match(rel)
        if match:
            names[match.group(1) + match.group(2)] = rel
    return names


def page_links(html: str) -> list[tuple[str, str]]:
    """(rel or tag, URL) for every link and asset reference in a page."""
    page = BeautifulSoup(html, "html.parser")
    links = []
    for tag, attr in LINK_ATTRS:
        for element in page.find_all(tag):
            if element.get(attr):
                links.append((" ".join(element.get("rel") or [tag]), element[attr]))
    return links


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A real HTTP server on 127.0.0.1 over tmp_path/www, and its address."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def crawl(*starts: str) -> tuple[set[str], list[str]]:
    """Follow every same-host link from starts; the pages fetched and the broken links found."""
    host = urlsplit(starts[0]).netloc
    seen: set[str] = set()
    queue = list(starts)
    broken: list[str] = []
    ids: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str]] = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        try:
            with urlopen(url, timeout=10) as response:
                body = response.read()
                kind = response.headers.get_content_type()
        except HTTPError as error:
            broken.append(f"{url}: HTTP {error.code}")
            continue
        if kind == "text/css":
            for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", body.decode()):
                queue.append(urljoin(url, ref))
        if kind != "text/html":
            continue
        page = BeautifulSoup(body, "html.parser")
        ids[url] = {element["id"] for element in page.find_all(id=True)}
        for rel, href in page_links(body.decode()):
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc != host:
                continue
            if not parts.path.startswith("/explainer/"):
                broken.append(f"{url}: {href} leaves the sub-path")
                continue
            page_url = target.split("#")[0]
            if parts.fragment:
                fragments.append((url, page_url, unquote(parts.fragment)))
            if rel != "canonical":
                queue.append(page_url)
    for url, page_url, fragment in fragments:
        if page_url in ids and fragment not in ids[page_url]:
            broken.append(f"{url}: no #{fragment} on {page_url}")
    return seen, broken


def test_site_served_under_a_sub_path_has_no_broken_link(example_site: Path, served: tuple[Path, str]) -> None:
    root, address = served
    base = address + "explainer/"
    result = run_build(example_site, "--base-url", base, "--output", str(root / "explainer"))
    assert result.returncode == 0, result.stderr
    seen, broken = crawl(base, base + "404.html")  # a host serves 404.html at any depth
    assert broken == []
    assert len([u for u in seen if u.endswith("/")]) >= 39
    assert any(u.endswith(".css") for u in seen) and any(u.endswith(".svg") for u in seen)
    assert base + "feed.xml" in seen
    robots = (root / "explainer" / "robots.txt").read_text()
    assert f"Sitemap: {base}sitemap.xml" in robots


def test_relative_urls_output_has_no_absolute_internal_link_and_works_from_disk(example_site: Path) -> None:
    result = run_build(example_site, "--relative-urls")
    assert result.returncode == 0, result.stderr
    output = example_site / "output"
    checked = 0
    for page in sorted(output.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        translations = {link["href"] for link in BeautifulSoup(html, "html.parser").select("link[hreflang]")}
        for rel, href in page_links(html):
            parts = urlsplit(href)
            if rel == "canonical" or href in translations or (parts.scheme and parts.netloc != "example.org"):
                continue  # canonical and hreflang URLs are absolute by definition; sources link elsewhere
            assert not parts.scheme and not href.startswith("/"), f"{page}: {href}"
            # file:// opens files, not folders: every link names a file that exists
            target = (page.parent / unquote(parts.path)) if parts.path else page
            assert target.is_file(), f"{page.relative_to(output)}: {href}"
            if parts.fragment:
                assert soup(target).find(id=parts.fragment), f"{page.relative_to(output)}: {href}"
            checked += 1
    assert checked > 500
    issue = (output / "issues" / "arms-control" / "index.html").read_text()
    assert 'href="../../actors/russia/index.html"' in issue  # a [[ref]] in the Markdown body
    assert 'href="../../static/style.' in issue


def test_two_builds_are_byte_identical(example_site: Path, tmp_path: Path) -> None:
    for name in ("one", "two"):  # without Pagefind, whose bundle differs between two clean builds (docs/views.md)
        result = run_build(example_site, "--output", str(tmp_path / name), "--no-search")
        assert result.returncode == 0, result.stderr
    assert contents(tmp_path / "one") == contents(tmp_path / "two")


def test_a_second_build_keeps_every_file_and_its_mtime(example_site: Path) -> None:
    assert run_build(example_site, "--no-search").returncode == 0  # test_views covers Pagefind's bundle
    output = example_site / "output"
    for path in output.rglob("*"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = snapshot(output)
    result = run_build(example_site, "--no-search")
    assert result.returncode == 0, result.stderr
    assert "0 written" in result.stdout and "0 removed" in result.stdout
    assert snapshot(output) == before
    card = example_site / "content" / "issues" / "pace-of-talks.md"
    card.write_text(card.read_text().replace("## ", "## Edited: ", 1))
    assert run_build(example_site, "--no-search").returncode == 0
    after = snapshot(output)
    changed = sorted(rel for rel in after if after[rel] != before.get(rel))
    assert "issues/pace-of-talks/index.html" in changed
    assert "data/explainer.json" in changed  # the export holds the body
    assert len(changed) < 5, changed
    assert all(after[rel][1] == 1_000_000_000 for rel in after if rel not in changed)


def test_a_failed_build_leaves_the_old_output(example_site: Path) -> None:
    assert run_build(example_site).returncode == 0
    output = example_site / "output"
    before = snapshot(output)
    card = example_site / "content" / "issues" / "pace-of-talks.md"
    card.write_text(card.read_text() + "\nSee [[no-such-actor]].\n")
    result = run_build(example_site)
    assert result.returncode == 1
    assert "no-such-actor" in result.stderr
    assert snapshot(output) == before


def test_a_removed_cards_page_is_gone(example_site: Path) -> None:
    assert run_build(example_site, "new", "issue", "extra-card").returncode == 0
    assert run_build(example_site, "--drafts").returncode == 0
    page = example_site / "output" / "issues" / "extra-card" / "index.html"
    assert page.is_file()
    folder = (example_site / "output").stat().st_ino
    (example_site / "content" / "issues" / "extra-card.md").unlink()
    result = run_build(example_site, "--drafts")
    assert result.returncode == 0, result.stderr
    assert (example_site / "output").stat().st_ino == folder  # a small update: in place
    assert not page.exists() and not page.parent.exists()
    assert "extra-card" not in (example_site / "output" / "index.html").read_text()


KILLED_BUILD = """
import sys, time
sys.path.insert(0, {repo!r})
import explainer.{module} as module
original = module.{function}
count = 0
def slow(*args):
    global count
    count += 1
    if count == {count}:
        print("writing", flush=True)
        time.sleep(60)
    return original(*args)
module.{function} = slow
from explainer.cli import main
sys.exit(main(sys.argv[1:]))
"""


def kill_while_writing(site: Path, module: str, function: str, count: int, *args: str) -> None:
    """Run a build that stops for a minute at the count-th call of explainer.module.function, and kill it there."""
    code = KILLED_BUILD.format(repo=str(REPO), module=module, function=function, count=count)
    child = subprocess.Popen([sys.executable, "-c", code, *args], cwd=site, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline() == "writing\n"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()


def edit_card(site: Path) -> None:
    card = site / "content" / "issues" / "pace-of-talks.md"
    card.write_text(card.read_text().replace("## ", "## Edited: ", 1))


def test_a_build_killed_mid_write_leaves_the_old_output_whole(example_site: Path) -> None:
    assert run_build(example_site).returncode == 0
    output = example_site / "output"
    before = snapshot(output)
    edit_card(example_site)
    kill_while_writing(example_site, "write", "place", 10, "--no-cache")  # ten files are already in the new tree
    assert snapshot(output) == before
    leftovers = list(example_site.glob(".output.tmp-*"))
    assert len(leftovers) == 1
    result = run_build(example_site)  # the next build cleans up after the killed one
    assert result.returncode == 0, result.stderr
    assert not list(example_site.glob(".output.tmp-*")) and not list(example_site.glob(".output.old-*"))
    assert "Edited:" in (output / "issues" / "pace-of-talks" / "index.html").read_text()


def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under folder (hidden ones too): its inode and mtime."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_small_update_is_written_in_place_touching_only_the_changed_files(example_site: Path, tmp_path: Path) -> None:
    assert run_build(example_site, "--no-search").returncode == 0
    output = example_site / "output"
    folder = output.stat().st_ino
    before = inodes(output)
    edit_card(example_site)
    result = run_build(example_site, "--no-search")
    assert result.returncode == 0, result.stderr
    after = inodes(output)
    assert output.stat().st_ino == folder  # not swapped: the same folder
    changed = sorted(rel for rel in after if after[rel] != before.get(rel))
    assert "issues/pace-of-talks/index.html" in changed and len(changed) < 5, changed
    assert f" {len(changed)} written, {len(after) - 1 - len(changed)} unchanged, 0 removed" in result.stdout
    assert sorted(after) == sorted(before)  # no journal, no staged file left
    (state,) = (example_site / ".cache" / "explainer").glob("build-*.pickle")
    assert pickle.loads(state.read_bytes())["manifest"] == output_manifest(output)  # the next build can trust it
    assert run_build(example_site, "--no-search", "--no-cache", "--output", str(tmp_path / "clean")).returncode == 0
    assert contents(output) == contents(tmp_path / "clean")


def test_an_interrupted_in_place_update_is_repaired_by_the_next_build(example_site: Path, tmp_path: Path) -> None:
    assert run_build(example_site, "--no-search").returncode == 0
    output = example_site / "output"
    before = snapshot(output)
    edit_card(example_site)
    kill_while_writing(example_site, "inplace", "put", 3, "--no-search")
    during = snapshot(output)
    assert ".explainer-update" in during  # the journal says the folder may be half updated
    assert {rel: during[rel] for rel in before} == before  # the old files still serve, untouched
    folder = output.stat().st_ino
    result = run_build(example_site, "--no-search")
    assert result.returncode == 0, result.stderr
    assert output.stat().st_ino != folder  # the whole tree was remade and swapped in
    assert run_build(example_site, "--no-search", "--no-cache", "--output", str(tmp_path / "clean")).returncode == 0
    assert contents(output) == contents(tmp_path / "clean")  # no journal, no staged file


def test_a_journal_left_behind_makes_the_next_build_remake_the_folder(example_site: Path) -> None:
    assert run_build(example_site, "--no-search").returncode == 0
    output = example_site / "output"
    before = contents(output)
    (output / ".explainer-update").write_text("left by a killed build")
    (output / "issues" / ".index.html.explainer-new").write_text("half written")
    folder = output.stat().st_ino
    result = run_build(example_site, "--no-search")  # nothing changed but the folder cannot be trusted
    assert result.returncode == 0, result.stderr
    assert output.stat().st_ino != folder
    assert contents(output) == before


def test_a_failed_in_place_update_leaves_the_folder_as_it_was(example_site: Path) -> None:
    assert run_build(example_site, "--no-search").returncode == 0
    output = example_site / "output"
    before = snapshot(output)
    card = example_site / "content" / "issues" / "pace-of-talks.md"
    card.write_text(card.read_text() + "\nA <b>raw</b> tag.\n")  # a warning found while rendering
    result = run_build(example_site, "--no-search", "--strict")  # its page is staged, then the build fails
    assert result.returncode == 1 and "raw" in result.stderr
    assert snapshot(output) == before


def test_leftovers_of_killed_builds_are_cleaned_but_foreign_folders_kept(example_site: Path) -> None:
    for name in (".output.tmp-abc123", ".output.old-def456"):
        (example_site / name / "issues").mkdir(parents=True)
        (example_site / name / ".explainer-output").write_text("ours")
    (example_site / ".output.tmp-empty").mkdir()
    foreign = example_site / ".output.tmp-mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    assert run_build(example_site).returncode == 0
    left = sorted(p.name for p in example_site.glob(".output.*"))
    assert left == [".output.lock", ".output.tmp-mine"]
    assert (foreign / "notes.txt").read_text() == "keep me"


def test_a_swap_killed_between_its_two_renames_is_recovered(example_site: Path) -> None:
    assert run_build(example_site, "--no-search").returncode == 0  # Pagefind's bundle would differ (docs/views.md)
    output = example_site / "output"
    before = contents(output)
    output.rename(example_site / ".output.old-x1")  # as if killed right after the first rename
    result = run_build(example_site, "--no-search")
    assert result.returncode == 0, result.stderr
    assert "0 written" in result.stdout
    assert contents(output) == before


def test_concurrent_builds_into_one_folder_do_not_corrupt_it(example_site: Path, tmp_path: Path) -> None:
    command = [sys.executable, str(REPO / "build.py"), "-q", "--no-search"]  # Pagefind's bundle would differ
    children = [subprocess.Popen(command, cwd=example_site, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    errors = [child.communicate(timeout=120)[1] for child in children]
    assert [child.returncode for child in children] == [0, 0, 0, 0], errors
    assert run_build(example_site, "--output", str(tmp_path / "fresh"), "--no-search").returncode == 0
    assert contents(example_site / "output") == contents(tmp_path / "fresh")
    assert sorted(p.name for p in example_site.glob(".output.*")) == [".output.lock"]


@pytest.mark.parametrize("target", ["home", "content"])
def test_output_at_a_folder_with_foreign_files_is_refused(example_site: Path, target: str) -> None:
    folder = example_site / target
    if target == "home":  # what `--output ~` hands us
        folder.mkdir()
        (folder / "thesis.tex").write_text("years of work")
        (folder / ".bashrc").write_text("alias ll='ls -l'")
    before = contents(folder)
    result = run_build(example_site, "--output", str(folder))
    assert result.returncode == 2
    assert "did not write" in result.stderr
    assert contents(folder) == before
    assert not list(example_site.glob(f".{target}.tmp-*"))


def test_fingerprinted_names_change_when_the_bytes_change_and_only_then(example_site: Path) -> None:
    static = example_site / "static"
    (static / "img").mkdir()
    (static / "img" / "mark.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    style = static / "style.css"
    style.write_text(style.read_text() + "\n.brand { background: url('img/mark.svg') no-repeat; }\n")
    output = example_site / "output"

    def build() -> dict[str, str]:
        result = run_build(example_site)
        assert result.returncode == 0, result.stderr
        return static_names(output)

    first = build()
    assert sorted(first) == ["explainer.js", "favicon.svg", "img/mark.svg", "style.css"]
    assert not (output / "static" / "style.css").exists()
    css = (output / first["style.css"]).read_text()
    assert f"url('{first['img/mark.svg'].removeprefix('static/')}')" in css
    home = (output / "index.html").read_text()
    assert f'href="/{first["style.css"]}"' in home and f'href="/{first["favicon.svg"]}"' in home
    assert build() == first  # same bytes, same names

    (static / "favicon.svg").write_text((static / "favicon.svg").read_text() + "<!-- new -->\n")
    second = build()
    assert second["favicon.svg"] != first["favicon.svg"]
    assert second["style.css"] == first["style.css"] and second["img/mark.svg"] == first["img/mark.svg"]
    assert f'href="/{second["favicon.svg"]}"' in (output / "index.html").read_text()
    assert not (output / first["favicon.svg"]).exists()

    (static / "img" / "mark.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1"/>\n')
    third = build()  # the stylesheet names the image, so its bytes and name change too
    assert third["img/mark.svg"] != second["img/mark.svg"] and third["style.css"] != second["style.css"]
    assert third["favicon.svg"] == second["favicon.svg"]


def test_fingerprint_hashes_content_and_rewrites_css_references() -> None:
    files = {
        "static/a.css": b'@import "b.css"; x { background: url(img/x.png?v=1#t) } y { src: url("/abs.woff") }',
        "static/b.css": b"z { background: url(data:image/png;base64,AAAA) }",
        "static/img/x.png": b"PNG",
        "static/LICENSE": b"text",
    }
    renamed, names = fingerprint(files)
    assert names["static/img/x.png"] == hashed_name("static/img/x.png", b"PNG")
    assert re.fullmatch(r"static/img/x\.[0-9a-f]{8}\.png", names["static/img/x.png"])
    assert re.fullmatch(r"static/LICENSE\.[0-9a-f]{8}", names["static/LICENSE"])
    a = renamed[names["static/a.css"]].decode()
    assert f'@import "{names["static/b.css"].removeprefix("static/")}"' in a
    assert f"url({names['static/img/x.png'].removeprefix('static/')}?v=1#t)" in a
    assert 'url("/abs.woff")' in a
    assert renamed[names["static/b.css"]] == files["static/b.css"]
    again, _ = fingerprint(files)
    assert again == renamed


def test_sitemap_validates_against_the_sitemaps_org_schema(example_site: Path) -> None:
    etree = pytest.importorskip("lxml.etree")
    assert run_build(example_site).returncode == 0
    schema = etree.XMLSchema(etree.parse(str(DATA / "sitemap-alternates.xsd")))  # the languages' xhtml:link
    sitemap = etree.parse(str(example_site / "output" / "sitemap.xml"))
    assert schema.validate(sitemap), schema.error_log
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == len(set(locs)) >= 39
    assert all(loc.startswith("https://example.org/") for loc in locs)


def test_feed_parses_with_stable_unique_ids(example_site: Path, tmp_path: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    ids = []
    for name in ("one", "two"):
        assert run_build(example_site, "--output", str(tmp_path / name)).returncode == 0
        feed = ET.parse(tmp_path / name / "feed.xml").getroot()
        assert feed.tag == f"{atom}feed"
        entries = feed.findall(f"{atom}entry")
        assert len(entries) == 9
        for entry in entries:
            assert entry.findtext(f"{atom}title") and entry.findtext(f"{atom}updated")
        ids.append([entry.findtext(f"{atom}id") for entry in entries])
    assert ids[0] == ids[1] and len(set(ids[0])) == 9
    assert "https://example.org/issues/arms-control/" in ids[0]


def test_each_feeds_alternate_link_is_the_page_it_follows(example_site: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    assert run_build(example_site).returncode == 0
    output = example_site / "output"

    def alternate(feed: Path) -> str | None:
        links = ET.parse(feed).getroot().findall(f"{atom}link[@rel='alternate']")
        assert len(links) == 1 and links[0].get("type") == "text/html"
        return links[0].get("href")

    issue_feeds = sorted(output.glob("issues/*/feed.xml"))
    cards = [path for path in (example_site / "content" / "issues").glob("*.md") if "." not in path.stem]
    assert len(issue_feeds) == len(cards)  # (not their translations, issues/<id>.<lang>.md)
    for path in issue_feeds:
        page = f"issues/{path.parent.name}/"
        assert (output / page / "index.html").is_file()
        assert alternate(path) == f"https://example.org/{page}"
    assert alternate(output / "updates.xml") == "https://example.org/"


def plant(example_site: Path, text: str) -> None:
    card = example_site / "content" / "issues" / "pace-of-talks.md"
    card.write_text(card.read_text() + "\n" + textwrap.dedent(text))


def test_check_passes_on_the_example(example_site: Path) -> None:
    result = run_build(example_site, "check")
    assert result.returncode == 0, result.stderr
    assert re.search(r"check: 90 pages, \d+ internal links, 0 problems", result.stdout)  # English and Spanish
    assert not (example_site / "output").exists()  # check builds into a temporary folder


def test_check_finds_a_planted_broken_link_and_missing_fragment(example_site: Path) -> None:
    plant(
        example_site,
        """
        See [the lost page](/issues/no-such-issue/), [Russia's aims](/actors/russia/#aims)
        and [the notes](#no-such-note).
        """,
    )
    result = run_build(example_site, "check", "--base-url", "https://example.org/")
    assert result.returncode == 1
    page = "https://example.org/issues/pace-of-talks/"
    assert f"{page}: error: broken link: /issues/no-such-issue/ (no such page or file in the output)" in result.stderr
    assert f"{page}: error: broken link: /actors/russia/#aims (no id 'aims' on that page)" in result.stderr
    assert f"{page}: error: broken link: #no-such-note (no id 'no-such-note' on that page)" in result.stderr
    translated = "https://example.org/es/issues/pace-of-talks/"  # the Spanish site shows the untranslated card too
    missing = "error: broken link: /issues/no-such-issue/ (no such page or file in the output)"
    assert f"{translated}: {missing}" in result.stderr
    assert "6 problems" in result.stderr


def test_check_reports_content_problems_by_path_and_line(example_site: Path) -> None:
    plant(example_site, "Ask [[rusia]].\n")
    result = run_build(example_site, "check")
    assert result.returncode == 1
    assert re.search(r"content/issues/pace-of-talks\.md:\d+: error: .*'rusia'", result.stderr)


def test_check_finds_missing_assets_titles_and_links_outside_the_sub_path(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "style.css").write_text("a { background: url(gone.png) }")
    (tmp_path / "index.html").write_text(
        '<title>Home</title><meta name="description" content="d">'
        '<link rel="stylesheet" href="/site/static/style.css"><img src="/site/img.png" alt="">'
        '<a href="/elsewhere/">x</a><a href="page.html">ok</a><a href="https://example.org/site/page.html#top">y</a>'
    )
    (tmp_path / "page.html").write_text("<p>no head</p>")
    problems = OutputChecker(tmp_path, "https://example.org/site/").check().problems
    assert problems == [
        "https://example.org/site/: error: broken link: /site/img.png (no such page or file in the output)"
        " (line 1 of index.html)",
        "https://example.org/site/: error: broken link: /elsewhere/ (no such page or file in the output)"
        " (line 1 of index.html)",
        "https://example.org/site/: error: broken link: https://example.org/site/page.html#top"
        " (no id 'top' on that page) (line 1 of index.html)",
        "https://example.org/site/page.html: error: no <title>",
        'https://example.org/site/page.html: error: no <meta name="description">',
        "https://example.org/site/static/style.css: error: missing asset: gone.png (line 1 of static/style.css)",
    ]


def test_check_external_fetches_links_with_bounded_concurrency(tmp_path: Path, served: tuple[Path, str]) -> None:
    root, address = served
    (root / "there.html").write_text("ok")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        f'<title>t</title><meta name="description" content="d"><a href="{address}there.html">a</a>'
        f'<a href="{address}missing.html">b</a><a href="mailto:desk@example.org">c</a>'
    )
    checker = OutputChecker(site, "https://example.org/")
    report = checker.check()
    assert report.problems == [] and sorted(checker.external) == [f"{address}missing.html", f"{address}there.html"]
    started = time.perf_counter()
    check_external(checker, timeout=5, workers=2)
    assert time.perf_counter() - started < 5
    assert report.external == 2
    assert report.problems == [f"https://example.org/: error: external link {address}missing.html: HTTP 404"]


def test_an_output_folder_that_cannot_be_renamed_is_updated_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "mounted"
    assert write.write_output({"a.html": b"a", "old.html": b"old"}, output) == write.WriteStats(2, 0, 0)

    def busy(new: Path, output: Path) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy")

    monkeypatch.setattr(write, "swap", busy)
    stats = write.write_output({"a.html": b"a", "b/index.html": b"b"}, output)
    assert stats == write.WriteStats(written=1, unchanged=1, removed=1)
    assert contents(output) == {".explainer-output": write.MARKER_TEXT, "a.html": b"a", "b/index.html": b"b"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".mounted.lock", "mounted"]


def test_an_in_place_commit_that_fails_midway_keeps_the_journal_for_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "site"
    write.write_output({"a.html": b"a", "b.html": b"b"}, output)
    previous = output_manifest(output)

    def full_disk(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError), write.Staging(output, previous) as staging:
        staging.begin(changing=1, total=2)
        assert staging.in_place
        staging.add("a.html", b"A")
        staging.add("b.html", b"b")
        monkeypatch.setattr(inplace, "finish", full_disk)
        staging.commit()
    assert (output / inplace.JOURNAL).exists()  # the folder may be half updated: say so
    monkeypatch.undo()
    with write.Staging(output, previous) as staging:
        assert not staging.intact
        staging.begin(changing=1, total=2)
        assert not staging.in_place  # remade whole
        staging.add("a.html", b"A")
        staging.add("b.html", b"b")
        assert staging.commit() == write.WriteStats(written=1, unchanged=1, removed=0)
    assert contents(output) == {".explainer-output": write.MARKER_TEXT, "a.html": b"A", "b.html": b"b"}


def test_the_pages_workflow_keeps_the_build_cache_where_build_py_keeps_it(example_site: Path) -> None:
    """.github/workflows/pages.yml restores and saves .cache/explainer/ between runs: the folder a build of
    content/ at the repository's root writes its cache to."""
    import yaml

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    names = [step.get("uses", step.get("name")) for step in steps]
    cache = next(step for step in steps if str(step.get("uses", "")).startswith("actions/cache@"))
    assert names.index(cache["uses"]) < names.index("Build")  # restored before the build
    built = run_build(example_site, "--no-search")
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in (example_site / cache["with"]["path"]).iterdir())  # the cache is there
