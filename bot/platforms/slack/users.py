"""Who is asking: the invoking member's admin status and time zone, from Slack's users.info.

Looked up only for the commands that need it (`sources add|remove`: admins only; `subscribe` without
a time zone: the weekly summary's default zone), through the request's WebClient (same token and
base URL, so SLACK_API_URL applies) with a short timeout and no retries, and kept per (team, user)
for a few minutes, so a burst of commands costs one call and the 3-second ack is never at risk.
Slack has no workspace time zone in its API: the subscriber's own is the closest there is.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.weekly import valid_zone

CACHE_SECONDS = 300.0
# Seconds. A slower answer is not lost: after ANSWER_WITHIN (bot/slack/commands.py) the command is acked
# and its answer follows through the response_url. Kept well above ANSWER_WITHIN: equal, a lookup timing
# out raced the ack, and a loaded machine could answer "not an admin" instead of deferring.
LOOKUP_TIMEOUT = 5
MAX_CACHED = 10_000


@dataclass(frozen=True, slots=True)
class SlackUser:
    is_admin: bool  # a workspace admin or owner
    timezone: str | None  # IANA name from the profile; None when missing or unknown here


class UserLookupError(Exception):
    """users.info did not answer usefully; the message is one line for the user."""


class SlackUsers:
    """users.info with an in-process cache per (team, user). Thread-safe; errors are not cached."""

    def __init__(self, *, ttl: float = CACHE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[tuple[str, str], tuple[float, SlackUser]] = {}
        self._lock = threading.Lock()

    def get(self, client: WebClient, *, team_id: str, user_id: str) -> SlackUser:
        key = (team_id, user_id)
        now = self._clock()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and now - hit[0] < self._ttl:
                return hit[1]
        user = fetch_user(client, user_id)
        with self._lock:
            if len(self._cache) >= MAX_CACHED:
                self._cache = {k: v for k, v in self._cache.items() if now - v[0] < self._ttl}
            self._cache[key] = (now, user)
        return user


def fetch_user(client: WebClient, user_id: str) -> SlackUser:
    """One users.info call; UserLookupError on any failure."""
    if not user_id:
        raise UserLookupError("Slack did not say who sent the command")
    # The request's client (its token, base URL, proxy), with a short timeout and no retries.
    quick = WebClient(token=client.token, base_url=client.base_url, timeout=LOOKUP_TIMEOUT, ssl=client.ssl,
                      proxy=client.proxy, headers=dict(client.headers), logger=client.logger, retry_handlers=[],
                      team_id=client.default_params.get("team_id"))
    try:
        data = quick.users_info(user=user_id).data
    except SlackApiError as exc:
        body = exc.response.data if isinstance(exc.response.data, dict) else {}
        error = body.get("error") or f"HTTP {exc.response.status_code}"
        if error == "missing_scope":  # installed before ntrack asked for users:read
            error += ", reinstall the app to grant users:read"
        raise UserLookupError(f"Slack answered {error}") from None
    except (SlackClientError, OSError, ValueError) as exc:  # network, timeout, an unreadable answer
        raise UserLookupError(f"cannot reach Slack ({type(exc).__name__})") from None
    user = data.get("user") if isinstance(data, dict) else None
    if not isinstance(user, dict):
        raise UserLookupError("Slack's answer had no user")
    tz = user.get("tz")
    return SlackUser(
        is_admin=bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")),
        timezone=tz if isinstance(tz, str) and valid_zone(tz) else None,
    )
