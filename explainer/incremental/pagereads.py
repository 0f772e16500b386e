"""What rendering each page read (reads.py): its context made, if it was planned lazily, and its templates
run. `serve` (memory.py, previewpool.py) and a cached `build` (pagepool.py) keep it with the page."""

from __future__ import annotations

from ..pages import PageSpec
from ..reads import Deps, unit
from ..render import Renderer


class PageReads:
    """Wraps renderer.render so that each page's reads are recorded, by output path."""

    def __init__(self, renderer: Renderer) -> None:
        self.pages: dict[str, Deps] = {}
        render = renderer.render

        def render_page(page: PageSpec) -> str:
            html, reads = unit(lambda: render(page))
            self.pages[page.output_path] = reads.frozen()
            return html

        renderer.render = render_page  # type: ignore[method-assign]
