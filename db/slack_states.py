"""Slack's OAuth states (slack_sdk's table `slack_oauth_states`, made by migration 0002): the expired
ones deleted. slack_sdk deletes a state only when an install comes back with it, so every
`GET /slack/install` that is never completed would otherwise leave its row for good."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Engine, column, delete, table

_STATES = table("slack_oauth_states", column("expire_at", DateTime))


def purge_expired(*, engine: Engine, now: datetime) -> int:
    """Delete the states that expired before `now` (slack_sdk stores naive UTC); how many went."""
    naive = now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now
    with engine.begin() as conn:
        return conn.execute(delete(_STATES).where(_STATES.c.expire_at < naive)).rowcount or 0
