"""CPU of the front stages and of a one-card edit, this checkout against another (A/B).

    python bench/front_ab.py stages CONTENT [--other DIR] [--rounds N]
    python bench/front_ab.py edit CONTENT [--other DIR] [--rounds N]

`stages` runs load, validate, link and plan over CONTENT three times per process and prints each
stage's least CPU time (time.process_time: this machine's speed drifts by up to 2x from minute to
minute, and the other engineers' work only ever adds time). `edit` appends a line to one card's body,
builds with the build cache (`--jobs 1`, in-process, each stage timed), and puts the card back (so give
it a copy of a shared corpus); the first build of each checkout fills its own cache (output and cache in
a temporary folder), so only the edits are printed. With --other (a checkout of another commit, e.g.
from `git archive`), its runs alternate with this checkout's, each in a fresh process.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

STAGES = """
import gc, sys, time
sys.path.insert(0, {code!r})
from pathlib import Path
try:
    from explainer.parallel import gctune
except ImportError:  # code from before the machinery moved into subpackages
    from explainer import gctune
from explainer.diagnostics import Diagnostics
from explainer.link import link
from explainer.load import load_content
from explainer.pages import plan
from explainer.validate import validate
gc.set_threshold(*gctune.BUILD_THRESHOLDS)
best = {{}}
for _ in range(3):
    gc.collect()
    diags = Diagnostics()
    t0 = time.process_time()
    documents = load_content(Path({content!r}), diags)
    t1 = time.process_time()
    records = validate(documents, diags)
    t2 = time.process_time()
    site = link(records, diags)
    t3 = time.process_time()
    pages = plan(site)
    t4 = time.process_time()
    times = (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0)
    for name, spent in zip(("load", "validate", "link", "plan", "total"), times):
        best[name] = min(best.get(name, spent), spent)
    del documents, records, site, pages
print(" ".join(f"{{k}}={{v:.3f}}" for k, v in best.items()))
"""

EDIT = """
import functools, sys, time
sys.path.insert(0, {code!r})
import os
os.chdir({code!r})
from pathlib import Path
from explainer import inplace, pipeline
try:
    from explainer.incremental import buildcache
except ImportError:  # code from before the machinery moved into subpackages
    from explainer import buildcache
from explainer.pipeline import BuildOptions, build
spent = {{}}
def timed(owner, name):
    function = getattr(owner, name)
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - started
    setattr(owner, name, wrapper)
for name in ("load_checked", "load_content", "validate", "link", "plan", "render_all", "host_files", "view_files"):
    if hasattr(pipeline, name):  # load_checked: a cached build's load and validate (parallel/checkpool.py)
        timed(pipeline, name)
timed(buildcache.BuildStore, "inputs_key")
timed(buildcache.BuildStore, "save")
timed(inplace, "intact")
cards = sorted(Path({content!r}, "issues").glob("*.md"))
card = cards[min(42, len(cards) - 1)]
text = card.read_text()
options = BuildOptions(content=Path({content!r}), output=Path({output!r}), templates=Path("templates"),
    static=Path("static"), base_url=None, drafts=False, relative_urls=False, strict=False, search=False,
    jobs=1, cache_dir=Path({cache!r}), progress=False)
if not Path({cache!r}).exists():
    assert build(options).ok  # fills the cache
try:
    card.write_text(text + f"\\nEdited at {{time.time()}}.\\n")
    spent.clear()
    started = time.process_time()
    assert build(options).ok
    spent["total"] = time.process_time() - started
finally:
    card.write_text(text)
print(" ".join(f"{{k}}={{v:.2f}}" for k, v in spent.items()))
"""


def run(script: str) -> str:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("stages", "edit"))
    parser.add_argument("content", type=Path)
    parser.add_argument("--other", type=Path, help="another checkout to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    checkouts = {"this": REPO, **({"other": args.other.resolve()} if args.other else {})}
    content = str(args.content.resolve())
    with tempfile.TemporaryDirectory(prefix="front-ab-") as scratch:
        for _ in range(args.rounds):
            for label, code in checkouts.items():
                if args.what == "stages":
                    script = STAGES.format(code=str(code), content=content)
                else:
                    output, cache = Path(scratch, label, "output"), Path(scratch, label, "cache")
                    script = EDIT.format(code=str(code), content=content, output=str(output), cache=str(cache))
                print(f"{label:5} {run(script)}", flush=True)


if __name__ == "__main__":
    main()
