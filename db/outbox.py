"""The outbox: what the worker posts to chat channels, one row per channel and message.

Rows are written in the transaction that made the news: a status change (kind "alert"), a source
disabled ("notice"), a weekly summary's slot claimed ("summary"). Delivery claims a row ("sending",
with a lease), then marks it sent, retried or parked (bot/deliver.py decides which).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, Result, func, or_, select, update
from sqlalchemy.orm import Session

from bot import event_types as et
from db import models as m

ALERT, NOTICE, SUMMARY = "alert", "notice", "summary"
OPEN = ("pending", "sending")


@dataclass(frozen=True, slots=True)
class Claimed:
    """A row this worker now owns, with what posting it needs."""

    id: int
    kind: str
    tracker_id: int
    team_id: str
    channel: str
    key: str
    change_id: int | None
    payload: dict[str, Any] | None
    tried_before: bool


def _rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE matched (a CursorResult's; 0 for anything else)."""
    return result.rowcount if isinstance(result, CursorResult) else 0


def key_of(row_id: int, kind: str, key: str | None) -> str:
    """What the posted message carries so that it can be found again (Slack: its metadata)."""
    if key:
        return key
    return f"ntrack-delivery-{row_id}" if kind == ALERT else f"ntrack-{kind}-{row_id}"


def _subscribers(session: Session, tracker_id: int) -> list[m.Subscription]:
    return list(session.scalars(
        select(m.Subscription).where(m.Subscription.tracker_id == tracker_id, m.Subscription.active.is_(True))
        .order_by(m.Subscription.id)
    ))


def queue_alerts(*, session: Session, tracker_id: int, change: m.StatusChange, event_type: str, now: datetime) -> int:
    """One row per subscribed channel (`major` channels: major types only; no type that is not alerted,
    such as statements); how many."""
    if not change.alert or not et.alerts(event_type):
        return 0
    n = 0
    for sub in _subscribers(session, tracker_id):
        if sub.level == "major" and event_type not in et.MAJOR_TYPES:
            continue
        session.add(m.Outbox(tracker_id=tracker_id, subscription_id=sub.id, kind=ALERT, change_id=change.id,
                             state="pending", attempts=0, next_attempt_at=now, created_at=now))
        n += 1
    session.flush()
    return n


def queue_notice(*, session: Session, tracker_id: int, text: str, about: str, now: datetime,
                 source_id: int | None = None) -> int:
    """One notice per subscribed channel; how many."""
    subs = _subscribers(session, tracker_id)
    for sub in subs:
        session.add(m.Outbox(tracker_id=tracker_id, subscription_id=sub.id, kind=NOTICE, source_id=source_id,
                             payload={"text": text, "about": about}, state="pending", attempts=0,
                             next_attempt_at=now, created_at=now))
    session.flush()
    return len(subs)


def claim_summary_slot(*, session: Session, subscription_id: int, slot: datetime) -> bool:
    """Record the weekly summary for `slot` as taken, unless it (or a later one) already is."""
    result = session.execute(
        update(m.Subscription)
        .where(m.Subscription.id == subscription_id,
               or_(m.Subscription.last_summary_at.is_(None), m.Subscription.last_summary_at < slot))
        .values(last_summary_at=slot)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


def queue_summary(*, session: Session, tracker_id: int, subscription_id: int, key: str, payload: dict[str, Any],
                  now: datetime) -> None:
    session.add(m.Outbox(tracker_id=tracker_id, subscription_id=subscription_id, kind=SUMMARY, key=key,
                         payload=payload, state="pending", attempts=0, next_attempt_at=now, created_at=now))
    session.flush()


def undelivered(*, session: Session, platform: str, limit: int = 500) -> list[tuple[int, str, str]]:
    """(row id, team id, channel) of every pending or sending row of `platform`, by channel, oldest first."""
    q = (
        select(m.Outbox.id, m.Subscription.team_id, m.Subscription.channel)
        .join(m.Subscription, m.Outbox.subscription_id == m.Subscription.id)
        .where(m.Subscription.platform == platform, m.Outbox.state.in_(OPEN))
        .order_by(m.Subscription.team_id, m.Subscription.channel, m.Outbox.id)
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in session.execute(q)]


def claim(*, session: Session, row_id: int, now: datetime, lease_until: datetime) -> Claimed | None:
    """Mark the row "sending" until `lease_until` if it is due: pending and its time has come, or
    sending under a lease that ran out (its worker died). One conditional UPDATE, so two workers never
    both take it. None when not taken."""
    tried = session.scalar(select(m.Outbox.attempts).where(m.Outbox.id == row_id))
    taken = _rowcount(session.execute(
        update(m.Outbox)
        .where(m.Outbox.id == row_id, m.Outbox.state.in_(OPEN),
               or_(m.Outbox.next_attempt_at.is_(None), m.Outbox.next_attempt_at <= now))
        .values(state="sending", attempts=m.Outbox.attempts + 1, next_attempt_at=lease_until)
        .execution_options(synchronize_session=False)
    ))
    if taken != 1:
        return None
    row = session.execute(
        select(m.Outbox.kind, m.Outbox.tracker_id, m.Subscription.team_id, m.Subscription.channel, m.Outbox.key,
               m.Outbox.change_id, m.Outbox.payload)
        .join(m.Subscription, m.Outbox.subscription_id == m.Subscription.id).where(m.Outbox.id == row_id)
    ).one()
    return Claimed(id=row_id, kind=row.kind, tracker_id=row.tracker_id, team_id=row.team_id, channel=row.channel,
                   key=key_of(row_id, row.kind, row.key), change_id=row.change_id, payload=row.payload,
                   tried_before=bool(tried))


def mark_sent(*, session: Session, row_id: int, now: datetime, external_id: str | None) -> None:
    session.execute(update(m.Outbox).where(m.Outbox.id == row_id)
                    .values(state="sent", sent_at=now, external_id=external_id, next_attempt_at=None))


def attempts(*, session: Session, row_id: int) -> int:
    return session.scalar(select(m.Outbox.attempts).where(m.Outbox.id == row_id)) or 0


def set_state(*, session: Session, row_id: int, state: str, next_attempt_at: datetime | None, error: str,
              refund_attempt: bool = False) -> None:
    """After a failed try: pending again (at `next_attempt_at`) or parked, with the reason."""
    values: dict[str, Any] = {"state": state, "next_attempt_at": next_attempt_at, "last_error": error[:500]}
    if refund_attempt:  # a rate limit is not a failed try
        values["attempts"] = m.Outbox.attempts - 1
    session.execute(update(m.Outbox).where(m.Outbox.id == row_id).values(**values))


@dataclass(frozen=True, slots=True)
class Parked:
    id: int
    kind: str
    change_id: int | None
    payload: dict[str, Any] | None
    channel: str
    attempts: int
    last_error: str | None


def parked(*, session: Session, tracker_id: int, platform: str, team_id: str, limit: int = 10) -> list[Parked]:
    """Rows given up on, newest first, for one workspace's channels."""
    q = (
        select(m.Outbox.id, m.Outbox.kind, m.Outbox.change_id, m.Outbox.payload, m.Subscription.channel,
               m.Outbox.attempts, m.Outbox.last_error)
        .join(m.Subscription, m.Outbox.subscription_id == m.Subscription.id)
        .where(m.Outbox.tracker_id == tracker_id, m.Subscription.platform == platform,
               m.Subscription.team_id == team_id, m.Outbox.state == "parked")
        .order_by(m.Outbox.id.desc())
        .limit(limit)
    )
    return [Parked(*row) for row in session.execute(q)]


def counts(*, session: Session) -> dict[str, int]:
    """Rows per state."""
    return {state: n for state, n in session.execute(
        select(m.Outbox.state, func.count()).group_by(m.Outbox.state))}


def pending_by_platform(*, session: Session) -> dict[str, int]:
    q = (select(m.Subscription.platform, func.count()).select_from(m.Outbox)
         .join(m.Subscription, m.Outbox.subscription_id == m.Subscription.id)
         .where(m.Outbox.state.in_(OPEN)).group_by(m.Subscription.platform))
    return {platform: n for platform, n in session.execute(q)}
