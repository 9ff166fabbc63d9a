"""What ntrack remembers about each source: its origin, its health, when it may be polled, who polls it.

A failure is counted with its one-line reason and pushes the next attempt back (exponentially, or as
far as the server's Retry-After asks); success resets both. After `max_failures` in a row the source
is disabled and every channel subscribed to its tracker gets one notice. A worker leases a source
before polling it, so two workers never poll one source at once (on PostgreSQL the lease is taken
with SELECT ... FOR UPDATE SKIP LOCKED; the conditional UPDATE that sets it is what makes it safe on
every database).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from bot.fetch import FetchResult, HostPacer
from bot.netguard import AddressPolicy, Resolver, check_url, parse_networks
from db import models as m

BACKOFF_BASE = timedelta(minutes=15)
BACKOFF_MAX = timedelta(hours=24)
# A successful poll makes the source due again after this share of the interval: a worker whose job
# for it fires a little early (jitter) still polls it, another worker's job in between does not.
DUE_AGAIN = 0.8
ORIGINS = ("tracker", "cli", "chat")


@dataclass(frozen=True, slots=True)
class PollConfig:
    """Every knob of one poll, from settings; tests shrink the timeouts."""

    user_agent: str = "ntrack"
    timeout: float = 30.0
    connect_timeout: float = 10.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    max_failures: int = 10
    poll_minutes: int = 15
    max_page_fetches: int = 20
    policy: AddressPolicy = field(default_factory=AddressPolicy)
    pacer: HostPacer | None = None
    resolver: Resolver | None = None
    lease: timedelta = timedelta(minutes=10)

    @classmethod
    def from_settings(cls, settings: Any, *, pacer: HostPacer | None = None) -> PollConfig:
        return cls(
            user_agent=settings.user_agent, timeout=settings.fetch_timeout, connect_timeout=settings.connect_timeout,
            max_bytes=settings.max_body_bytes, max_redirects=settings.max_redirects,
            max_failures=settings.max_failures, poll_minutes=settings.poll_minutes,
            max_page_fetches=settings.max_page_fetches, policy=AddressPolicy(parse_networks(settings.allow_networks)),
            pacer=pacer if pacer is not None else HostPacer(settings.host_interval),
            lease=timedelta(seconds=max(600.0, settings.fetch_timeout * (settings.max_page_fetches + 2))),
        )

    def fetch_options(self, *, restricted: bool) -> dict[str, Any]:
        """Keyword arguments for bot.fetch.fetch; `restricted` (chat sources) applies the address policy."""
        return {
            "user_agent": self.user_agent, "timeout": self.timeout, "connect_timeout": self.connect_timeout,
            "max_bytes": self.max_bytes, "max_redirects": self.max_redirects, "pacer": self.pacer,
            "policy": self.policy if restricted else None, "resolver": self.resolver,
        }


@dataclass(frozen=True, slots=True)
class SourceState:
    """What a poll needs to know about its source before fetching."""

    id: int
    url: str
    etag: str | None
    last_modified: str | None
    first_poll: bool
    origin: str
    kind: str = "feed"

    @property
    def restricted(self) -> bool:
        return self.origin == "chat"


def backoff(error_count: int) -> timedelta:
    """Exponential backoff after `error_count` consecutive failures, capped at a day."""
    return min(BACKOFF_MAX, BACKOFF_BASE * (2 ** max(0, min(error_count, 20) - 1)))


def open_source(*, session: Session, tracker_id: int, url: str, origin: str = "cli") -> SourceState:
    """The source's state, its row made on first sight with `origin`."""
    row = session.scalar(select(m.Source).where(m.Source.tracker_id == tracker_id, m.Source.url == url))
    if row is None:
        row = m.Source(tracker_id=tracker_id, url=url, error_count=0, disabled=False, polls=0, origin=origin)
        session.add(row)
        session.flush()
    return SourceState(id=row.id, url=row.url, etag=row.etag, last_modified=row.last_modified,
                       first_poll=row.polls == 0, origin=row.origin or "cli", kind=row.kind or "feed")


def next_poll(now: datetime, *, poll_minutes: int, max_age: int | None, rng: random.Random | None = None) -> datetime:
    """When a source polled successfully at `now` is due again: most of an interval, or its max-age."""
    spread = (rng or random).uniform(0.0, 0.1)
    wait = timedelta(minutes=poll_minutes) * (DUE_AGAIN - spread)
    if max_age:
        wait = max(wait, timedelta(seconds=max_age))
    return now + wait


def record_not_modified(
    *, sessions: sessionmaker[Session], source_id: int, result: FetchResult, now: datetime, config: PollConfig
) -> None:
    """A 304: nothing parsed, nothing stored but the poll time (and the end of any failure streak)."""
    values: dict[str, Any] = {
        "last_polled_at": now, "last_success_at": now, "error_count": 0, "last_error": None,
        "next_poll_at": next_poll(now, poll_minutes=config.poll_minutes, max_age=result.max_age),
        "lease_owner": None, "lease_until": None,
    }
    if result.etag:
        values["etag"] = result.etag[:500]
    with sessions.begin() as session:
        session.execute(update(m.Source).where(m.Source.id == source_id).values(**values))


def record_success(
    *, sessions: sessionmaker[Session], source_id: int, result: FetchResult, title: str | None, now: datetime,
    config: PollConfig,
) -> None:
    with sessions.begin() as session:
        src = session.get_one(m.Source, source_id)
        src.polls += 1
        src.error_count = 0
        src.last_error = None
        src.last_polled_at = now
        src.last_success_at = now
        src.next_poll_at = next_poll(now, poll_minutes=config.poll_minutes, max_age=result.max_age)
        src.disabled, src.disabled_at = False, None
        src.lease_owner = src.lease_until = None
        if result.etag:
            src.etag = result.etag[:500]
        if result.last_modified:
            src.last_modified = result.last_modified[:100]
        if title:
            src.title = title[:500]


def record_failure(
    *, sessions: sessionmaker[Session], source_id: int, error: str, now: datetime, retry_after: float | None = None,
    max_failures: int = 10,
) -> bool:
    """Count a failure and push the next attempt back; True when this failure disabled the source."""
    with sessions.begin() as session:
        src = session.get_one(m.Source, source_id)
        src.error_count += 1
        src.last_error = error.splitlines()[0][:2000] if error else "failed"
        src.last_polled_at = now
        wait = backoff(src.error_count)
        if retry_after is not None:
            wait = max(wait, timedelta(seconds=retry_after))
        src.next_poll_at = now + wait
        src.lease_owner = src.lease_until = None
        if max_failures and src.error_count >= max_failures and not src.disabled:
            src.disabled, src.disabled_at = True, now
            queue_disabled_notice(session=session, source=src, now=now)
            return True
        return False


def queue_disabled_notice(*, session: Session, source: m.Source, now: datetime) -> int:
    """One notice per subscribed channel, in the transaction that disables the source."""
    subs = session.scalars(
        select(m.Subscription).where(m.Subscription.tracker_id == source.tracker_id, m.Subscription.active.is_(True))
    ).all()
    text = (f"Source disabled after {source.error_count} failures in a row: {source.title or source.url}. "
            f"Last error: {source.last_error}. An admin can re-enable it with `sources add {source.url}`.")
    for sub in subs:
        session.add(m.Notice(tracker_id=source.tracker_id, subscription_id=sub.id, source_id=source.id,
                             kind="source_disabled", text=text, state="pending", attempts=0, next_attempt_at=now,
                             created_at=now))
    session.flush()
    return len(subs)


# ----------------------------------------------------------------------------------------- leases

def _free(now: datetime) -> Any:
    return or_(m.Source.lease_until.is_(None), m.Source.lease_until < now)


def _due(now: datetime) -> Any:
    return or_(m.Source.next_poll_at.is_(None), m.Source.next_poll_at <= now)


def ensure_sources(
    *, session: Session, tracker_id: int, urls: Sequence[str], origin: str, kind: str = "feed"
) -> None:
    """Rows for the tracker file's feeds (and pages), so the worker leases and schedules them like any other."""
    if not urls:
        return
    have = set(session.scalars(select(m.Source.url).where(m.Source.tracker_id == tracker_id, m.Source.url.in_(urls))))
    rows = [{"tracker_id": tracker_id, "url": url, "error_count": 0, "disabled": False, "polls": 0, "origin": origin,
             "kind": kind}
            for url in dict.fromkeys(urls) if url not in have]
    if rows:  # two workers starting together may both add a feed: the second insert is a no-op
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        session.execute(insert(m.Source).values(rows).on_conflict_do_nothing(index_elements=["tracker_id", "url"]))


def claim(
    *, sessions: sessionmaker[Session], tracker_id: int, owner: str, now: datetime, lease: timedelta,
    urls: Sequence[str] | None = None, due_only: bool = True, limit: int | None = None,
) -> list[str]:
    """Lease sources for `owner`: the due ones (or exactly `urls`); return the URLs leased.

    A source another worker holds is skipped, never waited for; disabled sources are skipped unless
    named in `urls` (the operator asked for them).
    """
    with sessions.begin() as session:
        q = select(m.Source.id).where(m.Source.tracker_id == tracker_id, _free(now))
        if urls is not None:
            q = q.where(m.Source.url.in_(list(urls)))
        else:
            q = q.where(m.Source.disabled.is_(False))
        if due_only:
            q = q.where(_due(now))
        q = q.order_by(m.Source.next_poll_at.is_(None).desc(), m.Source.next_poll_at, m.Source.id)
        if limit is not None:
            q = q.limit(limit)
        ids = list(session.scalars(q.with_for_update(skip_locked=True)))
        if not ids:
            return []
        until = now + lease
        # The WHERE repeats the test: on SQLite (no row locks) this UPDATE is the compare-and-set.
        session.execute(
            update(m.Source).where(m.Source.id.in_(ids), _free(now)).values(lease_owner=owner, lease_until=until)
        )
        got = session.scalars(
            select(m.Source.url).where(m.Source.id.in_(ids), m.Source.lease_owner == owner, m.Source.lease_until == until)
        )
        return list(got)


def release(*, sessions: sessionmaker[Session], tracker_id: int, owner: str, urls: Sequence[str]) -> None:
    """Give back leases still held (a poll that ended in an unexpected error keeps none)."""
    if not urls:
        return
    with sessions.begin() as session:
        session.execute(
            update(m.Source)
            .where(m.Source.tracker_id == tracker_id, m.Source.url.in_(list(urls)), m.Source.lease_owner == owner)
            .values(lease_owner=None, lease_until=None)
        )


def due_urls(*, session: Session, tracker_id: int, now: datetime) -> list[str]:
    """Enabled sources whose next poll is due and that no worker holds."""
    q = (select(m.Source.url)
         .where(m.Source.tracker_id == tracker_id, m.Source.disabled.is_(False), _due(now), _free(now))
         .order_by(m.Source.id))
    return list(session.scalars(q))


# ------------------------------------------------------------------------------------ from chat

@dataclass(frozen=True, slots=True)
class Added:
    url: str
    created: bool
    reenabled: bool


def add_from_chat(
    *, session: Session, tracker_id: int, url: str, policy: AddressPolicy, now: datetime,
    resolver: Resolver | None = None,
) -> Added:
    """Add (or re-enable) a source a chat admin named; UnsafeSource unless it is a public http(s) URL."""
    url = url.strip().strip("<>")  # Slack wraps links in <...>
    url = url.split("|", 1)[0]
    check_url(url, policy, resolver=resolver)
    row = session.scalar(select(m.Source).where(m.Source.tracker_id == tracker_id, m.Source.url == url))
    if row is None:
        session.add(m.Source(tracker_id=tracker_id, url=url, error_count=0, disabled=False, polls=0, origin="chat",
                             next_poll_at=now))
        session.flush()
        return Added(url=url, created=True, reenabled=False)
    reenabled = bool(row.disabled or row.error_count)
    row.disabled, row.disabled_at, row.error_count, row.last_error, row.next_poll_at = False, None, 0, None, now
    return Added(url=url, created=False, reenabled=reenabled)


def remove(*, session: Session, tracker_id: int, url: str, tracker_feeds: Sequence[str] = ()) -> str:
    """Remove a source; returns 'removed', 'missing', or 'tracker' (in the tracker file: edit it there)."""
    url = url.strip().strip("<>").split("|", 1)[0]
    if url in tracker_feeds:
        return "tracker"
    row = session.scalar(select(m.Source).where(m.Source.tracker_id == tracker_id, m.Source.url == url))
    if row is None:
        return "missing"
    session.delete(row)
    session.flush()
    return "removed"
