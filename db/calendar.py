"""What the calendar feed and the changes feed read: dated events with their revision counts, and the
latest alerted changes. Each in a fixed number of queries, however many rows they hold; the views
themselves are db/reads.py's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, lazyload

from bot.domain import ChangeView, EventView, EvidenceView
from db import models as m
from db import reads

# Change kinds that move an event in a subscriber's calendar (its day, place, status or type): each
# one is a new revision of the calendar entry (its SEQUENCE).
REVISING_KINDS = ("date", "location", "status", "type")
# Granularities a calendar can show as all-day events: one day, or a range (of days, checked by the caller).
DAY_GRANULARITIES = ("day", "range")


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """An event as a calendar entry needs it: its view, its day span, how often it was revised, and
    when it last changed (the entry's stamp, from the data, never the clock)."""

    view: EventView
    first_day: date
    last_day: date
    revisions: int
    changed_at: datetime
    first_seen_at: datetime


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def dated_events(
    *, session: Session, tracker_id: int, since: date, types: Sequence[str], limit: int = 500,
) -> list[CalendarEvent]:
    """Events of `types` dated to a day or a range, ending on or after `since`, earliest first, at most
    `limit`: three queries (the events, their revisions and last change, their views' people and sources)."""
    q = (
        select(m.Event)
        .where(m.Event.tracker_id == tracker_id, m.Event.date_end >= since, m.Event.date_start.is_not(None),
               m.Event.granularity.in_(DAY_GRANULARITIES), m.Event.type.in_(list(types)))
        .order_by(m.Event.date_start, m.Event.id)
        .limit(limit)
        .options(lazyload(m.Event.actors))
    )
    events = list(session.scalars(q))
    if not events:
        return []
    ids = [e.id for e in events]
    revising = func.sum(case((m.StatusChange.kind.in_(REVISING_KINDS), 1), else_=0))
    rows = session.execute(
        select(m.StatusChange.event_id, revising, func.max(m.StatusChange.created_at))
        .where(m.StatusChange.event_id.in_(ids))
        .group_by(m.StatusChange.event_id)
    )
    history = {event_id: (int(count or 0), last) for event_id, count, last in rows}
    views = {v.id: v for v in reads.event_views(session=session, events=events)}
    out = []
    for ev in events:
        assert ev.date_start is not None and ev.date_end is not None  # the query asked for both
        count, last = history.get(ev.id, (0, None))
        first_seen = _utc(ev.first_seen_at)
        out.append(CalendarEvent(view=views[ev.id], first_day=ev.date_start, last_day=ev.date_end, revisions=count,
                                 changed_at=_utc(last) if last is not None else first_seen, first_seen_at=first_seen))
    return out


@dataclass(frozen=True, slots=True)
class AlertedChange:
    """A change that was alerted, with what its article said about the event."""

    change: ChangeView
    evidence: tuple[EvidenceView, ...]


def alerted_changes(*, session: Session, tracker_id: int, until: datetime, limit: int = 50) -> list[AlertedChange]:
    """The latest changes that were alerted, made up to `until`, newest first, at most `limit`: the
    ids by one query (ix_status_changes_tracker_created), then reads' views and evidence of them."""
    ids = list(session.scalars(
        select(m.StatusChange.id)
        .where(m.StatusChange.tracker_id == tracker_id, m.StatusChange.alert.is_(True),
               m.StatusChange.created_at <= until)
        .order_by(m.StatusChange.created_at.desc(), m.StatusChange.id.desc())
        .limit(limit)
    ))
    found = reads.changes_by_id(session=session, ids=ids)
    ordered = [found[i] for i in ids if i in found]
    said = reads.evidence_by_change(session=session, changes=ordered)
    return [AlertedChange(change=c, evidence=tuple(said.get(c.id, []))) for c in ordered]
