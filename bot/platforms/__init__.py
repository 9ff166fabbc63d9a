"""The platform registry: every chat platform ntrack can post to and answer on.

A platform is a folder here whose `__init__.py` defines `PLATFORM`, an instance of
`bot.platforms.base.Platform`, and one line in REGISTRY. Platforms are imported only when asked for,
so a process that needs none (the extractor) loads none, and the web process never loads what a
platform's worker side needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from bot.errors import UserError

if TYPE_CHECKING:
    from bot.platforms.base import Platform
    from bot.settings import Settings

REGISTRY: dict[str, str] = {
    "terminal": "bot.platforms.terminal",
    "slack": "bot.platforms.slack",
    "discord": "bot.platforms.discord",
}


def get(name: str) -> Platform:
    """The platform called `name`."""
    if name not in REGISTRY:
        raise UserError(f"unknown platform {name!r} (known: {', '.join(REGISTRY)})")
    platform: Platform = importlib.import_module(REGISTRY[name]).PLATFORM
    return platform


def every() -> list[Platform]:
    return [get(name) for name in REGISTRY]


def enabled(settings: Settings) -> list[Platform]:
    """The platforms this deployment is configured for."""
    return [p for p in every() if p.enabled(settings)]
