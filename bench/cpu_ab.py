"""What the two CPU changes of issue 6 save: `python bench/cpu_ab.py CORPUS [--repeat N]`.

Builds CORPUS (`bench/make_corpus.py 5000 DIR`) with `build.py --no-cache --no-search` in a fresh
process per build, in three variants taken in turn so the machine's phases fall on all of them:
as shipped; with Python's default garbage-collector thresholds (explainer/parallel/gctune.py off); and
without the Markdown first pass (explainer/parallel/prerender.py off). Prints wall time and CPU time
(user + system, the process and its workers) of each build, and the median per variant.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cputime import wall_and_cpu

REPO = Path(__file__).resolve().parent.parent
VARIANTS = {
    "as shipped": "",
    "default gc thresholds": "import gc, explainer.parallel.gctune as g; g.BUILD_THRESHOLDS = gc.get_threshold()",
    "no Markdown first pass": "import explainer.parallel.prerender as p; p.PARALLEL_MIN = 10**9",
}


def build(corpus: Path, output: Path, setup: str) -> tuple[float, float]:
    shutil.rmtree(output, ignore_errors=True)
    args = ["--content", str(corpus), "--output", str(output), "--no-cache", "--no-search", "-q"]
    code = f"import sys; sys.path.insert(0, {str(REPO)!r}); {setup}\n"
    code += f"from explainer.cli import main; sys.exit(main({args!r}))"
    return wall_and_cpu([sys.executable, "-c", code])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in VARIANTS}
    with tempfile.TemporaryDirectory(prefix="explainer-ab-") as temp:
        for _ in range(args.repeat):
            for name, setup in VARIANTS.items():
                wall, cpu = build(args.corpus, Path(temp) / "out", setup)
                results[name].append((wall, cpu))
                print(f"{name}: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(f"median, {name}: {wall:.1f} s wall, {cpu:.1f} s CPU")


if __name__ == "__main__":
    main()
