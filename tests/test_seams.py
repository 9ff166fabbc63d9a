"""The seams: platforms plug in through the registry, the core and db/ keep to their side, one
worker serves every tracker, formatting never queries, the outbox migration keeps every row."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, inspect, text
from starlette.testclient import TestClient

from bot import platforms
from bot.app import Runtime
from bot.platforms.base import Platform
from bot.service import answer
from db import models as m
from db import repo
from db.migrate import downgrade, upgrade
from tests.conftest import ROOT, run_cli
from tests.slack import seed

# ------------------------------------------------------------------------------ import rules


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


CORE = ("bot.domain", "bot.dates", "bot.tracker", "bot.errors", "bot.event_types")


def test_db_imports_only_the_core() -> None:
    for path in modules("db"):
        ours = {i for i in imports_of(path) if i.split(".")[0] == "bot"}
        strays = {i for i in ours if not i.startswith(CORE) and i != "bot"}
        assert not strays, f"{path.relative_to(ROOT)} imports {sorted(strays)}: db/ may import only {CORE}"


SQL_BUILDERS = {"select", "update", "insert", "delete", "text", "func", "or_", "and_"}


def test_all_sql_lives_in_db() -> None:
    for path in modules("bot"):
        imported = imports_of(path)
        built = {i.rsplit(".", 1)[1] for i in imported if i.startswith("sqlalchemy.") and "." in i}
        strays = (built & SQL_BUILDERS) | {i for i in imported if i.startswith("sqlalchemy.dialects")}
        assert not strays, f"{path.relative_to(ROOT)} builds SQL ({sorted(strays)}): that belongs in db/"


def test_only_platform_folders_import_a_platform() -> None:
    names = [f"bot.platforms.{name}" for name in platforms.REGISTRY]
    for path in modules("bot"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("bot/platforms/") or rel == "bot/demo.py":  # the demo is a terminal session
            continue
        wrong = {i for i in imports_of(path) if i.startswith(tuple(names))}
        assert not wrong, f"{rel} imports {sorted(wrong)}: ask the registry (bot.platforms) instead"


def test_platform_syntax_stays_in_the_platform() -> None:
    for path in modules("bot"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("bot/platforms/"):
            continue
        source = path.read_text(encoding="utf-8")
        assert "workspace admin" not in source, f"{rel} speaks Slack's words"
        assert 'strip("<>")' not in source, f"{rel} unwraps Slack links"


def test_the_registry_knows_each_platform_by_its_name() -> None:
    for name in platforms.REGISTRY:
        platform = platforms.get(name)
        assert isinstance(platform, Platform) and platform.name == name


# ------------------------------------------------------------------- a platform is a folder


@pytest.fixture
def fake_platform(monkeypatch: pytest.MonkeyPatch) -> Iterator[Platform]:
    monkeypatch.setitem(platforms.REGISTRY, "fake", "tests.platform_fake")
    yield platforms.get("fake")


def test_a_new_platform_gets_web_routes_outbox_and_wording(runtime: Runtime, fake_platform: Platform) -> None:
    from bot.jobs import run_due
    from bot.web import create_app

    assert TestClient(create_app(runtime)).get("/fake/hello").text == "fake platform here"
    event_id = seed.add_event(runtime)
    seed.subscribe(runtime, "#fake-desk", team_id="", platform="fake")
    seed.add_change(runtime, event_id)
    lines = list(run_due(runtime))  # a Monday after 09:00 UTC: the channel's first weekly summary is due too
    assert lines[0].startswith("weekly summary to #fake-desk") and "outbox: 2 posted to fake" in lines
    transport = fake_platform.transport(runtime)
    (alert_to, alert_key, alert), (summary_to, summary_key, summary) = transport.sent  # type: ignore[attr-defined]
    assert alert_to == summary_to == "#fake-desk" and alert_key != summary_key
    assert alert.startswith("/kuril: A summit") and "week to 6 Nov 2000" in summary
    assert list(run_due(runtime))[-1] == "outbox: 0 posted to fake"  # each once
    reply = answer(runtime, runtime.tracker("kuril"), "sources add https://example.org/rss", platform="fake",
                   admins=fake_platform.admins)
    assert reply.title == "Only fake moderators can add sources."


# ------------------------------------------------------------------ one worker, every tracker

SECOND = """slug = "arctic"
title = "Arctic Council talks"
command = "/arctic"
keywords = ["Arctic Council"]
actors = [{{name = "Norway", aliases = ["Norwegian"]}}]
feeds = ["{feed}"]
pages = ["{page}"]
"""
THIRD = """slug = "nile"
title = "Nile dam talks"
command = "/nile"
keywords = ["Renaissance Dam"]
actors = [{{name = "Egypt"}}]
feeds = ["{feed}"]
"""
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{title}</title><link>https://news.example/</link>
<item><title>Weather in {title}</title><guid>{title}-1</guid><pubDate>Mon, 06 Nov 2000 08:00:00 GMT</pubDate>
<description>A mild week is forecast, with no news of any talks.</description></item>
</channel></rss>"""


def test_one_worker_polls_every_trackers_feeds_and_pages(db_url: str, tmp_path: Path) -> None:
    trackers = tmp_path / "trackers"
    trackers.mkdir()
    arctic, nile, page = tmp_path / "arctic.xml", tmp_path / "nile.xml", tmp_path / "page.html"
    arctic.write_text(FEED.format(title="Tromso"))
    nile.write_text(FEED.format(title="Aswan"))
    page.write_text("<html><head><title>Notice</title></head><body><article><h1>Ministry notice</h1>"
                    "<p>The ministry will publish its weekly calendar of appointments on Friday morning.</p>"
                    "<p>No meetings are planned for the coming days, the notice said.</p></article></body></html>")
    (trackers / "arctic.toml").write_text(SECOND.format(feed=arctic, page=page))
    (trackers / "nile.toml").write_text(THIRD.format(feed=nile))
    env = {"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-06T12:00:00Z", "NTRACK_TRACKERS_DIR": str(trackers)}
    proc = run_cli("worker", "--once", env=env)
    assert proc.returncode == 0, proc.stderr
    polled = [line for line in proc.stdout.splitlines() if line.endswith(("1 new, 0 changes", "not modified"))]
    assert sorted(line.split(":")[0] for line in polled) == sorted(str(p) for p in (arctic, nile, page)), proc.stdout
    again = run_cli("worker", "--once", env=env)
    assert "no sources due" in again.stdout, again.stdout


# ------------------------------------------------------------- formatting is given its data


def count_queries(rt: Runtime) -> tuple[list[str], object]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(rt.engine, "before_cursor_execute", record)
    return seen, record


@pytest.mark.parametrize("command", ["status", "timeline 20", "events summit", "who Putin", "search Brunei",
                                     "next", "deadlines", "summary"])
def test_a_command_reads_in_a_fixed_number_of_queries(runtime: Runtime, command: str) -> None:
    tracker = runtime.tracker("kuril")
    tracker_id = runtime.tracker_id(tracker)

    def queries() -> int:
        seen, record = count_queries(runtime)
        try:
            reply = answer(runtime, tracker, command, tracker_id=tracker_id)
        finally:
            event.remove(runtime.engine, "before_cursor_execute", record)
        assert reply.error is None
        return len(seen)

    def add(n: int, first: int) -> None:
        for i in range(first, first + n):
            ev = seed.add_event(runtime, day=date(2000, 11, 10 + i % 15), n=i)
            seed.add_change(runtime, ev)
            with runtime.sessions.begin() as s:
                putin = s.query(m.Actor).filter_by(tracker_id=tracker_id, name="Vladimir Putin").one()
                s.add(m.EventActor(event_id=ev, actor_id=putin.id, role="participant"))

    add(2, 0)
    few = queries()
    add(12, 2)
    assert queries() <= few, "the number of queries grew with the number of lines"


# -------------------------------------------------------------------- the outbox migration


def test_0006_moves_alerts_and_notices_into_one_outbox_and_back(runtime: Runtime) -> None:
    event_id = seed.add_event(runtime)
    sub = seed.subscribe(runtime, "C1")
    [first] = seed.add_change(runtime, event_id)
    downgrade(runtime.engine, "0005")
    tables = set(inspect(runtime.engine).get_table_names())
    assert {"deliveries", "notices"} <= tables and "outbox" not in tables
    now = datetime(2000, 11, 6, tzinfo=UTC)
    with runtime.engine.begin() as conn:
        [(delivery_id, state)] = conn.execute(text("SELECT id, state FROM deliveries")).all()
        assert (delivery_id, state) == (first, "pending")
        conn.execute(text("UPDATE deliveries SET state = 'sending', attempts = 1 WHERE id = :id"), {"id": delivery_id})
        tracker_id = conn.scalar(text("SELECT tracker_id FROM subscriptions WHERE id = :id"), {"id": sub})
        conn.execute(text(
            "INSERT INTO notices (tracker_id, subscription_id, kind, text, state, attempts, created_at) "
            "VALUES (:t, :s, 'source_disabled', 'Source disabled: x', 'pending', 0, :now)"
        ), {"t": tracker_id, "s": sub, "now": now})
        notice_id = conn.scalar(text("SELECT id FROM notices"))
    upgrade(runtime.engine)
    with runtime.sessions.begin() as s:
        rows = s.query(m.Outbox).order_by(m.Outbox.kind).all()
        got = [(r.kind, r.state, r.attempts, r.change_id, r.key, r.payload) for r in rows]
        assert got == [("alert", "sending", 1, first, None, None),
                       ("notice", "pending", 0, None, f"ntrack-notice-{notice_id}",
                        {"text": "Source disabled: x", "about": "source_disabled"})]
        assert rows[0].id == delivery_id  # an alert keeps its id: its key, in messages already posted
        added = m.Outbox(tracker_id=tracker_id, subscription_id=sub, kind="notice", payload={"text": "y"},
                         state="pending", attempts=0, created_at=now)
        s.add(added)
        s.flush()
        assert added.id > max(r.id for r in rows)  # the id sequence was moved past the copied ids
    downgrade(runtime.engine, "0005")
    with runtime.engine.begin() as conn:
        assert conn.execute(text("SELECT id, state FROM deliveries")).all() == [(delivery_id, "sending")]
        assert sorted(conn.scalars(text("SELECT text FROM notices"))) == ["Source disabled: x", "y"]
    upgrade(runtime.engine)
    with runtime.sessions.begin() as s:
        assert repo.subscription(session=s, tracker_id=tracker_id, platform="slack", channel="C1", team_id="T0001")


def test_summary_time_sets_the_weekly_slot_on_any_platform(runtime: Runtime) -> None:
    tracker = runtime.tracker("kuril")
    reply = answer(runtime, tracker, "summary-time fri 17:30 Europe/Moscow", channel="#desk", platform="terminal")
    assert reply.error is None and "Fri 17:30 Europe/Moscow" in reply.title
    with runtime.sessions.begin() as s:
        sub = repo.subscription(session=s, tracker_id=runtime.tracker_id(tracker), platform="terminal", channel="#desk")
        assert sub is not None and (sub.weekly_day, sub.weekly_time, sub.timezone) == (4, "17:30", "Europe/Moscow")
    assert answer(runtime, tracker, "summary-time 25:00", channel="#desk").error
