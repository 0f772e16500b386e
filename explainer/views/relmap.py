"""The relationship map: typed relations between actors, laid out at build time for an SVG.

Three kinds of relation come from the content: `member_of`, positions on the
same issue, and taking part in the same event. The layout is fixed by the
content alone: actors sorted by kind then name go down the left arc and up
the right arc of an ellipse, one row apart, with their labels outside, so
labels never overlap and the same content always draws the same picture.
A right-to-left page draws it mirrored (Drawing.mirrored): down the right arc first.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup, escape

from ..i18n import N_
from ..model import Actor, Entity, Event, Issue, Membership

KINDS = ("member", "agree", "issue", "event")
SIDES = ("member", "agree")  # what the site map draws by default: who belongs with whom, who sides with whom
KIND_LABELS = {"member": N_("member of"), "agree": N_("on the same side of an issue"),
               "issue": N_("positions on the same issue"),
               "event": N_("took part in the same event")}  # fmt: skip  # translated where shown (macros.relmap)
ACTOR_ORDER = {"country": 0, "organization": 1, "person": 2, "group": 3}
AGREEMENT = 2  # site.yaml's `map_agreement` when not written: the same stance on this many issues is a side
MAX_NODES = 40  # the whole-site map draws the most connected actors
FONT = 20  # label size in viewBox units: about 12.5 px when the map is 390 px wide
STEP = 46  # vertical distance between two nodes on one arc
RX = 100  # horizontal radius of the ellipse
LABEL = 185  # room for a label beside its node ("The White House" at FONT)
PAD = 30
CAMP_RX = 96  # the sides map: a camp's columns this far either side of its hub
BOW = 24  # and bowed outward by up to this much in their middle rows
MAX_CHARS = 15

Pair = tuple[str, str]


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


class Graph:
    """Every relation between actors, indexed by pair."""

    def __init__(self, actors: Sequence[Actor], issues: Sequence[Issue], events: Sequence[Event],
                 entities: Mapping[str, Entity], agreement: int = AGREEMENT, year: int | None = None,
                 kinds: Sequence[str] = KINDS, agreed: Sequence[tuple[str, str, str]] | None = None):  # fmt: skip
        """agreement: on how many issues two actors must have taken the same stance to be on one side; year: only
        the memberships in force at some time in that year (None: every one); kinds: only the relations of these
        kinds (a map of SIDES leaves out the dense issue and event relations, which it never draws); agreed: the
        `agree` relations (`self.agreed` of a graph of the same actors and issues), not worked out again."""
        self.actors = {a.id: a for a in actors}
        self.agreement = agreement
        self.rank = {a.id: n for n, a in enumerate(actors)}
        self.entities = entities
        self.pairs: dict[Pair, dict[str, list[str]]] = {}
        self.neighbours: dict[str, set[str]] = {}
        for actor in actors if "member" in kinds else ():
            for membership in actor.memberships:
                ref = membership.group
                if ref.id in self.actors and ref.id != actor.id and (year is None or in_force(membership, year)):
                    self.add(actor.id, ref.id, "member", actor.id)
        for issue in issues if "issue" in kinds else ():
            self.add_all(dict.fromkeys(p.actor.id for p in issue.positions), "issue", issue.id)
        self.agreed: Sequence[tuple[str, str, str]] = ()  # (a, b, issue id): each `agree` relation, in order
        if "agree" in kinds:
            self.agreed = self.agreements(issues, agreement) if agreed is None else agreed
        for a, b, issue_id in self.agreed:
            self.add(a, b, "agree", issue_id)
        for event in events if "event" in kinds else ():
            self.add_all(dict.fromkeys(r.id for r in event.actors), "event", event.id)

    def agreements(self, issues: Sequence[Issue], agreement: int) -> list[tuple[str, str, str]]:
        """(a, b, issue id) for each issue on which two actors took the same stance, for the pairs that did so on
        at least agreement issues (once is no alliance: agreeing on several issues is)."""
        agreed: dict[Pair, list[str]] = {}  # the issues on which a pair took the same stance
        for issue in issues:
            for stance in ("for", "against"):  # the same stance on the card's question: the same side
                side = [i for i in dict.fromkeys(p.actor.id for p in issue.positions if p.stance == stance)
                        if i in self.actors]  # fmt: skip
                for n, a in enumerate(side):
                    for b in side[n + 1 :]:
                        agreed.setdefault(self.key(a, b), []).append(issue.id)
        return [(a, b, issue_id) for (a, b), on in agreed.items() if len(set(on)) >= agreement for issue_id in on]

    def key(self, a: str, b: str) -> Pair:
        return (a, b) if self.rank[a] < self.rank[b] else (b, a)

    def add(self, a: str, b: str, kind: str, via: str) -> None:
        via_list = self.pairs.setdefault(self.key(a, b), {}).setdefault(kind, [])
        if via not in via_list:
            via_list.append(via)
        self.neighbours.setdefault(a, set()).add(b)
        self.neighbours.setdefault(b, set()).add(a)

    def add_all(self, ids: Iterable[str], kind: str, via: str) -> None:
        known = [i for i in ids if i in self.actors]
        for n, a in enumerate(known):
            for b in known[n + 1 :]:
                self.add(a, b, kind, via)

    def relations(self, a: str, b: str) -> list[Relation]:
        found = []
        kinds = self.pairs.get(self.key(a, b), {})
        for kind in KINDS:
            for_kind = kinds.get(kind)
            if not for_kind:
                continue
            if kind == "member":
                for member in for_kind:
                    group = b if member == a else a
                    found.append(Relation(self.actors[member], self.actors[group], kind, ()))
            else:
                first, second = self.key(a, b)
                via = tuple(self.entities[i] for i in for_kind if i in self.entities)
                found.append(Relation(self.actors[first], self.actors[second], kind, via))
        return found

    def layout_order(self, ids: Iterable[str]) -> list[str]:
        return sorted(ids, key=lambda i: (ACTOR_ORDER.get(self.actors[i].kind, 9), self.actors[i].name.casefold(), i))

    def around(self, actor_id: str) -> Drawing | None:
        """The actor in the middle and its neighbours around it; None if it has none."""
        others = self.layout_order(self.neighbours.get(actor_id, ()))
        if not others:
            return None
        relations = [r for other in others for r in self.relations(actor_id, other)]
        drawing = draw(self.actors[actor_id], [self.actors[i] for i in others], relations, len(others))
        return replace(drawing, agreement=self.agreement)

    def whole(self, kinds: Sequence[str] = KINDS) -> Drawing | None:
        """The most connected actors and every relation of kinds between them, camps side by side (camps())."""
        linked = {a: {b for b in near if kinds_of(self.pairs[self.key(a, b)], kinds)}
                  for a, near in self.neighbours.items()}  # fmt: skip
        linked = {a: near for a, near in linked.items() if near}
        connected = sorted(linked, key=lambda i: (-len(linked[i]), self.rank[i]))
        if not connected:
            return None
        groups = self.camps(connected[:MAX_NODES], linked)
        shown = [i for group in groups for i in group]
        relations = [
            r for n, a in enumerate(shown) for b in shown[n + 1 :] if b in linked[a]
            for r in self.relations(a, b) if r.kind in kinds
        ]  # fmt: skip
        if tuple(kinds) == SIDES:  # the camps apart, each around its hub
            clusters = self.clusters(connected[:MAX_NODES], linked)
            camps = [[self.actors[i] for i in group] for group in clusters if len(group) > 1]
            loose = [self.actors[group[0]] for group in clusters if len(group) == 1]
            return replace(draw_camps(camps, loose, relations, len(connected)), agreement=self.agreement)
        return replace(draw(None, [self.actors[i] for i in shown], relations, len(connected)), agreement=self.agreement)

    def clusters(self, ids: Sequence[str], linked: Mapping[str, set[str]]) -> list[list[str]]:
        """ids as camps around hubs: the most connected actor is a hub, and so is each next most connected one
        related to no hub yet; every other actor joins the hub it is tied to, a membership before a shared side,
        else the more connected hub. Each camp is its hub, then its members in layout order; the largest camp
        first. Fixed by the content alone."""
        chosen = set(ids)
        degree = {i: len(linked[i] & chosen) for i in ids}
        hubs: list[str] = []
        for i in sorted(ids, key=lambda i: (-degree[i], self.rank[i])):
            if not linked[i] & set(hubs):
                hubs.append(i)
        members: dict[str, list[str]] = {h: [] for h in hubs}
        for i in ids:
            if i in members:
                continue
            near = [h for h in hubs if h in linked[i]]
            tie = {h: "member" in self.pairs[self.key(i, h)] for h in near}
            members[min(near, key=lambda h: (not tie[h], hubs.index(h)))].append(i)
        camps = [[h, *self.layout_order(members[h])] for h in hubs]
        return sorted(camps, key=lambda c: (-len(c), hubs.index(c[0])))

    def camps(self, ids: Sequence[str], linked: Mapping[str, set[str]]) -> list[list[str]]:
        """ids in groups that keep related actors together: each group of actors joined by relations (largest
        first), walked breadth first from its most connected actor (its hub, first), the neighbours of each in
        layout order. Fixed by the content alone."""
        chosen = set(ids)
        seen: set[str] = set()
        starts = sorted(ids, key=lambda i: (-len(linked[i] & chosen), self.rank[i]))
        groups: list[list[str]] = []
        for start in starts:
            if start in seen:
                continue
            group, queue = [], [start]
            seen.add(start)
            while queue:
                current = queue.pop(0)
                group.append(current)
                for near in self.layout_order(linked[current] & chosen):
                    if near not in seen:
                        seen.add(near)
                        queue.append(near)
            groups.append(group)
        return sorted(groups, key=lambda g: (-len(g), self.rank[g[0]]))


def in_force(membership: Membership, year: int) -> bool:
    """Whether a membership held at some time in year (an undated one always does)."""
    start, end = membership.start, membership.end
    return (start is None or start.year <= year) and (end is None or end.year >= year)


def map_years(actors: Sequence[Actor]) -> tuple[int, ...]:
    """The years in which the memberships in force change (one begins, or the year after one ends), each only
    when the memberships of that year differ from the year before's: the map's views by year."""
    known = {a.id for a in actors}
    dated = [(a.id, m) for a in actors for m in a.memberships
             if m.group.id in known and m.group.id != a.id and (m.start or m.end)]  # fmt: skip
    if not dated:
        return ()
    years = sorted({m.start.year for _, m in dated if m.start} | {m.end.year + 1 for _, m in dated if m.end})
    # in_force's test on plain values, read once: a membership's fields are watched (reads.py), and each
    # candidate year tests every membership (~0.3 s of a 5,000-card build's planning when read each time)
    spans = [(a, m.group.id, None if m.start is None else m.start.year, None if m.end is None else m.end.year)
             for a, m in dated]  # fmt: skip

    def held(year: int) -> set[tuple[str, str]]:
        return {(a, g) for a, g, start, end in spans
                if (start is None or start <= year) and (end is None or end >= year)}  # fmt: skip

    return tuple(y for y in years if held(y) != held(y - 1))


def relation_text(relation: Relation, url_for: Callable[[Entity], str], gettext: Callable[[str], str]) -> Markup:
    """A relation in words, for the map's text alternative: its actors, and the issues or events they share, as
    links (url_for) in a sentence of the site's language (gettext). The bytes a Jinja macro with the same
    autoescaped `_()` calls made (escaped links put into the translated text), made as plain strings: a map of
    80 relations cost ~3 ms of template per actor page at 5,000 cards as a macro."""

    def link(entity: Entity) -> str:
        return f'<a href="{escape(url_for(entity))}" dir="auto">{escape(entity.name)}</a>'

    a, b = link(relation.a), link(relation.b)
    if relation.kind == "member":
        return Markup(gettext("%(a)s is a member of %(b)s") % {"a": a, "b": b})
    items = (gettext("; ") % {}).join(link(item) for item in relation.via)  # a format string, as `_()` makes it
    if relation.kind == "issue":
        text = gettext("%(a)s and %(b)s hold positions on: %(items)s")
    elif relation.kind == "agree":
        text = gettext("%(a)s and %(b)s take the same side on: %(items)s")
    else:
        text = gettext("%(a)s and %(b)s took part in: %(items)s")
    return Markup(text % {"a": a, "b": b, "items": items})


def kinds_of(pair: Mapping[str, list[str]], kinds: Sequence[str]) -> bool:
    """Whether a pair's relations include one of kinds."""
    return any(pair.get(kind) for kind in kinds)


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
