"""This checkout against another, alternating: `python bench/ab.py --other DIR [--cards 5000] [--rounds 3]`.

What issue 16 asks of a redesign: nothing slower. For each round, each checkout (the order alternates,
ABBA, because this machine's speed moves by a third from minute to minute) builds a fresh copy of a
generated corpus (`make_corpus.py`) with `build.py --no-search`:

- clean `--no-cache` (the first build of each round also samples the peak memory of the process tree),
- the first build with a cache (every page rendered, keyed and its reads recorded),
- nothing changed (the same build again),
- one card's body edited, then one card's summary edited (each a cached build),

then runs `serve` on it (`serve_latency.py`'s LiveReload client) for `--saves` body saves and as many summary
saves. Prints each figure as it is taken and, at the end, the median of each per checkout and B/A.
DIR is another checkout, e.g. `git worktree add /tmp/ab-main main` or `git archive main | tar -x -C DIR`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import serve_latency  # noqa: E402
from make_corpus import make_corpus  # noqa: E402
from run import REPO, edit_card, edit_summary, load, timed  # noqa: E402


def build(repo: Path, corpus: Path, output: Path, *extra: str, sample: bool = False) -> tuple[float, float]:
    command = [sys.executable, str(repo / "build.py"), "--content", str(corpus), "--output", str(output),
               "--no-search", "-q", *extra]  # fmt: skip
    run = timed(command, sample=sample)
    return run.seconds, run.peak_mib


def round_of(repo: Path, base: Path, work: Path, saves: int, memory: bool) -> dict[str, float]:
    """Every figure of one checkout on a fresh copy of the corpus."""
    corpus, output, cache = work / "content", work / "out", work / "cache"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(base, corpus)
    figures: dict[str, float] = {}
    figures["clean --no-cache (s)"], peak = build(repo, corpus, output, "--no-cache", sample=memory)
    if memory:
        figures["clean --no-cache peak (MiB)"] = peak
    shutil.rmtree(output)
    cached = ("--cache-dir", str(cache))
    figures["first cached build (s)"] = build(repo, corpus, output, *cached)[0]
    figures["nothing changed (s)"] = build(repo, corpus, output, *cached)[0]
    edit_card(corpus, 1)
    figures["body edit (s)"] = build(repo, corpus, output, *cached)[0]
    edit_summary(corpus, 1)
    figures["summary edit (s)"] = build(repo, corpus, output, *cached)[0]
    site = work / "site"
    shutil.copytree(corpus, site / "content")
    card = sorted((site / "content" / "issues").iterdir())[1].relative_to(site).as_posix()
    for what in ("body", "summary"):
        served = serve_latency.measure(site, card, saves, what, repo)
        figures[f"serve {what} save, median (ms)"] = served["reload_median"] * 1000
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", type=Path, required=True, help="the checkout to compare with (A)")
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--saves", type=int, default=8, help="serve saves of each kind per round")
    args = parser.parse_args()
    variants = {"A (other)": args.other.resolve(), "B (this)": REPO}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory(prefix="explainer-ab-") as temp:
        base = Path(temp) / "corpus"
        make_corpus(args.cards, base)
        for n in range(args.rounds):
            order = list(variants) if n % 2 == 0 else list(reversed(variants))
            for name in order:
                figures = round_of(variants[name], base, Path(temp) / "work", args.saves, memory=n < 2)
                results[name].append(figures)
                print(f"round {n + 1}, {name}, load {load()}: "
                      + ", ".join(f"{k} {v:.2f}" for k, v in figures.items()), flush=True)  # fmt: skip
    print(f"\nmedians, {args.cards:,} cards, {args.rounds} rounds:")
    for key in results["A (other)"][0]:
        a = statistics.median(r[key] for r in results["A (other)"] if key in r)
        b = statistics.median(r[key] for r in results["B (this)"] if key in r)
        print(f"  {key}: A {a:.2f}, B {b:.2f}, B/A {b / a:.3f}")


if __name__ == "__main__":
    main()
