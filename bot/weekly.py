"""When each channel's weekly summary is due, and posting it once. Platform-neutral: any Transport.

A subscription's slot is its weekday and time in its own time zone (default Monday 09:00). A slot
missed by less than GRACE (the worker was down) is caught up; an older one is skipped. The summary
covers the week that ends at the slot, so consecutive summaries neither overlap nor leave gaps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session, sessionmaker

from bot.deliver import DeliveryError, Transport
from bot.summary import weekly_summary
from bot.tracker import Tracker
from db import models as m
from db import repo
from db.repo import as_utc

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
GRACE = timedelta(hours=6)
log = logging.getLogger("ntrack.weekly")


@dataclass(frozen=True, slots=True)
class WeeklySchedule:
    day: int  # 0 = Monday
    time: str  # "HH:MM"
    timezone: str


def valid_zone(name: str | None) -> bool:
    """Whether `name` is an IANA time zone this machine knows (e.g. "Asia/Tokyo")."""
    if not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _is_day(word: str) -> bool:
    low = word.lower()
    return low[:3] in DAYS and low.isalpha()


def names_zone(words: list[str]) -> bool:
    """Whether a schedule (the words after `subscribe weekly`) names its time zone."""
    return any(not _is_day(word) and ":" not in word for word in words)


def parse_schedule(words: list[str], *, default_zone: str = "UTC") -> WeeklySchedule:
    """['mon', '09:00', 'Asia/Tokyo'] -> a schedule; any part may be left out (Monday, 09:00, `default_zone`).

    Raises ValueError with a one-line reason.
    """
    day, at, zone = 0, "09:00", default_zone
    for word in words:
        if _is_day(word):
            day = DAYS.index(word.lower()[:3])
        elif ":" in word:
            hours, _, minutes = word.partition(":")
            if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60 and len(minutes) == 2):
                raise ValueError(f"not a time of day: {word!r} (e.g. 09:00)")
            at = f"{int(hours):02d}:{minutes}"
        else:
            zone = word
    if not valid_zone(zone):
        raise ValueError(f"unknown time zone {zone!r} (e.g. Asia/Tokyo, Europe/Moscow, UTC)")
    return WeeklySchedule(day=day, time=at, timezone=zone)


def describe(sub: m.Subscription) -> str:
    return f"{DAYS[sub.weekly_day].capitalize()} {sub.weekly_time} {sub.timezone}"


def describe_weekly(sub: m.Subscription) -> str:
    """'Mondays 09:00 Asia/Tokyo'."""
    return f"{DAY_NAMES[sub.weekly_day]}s {sub.weekly_time} {sub.timezone}"


def last_slot(*, weekly_day: int, weekly_time: str, timezone: str, now: datetime) -> datetime:
    """The latest scheduled instant at or before `now`, in UTC."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    hours, minutes = (int(x) for x in weekly_time.split(":"))
    day = local.date() - timedelta(days=(local.weekday() - weekly_day) % 7)
    slot = datetime.combine(day, time(hours, minutes), tzinfo=zone)
    if slot > local:
        slot = datetime.combine(day - timedelta(days=7), time(hours, minutes), tzinfo=zone)
    return slot.astimezone(UTC)


def due_slot(sub: m.Subscription, now: datetime) -> datetime | None:
    """The slot to post now, or None: already posted, or missed by more than GRACE."""
    slot = last_slot(weekly_day=sub.weekly_day, weekly_time=sub.weekly_time, timezone=sub.timezone, now=now)
    if now - slot > GRACE:
        return None
    done = as_utc(sub.last_summary_at)
    if done is not None and done >= slot:
        return None
    return slot


def summary_key(subscription_id: int, slot: datetime) -> str:
    return f"ntrack-summary-{subscription_id}-{slot:%Y%m%dT%H%MZ}"


def post_due_summaries(
    *, sessions: sessionmaker[Session], transport: Transport, now: datetime, trackers: dict[int, Tracker],
    subscription_id: int | None = None,
) -> list[str]:
    """Post every due weekly summary for `transport.platform` (or only one subscription's); one line each.

    A slot is claimed in the database before posting, so two workers never both post it; a failed post
    gives the claim back, so a later run (within GRACE) tries again. Before posting, the channel is
    searched for the summary's key: one that went out just before a crash is not posted twice.
    """
    with sessions.begin() as session:
        subs = [(s.id, s.tracker_id, s.team_id, s.channel, as_utc(s.last_summary_at), due_slot(s, now))
                for s in repo.active_subscriptions(session=session, platform=transport.platform,
                                                   subscription_id=subscription_id)
                if s.tracker_id in trackers]
    done = []
    for sub_id, tracker_id, team_id, channel, before, slot in subs:
        if slot is None:
            continue
        with sessions.begin() as session:
            if not repo.claim_summary_slot(session=session, subscription_id=sub_id, slot=slot):
                continue
        key = summary_key(sub_id, slot)
        try:
            with sessions.begin() as session:
                reply = weekly_summary(session=session, tracker=trackers[tracker_id], tracker_id=tracker_id, now=slot)
            reply.in_channel = True
            if not _already_posted(transport, channel, key, team_id):
                transport.send(channel, reply, key=key, team_id=team_id)
        except Exception as exc:  # give the slot back: a later run retries within the grace period
            with sessions.begin() as session:
                session.get_one(m.Subscription, sub_id).last_summary_at = before
            log.warning("weekly summary for %s not posted: %s", channel, exc)
            done.append(f"weekly summary to {channel}: failed ({exc})")
            continue
        done.append(f"weekly summary to {channel} (slot {slot:%Y-%m-%d %H:%M} UTC)")
    return done


def _already_posted(transport: Transport, channel: str, key: str, team_id: str) -> bool:
    try:
        return transport.find(channel, key=key, team_id=team_id) is not None
    except DeliveryError:  # cannot look (no history scope): post, a summary is better twice than never
        return False
