"""Markdown CPU per text, explainer's renderer against stock Python-Markdown: `python bench/markdown_cost.py CONTENT`.

Reads the first --cards issue cards of CONTENT (e.g. a corpus from
`bench/make_corpus.py`): their bodies, and their positions and summaries
(one-paragraph texts). Renders each with two MarkdownRenderers built the same
way (the same extensions: tables, footnotes, fenced code, sane lists, toc,
`[[ref]]`s, smarty, the safety rules), one with `fastinline.speed_up` (what
builds use) and one without it (Python-Markdown's own stages), in alternating
rounds, and prints the least and the median CPU time per text of each
(time.process_time: the machine is shared and its speed drifts). The two must
give the same HTML for every text; the script stops if not.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from explainer import markdown_ext  # noqa: E402
from explainer.markdown_ext import LinkTarget, MarkdownRenderer  # noqa: E402


def texts(content: Path, cards: int) -> tuple[list[str], list[str]]:
    bodies: list[str] = []
    short: list[str] = []
    for path in sorted((content / "issues").glob("*.md"))[:cards]:
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        data = yaml.safe_load(front) or {}
        bodies.append(body)
        short += [str(text) for text in (data.get("positions") or {}).values()]
        short.append(str(data.get("summary", "")))
    return bodies, short


def renderer(fast: bool) -> MarkdownRenderer:
    def resolve(ref: str) -> LinkTarget:
        return LinkTarget(f"/{ref.split('-')[0]}s/{ref}/", ref, "actors")

    if fast:
        return MarkdownRenderer(resolve, smart_quotes=True)
    real = markdown_ext.speed_up
    markdown_ext.speed_up = lambda md: None
    try:
        return MarkdownRenderer(resolve, smart_quotes=True)
    finally:
        markdown_ext.speed_up = real


def cpu_per_text(md: MarkdownRenderer, sources: list[str]) -> float:
    started = time.process_time()
    for source in sources:
        md.md.reset().convert(source)
    return (time.process_time() - started) / len(sources) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--cards", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    bodies, short = texts(args.content, args.cards)
    fast, stock = renderer(True), renderer(False)
    for source in bodies + short:
        if fast.md.reset().convert(source) != stock.md.reset().convert(source):
            sys.exit(f"different HTML for:\n{source[:500]}")
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.rounds):
        for kind, sources in (("card body", bodies), ("one-paragraph text", short)):
            for name, md in (("fastinline", fast), ("stock", stock)):
                times.setdefault((kind, name), []).append(cpu_per_text(md, sources))
    print(f"{len(bodies)} card bodies, {len(short)} one-paragraph texts, {args.rounds} rounds (ms of CPU per text)")
    print("| text | renderer | least | median |\n|---|---|---|---|")
    for (kind, name), values in times.items():
        print(f"| {kind} | {name} | {min(values):.3f} | {statistics.median(values):.3f} |")


if __name__ == "__main__":
    main()
