"""Interactions as Discord sends them: signed POSTs to /discord/interactions on the web process,
answered from the database (type 4), deferred when slow (type 5, then PATCH @original on the fake
Discord), refused with 401 when the signature does not verify."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.exc import OperationalError
from starlette.testclient import TestClient

from bot import service
from bot.app import Runtime, open_runtime
from bot.platforms.discord import render, web
from bot.settings import Settings
from bot.web import create_app
from db import models as m
from tests.conftest import ROOT
from tests.discord.conftest import (
    CHANNEL,
    MANAGE_GUILD,
    NOW,
    PUBLIC_KEY,
    command,
    discord_settings,
    interact,
    signed,
)
from tests.discord.fake_discord import APPLICATION_ID, BOT_TOKEN, GUILD_ID, FakeDiscord
from tests.slack import seed

EVIL = "@everyone <@&123> **bold** [x](https://evil.example)"


def cmd(sub: str, *, command_name: str = "kuril", **options: Any) -> dict[str, Any]:
    """`command()` of conftest, whose own `name` keyword is the command's: here `name=` is the option
    (`/kuril who name:...`) and `command_name=` the command; `permissions`, `token`, `channel`, `guild`
    go to `command()`."""
    own = {k: options.pop(k) for k in ("permissions", "token", "channel", "guild") if k in options}
    payload = command(sub, name=command_name, **own)
    payload["data"]["options"][0]["options"] = [
        {"type": 5 if isinstance(v, bool) else 4 if isinstance(v, int) else 3, "name": k, "value": v}
        for k, v in options.items()]
    return payload


def embed_of(resp: Any) -> dict[str, Any]:
    body = resp.json()
    assert body["type"] == 4, body
    [embed] = body["data"]["embeds"]
    return dict(embed)


def text_of(resp: Any) -> str:
    embed = embed_of(resp)
    return f"{embed['title']}\n{embed.get('description', '')}"


def assert_no_mentions(data: dict[str, Any]) -> None:
    assert data["allowed_mentions"] == {"parse": []}


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The command texts the core was asked to answer."""
    seen: list[str] = []
    real = service.answer

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "answer", spy)
    return seen


# ------------------------------------------------------------------------------ verification


def test_ping_is_answered_with_pong(discord_web: TestClient) -> None:
    resp = interact(discord_web, {"type": 1, "id": "1", "application_id": APPLICATION_ID, "token": "t", "version": 1})
    assert resp.status_code == 200
    assert resp.json() == {"type": 1}


def _probe(kind: str, body: bytes) -> tuple[bytes, dict[str, str]]:
    headers = signed(body)
    if kind == "wrong key":
        headers = signed(body, key=Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33))))
    elif kind == "tampered body":
        body = body.replace(CHANNEL.encode(), b"300000000000000666")
    elif kind == "missing signature":
        del headers["X-Signature-Ed25519"]
    elif kind == "missing timestamp":
        del headers["X-Signature-Timestamp"]
    elif kind == "no headers":
        headers = {"Content-Type": "application/json"}
    elif kind == "non-hex signature":
        headers["X-Signature-Ed25519"] = "zz" + headers["X-Signature-Ed25519"][2:]
    elif kind == "short signature":
        headers["X-Signature-Ed25519"] = headers["X-Signature-Ed25519"][:-2]
    elif kind == "signature with spaces":
        headers["X-Signature-Ed25519"] = headers["X-Signature-Ed25519"][:-2] + " a"
    elif kind == "non-numeric timestamp":
        headers["X-Signature-Timestamp"] = "yesterday"
    elif kind == "stale timestamp":
        headers = signed(body, timestamp=int(time.time()) - 6 * 60)
    elif kind == "future timestamp":
        headers = signed(body, timestamp=int(time.time()) + 6 * 60)
    elif kind == "signature of another timestamp":
        headers["X-Signature-Timestamp"] = str(int(headers["X-Signature-Timestamp"]) - 1)
    return body, headers


PROBES = ["wrong key", "tampered body", "missing signature", "missing timestamp", "no headers", "non-hex signature",
          "short signature", "signature with spaces", "non-numeric timestamp", "stale timestamp", "future timestamp",
          "signature of another timestamp"]


@pytest.mark.parametrize("kind", PROBES)
def test_unverified_interactions_get_401_and_nothing_runs(
    discord_rt: Runtime, discord_web: TestClient, answers: list[str], kind: str
) -> None:
    body, headers = _probe(kind, json.dumps(cmd("subscribe", permissions=MANAGE_GUILD)).encode())
    resp = discord_web.post("/discord/interactions", content=body, headers=headers)
    assert resp.status_code == 401
    assert answers == []  # the command was not run
    with discord_rt.sessions.begin() as s:
        assert s.query(m.Subscription).count() == 0


@pytest.mark.parametrize("kind", ["wrong key", "missing signature", "stale timestamp"])
def test_an_unverified_ping_gets_401(discord_web: TestClient, kind: str) -> None:
    body, headers = _probe(kind, b'{"type": 1}')
    assert discord_web.post("/discord/interactions", content=body, headers=headers).status_code == 401


def test_a_probe_with_malformed_headers_is_refused_before_its_body_is_read(
    discord_web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[bool] = []
    real = web.read_body

    async def spy(request: Any, limit: int, timeout: float) -> Any:
        read.append(True)
        return await real(request, limit, timeout)

    monkeypatch.setattr(web, "read_body", spy)
    body = json.dumps(cmd("status")).encode()
    for kind in ("missing signature", "non-hex signature", "stale timestamp"):
        payload, headers = _probe(kind, body)
        assert discord_web.post("/discord/interactions", content=payload, headers=headers).status_code == 401
    assert read == []
    assert interact(discord_web, cmd("help")).status_code == 200 and read == [True]


def test_a_body_over_the_cap_is_refused_unparsed(discord_web: TestClient, answers: list[str]) -> None:
    payload = cmd("search", words="x")
    payload["padding"] = "x" * (Settings().max_request_bytes + 1)
    body = json.dumps(payload).encode()
    resp = discord_web.post("/discord/interactions", content=body, headers=signed(body))
    assert resp.status_code == 413
    assert answers == []

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap holds while streaming
        for i in range(0, len(body), 4096):
            yield body[i:i + 4096]

    resp = discord_web.post("/discord/interactions", content=chunks(), headers=signed(body))
    assert resp.status_code == 413
    assert answers == []


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"ping"', b"\xff\xfe", b"[" * 5000 + b"]" * 5000])
def test_a_verified_body_that_is_not_a_json_object_gets_400_in_one_line(discord_web: TestClient, body: bytes) -> None:
    resp = discord_web.post("/discord/interactions", content=body, headers=signed(body))
    assert resp.status_code == 400
    assert resp.text.count("\n") == 1 and "Traceback" not in resp.text


@pytest.mark.parametrize("kind", [3, 5, 99, "2", True, None])
def test_unknown_interaction_types_get_400(discord_web: TestClient, kind: Any) -> None:
    payload = cmd("status")
    payload["type"] = kind
    assert interact(discord_web, payload).status_code == 400


# ---------------------------------------------------------------------------------- commands

SUBCOMMANDS: list[tuple[str, dict[str, Any], str]] = [
    ("status", {}, "status as of 6 Nov 2000"),
    ("next", {}, "Scheduled and proposed"),
    ("timeline", {"count": 3}, "Timeline (last 3)"),
    ("deadlines", {}, "Target dates"),
    ("events", {"type": "summit"}, "Recent summit events"),
    ("who", {"name": "Putin"}, "Vladimir Putin"),
    ("search", {"words": "Brunei"}, "Search: Brunei"),
    ("sources", {}, "Alerts not delivered"),
    ("subscribe", {"level": "major"}, "Subscribed: this channel will get major changes"),
    ("unsubscribe", {}, "This channel was not subscribed."),
    ("summary-time", {"day": "fri", "time": "17:30", "zone": "Asia/Tokyo"}, "every Fri 17:30 Asia/Tokyo"),
    ("summary", {}, "week to 6 Nov 2000"),
    ("help", {}, "/kuril who name:"),
]


@pytest.mark.parametrize("public", [False, True])
@pytest.mark.parametrize(("sub", "options", "expected"), SUBCOMMANDS, ids=[s[0] for s in SUBCOMMANDS])
def test_every_subcommand_is_answered_at_once(
    discord_rt: Runtime, discord_web: TestClient, sub: str, options: dict[str, Any], expected: str, public: bool
) -> None:
    seed.add_event(discord_rt)
    extra: dict[str, Any] = {"public": True} if public else {}
    resp = interact(discord_web, cmd(sub, permissions=MANAGE_GUILD, **options, **extra))
    assert resp.status_code == 200
    data = resp.json()["data"]
    assert_no_mentions(data)
    assert expected in text_of(resp)
    assert "not allowed" not in text_of(resp)
    if public:
        assert "flags" not in data
    else:
        assert data["flags"] == 64


def test_options_reach_the_core_as_its_command_text(discord_web: TestClient, answers: list[str]) -> None:
    interact(discord_web, cmd("timeline", count=50))
    interact(discord_web, cmd("events", type="talks"))
    interact(discord_web, cmd("who", name="  Yoshiro  Mori "))
    interact(discord_web, cmd("search", words="Japan public"))
    interact(discord_web, cmd("summary-time", permissions=MANAGE_GUILD, day="mon"))
    interact(discord_web, cmd("sources", permissions=MANAGE_GUILD, action="remove", url="https://a.example/rss"))
    assert answers == ["timeline 50", "events talks", "who Yoshiro Mori", "search 'Japan public'",
                       "subscribe weekly mon", "sources remove https://a.example/rss"]


def test_search_for_a_last_word_public_keeps_it(discord_rt: Runtime, discord_web: TestClient) -> None:
    assert "Search: Russia public" in text_of(interact(discord_web, cmd("search", words="Russia public")))


def test_a_malformed_option_gets_the_help_and_a_reason(discord_web: TestClient) -> None:
    text = text_of(interact(discord_web, cmd("summary-time", permissions=MANAGE_GUILD, time="25:99")))
    assert "/kuril who NAME" in text and "summary" in text.lower()


def test_a_command_of_no_tracker_is_explained(discord_web: TestClient) -> None:
    text = text_of(interact(discord_web, cmd("status", command_name="gone")))
    assert "/gone is not a command of this ntrack" in text and "ntrack discord register" in text


def test_a_failing_database_gets_a_clear_ephemeral_message(
    discord_web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(service, "answer", broken)
    resp = interact(discord_web, cmd("status", public=True))
    assert resp.status_code == 200
    assert "cannot read its database" in text_of(resp)
    assert resp.json()["data"]["flags"] == 64
    assert "Traceback" not in resp.text and "connection refused" not in resp.text


def test_every_tracker_brings_its_command(db_url: str, fake_discord: FakeDiscord, tmp_path: Any) -> None:
    (tmp_path / "cyprus.toml").write_text(
        'slug = "cyprus"\ntitle = "Cyprus reunification talks"\ncommand = "/cyprus"\nkeywords = ["Cyprus"]\n'
    )
    rt = open_runtime(discord_settings(db_url, fake_discord, NTRACK_TRACKERS_DIR=str(tmp_path)), migrate=True)
    try:
        with TestClient(create_app(rt), base_url="https://testserver") as client:
            assert "Cyprus reunification talks" in text_of(interact(client, cmd("help", command_name="cyprus")))
            assert "Russia-Japan peace treaty" in text_of(interact(client, cmd("help", command_name="kuril")))
    finally:
        rt.engine.dispose()


# ---------------------------------------------------------------------------------- deferral


def test_a_slow_answer_defers_at_once_and_edits_the_original(
    discord_web: TestClient, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = service.answer

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.8)
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "answer", slow)
    monkeypatch.setattr(web, "ANSWER_WITHIN", 0.1)
    started = time.monotonic()
    resp = interact(discord_web, cmd("status", token="slow-token"))
    assert time.monotonic() - started < 0.7
    assert resp.json() == {"type": 5, "data": {"flags": 64, "allowed_mentions": {"parse": []}}}
    deadline = time.monotonic() + 10
    while not fake_discord.edits.get("slow-token") and time.monotonic() < deadline:
        time.sleep(0.05)
    [edit] = fake_discord.edits["slow-token"]
    [call] = fake_discord.calls_to("PATCH webhooks/original")
    assert call.params == {"app": APPLICATION_ID, "token": "slow-token"}
    assert "authorization" not in call.headers  # the interaction token is the credential
    assert "status as of 6 Nov 2000" in edit["embeds"][0]["title"]
    assert edit["allowed_mentions"] == {"parse": []} and "flags" not in edit


def test_a_slow_public_answer_defers_publicly(
    discord_web: TestClient, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = service.answer

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "answer", slow)
    monkeypatch.setattr(web, "ANSWER_WITHIN", 0.05)
    resp = interact(discord_web, cmd("deadlines", token="public-token", public=True))
    assert resp.json() == {"type": 5, "data": {"allowed_mentions": {"parse": []}}}
    deadline = time.monotonic() + 10
    while not fake_discord.edits.get("public-token") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "Target dates" in fake_discord.edits["public-token"][0]["embeds"][0]["description"]


def test_a_command_still_queued_behind_slow_ones_is_answered_later(
    discord_rt: Runtime, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = service.answer

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.4)
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "answer", slow)
    monkeypatch.setattr(web, "ANSWER_WITHIN", 0.05)
    monkeypatch.setattr(web, "WORKERS", 1)  # the second command waits for a thread while the first runs
    with TestClient(create_app(discord_rt), base_url="https://testserver") as client:
        for token in ("first-token", "queued-token"):
            assert interact(client, cmd("next", token=token)).json()["type"] == 5
        deadline = time.monotonic() + 10
        while len(fake_discord.calls_to("PATCH webhooks/original")) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    for token in ("first-token", "queued-token"):
        assert fake_discord.edits[token][0]["embeds"][0]["title"] == "Next"


def test_a_slow_failing_database_edits_the_original_with_the_apology(
    discord_web: TestClient, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        raise OperationalError("SELECT 1", {}, Exception("timeout"))

    monkeypatch.setattr(service, "answer", broken)
    monkeypatch.setattr(web, "ANSWER_WITHIN", 0.05)
    assert interact(discord_web, cmd("status", token="sorry-token")).json()["type"] == 5
    deadline = time.monotonic() + 10
    while not fake_discord.edits.get("sorry-token") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "cannot read its database" in fake_discord.edits["sorry-token"][0]["embeds"][0]["title"]


# ---------------------------------------------------------------------------- Manage Server

NEEDS_MANAGER = [
    ("subscribe", {}, "subscribe this channel to alerts"),
    ("subscribe", {"level": "major"}, "subscribe this channel to alerts"),
    ("unsubscribe", {}, "unsubscribe this channel"),
    ("summary-time", {"day": "mon"}, "set when this channel gets the weekly summary"),
    ("sources", {"action": "add", "url": "https://feeds.example/rss"}, "add sources"),
    ("sources", {"action": "remove", "url": "https://feeds.example/rss"}, "remove sources"),
]


@pytest.mark.parametrize(("sub", "options", "what"), NEEDS_MANAGER)
def test_changing_a_channel_or_sources_needs_manage_server(
    discord_rt: Runtime, discord_web: TestClient, answers: list[str], sub: str, options: dict[str, Any], what: str
) -> None:
    everything_else = (1 << 40) - 1 - MANAGE_GUILD - (1 << 3)  # every bit but Manage Server and Administrator
    for permissions in (0, everything_else):
        resp = interact(discord_web, cmd(sub, permissions=permissions, public=True, **options))
        assert embed_of(resp)["title"] == f"Only members with Manage Server can {what}."
        assert resp.json()["data"]["flags"] == 64  # a refusal is for the one who asked
    assert answers == []
    with discord_rt.sessions.begin() as s:
        assert s.query(m.Subscription).count() == 0
        assert s.query(m.Source).count() == 0


def test_a_member_with_manage_server_subscribes_the_channel(discord_rt: Runtime, discord_web: TestClient) -> None:
    resp = interact(discord_web, cmd("subscribe", permissions=MANAGE_GUILD, level="major"))
    assert "Subscribed" in embed_of(resp)["title"]
    resp = interact(discord_web, cmd("summary-time", permissions=MANAGE_GUILD, day="fri", time="17:30",
                                         zone="Asia/Tokyo"))
    assert "every Fri 17:30 Asia/Tokyo" in embed_of(resp)["title"]
    with discord_rt.sessions.begin() as s:
        sub = s.query(m.Subscription).one()
        assert (sub.platform, sub.team_id, sub.channel, sub.level, sub.active) == (
            "discord", GUILD_ID, CHANNEL, "major", True)
        assert (sub.weekly_day, sub.weekly_time, sub.timezone) == (4, "17:30", "Asia/Tokyo")
    interact(discord_web, cmd("unsubscribe", permissions=MANAGE_GUILD))
    with discord_rt.sessions.begin() as s:
        assert s.query(m.Subscription).one().active is False


def test_an_administrator_may_manage_too(discord_rt: Runtime, discord_web: TestClient) -> None:
    interact(discord_web, cmd("subscribe", permissions=1 << 3))
    with discord_rt.sessions.begin() as s:
        assert s.query(m.Subscription).one().platform == "discord"


def test_a_member_with_manage_server_adds_and_removes_a_source(
    discord_rt: Runtime, discord_web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    real = socket.getaddrinfo

    def resolve(host: str, *args: Any, **kwargs: Any) -> Any:  # feeds.example: a public address, never reached
        if host == "feeds.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 443))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    url = "https://feeds.example/rss"
    added = text_of(interact(discord_web, cmd("sources", permissions=MANAGE_GUILD, action="add", url=url)))
    assert f"Source added: {url}" in added
    with discord_rt.sessions.begin() as s:
        assert [src.url for src in s.query(m.Source)] == [url]
    removed = text_of(interact(discord_web, cmd("sources", permissions=MANAGE_GUILD, action="remove", url=url)))
    assert f"Source removed: {url}" in removed


def test_in_a_direct_message_reading_works_and_managing_is_refused(discord_web: TestClient) -> None:
    dm = cmd("status")
    del dm["guild_id"], dm["member"]
    dm["user"] = {"id": "500000000000000005", "username": "analyst"}
    assert "status as of" in text_of(interact(discord_web, dm))
    dm = cmd("subscribe", permissions=MANAGE_GUILD)
    del dm["guild_id"]
    assert "Only members with Manage Server" in text_of(interact(discord_web, dm))


# ---------------------------------------------------------------------- mentions and limits


def test_article_text_cannot_ping_or_restyle(discord_rt: Runtime, discord_web: TestClient) -> None:
    seed.add_event(discord_rt, title=EVIL, url="https://news.example/evil")
    for sub, options in (("status", {}), ("timeline", {}), ("search", {"words": "bold"}), ("summary", {})):
        resp = interact(discord_web, cmd(sub, public=True, **options))
        data = resp.json()["data"]
        assert_no_mentions(data)
        text = text_of(resp)
        assert "@\u200beveryone" in text and "@everyone" not in text
        assert "<@&123>" not in text and "\\<@\u200b&123>" in text
        assert "**bold**" not in text and "\\*\\*bold\\*\\*" in text
        assert "[x](" not in text.replace("\\[x\\](", "")
        assert "\\[x\\](https://evil.example)" in text


def test_a_long_answer_stays_within_discords_embed_limits(discord_rt: Runtime, discord_web: TestClient) -> None:
    long_title = "Putin and Mori " + "agree to keep talking about the islands and the treaty " * 8
    for i in range(60):
        seed.add_event(discord_rt, day=date(2000, 1 + i % 12, 1 + i % 28), n=i, title=f"{long_title} #{i}",
                       url=f"https://news.example/{i}?" + "q=1&" * 40)
    resp = interact(discord_web, cmd("timeline", count=50))
    embed = embed_of(resp)
    assert len(embed["title"]) <= 256
    assert len(embed["description"]) <= 4096
    assert len(embed["title"]) + len(embed["description"]) + len(embed.get("footer", {}).get("text", "")) <= 6000
    assert "more lines not shown" in embed["description"]
    assert "/kuril timeline count:10" in embed["description"]
    assert len(json.dumps(resp.json())) < 20_000


# ------------------------------------------------------------------------------ autocomplete


def _autocomplete(typed: str, *, sub: str = "who", option: str = "name") -> dict[str, Any]:
    payload = cmd(sub)
    payload["type"] = 4
    payload["data"]["options"][0]["options"] = [{"type": 3, "name": option, "value": typed, "focused": True}]
    return payload


def test_autocomplete_offers_matching_names_and_aliases(discord_web: TestClient) -> None:
    resp = interact(discord_web, _autocomplete("put"))
    assert resp.status_code == 200
    body = resp.json()
    assert body["type"] == 8
    assert {"name": "Vladimir Putin", "value": "Vladimir Putin"} in body["data"]["choices"]
    names = [c["value"] for c in interact(discord_web, _autocomplete("MORI")).json()["data"]["choices"]]
    assert "Yoshiro Mori" in names
    everyone = interact(discord_web, _autocomplete("")).json()["data"]["choices"]
    assert 1 <= len(everyone) <= 25
    assert all(1 <= len(c["name"]) <= 100 and 1 <= len(c["value"]) <= 100 for c in everyone)
    assert interact(discord_web, _autocomplete("%")).json()["data"]["choices"] == []
    assert interact(discord_web, _autocomplete("zzzz")).json()["data"]["choices"] == []


def test_autocomplete_of_an_alias_names_the_actor(discord_rt: Runtime, discord_web: TestClient) -> None:
    tid = seed.kuril_id(discord_rt)
    with discord_rt.sessions.begin() as s:
        putin = s.query(m.Actor).filter_by(tracker_id=tid, name="Vladimir Putin").one()
        s.add(m.ActorAlias(actor_id=putin.id, alias="Volodya"))
    choices = interact(discord_web, _autocomplete("volod")).json()["data"]["choices"]
    assert choices == [{"name": "Vladimir Putin (Volodya)", "value": "Vladimir Putin"}]
    # the value is what `who` finds
    assert "Vladimir Putin" in embed_of(interact(discord_web, cmd("who", name=choices[0]["value"])))["title"]


def test_autocomplete_of_another_option_offers_nothing(discord_web: TestClient) -> None:
    resp = interact(discord_web, _autocomplete("Bru", sub="search", option="words"))
    assert resp.json() == {"type": 8, "data": {"choices": []}}


def test_autocomplete_with_a_failing_database_offers_nothing(
    discord_web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("SELECT 1", {}, Exception("down"))

    monkeypatch.setattr(web.reads, "actor_names", broken)
    assert interact(discord_web, _autocomplete("put")).json() == {"type": 8, "data": {"choices": []}}


# ------------------------------------------------------------------------------ the process


def test_the_route_is_there_only_with_a_public_key(db_url: str, fake_discord: FakeDiscord) -> None:
    rt = open_runtime(discord_settings(db_url, fake_discord, DISCORD_PUBLIC_KEY=""), migrate=True)
    try:
        assert not any(getattr(r, "path", "") == "/discord/interactions" for r in create_app(rt).routes)
    finally:
        rt.engine.dispose()


def test_a_malformed_public_key_is_a_clear_error_at_start(db_url: str, fake_discord: FakeDiscord) -> None:
    from bot.errors import UserError

    rt = open_runtime(discord_settings(db_url, fake_discord, DISCORD_PUBLIC_KEY="not-a-key"), migrate=True)
    try:
        with pytest.raises(UserError, match="DISCORD_PUBLIC_KEY"):
            create_app(rt)
    finally:
        rt.engine.dispose()


def test_web_process_with_discord_never_imports_spacy(db_url: str, fake_discord: FakeDiscord) -> None:
    code = (
        "import sys\n"
        "from bot.app import open_runtime\nfrom bot.settings import Settings\nfrom bot.web import create_app\n"
        "app = create_app(open_runtime(Settings(), migrate=True))\n"
        "assert any(getattr(r, 'path', '') == '/discord/interactions' for r in app.routes)\n"
        "assert 'spacy' not in sys.modules, 'the web process loaded spaCy'\n"
    )
    env = {**os.environ, "DATABASE_URL": db_url, "NTRACK_NOW": NOW, "DISCORD_APPLICATION_ID": APPLICATION_ID,
           "DISCORD_PUBLIC_KEY": PUBLIC_KEY, "DISCORD_BOT_TOKEN": BOT_TOKEN, "DISCORD_API_URL": fake_discord.api_url}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_render_message_is_what_the_interaction_sends(discord_rt: Runtime, discord_web: TestClient) -> None:
    """The response's data is render.message of the core's reply (one rendering for every path)."""
    from bot.platforms.discord import PLATFORM

    reply = service.answer(discord_rt, discord_rt.tracker("kuril"), "deadlines", platform="discord",
                           admins=PLATFORM.admins)
    expected = render.message(reply, more_hint=web._hint("kuril"), ephemeral=True)
    assert interact(discord_web, cmd("deadlines")).json()["data"] == expected
