"""Discord's REST API (v10) over httpx, with the bot token: one request at a time, its failure
classified, Discord's rate limits kept before a request is made rather than learnt from a 429.

- **Per-route buckets**: each answer's `X-RateLimit-Bucket`, `-Remaining` and `-Reset-After` are kept
  per bucket *and* top-level resource (a channel, a guild, a webhook): Discord limits posting to one
  channel apart from posting to another although both share a bucket id. A request whose bucket has
  nothing left waits until the bucket resets (or, when that is longer than `max_wait`, fails at once
  with `retry_after`, so that a worker never sleeps away its lease).
- **The global limit** (50 requests a second per bot token) is shared by every process on the machine
  that uses the token: a small file in the system's temporary directory, named by a hash of the token,
  holds the times of the last 50 requests (and a global 429's end) under an exclusive `flock`. A
  process reserves the next free instant and sleeps until then outside the lock. Requests signed with
  an interaction's token (webhooks, `auth=False`) are not subject to it, as Discord documents.
- **429**: raises with Discord's `retry_after`; a global one blocks every process until it ends, a
  route's one empties that bucket until then.
- **401**: the token was refused; every authenticated request fails here for the next ten minutes
  without reaching Discord (401, 403 and 429 answers count towards Discord's invalid-request ban).
"""

from __future__ import annotations

import hashlib
import json as _json
import logging
import math
import os
import re
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx

from bot.platforms.discord.settings import DiscordSettings

log = logging.getLogger("ntrack.discord")

if sys.platform == "win32":  # no flock: the global limit is kept per process (GlobalLimit opens no file)
    def _lock_file(fd: int) -> None:
        raise OSError("no flock on Windows")

    def _unlock_file(fd: int) -> None:
        pass
else:
    import fcntl

    def _lock_file(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock_file(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _version() -> str:
    try:
        return metadata.version("ntrack")
    except metadata.PackageNotFoundError:
        return "0.1.0"


# Discord requires this form: "DiscordBot ($url, $versionNumber)".
USER_AGENT = f"DiscordBot (https://github.com/ntrack, {_version()})"
TIMEOUT = 10.0
MAX_WAIT = 10.0  # the longest a request waits for a rate limit here; longer: DiscordError with retry_after
GLOBAL_PER_SECOND = 50
UNAUTHORIZED_PAUSE = 600.0
MAX_GLOBAL_BLOCK = 3600.0
# Errors no retry can fix: unknown channel, missing access, missing permissions, unknown webhook/app...
PERMANENT_CODES = frozenset({10003, 10004, 10015, 10002, 50001, 50013, 50007, 50035})
# The top-level resource of a path: Discord keeps a bucket's limits per channel, guild or webhook.
_MAJOR = re.compile(r"^/(?:channels|guilds)/(\d+)|^/webhooks/(\d+/[^/]+)")
_WEBHOOK = re.compile(r"^/webhooks/\d+/[^/]+")
_SNOWFLAKE = re.compile(r"/\d{6,}")


@dataclass(frozen=True, slots=True)
class Upload:
    """A file sent with a message (a timeline picture)."""

    filename: str
    content: bytes
    content_type: str = "image/png"


class DiscordError(Exception):
    """A failed call. `retry_after`: Discord asked us to wait (a 429, nothing done). `permanent`: a
    4xx that no retry can fix. `status`/`code`: HTTP status and Discord's JSON error code."""

    def __init__(self, message: str, *, status: int = 0, code: int | None = None, retry_after: float | None = None,
                 permanent: bool = False) -> None:
        super().__init__(message)
        self.status, self.code, self.retry_after, self.permanent = status, code, retry_after, permanent


def route_of(method: str, path: str) -> tuple[str, str]:
    """(route template, top-level resource) of a request: ("POST /channels/{id}/messages", "123")."""
    match = _MAJOR.match(path)
    major = (match.group(1) or match.group(2) or "") if match else ""
    template = _SNOWFLAKE.sub("/{id}", _WEBHOOK.sub("/webhooks/{id}/{token}", path))
    return f"{method.upper()} {template}", major


# ----------------------------------------------------------------------------- the global limit


class GlobalLimit:
    """At most `per_second` requests in any second, across the processes that share `path`.

    The file holds a global 429's end and the reserved instants of the last `per_second` requests
    (little-endian doubles), read and written under an exclusive `flock`. `reserve()` takes the first
    instant at which a request keeps within the limit and returns how long to wait for it. Without a
    file (`path=None`, or it cannot be opened) the same rule holds within this process only.

    The clock is the wall clock: processes share it (a monotonic clock need not be shared). An entry
    far in the future (the clock was set back) is dropped rather than waited for.
    """

    def __init__(self, path: Path | None, *, per_second: int = GLOBAL_PER_SECOND, window: float = 1.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.per_second, self.window, self._clock = per_second, window, clock
        self._lock = threading.Lock()
        self._memory: list[float] = [0.0] * (per_second + 1)
        self._fd: int | None = None
        self.path = path
        if path is not None and sys.platform != "win32":
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
            except OSError as exc:
                log.warning("Discord's global rate limit is kept per process: cannot open %s (%s)", path, exc)
            else:
                if os.fstat(fd).st_uid == os.getuid():
                    self._fd = fd
                else:  # another user's file in a shared directory: not to be trusted
                    os.close(fd)
                    log.warning("Discord's global rate limit is kept per process: %s belongs to another user", path)

    @classmethod
    def for_token(cls, token: str | None, *, directory: Path | None = None, **kw: Any) -> GlobalLimit:
        """The limit every process of this machine using `token` shares."""
        digest = hashlib.sha256((token or "").encode()).hexdigest()[:16]
        folder = directory or Path(tempfile.gettempdir())
        return cls(folder / f"ntrack-discord-{digest}.ratelimit", **kw)

    @property
    def shared(self) -> bool:
        return self._fd is not None

    def _fmt(self) -> str:
        return f"<{self.per_second + 1}d"

    def _read(self) -> list[float]:
        if self._fd is None:
            return list(self._memory)
        size = struct.calcsize(self._fmt())
        raw = os.pread(self._fd, size, 0)
        if len(raw) != size:
            return [0.0] * (self.per_second + 1)
        return [t if math.isfinite(t) else 0.0 for t in struct.unpack(self._fmt(), raw)]

    def _write(self, values: list[float]) -> None:
        if self._fd is None:
            self._memory = list(values)
            return
        os.pwrite(self._fd, struct.pack(self._fmt(), *values), 0)

    def _locked(self, change: Callable[[list[float], float], tuple[list[float] | None, float]]) -> float:
        """Run `change(state, now)` under both locks; write the state it returns (unless None)."""
        with self._lock:
            if self._fd is not None:
                _lock_file(self._fd)
            try:
                now = self._clock()
                state = self._read()
                # Nothing legitimate lies beyond these (a clock set back leaves such entries): dropped.
                blocked = state[0] if state[0] <= now + MAX_GLOBAL_BLOCK else 0.0
                horizon = now + 60.0 + self.per_second * self.window
                new, result = change([blocked, *(t if t <= horizon else 0.0 for t in state[1:])], now)
                if new is not None:
                    self._write(new)
                return result
            finally:
                if self._fd is not None:
                    _unlock_file(self._fd)

    def reserve(self, *, max_wait: float = MAX_WAIT) -> float:
        """Reserve the next request's instant; the seconds to wait for it (0: go now). When that would
        be longer than `max_wait`, nothing is reserved and DiscordError (with retry_after) is raised."""

        def change(state: list[float], now: float) -> tuple[list[float] | None, float]:
            blocked_until, slots = state[0], sorted(state[1:])
            oldest = slots[0] if slots[0] > 0 else float("-inf")  # the oldest of the last N (0: none yet)
            at = max(now, blocked_until, oldest + self.window)
            if at - now > max_wait:
                return None, at - now
            return [blocked_until, *slots[1:], at], at - now

        wait = self._locked(change)
        if wait > max_wait:
            raise DiscordError(f"waiting for Discord's global rate limit ({wait:.1f} s)", retry_after=wait)
        return wait

    def block(self, seconds: float) -> None:
        """A global 429: no process sends before `seconds` from now."""

        def change(state: list[float], now: float) -> tuple[list[float] | None, float]:
            return [max(state[0], now + seconds), *state[1:]], 0.0

        self._locked(change)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


# ------------------------------------------------------------------------------- the client


@dataclass(slots=True)
class _Bucket:
    remaining: int
    reset_at: float  # monotonic


class DiscordRest:
    """A client for the bot's REST calls. Thread-safe; one per process is enough.

    `sleep` and `monotonic` pace the per-route buckets (tests pass a fake clock); `global_limit` is
    the shared 50-a-second limit (default: the file for this bot token in the temporary directory)."""

    def __init__(self, settings: DiscordSettings, *, timeout: float = TIMEOUT, max_wait: float = MAX_WAIT,
                 global_limit: GlobalLimit | None = None, sleep: Callable[[float], None] = time.sleep,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._base = settings.api_url
        self._token = settings.discord_bot_token
        self._client = httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT})
        self._max_wait = max_wait
        self._sleep, self._monotonic = sleep, monotonic
        self.global_limit = global_limit if global_limit is not None else GlobalLimit.for_token(self._token)
        self._buckets: dict[str, _Bucket] = {}  # "bucket id|major" -> what Discord last said
        self._hashes: dict[str, str] = {}  # route template -> Discord's bucket id
        self._lock = threading.Lock()
        self._unauthorized_until = float("-inf")

    def _auth(self) -> dict[str, str]:
        if not self._token:
            raise DiscordError("no DISCORD_BOT_TOKEN: ntrack cannot post to Discord", permanent=True)
        if self._monotonic() < self._unauthorized_until:
            raise DiscordError("Discord refused the bot token (HTTP 401); not asking again for now", status=401,
                               permanent=True)
        return {"Authorization": f"Bot {self._token}"}

    def _bucket_key(self, template: str, major: str) -> str:
        return f"{self._hashes.get(template, template)}|{major}"

    def _take(self, template: str, major: str) -> None:
        """Wait until the route's bucket has a request left, and take it."""
        while True:
            with self._lock:
                key = self._bucket_key(template, major)
                bucket = self._buckets.get(key)
                now = self._monotonic()
                if bucket is not None and bucket.reset_at <= now:
                    del self._buckets[key]  # reset: Discord tells us the new count with the next answer
                    bucket = None
                if bucket is None or bucket.remaining > 0:
                    if bucket is not None:
                        bucket.remaining -= 1  # for other threads, until the answer says
                    return
                delay = bucket.reset_at - now
            if delay > self._max_wait:
                raise DiscordError(f"waiting for Discord's rate limit on {template} ({delay:.1f} s)",
                                   retry_after=delay)
            self._sleep(delay)

    def _remember(self, template: str, major: str, headers: httpx.Headers) -> None:
        bucket_id = headers.get("x-ratelimit-bucket")
        remaining, reset_after = headers.get("x-ratelimit-remaining"), headers.get("x-ratelimit-reset-after")
        if remaining is None or reset_after is None:
            return
        try:
            bucket = _Bucket(int(remaining), self._monotonic() + float(reset_after))
        except ValueError:
            return
        with self._lock:
            if bucket_id and self._hashes.get(template) != bucket_id:
                # What was kept under the route's name before Discord named its bucket moves there.
                old = f"{self._hashes.get(template, template)}|"
                for key in [k for k in self._buckets if k.startswith(old)]:
                    self._buckets.setdefault(f"{bucket_id}|{key[len(old):]}", self._buckets.pop(key))
                self._hashes[template] = bucket_id
            self._buckets[self._bucket_key(template, major)] = bucket
            if len(self._buckets) > 1000:  # interaction webhooks: one major each; forget the spent ones
                now = self._monotonic()
                for key in [k for k, b in self._buckets.items() if b.reset_at <= now]:
                    del self._buckets[key]

    def _empty(self, template: str, major: str, seconds: float) -> None:
        with self._lock:
            self._buckets[self._bucket_key(template, major)] = _Bucket(0, self._monotonic() + seconds)

    def request(self, method: str, path: str, *, route: str | None = None, json: Any = None,
                params: dict[str, Any] | None = None, auth: bool = True, files: list[Upload] | None = None) -> Any:
        """The JSON answer of one call (None for 204); DiscordError when it failed.

        With `files`, the body is multipart/form-data as Discord takes uploads: the JSON as
        `payload_json` and each file as `files[i]` (the payload's `attachments` name them by i).

        `route` names the rate-limit route when the path's own template is not the right one (default:
        the method and the path with its ids replaced). Requests with `auth` (the bot token) count
        towards the global limit; interaction webhooks (`auth=False`) do not."""
        template, major = route_of(method, path)
        template = route or template
        headers = self._auth() if auth else None
        self._take(template, major)
        if auth:
            wait = self.global_limit.reserve(max_wait=self._max_wait)
            if wait > 0:
                self._sleep(wait)
        try:
            if files:
                response = self._client.request(
                    method, f"{self._base}{path}", params=params, headers=headers,
                    data={"payload_json": _json.dumps(json)},
                    files={f"files[{i}]": (f.filename, f.content, f.content_type) for i, f in enumerate(files)})
            else:
                response = self._client.request(method, f"{self._base}{path}", json=json, params=params,
                                                headers=headers)
        except httpx.HTTPError as exc:  # network, timeout: the outcome is unknown
            raise DiscordError(f"cannot reach Discord: {type(exc).__name__}: {exc}") from None
        self._remember(template, major, response.headers)
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
            is_global = (isinstance(body, dict) and body.get("global") is True) or \
                response.headers.get("x-ratelimit-global", "").lower() == "true"
            if is_global:
                self.global_limit.block(seconds)
            else:
                self._empty(template, major, seconds)
            scope = "globally " if is_global else ""
            raise DiscordError(f"rate limited {scope}by Discord (retry after {seconds:g} s)", status=429,
                               retry_after=seconds)
        if response.status_code >= 500:
            raise DiscordError(f"Discord answered HTTP {response.status_code}", status=response.status_code)
        if response.status_code >= 400:
            code = body.get("code") if isinstance(body, dict) else None
            message = body.get("message") if isinstance(body, dict) else None
            if response.status_code == 401 and auth:
                self._unauthorized_until = self._monotonic() + UNAUTHORIZED_PAUSE
            permanent = code in PERMANENT_CODES or response.status_code in {401, 403, 404}
            raise DiscordError(f"Discord: {message or 'HTTP ' + str(response.status_code)}"
                               + (f" (code {code})" if code else ""), status=response.status_code,
                               code=code if isinstance(code, int) else None, permanent=permanent)
        return body

    def close(self) -> None:
        self._client.close()
        self.global_limit.close()
