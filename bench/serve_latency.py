"""Save → reload latency of `python build.py serve`, measured with a real LiveReload client.

    python bench/serve_latency.py                 # the example site and a generated 5,000-issue site
    python bench/serve_latency.py --issues 0      # the example site only
    python bench/serve_latency.py --edit summary  # each save changes the card's summary (front matter)

For each site: start the server, connect to ws://…/livereload (hello + info,
as livereload.js does), then save one issue card 20 times (by default adding a
line to its Markdown body; with --edit summary, changing its summary). For each save it
records the time from the save to the `reload` message and to the first GET
of the card's page that returns the new text. Prints median and worst.
"""

from __future__ import annotations

import argparse
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


def start(site: Path, port: int, repo: Path = REPO) -> tuple[subprocess.Popen[str], float]:
    """Start the server (of the checkout repo); return it and the seconds until it said 'Serving on'."""
    started = time.perf_counter()
    command = [sys.executable, str(repo / "build.py"), "serve", "--port", str(port), "--output", "out", "--quiet"]
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


def edited(original: str, marker: str, what: str) -> str:
    """The card with marker in its body (what="body") or at the start of its summary ("summary")."""
    if what == "body":
        return f"{original}\nSaved for the benchmark: {marker}.\n"
    assert "summary: >-\n  " in original
    return original.replace("summary: >-\n  ", f"summary: >-\n  {marker} ", 1)


def measure(site: Path, card: str, saves: int, what: str = "body", repo: Path = REPO) -> dict[str, float]:
    port = free_port()
    server, startup = start(site, port, repo)
    try:
        ws = livereload(port)
        path = f"/issues/{Path(card).stem}/"
        original = (site / card).read_text(encoding="utf-8")
        reloads, pages = [], []
        for n in range(saves):
            time.sleep(0.5)  # let the previous save settle; unlike python-livereload, 3 s are not needed
            marker = f"bench-marker-{n}-{time.time_ns()}"
            (site / card).write_text(edited(original, marker, what), encoding="utf-8")
            saved = time.perf_counter()
            served: queue.Queue[float] = queue.Queue()
            threading.Thread(target=poll_page, args=(port, path, marker, saved, served), daemon=True).start()
            ws.settimeout(30)
            message = json.loads(ws.recv())
            assert message["command"] == "reload", message
            reloads.append(time.perf_counter() - saved)
            pages.append(served.get(timeout=30))
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
    }


def report(name: str, figures: dict[str, float]) -> None:
    ms = {key: round(value * 1000) for key, value in figures.items()}
    print(
        f"| {name} | {figures['startup']:.1f} s | {ms['reload_median']} ms | {ms['reload_worst']} ms | "
        f"{ms['html_median']} ms | {ms['html_worst']} ms |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--issues", type=int, default=5000, help="size of the generated site (0: example only)")
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--edit", choices=("body", "summary"), default="body", help="what each save changes")
    args = parser.parse_args()
    print("| site | start-up (first build) | save → reload, median | worst | save → new HTML, median | worst |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="explainer-bench-") as tmp:
        example = Path(tmp) / "example"
        for name in ("content", "templates", "static"):
            shutil.copytree(REPO / name, example / name)
        report("example (9 issues)", measure(example, "content/issues/nato-expansion.md", args.saves, args.edit))
        if args.issues:
            big = Path(tmp) / "big"
            make_corpus(args.issues, big / "content")
            for name in ("templates", "static"):
                shutil.copytree(REPO / name, big / name)
            card = f"content/issues/issue-{args.issues // 2:05d}.md"
            report(f"generated ({args.issues} issues)", measure(big, card, args.saves, args.edit))


if __name__ == "__main__":
    main()
