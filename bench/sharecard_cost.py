"""CPU per share card: `python bench/sharecard_cost.py [--content CORPUS] [--other CHECKOUT]`.

Draws --cards share cards (`sharecards.draw`, in one process) and prints the least and the median milliseconds
of CPU per card over --rounds rounds (time.process_time: the machine is shared). The cards are the titles and
statuses of CORPUS's issue cards (a folder from `bench/make_corpus.py`), or made-up titles of 3 to 16 words,
and a share of Persian ones (--rtl, right to left, shaped). With --other, the same cards are drawn by the
`explainer` package of another checkout (e.g. `git archive main | tar -x -C DIR` in this checkout) in alternating
rounds, each round a new process, and the two lists of cards are checked to show the same pixels.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("ceasefire", "talks", "alliance", "sanctions", "treaty", "border", "referendum", "pipeline", "negotiators",
         "neutrality", "election", "inspection", "capital", "deployment", "expanding", "question")  # fmt: skip
PERSIAN = "آیا ناتو گسترش به شرق را متوقف می\u200cکند بی\u200cطرفی اوکراین در عمل چه شکلی خواهد داشت"

ROUND = r"""
import hashlib, io, json, sys, time
sys.path.insert(0, sys.argv[1])
from explainer import sharecards
from PIL import Image
cards = [sharecards.ShareCard(*fields) for fields in json.load(sys.stdin)]
sharecards.draw(cards[0])  # fonts loaded, the backdrop drawn: what every worker does once
started = time.process_time()
made = [sharecards.draw(card) for card in cards]
spent = time.process_time() - started
check = [made[i] for i in range(0, len(made), max(1, len(made) // 20))]
pixels = [hashlib.sha256(Image.open(io.BytesIO(data)).convert("RGB").tobytes()).hexdigest() for data in check]
print(json.dumps({"ms": spent / len(cards) * 1000, "bytes": sum(map(len, made)) / len(made), "pixels": pixels}))
"""


def cards_of(content: Path | None, count: int, rtl: float, seed: int = 17) -> list[tuple[str, str, str | None, str]]:
    rng = random.Random(seed)
    titles: list[tuple[str, str | None]] = []
    if content is not None:
        for path in sorted((content / "issues").glob("*.md"))[:count]:
            front = path.read_text(encoding="utf-8").split("---\n", 2)[1]
            fields = dict(line.split(": ", 1) for line in front.splitlines() if line[:1].isalpha() and ": " in line)
            titles.append((fields["title"], fields.get("status")))
    while len(titles) < count:
        words = rng.sample(WORDS, rng.randint(3, min(16, len(WORDS))))
        titles.append((" ".join(words).capitalize() + "?", rng.choice(("deadlocked", "active", None))))
    cards = []
    for title, status in titles:
        if rng.random() < rtl:
            persian = " ".join(rng.sample(PERSIAN.split(), rng.randint(3, 16)))
            cards.append(("توضیح", persian + "؟", "وضعیت: بن‌بست" if status else None, "fa"))
        else:
            cards.append(("Explainer", title, f"Status: {status}" if status else None, "en"))
    return cards


def run(checkout: Path, cards: list[tuple[str, str, str | None, str]]) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", ROUND, str(checkout)], input=json.dumps(cards), text=True,
                          capture_output=True, check=True)  # fmt: skip
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, help="a corpus from bench/make_corpus.py (its cards' titles)")
    parser.add_argument("--cards", type=int, default=500)
    parser.add_argument("--rtl", type=float, default=0.1, help="the share of Persian cards")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--other", type=Path, help="another checkout, drawn in alternating rounds")
    args = parser.parse_args()
    cards = cards_of(args.content, args.cards, args.rtl)
    checkouts = {"this": ROOT} | ({"other": args.other.resolve()} if args.other else {})
    results: dict[str, list[dict[str, object]]] = {name: [] for name in checkouts}
    for _ in range(args.rounds):
        for name, checkout in checkouts.items():
            results[name].append(run(checkout, cards))
    if args.other and results["this"][0]["pixels"] != results["other"][0]["pixels"]:
        print("NOTE: the two checkouts' cards differ in their pixels")
    print(f"{len(cards)} cards ({sum(card[3] == 'fa' for card in cards)} Persian), {args.rounds} rounds, "
          f"ms of CPU per card")  # fmt: skip
    print("| checkout | least | median | mean PNG size |\n|---|---|---|---|")
    for name, rounds in results.items():
        ms = [float(str(result["ms"])) for result in rounds]
        size = float(str(rounds[0]["bytes"]))
        print(f"| {name} ({checkouts[name]}) | {min(ms):.2f} | {statistics.median(ms):.2f} | {size / 1024:.1f} KiB |")


if __name__ == "__main__":
    main()
