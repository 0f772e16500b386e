"""The visual timeline: events on a time axis with long empty gaps compressed, and its TimelineJS export.

Each event covers the whole of what its date names (2008 is the year, 2021-12
the month, 2022-01-10 the day) up to the end of its `end`. Covered stretches
that lie within GAP_DAYS of each other form one segment, drawn to scale; a
longer gap becomes a break of fixed width. A segment's share of the axis
grows with the number of events in it, so the weeks where most things
happened are not squeezed next to an era of years.
"""

from __future__ import annotations

import calendar
import datetime
import html
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..dates import PartialDate
from ..i18n import Words
from ..model import Event

GAP_DAYS = 365  # an empty stretch longer than this is compressed into a break
BREAK_WEIGHT = 0.6  # the width of a break, in units of one event's share
MIN_BAR = 0.8  # percent: a one-day event stays visible
MIN_DAYS = 90  # a shorter segment is widened to this, so one day is not drawn as wide as a season
MONTHS = [""] + [calendar.month_abbr[m] for m in range(1, 13)]


def first_day(date: PartialDate) -> int:
    return datetime.date(date.year, date.month or 1, date.day or 1).toordinal()


def after_last_day(date: PartialDate) -> int:
    """The first day after all of date: 2008 → 1 Jan 2009, 2021-12 → 1 Jan 2022."""
    if date.day:
        return first_day(date) + 1
    if date.month:
        year, month = (date.year + 1, 1) if date.month == 12 else (date.year, date.month + 1)
        return datetime.date(year, month, 1).toordinal()
    return datetime.date(date.year + 1, 1, 1).toordinal()


def span(event: Event) -> tuple[int, int]:
    """The days an event covers, [start, stop)."""
    return first_day(event.date), after_last_day(event.end or event.date)


@dataclass(frozen=True, slots=True)
class Bar:
    event: Event
    left: float  # percent of the axis
    width: float
    precision: str  # day, month, year, or span (an event with an end)
    approximate: bool = False  # its date or end is `~2003`: drawn faded
    ongoing: bool = False  # `end: ongoing`: drawn to the axis's end, open there


@dataclass(frozen=True, slots=True)
class Tick:
    left: float
    label: str
    row: int = 0  # labels alternate between two rows, so close ones both fit


@dataclass(frozen=True, slots=True)
class Chart:
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    breaks: tuple[float, ...]  # percent positions of compressed gaps

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(bar.event for bar in self.bars)


@dataclass(slots=True)
class Segment:
    start: int
    stop: int
    count: int
    first: int = 0  # the first day an event covers (start may be earlier, to widen a short segment)
    left: float = 0.0
    width: float = 0.0


def segments(spans: Sequence[tuple[int, int]]) -> list[Segment]:
    """Covered stretches, merged across gaps of at most GAP_DAYS."""
    found: list[Segment] = []
    for start, stop in sorted(spans):
        if found and start - found[-1].stop <= GAP_DAYS:
            found[-1].stop = max(found[-1].stop, stop)
            found[-1].count += 1
        else:
            found.append(Segment(start, stop, 1, start))
    for segment in found:
        short = MIN_DAYS - (segment.stop - segment.start)
        if short > 0:
            segment.start -= short // 2
            segment.stop += short - short // 2
    total = sum(1 + s.count for s in found) + BREAK_WEIGHT * (len(found) - 1)
    left = 0.0
    for segment in found:
        segment.left = left
        segment.width = 100 * (1 + segment.count) / total
        left += segment.width + 100 * BREAK_WEIGHT / total
    return found


def place(day: int, parts: list[Segment]) -> float:
    """The percent position of a day that lies inside one of parts."""
    for segment in parts:
        if segment.start <= day <= segment.stop:
            return segment.left + segment.width * (day - segment.start) / (segment.stop - segment.start)
    raise ValueError(day)


def tick_label(day: int, segment: Segment, words: Words) -> str:
    date = datetime.date.fromordinal(day)
    if segment.count == 1 or segment.stop - segment.start >= 2 * 365 or (date.month == 1 and date.day == 1):
        return words.year(date.year)
    return words.month_short(date.year, date.month)


def label_width(label: str) -> float:
    """About how much of the axis a label takes, in percent, when the axis is at its narrowest."""
    return 2.4 * len(label) + 2


def ticks(parts: list[Segment], words: Words) -> list[Tick]:
    """A label where each segment's events begin, then at new years inside segments, where they fit."""
    candidates: list[tuple[int, float, str]] = []
    for segment in parts:
        candidates.append((0, place(segment.first, parts), tick_label(segment.first, segment, words)))
        first, last = datetime.date.fromordinal(segment.first).year, datetime.date.fromordinal(segment.stop - 1).year
        for year in range(first + 1, last + 1):
            day = datetime.date(year, 1, 1).toordinal()
            candidates.append((1, place(day, parts), words.year(year)))
    taken: tuple[list[tuple[float, float]], list[tuple[float, float]]] = ([], [])
    found: list[Tick] = []
    for _, left, label in sorted(candidates, key=lambda c: (c[0], c[1])):
        left = round(left, 2)
        right = left + label_width(label)
        for row, used in enumerate(taken):
            if right <= 100 and not any(left < b and a < right for a, b in used):
                used.append((left, right))
                found.append(Tick(left, label, row))
                break
    return sorted(found, key=lambda t: t.left)


def chart(events: Sequence[Event], words: Words) -> Chart | None:
    """The axis for events (in their order), labelled in words' language, or None when there are none."""
    if not events:
        return None
    spans = [span(e) for e in events]
    last = max(stop for _start, stop in spans)
    spans = [(start, last if e.ongoing else stop) for e, (start, stop) in zip(events, spans, strict=True)]
    parts = segments(spans)
    bars = []
    for event, (start, stop) in zip(events, spans, strict=True):
        left = place(start, parts)
        width = max(place(stop, parts) - left, MIN_BAR)
        left = min(left, 100 - width)
        precision = "span" if event.ongoing or (event.end and event.end != event.date) else event.date.precision
        approximate = event.date.approximate or bool(event.end and event.end.approximate)
        bars.append(Bar(event, round(left, 2), round(width, 2), precision, approximate, event.ongoing))
    breaks = tuple(round((a.left + a.width + b.left) / 2, 2) for a, b in itertools.pairwise(parts))
    return Chart(tuple(bars), tuple(ticks(parts, words)), breaks)


def timeline_date(date: PartialDate) -> dict[str, int]:
    """TimelineJS's date object: {year, month?, day?}."""
    found = {"year": date.year}
    if date.month:
        found["month"] = date.month
    if date.day:
        found["day"] = date.day
    return found


def timelinejs(
    title: str,
    description: str,
    events: Sequence[Event],
    summary: Callable[[Event], str],
    group: Callable[[Event], str],
    words: Words,
) -> bytes:
    """The events in Knight Lab's TimelineJS JSON format, byte-stable."""
    items = []
    for event in events:
        item: dict[str, object] = {
            "unique_id": event.id,
            "start_date": timeline_date(event.date),
            "display_date": words.range(event.date, event.end, event.ongoing),
            "text": {"headline": html.escape(event.title), "text": html.escape(summary(event))},
            "group": group(event),
        }
        if event.end and event.end != event.date:
            item["end_date"] = timeline_date(event.end)
        items.append(item)
    data = {"title": {"text": {"headline": html.escape(title), "text": html.escape(description)}}, "events": items}
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
