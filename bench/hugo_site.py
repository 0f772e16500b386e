"""The corpus as a Hugo site, so Hugo builds the same pages: `python bench/hugo_site.py CORPUS SITE`.

Cards become content/issues/<id>.md (front matter in YAML, `[[ref]]` turned
into Markdown links), actors and events become pages of their own, and a
minimal theme of four layouts renders them: a page per card, actor and event
with its Markdown body, and a home page listing every card with its summary,
as ours does. Footnotes, tables and heading ids are Goldmark's defaults.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
REF = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]")

CONFIG = """baseURL = "https://example.org/"
title = "Generated explainer"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.extensions]
  typographer = true
[markup.goldmark.parser]
  autoHeadingID = true
"""
LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
        '<body><header><a href="/">{{ site.Title }}</a></header>'
        '<main>{{ block "main" . }}{{ end }}</main></body></html>\n'
    ),
    "_default/single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1>'
        "{{ with .Params.summary }}<p class=summary>{{ . }}</p>{{ end }}"
        "{{ .TableOfContents }}{{ .Content }}</article>{{ end }}\n"
    ),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n'
    ),
    "index.html": (
        '{{ define "main" }}<ol>{{ range (where site.RegularPages "Section" "issues").ByWeight }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ol>{{ end }}\n'
    ),
}


def link(match: re.Match[str]) -> str:
    target = match.group(1).strip()
    section = target.split("-")[0] + "s"
    return f"[{match.group(2) or target}](/{section}/{target}/)"


def front(data: dict[str, object]) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=True) + "---\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_site(corpus: Path, site: Path) -> None:
    write(site / "hugo.toml", CONFIG)
    for rel, text in LAYOUTS.items():
        write(site / "layouts" / rel, text)
    for card in sorted((corpus / "issues").glob("*.md")):
        _, head, body = card.read_text(encoding="utf-8").split("---\n", 2)
        data = yaml.load(head, Loader=Loader)
        meta = {"title": data["title"], "summary": data.get("summary", ""), "weight": data.get("order", 0)}
        write(site / "content" / "issues" / f"{card.stem}.md", front(meta) + REF.sub(link, body))
    for name, key in (("actors", "name"), ("events", "title")):
        items = yaml.load((corpus / f"{name}.yaml").read_text(encoding="utf-8"), Loader=Loader)
        for item_id, item in items.items():
            text = REF.sub(link, str(item.get("summary", "")))
            write(site / "content" / name / f"{item_id}.md", front({"title": item[key]}) + text + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/hugo_site.py CORPUS SITE")
    make_site(Path(sys.argv[1]), Path(sys.argv[2]))
