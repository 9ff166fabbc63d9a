"""Use cases the entry points share: answer a command, the status as JSON. One transaction each."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.app import Runtime
from bot.commands.core import CommandContext, run_command
from bot.commands.reply import Reply
from bot.domain import EventView, EvidenceView
from bot.netguard import AddressPolicy, parse_networks
from bot.serialize import change_json, event_json, source_json
from bot.tracker import Tracker
from db import reads, repo


def answer(
    rt: Runtime, tracker: Tracker, text: str, *, channel: str | None = None, platform: str = "terminal",
    team_id: str = "", user_is_admin: bool = False, now: datetime | None = None, tracker_id: int | None = None,
    user_timezone: str | None = None, admins: str = "admins",
) -> Reply:
    """The reply to `<tracker command> text`, from the database as of `now` (default `rt.now`).

    A long-running process passes `now` per request and the `tracker_id` it synced at start.
    `user_is_admin` and `user_timezone` describe who asks (Slack: from users.info); `admins` names
    who may change sources, in the platform's words.
    """
    with rt.sessions.begin() as session:
        if tracker_id is None:
            tracker_id = repo.sync_tracker(session=session, tracker=tracker).id
        ctx = CommandContext(session=session, tracker=tracker, tracker_id=tracker_id, now=now or rt.now, platform=platform,
                             team_id=team_id, channel=channel, user_is_admin=user_is_admin, user_timezone=user_timezone,
                             source_policy=AddressPolicy(parse_networks(rt.settings.allow_networks)), admins=admins,
                             public_url=rt.settings.public_url if rt.settings.pages else None)
        return run_command(text, ctx)


def status_json(rt: Runtime, tracker: Tracker) -> dict[str, Any]:
    """`ntrack status --json`: upcoming events, recent changes, active deadlines, in a fixed number of queries."""
    with rt.sessions.begin() as session:
        tid = repo.sync_tracker(session=session, tracker=tracker).id
        seen = reads.overview(session=session, tracker_id=tid, now=rt.now, upcoming=10, changes=10, deadlines=10)
        upcoming, changes, deadlines = seen.upcoming, seen.changes, seen.deadlines
        evidence: dict[int, list[EvidenceView]] = {}
        for e in reads.evidence_for(session=session, event_ids=[v.id for v in (*upcoming, *deadlines)]):
            evidence.setdefault(e.event_id, []).append(e)
        told = reads.evidence_by_change(session=session, changes=changes)
        return {
            "tracker": tracker.slug,
            "as_of": rt.now.isoformat(),
            "upcoming": [_with_source(e, evidence.get(e.id, [])) for e in upcoming],
            "recent": [change_json(kind=c.kind, old=c.old, new=c.new, event=c.event, evidence=told.get(c.id, []),
                                   article=c.article, alert=c.alert) for c in changes],
            "deadlines": [_with_source(e, evidence.get(e.id, [])) for e in deadlines],
        }


def _with_source(ev: EventView, evidence: list[EvidenceView]) -> dict[str, Any]:
    data = event_json(ev, evidence)
    data["source"] = source_json(ev.source)
    return data
