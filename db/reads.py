"""What commands, summaries and the status JSON read: views with everything a line shows, each list
in a fixed number of queries however long it is (formatting never queries)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, literal_column, or_, select, text
from sqlalchemy.orm import Session, joinedload, lazyload, load_only

from bot import event_types as et
from bot.domain import ChangeView, EventView, EvidenceView, SourceLink
from db import models as m

ARTICLE_TSVECTOR = "to_tsvector('english', coalesce(title, '') || ' ' || text)"  # as in migration 0004
# An event's summary and place in one lower-case text: a trigram index on PostgreSQL (migration 0007)
# answers LIKE on it; the planner matches this text, so it is written exactly as the index is.
EVENT_TEXT = "lower(coalesce(summary, '') || ' ' || coalesce(location, ''))"


def _newest_sources(session: Session, event_ids: Sequence[int]) -> dict[int, tuple[SourceLink, str]]:
    """Each event's newest article and what it said: one query for all of them, one index probe per
    event (ix_evidence_event_published), however many articles retold it."""
    if not event_ids:
        return {}
    newest = (
        select(m.EvidenceRow.id).where(m.EvidenceRow.event_id == m.Event.id)
        .order_by(m.EvidenceRow.published.desc(), m.EvidenceRow.id.desc()).limit(1)
        .correlate(m.Event).scalar_subquery()
    )
    rows = session.execute(
        select(m.EvidenceRow.event_id, m.EvidenceRow.sentence, m.Article.title, m.Article.url, m.Article.published)
        .join(m.Article, m.EvidenceRow.article_id == m.Article.id)
        .where(m.EvidenceRow.id.in_(select(newest).where(m.Event.id.in_(list(set(event_ids))))))
    )
    return {r.event_id: (SourceLink(r.title, r.url, r.published), r.sentence) for r in rows}


def _actors(session: Session, event_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """Each event's (role, name) pairs, people in the tracker file's order (then as met): one query."""
    if not event_ids:
        return {}
    rows = session.execute(
        select(m.EventActor.event_id, m.EventActor.role, m.Actor.name)
        .join(m.Actor, m.EventActor.actor_id == m.Actor.id)
        .where(m.EventActor.event_id.in_(list(set(event_ids))))
        .order_by(m.EventActor.actor_id)
    )
    out: dict[int, list[tuple[str, str]]] = {}
    for event_id, role, name in rows:
        out.setdefault(event_id, []).append((role, name))
    return out


def event_views(*, session: Session, events: Sequence[m.Event]) -> list[EventView]:
    """Views of loaded events: their people and newest sources by one query each, for all of them."""
    ids = [e.id for e in events]
    sources = _newest_sources(session, ids)
    actors = _actors(session, ids)
    out = []
    for ev in events:
        source, sentence = sources.get(ev.id, (None, None))
        named = actors.get(ev.id, [])
        out.append(EventView(
            id=ev.id, type=ev.type, status=ev.status, date_value=ev.date_value, date_mod=ev.date_mod,
            date_text=ev.date_text, location=ev.location, summary=ev.summary, mentions=ev.mentions,
            participants=tuple(name for role, name in named if role == "participant"),
            parties=tuple(sorted(name for role, name in named if role == "party")),
            source=source, sentence=sentence,
        ))
    return out


def _events(session: Session, q: Select[tuple[m.Event]]) -> list[m.Event]:
    """Events without their actor rows (event_views reads the names for all of them at once)."""
    return list(session.scalars(q.options(lazyload(m.Event.actors))))


def _views(session: Session, q: Select[tuple[m.Event]]) -> list[EventView]:
    return event_views(session=session, events=_events(session, q))


def _upcoming(tracker_id: int, now: datetime, limit: int) -> Select[tuple[m.Event]]:
    return (
        select(m.Event)
        .where(m.Event.tracker_id == tracker_id, m.Event.type.in_(sorted(et.MEETING_TYPES)),
               m.Event.status.in_(et.OPEN_STATUSES), or_(m.Event.date_end.is_(None), m.Event.date_end >= now.date()))
        .order_by(m.Event.date_start.is_(None), m.Event.date_start, m.Event.id)
        .limit(limit)
    )


def _deadlines(tracker_id: int, limit: int) -> Select[tuple[m.Event]]:
    return (
        select(m.Event)
        .where(m.Event.tracker_id == tracker_id, m.Event.type == "deadline", m.Event.status == "active")
        .order_by(m.Event.date_start, m.Event.id)
        .limit(limit)
    )


def upcoming_events(*, session: Session, tracker_id: int, now: datetime, limit: int = 10) -> list[EventView]:
    """Meetings not yet held whose date has not passed, soonest first (undated last)."""
    return _views(session, _upcoming(tracker_id, now, limit))


def timeline(*, session: Session, tracker_id: int, limit: int = 10, event_type: str | None = None) -> list[EventView]:
    q = select(m.Event).where(m.Event.tracker_id == tracker_id, m.Event.date_start.is_not(None))
    if event_type:
        q = q.where(m.Event.type == event_type)
    return _views(session, q.order_by(m.Event.date_start.desc(), m.Event.id.desc()).limit(limit))


def _change_view(c: m.StatusChange, events: dict[int, EventView]) -> ChangeView:
    return ChangeView(id=c.id, kind=c.kind, old=c.old, new=c.new, created_at=c.created_at, alert=c.alert,
                      tracker_id=c.tracker_id, event=events[c.event_id], article_id=c.article_id,
                      article=SourceLink(c.article.title, c.article.url, c.article.published) if c.article else None)


def _change_views(session: Session, changes: Sequence[m.StatusChange]) -> list[ChangeView]:
    events = {v.id: v for v in event_views(session=session, events=list({c.event.id: c.event for c in changes}.values()))}
    return [_change_view(c, events) for c in changes]


def _changes_query() -> Select[tuple[m.StatusChange]]:
    return select(m.StatusChange).options(
        joinedload(m.StatusChange.article).options(load_only(m.Article.title, m.Article.url, m.Article.published)),
        joinedload(m.StatusChange.event).lazyload(m.Event.actors),
    )


def _recent(tracker_id: int, since: datetime | None, until: datetime | None, limit: int) -> Select[tuple[m.StatusChange]]:
    q = _changes_query().where(m.StatusChange.tracker_id == tracker_id)
    if since is not None:
        q = q.where(m.StatusChange.created_at >= since)
    if until is not None:
        q = q.where(m.StatusChange.created_at <= until)
    return q.order_by(m.StatusChange.created_at.desc(), m.StatusChange.id.desc()).limit(limit)


@dataclass(frozen=True, slots=True)
class Overview:
    """What `status` and the weekly summary show: next events, the latest changes, active deadlines."""

    upcoming: list[EventView]
    changes: list[ChangeView]
    deadlines: list[EventView]


def overview(
    *, session: Session, tracker_id: int, now: datetime, since: datetime | None = None, upcoming: int = 5,
    changes: int = 5, deadlines: int = 5,
) -> Overview:
    """Next events, changes up to `now` (from `since`), active deadlines: their events viewed in one pass."""
    up = _events(session, _upcoming(tracker_id, now, upcoming))
    due = _events(session, _deadlines(tracker_id, deadlines))
    told = list(session.scalars(_recent(tracker_id, since, now, changes)))
    events = {e.id: e for e in (*up, *due, *(c.event for c in told))}
    views = {v.id: v for v in event_views(session=session, events=list(events.values()))}
    return Overview(upcoming=[views[e.id] for e in up], changes=[_change_view(c, views) for c in told],
                    deadlines=[views[e.id] for e in due])


def changes_by_id(*, session: Session, ids: Sequence[int]) -> dict[int, ChangeView]:
    if not ids:
        return {}
    rows = list(session.scalars(_changes_query().where(m.StatusChange.id.in_(list(set(ids))))))
    return {v.id: v for v in _change_views(session, rows)}


def told_with(*, session: Session, change_id: int) -> list[ChangeView]:
    """The change and the others its article made to the same event in the same poll, in the order they
    were made: what one alert says together."""
    first = session.get(m.StatusChange, change_id)
    if first is None:
        return []
    q = _changes_query().where(m.StatusChange.event_id == first.event_id, m.StatusChange.created_at == first.created_at,
                               m.StatusChange.article_id == first.article_id if first.article_id is not None
                               else m.StatusChange.id == first.id)
    return sorted(_change_views(session, list(session.scalars(q))), key=lambda v: v.id)


def events_of_actor(*, session: Session, tracker_id: int, name: str, limit: int = 10) -> tuple[str | None, list[EventView]]:
    """The actor whose name or alias contains `name` (its name), and their latest events."""
    like = f"%{name.lower()}%"
    actor = session.execute(
        select(m.Actor.id, m.Actor.name)
        .outerjoin(m.ActorAlias)
        .where(m.Actor.tracker_id == tracker_id,
               or_(func.lower(m.Actor.name).like(like), func.lower(m.ActorAlias.alias).like(like)))
        .order_by(m.Actor.kind.desc(), m.Actor.id)
        .limit(1)
    ).first()
    if actor is None:
        return None, []
    q = (
        select(m.Event)
        .join(m.EventActor)
        .where(m.EventActor.actor_id == actor.id)
        .order_by(m.Event.date_start.desc().nulls_last(), m.Event.id.desc())
        .limit(limit)
    )
    return actor.name, event_views(session=session, events=list(session.scalars(q.options(lazyload(m.Event.actors))).unique()))


RECENT_ARTICLES = timedelta(days=365)


def search(
    *, session: Session, tracker_id: int, words: str, limit: int = 10, now: datetime | None = None,
    max_terms: int = 12,
) -> tuple[list[EventView], list[SourceLink]]:
    """Events whose summary or place, and articles whose title or text, contain every word. Articles
    of the last year (before `now`) are looked at first; older ones only when those are too few."""
    # At most `max_terms` distinct words, without NUL: each word is one more condition (SQLite
    # refuses an expression deeper than 1,000) and PostgreSQL refuses NUL in any text.
    terms = list(dict.fromkeys(w.lower() for w in words.replace("\x00", " ").split()))[:max_terms]
    ev_q = select(m.Event).where(m.Event.tracker_id == tracker_id)
    art_q = select(m.Article.title, m.Article.url, m.Article.published).where(
        m.Article.tracker_id == tracker_id, m.Article.relevant.is_(True))
    full_text = session.get_bind().dialect.name == "postgresql"
    if full_text and terms:
        # PostgreSQL: the GIN index of migration 0004 (English stemming: "summits" finds "summit")
        art_q = art_q.where(
            text(f"{ARTICLE_TSVECTOR} @@ plainto_tsquery('english', :words)").bindparams(words=" ".join(terms))
        )
    for t in terms:
        # a plain plural still finds the singular ("summits" -> "summit"); PostgreSQL stems properly
        like = f"%{t[:-1] if len(t) > 4 and t.endswith('s') and not t.endswith('ss') else t}%"
        ev_q = ev_q.where(literal_column(EVENT_TEXT).like(like))
        if not full_text:
            art_q = art_q.where(or_(func.lower(m.Article.title).like(like), func.lower(m.Article.text).like(like)))
    events = _views(session, ev_q.order_by(m.Event.date_start.desc().nulls_last()).limit(limit))
    art_q = art_q.order_by(m.Article.published.desc().nulls_last()).limit(limit)
    rows = list(session.execute(art_q.where(m.Article.published >= now - RECENT_ARTICLES))) if now else []
    if len(rows) < limit:
        rows = list(session.execute(art_q))
    return events, [SourceLink(r.title, r.url, r.published) for r in rows]


def evidence_for(*, session: Session, event_ids: Sequence[int], article_id: int | None = None) -> list[EvidenceView]:
    """Every sentence about these events (of one article, when given), oldest row first."""
    if not event_ids:
        return []
    q = select(m.EvidenceRow).where(m.EvidenceRow.event_id.in_(list(set(event_ids))))
    if article_id is not None:
        q = q.where(m.EvidenceRow.article_id == article_id)
    return [EvidenceView(event_id=e.event_id, article_id=e.article_id, sentence=e.sentence, start=e.start, end=e.end,
                         attribution=tuple(e.attribution or ()))
            for e in session.scalars(q.order_by(m.EvidenceRow.id))]


def evidence_by_change(*, session: Session, changes: Sequence[ChangeView]) -> dict[int, list[EvidenceView]]:
    """For each change, what the article that made it said about its event: one query."""
    pairs = {(c.event.id, c.article_id) for c in changes if c.article_id is not None}
    if not pairs:
        return {}
    q = select(m.EvidenceRow).where(
        m.EvidenceRow.event_id.in_({e for e, _ in pairs}), m.EvidenceRow.article_id.in_({a for _, a in pairs})
    ).order_by(m.EvidenceRow.id)
    said: dict[tuple[int, int], list[EvidenceView]] = {}
    for e in session.scalars(q):
        said.setdefault((e.event_id, e.article_id), []).append(EvidenceView(
            event_id=e.event_id, article_id=e.article_id, sentence=e.sentence, start=e.start, end=e.end,
            attribution=tuple(e.attribution or ())))
    return {c.id: said.get((c.event.id, c.article_id), []) for c in changes if c.article_id is not None}


def articles_between(*, session: Session, tracker_id: int, since: datetime, until: datetime) -> list[m.Article]:
    q = (
        select(m.Article)
        .where(m.Article.tracker_id == tracker_id, m.Article.relevant.is_(True),
               m.Article.published >= since, m.Article.published <= until)
        .order_by(m.Article.published)
    )
    return list(session.scalars(q))


def actor_names(*, session: Session, tracker_id: int, typed: str, limit: int = 500) -> list[tuple[str, str | None]]:
    """(actor name, one of its aliases or None) of the tracker's actors whose name or an alias contains
    `typed` (case-insensitive, taken literally; every actor when empty), by name: for autocomplete."""
    q = select(m.Actor.name, m.ActorAlias.alias).outerjoin(m.ActorAlias).where(m.Actor.tracker_id == tracker_id)
    want = typed.strip().lower()
    if want:
        like = "%" + want.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        q = q.where(or_(func.lower(m.Actor.name).like(like, escape="\\"),
                        func.lower(m.ActorAlias.alias).like(like, escape="\\")))
    rows = session.execute(q.order_by(m.Actor.name, m.ActorAlias.alias).limit(limit)).all()
    return [(str(r[0]), r[1]) for r in rows]
