"""Human wording of stored values: dates, statuses, event lines. Pure: given views, never a query."""

from __future__ import annotations

from datetime import date

from bot.commands.reply import Line
from bot.domain import ChangeView, EventView
from bot.event_types import label, status_word

MONTH = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
SEASON = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
MOD = {"START": "early", "MID": "mid", "END": "late", "APPROX": "about", "BEFORE": "before", "AFTER": "after"}


def human_date(value: str | None, mod: str | None = None) -> str:
    """'2000-11-15' -> '15 Nov 2000'; '2000-10-23/2000-10-24' -> '23 Oct 2000 - 24 Oct 2000'; '2000' END -> 'late 2000'."""
    if not value:
        return "date unknown"
    if "/" in value:
        a, b = value.split("/", 1)
        return f"{human_date(a)} - {human_date(b)}"
    text = value
    try:
        if len(value) == 10:
            d = date.fromisoformat(value)
            text = f"{d.day} {MONTH[d.month - 1]} {d.year}"
        elif len(value) == 7 and value[4] == "-" and value[5:].isdigit():
            text = f"{MONTH[int(value[5:]) - 1]} {value[:4]}"
        elif "-W" in value:
            text = f"week {int(value.split('-W')[1])} of {value[:4]}"
        elif "-Q" in value:
            text = f"Q{value[-1]} {value[:4]}"
        elif "-H" in value:
            text = f"{'first' if value.endswith('1') else 'second'} half of {value[:4]}"
        elif value[5:] in SEASON:
            text = f"{SEASON[value[5:]]} {value[:4]}"
    except (ValueError, IndexError):
        text = value
    return f"{MOD[mod]} {text}" if mod in MOD else text


def event_line(ev: EventView, *, with_status: bool = True) -> Line:
    """'Summit · Brunei · 15 Nov 2000 · scheduled · Vladimir Putin, Yoshiro Mori' with its newest source."""
    parts = [label(ev.type)]
    if ev.location:
        parts.append(ev.location)
    parts.append(human_date(ev.date_value, ev.date_mod))
    if with_status:
        parts.append(status_word(ev.status))
    if ev.participants:
        parts.append(", ".join(ev.participants))
    src = ev.source
    return Line(text=" · ".join(parts), source_title=src.title if src else None, source_url=src.url if src else None,
                detail=ev.sentence)


def change_text(change: ChangeView) -> str:
    """'Summit · Brunei · 15 Nov 2000: scheduled -> held'."""
    head = event_line(change.event, with_status=False).text
    if change.kind == "new":
        what = f"new, {status_word(change.new)}"
    elif change.kind == "date":
        what = f"date {human_date(change.old)} -> {human_date(change.new)}"
    elif change.kind == "location":
        what = f"place {change.old or 'unknown'} -> {change.new}"
    elif change.kind == "type":
        what = f"{label(change.old or '').lower()} -> {label(change.new or '').lower()}"
    else:
        what = f"{status_word(change.old)} -> {status_word(change.new)}"
    return f"{head}: {what}"
