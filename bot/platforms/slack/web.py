"""The Slack routes of the web process: POST /slack/events, GET /slack/install, GET /slack/oauth_redirect.

Bolt is synchronous (it verifies the signature, reads the database, acks), so each request runs in
Starlette's thread pool instead of blocking the event loop.
"""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.platforms.slack.app import INSTALL_PATH, REDIRECT_PATH


def slack_routes(bolt: App) -> list[Route]:
    async def events(request: Request) -> Response:
        bolt_request = to_bolt_request(request, await request.body())
        return to_starlette_response(await run_in_threadpool(bolt.dispatch, bolt_request))

    routes = [Route("/slack/events", events, methods=["POST"])]
    flow = bolt.oauth_flow
    if flow is not None:
        async def install(request: Request) -> Response:
            bolt_request = to_bolt_request(request, await request.body())
            return to_starlette_response(await run_in_threadpool(flow.handle_installation, bolt_request))

        async def oauth_redirect(request: Request) -> Response:
            bolt_request = to_bolt_request(request, await request.body())
            return to_starlette_response(await run_in_threadpool(flow.handle_callback, bolt_request))

        routes += [Route(INSTALL_PATH, install, methods=["GET"]), Route(REDIRECT_PATH, oauth_redirect, methods=["GET"])]
    return routes
