"""`python build.py serve`: the real server in a subprocess, spoken to over HTTP and LiveReload's websocket."""

from __future__ import annotations

import html
import http.client
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websocket
from chromium import chromium
from conftest import REPO, run_build

CARD = "content/issues/nato-expansion.md"
PAGE = "issues/nato-expansion/index.html"
BODY = "## What Russia is asking for"
WAIT = 20.0  # seconds: generous for a loaded CI machine; tests check behaviour, not speed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`python build.py serve` in a subprocess, its output read by threads."""

    def __init__(self, site: Path, *args: str):
        self.port = free_port()
        self.output = site / "out"
        command = [sys.executable, str(REPO / "build.py"), "serve", "--port", str(self.port), "--output", "out", *args]
        self.process = subprocess.Popen(command, cwd=site, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stdout: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        assert self.process.stdout and self.process.stderr
        threading.Thread(target=self.pump, args=(self.process.stdout, self.stdout.put), daemon=True).start()
        threading.Thread(target=self.pump, args=(self.process.stderr, self.stderr.append), daemon=True).start()
        self.banner = self.wait_line("Serving on ")

    @staticmethod
    def pump(stream: Any, put: Any) -> None:
        for line in stream:
            put(line.rstrip("\n"))

    def wait_line(self, start: str) -> str:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                line = self.stdout.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, f"server exited: {self.stderr}"
                continue
            if line.startswith(start):
                return line
        raise AssertionError(f"no line starting {start!r}; stderr: {self.stderr}")

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        """GET path exactly as given (no client-side normalisation)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def stop(self) -> tuple[int, str]:
        """Ctrl-C; the exit status and everything on stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        time.sleep(0.1)  # let the reader threads drain
        return self.process.returncode, "\n".join(self.stderr)


class LiveReloadClient:
    """What livereload.js does: the hello handshake, then `info`, then listen."""

    def __init__(self, port: int, url: str):
        self.socket = websocket.create_connection(f"ws://127.0.0.1:{port}/livereload", timeout=WAIT)
        self.socket.send(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        hello = json.loads(self.socket.recv())
        assert hello["command"] == "hello"
        assert "http://livereload.com/protocols/official-7" in hello["protocols"]
        self.socket.send(json.dumps({"command": "info", "url": url, "plugins": {}}))

    def next(self, timeout: float = WAIT) -> dict[str, Any] | None:
        self.socket.settimeout(timeout)
        try:
            return dict(json.loads(self.socket.recv()))
        except websocket.WebSocketTimeoutException:
            return None

    def close(self) -> None:
        self.socket.close()


@pytest.fixture
def serve(example_site: Path) -> Iterator[Any]:
    servers: list[Server] = []

    def start(*args: str) -> Server:
        # the search index is made in a thread of its own, writing pagefind/ while these tests compare the
        # output folder between saves: test_search covers serve with search
        servers.append(Server(example_site, "--no-search", *args))
        return servers[-1]

    yield start
    for server in servers:
        status, stderr = server.stop()
        assert status == 0, stderr
        assert "Traceback" not in stderr


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_save_reloads_once_and_rewrites_only_what_changed(example_site: Path, serve: Any) -> None:
    edit(example_site / CARD, "status: deadlocked", "status: deadlocked\ndraft: true")
    server = serve()
    assert server.banner == f"Serving on http://127.0.0.1:{server.port}/ (Ctrl-C to stop)"
    status, _, page = server.get("/issues/nato-expansion/")
    assert status == 200
    assert 'class="badge draft"' in page  # drafts are shown while serving, with their badge
    assert re.search(r'<script src="/livereload\.js\?port=\d+"[^>]*></script>\s*</head>', page)
    before = snapshot(server.output)
    client = LiveReloadClient(server.port, f"http://127.0.0.1:{server.port}/issues/nato-expansion/")

    edit(
        example_site / CARD,
        "## What Russia is asking for",
        "A sentence marked zebra-crossing-42.\n\n## What Russia is asking for",
    )
    message = client.next()
    assert message is not None and message["command"] == "reload"
    assert message["liveCSS"] is False or not message["path"].endswith(".css")
    assert client.next(timeout=1.5) is None  # exactly one reload for one save
    assert "zebra-crossing-42" in server.get("/issues/nato-expansion/")[2]

    after = snapshot(server.output)
    changed = {rel for rel in after if before.get(rel, (b"", 0))[0] != after[rel][0]}
    assert PAGE in changed
    assert "static/style.css" not in changed and len(changed) < len(after) // 2
    for rel in after.keys() - changed:
        assert after[rel][1] == before[rel][1], f"{rel} was rewritten with the same bytes"
    assert not [rel for rel, (data, _) in after.items() if b"livereload" in data]  # the client is never on disk
    client.close()


def test_a_save_made_while_the_first_build_runs_is_built_after_it(example_site: Path, serve: Any) -> None:
    """Saves keep coming while the server starts; the page served at the end shows the last one."""
    card = example_site / CARD
    text = card.read_text(encoding="utf-8")
    saved: list[str] = []
    done = threading.Event()

    def keep_saving() -> None:
        while not done.is_set():
            saved.append(f"marker-{len(saved)}-okapi")
            card.write_text(text.replace(BODY, f"{saved[-1]}\n\n{BODY}", 1), encoding="utf-8")
            time.sleep(0.01)

    saver = threading.Thread(target=keep_saving)
    saver.start()
    try:
        server = serve()
    finally:
        done.set()
        saver.join()
    deadline = time.monotonic() + WAIT
    while saved[-1] not in (page := server.get("/issues/nato-expansion/")[2]) and time.monotonic() < deadline:
        time.sleep(0.05)
    shown = re.findall(r"marker-\d+", page)
    assert saved[-1] in page, f"{len(saved)} saves; the page shows {shown}"


def test_watch_builds_a_save_made_after_its_starting_scan(tmp_path: Path) -> None:
    """The watcher starts from the scan taken before the first build, not from one of its own."""
    from explainer.serve.loop import scan, watch

    (tmp_path / "a.md").write_text("one", encoding="utf-8")
    before = scan([tmp_path])
    (tmp_path / "a.md").write_text("two!", encoding="utf-8")  # saved while the first build ran
    built: list[set[str]] = []
    stop = threading.Event()

    def rebuild(changed: set[str]) -> list[Any]:
        built.append(changed)
        stop.set()
        return []

    watcher = threading.Thread(target=watch, args=([tmp_path], before, rebuild, None, stop))
    watcher.start()
    watcher.join(timeout=WAIT)
    stop.set()
    assert built == [{str(tmp_path / "a.md")}]


def test_broken_save_shows_errors_in_every_page_then_the_site_returns(example_site: Path, serve: Any) -> None:
    server = serve()
    client = LiveReloadClient(server.port, f"http://127.0.0.1:{server.port}/")
    good = (server.output / PAGE).read_bytes()

    edit(example_site / CARD, "[[ryabkov]], who leads", "[[ryabkof]], who leads")
    edit(example_site / "content/issues/arms-control.md", "status:", "status: [unclosed\nstatus:")
    assert client.next() is not None
    # two saves may make two rebuilds (a slow machine sees the first alone): wait for the one that saw both
    deadline = time.monotonic() + WAIT
    while "content/issues/arms-control.md:" not in html.unescape(server.get("/")[2]) and time.monotonic() < deadline:
        time.sleep(0.05)
    for path in ("/", "/issues/nato-expansion/", "/actors/russia/"):
        status, headers, page = server.get(path)
        assert status == 500 and headers["content-type"].startswith("text/html")
        errors = re.search(r'<pre class="build-errors"[^>]*>(.*?)</pre>', page, re.S)
        assert errors is not None
        lines = html.unescape(errors.group(1)).splitlines()
        assert len([line for line in lines if ": error: " in line]) >= 2
        assert any(re.match(r"content/issues/nato-expansion\.md:\d+: error: .*ryabkof", line) for line in lines)
        assert any(line.startswith("content/issues/arms-control.md:") for line in lines)
        assert all(line in server.stderr for line in lines)  # the same text as the terminal
        assert "<style>" in page and "livereload.js" in page
    assert (server.output / PAGE).read_bytes() == good  # the last good build is kept

    edit(example_site / CARD, "[[ryabkof]], who leads", "[[ryabkov]], who leads")
    edit(example_site / "content/issues/arms-control.md", "status: [unclosed\n", "")
    assert client.next() is not None
    status, _, page = server.get("/issues/nato-expansion/")
    assert status == 200 and "build-errors" not in page
    client.close()


def test_the_error_page_shows_every_error_and_the_first_warnings_of_each_kind(example_site: Path, serve: Any) -> None:
    server = serve()
    client = LiveReloadClient(server.port, f"http://127.0.0.1:{server.port}/")
    cards = [card for card in sorted((example_site / "content/issues").glob("*.md")) if "." not in card.stem][:5]
    for card in cards:  # five warnings of one kind
        edit(card, "\ntitle: ", "\ntitel: Typo\ntitle: ")
    edit(example_site / CARD, "[[ryabkov]], who leads", "[[ryabkof]], who leads")
    assert client.next() is not None
    status, _, page = server.get("/")
    assert status == 500
    errors = re.search(r'<pre class="build-errors"[^>]*>(.*?)</pre>', page, re.S)
    assert errors is not None
    lines = html.unescape(errors.group(1)).splitlines()
    warned = [line for line in lines if "warning: unknown field 'titel'" in line]
    assert [line.split(":")[0] for line in warned] == [f"content/issues/{card.name}" for card in cards[:3]]
    assert "… and 2 more warnings like this (--verbose shows all)" in lines
    assert any(re.match(r"content/issues/nato-expansion\.md:\d+: error: .*ryabkof", line) for line in lines)
    assert all(line in server.stderr for line in lines)  # the same text as the terminal
    client.close()


def test_template_syntax_error_is_shown_with_its_file_and_line(example_site: Path, serve: Any) -> None:
    server = serve()
    client = LiveReloadClient(server.port, f"http://127.0.0.1:{server.port}/")
    template = example_site / "templates/issue.html"
    original = template.read_text(encoding="utf-8")
    template.write_text(original + "{% if %}\n", encoding="utf-8")
    assert client.next() is not None
    status, _, page = server.get("/issues/nato-expansion/")
    assert status == 500
    assert re.search(r"templates/issue\.html:\d+: error: template syntax error", page)
    template.write_text(original, encoding="utf-8")
    assert client.next() is not None
    assert server.get("/issues/nato-expansion/")[0] == 200
    client.close()


def test_css_save_reloads_the_stylesheet_only(example_site: Path, serve: Any) -> None:
    server = serve()
    client = LiveReloadClient(server.port, f"http://127.0.0.1:{server.port}/")
    pages = {rel: data for rel, data in snapshot(server.output).items() if rel.endswith(".html")}
    with (example_site / "static/style.css").open("a", encoding="utf-8") as css:
        css.write("\n.zebra { color: rebeccapurple; }\n")
    message = client.next()
    assert message is not None
    assert message["command"] == "reload" and message["liveCSS"] is True
    assert message["path"] == "/static/style.css"
    assert client.next(timeout=1.5) is None
    assert "rebeccapurple" in server.get("/static/style.css")[2]
    assert {rel: data for rel, data in snapshot(server.output).items() if rel.endswith(".html")} == pages
    client.close()


def test_a_site_with_a_sub_path_is_served_under_it(example_site: Path, serve: Any) -> None:
    server = serve("--base-url", "https://example.org/explainer/")
    assert server.banner == f"Serving on http://127.0.0.1:{server.port}/explainer/ (Ctrl-C to stop)"
    status, headers, _ = server.get("/")
    assert status in (301, 302) and headers["location"] == "/explainer/"
    status, _, home = server.get("/explainer/")
    assert status == 200
    hrefs = set(re.findall(r'href="(/[^"#]*)"', home))
    assert hrefs and all(href.startswith("/explainer/") for href in hrefs)
    for href in sorted(hrefs):
        assert server.get(href)[0] == 200, href
    assert server.get("/issues/nato-expansion/")[0] == 404


def test_nothing_outside_the_output_folder_is_served(example_site: Path, serve: Any) -> None:
    server = serve()
    (example_site / "secret.txt").write_text("top secret", encoding="utf-8")
    os.symlink(example_site / "secret.txt", server.output / "static" / "leak.txt")
    os.symlink(example_site / "content", server.output / "leaked-folder")
    attempts = [
        "/../secret.txt",
        "/static/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/static/%2E%2E/%2e%2e/secret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static/%2e%2e%5c%2e%2e%5csecret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        f"/{example_site.as_posix().lstrip('/')}/../secret.txt",
        "/static/leak.txt",
        "/leaked-folder/site.yaml",
        "/.explainer-output",
    ]
    for path in attempts:
        status, _, body = server.get(path)
        assert status in (400, 403, 404), (path, status)
        assert "top secret" not in body and "root:" not in body and "title:" not in body, path


def test_a_busy_port_is_one_line_and_exit_2(example_site: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)],
            cwd=example_site,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(port) in lines[0] and "--port" in lines[0]


def test_the_temporary_output_folder_is_removed_on_exit(example_site: Path, tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    environment = {**os.environ, "TMPDIR": str(scratch)}
    port = free_port()
    command = [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)]
    process = subprocess.Popen(command, cwd=example_site, env=environment, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    while "Serving on" not in process.stdout.readline():
        assert process.poll() is None
    assert list(scratch.iterdir())  # the preview is there while it runs
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=WAIT) == 0
    assert list(scratch.iterdir()) == []
    with socket.socket() as sock:  # a busy port also leaves nothing behind
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        busy = str(sock.getsockname()[1])
        subprocess.run([*command[:-1], busy], cwd=example_site, env=environment, capture_output=True, timeout=60)
    assert list(scratch.iterdir()) == []


def test_another_host_prints_a_warning(example_site: Path, serve: Any) -> None:
    server = serve("--host", "127.0.0.2")
    assert server.banner == f"Serving on http://127.0.0.2:{server.port}/ (Ctrl-C to stop)"
    assert any(line.startswith("warning: --host 127.0.0.2") for line in server.stderr)


@pytest.mark.skipif(
    not shutil.which("chromium"), reason="Debian's chromium is not installed (apt-get install chromium)"
)
def test_an_open_page_reloads_by_itself_after_a_save(example_site: Path, serve: Any, tmp_path: Path) -> None:
    server = serve()
    with chromium(tmp_path / "chromium-profile") as page:
        page.send("Page.navigate", url=f"http://127.0.0.1:{server.port}/issues/nato-expansion/")
        assert page.wait_for("!!(window.LiveReload && window.LiveReload.connector.protocol)")
        page.evaluate("window.beforeTheSave = true")
        edit(example_site / CARD, "## What Russia is asking for", "Marked giraffe-77.\n\n## What Russia is asking for")
        # a reload starts a new document: the variable is gone and the new text is there
        reloaded = "!window.beforeTheSave && !!document.body && document.body.innerText.includes('giraffe-77')"
        assert page.wait_for(reloaded)


def test_an_added_card_gets_a_page_and_links_and_a_deleted_one_loses_them(example_site: Path, serve: Any) -> None:
    server = serve()
    client = LiveReloadClient(server.port, f"http://127.0.0.1:{server.port}/")
    card = example_site / "content/issues/sanctions-threat.md"
    card.write_text(
        "---\ntitle: Will sanctions follow?\nsummary: Perhaps.\nactors: [russia]\n---\nText about [[nato]].\n",
        encoding="utf-8",
    )
    assert client.next() is not None
    assert server.get("/issues/sanctions-threat/")[0] == 200
    assert 'href="/issues/sanctions-threat/"' in server.get("/")[2]
    assert 'href="/issues/sanctions-threat/"' in server.get("/actors/russia/")[2]
    card.unlink()
    assert client.next() is not None
    assert server.get("/issues/sanctions-threat/")[0] == 404
    assert not (server.output / "issues/sanctions-threat").exists()
    assert "sanctions-threat" not in server.get("/")[2] + server.get("/actors/russia/")[2]
    client.close()


VIEW_FILES = (  # the files that are not pages: feeds and JSON exports
    "data/explainer.json",
    "data/previews.json",
    "data/popolo.json",
    "events/timeline.json",
    "updates.xml",
    "issues/nato-expansion/feed.xml",
    "issues/arms-control/feed.xml",
    "feed.xml",
    "sitemap.xml",
)
VIEW_EDITS = [  # (file, old text, new text): saves that change what the view files show
    (CARD, BODY, "A line about [[ukraine]] in the body.\n\n" + BODY),  # body only: in data/explainer.json
    (CARD, "status: deadlocked", "status: progress"),  # front matter
    (CARD, "summary: >-\n", "summary: >-\n  Edited.\n"),  # the summary: feed.xml, previews
    (CARD, "Brought up to date as Russian", "Updated as Russian"),  # a change note: the feeds
    (CARD, "changes:\n", "changes:\n  - date: 2022-01-11\n    text: A second note.\n"),  # a new change
    ("content/events.yaml", "shortly before the", "shortly before [[russia]] and the"),  # timeline, previews
    ("content/actors.yaml", "en: Russia,", "en: Russian Federation,"),  # names in plain text
    ("content/sources.yaml", "publisher: The Associated Press", "publisher: AP"),
    ("content/site.yaml", "updated: 2022-01-10", "updated: 2022-01-12"),  # every feed's fallback date
]


def test_view_files_served_after_saves_equal_a_clean_builds(example_site: Path, serve: Any, tmp_path: Path) -> None:
    server = serve()
    client = LiveReloadClient(server.port, f"http://127.0.0.1:{server.port}/")
    for n, (rel, old, new) in enumerate(VIEW_EDITS):
        edit(example_site / rel, old, new)
        message = client.next()
        assert message is not None and message["command"] == "reload", (rel, server.stderr)
        clean = tmp_path / f"clean-{n}"
        built = run_build(example_site, "--drafts", "--no-search", "--no-cache", "--output", str(clean))
        assert built.returncode == 0, built.stderr
        for view in VIEW_FILES:
            status, _, served = server.get(f"/{view}")
            assert status == 200, view
            assert served == (clean / view).read_text(encoding="utf-8"), f"{view} after editing {rel}"
    client.close()


def test_cached_rebuilds_write_the_same_bytes_as_a_clean_build(example_site: Path) -> None:
    from explainer.diagnostics import Diagnostics
    from explainer.incremental.memory import BuildCache
    from explainer.pipeline import BuildOptions, render_site
    from explainer.serve.loop import preview_options

    site = example_site
    folders = (site / "content", site / "out", site / "templates", site / "static")
    options = preview_options(BuildOptions(*folders, base_url="https://example.org/explainer/"))
    cache = BuildCache()
    assert render_site(options, Diagnostics(), cache) is not None
    every_page = cache.rendered
    body = "## What Russia is asking for"
    edits = [  # (file, old text, new text, whether link and plan are skipped; None: either)
        (CARD, body, "A new line linking [[ukraine]].\n\n" + body, None),  # one more link: link reads each
        (CARD, body, "A second line.\n\n" + body, True),
        ("content/actors.yaml", "en: Russia,", "en: Russian Federation,", False),  # every [[russia]] changes
        (CARD, body, "Now linking [[patrols-and-incidents]].\n\n" + body, False),  # a new link: relations change
        (CARD, body, "A third line.\n\n" + body, True),
        *[(rel, old, new, None) for rel, old, new in VIEW_EDITS[1:] if "actors" not in rel],  # what views show
        # link never reads a plain short title
        ("content/events.yaml", "short: NATO-Russia Council", "short: the NATO-Russia Council", True),
        ("content/site.yaml", "smart_quotes: true", "smart_quotes: false", False),
        ("templates/base.html", "</head>", "<meta name=x content=y>\n</head>", True),
    ]
    rendered, made = [], []
    for rel, old, new, reused in edits:
        edit(site / rel, old, new)
        cached = render_site(options, Diagnostics(), cache)
        clean = render_site(options, Diagnostics())
        assert cached is not None and clean is not None
        assert cached[0] == clean[0], rel
        assert "feed.xml" in cached[0] and "updates.xml" in cached[0] and "data/explainer.json" in cached[0]
        assert reused is None or (cache.relink.change is not None) == reused, rel
        rendered.append(cache.rendered)
        made.append(len(cache.views.remade))
    assert rendered[1] == 1  # a body-only save renders the card's page: no other page shows its body
    assert made[1] == 1  # and makes again only the card's entry in data/explainer.json
    assert rendered[-1] == every_page  # a template save renders every page


def test_a_big_replaced_output_file_is_set_aside_to_delete_later(tmp_path: Path) -> None:
    from explainer.serve.loop import BIG_FILE, write_changes

    old = {"data/big.json": b"a" * BIG_FILE, "small.txt": b"x"}
    assert write_changes(tmp_path, {}, old) == ["data/big.json", "small.txt"]
    new = {"data/big.json": b"b" * BIG_FILE, "small.txt": b"y"}
    later: list[Path] = []
    assert write_changes(tmp_path, old, new, later) == ["data/big.json", "small.txt"]
    assert {rel: (tmp_path / rel).read_bytes() for rel in new} == new
    assert [(path.parent, path.name[0], path.read_bytes()) for path in later] == [
        (tmp_path / "data", ".", old["data/big.json"])  # hidden: the preview never serves it
    ]
