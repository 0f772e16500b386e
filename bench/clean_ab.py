"""The default clean build, this checkout against another: `python bench/clean_ab.py CORPUS --other DIR`.

Builds CORPUS (`python bench/make_corpus.py 5000 CORPUS`) with `build.py --no-cache` (search on, the default;
--no-search to leave it out), each build a new process into a new output folder, the checkouts in turn (ABBA:
the shared machine's speed drifts) for --rounds rounds. Prints each build's wall time, CPU time (user + system
of the process tree, Pagefind included: what other engineers' jobs on the shared cores do not change) and the
load average before it, then the median of each per checkout. This checkout's outputs of the first two builds
are compared file by file: the same input must give byte-identical output. DIR is another checkout, e.g.
`git -C REPO archive main | tar -x -C DIR`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from cputime import wall_and_cpu  # noqa: E402
from edit_ab import differing  # noqa: E402  (the same tree comparison)


def build(checkout: Path, corpus: Path, output: Path, search: bool) -> tuple[float, float]:
    shutil.rmtree(output, ignore_errors=True)
    args = ["--content", str(corpus), "--output", str(output), "--no-cache", "-q"] + ([] if search else ["--no-search"])
    return wall_and_cpu([sys.executable, str(checkout / "build.py"), *args], cwd=checkout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--other", type=Path, required=True, help="the checkout to compare with")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-search", dest="search", action="store_false")
    parser.add_argument("--work", type=Path, default=Path("/dev/shm"), help="where the outputs go")
    args = parser.parse_args()
    checkouts = {"this": REPO, "other": args.other.resolve()}
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in checkouts}
    outputs: list[Path] = []
    for number in range(args.rounds):
        order = list(checkouts) if number % 2 == 0 else list(reversed(checkouts))
        for name in order:
            output = args.work / f"clean-ab-{name}-{number}"
            load = os.getloadavg()[0]
            wall, cpu = build(checkouts[name], args.corpus, output, args.search)
            figures[name].append((wall, cpu))
            print(f"round {number + 1}, {name}: {wall:.2f} s wall, {cpu:.2f} s CPU (load {load:.1f})", flush=True)
            if name == "this" and len(outputs) < 2:
                outputs.append(output)
            else:
                shutil.rmtree(output, ignore_errors=True)
    print("| checkout | wall (median) | CPU (median) |\n|---|---|---|")
    for name, runs in figures.items():
        walls, cpus = zip(*runs, strict=True)
        print(f"| {name} ({checkouts[name]}) | {statistics.median(walls):.2f} s | {statistics.median(cpus):.2f} s |")
    if len(outputs) == 2:
        differ = differing(*outputs)
        print(f"this checkout's two outputs: {'byte-identical' if not differ else f'{len(differ)} files differ'}")
        print("".join(f"  {path}\n" for path in differ[:10]), end="")
    for output in outputs:
        shutil.rmtree(output, ignore_errors=True)


if __name__ == "__main__":
    main()
