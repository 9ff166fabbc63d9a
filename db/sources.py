"""Sources: their rows, their health and their leases. The rules (backoff, when a source is due again)
are the caller's (bot/sources.py); this module only reads and writes them."""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, func, or_, select, update
from sqlalchemy.orm import Session

from db import models as m
from db.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class SourceRow:
    """What a poll needs to know about its source before fetching."""

    id: int
    tracker_id: int
    url: str
    etag: str | None
    last_modified: str | None
    first_poll: bool
    origin: str
    kind: str = "feed"

    @property
    def restricted(self) -> bool:
        """Sources added from chat are held to public addresses."""
        return self.origin == "chat"


def _state(row: m.Source) -> SourceRow:
    return SourceRow(id=row.id, tracker_id=row.tracker_id, url=row.url, etag=row.etag, last_modified=row.last_modified,
                     first_poll=row.polls == 0, origin=row.origin or "cli", kind=row.kind or "feed")


def open_source(*, session: Session, tracker_id: int, url: str, origin: str = "cli") -> SourceRow:
    """The source's state, its row made on first sight with `origin`."""
    row = session.scalar(select(m.Source).where(m.Source.tracker_id == tracker_id, m.Source.url == url))
    if row is None:
        row = m.Source(tracker_id=tracker_id, url=url, error_count=0, disabled=False, polls=0, origin=origin)
        session.add(row)
        session.flush()
    return _state(row)


def source_id(*, session: Session, tracker_id: int, url: str) -> int | None:
    return session.scalar(select(m.Source.id).where(m.Source.tracker_id == tracker_id, m.Source.url == url))


def ensure(*, session: Session, tracker_id: int, urls: Sequence[str], origin: str, kind: str = "feed") -> None:
    """Rows for these URLs unless they exist (two workers starting together: the second insert is a no-op)."""
    if not urls:
        return
    have = set(session.scalars(select(m.Source.url).where(m.Source.tracker_id == tracker_id, m.Source.url.in_(urls))))
    insert_ignore(session=session, model=m.Source, conflict=["tracker_id", "url"], rows=[
        {"tracker_id": tracker_id, "url": url, "error_count": 0, "disabled": False, "polls": 0, "origin": origin,
         "kind": kind}
        for url in dict.fromkeys(urls) if url not in have
    ])


def record_not_modified(*, session: Session, source_id: int, now: datetime, next_poll_at: datetime,
                        etag: str | None) -> None:
    """A 304: nothing stored but the poll time (and the end of any failure streak); one UPDATE."""
    values: dict[str, Any] = {
        "last_polled_at": now, "last_success_at": now, "error_count": 0, "last_error": None,
        "next_poll_at": next_poll_at, "lease_owner": None, "lease_until": None,
    }
    if etag:
        values["etag"] = etag[:500]
    session.execute(update(m.Source).where(m.Source.id == source_id).values(**values))


def record_success(*, session: Session, source_id: int, now: datetime, next_poll_at: datetime, etag: str | None,
                   last_modified: str | None, title: str | None) -> None:
    src = session.get_one(m.Source, source_id)
    src.polls += 1
    src.error_count = 0
    src.last_error = None
    src.last_polled_at = src.last_success_at = now
    src.next_poll_at = next_poll_at
    src.disabled, src.disabled_at = False, None
    src.lease_owner = src.lease_until = None
    if etag:
        src.etag = etag[:500]
    if last_modified:
        src.last_modified = last_modified[:100]
    if title:
        src.title = title[:500]


def count_failure(*, session: Session, source_id: int, error: str, now: datetime) -> m.Source:
    """One more failure in a row, recorded; the caller sets when to try next (and whether to disable)."""
    src = session.get_one(m.Source, source_id)
    src.error_count += 1
    src.last_error = error.splitlines()[0][:2000] if error else "failed"
    src.last_polled_at = now
    src.lease_owner = src.lease_until = None
    return src


def _free(now: datetime) -> ColumnElement[bool]:
    return or_(m.Source.lease_until.is_(None), m.Source.lease_until < now)


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(m.Source.next_poll_at.is_(None), m.Source.next_poll_at <= now)


def holder_is_dead(owner: str) -> bool:
    """Whether a lease's holder ("host:pid:thread", as bot/worker.py writes it) is a process of this
    host that is gone. Only a process on this host can be checked; any other counts as alive."""
    host, _, rest = owner.partition(":")
    pid_text = rest.split(":", 1)[0]
    if host != socket.gethostname()[:60] or not pid_text.isascii() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, but is another user's
        return False
    return False


def _take_over_dead(session: Session, now: datetime, scope: list[ColumnElement[bool]]) -> None:
    """Free the unexpired leases in `scope` whose holder died on this host (kill -9, a crash): they
    would otherwise keep their sources from every worker until they run out."""
    host = socket.gethostname()[:60]
    held = session.execute(
        select(m.Source.id, m.Source.lease_owner)
        .where(*scope, m.Source.lease_until >= now, m.Source.lease_owner.like(f"{host}:%"))
    ).all()
    for source_id, holder in held:
        if holder and holder_is_dead(holder):
            session.execute(
                update(m.Source).where(m.Source.id == source_id, m.Source.lease_owner == holder)
                .values(lease_owner=None, lease_until=None).execution_options(synchronize_session=False)
            )


def lease_holder(*, session: Session, tracker_id: int, url: str, now: datetime) -> tuple[str, datetime] | None:
    """(who holds the source's lease, until when), or None when no unexpired lease holds it."""
    row = session.execute(
        select(m.Source.lease_owner, m.Source.lease_until)
        .where(m.Source.tracker_id == tracker_id, m.Source.url == url, m.Source.lease_until >= now)
    ).first()
    if row is None or row.lease_owner is None or row.lease_until is None:
        return None
    return row.lease_owner, row.lease_until


def claim(
    *, session: Session, owner: str, now: datetime, until: datetime, tracker_id: int | None = None,
    urls: Sequence[str] | None = None, source_ids: Sequence[int] | None = None, due_only: bool = True,
    limit: int | None = None,
) -> list[SourceRow]:
    """Lease sources for `owner` until `until`: the due ones of every tracker (or of `tracker_id`), or
    exactly `urls`/`source_ids`. A source another worker holds is skipped, never waited for (SKIP
    LOCKED on PostgreSQL; the conditional UPDATE is the compare-and-set everywhere); disabled sources
    are skipped unless named. A lease whose holder died on this host is taken over at once."""
    scope: list[ColumnElement[bool]] = []
    if tracker_id is not None:
        scope.append(m.Source.tracker_id == tracker_id)
    if urls is not None:
        scope.append(m.Source.url.in_(list(urls)))
    elif source_ids is not None:
        scope.append(m.Source.id.in_(list(source_ids)))
    else:
        scope.append(m.Source.disabled.is_(False))
    _take_over_dead(session, now, scope)
    q = select(m.Source.id).where(_free(now), *scope)
    if due_only:
        q = q.where(_due(now))
    q = q.order_by(m.Source.next_poll_at.is_(None).desc(), m.Source.next_poll_at, m.Source.id)
    if limit is not None:
        q = q.limit(limit)
    ids = list(session.scalars(q.with_for_update(skip_locked=True)))
    if not ids:
        return []
    session.execute(
        update(m.Source).where(m.Source.id.in_(ids), _free(now)).values(lease_owner=owner, lease_until=until)
        .execution_options(synchronize_session=False)
    )
    got = session.scalars(
        select(m.Source).where(m.Source.id.in_(ids), m.Source.lease_owner == owner, m.Source.lease_until == until)
        .order_by(m.Source.next_poll_at.is_(None).desc(), m.Source.next_poll_at, m.Source.id)
    )
    return [_state(row) for row in got]


def release(*, session: Session, owner: str, source_ids: Sequence[int]) -> None:
    """Give back leases still held (a poll that ended in an unexpected error keeps none)."""
    if source_ids:
        session.execute(
            update(m.Source).where(m.Source.id.in_(list(source_ids)), m.Source.lease_owner == owner)
            .values(lease_owner=None, lease_until=None)
        )


def due_urls(*, session: Session, tracker_id: int, now: datetime) -> list[str]:
    """Enabled sources whose next poll is due and that no worker holds."""
    q = (select(m.Source.url)
         .where(m.Source.tracker_id == tracker_id, m.Source.disabled.is_(False), _due(now), _free(now))
         .order_by(m.Source.id))
    return list(session.scalars(q))


def enabled_schedule(*, session: Session) -> list[tuple[int, datetime | None]]:
    """(source id, next poll) of every enabled source of every tracker."""
    return [(sid, at) for sid, at in session.execute(
        select(m.Source.id, m.Source.next_poll_at).where(m.Source.disabled.is_(False)).order_by(m.Source.id))]


def add_or_enable(*, session: Session, tracker_id: int, url: str, origin: str, now: datetime) -> tuple[bool, bool]:
    """A source named from chat: made (created, False), or re-enabled and due now (False, was it off)."""
    row = session.scalar(select(m.Source).where(m.Source.tracker_id == tracker_id, m.Source.url == url))
    if row is None:
        session.add(m.Source(tracker_id=tracker_id, url=url, error_count=0, disabled=False, polls=0, origin=origin,
                             next_poll_at=now))
        session.flush()
        return True, False
    reenabled = bool(row.disabled or row.error_count)
    row.disabled, row.disabled_at, row.error_count, row.last_error, row.next_poll_at = False, None, 0, None, now
    return False, reenabled


def delete(*, session: Session, tracker_id: int, url: str) -> bool:
    row = session.scalar(select(m.Source).where(m.Source.tracker_id == tracker_id, m.Source.url == url))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def sources(*, session: Session, tracker_id: int) -> list[m.Source]:
    return list(session.scalars(select(m.Source).where(m.Source.tracker_id == tracker_id).order_by(m.Source.id)))


def health(*, session: Session) -> tuple[datetime | None, int]:
    """(the last successful poll of any source, how many sources are disabled)."""
    last = session.scalar(select(func.max(m.Source.last_success_at)))
    disabled = session.scalar(select(func.count()).select_from(m.Source).where(m.Source.disabled.is_(True))) or 0
    return last, disabled


def renew(*, session: Session, tracker_id: int, url: str, owner: str, until: datetime) -> bool:
    """Extend a lease `owner` still holds (a heartbeat); False when it holds it no more."""
    result = session.execute(
        update(m.Source).where(m.Source.tracker_id == tracker_id, m.Source.url == url, m.Source.lease_owner == owner)
        .values(lease_until=until).execution_options(synchronize_session=False)
    )
    return isinstance(result, CursorResult) and result.rowcount == 1
