"""Write a deterministic explainer of N issue cards: `python bench/make_corpus.py N OUT`.

Each card has ~700 words with headings, a list, a table, a footnote and
[[ref]] links; there are N/4 actors and N/2 events. The same N gives the same
bytes, so benchmark runs compare like with like.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

WORDS = [
    "talks",
    "treaty",
    "border",
    "troops",
    "missile",
    "alliance",
    "pledge",
    "sanctions",
    "envoy",
    "summit",
    "ceasefire",
    "drills",
    "security",
    "guarantee",
    "proposal",
    "deadline",
    "negotiators",
    "capital",
    "region",
    "forces",
    "patrol",
    "agreement",
    "ministers",
    "inspection",
    "verification",
    "deployment",
    "exercise",
    "response",
    "position",
    "demand",
    "offer",
]
KINDS = ("country", "organization", "person", "group")
STATUSES = ("open", "deadlocked", "progress", "agreed")


def sentence(rng: random.Random, refs: list[str]) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 16))]
    if refs and rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), f"[[{rng.choice(refs)}]]")
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, refs: list[str], sentences: int = 5) -> str:
    return " ".join(sentence(rng, refs) for _ in range(sentences))


def issue_card(n: int, rng: random.Random, actors: list[str], events: list[str]) -> str:
    own_actors = rng.sample(actors, min(4, len(actors)))
    own_events = rng.sample(events, min(3, len(events)))
    refs = own_actors + own_events + [f"issue-{rng.randrange(n + 1):05d}"]
    positions = "".join(f"  {a}: >-\n    {sentence(rng, [])}\n" for a in own_actors[:2])
    body = [
        f"## What is at stake\n\n{paragraph(rng, refs)}[^1]\n",
        f"## Where the sides stand\n\n{paragraph(rng, refs)}\n",
        "\n".join(f"- {sentence(rng, refs)}" for _ in range(5)) + "\n",
        "| Side | Demand | Status |\n|---|---|---|\n"
        + "\n".join(
            f"| {rng.choice(WORDS)} | {rng.choice(WORDS)} {rng.choice(WORDS)} | {rng.choice(WORDS)} |" for _ in range(4)
        )
        + "\n",
        f"## What happens next\n\n{paragraph(rng, refs, 8)}\n",
        f"### Background\n\n{paragraph(rng, refs, 8)}\n",
        f"{paragraph(rng, refs, 8)}\n",
        f"[^1]: {sentence(rng, [])}\n",
    ]
    return (
        "---\n"
        f"title: Issue {n} — will the {rng.choice(WORDS)} {rng.choice(WORDS)} hold?\n"
        f"summary: >-\n  {sentence(rng, [])}\n"
        f"order: {n + 1}\n"
        f"status: {rng.choice(STATUSES)}\n"
        f"actors: [{', '.join(own_actors)}]\n"
        f"events: [{', '.join(own_events)}]\n"
        f"positions:\n{positions}"
        "sources: [wire]\n"
        "updated: 2022-01-10\n"
        "---\n" + "\n".join(body)
    )


def make_corpus(count: int, out: Path) -> None:
    """Write site.yaml, actors.yaml, events.yaml, sources.yaml and issues/ under out."""
    rng = random.Random(count)
    actors = [f"actor-{i:05d}" for i in range(max(1, count // 4))]
    events = [f"event-{i:05d}" for i in range(max(1, count // 2))]
    (out / "issues").mkdir(parents=True, exist_ok=True)
    (out / "site.yaml").write_text(
        f'title: "Generated explainer, {count} issues"\ndescription: A generated site for benchmarks.\n'
        "language: en\nbase_url: https://example.org/\nupdated: 2022-01-10\n",
        encoding="utf-8",
    )
    (out / "sources.yaml").write_text(
        "wire:\n  title: A wire story\n  publisher: The Wire\n  date: 2022-01-10\n", encoding="utf-8"
    )
    (out / "actors.yaml").write_text(
        "".join(
            f"{a}:\n  name: Actor {i}\n  kind: {KINDS[i % 4]}\n  summary: >-\n    {sentence(rng, [])}\n"
            for i, a in enumerate(actors)
        ),
        encoding="utf-8",
    )
    (out / "events.yaml").write_text(
        "".join(
            f"{e}:\n  title: Event {i}\n  date: {2000 + i % 22}-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
            f"  actors: [{rng.choice(actors)}]\n  summary: >-\n    {sentence(rng, [])}\n"
            for i, e in enumerate(events)
        ),
        encoding="utf-8",
    )
    for n in range(count):
        (out / "issues" / f"issue-{n:05d}.md").write_text(issue_card(n, rng, actors, events), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/make_corpus.py N OUT")
    make_corpus(int(sys.argv[1]), Path(sys.argv[2]))
