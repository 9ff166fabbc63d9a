"""Alerts to Slack through the outbox: in order per channel, paced, 429 honoured, retried, parked,
and exactly once across a worker that dies between posting and recording the post."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.app import Runtime
from bot.commands.reply import Reply
from bot.deliver import MAX_ATTEMPTS, deliver_pending
from bot.platforms.slack.transport import SlackTransport
from bot.platforms.terminal.render import render_text
from bot.service import answer
from tests.fakes import FakeClock
from tests.slack import seed
from tests.slack.fake_slack import BOT_TOKEN, TEAM_ID, FakeSlack

T0 = seed.WHEN


@pytest.fixture
def transport(fake_slack: FakeSlack) -> SlackTransport:
    return SlackTransport(token_for=lambda team: BOT_TOKEN, base_url=fake_slack.api_url, timeout=5)


def run(rt: Runtime, transport: object, at: timedelta = timedelta(0), clock: FakeClock | None = None) -> int:
    clock = clock or FakeClock()
    return deliver_pending(sessions=rt.sessions, transport=transport, now=T0 + at,  # type: ignore[arg-type]
                           titles={seed.kuril_id(rt): "/kuril"}, sleep=clock.sleep, monotonic=clock.monotonic)


def posted_texts(fake: FakeSlack, channel: str) -> list[str]:
    return [json.dumps(m["blocks"]) for m in fake.posted(channel)]


def test_alerts_arrive_once_in_order_with_their_ts(slack_rt: Runtime, fake_slack: FakeSlack, transport: SlackTransport) -> None:
    ids = seed.three_alerts(slack_rt)
    clock = FakeClock()
    assert run(slack_rt, transport, clock=clock) == 3
    texts = posted_texts(fake_slack, "C1")
    assert len(texts) == 3
    assert "summit will be held in Brunei" in texts[0] and "has been postponed" in texts[1]
    assert "summit will be held in Brunei" in texts[2]
    assert "<!channel>" not in "".join(texts)
    assert clock.sleeps == [1.0, 1.0]  # about one message a second in one channel
    for delivery_id, msg in zip(ids, fake_slack.posted("C1"), strict=True):
        d = seed.delivery(slack_rt, delivery_id)
        assert (d.state, d.external_id, d.attempts) == ("sent", msg["ts"], 1)
        assert msg["metadata"]["event_payload"]["key"] == f"ntrack-delivery-{delivery_id}"
    assert run(slack_rt, transport, at=timedelta(hours=1)) == 0
    assert len(fake_slack.posted("C1")) == 3


def test_channels_take_turns(slack_rt: Runtime, fake_slack: FakeSlack, transport: SlackTransport) -> None:
    seed.subscribe(slack_rt, "C1")
    seed.subscribe(slack_rt, "C2")
    ev = seed.add_event(slack_rt)
    seed.add_change(slack_rt, ev, old="proposed", new="scheduled")
    seed.add_change(slack_rt, ev, old="scheduled", new="held")
    clock = FakeClock()
    assert run(slack_rt, transport, clock=clock) == 4
    order = [c.args["channel"] for c in fake_slack.calls_to("chat.postMessage")]
    assert order == ["C1", "C2", "C1", "C2"]
    assert sum(clock.sleeps) <= 1.0  # the other channel's turn fills most of the wait


def test_rate_limit_waits_as_long_as_slack_asks(slack_rt: Runtime, fake_slack: FakeSlack, transport: SlackTransport) -> None:
    ids = seed.three_alerts(slack_rt)
    seed.subscribe(slack_rt, "C2")  # same workspace: paused too
    fake_slack.fail_next("chat.postMessage", 429, retry_after=30)
    assert run(slack_rt, transport) == 0
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    first = seed.delivery(slack_rt, ids[0])
    assert first.state == "pending" and first.attempts == 0
    assert "Retry-After 30" in (first.last_error or "")
    assert run(slack_rt, transport, at=timedelta(seconds=20)) == 0  # still inside Retry-After
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert run(slack_rt, transport, at=timedelta(seconds=31)) == 3
    assert len(fake_slack.posted("C1")) == 3
    assert not fake_slack.calls_to("conversations.history")  # a 429 posted nothing: no need to look


def test_server_error_is_retried_later_and_a_post_that_went_through_is_not_repeated(
    slack_rt: Runtime, fake_slack: FakeSlack, transport: SlackTransport
) -> None:
    ids = seed.three_alerts(slack_rt)
    fake_slack.fail_next("chat.postMessage", 500, after_effect=True)  # Slack posted, then failed to answer
    assert run(slack_rt, transport) == 0
    first = seed.delivery(slack_rt, ids[0])
    assert (first.state, first.attempts, first.last_error) == ("pending", 1, "Slack answered HTTP 500")
    assert len(fake_slack.posted("C1")) == 1  # and the later alerts waited: order per channel
    assert run(slack_rt, transport, at=timedelta(seconds=10)) == 0  # backing off
    assert run(slack_rt, transport, at=timedelta(minutes=2)) == 2
    msgs = fake_slack.posted("C1")
    assert len(msgs) == 3  # the first alert once, found in the history instead of posted again
    assert seed.delivery(slack_rt, ids[0]).external_id == msgs[0]["ts"]
    assert [c.method for c in fake_slack.calls][-3:] == ["conversations.history", "chat.postMessage",
                                                         "chat.postMessage"]


class DiesAfterPosting:
    """A transport whose worker is killed right after Slack accepted the message."""

    platform, min_interval = "slack", 0.0

    def __init__(self, inner: SlackTransport, after: int) -> None:
        self.inner, self.after, self.sent = inner, after, 0

    def send(self, channel: str, reply: Reply, *, key: str, team_id: str = "") -> str:
        ts = self.inner.send(channel, reply, key=key, team_id=team_id)
        self.sent += 1
        if self.sent == self.after:
            raise KeyboardInterrupt("killed")
        return ts

    def find(self, channel: str, *, key: str, team_id: str = "") -> str | None:
        return self.inner.find(channel, key=key, team_id=team_id)


def test_crash_between_posting_and_marking_is_reconciled(
    slack_rt: Runtime, fake_slack: FakeSlack, transport: SlackTransport
) -> None:
    ids = seed.three_alerts(slack_rt)
    with pytest.raises(KeyboardInterrupt):
        run(slack_rt, DiesAfterPosting(transport, after=2))
    assert len(fake_slack.posted("C1")) == 2
    assert seed.delivery(slack_rt, ids[1]).state == "sending"
    assert run(slack_rt, transport, at=timedelta(seconds=30)) == 0  # the dead worker's lease still holds
    assert run(slack_rt, transport, at=timedelta(minutes=2)) == 1
    msgs = fake_slack.posted("C1")
    assert len(msgs) == 3
    assert [seed.delivery(slack_rt, i).external_id for i in ids] == [m["ts"] for m in msgs]


def test_failing_alert_is_parked_and_shown_in_sources(slack_rt: Runtime, fake_slack: FakeSlack, transport: SlackTransport) -> None:
    ids = seed.three_alerts(slack_rt)
    fake_slack.fail_next("chat.postMessage", 500, times=MAX_ATTEMPTS)
    at = timedelta(0)
    for _ in range(MAX_ATTEMPTS):
        run(slack_rt, transport, at=at)
        at += timedelta(hours=2)
    assert seed.delivery(slack_rt, ids[0]).state == "parked"
    assert len(fake_slack.posted("C1")) == 2  # the others went out once the first was given up on
    reply = answer(slack_rt, slack_rt.tracker("kuril"), "sources", channel="C1", platform="slack", team_id=TEAM_ID)
    text = render_text(reply)
    assert f"to C1: gave up after {MAX_ATTEMPTS} tries (Slack answered HTTP 500)" in text
    # another workspace does not see this one's channels
    other = answer(slack_rt, slack_rt.tracker("kuril"), "sources", channel="C9", platform="slack", team_id="T0002")
    assert "None: every alert went out." in render_text(other)


def test_missing_channel_is_parked_at_once_without_holding_up_others(
    slack_rt: Runtime, fake_slack: FakeSlack, transport: SlackTransport
) -> None:
    seed.subscribe(slack_rt, "CGONE1")
    seed.subscribe(slack_rt, "C1")
    ev = seed.add_event(slack_rt)
    by_channel = {seed.delivery(slack_rt, i).subscription.channel: i for i in seed.add_change(slack_rt, ev)}
    assert run(slack_rt, transport) == 1
    d = seed.delivery(slack_rt, by_channel["CGONE1"])
    assert (d.state, d.attempts, d.last_error) == ("parked", 1, "Slack: channel_not_found")
    assert seed.delivery(slack_rt, by_channel["C1"]).state == "sent"
