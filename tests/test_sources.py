"""Polling against a misbehaving local server: every failure is recorded on the source, the next good
poll works, a failing source is disabled (and its channels told once), and none stops the others."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.errors import SourceError
from bot.ingest import ingest_source
from bot.netguard import AddressPolicy, parse_networks
from bot.service import answer
from bot.sources import PollConfig
from bot.worker import due_sources, ingest_all
from db import models as m
from db import repo
from tests.conftest import CliResult
from tests.feedserver import FEEDS, FeedServer, rss

FAST = PollConfig(user_agent="ntrack-test", timeout=1.0, connect_timeout=1.0, max_bytes=200_000, max_failures=3)
GOOD = rss([
    {"title": "Kono to visit Moscow", "guid": "g1", "link": "https://wire.example/1",
     "description": "Japan's foreign minister will discuss the peace treaty in Moscow."},
    {"title": "Weather", "guid": "g2", "link": "https://wire.example/2", "description": "Rain in Osaka."},
])
QUIET = rss([{"title": "Weather", "guid": "w1", "description": "Rain in Osaka."}])


class NoEvents:
    """Stands in for spaCy: these tests are about sources, not extraction."""

    calls = 0

    def extract_many(self, items: Any, batch_size: int = 16) -> Iterator[list[Any]]:
        for _ in items:
            NoEvents.calls += 1
            yield []


def poll(rt, tracker, url: str, *, config: PollConfig = FAST, origin: str = "cli", later: timedelta = timedelta()):  # type: ignore[no-untyped-def]
    return ingest_source(sessions=rt.sessions, tracker=tracker, location=url, now=rt.now + later,
                         extractor=NoEvents, config=config, origin=origin)


def source(rt, url: str) -> m.Source:  # type: ignore[no-untyped-def]
    with rt.sessions.begin() as session:
        return session.scalar(select(m.Source).where(m.Source.url == url))


def count(rt, model: Any) -> int:  # type: ignore[no-untyped-def]
    with rt.sessions.begin() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


FAILURES = {
    "silent": (lambda s, p: s.silent(p), "timed out"),
    "trickle": (lambda s, p: s.trickle(p), "timed out"),
    "too big": (lambda s, p: s.endless(p), "larger than 200000 bytes"),
    "gzip bomb": (lambda s, p: s.gzip_bomb(p), "decompresses to more than 200000 bytes"),
    "redirect loop": (lambda s, p: s.redirect(p, p), "too many redirects"),
    "html page": (lambda s, p: s.static(p, (FEEDS / "page.html").read_bytes(), ctype="text/html"), "an HTML page, not a feed"),
    "image": (lambda s, p: s.static(p, b"\x89PNG....", ctype="image/png"), "image/png is not a feed"),
    "empty": (lambda s, p: s.static(p, b""), "empty body"),
    "malformed": (lambda s, p: s.static(p, b"<rss><channel><item><oops"), "not a feed"),
    "not xml": (lambda s, p: s.static(p, b"\x00\x01garbage\xff", ctype="application/xml"), "not a feed"),
    "entities": (lambda s, p: s.static(p, (FEEDS / "billion-laughs.xml").read_bytes()), "refused hostile XML"),
    "server error": (lambda s, p: s.static(p, b"oops", status=500, ctype="text/plain"), "HTTP 500"),
    "gone": (lambda s, p: s.static(p, b"gone", status=410, ctype="text/plain"), "HTTP 410"),
}


@pytest.mark.parametrize("kind", sorted(FAILURES))
def test_each_failure_is_recorded_and_the_next_good_poll_works(runtime, kuril, server: FeedServer, kind: str) -> None:  # type: ignore[no-untyped-def]
    make, reason = FAILURES[kind]
    make(server, "/feed")
    url = server.url("/feed")
    with pytest.raises(SourceError, match=reason) as exc:
        poll(runtime, kuril, url)
    assert "\n" not in str(exc.value) and str(exc.value).startswith(url)
    src = source(runtime, url)
    assert (src.error_count, src.disabled) == (1, False)
    assert reason in src.last_error and src.last_error == str(exc.value)
    assert repo.as_utc(src.last_polled_at) == runtime.now
    assert repo.as_utc(src.next_poll_at) == runtime.now + timedelta(minutes=15)
    assert src.last_success_at is None

    server.feed("/feed", GOOD)
    report = poll(runtime, kuril, url, later=timedelta(minutes=20))
    assert (report.articles_new, report.articles_irrelevant) == (2, 1)
    src = source(runtime, url)
    assert (src.error_count, src.last_error, src.disabled) == (0, None, False)
    assert repo.as_utc(src.last_success_at) == runtime.now + timedelta(minutes=20)


def test_backoff_doubles_and_retry_after_can_push_it_further(runtime, kuril, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    server.static("/f", b"", status=500, ctype="text/plain")
    url = server.url("/f")
    cfg = dataclasses.replace(FAST, max_failures=10)
    waits = []
    for _ in range(3):
        with pytest.raises(SourceError):
            poll(runtime, kuril, url, config=cfg)
        waits.append(repo.as_utc(source(runtime, url).next_poll_at) - runtime.now)
    assert waits == [timedelta(minutes=15), timedelta(minutes=30), timedelta(minutes=60)]

    server.busy("/f", 429, "7200")
    with pytest.raises(SourceError, match="HTTP 429"):
        poll(runtime, kuril, url, config=cfg)
    assert repo.as_utc(source(runtime, url).next_poll_at) == runtime.now + timedelta(hours=2)
    server.busy("/f", 503, "5")  # shorter than our own backoff (4th failure: 2 h): ours wins
    with pytest.raises(SourceError, match="HTTP 503"):
        poll(runtime, kuril, url, config=cfg)
    assert repo.as_utc(source(runtime, url).next_poll_at) == runtime.now + timedelta(hours=4)


def test_after_n_failures_the_source_is_disabled_and_channels_are_told_once(runtime, kuril, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    with runtime.sessions.begin() as session:
        tid = repo.sync_tracker(session=session, tracker=kuril).id
        for channel in ("#kuril", "#desk"):
            repo.subscribe(session=session, tracker_id=tid, platform="slack", channel=channel, now=runtime.now)
    server.static("/f", b"nope", status=404, ctype="text/plain")
    url = server.url("/f")
    for i in range(4):
        with pytest.raises(SourceError):
            poll(runtime, kuril, url, later=timedelta(days=i))
    src = source(runtime, url)
    assert src.disabled and src.error_count == 4 and repo.as_utc(src.disabled_at) == runtime.now + timedelta(days=2)
    with runtime.sessions.begin() as session:
        notices = session.scalars(select(m.Outbox).where(m.Outbox.kind == "notice")).all()
        assert sorted(n.subscription.channel for n in notices) == ["#desk", "#kuril"]
        assert all(n.payload["about"] == "source_disabled" and n.state == "pending" and url in n.payload["text"]
                   and "HTTP 404" in n.payload["text"] for n in notices)
    runtime.now += timedelta(days=30)
    assert url not in due_sources(runtime, kuril)
    reply = answer(runtime, kuril, "sources")
    assert any("disabled after 4 failures" in line for line in reply.text_lines())

    server.feed("/f", GOOD)  # the operator polls it by hand once it is fixed: enabled again
    poll(runtime, kuril, url)
    assert not source(runtime, url).disabled
    assert count(runtime, m.Outbox) == 2


def test_a_304_parses_nothing_and_writes_only_the_poll_time(runtime, kuril, server: FeedServer, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    server.feed("/f", GOOD, etag='"e1"')
    url = server.url("/f")
    poll(runtime, kuril, url)
    before = {c.name: getattr(source(runtime, url), c.name) for c in m.Source.__table__.columns}
    articles = count(runtime, m.Article)

    def no_parsing(*_: Any, **__: Any) -> Any:
        raise AssertionError("a 304 must not be parsed")

    monkeypatch.setattr("bot.ingest.parse_feed", no_parsing)
    report = poll(runtime, kuril, url, later=timedelta(minutes=15))
    assert report.not_modified and report.articles_new == 0
    assert server.last_headers("/f")["if-none-match"] == '"e1"'
    after = {c.name: getattr(source(runtime, url), c.name) for c in m.Source.__table__.columns}
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"last_polled_at", "last_success_at", "next_poll_at"}
    assert count(runtime, m.Article) == articles


def test_an_unchanged_feed_costs_one_request_across_runs(runtime, db_url: str, server: FeedServer,  # type: ignore[no-untyped-def]
                                                         ntrack: Callable[..., CliResult]) -> None:
    """Two `ntrack ingest` runs, each with its own connection to the database: the ETag the second
    sends can only have come from there."""
    server.feed("/f", QUIET, etag='"q1"')
    env = {"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-06T12:00:00Z", "NTRACK_FETCH_TIMEOUT": "2"}
    first = ntrack("ingest", "--source", server.url("/f"), env=env)
    assert first.returncode == 0, first.stderr
    assert "not modified" not in first.stdout
    second = ntrack("ingest", "--source", server.url("/f"), env=env)
    assert second.returncode == 0, second.stderr
    assert "not modified" in second.stdout
    assert server.hits["/f"] == 2 and server.last_headers("/f")["if-none-match"] == '"q1"'


def test_cache_control_max_age_is_honoured(runtime, kuril, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    server.feed("/f", GOOD, headers={"Cache-Control": "public, max-age=7200"})
    url = server.url("/f")
    poll(runtime, kuril, url)
    assert repo.as_utc(source(runtime, url).next_poll_at) == runtime.now + timedelta(hours=2)
    runtime.now += timedelta(minutes=30)
    assert url not in due_sources(runtime, kuril)
    runtime.now += timedelta(hours=2)
    assert url in due_sources(runtime, kuril)


def test_one_bad_source_never_stops_the_others(runtime, kuril, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    server.silent("/hangs")
    server.gzip_bomb("/bomb")
    server.feed("/good", GOOD)
    urls = [server.url("/hangs"), server.url("/bomb"), server.url("/good"), "/no/such/file.xml"]
    reports, failures = ingest_all(runtime, kuril, urls, extractor=NoEvents, config=FAST)
    assert [r.source for r in reports] == [server.url("/good")] and reports[0].articles_new == 2
    assert [f.split(": ")[0] for f in failures] == [urls[0], urls[1], urls[3]]
    assert all("\n" not in f for f in failures)


def test_the_cli_prints_one_line_per_failed_source(runtime, db_url: str, server: FeedServer,  # type: ignore[no-untyped-def]
                                                   ntrack: Callable[..., CliResult]) -> None:
    server.silent("/hangs")
    server.static("/page", (FEEDS / "page.html").read_bytes(), ctype="text/html")
    server.feed("/good", QUIET)
    # three sources on one host: no pause between them (pacing is tested in test_fetch.py)
    env = {"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-06T12:00:00Z", "NTRACK_FETCH_TIMEOUT": "1",
           "NTRACK_HOST_INTERVAL": "0"}
    proc = ntrack("ingest", "--json", "--source", server.url("/hangs"), "--source", server.url("/page"),
                   "--source", server.url("/good"), env=env)
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["articles_new"] == 1
    lines = proc.stderr.strip().splitlines()
    assert "Traceback" not in proc.stderr and len(lines) == 2
    assert lines[0].startswith(f"ntrack: {server.url('/hangs')}: timed out")
    assert lines[1].startswith(f"ntrack: {server.url('/page')}: an HTML page, not a feed")


# ----------------------------------------------------------------------------------- full text

def summary_feed(server: FeedServer, page: str) -> bytes:
    return rss([{"title": "Putin to visit Tokyo", "guid": "p1", "link": server.url(page),
                 "description": "Putin will visit Tokyo for peace treaty talks."}])


def test_summary_only_entries_get_their_page_text(runtime, kuril, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    server.static("/article", (FEEDS / "article.html").read_bytes(), ctype="text/html; charset=utf-8")
    server.feed("/f", summary_feed(server, "/article"))
    report = poll(runtime, kuril, server.url("/f"))
    assert report.pages_fetched == 1
    with runtime.sessions.begin() as session:
        art = session.scalar(select(m.Article))
        assert "September 3 to 5" in art.text and "Krasnoyarsk" in art.text and "Cookie" not in art.text
    assert "text/html" in server.last_headers("/article")["accept"]


def test_a_page_that_fails_leaves_the_summary(runtime, kuril, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    server.feed("/f", summary_feed(server, "/missing"))
    report = poll(runtime, kuril, server.url("/f"))
    assert report.articles_new == 1 and report.pages_fetched == 0
    with runtime.sessions.begin() as session:
        assert session.scalar(select(m.Article.text)) == "Putin will visit Tokyo for peace treaty talks."
    assert source(runtime, server.url("/f")).error_count == 0


def test_full_text_in_the_feed_fetches_no_page(runtime, kuril, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    body = rss([{"title": "T", "guid": "c1", "link": server.url("/article"), "description": "Short.",
                 "content": "<p>The whole story of the Kuril talks.</p>"}])
    server.feed("/f", body)
    poll(runtime, kuril, server.url("/f"))
    assert server.hits["/article"] == 0


# ------------------------------------------------------------------------------ sources from chat

def test_only_admins_add_sources_and_only_public_ones(runtime, kuril, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    url = server.url("/f")
    reply = answer(runtime, kuril, f"sources add {url}")
    assert reply.error == "not allowed" and "admins" in reply.title
    reply = answer(runtime, kuril, f"sources add {url}", user_is_admin=True)
    assert reply.title == "Source not added." and "127.0.0.1, a loopback address" in (reply.error or "")
    for bad in ("file:///etc/passwd", "http://169.254.169.254/latest/meta-data/", "http://[::1]/x"):
        assert answer(runtime, kuril, f"sources add {bad}", user_is_admin=True).error
    assert source(runtime, url) is None and server.hits["/f"] == 0

    public = "http://93.184.216.34/rss.xml"
    assert answer(runtime, kuril, f"sources add <{public}>", user_is_admin=True).error  # Slack's syntax is Slack's
    assert answer(runtime, kuril, f"sources add {public}", user_is_admin=True).title.startswith("Source added")
    assert source(runtime, public).origin == "chat"
    assert "already read" in answer(runtime, kuril, f"sources add {public}", user_is_admin=True).title
    assert answer(runtime, kuril, f"sources remove {public}").error == "not allowed"
    assert answer(runtime, kuril, f"sources remove {public}", user_is_admin=True).title.startswith("Source removed")
    assert source(runtime, public) is None
    assert answer(runtime, kuril, f"sources remove {public}", user_is_admin=True).error == "unknown source"


def test_operator_allowed_networks_open_chat_sources(db_url: str, kuril, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    from bot.app import open_runtime
    from bot.settings import Settings

    rt = open_runtime(Settings(DATABASE_URL=db_url, NTRACK_NOW="2000-11-06T12:00:00Z",
                               NTRACK_ALLOW_NETWORKS="127.0.0.0/8"), migrate=True)
    try:
        reply = answer(rt, kuril, f"sources add {server.url('/f')}", user_is_admin=True)
        assert reply.title.startswith("Source added"), reply.error
    finally:
        rt.engine.dispose()


def test_chat_sources_are_checked_at_every_poll_and_their_links_too(runtime, kuril, server: FeedServer) -> None:  # type: ignore[no-untyped-def]
    server.feed("/f", rss([{"title": "Putin to visit Tokyo", "guid": "p1", "link": f"http://127.0.0.2:{server.port}/article",
                            "description": "Putin will visit Tokyo for peace treaty talks."}]))
    server.static("/article", (FEEDS / "article.html").read_bytes(), ctype="text/html")
    url = server.url("/f")
    with pytest.raises(SourceError, match="loopback"):
        poll(runtime, kuril, url, origin="chat")
    assert server.hits["/f"] == 0 and source(runtime, url).error_count == 1

    allowed = dataclasses.replace(FAST, policy=AddressPolicy(parse_networks("127.0.0.1/32")))
    report = poll(runtime, kuril, url, config=allowed, later=timedelta(hours=1))
    assert report.articles_new == 1 and report.pages_fetched == 0  # its link points outside what is allowed
    assert server.hits["/article"] == 0

    report = poll(runtime, kuril, server.url("/f") + "?cli", later=timedelta(hours=2))  # the operator's: not checked
    assert report.articles_duplicate == 1
