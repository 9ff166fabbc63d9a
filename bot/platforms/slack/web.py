"""The Slack routes of the web process: POST /slack/events, GET /slack/install, GET /slack/oauth_redirect.

Every POST is checked before anything else is read: without a well-formed signature and a recent
timestamp it gets 401 at once; the body is read in a stream up to NTRACK_MAX_REQUEST_BYTES (more:
413) within NTRACK_BODY_TIMEOUT (slower: 408); the signature of timestamp + body is verified
(failure: 401); only then is the body decoded and parsed (signed but malformed: 400). Each answer
is one plain line, and nothing is logged with a traceback.

Bolt is synchronous (it reads the database, acks), so each request runs in a bounded thread pool
(NTRACK_WEB_THREADS threads, NTRACK_WEB_QUEUE waiting), awaited without blocking the event loop,
within ACK_WITHIN seconds of arrival. A slash command always gets an answer in time: the answer
itself, "Looking that up..." (bot/platforms/slack/commands.py), or, when the pool is full or Bolt
did not return in time, a line saying ntrack is busy and to try again. Never a 404.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from concurrent.futures import Future
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.adapter.starlette.handler import to_starlette_response
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import parse_body
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.platforms.slack.app import INSTALL_PATH, REDIRECT_PATH, settings_of
from bot.platforms.slack.commands import DEADLINE_KEY
from bot.platforms.slack.settings import SlackSettings
from bot.settings import Settings
from bot.webtools import BodyTooLarge, BoundedPool, finished_within, read_body

ACK_WITHIN = 2.5  # seconds from a request's arrival to Slack's answer; Slack waits 3
OAUTH_WITHIN = 10.0  # the OAuth pages are seen by a person, not timed by Slack
MAX_AGE = 60 * 5  # a signature older than this is refused (Slack's rule)
BUSY = "ntrack is busy just now and could not look that up. Try again in a few seconds."
TIMESTAMP_HEADER = "x-slack-request-timestamp"
SIGNATURE_HEADER = "x-slack-signature"
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
log = logging.getLogger("ntrack.slack")


def _plain(status: int, text: str) -> Response:
    return PlainTextResponse(text + "\n", status_code=status)


def well_formed(*, timestamp: str | None, signature: str | None, now: float | None = None) -> bool:
    """Whether the headers could verify at all: a signature of Slack's form, and a timestamp in digits
    no more than five minutes from now."""
    if not timestamp or not signature or not _SIGNATURE.fullmatch(signature):
        return False
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        return False
    return abs((time.time() if now is None else now) - int(timestamp)) <= MAX_AGE


def verified(*, secret: str, timestamp: str, signature: str, body: bytes) -> bool:
    """Slack's v0 signature of timestamp + body, over the raw bytes (slack_sdk's SignatureVerifier
    decodes the body first, and raises on bytes that are not UTF-8)."""
    if not secret:
        return False
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def _payload(body: bytes, content_type: str | None) -> dict[str, Any] | None:
    """The body as Bolt will parse it, or None when it is not UTF-8, or not a JSON object where Bolt
    expects one."""
    try:
        text = body.decode("utf-8")
        parsed = parse_body(text, content_type)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return parsed if isinstance(parsed, dict) else None


def _busy(payload: dict[str, Any]) -> Response:
    """What Slack gets when Bolt could not answer in time: a command is told to try again (a 200, so
    Slack shows it); anything else gets 503 (Slack retries events)."""
    if payload.get("command"):
        return JSONResponse({"response_type": "ephemeral", "text": BUSY})
    return _plain(503, "busy, try again")


def slack_routes(bolt: App, settings: Settings | None = None) -> list[Route]:
    settings = settings or settings_of(bolt)
    secret = settings.section(SlackSettings).slack_signing_secret or ""
    pool = BoundedPool(settings.web_threads, settings.web_queue, "ntrack-slack")
    limit, body_timeout = settings.max_request_bytes, settings.body_timeout

    def dispatch(request: BoltRequest, deadline: float) -> BoltResponse | None:
        if time.monotonic() >= deadline:  # waited for a thread until too late: not run at all
            return None
        return bolt.dispatch(request)

    async def events(request: Request) -> Response:
        arrived = time.monotonic()
        stamp = request.headers.get(TIMESTAMP_HEADER)
        sig = request.headers.get(SIGNATURE_HEADER)
        if not well_formed(timestamp=stamp, signature=sig):
            return _plain(401, "invalid request signature")
        try:
            body = await read_body(request, limit, body_timeout)
        except BodyTooLarge:
            return _plain(413, f"request body over {limit} bytes")
        except TimeoutError:
            return _plain(408, f"request body not received within {body_timeout:g} s")
        except ClientDisconnect:
            return _plain(400, "the request ended early")
        if not verified(secret=secret, timestamp=stamp or "", signature=sig or "", body=body):
            return _plain(401, "invalid request signature")
        content_type = request.headers.get("content-type")
        payload = _payload(body, content_type)
        if payload is None:
            return _plain(400, "the body is not a Slack payload")
        try:
            bolt_request = BoltRequest(body=body.decode("utf-8"), query=dict(request.query_params),
                                       headers=dict(request.headers))
        except Exception:  # Bolt could not read what it parses itself: refused, not a traceback
            log.warning("a signed Slack request Bolt could not read was refused")
            return _plain(400, "the body is not a Slack payload")
        deadline = arrived + ACK_WITHIN
        bolt_request.context[DEADLINE_KEY] = deadline
        pending: Future[BoltResponse | None] | None = pool.submit(dispatch, bolt_request, deadline)
        if pending is None or not await finished_within(pending, deadline - time.monotonic()):
            log.warning("a Slack request was not answered within %.1f s: told to try again", ACK_WITHIN)
            return _busy(payload)
        try:
            answered = pending.result()
        except Exception:
            log.exception("Bolt failed on a signed request")
            return _busy(payload)
        if answered is None:
            return _busy(payload)
        return to_starlette_response(answered)

    routes = [Route("/slack/events", events, methods=["POST"])]
    flow = bolt.oauth_flow
    if flow is not None:
        def oauth_request(request: Request) -> BoltRequest:  # GET pages: the body is never read
            return BoltRequest(body="", query=dict(request.query_params), headers=dict(request.headers))

        async def run_page(handler: Any, request: Request) -> Response:
            pending = pool.submit(handler, oauth_request(request))
            if pending is None or not await finished_within(pending, OAUTH_WITHIN):
                return _plain(503, "ntrack is busy just now. Try again in a minute.")
            return to_starlette_response(pending.result())

        async def install(request: Request) -> Response:
            return await run_page(flow.handle_installation, request)

        async def oauth_redirect(request: Request) -> Response:
            return await run_page(flow.handle_callback, request)

        routes += [Route(INSTALL_PATH, install, methods=["GET"]), Route(REDIRECT_PATH, oauth_redirect, methods=["GET"])]
    return routes
