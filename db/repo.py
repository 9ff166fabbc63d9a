"""Data access: flat, typed, keyword-only functions. Callers own the transaction (`with session.begin():`)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.orm import Session, object_session

from bot import event_types as et
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


def get_or_create_source(*, session: Session, tracker_id: int, url: str) -> m.Source:
    row = session.scalar(select(m.Source).where(m.Source.tracker_id == tracker_id, m.Source.url == url))
    if row is None:
        row = m.Source(tracker_id=tracker_id, url=url, error_count=0, disabled=False, polls=0)
        session.add(row)
        session.flush()
    return row


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
        if update.changes or (as_utc(ev.as_of) is None or published >= as_utc(ev.as_of)):  # type: ignore[operator]
            if update.status:
                ev.status = update.status
            if update.date_value != ev.date_value:
                d = extracted.date
                _set_date(ev, update.date_value, d.mod if d else None, d.text if d else None)
            ev.location = update.location
            if update.type:
                ev.type = update.type
            if as_utc(ev.as_of) is None or published >= as_utc(ev.as_of):  # type: ignore[operator]
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


def queue_deliveries(*, session: Session, tracker_id: int, change: m.StatusChange, now: datetime) -> int:
    """One outbox row per subscribed channel, in the change's own transaction."""
    if not change.alert:
        return 0
    subs = session.scalars(
        select(m.Subscription).where(m.Subscription.tracker_id == tracker_id, m.Subscription.active.is_(True))
    ).all()
    n = 0
    for sub in subs:
        if sub.level == "major" and change.event.type not in et.MAJOR_TYPES:
            continue
        session.add(m.Delivery(subscription_id=sub.id, change_id=change.id, state="pending", attempts=0,
                               next_attempt_at=now, created_at=now))
        n += 1
    session.flush()
    return n


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


def undelivered(*, session: Session, platform: str, limit: int = 500) -> list[tuple[int, str, str]]:
    """(delivery id, team id, channel) of every pending or sending row, by channel, oldest change first."""
    q = (
        select(m.Delivery.id, m.Subscription.team_id, m.Subscription.channel)
        .join(m.Subscription)
        .where(m.Subscription.platform == platform, m.Delivery.state.in_(("pending", "sending")))
        .order_by(m.Subscription.team_id, m.Subscription.channel, m.Delivery.change_id, m.Delivery.id)
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in session.execute(q)]


def undelivered_notices(*, session: Session, platform: str, limit: int = 500) -> list[tuple[int, str, str]]:
    """(notice id, team id, channel) of every pending or sending notice, by channel, oldest first."""
    q = (
        select(m.Notice.id, m.Subscription.team_id, m.Subscription.channel)
        .join(m.Subscription)
        .where(m.Subscription.platform == platform, m.Notice.state.in_(("pending", "sending")))
        .order_by(m.Subscription.team_id, m.Subscription.channel, m.Notice.id)
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in session.execute(q)]


def claim_delivery(
    *, session: Session, delivery_id: int, now: datetime, lease_until: datetime,
    model: type[m.Delivery] | type[m.Notice] = m.Delivery,
) -> bool | None:
    """Mark the delivery (or notice) "sending" until `lease_until` if it is due: pending and its time
    has come, or sending under a lease that ran out (its worker died). One conditional UPDATE, so two
    workers never both take it. None when not taken; else whether an earlier try may have reached the
    platform.
    """
    tried = session.scalar(select(model.attempts).where(model.id == delivery_id))
    taken = session.execute(
        update(model)
        .where(
            model.id == delivery_id, model.state.in_(("pending", "sending")),
            or_(model.next_attempt_at.is_(None), model.next_attempt_at <= now),
        )
        .values(state="sending", attempts=model.attempts + 1, next_attempt_at=lease_until)
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(tried) if taken == 1 else None


def claim_summary_slot(*, session: Session, subscription_id: int, slot: datetime) -> bool:
    """Record the weekly summary for `slot` as taken, unless it (or a later one) already is."""
    return session.execute(
        update(m.Subscription)
        .where(m.Subscription.id == subscription_id,
               or_(m.Subscription.last_summary_at.is_(None), m.Subscription.last_summary_at < slot))
        .values(last_summary_at=slot)
        .execution_options(synchronize_session=False)
    ).rowcount == 1


def active_subscriptions(*, session: Session, platform: str, subscription_id: int | None = None) -> list[m.Subscription]:
    q = select(m.Subscription).where(m.Subscription.platform == platform, m.Subscription.active.is_(True))
    if subscription_id is not None:
        q = q.where(m.Subscription.id == subscription_id)
    return list(session.scalars(q.order_by(m.Subscription.id)))


def parked_deliveries(*, session: Session, tracker_id: int, platform: str, team_id: str, limit: int = 10) -> list[m.Delivery]:
    """Alerts given up on, newest first, for one workspace's channels."""
    q = (
        select(m.Delivery)
        .join(m.Subscription)
        .where(m.Subscription.tracker_id == tracker_id, m.Subscription.platform == platform,
               m.Subscription.team_id == team_id, m.Delivery.state == "parked")
        .order_by(m.Delivery.id.desc())
        .limit(limit)
    )
    return list(session.scalars(q))


# ----------------------------------------------------------------- reading, for commands and summaries

def upcoming_events(*, session: Session, tracker_id: int, now: datetime, limit: int = 10) -> list[m.Event]:
    today = now.date()
    q = (
        select(m.Event)
        .where(
            m.Event.tracker_id == tracker_id,
            m.Event.type.in_(sorted(et.MEETING_TYPES)),
            m.Event.status.in_(et.OPEN_STATUSES),
            or_(m.Event.date_end.is_(None), m.Event.date_end >= today),
        )
        .order_by(m.Event.date_start.is_(None), m.Event.date_start, m.Event.id)
        .limit(limit)
    )
    return list(session.scalars(q))


def active_deadlines(*, session: Session, tracker_id: int, limit: int = 10) -> list[m.Event]:
    q = (
        select(m.Event)
        .where(m.Event.tracker_id == tracker_id, m.Event.type == "deadline", m.Event.status == "active")
        .order_by(m.Event.date_start, m.Event.id)
        .limit(limit)
    )
    return list(session.scalars(q))


def recent_changes(
    *, session: Session, tracker_id: int, since: datetime | None = None, until: datetime | None = None, limit: int = 10
) -> list[m.StatusChange]:
    q = select(m.StatusChange).where(m.StatusChange.tracker_id == tracker_id)
    if since is not None:
        q = q.where(m.StatusChange.created_at >= since)
    if until is not None:
        q = q.where(m.StatusChange.created_at <= until)
    q = q.order_by(m.StatusChange.created_at.desc(), m.StatusChange.id.desc()).limit(limit)
    return list(session.scalars(q))


def timeline(*, session: Session, tracker_id: int, limit: int = 10, event_type: str | None = None) -> list[m.Event]:
    q = select(m.Event).where(m.Event.tracker_id == tracker_id, m.Event.date_start.is_not(None))
    if event_type:
        q = q.where(m.Event.type == event_type)
    q = q.order_by(m.Event.date_start.desc(), m.Event.id.desc()).limit(limit)
    return list(session.scalars(q))


def events_of_actor(*, session: Session, tracker_id: int, name: str, limit: int = 10) -> tuple[m.Actor | None, list[m.Event]]:
    """The actor whose name or alias contains `name`, and their latest events."""
    like = f"%{name.lower()}%"
    actor = session.scalar(
        select(m.Actor)
        .outerjoin(m.ActorAlias)
        .where(m.Actor.tracker_id == tracker_id, or_(func.lower(m.Actor.name).like(like), func.lower(m.ActorAlias.alias).like(like)))
        .order_by(m.Actor.kind.desc(), m.Actor.id)
        .limit(1)
    )
    if actor is None:
        return None, []
    q = (
        select(m.Event)
        .join(m.EventActor)
        .where(m.EventActor.actor_id == actor.id)
        .order_by(m.Event.date_start.desc().nulls_last(), m.Event.id.desc())
        .limit(limit)
    )
    return actor, list(session.scalars(q).unique())


ARTICLE_TSVECTOR = "to_tsvector('english', coalesce(title, '') || ' ' || text)"  # as in migration 0004


def search(*, session: Session, tracker_id: int, words: str, limit: int = 10) -> tuple[list[m.Event], list[m.Article]]:
    """Events whose summary or place, and articles whose title or text, contain every word."""
    terms = [w.lower() for w in words.split() if w.strip()]
    ev_q = select(m.Event).where(m.Event.tracker_id == tracker_id)
    art_q = select(m.Article).where(m.Article.tracker_id == tracker_id, m.Article.relevant.is_(True))
    full_text = session.get_bind().dialect.name == "postgresql"
    if full_text and terms:
        # PostgreSQL: the GIN index of migration 0004 (English stemming: "summits" finds "summit")
        art_q = art_q.where(
            text(f"{ARTICLE_TSVECTOR} @@ plainto_tsquery('english', :words)").bindparams(words=" ".join(terms))
        )
    for t in terms:
        # a plain plural still finds the singular ("summits" -> "summit"); PostgreSQL stems properly
        like = f"%{t[:-1] if len(t) > 4 and t.endswith('s') and not t.endswith('ss') else t}%"
        ev_q = ev_q.where(or_(func.lower(m.Event.summary).like(like), func.lower(m.Event.location).like(like)))
        if not full_text:
            art_q = art_q.where(or_(func.lower(m.Article.title).like(like), func.lower(m.Article.text).like(like)))
    events = list(session.scalars(ev_q.order_by(m.Event.date_start.desc().nulls_last()).limit(limit)))
    articles = list(session.scalars(art_q.order_by(m.Article.published.desc().nulls_last()).limit(limit)))
    return events, articles


def sources(*, session: Session, tracker_id: int) -> list[m.Source]:
    return list(session.scalars(select(m.Source).where(m.Source.tracker_id == tracker_id).order_by(m.Source.id)))


def latest_evidence(ev: m.Event) -> m.EvidenceRow | None:
    """The evidence from the newest article that mentions the event (its source link): one query,
    however many articles retold it."""
    session = object_session(ev)
    if session is None:
        return None
    return session.scalar(
        select(m.EvidenceRow).join(m.Article, m.EvidenceRow.article_id == m.Article.id)
        .where(m.EvidenceRow.event_id == ev.id)
        .order_by(func.coalesce(m.Article.published, m.Article.fetched_at).desc(), m.EvidenceRow.id.desc())
        .limit(1)
    )


def evidence_of(*, session: Session, event_id: int, article_id: int) -> list[m.EvidenceRow]:
    """What one article said about one event."""
    return list(session.scalars(
        select(m.EvidenceRow).where(m.EvidenceRow.event_id == event_id, m.EvidenceRow.article_id == article_id)
        .order_by(m.EvidenceRow.start)
    ))


def articles_between(*, session: Session, tracker_id: int, since: datetime, until: datetime) -> list[m.Article]:
    q = (
        select(m.Article)
        .where(m.Article.tracker_id == tracker_id, m.Article.relevant.is_(True),
               m.Article.published >= since, m.Article.published <= until)
        .order_by(m.Article.published)
    )
    return list(session.scalars(q))


def count_pending(*, session: Session) -> int:
    return session.scalar(select(func.count()).select_from(m.Delivery).where(m.Delivery.state == "pending")) or 0

