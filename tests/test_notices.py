"""A source disabled after repeated failures tells each subscribed channel once, through the outbox."""

from __future__ import annotations

from starlette.testclient import TestClient

from bot import sources
from bot.deliver import deliver_pending
from bot.platforms.terminal import TerminalTransport
from bot.platforms.terminal.render import render_alert
from bot.web import create_app
from db import models as m
from db import repo
from db import sources as source_rows
from tests.conftest import at


def test_disabled_source_notice_is_delivered_once(runtime, kuril) -> None:  # type: ignore[no-untyped-def]
    now = at("2000-11-06T12:00:00")
    with runtime.sessions.begin() as session:
        tid = repo.sync_tracker(session=session, tracker=kuril).id
        repo.subscribe(session=session, tracker_id=tid, platform="terminal", channel="#desk", now=now)
        repo.subscribe(session=session, tracker_id=tid, platform="terminal", channel="#east", now=now)
        src = source_rows.open_source(session=session, tracker_id=tid, url="https://feeds.invalid/kuril.xml")
        source_id = src.id
    disabled = [
        sources.record_failure(sessions=runtime.sessions, source_id=source_id, error="HTTP 500", now=now, max_failures=3)
        for _ in range(3)
    ]
    assert disabled == [False, False, True]
    health = TestClient(create_app(runtime)).get("/healthz").json()
    assert health["outbox_backlog"] == 2 and health["sources_disabled"] == 1

    printed: list[str] = []
    transport = TerminalTransport(write=printed.append, render=render_alert)
    assert deliver_pending(sessions=runtime.sessions, transport=transport, now=now, titles={tid: "/kuril"}) == 2
    assert sorted(p.split("]")[0] for p in printed) == ["[#desk", "[#east"]
    assert all("kuril.xml" in p and "disabled" in p for p in printed), printed
    # a second run, and a further failure of the disabled source, tell nobody again
    sources.record_failure(sessions=runtime.sessions, source_id=source_id, error="HTTP 500", now=now, max_failures=3)
    assert deliver_pending(sessions=runtime.sessions, transport=transport, now=now, titles={tid: "/kuril"}) == 0
    with runtime.sessions.begin() as session:
        states = [n.state for n in session.query(m.Outbox).filter_by(kind="notice")]
    assert states == ["sent", "sent"]
