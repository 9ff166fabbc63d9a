"""What the timeline picture reads: the dated events of one tracker that overlap a window of days,
only the columns the picture draws, in one query over the index on (tracker, date_start)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models as m

# An event that began more than this before the window is not looked for: the index is read from
# here, not from the first event ever, and a span that long (a year, a decade) is no point in time.
LONGEST_SPAN = timedelta(days=731)


@dataclass(frozen=True, slots=True)
class ChartEvent:
    """One event as the timeline picture draws it (nothing else about it is read)."""

    type: str
    status: str
    start: date
    end: date
    granularity: str | None
    mod: str | None
    location: str | None


def timeline_events(*, session: Session, tracker_id: int, start: date, end: date) -> list[ChartEvent]:
    """Events with a date whose span overlaps [start, end] (and began at most LONGEST_SPAN before
    `start`), by date then id."""
    rows = session.execute(
        select(m.Event.type, m.Event.status, m.Event.date_start, m.Event.date_end, m.Event.granularity,
               m.Event.date_mod, m.Event.location)
        .where(m.Event.tracker_id == tracker_id, m.Event.date_start >= start - LONGEST_SPAN,
               m.Event.date_start <= end, m.Event.date_end >= start)
        .order_by(m.Event.date_start, m.Event.id)
    )
    return [ChartEvent(type=r.type, status=r.status, start=r.date_start, end=r.date_end, granularity=r.granularity,
                       mod=r.date_mod, location=r.location) for r in rows]
