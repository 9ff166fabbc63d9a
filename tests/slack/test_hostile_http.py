"""The web process under hostile and odd input (issue 12): bounded bodies, the signature checked before
parsing, 401 without a traceback, a hung database or a full pool never costing a command its answer,
/healthz off the event loop, slow clients cut off. Nothing here asserts on time: what is checked is
what was read, what was answered and what was logged."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from bot.app import Runtime, open_runtime
from bot.web import create_app
from tests.slack.conftest import SIGNING_SECRET, all_text, command_body, signed_headers, slack_settings, slash
from tests.slack.fake_slack import FakeSlack

LIMIT = 64 * 1024
CHUNK = 16 * 1024
FORGED = "v0=" + "0" * 64  # of Slack's form, but not the signature


def _runtime(db_url: str, fake: FakeSlack, **extra: str) -> Runtime:
    return open_runtime(slack_settings(db_url, fake, **extra), migrate=True)


@pytest.fixture
def make_rt(db_url: str, fake_slack: FakeSlack) -> Iterator[Any]:
    made: list[Runtime] = []

    def make(**extra: str) -> Runtime:
        made.append(_runtime(db_url, fake_slack, **extra))
        return made[-1]

    yield make
    for rt in made:
        rt.engine.dispose()


def _asgi_post(app: Any, headers: dict[str, str], chunks: Iterator[bytes], *, path: str = "/slack/events",
               stall: bool = False, wait: float = 20.0) -> tuple[int, bytes, int]:
    """POST `chunks` to the ASGI app as a streamed body; (status, body, bytes the app pulled). With
    `stall`, the client stops sending after the first chunk and never finishes."""
    pulled = 0
    started = False
    status = 0
    out: list[bytes] = []

    async def run() -> None:
        never = asyncio.Event()

        async def receive() -> dict[str, Any]:
            nonlocal pulled, started
            if stall and started:
                await never.wait()
            started = True
            chunk = next(chunks, None)
            if chunk is None:
                return {"type": "http.request", "body": b"", "more_body": False}
            pulled += len(chunk)
            return {"type": "http.request", "body": chunk, "more_body": True}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                out.append(message.get("body", b""))

        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                 "scheme": "https", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
                 "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
                 "client": ("127.0.0.1", 5000), "server": ("testserver", 443)}
        await asyncio.wait_for(app(scope, receive, send), wait)

    asyncio.run(run())
    return status, b"".join(out), pulled


def _twenty_mb() -> Iterator[bytes]:
    piece = b"a=1&" * (CHUNK // 4)
    for _ in range(20 * 1024 * 1024 // CHUNK):
        yield piece


@pytest.mark.parametrize("headers", ["forged", "unsigned", "declared"])
def test_a_20_mb_body_is_refused_having_read_at_most_the_limit(slack_rt: Runtime, headers: str) -> None:
    app = create_app(slack_rt)
    sent: dict[str, str] = {"Content-Type": "application/x-www-form-urlencoded"}
    if headers != "unsigned":
        sent.update({"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": FORGED})
    if headers == "declared":
        sent["Content-Length"] = str(20 * 1024 * 1024)
    status, body, pulled = _asgi_post(app, sent, _twenty_mb())
    assert status == {"forged": 413, "unsigned": 401, "declared": 413}[headers]
    assert body.count(b"\n") == 1  # one plain line
    assert pulled <= LIMIT + CHUNK, f"read {pulled} bytes of a body it refuses"
    if headers != "forged":
        assert pulled == 0  # refused from its headers alone


def _forged(body: bytes | str, content_type: str = "application/x-www-form-urlencoded", **over: str) -> dict[str, str]:
    headers = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": FORGED,
               "Content-Type": content_type}
    headers.update(over)
    return headers


MALFORMED: dict[str, tuple[bytes, dict[str, str]]] = {
    "timestamp abc": (command_body("status").encode(), _forged("", **{"X-Slack-Request-Timestamp": "abc"})),
    "timestamp -1": (command_body("status").encode(), _forged("", **{"X-Slack-Request-Timestamp": "-1"})),
    "signature garbage": (command_body("status").encode(), _forged("", **{"X-Slack-Signature": "garbage"})),
    "invalid UTF-8": (b"command=%2Fkuril&text=\xff\xfe\xfd", _forged("")),
    "JSON array": (b"[1, 2, 3]", _forged("", "application/json")),
    "payload not JSON": (b"payload=%7Bnot-json", _forged("")),
    "JSON object array payload": (b"payload=%5B1%5D", _forged("")),
    "no headers": (b"[]", {"Content-Type": "application/json"}),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_unsigned_requests_get_401_and_no_traceback(
    slack_rt: Runtime, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    body, headers = MALFORMED[case]
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(slack_rt), base_url="https://testserver", raise_server_exceptions=False) as client:
        resp = client.post("/slack/events", content=body, headers=headers)
    assert resp.status_code == 401
    assert resp.text == "invalid request signature\n"
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.mark.parametrize("body", [b"[1, 2, 3]", b"payload=%7Bnot-json", b"payload=%5B1%5D", b"text=\xff\xfe"])
def test_signed_but_malformed_requests_get_400_and_no_traceback(
    slack_rt: Runtime, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    caplog.set_level(logging.DEBUG)
    ts = str(int(time.time()))
    headers = {"X-Slack-Request-Timestamp": ts,
               "X-Slack-Signature": "v0=" + hmac.new(SIGNING_SECRET.encode(), f"v0:{ts}:".encode() + body,
                                                     hashlib.sha256).hexdigest(),
               "Content-Type": "application/json" if body.startswith(b"[") else "application/x-www-form-urlencoded"}
    with TestClient(create_app(slack_rt), base_url="https://testserver", raise_server_exceptions=False) as client:
        resp = client.post("/slack/events", content=body, headers=headers)
    assert resp.status_code == 400
    assert resp.text.count("\n") == 1
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def test_a_body_that_never_ends_is_cut_off(make_rt: Any) -> None:
    app = create_app(make_rt(NTRACK_BODY_TIMEOUT="0.2"))
    body = command_body("status")
    headers = signed_headers(body)
    status, answer, _ = _asgi_post(app, headers, iter([body.encode()[:10]]), stall=True)
    assert status == 408
    assert b"not received within 0.2 s" in answer


def _blocking_answer(monkeypatch: pytest.MonkeyPatch, *, blocked: str = "status") -> tuple[threading.Event, threading.Event]:
    """Commands whose text starts with `blocked` wait for the first event (a hung database); the second
    is set when one of them started."""
    from bot.platforms.slack import commands

    real = commands.slack_answer
    release, started = threading.Event(), threading.Event()

    def hung(rt: Runtime, tracker: Any, tracker_id: int, command: dict[str, Any], **kw: Any) -> dict[str, Any]:
        if (command.get("text") or "").startswith(blocked):
            started.set()
            release.wait(20)
        return real(rt, tracker, tracker_id, command, **kw)

    monkeypatch.setattr(commands, "slack_answer", hung)
    return release, started


def _wait_for(predicate: Any, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())


def test_a_hung_database_costs_no_command_its_answer(
    make_rt: Any, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.platforms.slack import commands

    monkeypatch.setattr(commands, "ANSWER_WITHIN", 0.2)
    release, _ = _blocking_answer(monkeypatch)
    rt = make_rt(NTRACK_ANSWER_THREADS="2", NTRACK_ANSWER_QUEUE="0", NTRACK_ANSWER_DEADLINE="0.5")
    try:
        with TestClient(create_app(rt), base_url="https://testserver") as client:
            for n in (1, 2):  # every answer thread hangs on the database
                resp = slash(client, f"status {n}", response_url=f"{fake_slack.url}/response/{n}")
                assert resp.status_code == 200
                assert "Looking that up" in resp.json()["text"]
            resp = slash(client, "help", response_url=f"{fake_slack.url}/response/3")
            assert resp.status_code == 200  # never Bolt's 404 "unhandled request"
            assert resp.json()["text"] == commands.BUSY
            # past the deadline, the two waiting users are told to try again
            assert _wait_for(lambda: len(fake_slack.responses) >= 2)
            assert [r["text"] for r in fake_slack.responses] == [commands.TOO_SLOW] * 2
            release.set()  # the database is back: later commands are answered in the ack
            assert _wait_for(lambda: "/kuril who NAME" in all_text(slash(client, "help").json()))
        time.sleep(0.2)
        assert len(fake_slack.responses) == 2  # the late answers were not sent after the "try again"
    finally:
        release.set()
        rt.engine.dispose()


def test_a_full_web_pool_answers_busy_at_once_not_404(
    make_rt: Any, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    release, started = _blocking_answer(monkeypatch)
    rt = make_rt(NTRACK_WEB_THREADS="1", NTRACK_WEB_QUEUE="0")
    first: list[Any] = []
    try:
        with TestClient(create_app(rt), base_url="https://testserver") as client:
            holder = threading.Thread(target=lambda: first.append(slash(client, "status")))
            holder.start()
            assert started.wait(10)  # the one Bolt thread is busy with it
            resp = slash(client, "help")
            assert resp.status_code == 200
            from bot.platforms.slack import web as slack_web

            assert resp.json() == {"response_type": "ephemeral", "text": slack_web.BUSY}
            release.set()
            holder.join(10)
        assert first and first[0].status_code == 200
    finally:
        release.set()
        rt.engine.dispose()


def test_healthz_with_a_hung_database_is_503_within_its_timeout(make_rt: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.web

    real = bot.web.source_rows.health
    release = threading.Event()

    def hung(**kw: Any) -> Any:
        release.wait(20)
        return real(**kw)

    monkeypatch.setattr(bot.web.source_rows, "health", hung)
    rt = make_rt(NTRACK_HEALTH_TIMEOUT="0.2")
    try:
        with TestClient(create_app(rt), base_url="https://testserver") as client:
            resp = client.get("/healthz")
            assert resp.status_code == 503
            assert resp.json() == {"ok": False, "error": "database: no answer within 0.2 s"}
            assert client.get("/healthz").status_code == 503  # the hung check holds its thread: no pile-up
            release.set()
            assert _wait_for(lambda: client.get("/healthz").status_code == 200)
    finally:
        release.set()
        rt.engine.dispose()


def test_a_connection_that_trickles_its_request_head_is_closed() -> None:
    from bot.web import guarded_protocol

    app = Starlette(routes=[Route("/", lambda request: PlainTextResponse("ok\n"))])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, http=guarded_protocol(0.3), log_level="warning", timeout_keep_alive=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        assert _wait_for(lambda: server.started)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
            slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # ... and never the end of the head
            assert slow.recv(100) == b"", "the server kept a trickling connection open"
        with socket.create_connection(("127.0.0.1", port), timeout=10) as ok:  # a whole request is answered
            ok.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = ok.recv(1000)
            while not answer.endswith(b"ok\n"):  # the head and the body may come in two segments
                more = ok.recv(1000)
                assert more, answer
                answer += more
            assert answer.startswith(b"HTTP/1.1 200")
            ok.sendall(b"GET / HTTP/1.1\r\n")  # the next request on it has as long for its head
            assert ok.recv(100) == b""
    finally:
        server.should_exit = True
        thread.join(10)
