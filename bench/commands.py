"""p50/p99 of every `/kuril` command that reads, through the HTTP app, signature verification included,
as a Slack slash command and as a Discord interaction.

    .venv/bin/python bench/commands.py [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench --reset] [-n 300]

Fills a database with 100,000 articles and 20,000 events (SQLite in a temporary file, and PostgreSQL
when --postgres names an empty database, or one made by an earlier run with --reset), starts the web
process as deployed (`ntrack serve` in a process of its own: uvicorn on 127.0.0.1, the Slack app and
the Discord app) and times signed slash commands end to end over HTTP from a client on the same
machine: status, next, timeline, deadlines, events, events summit, who Putin, search Brunei summit,
sources, summary, help, and subscribe / unsubscribe (which write) alternately. Each is sent twice per
round: as a Slack slash command (form-encoded, HMAC-signed, to /slack/events) and as the equivalent
Discord interaction (an APPLICATION_COMMAND with the subcommand and its options, Ed25519-signed with
a key pair made for the run, to /discord/interactions, from a member with Manage Server); a Discord
answer must be the response itself (type 4), and any deferral (type 5) is counted and reported.
Slack and Discord allow 3,000 ms; the goal is a p99 of 50 ms for status and 40 ms for the others, on
both. Commands are sent in rounds (one of each per round and platform), so that a noisy neighbour
slows all of them alike. Each line also gives the SQL statements the command sends and the median
time in the core's answer() (database, ORM, building the reply; the rest of a request is HTTP, the
signature, Bolt and Block Kit, or Discord's JSON and embed), both measured in this process; a command
whose query count grows with its answer is reported. The Web API the Slack app needs (auth.test at
start, users.info for subscribe) is the tests' fake, and so is Discord's REST API (only used to edit
a deferred answer) (loopback only).

The fill is what years of polling leave: articles every 140 minutes up to now; events told by a
heavy-tailed number of articles (most by a few, the next summit and the latest news by thousands),
with their parties and participants, a `new` change and later status, date and place changes, each
from one of its articles; sources; subscribed channels (Slack, and a Discord server's) with two years
of alerts and weekly summaries in the outbox, a few of them parked.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import create_engine, event, func, insert, inspect, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import open_runtime  # noqa: E402
from bot.event_types import MEETING_TYPES, OPEN_STATUSES, STATUSES  # noqa: E402
from bot.platforms.discord import PLATFORM as DISCORD  # noqa: E402
from bot.platforms.discord import commands as discord_commands  # noqa: E402
from bot.service import answer  # noqa: E402
from bot.settings import Settings  # noqa: E402
from db import models as m  # noqa: E402
from tests.discord.fake_discord import FakeDiscordServer  # noqa: E402
from tests.slack.fake_slack import BOT_TOKEN, FakeSlackServer  # noqa: E402

ARTICLES, EVENTS = 100_000, 20_000
SECRET = "bench-signing-secret"
NOW = datetime(2019, 1, 20, 12, tzinfo=UTC)
EVERY = timedelta(minutes=140)  # one article every 140 minutes, the last one just before NOW
TEAM, CHANNEL = "T0001", "C0001"
# name -> (the command's text, its p99 goal in ms); subscribe and unsubscribe alternate (both write)
COMMANDS: dict[str, tuple[str, float]] = {
    "status": ("status", 50), "next": ("next", 40), "timeline": ("timeline", 40), "deadlines": ("deadlines", 40),
    "events": ("events", 40), "events summit": ("events summit", 40), "who Putin": ("who Putin", 40),
    "search": ("search Brunei summit", 40), "sources": ("sources", 40), "summary": ("summary", 40),
    "help": ("help", 40), "subscribe": ("subscribe", 40), "unsubscribe": ("unsubscribe", 40),
}
# The same commands as Discord interactions: name -> (subcommand, its options); the goals are COMMANDS'.
DISCORD_COMMANDS: dict[str, tuple[str, dict[str, Any]]] = {
    "status": ("status", {}), "next": ("next", {}), "timeline": ("timeline", {}), "deadlines": ("deadlines", {}),
    "events": ("events", {}), "events summit": ("events", {"type": "summit"}), "who Putin": ("who", {"name": "Putin"}),
    "search": ("search", {"words": "Brunei summit"}), "sources": ("sources", {}), "summary": ("summary", {}),
    "help": ("help", {}), "subscribe": ("subscribe", {}), "unsubscribe": ("unsubscribe", {}),
}
APPLICATION_ID, GUILD, DISCORD_CHANNEL = "100000000000000001", "200000000000000002", "300000000000000003"
MANAGE_GUILD = 1 << 5  # subscribe and unsubscribe need it
WARMUP = 20
PLACES = ["Moscow", "Tokyo", "Brunei", "Irkutsk", "Vladivostok", "Sochi", "Singapore", "Nagato", "Kunashir",
          "Shikotan", "Osaka", "Lima", "Da Nang", "Buenos Aires", "Krasnoyarsk", "Kawana"]
WORDS = ("peace treaty talks islands summit foreign minister visit deadline agreement declaration fisheries "
         "economic cooperation joint activities sovereignty dispute negotiations delegation").split()
# How often each type of event is told: statements and meetings most, suspensions least.
TYPE_WEIGHTS = {"statement": 30, "meeting": 14, "talks": 12, "visit": 10, "summit": 8, "deadline": 8,
                "agreement": 12, "suspension": 6}
QUOTES = ["We will continue negotiations on a peace treaty with patience and resolve.",
          "The islands question cannot be solved in one meeting, but we are moving forward.",
          "Joint economic activities on the islands must not harm either side's legal position."]


# --- the fill

def _published(i: int) -> datetime:
    return NOW - EVERY * (ARTICLES - i) - timedelta(minutes=7)


def _article_rows(rng: random.Random, tracker_id: int, source_ids: list[int]) -> list[dict[str, Any]]:
    rows = []
    for i in range(ARTICLES):
        published = _published(i)
        place = rng.choice(PLACES)
        body = " ".join(rng.choice(WORDS) for _ in range(70)) + f" Talks in {place} went on."
        if rng.random() < 0.2:
            body += f' "{rng.choice(QUOTES)}" the minister said.'
        rows.append({"tracker_id": tracker_id, "source_id": rng.choice(source_ids), "guid": f"bench-{i}",
                     "url": f"https://news.example/{i}", "title": f"{place}: {' '.join(rng.sample(WORDS, 5))} ({i})",
                     "published": published, "fetched_at": published + timedelta(minutes=3), "text": body,
                     "content_hash": f"{i:064d}", "relevant": True})
    return rows


@dataclass
class PlannedEvent:
    type: str
    status: str
    day: date | None
    place: str
    anchor: int  # the article index its telling centres on (the last one before its date, or now)
    told_by: list[int] = field(default_factory=list)  # article indexes, oldest first


def _plan_events(rng: random.Random) -> list[PlannedEvent]:
    """Events, mostly past (spread like the articles), 0.5% still to come (in the next two years), 3% undated."""
    types, weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    first_day = _published(0).date()
    planned = []
    for _ in range(EVENTS):
        kind = rng.choices(types, weights)[0]
        r = rng.random()
        if r < 0.03:
            day, anchor = None, rng.randrange(ARTICLES)
        elif r < 0.035:
            day, anchor = NOW.date() + timedelta(days=rng.randrange(1, 2 * 365)), ARTICLES - 1
        else:
            day = first_day + timedelta(days=rng.randrange((NOW.date() - first_day).days))
            at = datetime(day.year, day.month, day.day, 23, 59, tzinfo=UTC)
            anchor = min(ARTICLES - 1, max(0, ARTICLES - 1 - int((NOW - at) / EVERY)))
        status = rng.choice(STATUSES[kind])
        if kind in MEETING_TYPES and day is not None:  # what a meeting's date says of its status, mostly
            status = rng.choice(OPEN_STATUSES) if day >= NOW.date() else rng.choice(("held", "held", "held", status))
        planned.append(PlannedEvent(kind, status, day, rng.choice(PLACES), anchor))
    return planned


def _popular(planned: list[PlannedEvent], rng: random.Random) -> set[int]:
    """What everyone writes about, and so what the commands show: the next meetings, the latest-dated
    events (to come and past), the standing deadlines, and sixty famous events of the past."""
    today = NOW.date()
    dated = [i for i, e in enumerate(planned) if e.day is not None]

    def day(i: int) -> date:
        return planned[i].day or today

    upcoming = sorted((i for i in dated if planned[i].type in MEETING_TYPES and planned[i].status in OPEN_STATUSES
                       and day(i) >= today), key=day)
    latest = sorted(dated, key=day, reverse=True)
    latest_past = [i for i in latest if day(i) <= today]
    deadlines = sorted((i for i in dated if planned[i].type == "deadline" and planned[i].status == "active"), key=day)
    return {*upcoming[:10], *latest[:10], *latest_past[:15], *deadlines[:5], *rng.sample(range(len(planned)), 60)}


def _tell(planned: list[PlannedEvent], rng: random.Random) -> None:
    """Which articles tell each event: a heavy-tailed number (Pareto; popular ones 300 to 3,000), from
    the articles before its date (and a few after)."""
    popular = _popular(planned, rng)
    for i, ev in enumerate(planned):
        n = rng.randint(300, 3000) if i in popular else min(int(rng.paretovariate(1.2)), 500)
        hi = min(ARTICLES, ev.anchor + 1 + min(n, 30))
        lo = max(0, hi - max(4 * n, 60))
        ev.told_by = sorted(rng.sample(range(lo, hi), min(n, hi - lo)))


def fill(url: str) -> dict[str, int]:
    """The database a few years of polling leave (see the module's docstring); rows per table."""
    rng = random.Random(4)
    settings = Settings(DATABASE_URL=url, NTRACK_NOW=NOW.isoformat())
    rt = open_runtime(settings, migrate=True)
    tracker_id = rt.tracker_id(rt.tracker("kuril"))
    with rt.engine.begin() as conn:
        actors: dict[str, int] = {name: id_ for name, id_ in conn.execute(
            select(m.Actor.name, m.Actor.id).where(m.Actor.tracker_id == tracker_id))}
        people = sorted(conn.scalars(select(m.Actor.id).where(m.Actor.tracker_id == tracker_id, m.Actor.kind == "person")))
        countries = [actors[n] for n in ("United States", "China") if n in actors]

        conn.execute(insert(m.Source), [_source_row(rng, tracker_id, i) for i in range(24)])
        source_ids = list(conn.scalars(select(m.Source.id).where(m.Source.tracker_id == tracker_id).order_by(m.Source.id)))
        articles = _article_rows(rng, tracker_id, source_ids)
        for chunk in range(0, ARTICLES, 10_000):
            conn.execute(insert(m.Article), articles[chunk:chunk + 10_000])
        article_ids = list(conn.scalars(select(m.Article.id).where(m.Article.tracker_id == tracker_id).order_by(m.Article.id)))

        planned = _plan_events(rng)
        _tell(planned, rng)
        conn.execute(insert(m.Event), [{
            "tracker_id": tracker_id, "type": ev.type, "status": ev.status,
            "date_value": ev.day.isoformat() if ev.day else None, "date_start": ev.day, "date_end": ev.day,
            "granularity": "day" if ev.day else None, "location": ev.place,
            "summary": f"{ev.type} in {ev.place}: {' '.join(rng.sample(WORDS, 4))}", "mentions": len(ev.told_by),
            "as_of": _published(ev.told_by[-1]), "first_seen_at": _published(ev.told_by[0]) + timedelta(minutes=5),
            "updated_at": _published(ev.told_by[-1]) + timedelta(minutes=5),
        } for ev in planned])
        event_ids = list(conn.scalars(select(m.Event.id).where(m.Event.tracker_id == tracker_id).order_by(m.Event.id)))

        evidence: list[dict[str, Any]] = []
        participants: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        for event_id, ev in zip(event_ids, planned, strict=True):
            for a in ev.told_by:
                quoted = ev.type == "statement" and rng.random() < 0.5
                evidence.append({
                    "event_id": event_id, "article_id": article_ids[a], "start": 0,
                    "sentence": f'"{rng.choice(QUOTES)}"' if quoted else f"Officials said the {ev.type} in {ev.place} "
                                f"was {ev.status}.", "end": 40, "status": ev.status,
                    "date_value": ev.day.isoformat() if ev.day else None,
                    "attribution": [rng.choice(["the foreign minister", "a Kremlin spokesman"])] if quoted else [],
                    "published": _published(a),
                })
            parties = [actors["Russia"], actors["Japan"], *([rng.choice(countries)] if rng.random() < 0.1 else [])]
            participants += [{"event_id": event_id, "actor_id": a, "role": "party"} for a in parties]
            participants += [{"event_id": event_id, "actor_id": a, "role": "participant"}
                             for a in rng.sample(people, rng.choice((1, 2, 2, 3)))]
            changes += _changes(rng, tracker_id, event_id, ev, article_ids)
        for chunk in range(0, len(evidence), 20_000):
            conn.execute(insert(m.EvidenceRow), evidence[chunk:chunk + 20_000])
        conn.execute(insert(m.EventActor), participants)
        conn.execute(insert(m.StatusChange), changes)
        _outbox(conn, rng, tracker_id, source_ids)
        counts = {t.__tablename__: conn.scalar(select(func.count()).select_from(t)) or 0
                  for t in (m.Article, m.Event, m.EvidenceRow, m.EventActor, m.StatusChange, m.Source, m.Outbox)}
    with rt.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))  # the statistics a live database has (autovacuum, sqlite's optimize)
    rt.engine.dispose()
    return counts


def _source_row(rng: random.Random, tracker_id: int, i: int) -> dict[str, Any]:
    failing, disabled = i in (3, 11), i in (7, 19)
    return {"tracker_id": tracker_id, "url": f"https://news{i}.example/rss", "title": f"News {i}",
            "origin": "chat" if i % 5 == 0 else "cli", "kind": "page" if i % 8 == 0 else "feed",
            "last_polled_at": NOW - timedelta(minutes=rng.randrange(15)),
            "last_success_at": NOW - timedelta(days=30 if disabled else 0, minutes=rng.randrange(15, 45)),
            "next_poll_at": NOW + timedelta(minutes=rng.randrange(15)), "error_count": 10 if disabled else 2 if failing else 0,
            "last_error": "HTTP 503" if failing or disabled else None, "disabled": disabled,
            "disabled_at": NOW - timedelta(days=20) if disabled else None, "polls": rng.randrange(1000, 90_000)}


def _changes(rng: random.Random, tracker_id: int, event_id: int, ev: PlannedEvent, article_ids: list[int]) -> list[dict[str, Any]]:
    """`new` at the first article that told it, then up to three status, date or place changes at later ones."""
    told = ev.told_by
    later = sorted(rng.sample(told[1:], min(len(told) - 1, rng.choice((0, 0, 1, 1, 2, 3)))))
    statuses = STATUSES[ev.type]
    steps: list[tuple[str, str | None, str | None]] = [("new", None, rng.choice(statuses) if later else ev.status)]
    for k, _ in enumerate(later):
        kind = rng.choice(("status", "status", "date", "location"))
        if kind == "status":
            new = ev.status if k == len(later) - 1 else rng.choice(statuses)
            steps.append(("status", steps[-1][2] if steps[-1][0] in ("new", "status") else ev.status, new))
        elif kind == "date":
            steps.append(("date", (ev.day - timedelta(days=30)).isoformat() if ev.day else None,
                          ev.day.isoformat() if ev.day else None))
        else:
            steps.append(("location", rng.choice(PLACES), ev.place))
    return [{"tracker_id": tracker_id, "event_id": event_id, "article_id": article_ids[a], "kind": kind, "old": old,
             "new": new, "alert": rng.random() > 0.05, "created_at": _published(a) + timedelta(minutes=5)}
            for a, (kind, old, new) in zip((told[0], *later), steps, strict=True)]


def _outbox(conn: Any, rng: random.Random, tracker_id: int, source_ids: list[int]) -> None:
    """Subscribed channels (the asking one among them) and what was queued for them in two years:
    alerts, weekly summaries, notices; nearly all sent, some parked, a few pending."""
    since = NOW - timedelta(days=730)
    channels = [("slack", TEAM, CHANNEL, "all"), ("slack", TEAM, "C0002", "major"), ("slack", TEAM, "C0003", "all"),
                ("slack", "T0002", "C0100", "all"), ("terminal", "", "local", "all"),
                ("discord", GUILD, DISCORD_CHANNEL, "all"), ("discord", GUILD, "300000000000000009", "major")]
    conn.execute(insert(m.Subscription), [{"tracker_id": tracker_id, "platform": p, "team_id": t, "channel": c,
                                           "level": lv, "created_at": since} for p, t, c, lv in channels])
    subs = list(conn.execute(select(m.Subscription.id, m.Subscription.level).order_by(m.Subscription.id)))
    major = {"summit", "deadline", "agreement", "suspension"}
    news = conn.execute(select(m.StatusChange.id, m.StatusChange.created_at, m.Event.type)
                        .join(m.Event, m.StatusChange.event_id == m.Event.id)
                        .where(m.StatusChange.created_at >= since, m.StatusChange.alert.is_(True))
                        .order_by(m.StatusChange.id)).all()

    def state(created: datetime) -> dict[str, Any]:
        created = created if created.tzinfo else created.replace(tzinfo=UTC)  # SQLite gives naive datetimes
        r = rng.random()
        if created > NOW - timedelta(minutes=30) or r < 0.005:
            return {"state": "pending", "attempts": 0, "next_attempt_at": created}
        if r < 0.025:
            return {"state": "parked", "attempts": 8, "last_error": rng.choice(["channel_not_found", "not_in_channel",
                                                                                 "HTTP 500 after 8 tries"])}
        return {"state": "sent", "attempts": 1, "sent_at": created + timedelta(seconds=12),
                "external_id": f"{created.timestamp():.6f}"}

    rows: list[dict[str, Any]] = []
    for sub_id, level in subs:
        for change_id, created, kind in news:
            if level == "major" and kind not in major:
                continue
            rows.append({"tracker_id": tracker_id, "subscription_id": sub_id, "kind": "alert", "change_id": change_id,
                         "created_at": created, **state(created)})
        for week in range(104):
            created = since + timedelta(weeks=week)
            rows.append({"tracker_id": tracker_id, "subscription_id": sub_id, "kind": "summary",
                         "payload": {"text": "Weekly summary", "blocks": []}, "key": f"summary-{sub_id}-{week}",
                         "created_at": created, **state(created)})
        for n in range(3):
            created = since + timedelta(days=200 * n + 17)
            rows.append({"tracker_id": tracker_id, "subscription_id": sub_id, "kind": "notice",
                         "source_id": source_ids[7], "payload": {"text": "News 7 was disabled after 10 failures"},
                         "key": f"notice-{sub_id}-{n}", "created_at": created, **state(created)})
    keys = ("source_id", "payload", "key", "attempts", "next_attempt_at", "sent_at", "external_id", "last_error", "change_id")
    for chunk in range(0, len(rows), 10_000):  # every row with every column: one executemany
        conn.execute(insert(m.Outbox), [{k: None for k in keys} | r for r in rows[chunk:chunk + 10_000]])


# --- the measurement

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(url: str, api_url: str, log: Path, *, discord_key: str = "", discord_api_url: str = "") -> Iterator[int]:
    """`ntrack serve` in a process of its own, as deployed (uvicorn, the Slack app, and the Discord app
    when given its public key in hex): its port."""
    env = {**os.environ, "DATABASE_URL": url, "NTRACK_NOW": NOW.isoformat(), "SLACK_BOT_TOKEN": BOT_TOKEN,
           "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": api_url, "PYTHONPATH": str(ROOT)}
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_APP_TOKEN",  # one workspace, HTTP
                 "DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN", "DISCORD_API_URL"):
        env.pop(name, None)
    if discord_key:  # answering needs no bot token; a deferred answer would be edited on the fake
        env |= {"DISCORD_APPLICATION_ID": APPLICATION_ID, "DISCORD_PUBLIC_KEY": discord_key,
                "DISCORD_API_URL": discord_api_url or "http://127.0.0.1:9"}
    with serve_with(env, log) as port:
        yield port


@contextmanager
def serve_with(env: dict[str, str], log: Path) -> Iterator[int]:
    """`ntrack serve` on a free loopback port in a process of its own with the environment `env`,
    once /healthz answers: its port (the process ends with the block; its output goes to `log`)."""
    port = free_port()
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-c", "from bot.cli import main; main()", "serve", "--host",
                                 "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"ntrack serve did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def signed(text_: str) -> tuple[str, dict[str, str]]:
    body = urlencode({"command": "/kuril", "text": text_, "team_id": TEAM, "channel_id": CHANNEL,
                      "user_id": "U0001", "response_url": "https://hooks.slack.invalid/1", "trigger_id": "1"})
    ts = str(int(time.time()))
    return body, {"X-Slack-Request-Timestamp": ts, "Content-Type": "application/x-www-form-urlencoded",
                  "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body) or ""}


def discord_signed(key: Ed25519PrivateKey, sub: str, options: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    """The APPLICATION_COMMAND interaction for `/kuril SUB option:value ...` in a server channel, from a
    member with Manage Server, signed as Discord signs it (Ed25519 over timestamp + body)."""
    opts = [{"type": discord_commands.INTEGER if isinstance(v, int) else discord_commands.STRING, "name": k, "value": v}
            for k, v in options.items()]
    body = json.dumps({
        "type": 2, "id": "400000000000000004", "application_id": APPLICATION_ID, "token": "bench-token", "version": 1,
        "guild_id": GUILD, "channel_id": DISCORD_CHANNEL,
        "member": {"user": {"id": "500000000000000005", "username": "analyst"}, "permissions": str(MANAGE_GUILD)},
        "data": {"id": "600000000000000006", "name": "kuril", "type": 1,
                 "options": [{"type": discord_commands.SUB_COMMAND, "name": sub, "options": opts}]},
    }).encode()
    ts = str(int(time.time()))
    return body, {"X-Signature-Ed25519": key.sign(ts.encode() + body).hex(), "X-Signature-Timestamp": ts,
                  "Content-Type": "application/json"}


def discord_text(name: str) -> str:
    """The core's command text the Discord app makes of DISCORD_COMMANDS[name] (the same as Slack's)."""
    sub, options = DISCORD_COMMANDS[name]
    return discord_commands.to_text(sub, options)[0]


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


@dataclass
class Timings:
    slack: dict[str, list[float]]  # command -> milliseconds per request
    discord: dict[str, list[float]]
    deferred: dict[str, int]  # Discord interactions answered with a deferral (type 5), warm-up included


def measure(port: int, n: int, key: Ed25519PrivateKey) -> Timings:
    """Milliseconds per request: n rounds (after WARMUP) of one request per command, in a fixed order,
    each command as a Slack slash command and then as a Discord interaction."""
    out = Timings({name: [] for name in COMMANDS}, {name: [] for name in COMMANDS}, {name: 0 for name in COMMANDS})
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        for i in range(n + WARMUP):
            for name, (command, _) in COMMANDS.items():
                body, headers = signed(command)
                started = time.perf_counter()
                resp = client.post("/slack/events", content=body, headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                if resp.status_code != 200 or "blocks" not in resp.text or "Looking that up" in resp.text:
                    raise SystemExit(f"{name}: HTTP {resp.status_code}: {resp.text[:300]}")
                if i >= WARMUP:  # warm-up: connections, caches, users.info for subscribe
                    out.slack[name].append(elapsed)

                raw, headers = discord_signed(key, *DISCORD_COMMANDS[name])
                started = time.perf_counter()
                resp = client.post("/discord/interactions", content=raw, headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                reply = resp.json() if resp.status_code == 200 else {}
                if reply.get("type") == 5:
                    out.deferred[name] += 1
                elif reply.get("type") != 4 or not reply.get("data", {}).get("embeds") or "\u26a0" in str(reply):
                    raise SystemExit(f"discord {name}: HTTP {resp.status_code}: {resp.text[:300]}")  # or a refusal
                if i >= WARMUP:
                    out.discord[name].append(elapsed)
    return out


@dataclass
class CoreCost:
    queries: int
    answer_ms: float  # median time in bot.service.answer, in this process


# Longer answers of the same commands: their query counts must be the same.
LONGER = {"timeline": "timeline 50", "events": "events statement", "who Putin": "who Russia", "search": "search summit"}


def core_costs(url: str, repeat: int = 15, *, discord: bool = False) -> tuple[dict[str, CoreCost], list[str]]:
    """Each command answered in this process as the Slack listener (or the Discord route) answers it:
    the SQL statements it sends (counted on the engine) and the time in answer() (database, ORM,
    building the reply; the rest of a request is HTTP, the signature, Bolt and Block Kit, or Discord's
    JSON and embed). Also: commands whose query count grows with the answer (there should be none)."""
    settings = Settings(DATABASE_URL=url, NTRACK_NOW=NOW.isoformat())
    rt = open_runtime(settings)
    tracker = rt.tracker("kuril")
    tracker_id = rt.tracker_id(tracker)
    count = [0]

    def counted(*args: Any) -> None:
        count[0] += 1

    event.listen(rt.engine, "after_cursor_execute", counted)

    asker: dict[str, Any] = (
        {"channel": DISCORD_CHANNEL, "platform": DISCORD.name, "team_id": GUILD, "user_is_admin": True,
         "admins": DISCORD.admins} if discord else {"channel": CHANNEL, "platform": "slack", "team_id": TEAM,
                                                    "user_timezone": "UTC"})

    def run(text_: str) -> tuple[int, float]:
        count[0] = 0
        started = time.perf_counter()
        answer(rt, tracker, text_, now=NOW, tracker_id=tracker_id, **asker)
        return count[0], (time.perf_counter() - started) * 1000

    runs: dict[str, list[tuple[int, float]]] = {name: [] for name in COMMANDS}
    for _ in range(repeat + 2):  # in rounds, as over HTTP (subscribe and unsubscribe alternate)
        for name, (command, _goal) in COMMANDS.items():
            runs[name].append(run(discord_text(name) if discord else command))
    costs = {name: CoreCost(done[-1][0], statistics.median(ms for _, ms in done[2:])) for name, done in runs.items()}
    growing = [f"{COMMANDS[name][0]}: {costs[name].queries} queries, {longer}: {n}" for name, longer in LONGER.items()
               if (n := run(longer)[0]) != costs[name].queries]
    rt.engine.dispose()
    return costs, growing


def ready_postgres(url: str, reset: bool) -> None:
    engine = create_engine(url)
    tables = inspect(engine).get_table_names()
    if tables and not reset:
        raise SystemExit(f"{url} is not empty: pass --reset to drop everything in its public schema")
    if tables:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def database_arguments(parser: argparse.ArgumentParser, n: int, per: str) -> None:
    """The options every benchmark over the 100,000-article fill takes."""
    parser.add_argument("--postgres", help="an empty PostgreSQL database to fill and measure too")
    parser.add_argument("--reset", action="store_true", help="drop everything in --postgres first")
    parser.add_argument("-n", type=int, default=n, help=f"{per} (default {n})")
    parser.add_argument("--sqlite", metavar="PATH", help="the SQLite file to fill, replaced if it exists (default: a temporary one)")
    parser.add_argument("--no-fill", action="store_true", help="measure the databases as they are (an earlier fill)")


def filled_databases(args: argparse.Namespace, tmp: str) -> Iterator[tuple[str, str]]:
    """(label, URL) of each database to measure, filled first unless --no-fill (SQLite in `tmp` or
    --sqlite; PostgreSQL when --postgres names one), with the fill's counts printed."""
    targets = [("SQLite", f"sqlite:///{args.sqlite or f'{tmp}/bench.db'}")]
    if args.postgres:
        if not args.no_fill:
            ready_postgres(args.postgres, args.reset)
        targets.append(("PostgreSQL", args.postgres))
    for label, url in targets:
        if not args.no_fill:
            if args.sqlite and label == "SQLite":
                Path(args.sqlite).unlink(missing_ok=True)
            started = time.perf_counter()
            counts = fill(url)
            print(f"{label}: filled in {time.perf_counter() - started:.0f} s: "
                  + ", ".join(f"{n:,} {table}" for table, n in counts.items()), flush=True)
        yield label, url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    database_arguments(parser, 300, "requests per command")
    args = parser.parse_args()
    key = Ed25519PrivateKey.generate()  # the Discord application's, for this run
    public_key = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    with tempfile.TemporaryDirectory() as tmp, FakeSlackServer() as fake, FakeDiscordServer() as fake_discord:
        print(f"{ARTICLES:,} articles, {EVENTS:,} events; {args.n} signed requests per command over HTTP, "
              f"in rounds of one of each")
        for label, url in filled_databases(args, tmp):
            with serve(url, fake.api_url, Path(tmp) / f"serve-{label}.log", discord_key=public_key,
                       discord_api_url=fake_discord.api_url) as port:
                timings = measure(port, args.n, key)
            costs, growing = core_costs(url)
            discord_costs, _ = core_costs(url, discord=True)
            for name, ms in timings.slack.items():
                goal, cost = COMMANDS[name][1], costs[name]
                print(f"{label:<11} {name:<13} p50 {statistics.median(ms):5.1f} ms  p99 {p99(ms):5.1f} ms  "
                      f"goal {goal:.0f}: {'met   ' if p99(ms) <= goal else 'MISSED'}  "
                      f"queries {cost.queries:<2}  in answer() {cost.answer_ms:5.1f} ms", flush=True)
                ms, cost, deferred = timings.discord[name], discord_costs[name], timings.deferred[name]
                print(f"{label:<11} discord {name:<13} p50 {statistics.median(ms):5.1f} ms  p99 {p99(ms):5.1f} ms  "
                      f"goal {goal:.0f}: {'met   ' if p99(ms) <= goal else 'MISSED'}  "
                      f"queries {cost.queries:<2}  in answer() {cost.answer_ms:5.1f} ms"
                      + (f"  DEFERRED {deferred} of {args.n + WARMUP}" if deferred else ""), flush=True)
            deferred_total = sum(timings.deferred.values())
            print(f"{label}: Discord interactions deferred (type 5): {deferred_total or 'none'}"
                  + (f" of {(args.n + WARMUP) * len(COMMANDS)}" if deferred_total else ""))
            for line in growing:
                print(f"{label}: the query count grows with the answer: {line}")
            if not growing:
                print(f"{label}: the same query counts for longer answers ({', '.join(LONGER.values())})")


if __name__ == "__main__":
    main()
