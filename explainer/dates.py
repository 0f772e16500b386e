"""Partial dates: `2008`, `2021-12` and `2022-01-10`, shown as people say them."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import cache

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A year, a month of a year, or a day; approximate when written `~2003` (an event's `date` or `end`)."""

    year: int
    month: int = 0
    day: int = 0
    approximate: bool = False

    @property
    def iso(self) -> str:
        """The `<time datetime>` form: `2008`, `2021-12` or `2022-01-10`."""
        return _iso(self.year, self.month, self.day)

    @property
    def display(self) -> str:
        """The reader's form: `2008`, `December 2021` or `10 January 2022`."""
        return _display(self.year, self.month, self.day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def is_before(self, other: PartialDate) -> bool:
        """True if all of self is before all of other (2008 is not before 2008-04)."""
        for mine, theirs in zip((self.year, self.month, self.day), (other.year, other.month, other.day), strict=True):
            if not mine or not theirs:
                return False
            if mine != theirs:
                return mine < theirs
        return False

    def display_until(self, end: PartialDate) -> str:
        """The reader's form of self as the start of a range to end, leaving out what end says for both:
        `6` (–9 July 2018), `6 July` (–9 August 2018), `March` (–May 2019); in full across years."""
        return _display_until(self.year, self.month, self.day, end.year, end.month, end.day)

    def __str__(self) -> str:
        return f"~{self.iso}" if self.approximate else self.iso


# Both forms are memoised: a page shows the same few dates again and again, and a month's
# name costs a strftime() each time (calendar.month_name).


@cache
def _iso(year: int, month: int, day: int) -> str:
    if not month:
        return f"{year:04d}"
    if not day:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


@cache
def _display(year: int, month: int, day: int) -> str:
    if not month:
        return str(year)
    name = calendar.month_name[month]
    if not day:
        return f"{name} {year}"
    return f"{day} {name} {year}"


@cache
def _display_until(year: int, month: int, day: int, end_year: int, end_month: int, end_day: int) -> str:
    # A part is said once only where both sides name it to the same precision: "2018–May 2018" and
    # "6 July–July 2018" would drop what the start means, so they stay in full.
    if year != end_year or not month or not end_month:
        return _display(year, month, day)
    if day and end_day and month == end_month:
        return str(day)
    if bool(day) != bool(end_day) and month == end_month:
        return _display(year, month, day)
    return f"{day} {calendar.month_name[month]}" if day else calendar.month_name[month]


def house_display(when: PartialDate) -> str:
    """The house form of a date in English: `2008`, `December 2021` or `10 January 2022`."""
    return _display(when.year, when.month, when.day)


def house_display_until(start: PartialDate, end: PartialDate) -> str:
    """The house form in English of start as the start of a range to end (PartialDate.display_until)."""
    return start.display_until(end)


def range_display(start: PartialDate, end: PartialDate | None) -> str:
    """A range as plain text: `6–9 July 2018`, `March–May 2019`, `2017–2019`; one date when end is None or start."""
    if end is None or end == start:
        return start.display
    return f"{start.display_until(end)}–{end.display}"


def parse_date(text: str, approximate: bool = False) -> PartialDate:
    """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (with approximate, also `~YYYY`, `~YYYY-MM`: about then); raise
    ValueError with the reason."""
    about = text.strip().startswith("~")
    if about and not approximate:
        raise ValueError(f"'{text}' is approximate: only an event's 'date' and 'end' may start with '~'")
    if about and text.strip().count("-") == 2:
        raise ValueError(f"'{text}' is approximate to the day: write '~YYYY' or '~YYYY-MM', or the exact day")
    match = _DATE.fullmatch(text.strip().removeprefix("~"))
    if not match:
        padded = _padded(text)
        if padded:
            raise ValueError(f"'{text}' needs two-digit months and days: write '{padded}'")
        raise ValueError(f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else 0 for g in match.groups())
    if year < 1:
        raise ValueError(f"'{text}' has no year 0000")
    if match.group(2) and not 1 <= month <= 12:
        raise ValueError(f"'{text}' has no month {month:02d}")
    if match.group(3):
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(f"'{text}' is not a day: {calendar.month_name[month]} {year} has {last} days")
    return PartialDate(year, month, day, about)


def _padded(text: str) -> str:
    """`2022-01-05` for `2022-1-5`, else ''."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", text.strip())
    if not match:
        return ""
    return "-".join([match.group(1), *(g.zfill(2) for g in match.groups()[1:] if g)])
