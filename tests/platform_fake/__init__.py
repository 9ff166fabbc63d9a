"""A platform plug-in made only for the tests: a folder with `PLATFORM`, registered by one line
(the tests add it to bot.platforms.REGISTRY), to show that the core needs nothing else."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Route

from bot.app import Runtime
from bot.commands.reply import Reply
from bot.platforms.base import Platform
from bot.settings import Settings


class FakeTransport:
    platform = "fake"
    min_interval = 0.0

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, channel: str, reply: Reply, *, key: str, team_id: str = "") -> str:
        self.sent.append((channel, key, reply.title))
        return f"fake-{len(self.sent)}"

    def find(self, channel: str, *, key: str, team_id: str = "") -> str | None:
        return next((f"fake-{i + 1}" for i, (c, k, _) in enumerate(self.sent) if (c, k) == (channel, key)), None)


class Fake(Platform):
    name = "fake"
    admins = "fake moderators"

    def __init__(self) -> None:
        self.outbox = FakeTransport()

    def enabled(self, settings: Settings) -> bool:
        return True

    def transport(self, rt: Runtime) -> FakeTransport:
        return self.outbox

    def routes(self, rt: Runtime) -> list[BaseRoute]:
        async def hello(request: Request) -> PlainTextResponse:
            return PlainTextResponse("fake platform here")

        return [Route("/fake/hello", hello)]

    def render(self, reply: Reply) -> str:
        return reply.title


PLATFORM = Fake()
