"""Outbox delivery: pending rows -> a transport, in order per channel, each marked sent exactly once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.commands.format import change_line
from bot.commands.reply import Reply, Section
from db import models as m
from db import repo

MAX_ATTEMPTS = 8


class Transport(Protocol):
    platform: str

    def send(self, channel: str, reply: Reply, *, key: str) -> str:
        """Post `reply` to `channel`; return the platform's message id. `key` identifies the delivery."""
        ...


@dataclass(slots=True)
class TerminalTransport:
    """A channel that is a terminal: alerts are printed (the demo, `ntrack worker` with no tokens)."""

    write: Callable[[str], None]
    render: Callable[[Reply], str]
    platform: str = "terminal"
    sent: int = 0

    def send(self, channel: str, reply: Reply, *, key: str) -> str:
        self.sent += 1
        self.write(f"[{channel}] " + self.render(reply))
        return f"terminal-{self.sent}"


def alert_reply(change: m.StatusChange, tracker_title: str) -> Reply:
    line = change_line(change)
    return Reply(title=f"{tracker_title} alert", sections=[Section("Change", [line])], in_channel=True)


def deliver_pending(
    *, sessions: sessionmaker[Session], transport: Transport, now: datetime, titles: dict[int, str], limit: int = 100
) -> int:
    """Deliver what is due for `transport.platform`; return how many were sent."""
    sent = 0
    with sessions.begin() as session:
        due = [d.id for d in repo.pending_deliveries(session=session, now=now, platform=transport.platform, limit=limit)]
    for delivery_id in due:
        with sessions.begin() as session:
            d = session.get_one(m.Delivery, delivery_id)
            if d.state != "pending":
                continue
            reply = alert_reply(d.change, titles.get(d.change.tracker_id, ""))
            channel = d.subscription.channel
            try:
                external = transport.send(channel, reply, key=f"ntrack-delivery-{d.id}")
            except Exception as exc:  # a transport failure is recorded on the row, never lost
                d.attempts += 1
                d.last_error = f"{type(exc).__name__}: {exc}".splitlines()[0][:500]
                if d.attempts >= MAX_ATTEMPTS:
                    d.state = "parked"
                else:
                    d.next_attempt_at = now + timedelta(seconds=30 * 2 ** d.attempts)
                continue
            d.attempts += 1
            d.state, d.sent_at, d.external_id = "sent", now, external
            sent += 1
    return sent
