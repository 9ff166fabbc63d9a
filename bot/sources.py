"""What ntrack remembers about each source: its origin, its health, when it may be polled, who polls it.

A failure is counted with its one-line reason and pushes the next attempt back (exponentially, or as
far as the server's Retry-After asks); success resets both. After `max_failures` in a row the source
is disabled and every channel subscribed to its tracker gets one notice. A worker leases a source
before polling it, so two workers never poll one source at once (on PostgreSQL the lease is taken
with SELECT ... FOR UPDATE SKIP LOCKED; the conditional UPDATE that sets it is what makes it safe on
every database).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.fetch import FetchResult, HostPacer
from bot.netguard import AddressPolicy, Resolver, check_url, parse_networks
from bot.tracker import Tracker
from db import outbox
from db import sources as store
from db.sources import SourceRow

BACKOFF_BASE = timedelta(minutes=15)
BACKOFF_MAX = timedelta(hours=24)
# A successful poll makes the source due again after this share of the interval: a worker whose job
# for it fires a little early (jitter) still polls it, another worker's job in between does not.
DUE_AGAIN = 0.8
ORIGINS = ("tracker", "cli", "chat")
# A lease is short and renewed by a heartbeat while its worker polls (`kept`): a worker that dies, on
# any host, lets its sources go within this.
LEASE = timedelta(seconds=90)
log = logging.getLogger("ntrack.sources")


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
    lease: timedelta = timedelta(seconds=90)
    max_page_bytes: int = 2 * 1024 * 1024

    @classmethod
    def from_settings(cls, settings: Any, *, pacer: HostPacer | None = None) -> PollConfig:
        return cls(
            user_agent=settings.user_agent, timeout=settings.fetch_timeout, connect_timeout=settings.connect_timeout,
            max_bytes=settings.max_body_bytes, max_redirects=settings.max_redirects,
            max_failures=settings.max_failures, poll_minutes=settings.poll_minutes,
            max_page_fetches=settings.max_page_fetches, policy=AddressPolicy(parse_networks(settings.allow_networks)),
            max_page_bytes=settings.max_page_bytes,
            pacer=pacer if pacer is not None else HostPacer(settings.host_interval),
            lease=LEASE,
        )

    def fetch_options(self, *, restricted: bool) -> dict[str, Any]:
        """Keyword arguments for bot.fetch.fetch; `restricted` (chat sources) applies the address policy."""
        return {
            "user_agent": self.user_agent, "timeout": self.timeout, "connect_timeout": self.connect_timeout,
            "max_bytes": self.max_bytes, "max_redirects": self.max_redirects, "pacer": self.pacer,
            "policy": self.policy if restricted else None, "resolver": self.resolver,
        }


def backoff(error_count: int) -> timedelta:
    """Exponential backoff after `error_count` consecutive failures, capped at a day."""
    steps: int = 2 ** max(0, min(error_count, 20) - 1)
    return min(BACKOFF_MAX, BACKOFF_BASE * steps)


def open_source(*, session: Session, tracker_id: int, url: str, origin: str = "cli") -> SourceRow:
    """The source's state, its row made on first sight with `origin`."""
    return store.open_source(session=session, tracker_id=tracker_id, url=url, origin=origin)


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
    with sessions.begin() as session:
        store.record_not_modified(session=session, source_id=source_id, now=now, etag=result.etag,
                                  next_poll_at=next_poll(now, poll_minutes=config.poll_minutes, max_age=result.max_age))


def record_success(
    *, sessions: sessionmaker[Session], source_id: int, result: FetchResult, title: str | None, now: datetime,
    config: PollConfig,
) -> None:
    with sessions.begin() as session:
        store.record_success(session=session, source_id=source_id, now=now, etag=result.etag,
                             last_modified=result.last_modified, title=title,
                             next_poll_at=next_poll(now, poll_minutes=config.poll_minutes, max_age=result.max_age))


def record_failure(
    *, sessions: sessionmaker[Session], source_id: int, error: str, now: datetime, retry_after: float | None = None,
    max_failures: int = 10,
) -> bool:
    """Count a failure and push the next attempt back; True when this failure disabled the source
    (its tracker's channels each get one notice, in the same transaction)."""
    with sessions.begin() as session:
        src = store.count_failure(session=session, source_id=source_id, error=error, now=now)
        wait = backoff(src.error_count)
        if retry_after is not None:
            wait = max(wait, timedelta(seconds=retry_after))
        src.next_poll_at = now + wait
        if max_failures and src.error_count >= max_failures and not src.disabled:
            src.disabled, src.disabled_at = True, now
            text = (f"Source disabled after {src.error_count} failures in a row: {src.title or src.url}. "
                    f"Last error: {src.last_error}. An admin can re-enable it with `sources add {src.url}`.")
            outbox.queue_notice(session=session, tracker_id=src.tracker_id, source_id=src.id, text=text,
                                about="source_disabled", now=now)
            return True
        return False


# ----------------------------------------------------------------------------------------- leases

def register_tracker_sources(*, session: Session, tracker_id: int, tracker: Tracker) -> None:
    """Rows for the tracker file's feeds and pages, so that every worker leases and schedules them
    like any other source. The one place a tracker's sources are registered."""
    store.ensure(session=session, tracker_id=tracker_id, urls=list(tracker.feeds), origin="tracker")
    store.ensure(session=session, tracker_id=tracker_id, urls=list(tracker.pages), origin="tracker", kind="page")


def ensure_sources(
    *, session: Session, tracker_id: int, urls: Sequence[str], origin: str, kind: str = "feed"
) -> None:
    """Rows for these URLs (sources named on the command line), made with `origin` and `kind`."""
    store.ensure(session=session, tracker_id=tracker_id, urls=urls, origin=origin, kind=kind)


def claim(
    *, sessions: sessionmaker[Session], tracker_id: int, owner: str, now: datetime, lease: timedelta,
    urls: Sequence[str] | None = None, due_only: bool = True, limit: int | None = None,
) -> list[str]:
    """Lease one tracker's sources for `owner`: the due ones (or exactly `urls`); the URLs leased."""
    with sessions.begin() as session:
        got = store.claim(session=session, owner=owner, now=now, until=now + lease, tracker_id=tracker_id, urls=urls,
                          due_only=due_only, limit=limit)
    return [row.url for row in got]


def claim_due(
    *, sessions: sessionmaker[Session], owner: str, now: datetime, lease: timedelta,
    source_ids: Sequence[int] | None = None, limit: int | None = None,
) -> list[SourceRow]:
    """Lease the due sources of every tracker (or those of `source_ids` that are due)."""
    with sessions.begin() as session:
        return store.claim(session=session, owner=owner, now=now, until=now + lease, source_ids=source_ids,
                           limit=limit)


@contextmanager
def kept(
    *, sessions: sessionmaker[Session], tracker_id: int, url: str, owner: str, now: datetime, lease: timedelta,
    beat: float | None = None,
) -> Iterator[None]:
    """Hold the lease on a source while the block runs: a heartbeat thread renews it every third of the
    lease. Time is `now` (the poll's, NTRACK_NOW in a replay) plus the time the poll has taken."""
    every = beat if beat is not None else max(lease.total_seconds() / 3, 0.05)
    stop = threading.Event()
    started = time.monotonic()

    def beat_loop() -> None:
        while not stop.wait(every):
            until = now + timedelta(seconds=time.monotonic() - started) + lease
            try:
                with sessions.begin() as session:
                    if not store.renew(session=session, tracker_id=tracker_id, url=url, owner=owner, until=until):
                        return  # the poll ended (the lease was given back) or it was lost
            except Exception:  # a missed beat is retried at the next; the lease still has two to go
                log.warning("could not renew the lease on %s", url, exc_info=True)

    thread = threading.Thread(target=beat_loop, name="ntrack-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(every + 5)


def release(*, sessions: sessionmaker[Session], tracker_id: int, owner: str, urls: Sequence[str]) -> None:
    """Give back leases still held (a poll that ended in an unexpected error keeps none)."""
    if not urls:
        return
    with sessions.begin() as session:
        ids = [sid for url in urls if (sid := store.source_id(session=session, tracker_id=tracker_id, url=url))]
        store.release(session=session, owner=owner, source_ids=ids)


def due_urls(*, session: Session, tracker_id: int, now: datetime) -> list[str]:
    """Enabled sources whose next poll is due and that no worker holds."""
    return store.due_urls(session=session, tracker_id=tracker_id, now=now)


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
    """Add (or re-enable) a source a chat admin named; UnsafeSource unless it is a public http(s) URL.
    The platform hands over a plain URL (its own link syntax already taken off)."""
    url = url.strip()
    check_url(url, policy, resolver=resolver)
    created, reenabled = store.add_or_enable(session=session, tracker_id=tracker_id, url=url, origin="chat", now=now)
    return Added(url=url, created=created, reenabled=reenabled)


def remove(*, session: Session, tracker_id: int, url: str, tracker_feeds: Sequence[str] = ()) -> str:
    """Remove a source; returns 'removed', 'missing', or 'tracker' (in the tracker file: edit it there)."""
    url = url.strip()
    if url in tracker_feeds:
        return "tracker"
    return "removed" if store.delete(session=session, tracker_id=tracker_id, url=url) else "missing"
