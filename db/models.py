"""The schema, as SQLAlchemy 2.0 typed models. Migrations (migrations/) are the only way it is made."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# Tables that libraries own (slack_sdk's installation and OAuth state stores, APScheduler's job store).
# Migration 0002 makes them; autogenerate leaves them alone (migrations/env.py).
EXTERNAL_TABLES = frozenset({"slack_installations", "slack_bots", "slack_oauth_states", "apscheduler_jobs"})
# PostgreSQL-only expression indexes for search (trigram titles, 0002; full text, 0004), also left
# alone by autogenerate.
POSTGRES_ONLY_INDEXES = frozenset({"ix_articles_title_trgm", "ix_articles_fts", "ix_events_text_trgm"})


class Tracker(Base):
    __tablename__ = "trackers"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    command: Mapped[str] = mapped_column(String(64))


class Source(Base):
    """A feed or page, with what the fetcher remembers about it."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("tracker_id", "url"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tracker_id: Mapped[int] = mapped_column(ForeignKey("trackers.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(String(500))
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_polled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_poll_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    polls: Mapped[int] = mapped_column(Integer, default=0)
    # tracker (its data file) | cli | chat: only sources added from chat are held to public addresses.
    origin: Mapped[str] = mapped_column(String(10), default="cli")
    # "feed" (RSS/Atom/JSON) or "page" (one article page, read for its main text on every change)
    kind: Mapped[str] = mapped_column(String(10), default="feed", server_default="feed")
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A worker polling the source holds it until lease_until (bot/sources.py: claim, release).
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("tracker_id", "guid"),
        Index("ix_articles_tracker_published", "tracker_id", "published"),
        Index("ix_articles_content_hash", "content_hash"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    tracker_id: Mapped[int] = mapped_column(ForeignKey("trackers.id", ondelete="CASCADE"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    guid: Mapped[str] = mapped_column(String(2000))
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(String(1000))
    published: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    relevant: Mapped[bool] = mapped_column(Boolean, default=True)
    # SimHash of the text (bot/dedup.py): near-duplicate copies are stored once.
    simhash: Mapped[int | None] = mapped_column(BigInteger)


class Actor(Base):
    """A party (country) or a person, as the tracker file names them, or as articles introduce them."""

    __tablename__ = "actors"
    __table_args__ = (UniqueConstraint("tracker_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tracker_id: Mapped[int] = mapped_column(ForeignKey("trackers.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[list[ActorAlias]] = relationship(cascade="all, delete-orphan")


class ActorAlias(Base):
    __tablename__ = "actor_aliases"
    __table_args__ = (UniqueConstraint("actor_id", "alias"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(200))


class Event(Base):
    """A canonical event: every article's mention of it merged into one row."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_tracker_start", "tracker_id", "date_start"),
                      Index("ix_events_tracker_end", "tracker_id", "date_end"))
    id: Mapped[int] = mapped_column(primary_key=True)
    tracker_id: Mapped[int] = mapped_column(ForeignKey("trackers.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    date_value: Mapped[str | None] = mapped_column(String(50))
    date_mod: Mapped[str | None] = mapped_column(String(10))
    date_text: Mapped[str | None] = mapped_column(String(200))
    granularity: Mapped[str | None] = mapped_column(String(10))
    date_start: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    location: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    mentions: Mapped[int] = mapped_column(Integer, default=1)
    # The publication time of the newest article that set the status/date/place (late arrivals lose).
    as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actors: Mapped[list[EventActor]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    # Loaded only when asked for: an event retold by a thousand articles has a thousand rows of evidence.
    evidence: Mapped[list[EvidenceRow]] = relationship(cascade="all, delete-orphan", lazy="select")


class EventActor(Base):
    __tablename__ = "event_actors"
    __table_args__ = (UniqueConstraint("event_id", "actor_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # "participant" | "party"
    actor: Mapped[Actor] = relationship(lazy="joined")


class EvidenceRow(Base):
    """The sentence of an article that supports an event, with what it said then."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("event_id", "article_id", "start"),
                      Index("ix_evidence_event_published", "event_id", "published", "id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    date_value: Mapped[str | None] = mapped_column(String(50))
    attribution: Mapped[list[str]] = mapped_column(JSON, default=list)
    # When its article appeared (published, else fetched): an event's newest source is one index probe.
    published: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    article: Mapped[Article] = relationship(lazy="select")


class StatusChange(Base):
    __tablename__ = "status_changes"
    __table_args__ = (Index("ix_status_changes_tracker_created", "tracker_id", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tracker_id: Mapped[int] = mapped_column(ForeignKey("trackers.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))  # new | status | date | location | type
    old: Mapped[str | None] = mapped_column(String(200))
    new: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # False for changes found on a source's first poll: recorded, never alerted (no flood).
    alert: Mapped[bool] = mapped_column(Boolean, default=True)
    event: Mapped[Event] = relationship(lazy="joined")
    article: Mapped[Article | None] = relationship(lazy="joined")


class Subscription(Base):
    """A channel that hears a tracker's alerts and weekly summary."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("tracker_id", "platform", "team_id", "channel"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tracker_id: Mapped[int] = mapped_column(ForeignKey("trackers.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(20))  # slack | discord | terminal
    team_id: Mapped[str] = mapped_column(String(50), default="")
    channel: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10), default="all")  # all | major
    weekly_day: Mapped[int] = mapped_column(Integer, default=0)  # Monday
    weekly_time: Mapped[str] = mapped_column(String(5), default="09:00")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_summary_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Outbox(Base):
    """What the worker posts to chat channels: one row per channel and message, written in the
    transaction that made the news (a status change, a source disabled, a weekly summary due).

    kind: "alert" (a status change; rendered from `change_id` when posted), "notice" (a line of text
    in `payload`), "summary" (a rendered reply in `payload`, its `key` naming the channel's weekly slot:
    unique, so a slot is queued once).
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("subscription_id", "change_id"),
        Index("ix_outbox_state_next", "state", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    tracker_id: Mapped[int] = mapped_column(ForeignKey("trackers.id", ondelete="CASCADE"))
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # alert | notice | summary
    change_id: Mapped[int | None] = mapped_column(ForeignKey("status_changes.id", ondelete="CASCADE"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # What the posted message carries so that it can be found again; unset: derived from kind and id.
    key: Mapped[str | None] = mapped_column(String(100), unique=True)
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending | sending | sent | parked
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    external_id: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    subscription: Mapped[Subscription] = relationship(lazy="joined")


class ArticleKey(Base):
    """Every identity an article was found under: guids, canonical URLs (syndicated copies too), text hash."""

    __tablename__ = "article_keys"
    __table_args__ = (UniqueConstraint("tracker_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tracker_id: Mapped[int] = mapped_column(ForeignKey("trackers.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))  # sha256 of the value
    kind: Mapped[str] = mapped_column(String(8))  # guid | url | text
    value: Mapped[str] = mapped_column(String(2000))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Team(Base):
    """A workspace or server ntrack has heard from (Discord servers are recorded on their first command)."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("platform", "team_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[str] = mapped_column(String(50))
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
