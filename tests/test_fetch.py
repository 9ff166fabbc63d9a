"""The fetcher against a local server that misbehaves in every way a feed host can."""

from __future__ import annotations

import gzip
import time
import zlib
from email.utils import formatdate

import pytest

from bot.errors import SourceError
from bot.fetch import HostPacer, RetryLater, fetch, max_age, retry_after
from bot.netguard import AddressPolicy, UnsafeSource, parse_networks
from bot.settings import Settings
from tests.feedserver import FeedServer, rss

FAST = {"timeout": 1.0, "connect_timeout": 1.0}
FEED = rss([{"title": "Kuril talks", "guid": "a1", "description": "Peace treaty talks resume."}])


def test_conditional_get_and_user_agent(server: FeedServer) -> None:
    server.feed("/f", FEED, etag='"abc"', headers={"Last-Modified": "Mon, 06 Nov 2000 12:00:00 GMT"})
    ua = Settings().user_agent
    first = fetch(server.url("/f"), user_agent=ua, **FAST)
    assert first.body == FEED and first.etag == '"abc"' and first.last_modified.startswith("Mon, 06 Nov 2000")
    assert "ntrack" in server.last_headers("/f")["user-agent"]
    again = fetch(server.url("/f"), etag=first.etag, last_modified=first.last_modified, **FAST)
    assert again.not_modified and again.body is None
    sent = server.last_headers("/f")
    assert sent["if-none-match"] == '"abc"' and sent["if-modified-since"] == first.last_modified


@pytest.mark.parametrize("kind", ["silent", "trickle"])
def test_a_server_that_never_finishes_is_cut_at_the_deadline(server: FeedServer, kind: str) -> None:
    getattr(server, kind)("/slow")
    t0 = time.monotonic()
    with pytest.raises(SourceError, match="timed out"):
        fetch(server.url("/slow"), **FAST)
    assert time.monotonic() - t0 < 2.5


@pytest.mark.parametrize("declare_length", [False, True])
def test_body_cap_is_streamed_and_aborted(server: FeedServer, declare_length: bool) -> None:
    server.endless("/big", declare_length=declare_length)
    t0 = time.monotonic()
    with pytest.raises(SourceError, match="larger than 100000 bytes"):
        fetch(server.url("/big"), max_bytes=100_000, **FAST)
    assert time.monotonic() - t0 < 1.0


def test_gzip_bomb_is_stopped_at_the_decompression_cap(server: FeedServer) -> None:
    server.gzip_bomb("/bomb", size=50 * 1024 * 1024)
    with pytest.raises(SourceError, match="decompresses to more than 1000000 bytes"):
        fetch(server.url("/bomb"), max_bytes=1_000_000, **FAST)


@pytest.mark.parametrize("encoding,pack", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send it
])
def test_compressed_bodies_are_read(server: FeedServer, encoding: str, pack) -> None:  # type: ignore[no-untyped-def]
    server.static("/z", pack(FEED), headers={"Content-Encoding": encoding})
    assert fetch(server.url("/z"), **FAST).body == FEED


def test_corrupt_gzip_is_one_line(server: FeedServer) -> None:
    server.static("/z", b"\x1f\x8b\x08\x00garbage", headers={"Content-Encoding": "gzip"})
    with pytest.raises(SourceError, match="corrupt or truncated gzip"):
        fetch(server.url("/z"), **FAST)


def test_redirects_are_followed_and_capped(server: FeedServer) -> None:
    server.static("/feed", FEED)
    server.redirect("/moved", "/feed", 301)
    assert fetch(server.url("/moved"), **FAST).body == FEED
    server.redirect("/loop", "/loop")
    with pytest.raises(SourceError, match=r"too many redirects \(more than 3\)"):
        fetch(server.url("/loop"), max_redirects=3, **FAST)
    assert server.hits["/loop"] == 4
    server.redirect("/file", "file:///etc/passwd")
    with pytest.raises(SourceError, match="non-http"):
        fetch(server.url("/file"), **FAST)


def test_retry_after_in_seconds_and_as_a_date(server: FeedServer) -> None:
    server.busy("/429", 429, "120")
    with pytest.raises(RetryLater, match="HTTP 429") as exc:
        fetch(server.url("/429"), **FAST)
    assert exc.value.retry_after == 120
    server.busy("/503", 503, formatdate(time.time() + 3600, usegmt=True))
    with pytest.raises(RetryLater, match="HTTP 503") as exc:
        fetch(server.url("/503"), **FAST)
    assert 3590 <= (exc.value.retry_after or 0) <= 3600
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:00:00 GMT") == 28 * 60
    assert retry_after("soon") is None and retry_after("99999999") == 7 * 24 * 3600


def test_http_errors_and_refused_connections_are_one_line(server: FeedServer) -> None:
    with pytest.raises(SourceError, match="HTTP 404") as exc:
        fetch(server.url("/nothing"), **FAST)
    assert "\n" not in str(exc.value)
    with pytest.raises(SourceError, match="cannot connect"):
        fetch("http://127.0.0.1:9/feed", **FAST)


def test_cache_control_max_age() -> None:
    assert max_age("public, max-age=600") == 600
    assert max_age("no-cache, max-age=600") is None
    assert max_age('max-age="60"') == 60 and max_age("private") is None and max_age(None) is None


def test_host_pacer_spaces_requests_to_one_host() -> None:
    clock = [100.0]
    slept: list[float] = []
    pacer = HostPacer(2.0, clock=lambda: clock[0], sleep=slept.append)
    assert pacer.wait("a.example") == 0
    assert pacer.wait("a.example") == 2.0
    assert pacer.wait("b.example") == 0
    clock[0] += 10
    assert pacer.wait("a.example") == 0
    assert slept == [2.0]


def test_feed_server_requests_are_paced(server: FeedServer) -> None:
    server.static("/f", FEED)
    pacer = HostPacer(0.3)
    t0 = time.monotonic()
    for _ in range(3):
        fetch(server.url("/f"), pacer=pacer, **FAST)
    assert time.monotonic() - t0 >= 0.55


# ------------------------------------------------------------------------ addresses (chat sources)

PUBLIC = AddressPolicy()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/feed", "http://[::1]/feed", "http://10.1.2.3/", "http://192.168.0.1/", "http://172.16.5.5/",
    "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://100.100.100.200/",
    "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://[fe80::1]/", "http://100.64.0.1/",
])
def test_private_and_metadata_addresses_are_refused(url: str) -> None:
    with pytest.raises(UnsafeSource):
        fetch(url, policy=PUBLIC, **FAST)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed", "gopher://x/", "/etc/passwd"])
def test_chat_sources_are_http_only(url: str) -> None:
    with pytest.raises(UnsafeSource, match="http"):
        fetch(url, policy=PUBLIC, **FAST)


def test_names_are_checked_after_resolution_and_at_connect_time(server: FeedServer) -> None:
    server.static("/f", FEED)
    inside = {"feeds.example.org": ["10.0.0.7"], "mixed.example.org": ["93.184.216.34", "127.0.0.1"]}

    def resolver(host: str, port: int, **_: object) -> list[tuple[object, ...]]:
        return [(2, 1, 6, "", (ip, port)) for ip in inside[host]]

    with pytest.raises(UnsafeSource, match="10.0.0.7, a private address"):
        fetch("http://feeds.example.org/f", policy=PUBLIC, resolver=resolver, **FAST)
    with pytest.raises(UnsafeSource, match="127.0.0.1, a loopback address"):
        fetch("http://mixed.example.org/f", policy=PUBLIC, resolver=resolver, **FAST)

    # DNS rebinding: public when checked, loopback when connecting; the connection is refused.
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])

    def rebinding(host: str, port: int, **_: object) -> list[tuple[object, ...]]:
        return [(2, 1, 6, "", (ip, port)) for ip in next(answers)]

    with pytest.raises(UnsafeSource, match="loopback"):
        fetch(f"http://rebind.example.org:{server.port}/f", policy=PUBLIC, resolver=rebinding, **FAST)
    assert server.hits["/f"] == 0


def test_allowed_networks_and_every_redirect_is_checked(server: FeedServer) -> None:
    server.static("/f", FEED)
    server.redirect("/out", f"http://127.0.0.2:{server.port}/f")
    allowed = AddressPolicy(parse_networks("127.0.0.1/32"))
    with pytest.raises(UnsafeSource):
        fetch(server.url("/f"), policy=PUBLIC, **FAST)
    assert fetch(server.url("/f"), policy=allowed, **FAST).body == FEED
    with pytest.raises(UnsafeSource, match="127.0.0.2"):
        fetch(server.url("/out"), policy=allowed, **FAST)
    assert server.hits["/f"] == 1
    # Metadata endpoints stay closed even inside an allowed network.
    with pytest.raises(UnsafeSource, match="cloud metadata"):
        fetch("http://169.254.169.254/", policy=AddressPolicy(parse_networks("169.254.0.0/16")), **FAST)
