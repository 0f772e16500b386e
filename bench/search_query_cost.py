"""What a search costs the reader's browser: `python bench/search_query_cost.py OUTPUT [OUTPUT ...] [--rounds 3]`.

Each OUTPUT is a built site with search on (e.g. the same corpus built with two `EXPLAINER_SEARCH_BUNDLE_PAGES`).
For each round and each output in turn (alternating), a fresh headless Chromium (empty profile: nothing cached)
opens the output's /search/ page, served over HTTP, and times in the page, as explainer.js does it: fetching the
bundle list, importing the primary bundle and merging the others (`mergeIndex`); then each query (a word from
bodies found on thousands of pages, a rarer word, a name, a title) as a reader's first search, and again; each
answer's first five results' data loaded, as the UI shows them. Medians of the rounds, in milliseconds; `results`
rows are the number of pages each query found (a word no page of a bundle holds makes Pagefind match a shorter
prefix there: "4321" finds "432", so more bundles find more pages for numbers, whose best result is the same).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from chromium import chromium, served

QUERIES = ("ceasefire", "sanctions", "Actor 731", "Issue 4321", "treaty verification")

SCRIPT = """(async () => {
  const t0 = performance.now();
  const list = new URL('pagefind/explainer-bundles.json', location.origin + '/');
  const names = (await (await fetch(list)).json()).bundles;
  const paths = names.map((name) => new URL(name, list).pathname);
  const pagefind = await import(paths[0] + 'pagefind.js');
  for (const path of paths.slice(1)) await pagefind.mergeIndex(path);
  await pagefind.init();
  const times = {bundles: names.length, merge: performance.now() - t0};
  for (const pass of ['first', 'again']) {
    for (const query of QUERIES) {
      const t = performance.now();
      const response = await pagefind.search(query);
      await Promise.all(response.results.slice(0, 5).map((r) => r.data()));
      times[pass + ' ' + query] = performance.now() - t;
      times['results ' + query] = response.results.length;
    }
  }
  return times;
})()"""


def measure(output: Path, profile: Path) -> dict[str, float]:
    script = SCRIPT.replace("QUERIES", json.dumps(list(QUERIES)))
    with chromium(profile) as page, served(output) as url:
        page.open(url + "search/")
        return dict(page.evaluate(script))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outputs", type=Path, nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    runs: dict[Path, list[dict[str, float]]] = {output: [] for output in args.outputs}
    with tempfile.TemporaryDirectory(prefix="search-query-cost-") as temp:
        for round_ in range(args.rounds):
            for index, output in enumerate(args.outputs):
                runs[output].append(measure(output.resolve(), Path(temp) / f"profile-{round_}-{index}"))
    keys = list(runs[args.outputs[0]][0])
    print(f"{'ms (median of ' + str(args.rounds) + ')':34}" + "".join(f"{str(o)[-22:]:>24}" for o in args.outputs))
    for key in keys:
        cells = [statistics.median(run[key] for run in runs[output]) for output in args.outputs]
        print(f"{key:34}" + "".join(f"{cell:24.0f}" for cell in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
