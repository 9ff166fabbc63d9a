"""Alerts and summaries to Slack: chat.postMessage with the delivery's key in the message metadata,
and conversations.history to find a message an earlier, interrupted try had already posted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.commands.reply import Reply
from bot.deliver import DeliveryError
from bot.platforms.slack.render import message

METADATA_TYPE = "ntrack_delivery"
HISTORY_PAGES = 3  # a crash is reconciled within minutes: the message is among the last few hundred
# Slack errors that no retry can fix: the delivery is parked and shown in `/<tracker> sources`.
PERMANENT = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "channel_is_archived", "invalid_auth", "not_authed",
    "account_inactive", "token_revoked", "token_expired", "no_permission", "missing_scope", "restricted_action",
    "msg_too_long", "invalid_blocks", "invalid_metadata_format", "team_access_not_granted", "ekm_access_denied",
    "org_login_required", "not_allowed_token_type", "no_installation",
})


class SlackTransport:
    """A Transport (bot/deliver.py) for Slack. `token_for(team_id)` gives the workspace's bot token."""

    platform = "slack"
    min_interval = 1.0  # Slack allows about one message a second per channel

    def __init__(self, *, token_for: Callable[[str], str | None], base_url: str, timeout: int = 10,
                 public_url: str | None = None) -> None:
        self._token_for = token_for
        self._base_url = base_url
        self._timeout = timeout
        self._public_url = public_url  # where Slack fetches pictures from; None: summaries stay text

    def client(self, team_id: str) -> WebClient:
        token = self._token_for(team_id)
        if not token:
            raise DeliveryError(f"no_installation: ntrack is not installed in workspace {team_id or '(default)'}",
                                permanent=True)
        # No automatic retries: a retried post whose first try went through would post twice.
        return WebClient(token=token, base_url=self._base_url, timeout=self._timeout, retry_handlers=[])

    def send(self, channel: str, reply: Reply, *, key: str, team_id: str = "") -> str:
        body = message(reply, public_url=self._public_url)
        response = _call(lambda: self.client(team_id).chat_postMessage(
            channel=channel, text=body["text"], blocks=body["blocks"], unfurl_links=False, unfurl_media=False,
            metadata={"event_type": METADATA_TYPE, "event_payload": {"key": key}},
        ))
        return str(response["ts"])

    def find(self, channel: str, *, key: str, team_id: str = "") -> str | None:
        client = self.client(team_id)
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            args: dict[str, Any] = {"channel": channel, "limit": 200, "include_all_metadata": True}
            if cursor:
                args["cursor"] = cursor
            page = _call(lambda a=args: client.conversations_history(**a))  # type: ignore[misc]
            for msg in page.get("messages") or []:
                meta = msg.get("metadata") or {}
                if meta.get("event_type") == METADATA_TYPE and (meta.get("event_payload") or {}).get("key") == key:
                    return str(msg["ts"])
            cursor = ((page.get("response_metadata") or {}).get("next_cursor")) or None
            if not cursor:
                break
        return None


def _call(request: Callable[[], Any]) -> Any:
    """Run one Web API call; classify its failure as a DeliveryError."""
    try:
        return request()
    except SlackApiError as exc:
        status = exc.response.status_code
        error = (exc.response.data or {}).get("error") if isinstance(exc.response.data, dict) else None
        if status == 429:
            retry_after = _seconds(exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after"))
            raise DeliveryError(f"rate limited by Slack (Retry-After {retry_after:g} s)", retry_after=retry_after) from None
        if status >= 500:
            raise DeliveryError(f"Slack answered HTTP {status}") from None
        raise DeliveryError(f"Slack: {error or f'HTTP {status}'}", permanent=error in PERMANENT) from None
    except (SlackClientError, OSError, ValueError) as exc:  # network, timeout, an unreadable answer
        raise DeliveryError(f"cannot reach Slack: {type(exc).__name__}: {exc}") from None


def _seconds(value: object) -> float:
    """A Retry-After header -> seconds (Slack sends whole seconds; anything odd means 1)."""
    try:
        return max(float(str(value)), 1.0)
    except ValueError:
        return 1.0
