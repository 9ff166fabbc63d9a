"""Outbox delivery: pending rows (alerts, notices, summaries) -> a platform's transport, in order per
channel, each marked sent exactly once. Platform-neutral: each platform brings its Transport.

A delivery is claimed ("sending", with a lease) before it is posted and marked "sent" with the
platform's message id after. A worker that dies in between leaves a "sending" row behind; once its
lease runs out, the next run asks the transport whether the message is already there (it carries the
delivery's key) and only posts when it is not. The same check runs before any retry whose first try
may have reached the platform (a 5xx or a dropped connection). Rate limits (429) wait the time the
platform asks for; other failures back off and park after MAX_ATTEMPTS tries.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.commands.reply import Line, Reply, Section
from bot.domain import ChangeView
from bot.flash import change_line, flash_all
from db import outbox, reads

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


# An alert quotes the sentence that told the change, up to this many characters.
QUOTE, QUOTE_CHARS = "What the article said", 400


def alert_reply(change: ChangeView, tracker_title: str, said: str | None = None,
                together: Sequence[ChangeView] = ()) -> Reply:
    """The wire flash, the sentence that said it (quoted: `said`, else the event's newest sentence),
    and the article it is from. `together`: every change the article made to the event in that poll
    (the change among them), said in one flash."""
    line = change_line(change)
    text = flash_all(together) if len(together) > 1 else line.text
    source = Line(text=line.source_title or line.source_url or "source unknown", source_url=line.source_url)
    sections = [Section("Source", [source])]
    said = said or line.detail
    if said:
        said = " ".join(said.split())
        said = said if len(said) <= QUOTE_CHARS else said[: QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
        sections.insert(0, Section(QUOTE, [Line(text=f"“{said}”")]))
    return Reply(title=f"{tracker_title}: {text}", sections=sections, in_channel=True)


def _reply(session: Session, claim: outbox.Claimed, titles: dict[int, str]) -> Reply:
    """What a claimed row says, rendered from the data at hand (an alert) or as queued (the rest)."""
    title = titles.get(claim.tracker_id, "")
    if claim.kind == outbox.ALERT and claim.change_id is not None:
        # the change and the others its article made to the event in that poll, loaded at once
        together = reads.told_with(session=session, change_id=claim.change_id)
        change = next(c for c in together if c.id == claim.change_id)
        # the article's first sentence about the event: where it tells it, usually its lead
        told = reads.evidence_by_change(session=session, changes=[change]).get(change.id, [])
        first = min(told, key=lambda e: e.start).sentence if told else None
        return alert_reply(change, title, said=first, together=together)
    payload = claim.payload or {}
    if claim.kind == outbox.SUMMARY:
        reply = Reply.from_json(payload)
        reply.in_channel = True
        return reply
    return Reply(title=f"{title}: {payload.get('text', '')}".lstrip(": "), in_channel=True)


def deliver_pending(
    *, sessions: sessionmaker[Session], transport: Transport, now: datetime, titles: dict[int, str], limit: int = 500,
    min_interval: float | None = None, sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
) -> int:
    """Deliver what is due for `transport.platform`, oldest first in each channel; return how many were posted.

    Channels take turns, each at most one message per `min_interval` seconds (default: the transport's).
    A channel stops at its first row that is not due or that fails, so its messages never arrive out
    of order; a 429 pauses the whole workspace until the next run. `titles`: tracker id -> the name
    an alert starts with (its command).
    """
    interval = transport.min_interval if min_interval is None else min_interval
    queues: dict[tuple[str, str], list[int]] = {}
    with sessions.begin() as session:
        for row_id, team_id, channel in outbox.undelivered(session=session, platform=transport.platform, limit=limit):
            queues.setdefault((team_id, channel), []).append(row_id)
    last_post: dict[tuple[str, str], float] = {}
    paused_teams: set[str] = set()
    posted = 0
    while queues:
        for where in list(queues):
            team_id, _ = where
            if team_id in paused_teams:
                del queues[where]
                continue
            row_id = queues[where].pop(0)
            with sessions.begin() as session:
                claim = outbox.claim(session=session, row_id=row_id, now=now, lease_until=now + LEASE)
                reply = _reply(session, claim, titles) if claim is not None else None
            if claim is None or reply is None:  # not due, or another worker has it: later ones here wait
                del queues[where]
                continue
            wait = last_post.get(where, float("-inf")) + interval - monotonic()
            if wait > 0:
                sleep(wait)
            outcome = _deliver_one(sessions=sessions, transport=transport, claim=claim, reply=reply, now=now)
            if outcome != "found":  # finding an earlier post posted nothing
                last_post[where] = monotonic()
            if outcome == "posted":
                posted += 1
            elif outcome == "rate_limited":
                paused_teams.add(team_id)
            if outcome in {"retry", "rate_limited"} or not queues[where]:
                del queues[where]
    return posted


def _deliver_one(*, sessions: sessionmaker[Session], transport: Transport, claim: outbox.Claimed, reply: Reply,
                 now: datetime) -> str:
    """Post one claimed row (or find it already posted) and record the outcome.

    Returns "posted", "found" (an earlier try had posted it), "rate_limited", "retry" or "parked".
    """
    try:
        found = transport.find(claim.channel, key=claim.key, team_id=claim.team_id) if claim.tried_before else None
        external = found or transport.send(claim.channel, reply, key=claim.key, team_id=claim.team_id)
    except DeliveryError as exc:
        return _record_failure(sessions=sessions, claim=claim, now=now, error=exc)
    except Exception as exc:  # a transport bug or an unexpected network error: outcome unknown, retried
        return _record_failure(sessions=sessions, claim=claim, now=now, error=DeliveryError(f"{type(exc).__name__}: {exc}"))
    with sessions.begin() as session:
        outbox.mark_sent(session=session, row_id=claim.id, now=now, external_id=external)
    return "found" if found else "posted"


def _record_failure(*, sessions: sessionmaker[Session], claim: outbox.Claimed, now: datetime, error: DeliveryError) -> str:
    reason = (str(error).splitlines() or [type(error).__name__])[0]
    with sessions.begin() as session:
        if error.retry_after is not None:  # nothing was posted, and a rate limit is not a failed try
            outbox.set_state(session=session, row_id=claim.id, state="pending", error=reason, refund_attempt=True,
                             next_attempt_at=now + timedelta(seconds=max(error.retry_after, 1.0)))
            return "rate_limited"
        tries = outbox.attempts(session=session, row_id=claim.id)
        if error.permanent or tries >= MAX_ATTEMPTS:
            outbox.set_state(session=session, row_id=claim.id, state="parked", next_attempt_at=None, error=reason)
            return "parked"
        outbox.set_state(session=session, row_id=claim.id, state="pending", error=reason,
                         next_attempt_at=now + min(timedelta(seconds=30 * 2 ** tries), MAX_BACKOFF))
        return "retry"
