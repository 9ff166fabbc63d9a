"""The REST client's rate limits and failures: per-route buckets kept per channel, a 429's
retry_after, the global 50 requests a second shared by every process of a machine (a file under
flock), a refused token not asked again, each failure classified for the outbox.

Waits are measured on a fake clock (sleep and monotonic injected), never by the wall clock."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.platforms.discord.rest import USER_AGENT, DiscordError, DiscordRest, GlobalLimit, route_of
from bot.platforms.discord.settings import DiscordSettings
from bot.platforms.discord.transport import delivery_error
from tests.conftest import ROOT
from tests.discord.fake_discord import APPLICATION_ID, BOT_TOKEN, FakeDiscord
from tests.fakes import FakeClock

A = "320000000000000001"
B = "320000000000000002"
POST = "POST channels/messages"


def settings(fake: FakeDiscord, token: str = BOT_TOKEN) -> DiscordSettings:
    return DiscordSettings(DISCORD_BOT_TOKEN=token, DISCORD_API_URL=fake.api_url)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1000.0)


@pytest.fixture
def make_rest(fake_discord: FakeDiscord, clock: FakeClock) -> Iterator[Callable[..., DiscordRest]]:
    made: list[DiscordRest] = []

    def make(token: str = BOT_TOKEN, per_second: int = 50, max_wait: float = 10.0) -> DiscordRest:
        rest = DiscordRest(settings(fake_discord, token), sleep=clock.sleep, monotonic=clock.monotonic,
                           max_wait=max_wait,
                           global_limit=GlobalLimit(None, per_second=per_second, clock=clock.monotonic))
        made.append(rest)
        return rest

    yield make
    for rest in made:
        rest.close()


def with_limits(fake: FakeDiscord, **headers: str) -> None:
    """The fake answers with these X-RateLimit-* values instead of its own."""
    real = fake.handle

    def handle(*args: Any) -> tuple[int, Any, dict[str, str]]:
        status, body, extra = real(*args)
        if "X-RateLimit-Bucket" in extra:
            extra = {**extra, **headers}
        return status, body, extra

    fake.handle = handle  # type: ignore[method-assign,assignment]


def post(rest: DiscordRest, channel: str) -> Any:
    return rest.request("POST", f"/channels/{channel}/messages", json={"content": "hi"})


def test_routes_are_named_by_template_and_top_level_resource() -> None:
    assert route_of("post", "/channels/1234567/messages") == ("POST /channels/{id}/messages", "1234567")
    assert route_of("GET", "/channels/1234567/messages") == ("GET /channels/{id}/messages", "1234567")
    assert route_of("PATCH", f"/webhooks/{APPLICATION_ID}/tok-en/messages/@original") == (
        "PATCH /webhooks/{id}/{token}/messages/@original", f"{APPLICATION_ID}/tok-en")
    assert route_of("PUT", f"/applications/{APPLICATION_ID}/commands") == ("PUT /applications/{id}/commands", "")


def test_an_empty_bucket_makes_the_next_request_to_that_channel_wait_until_it_resets(
    fake_discord: FakeDiscord, make_rest: Callable[..., DiscordRest], clock: FakeClock
) -> None:
    with_limits(fake_discord, **{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "0.2"})
    rest = make_rest()
    post(rest, A)
    assert clock.sleeps == []
    post(rest, B)  # another channel: a bucket of its own, although Discord names the same bucket id
    assert clock.sleeps == []
    post(rest, A)
    assert clock.sleeps == [0.2]
    clock.t += 5  # long after the reset
    post(rest, B)
    assert clock.sleeps == [0.2]
    assert [c.params["channel"] for c in fake_discord.calls_to(POST)] == [A, B, A, B]


def test_a_bucket_that_resets_later_than_a_worker_may_wait_fails_at_once_without_asking(
    fake_discord: FakeDiscord, make_rest: Callable[..., DiscordRest], clock: FakeClock
) -> None:
    with_limits(fake_discord, **{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "30"})
    rest = make_rest(max_wait=10.0)
    post(rest, A)
    with pytest.raises(DiscordError) as caught:
        post(rest, A)
    assert caught.value.retry_after == pytest.approx(30.0)
    assert delivery_error(caught.value).retry_after == pytest.approx(30.0)
    assert len(fake_discord.calls) == 1 and clock.sleeps == []


def test_a_routes_429_empties_its_bucket_for_retry_after(
    fake_discord: FakeDiscord, make_rest: Callable[..., DiscordRest], clock: FakeClock
) -> None:
    rest = make_rest()
    fake_discord.fail_next(POST, 429, retry_after=2.5)
    with pytest.raises(DiscordError) as caught:
        post(rest, A)
    assert (caught.value.status, caught.value.retry_after) == (429, 2.5)
    post(rest, B)  # another channel goes at once
    assert clock.sleeps == []
    post(rest, A)
    assert clock.sleeps == [2.5]
    assert len(fake_discord.calls_to(POST)) == 3


def test_a_global_429_holds_back_every_route(
    fake_discord: FakeDiscord, make_rest: Callable[..., DiscordRest], clock: FakeClock
) -> None:
    rest = make_rest()
    fake_discord.fail_next(POST, 429, retry_after=1.5, is_global=True)
    with pytest.raises(DiscordError, match="rate limited globally"):
        post(rest, A)
    rest.request("GET", f"/channels/{B}/messages", params={"limit": 50})
    assert clock.sleeps == [1.5]


def test_global_limit_allows_50_a_second(clock: FakeClock, tmp_path: Path) -> None:
    clock.t = 1_000_000.0  # a wall clock's reading
    limit = GlobalLimit(tmp_path / "g", clock=clock.monotonic)
    assert limit.shared
    waits = [limit.reserve() for _ in range(50)]
    assert waits == [0.0] * 50
    assert limit.reserve() == pytest.approx(1.0)  # the 51st in this second waits for the first's to end
    assert limit.reserve() == pytest.approx(1.0)
    clock.t += 1.0
    assert limit.reserve() == pytest.approx(0.0, abs=1e-9)
    limit.block(3.0)
    with pytest.raises(DiscordError) as caught:
        limit.reserve(max_wait=2.0)  # longer than we may wait: nothing reserved, retry later
    assert caught.value.retry_after == pytest.approx(3.0)
    assert limit.reserve(max_wait=5.0) == pytest.approx(3.0)
    # a clock set back an hour: what lies far in the future is dropped, not waited for
    clock.t -= 3600
    assert limit.reserve() == 0.0
    limit.close()


def test_global_limit_file_is_named_by_the_tokens_hash(tmp_path: Path) -> None:
    one = GlobalLimit.for_token("token-one", directory=tmp_path)
    two = GlobalLimit.for_token("token-two", directory=tmp_path)
    assert one.path is not None and two.path is not None and one.path != two.path
    assert "token" not in one.path.name and one.path.parent == tmp_path
    assert oct(one.path.stat().st_mode & 0o777) == oct(0o600)
    one.close()
    two.close()


RESERVER = """
import json, sys, time
from pathlib import Path
from bot.platforms.discord.rest import GlobalLimit
seen = []
def clock():  # the wall clock, as GlobalLimit reads it; the reserved instant is its reading + the wait
    seen.append(time.time())
    return seen[-1]
limit = GlobalLimit(Path(sys.argv[1]), clock=clock)
go = float(sys.argv[2])
time.sleep(max(go - time.time(), 0))
instants = []
for _ in range(int(sys.argv[3])):
    wait = limit.reserve(max_wait=30)
    instants.append(seen[-1] + wait)
    time.sleep(wait)
print(json.dumps(instants))
"""


def test_processes_sharing_a_token_share_the_global_limit(tmp_path: Path) -> None:
    """Three workers of 40 requests each: alone, each would send all 40 at once (40 < 50); together
    no second holds more than 50 of the 120."""
    import time

    path, go = tmp_path / "shared.ratelimit", time.time() + 2.0
    procs = [subprocess.Popen([sys.executable, "-c", RESERVER, str(path), str(go), "40"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    instants = sorted(t for out, _ in outputs for t in json.loads(out))
    assert len(instants) == 120
    for i in range(len(instants) - 50):
        assert instants[i + 50] - instants[i] >= 1.0 - 1e-5, f"51 requests within a second at {i}"


def test_interaction_webhooks_are_not_held_by_the_global_limit(
    fake_discord: FakeDiscord, make_rest: Callable[..., DiscordRest], clock: FakeClock
) -> None:
    rest = make_rest(per_second=1)
    for token in ("t1", "t2", "t3"):
        rest.request("PATCH", f"/webhooks/{APPLICATION_ID}/{token}/messages/@original", json={"content": "x"},
                     auth=False)
    assert clock.sleeps == []
    post(rest, A)
    post(rest, B)
    assert clock.sleeps == [1.0]  # bot-token requests are


def test_a_refused_token_is_not_tried_again(fake_discord: FakeDiscord, make_rest: Callable[..., DiscordRest],
                                            clock: FakeClock) -> None:
    rest = make_rest(token="not-the-token")
    with pytest.raises(DiscordError) as first:
        post(rest, A)
    assert (first.value.status, first.value.permanent) == (401, True)
    with pytest.raises(DiscordError) as second:
        post(rest, B)
    assert second.value.permanent and len(fake_discord.calls) == 1  # 401s count towards Discord's ban
    clock.t += 601
    with pytest.raises(DiscordError):
        post(rest, B)
    assert len(fake_discord.calls) == 2


def test_user_agent_is_the_one_discord_requires(fake_discord: FakeDiscord,
                                                make_rest: Callable[..., DiscordRest]) -> None:
    post(make_rest(), A)
    [call] = fake_discord.calls
    assert call.headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("DiscordBot (https://") and USER_AGENT.endswith(")") and ", " in USER_AGENT


@pytest.mark.parametrize(("status", "code", "permanent"), [
    (404, 10003, True), (403, 50001, True), (403, 50013, True), (400, 50035, True), (404, 0, True),
    (500, 0, False), (502, 0, False), (503, 0, False),
])
def test_failures_are_classified_for_the_outbox(
    fake_discord: FakeDiscord, make_rest: Callable[..., DiscordRest], status: int, code: int, permanent: bool
) -> None:
    fake_discord.fail_next(POST, status, code=code)
    with pytest.raises(DiscordError) as caught:
        post(make_rest(), A)
    error = delivery_error(caught.value)
    assert (error.permanent, error.retry_after) == (permanent, None)
    if code:
        assert f"(code {code})" in str(error)


def test_network_failure_is_transient(fake_discord: FakeDiscord, clock: FakeClock) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    rest = DiscordRest(DiscordSettings(DISCORD_BOT_TOKEN=BOT_TOKEN, DISCORD_API_URL=f"http://127.0.0.1:{port}/api/v10"),
                       global_limit=GlobalLimit(None), sleep=clock.sleep, monotonic=clock.monotonic, timeout=2)
    with pytest.raises(DiscordError) as caught:
        post(rest, A)
    rest.close()
    error = delivery_error(caught.value)
    assert not error.permanent and error.retry_after is None
    assert "cannot reach Discord" in str(error)
