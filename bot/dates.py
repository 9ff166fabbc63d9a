"""Date values (the TIMEX-style strings of FORMAT.md) as spans of days, and how two spans relate.

Core: extraction, resolution, storage and formatting all read dates through here.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

SEASON_MONTHS: dict[str, tuple[int, int]] = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}

Span = tuple[date, date]
Relation = Literal["same", "wider", "narrower", "overlap", "apart", "open"]


def month_span(y: int, m1: int, m2: int) -> Span:
    """First day of month m1 to last day of month m2 (of the next year when m2 < m1)."""
    y2 = y if m2 >= m1 else y + 1
    return date(y, m1, 1), date(y2, m2, monthrange(y2, m2)[1])


def interval(value: str | None) -> Span | None:
    """Inclusive first and last day of a value; None for None or garbage."""
    if not value:
        return None
    if "/" in value:
        a, _, b = value.partition("/")
        ia, ib = interval(a), (None if "/" in b else interval(b))
        return (ia[0], ib[1]) if ia and ib and ia[0] <= ib[1] else None
    try:
        if m := re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value):
            y, mo, d = int(m[1]), m[2], m[3]
            if d:
                day = date(y, int(mo), int(d))
                return day, day
            return month_span(y, int(mo), int(mo)) if mo else month_span(y, 1, 12)
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-([QH])([1-4])", value):
            size = 3 if m[2] == "Q" else 6
            n = int(m[3])
            if n > 12 // size:
                return None
            return month_span(int(m[1]), (n - 1) * size + 1, n * size)
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
            return month_span(int(m[1]), *SEASON_MONTHS[m[2]])
        if m := re.fullmatch(r"(\d{1,3})(X{1,3})", value):
            if len(value) != 4:
                return None
            size = 10 ** len(m[2])
            lo = int(m[1]) * size
            return date(lo, 1, 1), date(lo + size - 1, 12, 31)
    except ValueError:
        return None
    return None


@lru_cache(maxsize=65536)
def cached_interval(value: str | None) -> Span | None:
    """interval(), parsed once per value: resolving compares a new event with many stored ones."""
    return interval(value)


def relation(a: Span | None, b: Span | None) -> Relation:
    """How span `b` relates to span `a`: "wider" when `a` contains `b` (b refines it), "narrower"
    when `b` contains `a`, "overlap", "apart", or "open" when either is unknown."""
    if a is None or b is None:
        return "open"
    if a == b:
        return "same"
    if a[0] <= b[0] and b[1] <= a[1]:
        return "wider"
    if b[0] <= a[0] and a[1] <= b[1]:
        return "narrower"
    if a[0] <= b[1] and b[0] <= a[1]:
        return "overlap"
    return "apart"


def granularity(value: str | None) -> str | None:
    """'2000-11-15' -> 'day', '2000-W45' -> 'week', '2000' -> 'year', 'a/b' -> 'range'."""
    if not value:
        return None
    if "/" in value:
        return "range"
    if "-W" in value:
        return "week"
    if "-Q" in value:
        return "quarter"
    if "-H" in value:
        return "half"
    if value[5:] in SEASON_MONTHS:
        return "season"
    return {4: "year", 7: "month", 10: "day"}.get(len(value), "other")
