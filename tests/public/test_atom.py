"""GET /t/<slug>/changes.atom as a feed reader reads it: parsed back with feedparser, from changes made
by real ingestion and from rows written for the edge cases."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
from starlette.testclient import TestClient

from bot.app import Runtime
from bot.flash import flash
from bot.ingest import ingest_source
from bot.web import create_app
from db import reads
from tests.conftest import DATA
from tests.public.rows import WHEN, add_change, add_event, get_ok, public_runtime, queries_of

URL = "/t/kuril/changes.atom"
FEED_ID = "tag:ntrack.example,2026:kuril/changes"


def fetch(rt: Runtime) -> Any:
    return get_ok(rt, URL)


def parsed(rt: Runtime) -> Any:
    feed = feedparser.parse(fetch(rt).content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def flashes(rt: Runtime, ids: list[int]) -> list[str]:
    with rt.sessions.begin() as s:
        views = reads.changes_by_id(session=s, ids=ids)
        return [flash(views[i]) for i in ids]


def test_story_changes_become_entries_titled_with_their_flash(db_url: str, kuril: Any, extractor: Any,
                                                              tmp_path: Path) -> None:
    story, feed = DATA / "stories" / "lavrov-visit-postponed", tmp_path / "feed.xml"
    rt = public_runtime(db_url, NTRACK_NOW="2007-05-20T00:00:00Z")
    try:
        alerted = 0
        for step, now in (("step1.xml", datetime(2007, 3, 21, tzinfo=UTC)),
                          ("step3.xml", datetime(2007, 4, 11, 21, tzinfo=UTC)),
                          ("step5.xml", datetime(2007, 5, 10, 20, tzinfo=UTC))):
            shutil.copy(story / step, feed)
            report = ingest_source(sessions=rt.sessions, tracker=kuril, location=str(feed), now=now,
                                   extractor=lambda: extractor)
            alerted += sum(1 for c in report.changes if c["alert"])
        got = parsed(rt)
        titles = [e.title for e in got.entries]
        ids = [int(e.id.rsplit("/", 1)[1]) for e in got.entries]
        assert titles == flashes(rt, ids)
        with rt.sessions.begin() as s:
            told = {(c.kind, c.new) for c in reads.changes_by_id(session=s, ids=ids).values()}
        assert {("status", "postponed"), ("date", "2007-06-04")} <= told, "the postponement and the new date"
        assert all(e.id == f"{FEED_ID}/{i}" for e, i in zip(got.entries, ids, strict=True))
        assert all(e.link.startswith("https://") for e in got.entries)
        assert [e.updated_parsed for e in got.entries] == sorted((e.updated_parsed for e in got.entries), reverse=True)
        assert len(ids) == alerted  # every alerted change, nothing else (the first poll alerted nobody)
    finally:
        rt.engine.dispose()


def test_entries_newest_first_with_stable_ids_and_their_article(rt: Runtime) -> None:
    ev = add_event(rt, url="https://news.example/brunei?a=1&b=2")
    older = add_change(rt, ev, kind="new", old=None, new="proposed")
    newer = add_change(rt, ev, at=WHEN + timedelta(hours=2))
    add_change(rt, ev, kind="status", old="scheduled", new="held", at=WHEN + timedelta(hours=3), alert=False)
    add_change(rt, ev, kind="status", old="scheduled", new="held", at=datetime(2000, 11, 7, tzinfo=UTC))  # after now
    got = parsed(rt)
    assert got.feed.id == FEED_ID
    assert [e.id for e in got.entries] == [f"{FEED_ID}/{newer}", f"{FEED_ID}/{older}"]
    assert [e.title for e in got.entries] == flashes(rt, [newer, older])
    first = got.entries[0]
    assert first.link == "https://news.example/brunei?a=1&b=2"
    assert first.updated_parsed[:5] == (2000, 11, 5, 11, 0)
    body = first.content[0].value
    assert first.title in body and "Putin and Mori will meet in Brunei on November 15." in body
    assert "Source: Putin and Mori to meet in Brunei" in body
    assert got.feed.updated_parsed[:5] == (2000, 11, 5, 11, 0)  # the newest change's time
    rels = {link.rel: link.href for link in got.feed.links}
    assert rels == {"self": "https://ntrack.example/news/t/kuril/changes.atom",
                    "alternate": "https://ntrack.example/news/t/kuril"}
    # a later change adds an entry; the others keep their ids and text
    add_change(rt, ev, kind="date", old="2000-11-14", new="2000-11-15", at=WHEN + timedelta(hours=4))
    again = parsed(rt)
    assert [(e.id, e.title) for e in again.entries][1:] == [(e.id, e.title) for e in got.entries]


def test_the_same_data_gives_the_same_bytes_whatever_the_clock(db_url: str) -> None:
    first = public_runtime(db_url)
    second = public_runtime(db_url, NTRACK_NOW="2000-11-20T00:00:00Z")
    try:
        add_change(first, add_event(first))
        a, b = fetch(first), fetch(second)
        assert a.content == b.content and a.headers["etag"] == b.headers["etag"]
        assert a.headers["content-type"] == "application/atom+xml; charset=utf-8"
        assert TestClient(create_app(first)).get(URL, headers={"If-None-Match": a.headers["etag"]}).status_code == 304
    finally:
        first.engine.dispose()
        second.engine.dispose()


def test_odd_text_is_text(rt: Runtime) -> None:
    title = "<script>alert(1)</script> Putin & Mori\x0b \u201cmeet\u201d \U0001f91d"
    ev = add_event(rt, title=title, location="Bandar <b>Seri</b> & Begawan", url="https://news.example/?q=<x>&y=1")
    change = add_change(rt, ev)
    [entry] = parsed(rt).entries
    assert entry.title == flashes(rt, [change])[0]  # whatever it holds of the place, as text
    assert "<script>alert(1)</script> Putin & Mori" in entry.content[0].value
    assert "\x0b" not in entry.content[0].value
    assert entry.content[0].type == "text/plain"


def test_at_most_fifty_entries(rt: Runtime) -> None:
    ev = add_event(rt)
    for i in range(55):
        add_change(rt, ev, at=WHEN + timedelta(minutes=i))
    got = parsed(rt)
    assert len(got.entries) == 50 and got.entries[0].updated_parsed[3:5] == (9, 54)


def test_the_reads_do_not_grow_with_the_entries(rt: Runtime) -> None:
    from bot.public import atom

    tracker = rt.tracker("kuril")
    tid = rt.tracker_id(tracker)

    def count() -> int:
        return queries_of(rt, lambda: atom.build(rt, tracker, tid, rt.now))

    for i in range(2):
        add_change(rt, add_event(rt, value=f"2000-11-{10 + i}"), at=WHEN + timedelta(minutes=i))
    few = count()
    for i in range(12):
        add_change(rt, add_event(rt, value=f"2000-12-{10 + i}", people=(f"Envoy {i}",)), at=WHEN + timedelta(hours=i))
    assert count() <= few and len(parsed(rt).entries) == 14


def test_an_empty_feed_without_a_public_url(db_url: str) -> None:
    rt = public_runtime(db_url, NTRACK_PUBLIC_URL="")
    try:
        got = parsed(rt)
        assert got.feed.id == "tag:ntrack,2026:kuril/changes" and got.entries == []
        assert not [link for link in got.feed.get("links", []) if link.rel == "self"]
    finally:
        rt.engine.dispose()


def test_an_unknown_tracker_is_404_and_pages_off_is_404(rt: Runtime, db_url: str) -> None:
    assert TestClient(create_app(rt)).get("/t/atlantis/changes.atom").status_code == 404
    off = public_runtime(db_url, NTRACK_PAGES="off")
    try:
        assert TestClient(create_app(off)).get(URL).status_code == 404
    finally:
        off.engine.dispose()
