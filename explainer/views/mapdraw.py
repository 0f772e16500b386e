"""How a relationship map is drawn: the nodes, labels and lines of a Drawing, fixed by what it shows alone.

A map around one actor (`draw`): that actor in the middle, the others sorted by kind then name down the left arc
and up the right arc of an ellipse, one row apart, labels outside, so labels never overlap. The sides map
(`draw_camps`): each camp in a band of its own, its hub on top, its members in two bowed columns. A
right-to-left page draws it mirrored (Drawing.mirrored). relmap.py decides what is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..model import Actor, Entity

KINDS = ("member", "agree", "issue", "event")  # the kinds of relation, in the legend's order
Pair = tuple[str, str]
FONT = 20  # label size in viewBox units: about 12.5 px when the map is 390 px wide
STEP = 46  # vertical distance between two nodes on one arc
RX = 100  # horizontal radius of the ellipse
LABEL = 185  # room for a label beside its node ("The White House" at FONT)
PAD = 30
CAMP_RX = 96  # the sides map: a camp's columns this far either side of its hub
BOW = 24  # and bowed outward by up to this much in their middle rows
MAX_CHARS = 15


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation between two actors; for `member`, a is the member and b the group."""

    a: Actor
    b: Actor
    kind: str
    via: tuple[Entity, ...]  # the issues or events they share


@dataclass(frozen=True, slots=True)
class Node:
    actor: Actor
    x: float
    y: float
    lines: tuple[str, ...]  # the label, on one or two lines; each but the last ends in a space
    anchor: str  # text-anchor of the label: start, end or middle
    lx: float
    ly: float
    centre: bool = False


@dataclass(frozen=True, slots=True)
class Line:
    kind: str
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True, slots=True)
class Drawing:
    width: int
    height: int
    nodes: tuple[Node, ...]
    lines: tuple[Line, ...]
    relations: tuple[Relation, ...]  # the text alternative, in reading order
    kinds: tuple[str, ...]  # the kinds drawn, for the legend
    total: int  # actors with any relation (the site map may draw fewer)
    agreement: int = 1  # a shared side is the same stance on at least this many issues (the legend says so)

    def mirrored(self) -> Drawing:
        """The drawing flipped left to right, for a right-to-left page: the first actors go down the right arc.

        Anchors stay as they are: an SVG label inherits the page's direction, where `start` is the right
        edge of the text, so a label still reads outward from its node. Glyphs are never flipped.
        """
        nodes = tuple(replace(n, x=r1(self.width - n.x), lx=r1(self.width - n.lx)) for n in self.nodes)
        lines = tuple(replace(li, x1=r1(self.width - li.x1), x2=r1(self.width - li.x2)) for li in self.lines)
        return replace(self, nodes=nodes, lines=lines)


def wrap(text: str) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= MAX_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def label_of(actor: Actor) -> tuple[str, ...]:
    """The name on one or two lines, else the shortest short alias, else two lines cut with "…".

    Every line but the last keeps a trailing space, so the link's text reads as the name.
    """
    lines = wrap(actor.name)
    if len(lines) > 2:
        short = sorted((a for a in actor.aliases if len(a) <= MAX_CHARS), key=lambda a: (len(a), a))
        lines = [short[0]] if short else [lines[0], lines[1].rstrip(",;:") + "…"]
    return (*(line + " " for line in lines[:-1]), lines[-1])


def draw(centre: Actor | None, ring: Sequence[Actor], relations: Sequence[Relation], total: int) -> Drawing:
    """Place ring on the two arcs (centre in the middle) and draw a line per relation."""
    left = ring[: (len(ring) + 1) // 2]
    right = list(reversed(ring[len(left) :]))  # down the left, up the right
    rows = max(len(left), len(right))
    height = rows * STEP + 2 * PAD + (2 * STEP if centre and rows < 3 else 0)
    width = 2 * (RX + 14 + LABEL)
    cx, cy = width / 2, height / 2
    top = cy - (rows - 1) * STEP / 2
    ry = max((rows - 1) * STEP / 2 + STEP, 1)
    nodes: list[Node] = []
    for side, column in ((-1, left), (1, right)):
        for row, actor in enumerate(column):
            y = top + row * STEP
            dx = max(RX * math.sqrt(max(0.0, 1 - ((y - cy) / ry) ** 2)), 28)
            x = cx + side * dx
            anchor = "end" if side < 0 else "start"
            label = label_of(actor)
            ly = y + FONT * (0.35 if len(label) == 1 else -0.2)
            nodes.append(Node(actor, r1(x), r1(y), label, anchor, r1(x + side * 12), r1(ly)))
    if centre is not None:
        nodes.append(Node(centre, r1(cx), r1(cy), label_of(centre), "middle", r1(cx), r1(cy + 34), True))
    return Drawing(int(width), int(height), tuple(nodes), lines_of(nodes, relations), tuple(relations),
                   kinds_of_relations(relations), total)  # fmt: skip


def draw_camps(groups: Sequence[Sequence[Actor]], loose: Sequence[Actor], relations: Sequence[Relation],
               total: int) -> Drawing:  # fmt: skip
    """Each camp in a band of its own, one below the other with an empty row between: its hub (the first actor
    of the group) at the top in the middle, its name above it, and the others below, down a column on each
    side bowed outward, names outside. The hub's lines fan out downward to both sides, clear of every name; a
    line between two actors of one column runs inside the bow, clear of the actors between them. The loose
    actors (hubs of no one, tied to actors of other camps) go last, in the two columns without a hub, so no
    line from above runs down the middle through the hubs' names."""
    width = 2 * (CAMP_RX + BOW + 14 + LABEL)
    cx = width / 2
    nodes: list[Node] = []
    y = bottom = float(PAD)
    bands: list[tuple[Actor | None, list[Actor]]] = [(group[0], list(group[1:])) for group in groups]
    if loose:
        bands.append((None, list(loose)))
    for hub, others in bands:
        top = y + FONT
        if hub is not None:
            label = label_of(hub)
            ly = y + FONT * 0.8
            hy = ly + FONT * 1.1 * (len(label) - 1) + 20
            nodes.append(Node(hub, r1(cx), r1(hy), label, "middle", r1(cx), r1(ly)))
            top = hy + STEP
        left, right = others[: (len(others) + 1) // 2], others[(len(others) + 1) // 2 :]
        rows = max(len(left), 1)
        for side, column in ((-1, left), (1, right)):
            for row, actor in enumerate(column):
                ny = top + row * STEP
                bow = BOW * math.sin(math.pi * (row + 0.5) / rows) if rows > 1 else 0.0
                x = cx + side * (CAMP_RX + bow)
                own = label_of(actor)
                nly = ny + FONT * (0.35 if len(own) == 1 else -0.2)
                nodes.append(Node(actor, r1(x), r1(ny), own, "end" if side < 0 else "start", r1(x + side * 12),
                                  r1(nly)))  # fmt: skip
        bottom = top + (rows - 1) * STEP + FONT * 1.4
        y = bottom + STEP  # an empty row between two camps
    return Drawing(int(width), round(bottom + PAD), tuple(nodes), lines_of(nodes, relations),
                   tuple(relations), kinds_of_relations(relations), total)  # fmt: skip


def lines_of(nodes: Sequence[Node], relations: Sequence[Relation]) -> tuple[Line, ...]:
    """A line per relation between two drawn actors; two kinds between one pair side by side, 5 units apart."""
    where = {n.actor.id: n for n in nodes}
    lines: list[Line] = []
    by_pair: dict[Pair, list[Relation]] = {}
    for relation in relations:
        pair = tuple(sorted((relation.a.id, relation.b.id)))
        by_pair.setdefault((pair[0], pair[1]), []).append(relation)
    for (a, b), found in by_pair.items():
        kinds = list(dict.fromkeys(r.kind for r in found))
        for n, kind in enumerate(kinds):
            lines.append(offset_line(kind, where[a], where[b], (n - (len(kinds) - 1) / 2) * 5))
    return tuple(lines)


def kinds_of_relations(relations: Sequence[Relation]) -> tuple[str, ...]:
    return tuple(k for k in KINDS if any(r.kind == k for r in relations))


def offset_line(kind: str, a: Node, b: Node, offset: float) -> Line:
    """The line from a to b moved sideways by offset, so two kinds between one pair both show."""
    dx, dy = b.x - a.x, b.y - a.y
    length = math.hypot(dx, dy) or 1.0
    ox, oy = -dy / length * offset, dx / length * offset
    return Line(kind, r1(a.x + ox), r1(a.y + oy), r1(b.x + ox), r1(b.y + oy))


def r1(value: float) -> float:
    """Rounded to one decimal, so the SVG text is stable across platforms."""
    return round(value + 0.0, 1)
