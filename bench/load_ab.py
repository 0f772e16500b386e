"""A cached build's load and validate, one checkout (B) against another (A), alternating ABBA: `python
bench/load_ab.py --other DIR CONTENT [--rounds 4] [--jobs 2] [--empty]`.

Each run is a new process that does what `pipeline.load_and_link` does before link with the build cache
(the inputs key's stat of every file first, untimed): load the content folder and validate it, find the
earlier records of the changed files and save the cache. Before each round one card's body gets a new line
(a one-card edit); with `--empty`, each run starts from an empty cache instead (a first build's load and
validate). Prints each run's wall and CPU time (this process; the load workers' too with `--empty`) with
the machine's load, then the medians and B/A. DIR is e.g. `git archive main | tar -x -C DIR`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

RUN = r"""
import os, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from explainer.diagnostics import Diagnostics
from explainer.incremental.buildcache import BuildStore, files_key
from explainer.parallel.gctune import fewer_collections
content, cache, jobs = Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
store = BuildStore(cache, cache / "out")
store.inputs_key("settings", (content,))
def cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
with fewer_collections():
    wall, used = time.perf_counter(), cpu()
    diags, documents = Diagnostics(), None
    try:
        from explainer.parallel.checkpool import load_checked
        records, _ = load_checked(content, diags, store.documents, jobs)
        store.documents.earlier()
    except ImportError:  # before checkpool.py: Documents loaded, then every one validated
        from explainer.parallel.loadpool import load_content
        from explainer.validate import validate
        documents = load_content(content, diags, store.documents, jobs)
        store.documents.earlier()
    files_key(store.documents.used)
    store.documents.save()
    if documents is not None:
        records = validate(documents, diags)
    print(time.perf_counter() - wall, cpu() - used, len(records.issues))
"""


def run(tree: Path, content: Path, cache: Path, jobs: int) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", RUN, str(tree), str(content), str(cache), str(jobs)],
                         capture_output=True, text=True, check=True).stdout.split()  # fmt: skip
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path, help="a content folder (bench/make_corpus.py); one card is edited")
    parser.add_argument("--other", type=Path, required=True, help="the checkout to compare with (A)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--empty", action="store_true", help="each run from an empty cache")
    args = parser.parse_args()
    cards = sorted((args.content / "issues").glob("*.md"))
    card = cards[len(cards) // 2]
    trees = {"A": args.other, "B": REPO}
    with tempfile.TemporaryDirectory(prefix="load-ab-") as temp:
        caches = {name: Path(temp) / name for name in trees}
        if not args.empty:
            for name, tree in trees.items():
                run(tree, args.content, caches[name], args.jobs)  # fills the cache, untimed
        times: dict[str, list[tuple[float, float]]] = {"A": [], "B": []}
        for round_ in range(args.rounds):
            with card.open("a", encoding="utf-8") as handle:
                handle.write(f"\nLoad A/B line {time.time()}.\n")
            for name in ("A", "B") if round_ % 2 == 0 else ("B", "A"):
                if args.empty:
                    shutil.rmtree(caches[name], ignore_errors=True)
                wall, cpu = run(trees[name], args.content, caches[name], args.jobs)
                times[name].append((wall, cpu))
                print(f"round {round_} {name}: wall {wall:.3f} s, CPU {cpu:.3f} s, load {os.getloadavg()[0]:.1f}")
    a, b = ([statistics.median(t[i] for t in times[n]) for i in (0, 1)] for n in ("A", "B"))
    print(f"median wall A {a[0]:.3f} B {b[0]:.3f} s (B/A {b[0] / a[0]:.2f}); "
          f"CPU A {a[1]:.3f} B {b[1]:.3f} s (B/A {b[1] / a[1]:.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
