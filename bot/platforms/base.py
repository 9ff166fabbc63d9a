"""What a chat platform brings to the core: a transport for the outbox, web routes, settings, its
own scheduled jobs, its rendering. The worker, the web process and the CLI see platforms only
through this interface and the registry (bot/platforms/__init__.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import click
    from apscheduler.schedulers.base import BaseScheduler
    from starlette.routing import BaseRoute

    from bot.app import Runtime
    from bot.commands.reply import Reply
    from bot.deliver import Transport
    from bot.settings import Settings


class Platform:
    """A platform plug-in; subclasses override what they have. One instance per process."""

    name: str = ""
    # Who may add or remove sources, in the platform's words ("workspace admins").
    admins: str = "admins"

    def enabled(self, settings: Settings) -> bool:
        """Whether this deployment is configured for the platform (tokens set)."""
        return False

    def posts(self, settings: Settings) -> bool:
        """Whether the worker can post here (a platform may answer commands without a bot token)."""
        return self.enabled(settings)

    def transport(self, rt: Runtime) -> Transport:
        """Posts the outbox's messages for this platform."""
        raise NotImplementedError(f"{self.name} has no transport")

    def routes(self, rt: Runtime) -> list[BaseRoute]:
        """Routes the web process (`ntrack serve`) adds for this platform."""
        return []

    def schedule(self, scheduler: BaseScheduler, rt: Runtime) -> None:
        """Jobs of the platform's own, beyond the core's (delivery and summaries are the core's)."""

    def socket_mode(self, rt: Runtime) -> Callable[[], None] | None:
        """A blocking runner that takes commands over a connection the app opens (no public URL)."""
        return None

    def cli(self) -> list[click.Command]:
        """Commands of the platform's own under `ntrack` (e.g. `ntrack discord register`)."""
        return []

    def render(self, reply: Reply) -> Any:
        """A reply in the platform's own format."""
        raise NotImplementedError(f"{self.name} does not render replies")
