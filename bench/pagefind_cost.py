"""What Pagefind costs per page of each kind: `python bench/pagefind_cost.py OUTPUT [--pages 310] [--runs 3]`.

OUTPUT is a built site (e.g. `python build.py --no-search --output OUTPUT` of a `bench/make_corpus.py` corpus).
For issue, actor and event pages, the first N pages of the kind are hard-linked into a scratch folder and
Pagefind's command line (the one the build runs, search.py) indexes them alone; the best of the runs' CPU
time (Pagefind's own, all its threads) per page is printed, and the fragment bytes it wrote (what it indexed);
then the same for the pages as the build hands them to Pagefind, trimmed to what it reads (search.trimmed), and
whether the bundles are byte-identical; the last column is this process's CPU to place a page (hard link, or
read, trim and write the copy). Run it on two outputs (e.g. two checkouts' builds of one corpus) to
compare templates.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from explainer.views.search import pagefind_executable
from explainer.views.searchtrim import trimmed


def measure(executable: Path, pages: list[Path], output: Path, runs: int,
            trim: bool) -> tuple[float, float, int, str, float]:  # fmt: skip
    """(best CPU seconds, its wall seconds, bytes of fragments, digest of the bundle) of Pagefind over pages,
    hard-linked (or trimmed copies), and the CPU seconds this process took to place them (read, trim, write)."""
    best = (float("inf"), 0.0, 0, "")
    placing = time.process_time()
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".pagefind-cost-") as temp:
        site = Path(temp) / "site"
        for page in pages:
            target = site / page.relative_to(output)
            target.parent.mkdir(parents=True, exist_ok=True)
            cut = trimmed(page.read_bytes()) if trim else None
            if cut is None:
                os.link(page, target)
            else:
                target.write_bytes(cut)
        placing = time.process_time() - placing
        for run in range(runs):
            bundle = Path(temp) / f"bundle-{run}"
            before, started = os.times(), time.perf_counter()
            command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--silent"]
            subprocess.run(command, check=True)
            after, wall = os.times(), time.perf_counter() - started
            cpu = after.children_user - before.children_user + after.children_system - before.children_system
            fragments = sum(f.stat().st_size for f in (bundle / "fragment").iterdir())
            digest = hashlib.sha256()
            for path in sorted(bundle.rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(bundle).as_posix().encode() + b"\0" + path.read_bytes())
            best = min(best, (cpu, wall, fragments, digest.hexdigest()))
    return (*best, placing)


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
    print(f"{'kind':8} {'input':8} {'pages':>6} {'MB':>6} {'CPU ms/page':>12} {'wall s':>7} {'fragments KB':>13} "
          f"{'placing ms/page':>16}")  # fmt: skip
    for kind in ("issues", "actors", "events"):
        pages = sorted((output / kind).glob("*/index.html"))[: args.pages]
        if not pages:
            continue
        digests = []
        for trim in (False, True):
            size = sum(len(trimmed(page.read_bytes()) or page.read_bytes()) if trim else page.stat().st_size
                       for page in pages)  # fmt: skip
            cpu, wall, fragments, digest, placing = measure(executable, pages, output, args.runs, trim)
            digests.append(digest)
            print(f"{kind:8} {'trimmed' if trim else 'whole':8} {len(pages):6} {size / 1e6:6.1f} "
                  f"{1000 * cpu / len(pages):12.2f} {wall:7.2f} {fragments / 1024:13.0f} "
                  f"{1000 * placing / len(pages):16.3f}")  # fmt: skip
        print(f"{'':8} bundles {'identical' if digests[0] == digests[1] else 'DIFFER'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
