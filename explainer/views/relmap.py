"""The relationship map's content: typed relations between actors, and which of them a map shows.

Four kinds of relation come from the content: `member_of`, the same stance on enough issues (a shared
side), positions on the same issue, and taking part in the same event. Graph indexes them by pair and picks
what a map around one actor or the whole site shows; mapdraw.py lays that out, fixed by the content alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from markupsafe import Markup, escape

from ..i18n import N_
from ..model import Actor, Entity, Event, Issue, Membership
from .mapdraw import KINDS, Drawing, Pair, Relation, draw, draw_camps

SIDES = ("member", "agree")  # what the site map draws by default: who belongs with whom, who sides with whom
KIND_LABELS = {"member": N_("member of"), "agree": N_("on the same side of an issue"),
               "issue": N_("positions on the same issue"),
               "event": N_("took part in the same event")}  # fmt: skip  # translated where shown (macros.relmap)
ACTOR_ORDER = {"country": 0, "organization": 1, "person": 2, "group": 3}
AGREEMENT = 2  # site.yaml's `map_agreement` when not written: the same stance on this many issues is a side
MAX_NODES = 40  # the whole-site map draws the most connected actors


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
