"""The baseline of issue 6: what a plain Python script does with the corpus, and nothing more.

`python bench/plain_script.py CORPUS OUT` reads the cards with PyYAML (libyaml's
loader when present), renders them with Python-Markdown (extra, toc, footnotes)
and Jinja2 in 2 processes, and writes one page per card, actor and event plus
a home page listing every card. No validation, no backlinks, no other pages.
"""

from __future__ import annotations

import multiprocessing
import re
import sys
from pathlib import Path

import jinja2
import markdown
import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
REF = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]")
PAGE = jinja2.Template(
    "<!doctype html><html lang=en><meta charset=utf-8><title>{{ title }}</title>"
    "<h1>{{ title }}</h1>{% if summary %}<p>{{ summary }}</p>{% endif %}{{ body }}</html>\n",
    autoescape=True,
)
HOME = jinja2.Template(
    "<!doctype html><html lang=en><meta charset=utf-8><title>Home</title><ul>"
    "{% for card in cards %}<li><a href=/issues/{{ card.id }}/>{{ card.title }}</a> {{ card.summary }}</li>{% endfor %}"
    "</ul></html>\n",
    autoescape=True,
)


def link(match: re.Match[str]) -> str:
    target = match.group(1).strip()
    section = target.split("-")[0] + "s"
    return f"[{match.group(2) or target}](/{section}/{target}/)"


def render_card(path: Path) -> tuple[str, str, str]:
    """(id, title, summary) of a card, after writing its page."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.load(front, Loader=Loader)
    html = markdown.markdown(REF.sub(link, body), extensions=["extra", "toc", "footnotes"])
    page = PAGE.render(title=data["title"], summary=data.get("summary"), body=jinja2.utils.markupsafe.Markup(html))
    write(OUT / "issues" / path.stem / "index.html", page)
    return path.stem, data["title"], data.get("summary", "")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(corpus: Path) -> None:
    cards = sorted((corpus / "issues").glob("*.md"))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        listed = pool.map(render_card, cards, chunksize=50)
    for name in ("actors", "events"):
        for key, item in yaml.load((corpus / f"{name}.yaml").read_text(encoding="utf-8"), Loader=Loader).items():
            body = markdown.markdown(REF.sub(link, str(item.get("summary", ""))))
            title = item.get("name") or item.get("title")
            write(
                OUT / name / key / "index.html",
                PAGE.render(title=title, summary=None, body=jinja2.utils.markupsafe.Markup(body)),
            )
    write(OUT / "index.html", HOME.render(cards=[{"id": i, "title": t, "summary": s} for i, t, s in listed]))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/plain_script.py CORPUS OUT")
    OUT = Path(sys.argv[2])
    main(Path(sys.argv[1]))
