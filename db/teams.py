"""Workspaces and servers ntrack has heard from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models as m
from db.upsert import insert_ignore


def record(*, session: Session, platform: str, team_id: str, now: datetime) -> None:
    """Remember a workspace or server on first sight; later calls change nothing."""
    insert_ignore(session=session, model=m.Team, conflict=["platform", "team_id"],
                  rows=[{"platform": platform, "team_id": team_id, "first_seen_at": now}])


def known(*, session: Session, platform: str) -> list[tuple[str, datetime]]:
    """(team id, first seen) of a platform's workspaces or servers, oldest first."""
    return [(t, at) for t, at in session.execute(
        select(m.Team.team_id, m.Team.first_seen_at).where(m.Team.platform == platform)
        .order_by(m.Team.first_seen_at, m.Team.id))]
