"""The web process (ASGI): answers from the database; never imports spaCy. Each configured platform
adds its routes (bot/platforms/)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot import clock, platforms
from bot.app import Runtime
from db import outbox
from db import sources as source_rows


def create_app(rt: Runtime) -> Starlette:
    async def healthz(request: Request) -> JSONResponse:
        try:
            with rt.sessions.begin() as session:
                last_poll, disabled = source_rows.health(session=session)
                states = outbox.counts(session=session)
        except Exception as exc:  # the health check reports, it does not crash
            return JSONResponse({"ok": False, "error": f"database: {type(exc).__name__}"}, status_code=503)
        return JSONResponse(
            {"ok": True, "now": clock.now(rt.settings.now).isoformat(),
             "last_successful_poll": last_poll.isoformat() if last_poll else None,
             "outbox_backlog": states.get("pending", 0) + states.get("sending", 0),
             "outbox_parked": states.get("parked", 0), "sources_disabled": disabled}
        )

    routes: list[BaseRoute] = [Route("/healthz", healthz)]
    for platform in platforms.enabled(rt.settings):
        routes += platform.routes(rt)
    return Starlette(routes=routes)
