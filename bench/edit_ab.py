"""Issue 17's two time targets, one checkout (B) against another (A), alternating ABBA: `python bench/edit_ab.py
--other DIR [--this DIR] [--cards 5000] [--rounds 4] [--work DIR] [--seed CACHE] [--clean N] [--no-search]`.

One corpus (`make_corpus.py`) is shared. Each checkout first builds it into its own output with its own cache
(untimed; `--seed`: a cache folder of an earlier build of the same corpus whose images, the share cards, are
copied in first, as drawing 5,000 of them takes minutes); then each round edits one card's body
(`run.edit_card`, a new heading text each round) and builds it with each checkout's cache, the order
alternating (A B, B A, ...). With `--clean N`, N rounds of clean `--no-cache` builds follow, alternating
too, and the last clean outputs of A and B are compared file by file (they must be byte-identical), as are
the outputs of the last edit.
Search is on (the default build) unless `--no-search`. Prints each run with its CPU time (user + system,
Pagefind and the workers included) and the machine's load, then the medians and B/A. Quicker than `ab.py`
(no serve, no summary edit). DIR is e.g. `git archive main | tar -x
-C DIR`; B is this checkout unless `--this` names a snapshot (so this one can be edited while it runs).
"""

from __future__ import annotations

import argparse
import filecmp
import resource
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from make_corpus import make_corpus  # noqa: E402
from run import REPO, edit_card, load, timed  # noqa: E402


def differing(one: Path, other: Path) -> list[str]:
    """The relative paths whose bytes (or presence) differ between two trees."""
    found: list[str] = []

    def walk(compare: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(prefix + name for name in compare.left_only + compare.right_only + compare.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(compare.left, compare.right, compare.common_files, shallow=False)
        found.extend(prefix + name for name in mismatch + errors)
        for name, sub in compare.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(one, other), "")
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", type=Path, required=True, help="the checkout to compare with (A)")
    parser.add_argument("--this", type=Path, default=REPO, help="the checkout measured (B; default: this one)")
    parser.add_argument("--seed", type=Path, default=None, help="a cache folder to copy the share cards from")
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=4, help="one-card edits per checkout")
    parser.add_argument("--clean", type=int, default=0, help="clean --no-cache builds per checkout")
    parser.add_argument("--work", type=Path, default=None, help="keep the corpus and outputs here (e.g. /dev/shm)")
    parser.add_argument("--no-search", action="store_true", help="build with --no-search")
    args = parser.parse_args()
    repos = {"A": args.other.resolve(), "B": args.this.resolve()}
    search = ["--no-search"] if args.no_search else []
    figures: dict[tuple[str, str], list[float]] = {}
    cpu: dict[str, float] = {}  # the last build's CPU time (user + system, children included), by side
    with tempfile.TemporaryDirectory(prefix="explainer-edit-ab-", dir=args.work) as temp:
        work = Path(temp)
        corpus = work / "corpus"
        make_corpus(args.cards, corpus)

        def build(side: str, output: Path, *extra: str) -> float:
            repo = repos[side]
            command = [sys.executable, str(repo / "build.py"), "--content", str(corpus), "--output", str(output),
                       "--templates", str(repo / "templates"), "--static", str(repo / "static"), "-q", *search,
                       *extra]  # fmt: skip
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            seconds = timed(command).seconds  # a failed build ends the run
            after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and its children (Pagefind, workers)
            cpu[side] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            return seconds

        def note(what: str, side: str, seconds: float) -> None:
            figures.setdefault((what, side), []).append(seconds)
            figures.setdefault((f"{what} (CPU)", side), []).append(cpu[side])
            print(f"  {what}, {side}: {seconds:.2f} s, CPU {cpu[side]:.2f} s (load {load()})", flush=True)

        for side in repos:
            if args.seed is not None and (args.seed / "images").is_dir():
                shutil.copytree(args.seed / "images", work / f"cache-{side}" / "images")
            build(side, work / f"out-{side}", "--cache-dir", str(work / f"cache-{side}"))
        for round_ in range(args.rounds):
            edit_card(corpus, round_)
            for side in "AB" if round_ % 2 == 0 else "BA":
                seconds = build(side, work / f"out-{side}", "--cache-dir", str(work / f"cache-{side}"))
                note("one card's body edited, cache", side, seconds)
        odd = differing(work / "out-A", work / "out-B")
        print(f"the last edit's outputs: {'byte-identical' if not odd else f'{len(odd)} files differ: {odd[:10]}'}")
        edit_card(corpus, None)
        for round_ in range(args.clean):
            for side in "AB" if round_ % 2 == 0 else "BA":
                output = work / f"clean-{side}"
                shutil.rmtree(output, ignore_errors=True)
                note("clean --no-cache", side, build(side, output, "--no-cache"))
        if args.clean:
            odd = differing(work / "clean-A", work / "clean-B")
            print(f"clean outputs: {'byte-identical' if not odd else f'{len(odd)} files differ: {odd[:10]}'}")
    print(f"\n{args.cards:,} cards, {'--no-search' if args.no_search else 'search on'}, medians (min–max):")
    for what in dict.fromkeys(what for what, _ in figures):
        a, b = (statistics.median(figures[what, side]) for side in "AB")
        spread = ", ".join(f"{side} {min(figures[what, side]):.2f}–{max(figures[what, side]):.2f}" for side in "AB")
        print(f"| {what} | A {a:.2f} s | B {b:.2f} s | B/A {b / a:.2f} | {spread} |")


if __name__ == "__main__":
    main()
