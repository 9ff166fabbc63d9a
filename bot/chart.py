"""The timeline picture's model: which days it shows, what it draws, and the hash of exactly that.

Pure and without matplotlib (bot/chart_draw.py draws; bot/chart_store.py caches): the command core
and the weekly summary use it to name a picture (its content hash, in the URL Slack fetches) without
drawing anything. The hash covers every drawn row, the window, today's date, the title and
RENDERER_VERSION, so a picture is drawn once per state of the data and a changed drawing code makes
new pictures.
"""

from __future__ import annotations

import hashlib
import json
import threading
from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.clock import parse_day
from bot.commands.reply import Image
from bot.errors import UserError
from bot.tracker import Tracker
from db import site as site_reads
from db.chart import ChartEvent, timeline_events

# Bump when the drawing changes: every cached picture is then drawn again.
RENDERER_VERSION = 1
# The picture's size in pixels (bot/chart_draw.py draws it; the page reserves its room).
WIDTH, HEIGHT = 1200, 600
DEFAULT_MONTHS = 12
MAX_MONTHS = 120  # ten years: beyond that the labels would be all that is left out
FILENAME = "timeline.png"
MONTH = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_MOD_WORD = {"START": "early", "MID": "mid", "END": "late", "APPROX": "about", "BEFORE": "before", "AFTER": "after"}


@dataclass(frozen=True, slots=True)
class Window:
    """The days a picture shows, and the day it marks as today."""

    start: date
    end: date
    today: date


@dataclass(frozen=True, slots=True)
class Picture:
    """Everything a timeline picture shows: it is drawn from this alone."""

    title: str
    window: Window
    events: tuple[ChartEvent, ...]


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def ahead(months: int) -> int:
    """Months shown after today: a quarter of the span, from one to six, so the next dates show."""
    return max(1, min(6, months // 4))


def last_months(today: date, months: int = DEFAULT_MONTHS) -> Window:
    """The last `months` months up to today, and a little of what is coming."""
    return Window(add_months(today, -months), add_months(today, ahead(months)), today)


def _months(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_MONTHS:
        raise UserError(f"months must be a whole number from 1 to {MAX_MONTHS}, not {text[:40]!r}")
    return int(text)


def _day(name: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return parse_day(text[:40])
    except UserError as exc:
        raise UserError(f"{name}: {exc}") from None


def parse_window(query: Mapping[str, str], today: date) -> Window:
    """The window a request asks for: `months=N` (the last N months, default 12), or `from=` and/or
    `to=` (YYYY-MM-DD; one alone spans `months` from it). A UserError in one line for anything else."""
    raw_from, raw_to, raw_months = query.get("from"), query.get("to"), query.get("months")
    months = _months(raw_months) if raw_months is not None else DEFAULT_MONTHS
    if raw_from is None and raw_to is None:
        return last_months(today, months)
    if raw_from is not None and raw_to is not None and raw_months is not None:
        raise UserError("give from and to, or months, not all three")
    start = _day("from", raw_from)
    end = _day("to", raw_to)
    if start is None:
        assert end is not None
        start = add_months(end, -months)
    if end is None:
        end = add_months(start, months)
    if end <= start:
        raise UserError(f"from ({start.isoformat()}) must come before to ({end.isoformat()})")
    if add_months(start, MAX_MONTHS) < end:
        raise UserError(f"a picture spans at most {MAX_MONTHS} months")
    return Window(start, end, today)


# ---------------------------------------------------------------------------- what is drawn


def anchor(ev: ChartEvent) -> date:
    """The day an event is drawn at: a deadline at its end ("by 2000" is 31 Dec 2000), a day or a
    range at its first day, a vaguer date within its span as its modifier says (early, mid, late)."""
    if ev.type == "deadline":
        return ev.end
    if ev.granularity in {"day", "range"} or ev.end <= ev.start:
        return ev.start
    span = (ev.end - ev.start).days
    share = {"START": 0.15, "END": 0.85}.get(ev.mod or "", 0.5)
    return ev.start + timedelta(days=round(span * share))


def short_date(ev: ChartEvent) -> str:
    """'15 Nov', 'Nov 2000', 'late 2000': as precise as the event's date is."""
    if ev.granularity in {"day", "range", "week"}:
        text = f"{ev.start.day} {MONTH[ev.start.month - 1]}"
    elif ev.granularity == "month":
        text = f"{MONTH[ev.start.month - 1]} {ev.start.year}"
    elif ev.granularity == "year":
        text = str(ev.start.year)
    else:
        text = f"{MONTH[ev.start.month - 1]}-{MONTH[ev.end.month - 1]} {ev.end.year}"
    if ev.granularity == "week":
        text = f"week of {text}"
    word = _MOD_WORD.get(ev.mod or "")
    return f"{word} {text}" if word else text


def label(ev: ChartEvent) -> str:
    """What a marker says: the place (or, without one, the kind) and the date."""
    what = ev.location or ev.type.capitalize()
    return f"{what[:24]} {short_date(ev)}"


def in_window(ev: ChartEvent, window: Window) -> bool:
    return window.start <= anchor(ev) <= window.end


def digest(picture: Picture) -> str:
    """The content hash: of exactly what is drawn (32 hex digits)."""
    data = {
        "v": RENDERER_VERSION, "title": picture.title,
        "window": [picture.window.start.isoformat(), picture.window.end.isoformat(), picture.window.today.isoformat()],
        "events": [[e.type, e.status, e.start.isoformat(), e.end.isoformat(), e.granularity, e.mod, e.location]
                   for e in picture.events],
    }
    return hashlib.sha256(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()[:32]


def picture_for(*, session: Session, tracker: Tracker, tracker_id: int, window: Window) -> Picture:
    """The picture of `tracker` over `window`, read in one query."""
    rows = timeline_events(session=session, tracker_id=tracker_id, start=window.start, end=window.end)
    return Picture(title=tracker.title, window=window, events=tuple(e for e in rows if in_window(e, window)))


def image_for(*, session: Session, tracker: Tracker, tracker_id: int, now: datetime,
              months: int = DEFAULT_MONTHS) -> Image:
    """The picture a reply carries: the last `months` months as of `now`, named by its content hash
    (its path under the public URL changes when what it shows changes, so chat apps fetch it again)."""
    engine = session.get_bind().engine  # one per process in use; tests make one per database
    key_of_data = (id(engine), str(engine.url), tracker_id, tracker.title, months, now.date())
    seen = site_reads.version(session=session)
    with _images_lock:
        known = _images.get(key_of_data)
    if known is not None and known[0] == seen:
        return known[1]  # nothing it shows has changed: no need to read 1,000 events again
    window = last_months(now.date(), months)
    picture = picture_for(session=session, tracker=tracker, tracker_id=tracker_id, window=window)
    key = digest(picture)
    count = len(picture.events)
    alt = (f"Timeline of {tracker.title}, {window.start.isoformat()} to {window.end.isoformat()}: "
           f"{count} event{'s' if count != 1 else ''} by kind and status, today marked")
    image = Image(alt=alt, tracker=tracker.slug, digest=key, start=window.start.isoformat(),
                  end=window.end.isoformat(), today=window.today.isoformat(),
                  path=f"/t/{tracker.slug}/timeline.png?months={months}&v={key}", filename=FILENAME)
    with _images_lock:
        if len(_images) >= MAX_REMEMBERED:
            _images.pop(next(iter(_images)))
        _images[key_of_data] = (seen, image)
    return image


# The pictures replies named lately, by database, tracker, window and day, with the data version they
# were named at (db/site.py version: the newest row of each table): a `timeline` or a summary asked again
# before anything changed costs one lookup instead of reading the window's events.
MAX_REMEMBERED = 64
_images: dict[tuple[Any, ...], tuple[tuple[Any, ...], Image]] = {}
_images_lock = threading.Lock()


def window_of(image: Image) -> Window:
    """The window an Image was made for (what a platform that uploads the picture draws)."""
    return Window(date.fromisoformat(image.start), date.fromisoformat(image.end), date.fromisoformat(image.today))
