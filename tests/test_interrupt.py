"""Ctrl-C and stop signals with worker processes running: one line, no child's traceback, nothing left behind
(explainer/parallel/childsignals.py)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, generated_site


def children(pid: int) -> set[int]:
    """The live child processes of pid."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with open(task / "children") as listing:
            found.update(int(child) for child in listing.read().split())
    return found


def running(pid: int) -> bool:
    """Whether pid is a live process (not a zombie left for a parent that does not reap it)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(site: Path, *args: str) -> subprocess.Popen[str]:
    """build.py in its own process group, as a terminal runs it (Ctrl-C signals the whole group)."""
    command = [sys.executable, str(REPO / "build.py"), *args]
    return subprocess.Popen(command, cwd=site, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # fmt: skip


def stop(process: subprocess.Popen[str]) -> None:
    """Kill what is left of process's group (a test that failed midway)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def when_forked(process: subprocess.Popen[str], timeout: float = 60) -> set[int]:
    """Wait until process has forked two children or more (its workers); their pids."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        forked = children(process.pid)
        if len(forked) >= 2:
            return forked
        assert process.poll() is None, process.communicate()
        time.sleep(0.005)
    raise AssertionError("no workers started")


@pytest.fixture
def big_site(tmp_path: Path) -> Path:
    """Big enough that loading, the Markdown first pass and rendering each run in forked workers."""
    return generated_site(tmp_path, 400)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc for the workers")
def test_ctrl_c_during_a_build_prints_one_line_and_leaves_the_output_as_it_was(big_site: Path) -> None:
    first = subprocess.run([sys.executable, str(REPO / "build.py"), "--no-search", "--no-cache", "-q"],
                           cwd=big_site, capture_output=True, text=True)  # fmt: skip
    assert first.returncode == 0, first.stderr
    before = {p: p.stat().st_mtime_ns for p in (big_site / "output").rglob("*")}
    (big_site / "content" / "issues" / "issue-00003.md").write_text("---\ntitle: T\nsummary: S\n---\nNew.\n")
    build = start(big_site, "--no-search", "--no-cache", "--jobs", "2")
    try:
        workers = when_forked(build)
        os.killpg(build.pid, signal.SIGINT)  # what Ctrl-C does
        _, err = build.communicate(timeout=60)
    finally:
        stop(build)
    assert build.returncode == 130
    assert err == "interrupted\n"  # no worker's traceback
    assert {p: p.stat().st_mtime_ns for p in (big_site / "output").rglob("*")} == before
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if running(pid)], "workers left running"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc for the workers")
def test_serve_stops_its_first_builds_workers_quietly(big_site: Path) -> None:
    """serve turns SIGTERM into a clean shutdown; its forked page workers, stopped at the end of the first
    build, must not inherit that and print a traceback each."""
    server = start(big_site, "serve", "--port", str(free_port()), "--output", "out", "--jobs", "2", "--quiet")
    assert server.stdout is not None
    try:
        when_forked(server)
        line = server.stdout.readline()
        assert line.startswith("Serving on"), line
        server.terminate()
        _, err = server.communicate(timeout=60)
    finally:
        stop(server)
    assert "Traceback" not in err and "ForkPoolWorker" not in err, err
