"""Alerts and summaries to Discord through the outbox: in order per channel, once each, without
mentions and with their key in the footer, a 429 honoured, a post that went through before a 5xx
found instead of repeated, gone and forbidden channels parked at the first answer and shown in
`sources`, the weekly summary through the worker's jobs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import Runtime
from bot.commands.reply import Line, Reply, Section
from bot.deliver import deliver_pending
from bot.jobs import run_due
from bot.platforms.discord.rest import USER_AGENT, DiscordRest, GlobalLimit
from bot.platforms.discord.settings import DiscordSettings
from bot.platforms.discord.transport import DiscordTransport, nonce
from bot.platforms.terminal.render import render_text
from bot.service import answer
from db import models as m
from tests.discord.fake_discord import BOT_TOKEN, GUILD_ID, FakeDiscord
from tests.fakes import FakeClock
from tests.slack import seed

T0 = seed.WHEN
POST = "POST channels/messages"
GET = "GET channels/messages"
C1 = "310000000000000001"
C2 = "310000000000000002"
GONE = "310000000000000404"
FORBIDDEN = "310000000000000403"


# ------------------------------------------------------------------------- helpers (shared)


def subscribe(rt: Runtime, channel: str, *, guild: str = GUILD_ID, level: str = "all") -> int:
    return seed.subscribe(rt, channel, team_id=guild, platform="discord", level=level)


def three_alerts(rt: Runtime, channel: str = C1) -> list[int]:
    """A Discord channel subscribed to the Brunei summit's three status changes; delivery ids in order."""
    subscribe(rt, channel)
    ev = seed.add_event(rt)
    ids = []
    for old, new in (("proposed", "scheduled"), ("scheduled", "postponed"), ("postponed", "scheduled")):
        ids += seed.add_change(rt, ev, old=old, new=new)
    return ids


def make_transport(rt: Runtime, clock: FakeClock, folder: Path) -> DiscordTransport:
    """The transport on a fake clock, with the global limit in a file of the test's own."""
    settings = rt.settings.section(DiscordSettings)
    rest = DiscordRest(settings, sleep=clock.sleep, monotonic=clock.monotonic,
                       global_limit=GlobalLimit(folder / "global.ratelimit", clock=clock.monotonic))
    return DiscordTransport(settings, rest=rest, monotonic=clock.monotonic)


def footer(msg: dict[str, Any]) -> str:
    return str(msg["embeds"][0]["footer"]["text"])


def shown(msg: dict[str, Any]) -> str:
    """What a reader sees of a message's embed, markdown escapes removed."""
    embed = msg["embeds"][0]
    return f"{embed['title']}\n{embed.get('description', '')}".replace("\\", "")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1000.0)


@pytest.fixture
def transport(discord_rt: Runtime, clock: FakeClock, tmp_path: Path) -> Iterator[DiscordTransport]:
    t = make_transport(discord_rt, clock, tmp_path)
    yield t
    t.close()


def run(rt: Runtime, transport: DiscordTransport, clock: FakeClock, at: timedelta = timedelta(0)) -> int:
    return deliver_pending(sessions=rt.sessions, transport=transport, now=T0 + at,
                           titles={seed.kuril_id(rt): "/kuril"}, sleep=clock.sleep, monotonic=clock.monotonic)


# ------------------------------------------------------------------------------------ tests


def test_alerts_arrive_once_in_order_without_mentions_and_with_their_key(
    discord_rt: Runtime, fake_discord: FakeDiscord, transport: DiscordTransport, clock: FakeClock
) -> None:
    ids = three_alerts(discord_rt)
    assert run(discord_rt, transport, clock) == 3
    msgs = fake_discord.posted(C1)
    assert len(msgs) == 3
    # each alert is a wire flash: what changed, in words
    assert "summit will be held in Brunei" in shown(msgs[0]) and "has been postponed" in shown(msgs[1])
    assert "summit will be held in Brunei" in shown(msgs[2])
    assert clock.sleeps == [1.0, 1.0]  # about one message a second in one channel; no rate limit hit
    for delivery_id, msg, call in zip(ids, msgs, fake_discord.calls_to(POST), strict=True):
        key = f"ntrack-delivery-{delivery_id}"
        d = seed.delivery(discord_rt, delivery_id)
        assert (d.state, d.external_id, d.attempts) == ("sent", msg["id"], 1)
        assert footer(msg) == key
        assert call.body["allowed_mentions"] == {"parse": []}
        assert call.body["nonce"] == nonce(key) and len(call.body["nonce"]) <= 25 and call.body["enforce_nonce"] is True
        assert "flags" not in call.body
        assert call.params == {"channel": C1}
        assert call.headers["authorization"] == f"Bot {BOT_TOKEN}"
        assert call.headers["user-agent"] == USER_AGENT
        assert USER_AGENT.startswith("DiscordBot (https://") and USER_AGENT.endswith(")")
    assert run(discord_rt, transport, clock, at=timedelta(hours=1)) == 0
    assert len(fake_discord.posted(C1)) == 3
    assert not fake_discord.calls_to(GET)  # nothing was in doubt: no history read


def test_text_from_articles_cannot_ping_anyone(fake_discord: FakeDiscord, transport: DiscordTransport) -> None:
    hostile = Reply(title="@everyone Putin & Mori to meet <@&123> in Brunei", in_channel=False,
                    sections=[Section("Source", [Line(text="@here read this")])])
    transport.send(C1, hostile, key="ntrack-notice-7")
    [call] = fake_discord.calls_to(POST)
    assert call.body["allowed_mentions"] == {"parse": []}
    assert "flags" not in call.body  # not ephemeral: a channel post
    raw = json.dumps(call.body, ensure_ascii=False)
    assert "@everyone" not in raw and "@here" not in raw and "<@&123>" not in raw


def test_channels_take_turns(discord_rt: Runtime, fake_discord: FakeDiscord, transport: DiscordTransport,
                             clock: FakeClock) -> None:
    subscribe(discord_rt, C1)
    subscribe(discord_rt, C2)
    ev = seed.add_event(discord_rt)
    seed.add_change(discord_rt, ev, old="proposed", new="scheduled")
    seed.add_change(discord_rt, ev, old="scheduled", new="held")
    assert run(discord_rt, transport, clock) == 4
    assert [c.params["channel"] for c in fake_discord.calls_to(POST)] == [C1, C2, C1, C2]


def test_rate_limit_waits_as_long_as_discord_asks_and_loses_nothing(
    discord_rt: Runtime, fake_discord: FakeDiscord, transport: DiscordTransport, clock: FakeClock
) -> None:
    ids = three_alerts(discord_rt)
    subscribe(discord_rt, C2)  # same guild: paused too
    fake_discord.fail_next(POST, 429, retry_after=30)
    assert run(discord_rt, transport, clock) == 0
    assert len(fake_discord.calls_to(POST)) == 1
    first = seed.delivery(discord_rt, ids[0])
    assert first.state == "pending" and first.attempts == 0  # a rate limit is not a failed try
    assert "retry after 30 s" in (first.last_error or "")
    clock.t += 20
    assert run(discord_rt, transport, clock, at=timedelta(seconds=20)) == 0  # still inside retry_after
    assert len(fake_discord.calls_to(POST)) == 1  # not even asked: the route's bucket is empty for 30 s
    clock.t += 11
    assert run(discord_rt, transport, clock, at=timedelta(seconds=31)) == 3
    msgs = fake_discord.posted(C1)
    assert [footer(msg) for msg in msgs] == [f"ntrack-delivery-{i}" for i in ids]  # each once, in order
    assert len(fake_discord.calls_to(POST)) == 4
    assert not fake_discord.calls_to(GET)  # a 429 posted nothing: no need to look


def test_server_error_after_the_post_took_effect_is_found_not_repeated(
    discord_rt: Runtime, fake_discord: FakeDiscord, transport: DiscordTransport, clock: FakeClock
) -> None:
    ids = three_alerts(discord_rt)
    fake_discord.fail_next(POST, 502, after_effect=True)  # Discord posted, then failed to answer
    assert run(discord_rt, transport, clock) == 0
    first = seed.delivery(discord_rt, ids[0])
    assert (first.state, first.attempts, first.last_error) == ("pending", 1, "Discord answered HTTP 502")
    assert len(fake_discord.posted(C1)) == 1  # and the later alerts waited: order per channel
    # Discord's message list does not echo a nonce: the retry must find the post by its footer.
    fake_discord.messages[C1][0]["nonce"] = None
    clock.t += 10
    assert run(discord_rt, transport, clock, at=timedelta(seconds=10)) == 0  # backing off
    clock.t += 110
    assert run(discord_rt, transport, clock, at=timedelta(minutes=2)) == 2
    msgs = fake_discord.posted(C1)
    assert [footer(msg) for msg in msgs] == [f"ntrack-delivery-{i}" for i in ids]
    assert seed.delivery(discord_rt, ids[0]).external_id == msgs[0]["id"]
    assert [c.route for c in fake_discord.calls][-4:] == [POST, GET, POST, POST]
    assert fake_discord.calls_to(GET)[0].params == {"channel": C1}


def test_a_repeated_post_with_the_same_nonce_returns_the_first_message(
    discord_rt: Runtime, fake_discord: FakeDiscord, transport: DiscordTransport
) -> None:
    """The second line of defence: a post repeated within minutes (enforce_nonce) is answered with the first."""
    key = "ntrack-delivery-41"
    first = transport.send(C1, Reply(title="x", in_channel=True), key=key)
    again = transport.send(C1, Reply(title="x", in_channel=True), key=key)
    assert first == again and len(fake_discord.posted(C1)) == 1
    assert transport.find(C1, key=key) == first
    assert transport.find(C1, key="ntrack-delivery-999999") is None


@pytest.mark.parametrize(("channel", "code", "words"), [(GONE, 10003, "Unknown Channel"),
                                                        (FORBIDDEN, 50013, "Missing Permissions")])
def test_gone_or_forbidden_channel_is_parked_at_once_and_shown_in_sources(
    discord_rt: Runtime, fake_discord: FakeDiscord, transport: DiscordTransport, clock: FakeClock,
    channel: str, code: int, words: str,
) -> None:
    fake_discord.gone.add(GONE)
    fake_discord.forbidden.add(FORBIDDEN)
    subscribe(discord_rt, channel)
    subscribe(discord_rt, C1)
    ev = seed.add_event(discord_rt)
    first = seed.add_change(discord_rt, ev, old="proposed", new="scheduled")
    second = seed.add_change(discord_rt, ev, old="scheduled", new="held")
    assert run(discord_rt, transport, clock) == 2  # C1 gets both
    to_closed = [c for c in fake_discord.calls if c.params.get("channel") == channel]
    assert len(to_closed) == 1, "one answer is enough: the channel's next alert is parked without asking"
    with discord_rt.sessions.begin() as s:
        rows = s.query(m.Outbox).filter(m.Outbox.id.in_(first + second)).all()
        closed = [(r.state, r.attempts, r.last_error) for r in rows if r.subscription.channel == channel]
        sent = [r.state for r in rows if r.subscription.channel == C1]
    assert closed == [("parked", 1, f"Discord: {words} (code {code})")] * 2
    assert sent == ["sent", "sent"]
    clock.t += 3600
    assert run(discord_rt, transport, clock, at=timedelta(hours=1)) == 0
    assert len([c for c in fake_discord.calls if c.params.get("channel") == channel]) == 1  # never retried
    reply = answer(discord_rt, discord_rt.tracker("kuril"), "sources", platform="discord", team_id=GUILD_ID)
    text = render_text(reply)
    assert "Alerts not delivered" in text
    assert f"to {channel}: gave up after 1 tries (Discord: {words} (code {code}))" in text
    other = answer(discord_rt, discord_rt.tracker("kuril"), "sources", platform="discord",
                   team_id="299999999999999999")
    assert "None: every alert went out." in render_text(other)


def test_a_channel_that_is_not_a_snowflake_is_parked_without_asking(
    discord_rt: Runtime, fake_discord: FakeDiscord, transport: DiscordTransport, clock: FakeClock
) -> None:
    subscribe(discord_rt, "general")
    seed.add_change(discord_rt, seed.add_event(discord_rt))
    assert run(discord_rt, transport, clock) == 0
    assert fake_discord.calls == []
    with discord_rt.sessions.begin() as s:
        assert [(r.state, r.last_error) for r in s.query(m.Outbox)] == [
            ("parked", "'general' is not a Discord channel id")]


def test_weekly_summary_reaches_a_discord_channel_through_the_worker_jobs(
    discord_rt: Runtime, fake_discord: FakeDiscord
) -> None:
    """`run_due` as `ntrack worker --once` runs it: NOW is Monday 6 Nov 2000, 12:00 UTC, past the
    default slot (Monday 09:00 UTC), so the channel's first weekly summary is due, with its alert."""
    subscribe(discord_rt, C1)
    seed.add_change(discord_rt, seed.add_event(discord_rt))
    lines = list(run_due(discord_rt))
    assert lines[0].startswith(f"weekly summary to {C1}"), lines
    assert "outbox: 2 posted to discord" in lines
    alert, summary = fake_discord.posted(C1)
    assert shown(alert).startswith("/kuril: A summit")
    assert "week to 6 Nov 2000" in shown(summary)
    assert footer(summary) != footer(alert)
    for msg in (alert, summary):
        assert msg["allowed_mentions"] == {"parse": []} and msg["flags"] == 0
    assert list(run_due(discord_rt))[-1] == "outbox: 0 posted to discord"  # each once


def with_paging(fake: FakeDiscord) -> list[dict[str, str]]:
    """The fake's message list honouring `before` (it answers the newest page only); the queries made."""
    real = fake.handle
    queries: list[dict[str, str]] = []

    def handle(method: str, path: str, query: dict[str, str], body: Any,
               headers: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        status, answer, extra = real(method, path, query, body, headers)
        if method == "GET" and status == 200:
            queries.append(dict(query))
            msgs = list(reversed(fake.messages.get(path.split("/")[-2], [])))
            if "before" in query:
                msgs = [msg for msg in msgs if int(msg["id"]) < int(query["before"])]
            answer = msgs[: int(query.get("limit", 50))]
        return status, answer, extra

    fake.handle = handle  # type: ignore[method-assign,assignment]
    return queries


def test_find_reads_a_few_pages_of_history_newest_first(fake_discord: FakeDiscord,
                                                         transport: DiscordTransport) -> None:
    queries = with_paging(fake_discord)
    fake_discord.messages[C1] = [{"id": str(10**17 + i), "embeds": [{"footer": {"text": f"ntrack-delivery-{i}"}}],
                                  "nonce": None} for i in range(200)]
    assert transport.find(C1, key="ntrack-delivery-120") == str(10**17 + 120)  # on the second page
    assert queries == [{"limit": "50"}, {"limit": "50", "before": str(10**17 + 150)}]
    queries.clear()
    assert transport.find(C1, key="ntrack-delivery-10") is None  # older than a crash can leave behind
    assert len(queries) == 3


def test_a_history_the_bot_may_not_read_leaves_posting_to_the_nonce(
    fake_discord: FakeDiscord, transport: DiscordTransport
) -> None:
    fake_discord.fail_next(GET, 403, code=50001)
    assert transport.find(C1, key="ntrack-delivery-5") is None
    transport.send(C1, Reply(title="x", in_channel=True), key="ntrack-delivery-5")  # the channel is not closed
    assert [c.route for c in fake_discord.calls] == [GET, POST]


def test_without_a_bot_token_rows_wait_instead_of_being_parked(discord_rt: Runtime, fake_discord: FakeDiscord,
                                                               clock: FakeClock) -> None:
    no_token = DiscordSettings(DISCORD_API_URL=fake_discord.api_url, DISCORD_BOT_TOKEN="")
    ids = three_alerts(discord_rt)
    assert run(discord_rt, DiscordTransport(no_token), clock) == 0
    first = seed.delivery(discord_rt, ids[0])
    assert (first.state, first.attempts) == ("pending", 0) and "DISCORD_BOT_TOKEN" in (first.last_error or "")
    assert fake_discord.calls == []
