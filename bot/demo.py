"""`ntrack demo`: replay autumn 2000 - spring 2001 from the bundled sample feed, on SQLite, no tokens.

The clock walks through the period: each poll sees only the articles published by then, a terminal
channel receives the alerts, and `/kuril status` and the weekly summary are shown as of dates inside it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from bot import platforms
from bot.app import Runtime, open_runtime
from bot.deliver import deliver_pending
from bot.feeds import parse_feed
from bot.platforms.terminal import TerminalTransport
from bot.service import answer
from bot.settings import Settings
from bot.tracker import Tracker
from bot.worker import extractor_for, ingest_all
from db import repo

SAMPLE_FEED = Path(__file__).parent / "data" / "sample" / "kuril-2000.xml"
DEMO_DB = Path("data") / "demo.db"
CHANNEL = "#kuril-demo"
# `/kuril status` is shown mid-way, as of the day the seed article appeared: the Brunei summit is next.
STATUS_AT = datetime(2000, 11, 6, 12, tzinfo=UTC)


def poll_times(feed: Path) -> list[datetime]:
    """A poll at 06:00 UTC the day after each article appears, so each poll brings one new article."""
    _, articles = parse_feed(feed.read_bytes(), where=str(feed))
    days = sorted({a.published.date() for a in articles if a.published})
    return [datetime.combine(d + timedelta(days=1), time(6), tzinfo=UTC) for d in days]


def run_demo(*, database_url: str | None, write: Callable[[str], None]) -> None:
    if database_url is None:
        DEMO_DB.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DEMO_DB}{suffix}").unlink(missing_ok=True)
        database_url = f"sqlite:///{DEMO_DB}"
    settings = Settings(DATABASE_URL=database_url)
    rt = open_runtime(settings, migrate=True)
    tracker = rt.tracker("kuril")
    extractor = extractor_for(tracker)
    transport = TerminalTransport(write=lambda s: write(_indent(s)))  # the demo is a terminal session
    times = poll_times(SAMPLE_FEED)

    write(f"ntrack demo: tracker {tracker.command} ({tracker.title})")
    write(f"database {database_url}; source {SAMPLE_FEED.name} ({len(times)} articles, replayed in time order)")
    with rt.sessions.begin() as session:
        tid = repo.sync_tracker(session=session, tracker=tracker).id
        repo.subscribe(session=session, tracker_id=tid, platform="terminal", channel=CHANNEL, now=times[0])
    write(f"{CHANNEL} subscribed to {tracker.command} alerts\n")

    status_shown = False
    for when in times:
        if not status_shown and when > STATUS_AT:
            _show(write, f"{tracker.command} status  (as of {STATUS_AT:%Y-%m-%d})", rt, tracker, "status", STATUS_AT)
            status_shown = True
        rt.now = when
        reports, failures = ingest_all(rt, tracker, [str(SAMPLE_FEED)], extractor=extractor)
        for r in reports:
            quiet = " (first poll: recorded, no alerts)" if r.first_poll else ""
            write(f"--- poll {when:%Y-%m-%d %H:%M} UTC: {r.articles_new} new article(s), {len(r.changes)} change(s){quiet}")
        for f in failures:
            write(f"--- poll {when:%Y-%m-%d}: failed: {f}")
        deliver_pending(sessions=rt.sessions, transport=transport, now=when, titles={tid: tracker.command})
    end = times[-1]
    _show(write, f"{tracker.command} status  (as of {end:%Y-%m-%d})", rt, tracker, "status", end)
    _show(write, f"Weekly summary  (week to {end:%Y-%m-%d})", rt, tracker, "summary", end)
    write(f"\n{transport.sent} alerts delivered to {CHANNEL}.")


def _show(write: Callable[[str], None], heading: str, rt: Runtime, tracker: Tracker, text: str, now: datetime) -> None:
    rt.now = now
    write(f"\n=== {heading} ===")
    write(str(platforms.get("terminal").render(answer(rt, tracker, text))))
    write("")


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
