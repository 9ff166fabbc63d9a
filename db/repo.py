"""Data access: flat, typed, keyword-only functions. Callers own the transaction (`with session.begin():`)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import overload

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.dates import granularity, interval
from bot.domain import ArticleIn, ExtractedEvent, KnownEvent, Update
from bot.tracker import Tracker
from db import models as m


def sync_tracker(*, session: Session, tracker: Tracker) -> m.Tracker:
    """The tracker's row, with its actors and aliases brought in line with its data file."""
    row = session.scalar(select(m.Tracker).where(m.Tracker.slug == tracker.slug))
    if row is None:
        row = m.Tracker(slug=tracker.slug, title=tracker.title, command=tracker.command)
        session.add(row)
        session.flush()
    else:
        row.title, row.command = tracker.title, tracker.command
    existing = {a.name: a for a in session.scalars(select(m.Actor).where(m.Actor.tracker_id == row.id))}
    for actor in (*tracker.actors, *tracker.people):
        db_actor = existing.get(actor.name)
        if db_actor is None:
            db_actor = m.Actor(tracker_id=row.id, name=actor.name, kind=actor.kind, country=actor.country)
            session.add(db_actor)
            existing[actor.name] = db_actor
        wanted = {*actor.aliases, *actor.roles} - {a.alias for a in db_actor.aliases}
        db_actor.aliases.extend(m.ActorAlias(alias=a) for a in sorted(wanted))
    session.flush()
    return row


def tracker_row(*, session: Session, slug: str) -> m.Tracker | None:
    return session.scalar(select(m.Tracker).where(m.Tracker.slug == slug))


def content_hash(article: ArticleIn) -> str:
    return hashlib.sha256(f"{article.title or ''}\n{article.text}".encode()).hexdigest()


def add_article(
    *, session: Session, tracker_id: int, source_id: int | None, article: ArticleIn, guid: str,
    relevant: bool, now: datetime,
) -> m.Article:
    row = m.Article(
        tracker_id=tracker_id, source_id=source_id, guid=guid, url=article.url, title=article.title,
        published=article.published, fetched_at=now, text=article.text, content_hash=content_hash(article),
        relevant=relevant,
    )
    session.add(row)
    session.flush()
    return row


def latest_news(*, session: Session, tracker_id: int) -> datetime | None:
    """When the newest article on the tracker's negotiation stored so far was published (None: none yet)."""
    latest = session.scalar(select(func.max(m.Article.published)).where(
        m.Article.tracker_id == tracker_id, m.Article.relevant.is_(True)))
    return as_utc(latest) if latest is not None else None


def known_events(*, session: Session, tracker_id: int) -> list[KnownEvent]:
    out = []
    for ev in session.scalars(select(m.Event).where(m.Event.tracker_id == tracker_id)):
        out.append(
            KnownEvent(
                id=ev.id, type=ev.type, status=ev.status, date_value=ev.date_value, location=ev.location,
                participants={a.actor.name for a in ev.actors if a.role == "participant"},
                parties={a.actor.name for a in ev.actors if a.role == "party"},
                as_of=as_utc(ev.as_of),
            )
        )
    return out


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _actor_id(session: Session, tracker_id: int, name: str, kind: str, cache: dict[str, int]) -> int:
    """The actor's id, made on first sight; `cache` spares the query for names seen before."""
    if name in cache:
        return cache[name]
    actor_id = session.scalar(select(m.Actor.id).where(m.Actor.tracker_id == tracker_id, m.Actor.name == name))
    if actor_id is None:
        row = m.Actor(tracker_id=tracker_id, name=name, kind=kind)
        session.add(row)
        session.flush()
        actor_id = row.id
    cache[name] = actor_id
    return actor_id


def _set_date(ev: m.Event, value: str | None, mod: str | None, text: str | None) -> None:
    ev.date_value, ev.date_mod, ev.date_text = value, mod, text
    span = interval(value)
    ev.date_start, ev.date_end = (span[0], span[1]) if span else (None, None)
    ev.granularity = granularity(value)


def apply_update(
    *, session: Session, tracker_id: int, article: m.Article, extracted: ExtractedEvent, update: Update,
    now: datetime, alert: bool, actor_cache: dict[str, int],
) -> tuple[m.Event, list[m.StatusChange]]:
    """Store what `update` decided: a new event or the changed one, its evidence, its status changes."""
    published = article.published or now
    if update.event_id is None:
        ev = m.Event(tracker_id=tracker_id, type=extracted.type, status=extracted.status, location=extracted.location,
                     summary=extracted.summary, mentions=1, as_of=published, first_seen_at=now, updated_at=now,
                     actors=[], evidence=[])  # empty, not unloaded: no query to find that out
        d = extracted.date
        _set_date(ev, d.value if d else None, d.mod if d else None, d.text if d else None)
        session.add(ev)  # flushed once, with its actors, evidence and changes, at the end
    else:
        ev = session.get_one(m.Event, update.event_id)
        ev.mentions += 1
        held_since = as_utc(ev.as_of) if ev.as_of is not None else None
        newer = held_since is None or published >= held_since
        if update.changes or newer:
            if update.status:
                ev.status = update.status
            if update.date_value != ev.date_value:
                d = extracted.date
                _set_date(ev, update.date_value, d.mod if d else None, d.text if d else None)
            ev.location = update.location
            if update.type:
                ev.type = update.type
            if newer:
                ev.as_of = published
                ev.summary = extracted.summary or ev.summary
        ev.updated_at = now
    have = {(a.actor_id, a.role) for a in ev.actors}
    for role, names, kind in (("participant", extracted.participants, "person"), ("party", extracted.parties, "country")):
        for name in names:
            actor_id = _actor_id(session, tracker_id, name, kind, actor_cache)
            if (actor_id, role) not in have:
                ev.actors.append(m.EventActor(actor_id=actor_id, role=role))
                have.add((actor_id, role))
    # The article is new (each stored event is matched once per article), so none of its evidence is
    # stored yet; the event's older evidence is not loaded at all: a retold event has much of it.
    seen: set[int] = set()
    for item in extracted.evidence:
        if item.start not in seen:
            row = m.EvidenceRow(article_id=article.id, sentence=item.sentence, start=item.start, end=item.end,
                                published=article.published or article.fetched_at,
                                status=extracted.status, date_value=extracted.date.value if extracted.date else None,
                                attribution=list(extracted.attribution))
            if update.event_id is None:
                ev.evidence.append(row)  # a new event's (empty) collection: no load
            else:
                row.event_id = ev.id
                session.add(row)
            seen.add(item.start)
    changes = []
    for kind, old, new in update.changes:
        change = m.StatusChange(tracker_id=tracker_id, event=ev, article_id=article.id, kind=kind, old=old,
                                new=new, created_at=now, alert=alert)
        session.add(change)
        changes.append(change)
    session.flush()
    return ev, changes


def subscribe(
    *, session: Session, tracker_id: int, platform: str, channel: str, team_id: str = "", level: str = "all",
    now: datetime,
) -> m.Subscription:
    sub = subscription(session=session, tracker_id=tracker_id, platform=platform, channel=channel, team_id=team_id)
    if sub is None:
        sub = m.Subscription(tracker_id=tracker_id, platform=platform, team_id=team_id, channel=channel, level=level,
                             created_at=now, active=True)
        session.add(sub)
    else:
        sub.level, sub.active = level, True
    session.flush()
    return sub


def subscription(
    *, session: Session, tracker_id: int, platform: str, channel: str, team_id: str = ""
) -> m.Subscription | None:
    return session.scalar(
        select(m.Subscription).where(
            m.Subscription.tracker_id == tracker_id, m.Subscription.platform == platform,
            m.Subscription.team_id == team_id, m.Subscription.channel == channel,
        )
    )


def active_subscriptions(
    *, session: Session, platform: str | None = None, platforms: list[str] | None = None,
    subscription_id: int | None = None,
) -> list[m.Subscription]:
    """Active subscriptions, of one platform or of several (default: all)."""
    q = select(m.Subscription).where(m.Subscription.active.is_(True))
    if platform is not None:
        q = q.where(m.Subscription.platform == platform)
    if platforms is not None:
        q = q.where(m.Subscription.platform.in_(platforms))
    if subscription_id is not None:
        q = q.where(m.Subscription.id == subscription_id)
    return list(session.scalars(q.order_by(m.Subscription.id)))
