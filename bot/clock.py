"""The clock is read here and only here: entry points call `now()`, everything below takes `now`."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.errors import UserError


def parse_instant(text: str) -> datetime:
    """ISO 8601 date or datetime -> aware UTC datetime; a bare date means midnight UTC."""
    raw = text.strip()
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise UserError(f"not an ISO 8601 date or time: {text!r} (expected e.g. 2000-11-06T12:00:00Z)") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# Publication dates ntrack can reason about: date arithmetic around year 1 or 9999 overflows.
FIRST_YEAR, LAST_YEAR = 1800, 2200


def parse_day(text: str) -> date:
    """YYYY-MM-DD -> date, or a UserError naming the bad value (also for years outside 1800-2200)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise UserError(f"date out of range: {text!r} (years {FIRST_YEAR} to {LAST_YEAR})")
    return day


def now(override: str | None = None) -> datetime:
    """The current instant, or NTRACK_NOW when set (so history can be replayed)."""
    if override:
        return parse_instant(override)
    return datetime.now(UTC)
