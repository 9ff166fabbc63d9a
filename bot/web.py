"""The web process (ASGI): answers from the database; never imports spaCy."""

from __future__ import annotations

from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot import clock
from bot.app import Runtime
from db import models as m


def create_app(rt: Runtime) -> Starlette:
    async def healthz(request: Request) -> JSONResponse:
        try:
            with rt.sessions.begin() as session:
                last_poll = session.scalar(select(func.max(m.Source.last_success_at)))
                backlog = sum(
                    session.scalar(select(func.count()).select_from(model).where(model.state.in_(("pending", "sending"))))
                    or 0
                    for model in (m.Delivery, m.Notice)
                )
                parked = session.scalar(select(func.count()).select_from(m.Delivery).where(m.Delivery.state == "parked"))
                disabled = session.scalar(select(func.count()).select_from(m.Source).where(m.Source.disabled.is_(True)))
        except Exception as exc:  # the health check reports, it does not crash
            return JSONResponse({"ok": False, "error": f"database: {type(exc).__name__}"}, status_code=503)
        return JSONResponse(
            {"ok": True, "now": clock.now(rt.settings.now).isoformat(),
             "last_successful_poll": last_poll.isoformat() if last_poll else None, "outbox_backlog": backlog,
             "outbox_parked": parked, "sources_disabled": disabled}
        )

    routes = [Route("/healthz", healthz)]
    if rt.settings.slack_enabled:
        from bot.slack.app import create_bolt_app
        from bot.slack.web import slack_routes

        routes += slack_routes(create_bolt_app(rt))
    return Starlette(routes=routes)
