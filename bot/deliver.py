"""Outbox delivery: pending rows -> a transport, in order per channel, each marked sent exactly once.

A delivery is claimed ("sending", with a lease) before it is posted and marked "sent" with the
platform's message id after. A worker that dies in between leaves a "sending" row behind; once its
lease runs out, the next run asks the transport whether the message is already there (it carries the
delivery's key) and only posts when it is not. The same check runs before any retry whose first try
may have reached the platform (a 5xx or a dropped connection). Rate limits (429) wait the time the
platform asks for; other failures back off and park after MAX_ATTEMPTS tries.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.commands.format import change_line
from bot.commands.reply import Line, Reply, Section
from db import models as m
from db import repo

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=1)  # a "sending" row older than this belongs to a worker that died (a post takes < 25 s)
MAX_BACKOFF = timedelta(hours=1)


class DeliveryError(Exception):
    """A transport's failure, classified.

    `retry_after`: the platform asked us to wait (a rate limit; nothing was posted).
    `permanent`: retrying cannot help (no such channel, app removed): the delivery is parked.
    Otherwise the failure is transient and its outcome unknown (5xx, network): retried with backoff.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, permanent: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class Transport(Protocol):
    platform: str
    min_interval: float  # seconds between two messages to one channel

    def send(self, channel: str, reply: Reply, *, key: str, team_id: str = "") -> str:
        """Post `reply` to `channel`; return the platform's message id. `key` identifies the delivery."""
        ...

    def find(self, channel: str, *, key: str, team_id: str = "") -> str | None:
        """The id of a message already posted to `channel` with `key`, or None."""
        ...


@dataclass(slots=True)
class TerminalTransport:
    """A channel that is a terminal: alerts are printed (the demo, `ntrack worker` with no tokens)."""

    write: Callable[[str], None]
    render: Callable[[Reply], str]
    platform: str = "terminal"
    min_interval: float = 0.0
    sent: int = 0

    def send(self, channel: str, reply: Reply, *, key: str, team_id: str = "") -> str:
        self.sent += 1
        self.write(f"[{channel}] " + self.render(reply))
        return f"terminal-{self.sent}"

    def find(self, channel: str, *, key: str, team_id: str = "") -> str | None:
        return None  # a terminal cannot look back: a crash after printing prints again


def alert_reply(change: m.StatusChange, tracker_title: str) -> Reply:
    line = change_line(change)
    source = Line(text=line.source_title or line.source_url or "source unknown", source_url=line.source_url)
    return Reply(title=f"{tracker_title}: {line.text}", sections=[Section("Source", [source])], in_channel=True)


@dataclass(slots=True)
class _Claim:
    """A delivery this worker now owns: what to post, where, and whether to look before posting."""

    id: int
    team_id: str
    channel: str
    key: str
    reply: Reply
    check_first: bool
    model: type[m.Delivery] | type[m.Notice] = m.Delivery


def deliver_pending(
    *, sessions: sessionmaker[Session], transport: Transport, now: datetime, titles: dict[int, str], limit: int = 500,
    min_interval: float | None = None, sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
) -> int:
    """Deliver what is due for `transport.platform`, oldest first in each channel; return how many were posted.

    Channels take turns, each at most one message per `min_interval` seconds (default: the transport's).
    A channel stops at its first delivery that is not due or that fails, so its alerts never arrive out
    of order; a 429 pauses the whole workspace until the next run.
    """
    interval = transport.min_interval if min_interval is None else min_interval
    queues = _channel_queues(sessions=sessions, platform=transport.platform, limit=limit)
    # notices (a source disabled, ...) come after a channel's alerts, in the same orderly way
    with sessions.begin() as session:
        for notice_id, team_id, channel in repo.undelivered_notices(session=session, platform=transport.platform,
                                                                   limit=limit):
            queues.setdefault((team_id, channel), []).append(-notice_id)
    last_post: dict[tuple[str, str], float] = {}
    paused_teams: set[str] = set()
    posted = 0
    while queues:
        for where in list(queues):
            team_id, _ = where
            if team_id in paused_teams:
                del queues[where]
                continue
            delivery_id = queues[where].pop(0)
            claim = _claim(sessions=sessions, delivery_id=delivery_id, now=now, titles=titles)
            if claim is None:  # not due, or another worker has it: later ones in this channel wait
                del queues[where]
                continue
            wait = last_post.get(where, float("-inf")) + interval - monotonic()
            if wait > 0:
                sleep(wait)
            outcome = _deliver_one(sessions=sessions, transport=transport, claim=claim, now=now)
            if outcome != "found":  # finding an earlier post posted nothing
                last_post[where] = monotonic()
            if outcome == "posted":
                posted += 1
            elif outcome == "rate_limited":
                paused_teams.add(team_id)
            if outcome in {"retry", "rate_limited"} or not queues[where]:
                del queues[where]
    return posted


def _channel_queues(*, sessions: sessionmaker[Session], platform: str, limit: int) -> dict[tuple[str, str], list[int]]:
    """Undelivered rows (pending or sending) per (team, channel), oldest change first."""
    with sessions.begin() as session:
        rows = repo.undelivered(session=session, platform=platform, limit=limit)
    queues: dict[tuple[str, str], list[int]] = {}
    for delivery_id, team_id, channel in rows:
        queues.setdefault((team_id, channel), []).append(delivery_id)
    return queues


def _claim(*, sessions: sessionmaker[Session], delivery_id: int, now: datetime, titles: dict[int, str]) -> _Claim | None:
    """Take the delivery (a negative id: the notice) if it is due, with what posting it needs."""
    if delivery_id < 0:
        return _claim_notice(sessions=sessions, notice_id=-delivery_id, now=now, titles=titles)
    with sessions.begin() as session:
        tried_before = repo.claim_delivery(session=session, delivery_id=delivery_id, now=now, lease_until=now + LEASE)
        if tried_before is None:
            return None
        d = session.get_one(m.Delivery, delivery_id)
        return _Claim(
            id=d.id, team_id=d.subscription.team_id, channel=d.subscription.channel, key=delivery_key(d.id),
            reply=alert_reply(d.change, titles.get(d.change.tracker_id, "")), check_first=tried_before,
        )


def _claim_notice(*, sessions: sessionmaker[Session], notice_id: int, now: datetime, titles: dict[int, str]) -> _Claim | None:
    with sessions.begin() as session:
        tried_before = repo.claim_delivery(session=session, delivery_id=notice_id, now=now, lease_until=now + LEASE,
                                           model=m.Notice)
        if tried_before is None:
            return None
        n = session.get_one(m.Notice, notice_id)
        reply = Reply(title=f"{titles.get(n.tracker_id, '')}: {n.text}".lstrip(": "), in_channel=True)
        return _Claim(id=n.id, team_id=n.subscription.team_id, channel=n.subscription.channel,
                      key=f"ntrack-notice-{n.id}", reply=reply, check_first=tried_before, model=m.Notice)


def delivery_key(delivery_id: int) -> str:
    """What a posted alert carries so that it can be found again (Slack: message metadata)."""
    return f"ntrack-delivery-{delivery_id}"


def _deliver_one(*, sessions: sessionmaker[Session], transport: Transport, claim: _Claim, now: datetime) -> str:
    """Post one claimed delivery (or find it already posted) and record the outcome.

    Returns "posted", "found" (an earlier try had posted it), "rate_limited", "retry" or "parked".
    """
    try:
        found = transport.find(claim.channel, key=claim.key, team_id=claim.team_id) if claim.check_first else None
        external = found or transport.send(claim.channel, claim.reply, key=claim.key, team_id=claim.team_id)
    except DeliveryError as exc:
        return _record_failure(sessions=sessions, claim=claim, now=now, error=exc)
    except Exception as exc:  # a transport bug or an unexpected network error: outcome unknown, retried
        return _record_failure(sessions=sessions, claim=claim, now=now, error=DeliveryError(f"{type(exc).__name__}: {exc}"))
    with sessions.begin() as session:
        d = session.get_one(claim.model, claim.id)
        d.state, d.sent_at, d.external_id, d.next_attempt_at = "sent", now, external, None
    return "found" if found else "posted"


def _record_failure(*, sessions: sessionmaker[Session], claim: _Claim, now: datetime, error: DeliveryError) -> str:
    with sessions.begin() as session:
        d = session.get_one(claim.model, claim.id)
        d.last_error = (str(error).splitlines() or [type(error).__name__])[0][:500]
        if error.retry_after is not None:  # nothing was posted, and a rate limit is not a failed try
            d.state, d.attempts = "pending", d.attempts - 1
            d.next_attempt_at = now + timedelta(seconds=max(error.retry_after, 1.0))
            return "rate_limited"
        if error.permanent or d.attempts >= MAX_ATTEMPTS:
            d.state, d.next_attempt_at = "parked", None
            return "parked"
        d.state = "pending"
        d.next_attempt_at = now + min(timedelta(seconds=30 * 2 ** d.attempts), MAX_BACKOFF)
        return "retry"
