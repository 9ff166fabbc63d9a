"""The Discord route of the web process: POST /discord/interactions, stateless, no gateway.

Every request is checked before anything else is read: headers that cannot verify get 401 at once,
the body is read up to NTRACK_MAX_REQUEST_BYTES (more: 413), then the Ed25519 signature of timestamp + body
is verified (failure: 401; Discord sends such probes on purpose and removes an endpoint that accepts
them). Only then is the body parsed.

A slash command is answered from the database: the answer is computed in a thread pool (the
database calls are synchronous) and, when ready within ANSWER_WITHIN seconds, it is the response
itself (type 4); otherwise the response defers (type 5) and the answer replaces the deferral later
(PATCH /webhooks/{application}/{token}/messages/@original, authenticated by the interaction token).
An answer with a picture (`timeline`, `summary`) goes the same way, and then the same edit adds the
picture as an upload (multipart/form-data, shown with `attachment://`): Discord takes no files in an
interaction's HTTP response, and the text need not wait for the drawing.
Answers are ephemeral unless `public:true` was given: the choice is made before the answer exists,
because a deferral fixes it. Subcommands that change what a channel gets, and `sources add|remove`,
need Manage Server, read from the interaction's `member.permissions` (no API call).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.background import BackgroundTask
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot import clock, service
from bot.app import Runtime
from bot.chart_store import ChartStore, image_png
from bot.commands.reply import Image, Reply
from bot.errors import UserError
from bot.platforms.discord import PLATFORM, commands, render, signature
from bot.platforms.discord.rest import DiscordError, DiscordRest, Upload
from bot.platforms.discord.settings import DiscordSettings
from bot.tracker import Tracker
from bot.webtools import BodyTooLarge, finished_within, read_body
from db import reads, teams

PATH = "/discord/interactions"
ANSWER_WITHIN = 2.0  # seconds; Discord waits 3 for the first response
AUTOCOMPLETE_WITHIN = 2.0
FOLLOW_UP_WAIT = 10.0  # at most this long for the deferral to have been sent before editing it
FOLLOW_UP_TRIES = 3
MAX_CHOICES = 25
WORKERS = 8  # threads answering commands (the database calls are synchronous)
# Interaction types, and response types
PING, APPLICATION_COMMAND, AUTOCOMPLETE = 1, 2, 4
PONG, CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, AUTOCOMPLETE_RESULT = 1, 4, 5, 8
UNAVAILABLE = "Sorry, ntrack cannot read its database just now. Try again in a minute."
FAILED = "Sorry, ntrack could not answer that (an internal error, logged). Try again later."
_TOKEN = re.compile(r"[A-Za-z0-9_.\-]{1,512}")
log = logging.getLogger("ntrack.discord")


class _Commands:
    """Each tracker's Discord command name -> (tracker, its database id); read once, on first need,
    in a worker thread (it reads the database)."""

    def __init__(self, rt: Runtime) -> None:
        self._rt = rt
        self._lock = threading.Lock()
        self._by_name: dict[str, tuple[Tracker, int]] | None = None

    def get(self, name: str) -> tuple[Tracker, int] | None:
        with self._lock:
            if self._by_name is None:
                self._by_name = {commands.command_name(t): (t, tid) for tid, t in self._rt.trackers().items()}
            return self._by_name.get(name)


def _plain(status: int, text: str) -> Response:
    return PlainTextResponse(text + "\n", status_code=status)


def _message(data: dict[str, Any]) -> JSONResponse:
    return JSONResponse({"type": CHANNEL_MESSAGE, "data": data})


def _notice(title: str, *, error: str | None = None) -> dict[str, Any]:
    """A short ephemeral message of ours (a refusal, an apology)."""
    return render.message(Reply(title=title, error=error), ephemeral=True)


def _hint(name: str) -> str:
    return f"Ask for less, e.g. `/{name} timeline count:10` or `/{name} search`."


def discord_routes(rt: Runtime) -> list[BaseRoute]:
    settings = rt.settings.section(DiscordSettings)
    # Discord's interactions are a few kilobytes: the web process's one body limit (NTRACK_MAX_REQUEST_BYTES)
    max_body, body_timeout = rt.settings.max_request_bytes, rt.settings.body_timeout
    if not settings.answers:  # a bot token alone posts alerts; interactions need the public key
        return []
    public_key = settings.discord_public_key
    if not signature.valid_key(public_key):
        raise UserError("DISCORD_PUBLIC_KEY is not an Ed25519 public key in hex (64 hex digits, from the "
                        "application's General Information page)")
    application_id = settings.discord_application_id or ""
    pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="ntrack-discord")
    follow_ups = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ntrack-discord-edit")
    by_name = _Commands(rt)
    store = ChartStore.of(rt.settings)
    rest_lock = threading.Lock()
    rest: list[DiscordRest] = []

    def client() -> DiscordRest:
        with rest_lock:
            if not rest:
                rest.append(DiscordRest(settings))
            return rest[0]

    servers_seen: set[str] = set()

    def note_server(guild: str | None) -> None:
        """A server is recorded on its first command (once per process after that: no write per command)."""
        if guild and guild not in servers_seen:
            with rt.sessions.begin() as session:
                teams.record(session=session, platform=PLATFORM.name, team_id=guild, now=clock.now(rt.settings.now))
            servers_seen.add(guild)

    def answer_body(name: str, text: str, *, public: bool, manager: bool, guild: str | None,
                    channel: str | None) -> tuple[dict[str, Any], Image | None]:
        """The message answering `/name text`, and the picture that goes with it (runs in the pool;
        never raises)."""
        try:
            note_server(guild)
            found = by_name.get(name)
            if found is None:
                return _notice(f"/{name} is not a command of this ntrack.",
                               error="run ntrack discord register again to update the commands"), None
            tracker, tracker_id = found
            if text == "help":  # Discord's own syntax (options), not the text commands of the core
                return render.message(commands.help_reply(tracker), ephemeral=not public), None
            reply = service.answer(
                rt, tracker, text, channel=channel, platform=PLATFORM.name, team_id=guild or "dm",
                user_is_admin=manager, now=clock.now(rt.settings.now), tracker_id=tracker_id, admins=PLATFORM.admins,
            )
        except SQLAlchemyError:
            log.exception("/%s %r: the database failed", name, text)
            return _notice(UNAVAILABLE), None
        except Exception:
            log.exception("/%s %r failed", name, text)
            return _notice(FAILED), None
        return render.message(reply, more_hint=_hint(name), ephemeral=not public), reply.image

    def edit_original(token: str, body: dict[str, Any], files: list[Upload] | None = None) -> None:
        """Replace the interaction's first answer with `body` (and `files`), with a few retries."""
        if not _TOKEN.fullmatch(token):
            log.warning("interaction token of an unexpected form: the answer's edit is dropped")
            return
        body = {k: v for k, v in body.items() if k != "flags"}  # the first answer decided who sees it
        path = f"/webhooks/{application_id}/{token}/messages/@original"
        for attempt in range(1, FOLLOW_UP_TRIES + 1):
            try:
                client().request("PATCH", path, json=body, auth=False, files=files)
                return
            except DiscordError as exc:
                if exc.permanent or attempt == FOLLOW_UP_TRIES or (0 < exc.status < 500 and exc.retry_after is None):
                    log.warning("editing an interaction's answer failed: %s", exc)
                    return
                time.sleep(min(exc.retry_after or attempt, 5.0))

    def picture(image: Image) -> bytes | None:
        try:
            return image_png(rt, store, image)
        except Exception:
            log.exception("the timeline picture for %s could not be drawn", image.tracker)
            return None

    def with_picture(body: dict[str, Any], image: Image | None) -> tuple[dict[str, Any], list[Upload] | None]:
        """`body` showing the picture, and the upload that carries it; `body` alone without one."""
        png = picture(image) if image is not None else None
        if image is None or png is None:
            return body, None
        return render.with_picture(body, image), [Upload(image.filename, png)]

    def follow_up(done: Future[tuple[dict[str, Any], Image | None]], sent: threading.Event, token: str) -> None:
        """Replace the deferral with the answer and its picture (runs in a thread once the answer is ready)."""
        sent.wait(FOLLOW_UP_WAIT)
        try:
            body, image = done.result()
        except (Exception, CancelledError):  # answer_body does not raise, and is not cancelled: a last resort
            log.exception("a deferred answer failed")
            body, image = _notice(FAILED), None
        edit_original(token, *with_picture(body, image))

    def add_picture(body: dict[str, Any], image: Image, sent: threading.Event, token: str) -> None:
        """Add the picture to an answer already given (an interaction's HTTP response carries no files,
        so the text goes first and the edit brings the picture a moment later)."""
        sent.wait(FOLLOW_UP_WAIT)
        shown, files = with_picture(body, image)
        if files:
            edit_original(token, shown, files)

    async def command(payload: dict[str, Any]) -> Response:
        data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
        assert isinstance(data, dict)
        name = str(data.get("name") or "")
        sub, values = commands.subcommand(data)
        text, public = commands.to_text(sub, values)
        manager = commands.can_manage(payload)
        action = commands.needs_manager(sub, values)
        if action and not manager:
            return _message(_notice(f"Only {PLATFORM.admins} can {action}.", error="not allowed"))
        guild = str(payload["guild_id"]) if payload.get("guild_id") else None
        channel_obj = payload.get("channel")
        channel_id = payload.get("channel_id") or (channel_obj.get("id") if isinstance(channel_obj, dict) else None)
        channel = str(channel_id) if channel_id else None
        pending = pool.submit(answer_body, name, text, public=public, manager=manager, guild=guild, channel=channel)
        sent = threading.Event()
        token = str(payload.get("token") or "")

        async def mark_sent() -> None:
            sent.set()

        if await finished_within(pending, ANSWER_WITHIN):
            body, image = pending.result()
            if image is None:
                return _message(body)
            follow_ups.submit(add_picture, body, image, sent, token)
            return JSONResponse({"type": CHANNEL_MESSAGE, "data": body}, background=BackgroundTask(mark_sent))
        pending.add_done_callback(lambda f: follow_ups.submit(follow_up, f, sent, token))
        deferral: dict[str, Any] = {"allowed_mentions": render.NO_MENTIONS}
        if not public:
            deferral["flags"] = render.EPHEMERAL
        return JSONResponse({"type": DEFERRED_CHANNEL_MESSAGE, "data": deferral}, background=BackgroundTask(mark_sent))

    async def autocomplete(payload: dict[str, Any]) -> Response:
        data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
        assert isinstance(data, dict)
        focus = commands.focused(data)
        choices: list[dict[str, str]] = []
        if focus is not None and focus[:2] == ("who", "name"):
            name, typed = str(data.get("name") or ""), focus[2]
            pending = pool.submit(_choices, by_name, rt, name, typed)
            if await finished_within(pending, AUTOCOMPLETE_WITHIN):
                choices = pending.result()
            else:
                pending.cancel()  # too late to be shown: not run at all if still queued
        return JSONResponse({"type": AUTOCOMPLETE_RESULT, "data": {"choices": choices}})

    handlers: dict[int, Callable[[dict[str, Any]], Any]] = {APPLICATION_COMMAND: command, AUTOCOMPLETE: autocomplete}

    async def interactions(request: Request) -> Response:
        sig = request.headers.get(signature.SIGNATURE_HEADER)
        stamp = request.headers.get(signature.TIMESTAMP_HEADER)
        if not signature.well_formed(signature=sig, timestamp=stamp):
            return _plain(401, "invalid request signature")
        try:
            body = await read_body(request, max_body, body_timeout)
        except ClientDisconnect:
            return _plain(400, "the request ended early")
        except BodyTooLarge:
            return _plain(413, f"request body over {max_body} bytes")
        except TimeoutError:
            return _plain(408, f"request body not received within {body_timeout:g} s")
        if not signature.verified(public_key_hex=public_key, signature=sig, timestamp=stamp, body=body):
            return _plain(401, "invalid request signature")
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            return _plain(400, "the body is not JSON")
        if not isinstance(payload, dict):
            return _plain(400, "the body is not a JSON object")
        kind = payload.get("type")
        if kind == PING and not isinstance(kind, bool):
            return JSONResponse({"type": PONG})
        handler = handlers.get(kind) if isinstance(kind, int) and not isinstance(kind, bool) else None
        if handler is None:
            return _plain(400, f"unknown interaction type {kind!r}")
        response: Response = await handler(payload)
        return response

    return [Route(PATH, interactions, methods=["POST"])]


def _choices(by_name: _Commands, rt: Runtime, name: str, typed: str) -> list[dict[str, str]]:
    """Autocomplete choices for `who name`: actors whose name or alias contains what was typed."""
    try:
        found = by_name.get(name)
        if found is None:
            return []
        with rt.sessions.begin() as session:
            rows = reads.actor_names(session=session, tracker_id=found[1], typed=typed)
    except Exception:
        log.exception("autocomplete for /%s who %r failed", name, typed)
        return []
    want = typed.strip().lower()
    matched: dict[str, str] = {}  # actor name -> the label shown
    for actor, alias in rows:
        if actor in matched:
            continue
        if not want or want in actor.lower():
            matched[actor] = actor
        elif alias and want in alias.lower():
            matched[actor] = f"{actor} ({alias})"

    def rank(item: tuple[str, str]) -> tuple[bool, str]:
        words = item[1].lower().replace("(", " ").split()
        return (not any(w.startswith(want) for w in words), item[0].lower())

    return [{"name": label[:100], "value": actor[:100]}
            for actor, label in sorted(matched.items(), key=rank)[:MAX_CHOICES]]
