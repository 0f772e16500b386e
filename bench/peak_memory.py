"""Peak memory (and time) of clean builds of one corpus: `python bench/peak_memory.py CORPUS`.

Builds CORPUS (a content folder, e.g. from `bench/make_corpus.py 20000 DIR`) with
`build.py --no-search` (with `--search`: the default build, search on) twice into a fresh
output folder: with `--no-cache`, and with an empty build cache. Prints the wall time and
the peak of the whole process tree's memory (sum of PSS, bench/run.py's `timed`) with the load average, one line each.
Quicker than bench/run.py when only explainer's own figures are wanted.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from run import REPO, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--work", type=Path, default=None, help="build in a folder made here (e.g. /dev/shm)")
    parser.add_argument("--search", action="store_true", help="search on, as the default build (else --no-search)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="explainer-mem-", dir=args.work) as temp:
        output, cache = Path(temp) / "out", Path(temp) / "cache"
        for label, extra in (("clean --no-cache", ["--no-cache"]), ("clean, empty cache", ["--cache-dir", str(cache)])):
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            command = [sys.executable, str(REPO / "build.py"), "--content", str(args.corpus)]
            command += [] if args.search else ["--no-search"]
            run = timed([*command, "--output", str(output), *extra], sample=True)
            load = Path("/proc/loadavg").read_text().split()[0]
            print(f"{label}: {run.seconds:.1f} s, peak {run.peak_mib:,.0f} MiB (load {load})", flush=True)


if __name__ == "__main__":
    main()
