"""Write a deterministic explainer of N issue cards: `python bench/make_corpus.py N OUT`.

Each card has ~700 words with headings, a list, a table, a footnote and
[[ref]] links; there are N/4 actors (or `--actors M`) and N/2 events. The same
arguments give the same bytes, so benchmark runs compare like with like.

The actors take sides (`Sides`): a few organizations are alliances in camps,
every other actor a dated member of one (some moved over from another camp at
a date), people hold dated roles, and every position has a stance that
follows its actor's camp, with a bloc of allies speaking together on each
card. Sides draws from its own seeded generator, so the rest of the corpus is
what it was without it.
"""

from __future__ import annotations

import argparse
import random
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


class Sides:
    """Camps, dated memberships and roles, and stances for a corpus's actors, from a generator of their own."""

    def __init__(self, actors: list[str]) -> None:
        self.rng = random.Random(f"sides-{len(actors)}")
        self.actors = actors
        camps = max(2, min(8, len(actors) // 25))
        organizations = [a for i, a in enumerate(actors) if KINDS[i % 4] == "organization"]
        self.alliances = organizations[:camps] if len(organizations) >= 2 else actors[:2]
        self.camp = {a: n % len(self.alliances) for n, a in enumerate(self.alliances)}
        for a in actors:
            self.camp.setdefault(a, self.rng.randrange(len(self.alliances)))
        self.members: dict[int, list[str]] = {}
        for a in actors:
            self.members.setdefault(self.camp[a], []).append(a)

    def actor_fields(self, index: int, actor: str) -> str:
        """The YAML lines an actor gets: `member_of` (dated) unless it is an alliance, `roles` for a person."""
        rng, lines = self.rng, []
        if actor not in self.alliances:
            own = self.alliances[self.camp[actor]]
            start = 1995 + rng.randrange(20)
            if rng.random() < 0.2:  # moved over from another camp
                other = self.alliances[(self.camp[actor] + 1 + rng.randrange(len(self.alliances) - 1))
                                       % len(self.alliances)]  # fmt: skip
                moved = f"{start + 1 + rng.randrange(6)}-{1 + rng.randrange(12):02d}"
                lines.append(f"  member_of:\n    - {{id: {other}, from: {start}, to: {moved}}}\n"
                             f"    - {{id: {own}, from: {moved}}}\n")  # fmt: skip
            else:
                lines.append(f"  member_of:\n    - {{id: {own}, from: {start}}}\n")
        if KINDS[index % 4] == "person":
            first = 2000 + rng.randrange(15)
            until = first + 1 + rng.randrange(6)
            lines.append(f"  roles:\n    - {{title: {rng.choice(WORDS).capitalize()} minister, from: {first}, "
                         f"to: {until}-{1 + rng.randrange(12):02d}}}\n"
                         f"    - {{title: {rng.choice(WORDS).capitalize()} envoy, from: {until + 1}}}\n")  # fmt: skip
        return "".join(lines)

    def stance(self, actor: str, side: int) -> str:
        """For when the actor's camp is on the card's side, against when not; now and then mixed or unclear."""
        roll = self.rng.random()
        if roll < 0.1:
            return "mixed" if roll < 0.05 else "unclear"
        return "for" if self.camp[actor] % 2 == side else "against"

    def bloc(self, taken: list[str]) -> list[str]:
        """Three allies, not among taken, who speak together on a card."""
        camp = self.members[self.rng.randrange(len(self.alliances))]
        free = [a for a in camp if a not in taken]
        return self.rng.sample(free, min(3, len(free)))


def issue_card(n: int, rng: random.Random, actors: list[str], events: list[str], sides: Sides | None = None) -> str:
    own_actors = rng.sample(actors, min(4, len(actors)))
    own_events = rng.sample(events, min(3, len(events)))
    refs = own_actors + own_events + [f"issue-{rng.randrange(n + 1):05d}"]
    positions = "".join(f"  {a}: >-\n    {sentence(rng, [])}\n" for a in own_actors[:2])
    if sides is not None:
        side = sides.rng.randrange(2)
        positions = "".join(f"  {a}:\n    stance: {sides.stance(a, side)}\n    text: >-\n      {sentence(rng, [])}\n"
                            for a in own_actors[:2])  # fmt: skip
        bloc = sides.bloc(own_actors)
        positions += "".join(f"  {a}: {{stance: {sides.stance(a, side)}, text: Agrees with its allies.}}\n"
                             for a in bloc)  # fmt: skip
        own_actors = own_actors + bloc
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


def make_corpus(count: int, out: Path, actor_count: int | None = None) -> None:
    """Write site.yaml, actors.yaml, events.yaml, sources.yaml and issues/ under out (count // 4 actors unless
    actor_count says)."""
    rng = random.Random(count)
    actors = [f"actor-{i:05d}" for i in range(max(1, count // 4 if actor_count is None else actor_count))]
    sides = Sides(actors)
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
            + sides.actor_fields(i, a)
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
        (out / "issues" / f"issue-{n:05d}.md").write_text(issue_card(n, rng, actors, events, sides), encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write a deterministic explainer of N issue cards into OUT.")
    parser.add_argument("cards", type=int, metavar="N")
    parser.add_argument("out", type=Path, metavar="OUT")
    parser.add_argument("--actors", type=int, help="how many actors (default: N // 4)")
    args = parser.parse_args()
    make_corpus(args.cards, args.out, args.actors)
