"""The differential test's long run (issue 16): many seeded sequences of random edits, each step's cached build and
running serve compared with clean builds byte for byte (tests/difftest.py). It keeps going after a mismatch, logs
every step, and ends with the steps, seeds, edit-kind counts, failures and duration.

    python bench/differential.py --seeds 100-179 --steps 25 --log /tmp/differential.log   # 2,000 steps
    python bench/differential.py --seed 7 --steps 12 --jobs 1                              # replay a failure

A seed's --jobs and --swap default to what the test suite gives it (tests/test_differential.py `config`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from difftest import Mismatch, config, run_sequence  # noqa: E402


def seed_list(text: str) -> list[int]:
    seeds: list[int] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        seeds.extend(range(int(low), int(high or low) + 1))
    return seeds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="1-3", help="seeds, e.g. 1-3 or 4,9,10-20 (default 1-3)")
    parser.add_argument("--seed", type=int, help="one seed (overrides --seeds)")
    parser.add_argument("--steps", type=int, default=25, help="steps per seed (default 25)")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for every build (0: the default, every core)")
    parser.add_argument("--swap", action="store_true", default=None, help="cached builds never update in place")
    parser.add_argument("--log", type=Path, help="also append every line to this file")
    args = parser.parse_args()
    seeds = [args.seed] if args.seed is not None else seed_list(args.seeds)

    def say(line: str) -> None:
        print(line, flush=True)
        if args.log:
            with args.log.open("a", encoding="utf-8") as log:
                log.write(line + "\n")

    counts: Counter[str] = Counter()
    failures: list[str] = []
    steps = 0
    started = time.perf_counter()
    say(f"differential run: seeds {seeds[0]}..{seeds[-1]} ({len(seeds)}), {args.steps} steps each")
    for seed in seeds:
        jobs, swap = config(seed)
        if args.jobs is not None:
            jobs = str(args.jobs) if args.jobs else None
        if args.swap is not None:
            swap = args.swap
        with tempfile.TemporaryDirectory(prefix=f"differential-{seed}-") as folder:
            try:
                sequence = run_sequence(seed, args.steps, Path(folder), jobs=jobs, swap=swap, progress=say)
                counts += sequence.counts
                steps += sequence.number
            except Exception as error:
                failed = getattr(error, "sequence", None)
                if failed is not None:
                    counts += failed.counts
                    steps += failed.number
                kind = "MISMATCH" if isinstance(error, Mismatch) else "ERROR"
                failures.append(f"{kind} seed {seed}: {error}")
                say(f"{kind} seed {seed}: {traceback.format_exc() if kind == 'ERROR' else error}")
    minutes = (time.perf_counter() - started) / 60
    say(f"done: {steps} steps of {len(seeds)} seeds in {minutes:.1f} min, {len(failures)} failure(s)")
    say(f"edits applied: {sum(counts.values())}, {len(counts)} kinds: " + ", ".join(
        f"{kind} {count}" for kind, count in sorted(counts.items())))  # fmt: skip
    for failure in failures:
        say(failure.splitlines()[0])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
