"""Run a command to its end: its wall time and the CPU time (user + system) of it and all its children."""

from __future__ import annotations

import resource
import subprocess
import time
from pathlib import Path


def wall_and_cpu(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=cwd)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
