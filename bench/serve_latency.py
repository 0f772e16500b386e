"""Save → reload latency of `python build.py serve`, measured with a real LiveReload client.

    python bench/serve_latency.py                 # the example site and a generated 5,000-issue site
    python bench/serve_latency.py --issues 0      # the example site only
    python bench/serve_latency.py --edit summary  # each save changes the card's summary (front matter)
    python bench/serve_latency.py --no-search     # serve --no-search: no index made beside the reloads

For each site: start the server, connect to ws://…/livereload (hello + info,
as livereload.js does), then save one issue card 20 times (by default adding a
line to its Markdown body; with --edit summary, changing its summary). For each save it
records the time from the save to the `reload` message and to the first GET
of the card's page that returns the new text; with search on (serve's default, Pagefind installed), also
to the moment the served index holds it: the bundle listing the card has a new `explainer-index.txt` (written
last, after its entry file) and a fragment written since the save holds the new text, which is when the
search page's query finds it (tests/test_search.py checks that in Chromium). Prints median and worst.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import websocket

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from make_corpus import make_corpus  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(site: Path, port: int, repo: Path = REPO, search: bool = True) -> tuple[subprocess.Popen[str], float]:
    """Start the server (of the checkout repo); return it and the seconds until it said 'Serving on'."""
    started = time.perf_counter()
    command = [sys.executable, str(repo / "build.py"), "serve", "--port", str(port), "--output", "out", "--quiet"]
    command += [] if search else ["--no-search"]
    server = subprocess.Popen(command, cwd=site, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    for line in server.stdout:
        if line.startswith("Serving on"):
            return server, time.perf_counter() - started
    raise SystemExit(f"the server stopped before serving (exit {server.wait()})")


def fetch(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    body = connection.getresponse().read().decode("utf-8")
    connection.close()
    return body


def livereload(port: int) -> websocket.WebSocket:
    ws = websocket.create_connection(f"ws://127.0.0.1:{port}/livereload", timeout=30)
    ws.send(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    assert json.loads(ws.recv())["command"] == "hello"
    ws.send(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/", "plugins": {}}))
    return ws


def poll_page(port: int, path: str, marker: str, saved: float, out: queue.Queue[float]) -> None:
    while marker not in fetch(port, path):
        time.sleep(0.005)
    out.put(time.perf_counter() - saved)


def poll_index(output: Path, page: str, marker: str, saved: float, since: float, out: queue.Queue[float]) -> None:
    """Put the seconds from the save until the served index holds marker for page (or nothing within 60 s)."""
    while time.perf_counter() - saved < 60:
        for stamp in output.glob("pagefind/*/explainer-index.txt"):
            try:
                fresh = stamp.stat().st_mtime >= since and page in stamp.read_text(encoding="utf-8").splitlines()
            except OSError:
                continue
            for fragment in (stamp.parent / "fragment").glob("*.pf_fragment") if fresh else ():
                try:
                    if fragment.stat().st_mtime >= since and marker.encode() in gzip.decompress(fragment.read_bytes()):
                        out.put(time.perf_counter() - saved)
                        return
                except OSError:
                    continue
        time.sleep(0.05)


def edited(original: str, marker: str, what: str) -> str:
    """The card with marker in its body (what="body") or at the start of its summary ("summary")."""
    if what == "body":
        return f"{original}\nSaved for the benchmark: {marker}.\n"
    assert "summary: >-\n  " in original
    return original.replace("summary: >-\n  ", f"summary: >-\n  {marker} ", 1)


def measure(site: Path, card: str, saves: int, what: str = "body", repo: Path = REPO,
            search: bool = True) -> dict[str, float]:  # fmt: skip
    port = free_port()
    server, startup = start(site, port, repo, search)
    try:
        ws = livereload(port)
        path = f"/issues/{Path(card).stem}/"
        original = (site / card).read_text(encoding="utf-8")
        reloads, pages, found = [], [], []
        page = f"issues/{Path(card).stem}/index.html"
        if search:  # the first index, made after the first build, before the first save
            deadline = time.perf_counter() + 600
            while not (site / "out/pagefind/explainer-bundles.json").exists() and time.perf_counter() < deadline:
                time.sleep(0.2)
            time.sleep(1)
        for n in range(saves):
            time.sleep(0.5)  # let the previous save settle; unlike python-livereload, 3 s are not needed
            marker = f"benchmarker{n}x{time.time_ns()}"  # one word for Pagefind
            since = time.time() - 0.01
            (site / card).write_text(edited(original, marker, what), encoding="utf-8")
            saved = time.perf_counter()
            served: queue.Queue[float] = queue.Queue()
            indexed: queue.Queue[float] = queue.Queue()
            threading.Thread(target=poll_page, args=(port, path, marker, saved, served), daemon=True).start()
            if search:
                args = (site / "out", page, marker, saved, since, indexed)
                threading.Thread(target=poll_index, args=args, daemon=True).start()
            ws.settimeout(30)
            message = json.loads(ws.recv())
            assert message["command"] == "reload", message
            reloads.append(time.perf_counter() - saved)
            pages.append(served.get(timeout=30))
            if search:
                found.append(indexed.get(timeout=70))
        ws.close()
        print(f"  save → reload, each (ms): {[round(t * 1000) for t in reloads]}", file=sys.stderr, flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "startup": startup,
        "reload_median": statistics.median(reloads),
        "reload_worst": max(reloads),
        "html_median": statistics.median(pages),
        "html_worst": max(pages),
        "search_median": statistics.median(found) if found else float("nan"),
        "search_worst": max(found) if found else float("nan"),
    }


def report(name: str, figures: dict[str, float]) -> None:
    ms = {key: round(value * 1000) for key, value in figures.items() if value == value}  # not NaN
    print(
        f"| {name} | {figures['startup']:.1f} s | {ms['reload_median']} ms | {ms['reload_worst']} ms | "
        f"{ms['html_median']} ms | {ms['html_worst']} ms | {figures['search_median']:.2f} s | "
        f"{figures['search_worst']:.2f} s |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--issues", type=int, default=5000, help="size of the generated site (0: example only)")
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--edit", choices=("body", "summary"), default="body", help="what each save changes")
    parser.add_argument("--no-search", action="store_true", help="serve --no-search (no index beside the reloads)")
    args = parser.parse_args()
    search = not args.no_search
    print("| site | start-up (first build) | save → reload, median | worst | save → new HTML, median | worst "
          "| save → in the search index, median | worst |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="explainer-bench-") as tmp:
        example = Path(tmp) / "example"
        for name in ("content", "templates", "static"):
            shutil.copytree(REPO / name, example / name)
        report("example (9 issues)", measure(example, "content/issues/nato-expansion.md", args.saves, args.edit,
                                                  search=search))  # fmt: skip
        if args.issues:
            big = Path(tmp) / "big"
            make_corpus(args.issues, big / "content")
            for name in ("templates", "static"):
                shutil.copytree(REPO / name, big / name)
            card = f"content/issues/issue-{args.issues // 2:05d}.md"
            report(f"generated ({args.issues} issues)", measure(big, card, args.saves, args.edit, search=search))


if __name__ == "__main__":
    main()
