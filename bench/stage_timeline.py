"""When each stage of one build starts and ends: `python bench/stage_timeline.py CONTENT [options]`.

Runs one `--no-search` build (`--search`: with the index, and the wait for it in `write_rest`, `search_wait`)
in this process (into a new folder unless --output is given; `--no-cache` unless --cache-dir is: give both,
build once, edit a card and build again for a one-card edit's timeline) with a timer around each stage function of
`explainer.pipeline` and a few others, and prints one line per call: the stage,
the second it started and the second it ended, from the start of the build.
What docs/performance.md's "stage by stage" figures are read from: where the
main process works alone, and when the page workers start.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from explainer import pipeline, write  # noqa: E402
from explainer.incremental.viewparts import ViewParts  # noqa: E402
from explainer.parallel import pagepool, prerender  # noqa: E402
from explainer.views import search  # noqa: E402

STARTED = time.perf_counter()


def timed(owner: Any, name: str, label: str = "") -> None:
    function: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        begun = time.perf_counter() - STARTED
        try:
            return function(*args, **kwargs)
        finally:
            print(f"{label or name:18s} {begun:7.2f} → {time.perf_counter() - STARTED:7.2f} s", flush=True)

    setattr(owner, name, wrapper)


def main() -> None:
    global STARTED
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--cache-dir", type=Path, default=None, help="build with this cache (default: --no-cache)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--output", type=Path, default=None, help="build into this folder (default: a new one)")
    parser.add_argument("--search", action="store_true", help="with the search index (the default build)")
    args = parser.parse_args()
    stages = ("load_checked", "load_content", "validate", "link", "planned_pages", "render_all", "advise", "host_files",
              "view_files", "write_rest")  # fmt: skip
    timed(pagepool, "page_keys")
    for name in stages:
        if hasattr(pipeline, name):  # load_checked: a cached build's load and validate (checkpool.py)
            timed(pipeline, name)
    timed(pagepool, "compile_templates")
    timed(ViewParts, "view_files", "view_files (cache)")
    timed(search.Background, "finish", "search_wait")
    timed(prerender.FirstPass, "finish")
    timed(write.Staging, "commit")
    with tempfile.TemporaryDirectory(prefix="explainer-stages-") as temp:
        output = args.output or Path(temp) / "out"
        options = pipeline.BuildOptions(args.content, output, REPO / "templates", REPO / "static", search=args.search,
                                        jobs=args.jobs, cache_dir=args.cache_dir)  # fmt: skip
        STARTED = time.perf_counter()
        result = pipeline.build(options)
        total = time.perf_counter() - STARTED
    print(f"{'total':18s} {total:7.2f} s, {sum(result.pages.values())} pages, ok: {result.ok}")


if __name__ == "__main__":
    main()
