"""Reading one built HTML page for `check`: its ids, outgoing links, title, description, and any `[[` or `]]`
left in the text a reader sees."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

LINK_ATTRS = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
}
SKIP_RELS = {"preconnect", "dns-prefetch"}
# Elements whose text a reader does not see as the page's words (code shows `[[x]]` on purpose).
UNSHOWN = frozenset({"code", "pre", "script", "style", "template"})
STRAIGHT = str.maketrans("‘’“”", "''\"\"")
STRAY_RE = re.compile(r"\[\[[^\[\]]{0,100}\]\]|\[\[|\]\]")


@dataclass(frozen=True, slots=True)
class Link:
    line: int
    url: str


@dataclass(frozen=True, slots=True)
class Stray:
    """`[[` or `]]` in a page's visible text, with the words around it as shown."""

    line: int
    text: str

    @property
    def key(self) -> str:
        """What to look for in the content: `[[id` (as written), or the word that a lone `]]` closes."""
        if self.text.startswith("[["):
            return "[[" + re.split(r"[\s|\]]", self.text[2:], maxsplit=1)[0]
        return self.text.split()[-1]


def stray_at(data: str, match: re.Match[str], line: int) -> Stray:
    found = match.group(0)
    if found == "[[":
        found = " ".join(data[match.start() :].split()[:4])
    elif found == "]]":
        found = " ".join(data[: match.end()].split()[-4:])
    return Stray(line + data.count("\n", 0, match.start()), " ".join(found.split()))


class PageParser(HTMLParser):
    """The ids, outgoing links, title and description of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[Link] = []
        self.title = ""
        self.description = ""
        self.in_title = False
        self.hidden = 0  # depth inside UNSHOWN elements
        self.strays: list[Stray] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        if tag in UNSHOWN:
            self.hidden += 1
        for name in ("id",) + (("name",) if tag == "a" else ()):
            if values.get(name):
                self.ids.add(values[name])
        if tag == "link" and SKIP_RELS & set(values.get("rel", "").lower().split()):
            return
        for attr in LINK_ATTRS.get(tag, ()):
            if attr not in values:
                continue
            if attr == "srcset":
                urls = [part.split()[0] for part in values[attr].split(",") if part.strip()]
            else:
                urls = [values[attr]]
            self.links.extend(Link(line, url.strip()) for url in urls)
        if tag == "title":
            self.in_title = True
        if tag == "meta" and values.get("name", "").lower() == "description":
            self.description = values.get("content", "").strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in UNSHOWN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        if not self.hidden and ("[[" in data or "]]" in data):
            line = self.getpos()[0]
            self.strays.extend(stray_at(data, match, line) for match in STRAY_RE.finditer(data))


def parse_page(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser
