"""The command core: `/kuril TEXT` -> a neutral Reply, answered from the database. No platform here."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot import links
from bot.chart import image_for
from bot.commands.format import change_text, event_line, human_date
from bot.commands.manage import change_sources
from bot.commands.reply import Line, Reply, Section
from bot.domain import ChangeView
from bot.event_types import EVENT_TYPES, MAJOR_TYPES, TYPES
from bot.flash import change_line
from bot.netguard import AddressPolicy
from bot.summary import weekly_summary
from bot.tracker import Tracker
from bot.weekly import describe, describe_weekly, names_zone, parse_schedule, valid_zone
from db import outbox, reads, repo
from db import sources as source_rows

RECENT = timedelta(days=30)
# "summits, deadlines, agreements, suspensions", in the registry's order
MAJOR_WORDS = ", ".join(f"{t.label.lower()}s" if not t.label.endswith("s") else t.label.lower()
                        for t in TYPES.values() if t.name in MAJOR_TYPES)
MAX_LIST = 50
# What a search may hold: more words than this find nothing anyway, and each one is a condition.
MAX_SEARCH_WORDS = 12
MAX_SEARCH_CHARS = 200
_COUNT = re.compile(r"[0-9]{1,6}")
# NUL and the other control characters: no text holds them, and PostgreSQL refuses NUL outright.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(slots=True)
class CommandContext:
    session: Session
    tracker: Tracker
    tracker_id: int
    now: datetime
    platform: str = "terminal"
    team_id: str = ""
    channel: str | None = None
    user_is_admin: bool = False
    # The invoking user's IANA time zone (Slack: their profile's), the default for the weekly summary.
    user_timezone: str | None = None
    # Where `sources add URL` may point (bot/netguard.py); None: public addresses only.
    source_policy: AddressPolicy | None = None
    # Who may change sources, in the platform's own words.
    admins: str = "admins"
    # The public base URL of the tracker's pages and feeds (NTRACK_PUBLIC_URL); None when this
    # deployment publishes none (unset, or NTRACK_PAGES=off).
    public_url: str | None = None


HELP = [
    ("status", "next events, latest developments and active deadlines (the default)"),
    ("next", "the next scheduled meetings and visits"),
    ("timeline [N]", "the last N events by date (default 10)"),
    ("deadlines", "target dates and where they stand"),
    ("events [TYPE]", "recent events, optionally one type: " + ", ".join(EVENT_TYPES)),
    ("who NAME", "an actor's recent events and stated positions"),
    ("search WORDS", "events and articles that mention WORDS"),
    ("sources", "the feeds this tracker reads, and their health"),
    ("sources add|remove URL", "read a feed, or stop reading it ({admins})"),
    ("subscribe [all|major]", f"alerts in this channel (major: {MAJOR_WORDS})"),
    ("subscribe weekly [DAY] [HH:MM] [TIMEZONE]", "when this channel gets the weekly summary (default: mon 09:00 in your time zone, else UTC)"),
    ("summary-time [DAY] [HH:MM] [TIMEZONE]", "the same, e.g. `summary-time fri 17:30 Europe/Moscow`"),
    ("unsubscribe", "stop alerts in this channel"),
    ("summary", "the weekly summary, now"),
    ("calendar", "links to follow the dated events in a calendar app and the changes in a feed reader"),
    ("help", "this list"),
]


def help_reply(ctx: CommandContext, reason: str | None = None) -> Reply:
    cmd = ctx.tracker.command
    lines = [Line(f"{cmd} {usage}: {what.format(admins=ctx.admins)}") for usage, what in HELP]
    return Reply(title=f"{cmd}: {ctx.tracker.title}", sections=[Section("Commands", lines)], error=reason)


def status(ctx: CommandContext, args: list[str]) -> Reply:
    s, tid = ctx.session, ctx.tracker_id
    seen = reads.overview(session=s, tracker_id=tid, now=ctx.now)
    upcoming, changes, deadlines = seen.upcoming, seen.changes, seen.deadlines
    return Reply(
        title=f"{ctx.tracker.title}: status as of {human_date(ctx.now.date().isoformat())}",
        sections=[
            Section("Next", [event_line(e) for e in upcoming], "Nothing scheduled."),
            Section("Latest developments", [change_line(c) for c in changes], "No changes recorded yet."),
            Section("Active deadlines", [event_line(e) for e in deadlines], "No active deadlines."),
        ],
    )


def next_events(ctx: CommandContext, args: list[str]) -> Reply:
    events = reads.upcoming_events(session=ctx.session, tracker_id=ctx.tracker_id, now=ctx.now, limit=3)
    return Reply(title="Next", sections=[Section("Scheduled and proposed", [event_line(e) for e in events], "Nothing scheduled.")])


def _count(args: list[str], default: int = 10) -> int:
    if not args:
        return default
    # ASCII digits only: "²" and "⑤" pass str.isdigit() and then fail int()
    if not _COUNT.fullmatch(args[0]) or not 1 <= int(args[0]) <= MAX_LIST:
        raise CommandError(f"N must be a number from 1 to {MAX_LIST}, not {args[0]!r}")
    return int(args[0])


def timeline(ctx: CommandContext, args: list[str]) -> Reply:
    """The last N events by date, with the timeline picture of the last months (each platform shows
    it its own way, or not at all)."""
    n = _count(args)
    events = reads.timeline(session=ctx.session, tracker_id=ctx.tracker_id, limit=n)
    image = image_for(session=ctx.session, tracker=ctx.tracker, tracker_id=ctx.tracker_id, now=ctx.now)
    return Reply(title=f"Timeline (last {n})", sections=[Section("Events by date", [event_line(e) for e in events], "No events yet.")],
                 image=image)


def deadlines(ctx: CommandContext, args: list[str]) -> Reply:
    events = reads.timeline(session=ctx.session, tracker_id=ctx.tracker_id, limit=20, event_type="deadline")
    return Reply(title="Deadlines", sections=[Section("Target dates", [event_line(e) for e in events], "No deadlines recorded.")])


def events(ctx: CommandContext, args: list[str]) -> Reply:
    kind = args[0].lower().rstrip("s") if args else None
    if kind == "talk":
        kind = "talks"
    if kind and kind not in EVENT_TYPES:
        raise CommandError(f"unknown event type {args[0]!r} (one of {', '.join(EVENT_TYPES)})")
    found = reads.timeline(session=ctx.session, tracker_id=ctx.tracker_id, limit=15, event_type=kind)
    title = f"Recent {kind} events" if kind else "Recent events"
    return Reply(title=title, sections=[Section("Events", [event_line(e) for e in found], "None recorded.")])


def who(ctx: CommandContext, args: list[str]) -> Reply:
    if not args:
        raise CommandError("who needs a name, e.g. `who Putin`")
    name = " ".join(args)
    if len(name) > MAX_SEARCH_CHARS:
        raise CommandError(f"who takes a name of at most {MAX_SEARCH_CHARS} characters")
    actor, found = reads.events_of_actor(session=ctx.session, tracker_id=ctx.tracker_id, name=name)
    if actor is None:
        return Reply(title=f"No one called {name!r} in this tracker", note="Try a surname, e.g. `who Mori`.")
    statements = [e for e in found if e.type == "statement"]
    others = [e for e in found if e.type != "statement"]
    quotes = [
        Line(text=f"{human_date(e.date_value)}: {e.sentence}", source_title=e.source.title if e.source else None,
             source_url=e.source.url if e.source else None)
        for e in statements if e.sentence
    ]
    return Reply(
        title=actor,
        sections=[Section("Recent events", [event_line(e) for e in others], "No events."),
                  Section("Stated positions", quotes, "No statements recorded.")],
    )


def search(ctx: CommandContext, args: list[str]) -> Reply:
    words = " ".join(args).strip()
    if not words:
        raise CommandError("search needs words, e.g. `search Brunei summit`")
    if len(words.split()) > MAX_SEARCH_WORDS:
        raise CommandError(f"search takes at most {MAX_SEARCH_WORDS} words, not {len(words.split())}")
    if len(words) > MAX_SEARCH_CHARS:
        raise CommandError(f"search takes at most {MAX_SEARCH_CHARS} characters, not {len(words)}")
    found, articles = reads.search(session=ctx.session, tracker_id=ctx.tracker_id, words=words, now=ctx.now)
    art_lines = [
        Line(text=f"{human_date(a.published.date().isoformat()) if a.published else ''} {a.title or a.url or ''}".strip(),
             source_title=a.title, source_url=a.url)
        for a in articles
    ]
    return Reply(title=f"Search: {words}", sections=[Section("Events", [event_line(e) for e in found], "No events match."),
                                                      Section("Articles", art_lines, "No articles match.")])


def sources(ctx: CommandContext, args: list[str]) -> Reply:
    if args and args[0].lower() in {"add", "remove"}:
        return change_sources(ctx, args)
    rows = source_rows.sources(session=ctx.session, tracker_id=ctx.tracker_id)
    lines = []
    for src in rows:
        if src.disabled:
            health = f"disabled after {src.error_count} failures: {src.last_error}"
        elif src.error_count:
            health = f"failing ({src.error_count}x): {src.last_error}"
        elif src.last_success_at:
            health = f"ok, last read {src.last_success_at:%Y-%m-%d %H:%M} UTC"
        else:
            health = "not read yet"
        lines.append(Line(text=f"{src.title or src.url}: {health}", source_url=src.url if src.url.startswith("http") else None))
    given_up = outbox.parked(session=ctx.session, tracker_id=ctx.tracker_id, platform=ctx.platform,
                             team_id=ctx.team_id)
    changes = reads.changes_by_id(session=ctx.session, ids=[p.change_id for p in given_up if p.change_id])
    parked = [
        Line(text=f"{_parked_what(p, changes)}, to {p.channel}: gave up after {p.attempts} tries "
                  f"({p.last_error or 'no reason recorded'})")
        for p in given_up
    ]
    return Reply(title="Sources", sections=[Section("Feeds", lines, "No sources yet."),
                                            Section("Alerts not delivered", parked, "None: every alert went out.")])


def _parked_what(p: outbox.Parked, changes: dict[int, ChangeView]) -> str:
    if p.change_id is not None and p.change_id in changes:
        return change_text(changes[p.change_id])
    if p.kind == "summary":
        return "Weekly summary"
    return str((p.payload or {}).get("text") or p.kind)


def subscribe(ctx: CommandContext, args: list[str]) -> Reply:
    if not ctx.channel:
        raise CommandError("subscribe works in a channel")
    if args and args[0].lower() == "weekly":
        return subscribe_weekly(ctx, args[1:])
    level = (args[0].lower() if args else "all")
    if level not in {"all", "major"}:
        raise CommandError(f"subscribe takes `all` or `major`, not {args[0]!r}")
    known = repo.subscription(session=ctx.session, tracker_id=ctx.tracker_id, platform=ctx.platform,
                              team_id=ctx.team_id, channel=ctx.channel)
    sub = repo.subscribe(session=ctx.session, tracker_id=ctx.tracker_id, platform=ctx.platform, team_id=ctx.team_id,
                         channel=ctx.channel, level=level, now=ctx.now)
    if known is None:  # a new channel: Monday 09:00 where the subscriber is; a known one keeps its slot
        sub.timezone = _default_zone(ctx)
    what = "every change" if level == "all" else f"major changes ({MAJOR_WORDS})"
    return Reply(title=f"Subscribed: this channel will get {what} and a weekly summary {describe_weekly(sub)}.",
                 in_channel=True)


def _default_zone(ctx: CommandContext) -> str:
    zone = ctx.user_timezone
    return zone if zone and valid_zone(zone) else "UTC"


def subscribe_weekly(ctx: CommandContext, args: list[str]) -> Reply:
    """`subscribe weekly mon 09:00 Asia/Tokyo`: the weekly summary's slot (subscribing the channel if need be)."""
    try:
        plan = parse_schedule(args, default_zone=_default_zone(ctx))
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    sub = repo.subscription(session=ctx.session, tracker_id=ctx.tracker_id, platform=ctx.platform,
                            team_id=ctx.team_id, channel=ctx.channel or "")
    if sub is None or not sub.active:
        sub = repo.subscribe(session=ctx.session, tracker_id=ctx.tracker_id, platform=ctx.platform,
                             team_id=ctx.team_id, channel=ctx.channel or "", level=sub.level if sub else "all", now=ctx.now)
    sub.weekly_day, sub.weekly_time, sub.timezone = plan.day, plan.time, plan.timezone
    return Reply(title=f"Weekly summary: this channel gets it every {describe(sub)}.", in_channel=True)


def summary_time(ctx: CommandContext, args: list[str]) -> Reply:
    """`summary-time DAY HH:MM ZONE`: `subscribe weekly` by the name Discord users see."""
    if not ctx.channel:
        raise CommandError("summary-time works in a channel")
    return subscribe_weekly(ctx, args)


def unsubscribe(ctx: CommandContext, args: list[str]) -> Reply:
    if not ctx.channel:
        raise CommandError("unsubscribe works in a channel")
    sub = repo.subscription(session=ctx.session, tracker_id=ctx.tracker_id, platform=ctx.platform,
                            team_id=ctx.team_id, channel=ctx.channel)
    if sub is None or not sub.active:
        return Reply(title="This channel was not subscribed.")
    sub.active = False
    return Reply(title="Unsubscribed: no more alerts or summaries here.", in_channel=True)


def summary(ctx: CommandContext, args: list[str]) -> Reply:
    return weekly_summary(session=ctx.session, tracker=ctx.tracker, tracker_id=ctx.tracker_id, now=ctx.now)


def calendar(ctx: CommandContext, args: list[str]) -> Reply:
    """The calendar to subscribe to and the changes feed, as links; one line when none is published."""
    slug = ctx.tracker.slug
    webcal, ics, atom = (links.webcal_url(ctx.public_url, slug), links.calendar_url(ctx.public_url, slug),
                         links.atom_url(ctx.public_url, slug))
    if webcal is None or ics is None or atom is None:
        return Reply(title="This ntrack does not publish a calendar or a changes feed.")
    return Reply(
        title=f"{ctx.tracker.title}: calendar and changes feed",
        note="Add the calendar to Google Calendar, Outlook or Apple Calendar by its address; "
             "it follows every date, place and status change.",
        sections=[
            Section("Calendar", [Line(f"Subscribe: {webcal}"), Line(f"Address (ICS): {ics}")]),
            Section("Changes feed", [Line(f"Atom: {atom}")]),
        ],
    )


def help_command(ctx: CommandContext, args: list[str]) -> Reply:
    return help_reply(ctx)


class CommandError(Exception):
    """The command was understood but its arguments were not: the reply shows help and this reason."""


COMMANDS: dict[str, Callable[[CommandContext, list[str]], Reply]] = {
    "status": status, "next": next_events, "timeline": timeline, "deadlines": deadlines, "events": events,
    "who": who, "search": search, "sources": sources, "subscribe": subscribe, "summary-time": summary_time, "unsubscribe": unsubscribe,
    "summary": summary, "calendar": calendar, "help": help_command,
}


def parse(text: str) -> tuple[str, list[str]]:
    """'timeline 5' -> ('timeline', ['5']); '' -> ('status', []); quotes group words. Control
    characters (NUL among them) are spaces: no command means them, and PostgreSQL refuses NUL."""
    text = _CONTROL.sub(" ", text).strip()
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.replace('"', " ").replace("'", " ").split()
    if not words:
        return "status", []
    return words[0].lower(), words[1:]


def _words(text: str) -> tuple[str, list[str], bool]:
    """parse(), with a trailing `public` taken off: (name, args, public)."""
    name, args = parse(text)
    public = bool(args) and args[-1].lower() == "public"
    return name, args[:-1] if public else args, public


def needs_from_user(text: str) -> frozenset[str]:
    """What the platform must find out about the invoking user before answering `text`, so that it asks
    only when needed: "admin" (sources add/remove) and "timezone" (subscribe without a time zone)."""
    name, args, _ = _words(text)
    if name == "sources" and args and args[0].lower() in {"add", "remove"}:
        return frozenset({"admin"})
    if name == "subscribe" and not (args and args[0].lower() == "weekly" and names_zone(args[1:])):
        return frozenset({"timezone"})
    if name == "summary-time" and not names_zone(args):
        return frozenset({"timezone"})
    return frozenset()


def run_command(text: str, ctx: CommandContext) -> Reply:
    """The reply to `<command> text`. Unknown or malformed commands get the help and a one-line reason."""
    name, args, public = _words(text)
    handler = COMMANDS.get(name)
    if handler is None:
        return help_reply(ctx, reason=f"Unknown command {name!r}.")
    try:
        reply = handler(ctx, args)
    except CommandError as exc:
        return help_reply(ctx, reason=f"{name}: {exc}.")
    reply.in_channel = reply.in_channel or public
    return reply
