"""Render a neutral Reply as a Discord message: one embed within Discord's limits, every piece of
article text escaped, and mentions never parsed.

`allowed_mentions: {"parse": []}` on every message is what stops "@everyone" or a role in a headline
from pinging anyone; escaping Discord's markdown keeps a headline from restyling the message or
smuggling a masked link.
"""

from __future__ import annotations

import re
from typing import Any

from bot.commands.reply import Line, Reply, Section

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FOOTER_MAX = 2048
TOTAL_MAX = 6000
CONTENT_MAX = 2000
ELLIPSIS = "\u2026"
EPHEMERAL = 1 << 6
NO_MENTIONS: dict[str, Any] = {"parse": []}
COLOUR = 0x2B6CB0
# Discord markdown: emphasis, code, quotes, spoilers, headings, lists, masked links; escaped with "\".
_MARKDOWN = re.compile(r"([\\*_~`>|\[\]()#\-])")


def escape(text: str) -> str:
    """Plain text -> Discord markdown that shows exactly that text (an @ cannot start a mention)."""
    return _MARKDOWN.sub(r"\\\1", text).replace("@", "@\u200b")


def link(url: str | None, label: str) -> str:
    """A masked link for http(s) URLs; other URLs are not linked."""
    if not url or not url.lower().startswith(("http://", "https://")) or any(c in url for c in " <>()"):
        return escape(label)
    return f"[{escape(label)}]({url})"


def line_text(line: Line) -> str:
    text = f"\u2022 {escape(line.text)}"
    if line.source_url or line.source_title:
        text += f" \u2014 {link(line.source_url, line.source_title or 'source')}"
    return text


def cut(text: str, limit: int) -> str:
    """`text` within `limit` characters, never inside an escape or a masked link."""
    if len(text) <= limit:
        return text
    kept = text[: limit - 1]
    bracket = kept.rfind("[")
    if bracket > kept.rfind(")"):
        kept = kept[:bracket]
    while kept.endswith("\\"):
        kept = kept[:-1]
    return kept + ELLIPSIS


def _section_text(section: Section) -> list[str]:
    head = f"**{escape(section.title)}**"
    if not section.lines:
        return [head, f"*{escape(section.empty)}*"]
    return [head, *(cut(line_text(line), 600) for line in section.lines)]


def embed(reply: Reply, *, more_hint: str = "", key: str | None = None) -> dict[str, Any]:
    """The reply as one embed; lines that do not fit are replaced by a pointer to the rest.
    `key` (an outbox row's) goes in the footer, where a later run can find the message again."""
    title = cut(escape(reply.title), TITLE_MAX)
    lines: list[str] = []
    if reply.error:
        lines.append(f"\u26a0\ufe0f {escape(reply.error)}")
    if reply.note:
        lines.append(f"*{escape(reply.note)}*")
    for section in reply.sections:
        if lines:
            lines.append("")
        lines.extend(_section_text(section))
    footer = key or ""
    budget = min(DESCRIPTION_MAX, TOTAL_MAX - len(title) - len(footer)) - 200  # room for the pointer
    description, shown = "", 0
    for line in lines:
        if len(description) + len(line) + 1 > budget:
            break
        description = f"{description}\n{line}" if description else line
        shown += 1
    hidden = sum(1 for line in lines[shown:] if line.startswith("\u2022"))
    if shown < len(lines):
        pointer = f"\n*{hidden} more lines not shown.*" + (f" {escape(more_hint)}" if more_hint else "")
        description += pointer
    out: dict[str, Any] = {"title": title, "description": description, "color": COLOUR}
    if footer:
        out["footer"] = {"text": cut(footer, FOOTER_MAX)}
    return out


def message(reply: Reply, *, more_hint: str = "", key: str | None = None) -> dict[str, Any]:
    """A message body (a channel post, an interaction response's data, an edit of @original)."""
    body: dict[str, Any] = {"embeds": [embed(reply, more_hint=more_hint, key=key)], "allowed_mentions": NO_MENTIONS}
    if not reply.in_channel:
        body["flags"] = EPHEMERAL
    return body
