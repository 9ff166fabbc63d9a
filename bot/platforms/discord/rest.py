"""Discord's REST API (v10) over httpx, with the bot token: one request at a time, its failure
classified. Rate limits: the route's bucket from the X-RateLimit-* headers is honoured before the
next request to that route (per process), and a 429 raises with Discord's `retry_after`."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx

from bot.platforms.discord.settings import DiscordSettings

USER_AGENT = "DiscordBot (https://github.com/ntrack, 0.1)"
TIMEOUT = 10.0
# Errors no retry can fix: unknown channel, missing access, missing permissions, unknown webhook/app.
PERMANENT_CODES = frozenset({10003, 10004, 10015, 10002, 50001, 50013, 50007, 50035})


class DiscordError(Exception):
    """A failed call. `retry_after`: Discord asked us to wait (a 429, nothing done). `permanent`: a
    4xx that no retry can fix. `status`/`code`: HTTP status and Discord's JSON error code."""

    def __init__(self, message: str, *, status: int = 0, code: int | None = None, retry_after: float | None = None,
                 permanent: bool = False) -> None:
        super().__init__(message)
        self.status, self.code, self.retry_after, self.permanent = status, code, retry_after, permanent


@dataclass(slots=True)
class _Bucket:
    remaining: int
    reset_at: float  # monotonic


class DiscordRest:
    """A client for the bot's REST calls. Thread-safe; one per process is enough."""

    def __init__(self, settings: DiscordSettings, *, timeout: float = TIMEOUT) -> None:
        self._base = settings.api_url
        self._token = settings.discord_bot_token
        self._client = httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT})
        self._buckets: dict[str, _Bucket] = {}
        self._routes: dict[str, str] = {}  # route key -> bucket id
        self._lock = threading.Lock()

    def _auth(self) -> dict[str, str]:
        if not self._token:
            raise DiscordError("no DISCORD_BOT_TOKEN: ntrack cannot post to Discord", permanent=True)
        return {"Authorization": f"Bot {self._token}"}

    def _wait_for_bucket(self, route: str) -> None:
        with self._lock:
            bucket = self._buckets.get(self._routes.get(route, route))
        if bucket is not None and bucket.remaining <= 0:
            delay = bucket.reset_at - time.monotonic()
            if delay > 0:
                time.sleep(min(delay, 60.0))

    def _remember(self, route: str, headers: httpx.Headers) -> None:
        bucket_id = headers.get("x-ratelimit-bucket")
        remaining, reset_after = headers.get("x-ratelimit-remaining"), headers.get("x-ratelimit-reset-after")
        if remaining is None or reset_after is None:
            return
        try:
            bucket = _Bucket(int(remaining), time.monotonic() + float(reset_after))
        except ValueError:
            return
        with self._lock:
            key = bucket_id or route
            self._routes[route] = key
            self._buckets[key] = bucket

    def request(self, method: str, path: str, *, route: str | None = None, json: Any = None,
                params: dict[str, Any] | None = None, auth: bool = True) -> Any:
        """The JSON answer of one call (None for 204); DiscordError when it failed.

        `route` names the rate-limit route (e.g. "POST /channels/{id}/messages" with the channel's id);
        default: method and path."""
        route = route or f"{method} {path}"
        self._wait_for_bucket(route)
        try:
            response = self._client.request(method, f"{self._base}{path}", json=json, params=params,
                                            headers=self._auth() if auth else None)
        except httpx.HTTPError as exc:  # network, timeout: the outcome is unknown
            raise DiscordError(f"cannot reach Discord: {type(exc).__name__}: {exc}") from None
        self._remember(route, response.headers)
        if response.status_code == 204:
            return None
        body: Any
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code == 429:
            retry = body.get("retry_after") if isinstance(body, dict) else None
            try:
                seconds = max(float(retry if retry is not None else response.headers.get("retry-after", 1)), 0.5)
            except (TypeError, ValueError):
                seconds = 1.0
            scope = "globally " if isinstance(body, dict) and body.get("global") else ""
            raise DiscordError(f"rate limited {scope}by Discord (retry after {seconds:g} s)", status=429,
                               retry_after=seconds)
        if response.status_code >= 500:
            raise DiscordError(f"Discord answered HTTP {response.status_code}", status=response.status_code)
        if response.status_code >= 400:
            code = body.get("code") if isinstance(body, dict) else None
            message = body.get("message") if isinstance(body, dict) else None
            permanent = code in PERMANENT_CODES or response.status_code in {401, 403, 404}
            raise DiscordError(f"Discord: {message or 'HTTP ' + str(response.status_code)}"
                               + (f" (code {code})" if code else ""), status=response.status_code,
                               code=code if isinstance(code, int) else None, permanent=permanent)
        return body

    def close(self) -> None:
        self._client.close()
