"""Which issues' Markdown bodies a page's templates read: what lets `serve` (incremental/memory.py) and a cached
`build` (pagepool.unchanged_pages) keep a page that holds an issue whose body alone changed."""

from __future__ import annotations

from typing import Any

from ..model import Issue
from ..pages import PageSpec
from ..render import Renderer


class BodyReads:
    """Which issues' Markdown bodies the templates read while rendering each page.

    The templates reach a record's fields only through the environment's getattr and getitem
    (also for `map(attribute=...)` and `sort(attribute=...)`); no filter or global of render.py
    is handed an Issue and reads its body. Both are watched for `body` of an Issue.
    """

    def __init__(self, renderer: Renderer) -> None:
        self.read: set[str] = set()
        self.pages: dict[str, frozenset[str]] = {}  # output path → ids of the issues whose body it read
        env, render = renderer.env, renderer.render
        get_attribute, get_item = env.getattr, env.getitem

        def getattr_(obj: Any, attribute: str) -> Any:
            if attribute == "body" and type(obj) is Issue:
                self.read.add(obj.id)
            return get_attribute(obj, attribute)

        def getitem(obj: Any, argument: Any) -> Any:
            if argument == "body" and type(obj) is Issue:
                self.read.add(obj.id)
            return get_item(obj, argument)

        def render_page(page: PageSpec) -> str:
            self.read = set()
            html = render(page)
            self.pages[page.output_path] = frozenset(self.read)
            return html

        env.getattr, env.getitem, renderer.render = getattr_, getitem, render_page  # type: ignore[method-assign]
