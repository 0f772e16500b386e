"""Template CPU per page kind, A/B in one process: `python bench/template_cost.py CONTENT [OTHER_ROOT] [ROUNDS]`.

Loads CONTENT once with this checkout's code, then renders every page with
this checkout's render.py and templates (B) and, given OTHER_ROOT (a copy of
another commit, e.g. `git archive HEAD~3 | tar -x -C /tmp/old`), with that
copy's render.py and templates (A), each module loaded beside this package,
so dates.py, metadata.py and the rest are this checkout's for both. Every
renderer first renders every page once untimed, so Markdown is memoised and
what is timed is the templates. The rounds alternate A and B (ABBA...) and
each figure is the least of ROUNDS rounds in process CPU time
(time.process_time), the machine being shared and its speed drifting.
A and B must write the same bytes; the script stops if not.
"""

from __future__ import annotations

import gc
import importlib.util
import sys
import time
from collections import defaultdict
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from explainer import render as render_b  # noqa: E402
from explainer.assets import fingerprint  # noqa: E402
from explainer.diagnostics import Diagnostics  # noqa: E402
from explainer.link import link  # noqa: E402
from explainer.load import load_content  # noqa: E402
from explainer.pages import plan  # noqa: E402
from explainer.validate import validate  # noqa: E402
from explainer.write import collect_static  # noqa: E402


def other_render(root: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("explainer._render_other", root / "explainer" / "render.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    content = Path(sys.argv[1])
    other = Path(sys.argv[2]) if len(sys.argv) > 2 and not sys.argv[2].isdigit() else None
    rounds = int(sys.argv[-1]) if sys.argv[-1].isdigit() else 7
    diags = Diagnostics()
    site = link(validate(load_content(content, diags), diags), diags, include_drafts=False)
    if site is None:
        sys.exit("\n".join(str(item) for item in diags.items) or f"{content}: no site")
    pages = plan(site)
    _static, assets = fingerprint(collect_static(ROOT / "static"))
    renderers = {"B": render_b.Renderer(site, ROOT / "templates", None, assets, False, diags)}
    if other is not None:
        renderers["A"] = other_render(other).Renderer(site, other / "templates", None, assets, False, diags)
    for page in pages:
        html = {name: r.render(page) for name, r in renderers.items()}
        assert len(set(html.values())) == 1, f"A and B differ: {page.output_path}"
    times: dict[str, dict[str, list[float]]] = {name: defaultdict(list) for name in renderers}
    gc.disable()
    order = sorted(renderers)
    for n in range(rounds):
        for name in order if n % 2 == 0 else reversed(order):
            spent: dict[str, float] = defaultdict(float)
            count: dict[str, int] = defaultdict(int)
            renderer = renderers[name]
            for page in pages:
                start = time.process_time()
                renderer.render(page).encode()
                spent[page.kind] += time.process_time() - start
                count[page.kind] += 1
            for kind, seconds in spent.items():
                times[name][kind].append(seconds / count[kind] * 1000)
            times[name]["all pages (s)"].append(sum(spent.values()))
            gc.collect()
    print(f"{len(pages)} pages; ms per page, least of {rounds} rounds (process CPU time)")
    print(f"{'kind':14}" + "".join(f"{name:>10}" for name in order) + ("       B/A" if len(order) == 2 else ""))
    for kind in sorted(times["B"]):
        best = [min(times[name][kind]) for name in order]
        ratio = f"{best[1] / best[0]:10.2f}" if len(best) == 2 else ""
        print(f"{kind:14}" + "".join(f"{value:10.3f}" for value in best) + ratio)


if __name__ == "__main__":
    main()
