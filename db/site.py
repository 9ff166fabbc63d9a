"""What a tracker's public page reads (bot/public/site.py) beyond db/reads.py: the people its timeline can
be filtered by, one page of the full timeline with its filters, and each listed event's latest changes
with their articles. Every read is bounded: a page of events, a few changes each, however big the
database grows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, lazyload

from bot import event_types as et
from bot.domain import ChangeView, EventView, SourceLink
from db import models as m
from db.reads import changes_by_id, event_views


def people(*, session: Session, tracker_id: int, limit: int = 300) -> list[str]:
    """The tracker's people by name (the tracker file's and those articles introduced), at most `limit`."""
    q = (select(m.Actor.name).where(m.Actor.tracker_id == tracker_id, m.Actor.kind == "person")
         .order_by(m.Actor.name).limit(limit))
    return [str(name) for name in session.scalars(q)]


@dataclass(frozen=True, slots=True)
class TimelinePage:
    """One page of the filtered timeline: its events (dated ones newest first, then the undated) and how
    many events match the filters in all."""

    events: list[EventView]
    total: int


def _filtered(q: Select[Any], tracker_id: int, event_type: str | None, status: str | None,
              person: str | None) -> Select[Any]:
    q = q.where(m.Event.tracker_id == tracker_id)
    if event_type:
        q = q.where(m.Event.type == event_type)
    if status:
        q = q.where(m.Event.status == status)
    if person:
        q = q.where(m.Event.id.in_(
            select(m.EventActor.event_id).join(m.Actor, m.EventActor.actor_id == m.Actor.id)
            .where(m.Actor.tracker_id == tracker_id, m.Actor.name == person)))
    return q


def timeline_page(
    *, session: Session, tracker_id: int, event_type: str | None = None, status: str | None = None,
    person: str | None = None, offset: int = 0, limit: int = 50,
) -> TimelinePage:
    """Events of the tracker matching every filter given (a type, a status, a person's exact name), the
    `limit` from `offset` on. Dated events come newest first, then the undated ones; each part is read
    in its own query so that both run down the (tracker_id, date_start) index instead of sorting."""
    counted = _filtered(select(func.count(), func.count(m.Event.date_start)), tracker_id, event_type, status, person)
    total, dated = session.execute(counted).one()
    events: list[m.Event] = []
    base = _filtered(select(m.Event), tracker_id, event_type, status, person).options(lazyload(m.Event.actors))
    if offset < dated:
        events += session.scalars(base.where(m.Event.date_start.is_not(None))
                                  .order_by(m.Event.date_start.desc(), m.Event.id.desc()).offset(offset).limit(limit))
    if offset + limit > dated and total > dated:
        skip = max(0, offset - dated)
        events += session.scalars(base.where(m.Event.date_start.is_(None)).order_by(m.Event.id.desc())
                                  .offset(skip).limit(limit - len(events)))
    return TimelinePage(events=event_views(session=session, events=events), total=int(total))


@dataclass(frozen=True, slots=True)
class EventChanges:
    """An event's newest changes (in the order they happened) and how many it has in all."""

    changes: list[ChangeView]
    total: int


def changes_of(*, session: Session, events: Sequence[EventView], per_event: int = 5) -> dict[int, EventChanges]:
    """For each event, its `per_event` newest changes, oldest of them first, with the article that made
    each: one query."""
    if not events:
        return {}
    views = {e.id: e for e in events}
    order = (m.StatusChange.created_at.desc(), m.StatusChange.id.desc())
    ranked = (
        select(m.StatusChange.id,
               func.row_number().over(partition_by=m.StatusChange.event_id, order_by=order).label("rank"),
               func.count().over(partition_by=m.StatusChange.event_id).label("total"))
        .where(m.StatusChange.event_id.in_(list(views)))
        .subquery()
    )
    rows = session.execute(
        select(m.StatusChange, ranked.c.total, m.Article.title, m.Article.url, m.Article.published)
        .join(ranked, ranked.c.id == m.StatusChange.id)
        .outerjoin(m.Article, m.StatusChange.article_id == m.Article.id)
        .where(ranked.c.rank <= per_event)
        .options(lazyload(m.StatusChange.event), lazyload(m.StatusChange.article))
        .order_by(m.StatusChange.event_id, m.StatusChange.created_at, m.StatusChange.id)
    )
    out: dict[int, EventChanges] = {}
    for c, total, title, url, published in rows:
        article = SourceLink(title, url, published) if c.article_id is not None else None
        view = ChangeView(id=c.id, kind=c.kind, old=c.old, new=c.new, created_at=c.created_at, alert=c.alert,
                          tracker_id=c.tracker_id, event=views[c.event_id], article=article, article_id=c.article_id)
        out.setdefault(c.event_id, EventChanges([], int(total))).changes.append(view)
    return out


def developments(*, session: Session, tracker_id: int, now: datetime, limit: int = 8) -> list[ChangeView]:
    """The latest changes up to `now`, newest first, of events whose type is news (the registry's alerting
    types: a statement is kept for the timeline, but "X said something" is no development)."""
    news = sorted(t for t in et.TYPES if et.alerts(t))
    ids = list(session.scalars(
        select(m.StatusChange.id).join(m.Event, m.StatusChange.event_id == m.Event.id)
        .where(m.StatusChange.tracker_id == tracker_id, m.StatusChange.created_at <= now, m.Event.type.in_(news))
        .order_by(m.StatusChange.created_at.desc(), m.StatusChange.id.desc()).limit(limit)))
    found = changes_by_id(session=session, ids=ids)
    return [found[i] for i in ids]


def version(*, session: Session) -> tuple[Any, ...]:
    """A value that changes whenever what a page shows may have: the newest id of each table it reads.
    Their rows are added, not edited, whenever an event changes (a status, date or place change is a
    status_changes row, each retelling an evidence row, a new person an event_actors row). One
    primary-key lookup per table."""
    newest = [select(func.max(t.id)).scalar_subquery()
              for t in (m.Event, m.EvidenceRow, m.StatusChange, m.EventActor, m.Actor)]
    return tuple(session.execute(select(*newest)).one())
