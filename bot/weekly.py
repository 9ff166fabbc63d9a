"""When each channel's weekly summary is due, and queueing it once. Platform-neutral.

A subscription's slot is its weekday and time in its own time zone (default Monday 09:00). A slot
missed by less than GRACE (the worker was down) is caught up; an older one is skipped. The summary
covers the week that ends at the slot, so consecutive summaries neither overlap nor leave gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session, sessionmaker

from bot.summary import weekly_summary
from bot.tracker import Tracker
from db import models as m
from db import outbox, repo
from db.repo import as_utc

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
GRACE = timedelta(hours=6)


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


def queue_due_summaries(
    *, sessions: sessionmaker[Session], now: datetime, trackers: dict[int, Tracker], platforms: list[str] | None = None,
    subscription_id: int | None = None,
) -> list[str]:
    """Queue every due weekly summary (of `platforms`, default all; or one subscription's) in the
    outbox; one line each.

    The slot is claimed and the summary queued in one transaction, so two workers never both queue it
    and a crash loses neither; the outbox then posts it like an alert (retries, rate limits, and a look
    in the channel before any retry, so a summary posted just before a crash is not posted twice).
    """
    with sessions.begin() as session:
        subs = [(s.id, s.tracker_id, s.channel, due_slot(s, now))
                for s in repo.active_subscriptions(session=session, platforms=platforms,
                                                   subscription_id=subscription_id)
                if s.tracker_id in trackers]
    done = []
    for sub_id, tracker_id, channel, slot in subs:
        if slot is None:
            continue
        with sessions.begin() as session:
            if not outbox.claim_summary_slot(session=session, subscription_id=sub_id, slot=slot):
                continue
            reply = weekly_summary(session=session, tracker=trackers[tracker_id], tracker_id=tracker_id, now=slot)
            reply.in_channel = True
            outbox.queue_summary(session=session, tracker_id=tracker_id, subscription_id=sub_id,
                                 key=summary_key(sub_id, slot), payload=reply.to_json(), now=now)
        done.append(f"weekly summary to {channel} (slot {slot:%Y-%m-%d %H:%M} UTC)")
    return done
