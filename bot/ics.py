"""A tracker's dated events as an iCalendar feed (RFC 5545) people subscribe to. Pure: events in, bytes
out; icalendar does the escaping, CRLF and line folding.

Every value comes from the data, never the clock: the same database gives the same bytes (and ETag),
so an NTRACK_NOW replay is stable and calendar apps see a change only when the negotiation changed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from icalendar import Calendar, Event, vDuration  # type: ignore[import-untyped]  # no stubs in the lock

from bot import links
from bot.commands.format import human_date
from bot.event_types import label, status_word
from db.calendar import CalendarEvent

PRODID = "-//ntrack//negotiation tracker//EN"
# How often a subscribed calendar app should read the feed again (RFC 7986, and Outlook's own property).
REFRESH = timedelta(hours=1)
# A status in calendar terms; every other status is a fact (held, signed, met, missed...): CONFIRMED.
CALENDAR_STATUS = {"proposed": "TENTATIVE", "postponed": "TENTATIVE", "cancelled": "CANCELLED", "dropped": "CANCELLED"}
# Characters a calendar line may not hold (RFC 5545 CONTROL): articles have carried them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def has_days(date_value: str | None) -> bool:
    """Whether a date value names a day or a range of days ('2000-11-15', '2000-11-15/2000-11-16'),
    not a month, a week or a year, which a calendar cannot show as a day."""
    if not date_value:
        return False
    return all(_DAY.fullmatch(part) for part in date_value.split("/"))


def calendar_status(status: str) -> str:
    return CALENDAR_STATUS.get(status, "CONFIRMED")


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def _names(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def summary(item: CalendarEvent) -> str:
    """'Summit: Vladimir Putin and Yoshiro Mori (Brunei)', with the status when it is not a firm one
    (some calendar apps do not show STATUS): '..., postponed'."""
    v = item.view
    who = _names(v.participants or v.parties)
    text = f"{label(v.type)}: {who}" if who else label(v.type)
    if v.location:
        text += f" ({v.location})"
    if calendar_status(v.status) != "CONFIRMED":
        text += f", {status_word(v.status)}"
    return _clean(text)


def description(item: CalendarEvent, page: str | None) -> str:
    v = item.view
    lines = [f"{label(v.type)}, {status_word(v.status)}: {human_date(v.date_value, v.date_mod)}."]
    if v.sentence:
        lines += ["", f"\u201c{_clean(v.sentence)}\u201d"]
    if v.source and (v.source.title or v.source.url):
        lines += ["", "Source: " + " ".join(_clean(p) for p in (v.source.title, v.source.url) if p)]
    if page:
        lines += ["", f"Timeline: {page}"]
    return "\n".join(lines)


def entry(item: CalendarEvent, *, slug: str, public_url: str | None) -> Event:
    """One all-day event (DTEND is the day after the last one, as RFC 5545 counts)."""
    v = item.view
    ev = Event()
    ev.add("uid", links.event_uid(public_url, slug, v.id))
    ev.add("dtstamp", item.changed_at)
    ev.add("last-modified", item.changed_at)
    ev.add("created", item.first_seen_at)
    ev.add("sequence", item.revisions)
    ev.add("dtstart", item.first_day)
    ev.add("dtend", item.last_day + timedelta(days=1))
    ev.add("summary", summary(item))
    if v.location:
        ev.add("location", _clean(v.location))
    ev.add("description", description(item, links.page_url(public_url, slug)))
    ev.add("status", calendar_status(v.status))
    ev.add("categories", [label(v.type)])
    ev.add("transp", "TRANSPARENT")  # a summit elsewhere does not make the subscriber busy
    if v.source and v.source.url:
        ev.add("url", v.source.url)
    return ev


def calendar_bytes(events: Sequence[CalendarEvent], *, slug: str, title: str, public_url: str | None) -> bytes:
    """The whole calendar, its events in the given order; events without a day are left out."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", _clean(title))
    cal.add("x-wr-calname", _clean(title))
    cal.add("x-wr-caldesc", _clean(f"{title}: dated events followed by ntrack"))
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    feed = links.calendar_url(public_url, slug)
    if feed:
        cal.add("source", feed, parameters={"VALUE": "URI"})
    for item in events:
        if has_days(item.view.date_value):
            cal.add_component(entry(item, slug=slug, public_url=public_url))
    return bytes(cal.to_ical())
