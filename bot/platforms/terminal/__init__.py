"""The terminal platform: replies and alerts as plain text (`ntrack ask`, `ntrack status`, the demo,
and channels subscribed with `ntrack ask subscribe --channel NAME`, printed by the worker)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.commands.reply import Reply
from bot.platforms.base import Platform
from bot.platforms.terminal.render import render_alert, render_text

if TYPE_CHECKING:
    from bot.app import Runtime
    from bot.settings import Settings

log = logging.getLogger("ntrack.terminal")


@dataclass(slots=True)
class TerminalTransport:
    """A channel that is a terminal: alerts are written out (the demo; the worker logs them)."""

    write: Callable[[str], None]
    render: Callable[[Reply], str] = render_alert
    platform: str = "terminal"
    min_interval: float = 0.0
    sent: int = 0

    def send(self, channel: str, reply: Reply, *, key: str, team_id: str = "") -> str:
        self.sent += 1
        self.write(f"[{channel}] " + self.render(reply))
        return f"terminal-{self.sent}"

    def find(self, channel: str, *, key: str, team_id: str = "") -> str | None:
        return None  # a terminal cannot look back: a crash after printing prints again


class Terminal(Platform):
    name = "terminal"
    admins = "admins"

    def enabled(self, settings: Settings) -> bool:
        return True  # nothing to configure

    def transport(self, rt: Runtime, write: Callable[[str], None] | None = None) -> TerminalTransport:
        """Alerts to the worker's log, or to `write` (the demo prints them)."""
        return TerminalTransport(write=write or log.info)

    def render(self, reply: Reply) -> str:
        return render_text(reply)


PLATFORM = Terminal()
