"""A fake Slack Web API on 127.0.0.1: records every call, keeps posted messages per channel, and can
be told to answer the next calls of a method with 429 (Retry-After), 500, or to hang after recording.

Only what ntrack uses: auth.test, chat.postMessage, conversations.history, users.info, oauth.v2.access,
apps.connections.open, and response_url posts (POST /response/<id>).
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlparse

from tests.fakes import LoopbackServer

BOT_TOKEN = "xoxb-test-token"
OAUTH_BOT_TOKEN = "xoxb-installed-token"
CLIENT_ID = "111.222"
CLIENT_SECRET = "client-secret"
GOOD_CODE = "good-code"
TEAM_ID = "T0001"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None


@dataclass
class Failure:
    status: int
    retry_after: int | None = None
    error: str = "internal_error"
    after_effect: bool = False  # the call took effect (a message was posted) before the failure


@dataclass
class FakeSlack:
    """The state behind the server; tests read and steer it."""

    calls: list[Call] = field(default_factory=list)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    responses: list[dict[str, Any]] = field(default_factory=list)  # bodies posted to response_url
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    hang: dict[str, threading.Event] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=lambda: {BOT_TOKEN, OAUTH_BOT_TOKEN})
    # users.info: user id -> the `user` object (is_admin, is_owner, is_primary_owner, tz); others: user_not_found
    users: dict[str, dict[str, Any]] = field(default_factory=lambda: {
        "U0001": {"id": "U0001", "name": "analyst", "is_admin": False, "is_owner": False, "tz": "UTC"}})
    socket_url: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""
    _ts: int = 1_600_000_000

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def fail_next(self, method: str, status: int, *, retry_after: int | None = None, times: int = 1,
                  after_effect: bool = False) -> None:
        self.failures.setdefault(method, []).extend(
            Failure(status, retry_after, after_effect=after_effect) for _ in range(times))

    def hang_after_recording(self, method: str) -> threading.Event:
        """The next `method` call is recorded (and takes effect) but its answer waits for the event."""
        self.hang[method] = threading.Event()
        return self.hang[method]

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def posted(self, channel: str) -> list[dict[str, Any]]:
        return list(self.messages.get(channel, []))

    # --- the API

    def handle(self, method: str, args: dict[str, Any], token: str | None, basic: tuple[str, str] | None) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self.lock:
            self.calls.append(Call(method, args, token))
            queued = self.failures.get(method)
            if queued:
                f = queued.pop(0)
                if f.after_effect and method == "chat.postMessage":
                    self._post(args)
                headers = {"Retry-After": str(f.retry_after)} if f.retry_after is not None else {}
                error = "ratelimited" if f.status == 429 else f.error
                return f.status, {"ok": False, "error": error}, headers
            if method == "oauth.v2.access":
                return 200, self._oauth(args, basic), {}
            if method == "apps.connections.open":
                return 200, {"ok": bool(self.socket_url), "url": self.socket_url}, {}
            if token not in self.tokens:
                return 200, {"ok": False, "error": "invalid_auth"}, {}
            if method == "auth.test":
                return 200, {"ok": True, "url": "https://test.slack.com/", "team": "Test", "user": "ntrack",
                             "team_id": TEAM_ID, "user_id": "UBOT", "bot_id": "BBOT"}, {}
            if method == "chat.postMessage":
                return 200, self._post(args), {}
            if method == "conversations.history":
                return 200, self._history(args), {}
            if method == "users.info":
                user = self.users.get(str(args.get("user", "")))
                return 200, ({"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}), {}
            return 200, {"ok": False, "error": "unknown_method"}, {}

    def _post(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel", ""))
        if channel.startswith("CGONE"):
            return {"ok": False, "error": "channel_not_found"}
        self._ts += 1
        msg = {"ts": f"{self._ts}.000100", "text": args.get("text"), "blocks": args.get("blocks"),
               "metadata": args.get("metadata")}
        self.messages.setdefault(channel, []).append(msg)
        return {"ok": True, "channel": channel, "ts": msg["ts"], "message": msg}

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        with_meta = str(args.get("include_all_metadata", "")).lower() in {"1", "true"}
        out = []
        for msg in reversed(self.messages.get(str(args.get("channel", "")), [])):
            shown = {k: v for k, v in msg.items() if k != "metadata" or with_meta}
            out.append(shown)
        return {"ok": True, "messages": out[: int(args.get("limit", 100))], "has_more": False}

    def _oauth(self, args: dict[str, Any], basic: tuple[str, str] | None) -> dict[str, Any]:
        client_id, client_secret = basic or (args.get("client_id"), args.get("client_secret"))
        if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            return {"ok": False, "error": "invalid_client_id"}
        if args.get("code") != GOOD_CODE:
            return {"ok": False, "error": "invalid_code"}
        return {
            "ok": True, "app_id": "A0001", "authed_user": {"id": "U0001"}, "scope": "commands,chat:write",
            "token_type": "bot", "access_token": OAUTH_BOT_TOKEN, "bot_user_id": "UBOT",
            "team": {"id": TEAM_ID, "name": "Test"}, "enterprise": None, "is_enterprise_install": False,
        }


def _handler(state: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _args(self) -> dict[str, Any]:
            query = dict(parse_qsl(urlparse(self.path).query))
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            if raw and "json" in (self.headers.get("Content-Type") or ""):
                query.update(json.loads(raw))
            elif raw:
                query.update(dict(parse_qsl(raw)))
            for key in ("blocks", "metadata"):  # form posts carry these as JSON strings
                if isinstance(query.get(key), str):
                    query[key] = json.loads(query[key])
            return query

        def _auth(self) -> tuple[str | None, tuple[str, str] | None]:
            header = self.headers.get("Authorization") or ""
            if header.startswith("Bearer "):
                return header[7:], None
            if header.startswith("Basic "):
                user, _, secret = base64.b64decode(header[6:]).decode().partition(":")
                return None, (user, secret)
            return None, None

        def _answer(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._dispatch()

        def do_POST(self) -> None:
            self._dispatch()

        def _dispatch(self) -> None:
            path = urlparse(self.path).path
            args = self._args()
            if path.startswith("/response/"):
                with state.lock:
                    state.responses.append(args)
                self._answer(200, {"ok": True}, {})
                return
            method = path.removeprefix("/api/")
            token, basic = self._auth()
            token = token or args.get("token")
            status, body, headers = state.handle(method, args, token, basic)
            gate = state.hang.pop(method, None)
            if gate is not None:
                gate.wait(30)
            try:
                self._answer(status, body, headers)
            except OSError:  # the client was killed while we hung
                pass

    return Handler


class FakeSlackServer(LoopbackServer[FakeSlack]):
    """`with FakeSlackServer() as slack:` serves on 127.0.0.1 at a free port until the block ends."""

    def __init__(self) -> None:
        state = FakeSlack()
        super().__init__(state, _handler(state))
