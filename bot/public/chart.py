"""(being written)"""

from __future__ import annotations

from starlette.routing import BaseRoute

from bot.app import Runtime


def routes(rt: Runtime) -> list[BaseRoute]:
    return []
