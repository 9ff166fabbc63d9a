"""A fake Discord REST API (v10) on 127.0.0.1: records every call, keeps posted messages per channel,
and can be told to answer the next calls of a route with 429 (retry_after), 5xx, a Discord error
code, or to hang after recording.

Only what ntrack uses: POST/GET /channels/{id}/messages, PATCH /webhooks/{app}/{token}/messages/@original,
POST /webhooks/{app}/{token}, PUT /applications/{app}/commands and .../guilds/{guild}/commands.
Routes are named for steering by method and template, e.g. "POST /channels/messages".
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlparse

from tests.fakes import LoopbackServer

BOT_TOKEN = "discord-test-bot-token"
APPLICATION_ID = "100000000000000001"
GUILD_ID = "200000000000000002"

_ROUTES = [
    (re.compile(r"^/channels/(?P<channel>\d+)/messages$"), "channels/messages"),
    (re.compile(r"^/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/@original$"), "webhooks/original"),
    (re.compile(r"^/webhooks/(?P<app>\d+)/(?P<token>[^/]+)$"), "webhooks"),
    (re.compile(r"^/applications/(?P<app>\d+)/guilds/(?P<guild>\d+)/commands$"), "guild-commands"),
    (re.compile(r"^/applications/(?P<app>\d+)/commands$"), "commands"),
]


@dataclass
class Call:
    route: str  # e.g. "POST channels/messages"
    params: dict[str, str]
    body: Any
    headers: dict[str, str]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # "files[0]" -> (filename, content)


@dataclass
class Failure:
    status: int
    retry_after: float | None = None
    code: int | None = None
    after_effect: bool = False  # the call took effect (a message was posted) before the failure
    is_global: bool = False


@dataclass
class FakeDiscord:
    """The state behind the server; tests read and steer it."""

    calls: list[Call] = field(default_factory=list)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    edits: dict[str, list[Any]] = field(default_factory=dict)  # interaction token -> bodies of PATCH @original
    followups: dict[str, list[Any]] = field(default_factory=dict)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # "global" or guild id -> commands
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    hang: dict[str, threading.Event] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)  # channels that answer 404 Unknown Channel (10003)
    forbidden: set[str] = field(default_factory=set)  # channels that answer 403 Missing Permissions (50013)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""
    _next_id: int = 900_000_000_000_000_000

    @property
    def api_url(self) -> str:
        return self.url + "/api/v10"

    def fail_next(self, route: str, status: int, *, retry_after: float | None = None, code: int | None = None,
                  times: int = 1, after_effect: bool = False, is_global: bool = False) -> None:
        self.failures.setdefault(route, []).extend(
            Failure(status, retry_after, code, after_effect, is_global) for _ in range(times))

    def hang_after_recording(self, route: str) -> threading.Event:
        """The next call of `route` is recorded (and takes effect) but its answer waits for the event."""
        self.hang[route] = threading.Event()
        return self.hang[route]

    def calls_to(self, route: str) -> list[Call]:
        return [c for c in self.calls if c.route == route]

    def posted(self, channel: str) -> list[dict[str, Any]]:
        return list(self.messages.get(channel, []))

    # --- the API

    def _id(self) -> str:
        self._next_id += 1
        return str(self._next_id)

    def handle(self, method: str, path: str, query: dict[str, str], body: Any, headers: dict[str, str],
               files: dict[str, tuple[str, bytes]] | None = None) -> tuple[int, Any, dict[str, str]]:
        found = [(m, n) for p, n in _ROUTES if (m := p.match(path.removeprefix("/api/v10")))]
        if not found:
            return 404, {"message": "404: Not Found", "code": 0}, {}
        match, name = found[0]
        route = f"{method} {name}"
        params = match.groupdict()
        with self.lock:
            self.calls.append(Call(route, params, body, headers, files or {}))
            queued = self.failures.get(route)
            if queued:
                f = queued.pop(0)
                if f.after_effect and route == "POST channels/messages":
                    self._post(params["channel"], body)
                if f.status == 429:
                    return 429, {"message": "You are being rate limited.", "retry_after": f.retry_after or 0.5,
                                 "global": f.is_global}, {"Retry-After": str(int((f.retry_after or 1) + 0.999))}
                return f.status, {"message": "failure", "code": f.code or 0}, {}
            uses_token = not name.startswith("webhooks")
            if uses_token and headers.get("authorization") != f"Bot {BOT_TOKEN}":
                return 401, {"message": "401: Unauthorized", "code": 0}, {}
            limits = {"X-RateLimit-Bucket": name, "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "4",
                      "X-RateLimit-Reset-After": "0.1"}
            if name == "channels/messages":
                channel = params["channel"]
                if channel in self.gone:
                    return 404, {"message": "Unknown Channel", "code": 10003}, limits
                if channel in self.forbidden:
                    return 403, {"message": "Missing Permissions", "code": 50013}, limits
                if method == "POST":
                    return 200, self._post(channel, body), limits
                limit = int(query.get("limit", 50))
                return 200, list(reversed(self.messages.get(channel, [])))[:limit], limits
            if name == "webhooks/original":
                self.edits.setdefault(params["token"], []).append(body)
                return 200, {"id": self._id(), **(body or {})}, limits
            if name == "webhooks":
                self.followups.setdefault(params["token"], []).append(body)
                return 200, {"id": self._id(), **(body or {})}, limits
            where = params.get("guild") or "global"
            stored = [{"id": self._id(), "application_id": params["app"], **c} for c in body or []]
            self.commands[where] = stored
            return 200, stored, limits

    def _post(self, channel: str, body: dict[str, Any]) -> dict[str, Any]:
        nonce = body.get("nonce")
        if body.get("enforce_nonce") and nonce is not None:
            for msg in self.messages.get(channel, []):
                if msg.get("nonce") == nonce:  # Discord: the same nonce soon after returns the earlier message
                    return msg
        msg = {"id": self._id(), "channel_id": channel, "content": body.get("content", ""),
               "embeds": body.get("embeds") or [], "nonce": nonce, "allowed_mentions": body.get("allowed_mentions"),
               "flags": body.get("flags", 0), "attachments": body.get("attachments") or []}
        self.messages.setdefault(channel, []).append(msg)
        return msg


def multipart(content_type: str, raw: bytes) -> tuple[Any, dict[str, tuple[str, bytes]]]:
    """A multipart/form-data upload as Discord reads it: the JSON of `payload_json`, and the files."""
    message = BytesParser(policy=default).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    body: Any = None
    files: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True)
        assert isinstance(name, str) and isinstance(content, bytes)
        if name == "payload_json":
            body = json.loads(content)
        else:
            files[name] = (str(part.get_filename()), content)
    return body, files


def _handler(state: FakeDiscord) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _dispatch(self, method: str) -> None:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            files: dict[str, tuple[str, bytes]] = {}
            if headers.get("content-type", "").startswith("multipart/form-data"):
                body, files = multipart(headers["content-type"], raw)
            else:
                body = json.loads(raw) if raw else None
            query = dict(parse_qsl(url.query))
            # (tests that swap `handle` for their own take no files: only uploads pass them)
            status, answer, extra = (state.handle(method, url.path, query, body, headers, files) if files
                                     else state.handle(method, url.path, query, body, headers))
            route = state.calls[-1].route if state.calls else ""
            gate = state.hang.pop(route, None)
            if gate is not None:
                gate.wait(30)
            data = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client was killed while we hung
                pass

        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def do_PATCH(self) -> None:
            self._dispatch("PATCH")

        def do_PUT(self) -> None:
            self._dispatch("PUT")

    return Handler


class FakeDiscordServer(LoopbackServer[FakeDiscord]):
    """`with FakeDiscordServer() as discord:` serves on 127.0.0.1 at a free port until the block ends."""

    def __init__(self) -> None:
        state = FakeDiscord()
        super().__init__(state, _handler(state))
