"""What the explainer views cost per page: `python bench/views_cost.py N [RUNS]`.

Builds a corpus of N issues with bench/make_corpus.py into a temporary
folder, runs load → validate → link once, then times, RUNS times each (the
best run is kept, since the machine is shared):

- plan: all pages, and the view parts of it (timeline charts, the relation
  graph and its drawings, the matrix, the update lists);
- render: every page as built, and every page again with its view contexts
  blanked (no chart, no map, no updates) and without the three new pages, so
  the difference is what the views add to templating. Each renderer first
  renders every page once untimed, so its Markdown cache is warm: Markdown
  (~10 ms a card, the same with or without views) would otherwise drown the
  difference in the machine's noise;
- view files (feeds, JSON exports) and the Pagefind index.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import make_corpus

from explainer.diagnostics import Diagnostics
from explainer.link import link
from explainer.load import load_content
from explainer.pages import PageSpec, Planner, plan
from explainer.render import Renderer
from explainer.validate import validate
from explainer.views import search
from explainer.views.changes import all_updates
from explainer.views.files import view_files
from explainer.views.matrix import matrix
from explainer.views.timeline import chart

ROOT = Path(__file__).resolve().parent.parent
NEW_PAGES = ("positions", "map", "search")


def best(runs: int, work: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def blank(page: PageSpec) -> PageSpec:
    """The page as it was before the views: no chart, no map, no updates."""
    context = dict(page.context)
    for key, empty in (("chart", None), ("relmap", None), ("updates", [])):
        if key in context:
            context[key] = empty
    return dataclasses.replace(page, context=context)


def main(count: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as temp:
        content = Path(temp) / "content"
        make_corpus(count, content)
        diags = Diagnostics()
        site = link(validate(load_content(content, diags), diags), diags)
        assert site is not None and not diags.has_errors()
        t_plan, pages = best(runs, lambda: plan(site))
        assert isinstance(pages, list)

        def view_contexts() -> None:
            planner = Planner(site)  # builds the relation graph
            for issue in site.issues:
                chart(planner.objects(site.relations.issue_events.get(issue.id, ())), site.words)
            for actor in site.actors:
                chart(planner.objects(site.relations.actor_events.get(actor.id, ())), site.words)
                planner.graph.around(actor.id)
            chart(site.events, site.words)
            planner.graph.whole()
            matrix(site.issues, {a.id: a for a in site.actors}, planner.name)
            all_updates(site.issues)

        t_view_plan, _ = best(runs, view_contexts)
        old_pages = [blank(p) for p in pages if p.kind not in NEW_PAGES]
        new, old = Renderer(site, ROOT / "templates"), Renderer(site, ROOT / "templates")
        files = {p.output_path: new.render(p).encode() for p in pages}  # warm the Markdown caches
        for page in old_pages:
            old.render(page)
        t_render, _ = best(runs, lambda: [new.render(p) for p in pages])
        t_render_old, _ = best(runs, lambda: [old.render(p) for p in old_pages])
        macros = new.env.get_template("macros.html").make_module({"url": new.url, "url_for": new.url_for})

        def view_macros() -> None:
            for page in pages:
                context = page.context
                if context.get("chart"):
                    macros.timeline_chart(context["chart"], context.get("tags"))
                if context.get("relmap"):
                    macros.relmap(context["relmap"], context["relation_labels"], "map")
            for page in pages:
                if page.kind in NEW_PAGES:
                    new.render(page)

        t_macros, _ = best(runs, view_macros)
        t_files, extra = best(runs, lambda: view_files(site, "https://example.org/"))
        assert isinstance(extra, dict)
        executable = search.pagefind_executable()
        t_search = best(1, lambda: search.search_index(files, Diagnostics(), executable))[0] if executable else None
    n = len(pages)
    views = t_view_plan + t_macros + t_files
    print(f"{count} issues, {n} pages ({len(old_pages)} before the views), best of {runs}")
    print(f"plan, all pages:          {t_plan * 1000:8.0f} ms   of which view contexts {t_view_plan * 1000:6.0f} ms")
    print(f"render (Markdown cached), with views: {t_render * 1000:8.0f} ms")
    extra_render = (t_render - t_render_old) * 1000
    print(f"render (Markdown cached), blanked:    {t_render_old * 1000:8.0f} ms   difference {extra_render:6.0f} ms")
    print(f"view macros and pages alone:         {t_macros * 1000:8.0f} ms")
    print(f"view files ({len(extra)}):        {t_files * 1000:8.0f} ms")
    print(f"views in all:             {views * 1000:8.0f} ms = {views / n * 1000:.2f} ms per page")
    if t_search is not None:
        print(f"Pagefind index:           {t_search * 1000:8.0f} ms = {t_search / n * 1000:.2f} ms per page")
    else:
        print("Pagefind index:           not installed")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python bench/views_cost.py N [RUNS]")
    main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) == 3 else 3)
