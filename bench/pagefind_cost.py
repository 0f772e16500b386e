"""What Pagefind costs per page of each kind: `python bench/pagefind_cost.py OUTPUT [--pages 310] [--runs 3]`.

OUTPUT is a built site (e.g. `python build.py --no-search --output OUTPUT` of a `bench/make_corpus.py` corpus).
For issue, actor and event pages, the first N pages of the kind are hard-linked into a scratch folder and
Pagefind's command line (the one the build runs, search.py) indexes them alone; the best of the runs' CPU
time (Pagefind's own, all its threads) per page is printed, and the fragment bytes it wrote (what it indexed).
Run it on two outputs (e.g. two checkouts' builds of one corpus) to compare templates.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from explainer.views.search import pagefind_executable


def measure(executable: Path, pages: list[Path], output: Path, runs: int) -> tuple[float, float, int]:
    """(best CPU seconds, its wall seconds, bytes of fragments) of Pagefind over pages."""
    best = (float("inf"), 0.0, 0)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".pagefind-cost-") as temp:
        site = Path(temp) / "site"
        for page in pages:
            target = site / page.relative_to(output)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(page, target)
        for run in range(runs):
            bundle = Path(temp) / f"bundle-{run}"
            before, started = os.times(), time.perf_counter()
            command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--silent"]
            subprocess.run(command, check=True)
            after, wall = os.times(), time.perf_counter() - started
            cpu = after.children_user - before.children_user + after.children_system - before.children_system
            fragments = sum(f.stat().st_size for f in (bundle / "fragment").iterdir())
            best = min(best, (cpu, wall, fragments))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--pages", type=int, default=310, help="pages of each kind (a bundle at 5,000 cards: ~310)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    executable = pagefind_executable()
    if executable is None:
        print("Pagefind is not installed (pip install 'pagefind[bin]==1.5.2')", file=sys.stderr)
        return 1
    output = args.output.resolve()
    print(f"Pagefind {executable.name} over {args.pages} pages of each kind, best of {args.runs}")
    print(f"{'kind':8} {'pages':>6} {'CPU ms/page':>12} {'wall s':>7} {'fragments KB':>13}")
    for kind in ("issues", "actors", "events"):
        pages = sorted((output / kind).glob("*/index.html"))[: args.pages]
        if not pages:
            continue
        cpu, wall, fragments = measure(executable, pages, output, args.runs)
        print(f"{kind:8} {len(pages):6} {1000 * cpu / len(pages):12.2f} {wall:7.2f} {fragments / 1024:13.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
