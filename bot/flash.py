"""A change in words, as a wire flash: one sentence saying what changed (bot/commands/format.py words
the parts). Pure: given a view, never a query."""

from __future__ import annotations

from bot.commands.format import change_text
from bot.domain import ChangeView


def flash(change: ChangeView) -> str:
    """One sentence saying what `change` changed."""
    return change_text(change)
