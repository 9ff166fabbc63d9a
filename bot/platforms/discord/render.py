"""Render a neutral Reply as a Discord message: one embed within Discord's limits, every piece of
article text escaped, and mentions never parsed.

`allowed_mentions: {"parse": []}` on every message is what stops "@everyone" or a role in a headline
from pinging anyone; escaping Discord's markdown keeps a headline from restyling the message or
smuggling a masked link.
"""

from __future__ import annotations

import re
from typing import Any

from bot.commands.reply import Image, Line, Reply, Section

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FOOTER_MAX = 2048
TOTAL_MAX = 6000
CONTENT_MAX = 2000
LINE_MAX = 600  # one bullet, its source link included
LABEL_MAX = 200  # a source link's label
URL_MAX = 512  # longer URLs are not linked
ELLIPSIS = "\u2026"
EPHEMERAL = 1 << 6
NO_MENTIONS: dict[str, Any] = {"parse": []}
COLOUR = 0x2B6CB0
ATTACHMENT_DESCRIPTION_MAX = 1024
# Discord markdown anywhere in a line: emphasis, code, spoilers, masked links, and `<` which opens
# mentions (<@id>, <@&role>, <#channel>), custom emoji and timestamps. Escaped with "\".
_MARKDOWN = re.compile(r"([\\*_~`|\[\]<])")
# ... and only at the start of a line: headings, subtext, quotes, lists.
_LINE_START = re.compile(r"^(?:([#>+-])|(\d+)\.)")


def _escape_start(match: re.Match[str]) -> str:
    return f"\\{match[1]}" if match[1] else f"{match[2]}\\."


def escape(text: str) -> str:
    """Plain text -> one line of Discord markdown that shows exactly that text: markdown escaped,
    whitespace (newlines too) collapsed, and an @ that cannot start a mention (@everyone, @here)."""
    flat = " ".join(text.split())
    escaped = _LINE_START.sub(_escape_start, _MARKDOWN.sub(r"\\\1", flat))
    return escaped.replace("@", "@\u200b")


def cut(text: str, limit: int) -> str:
    """Escaped text within `limit` characters, never ending inside an escape."""
    if len(text) <= limit:
        return text
    kept = text[: max(limit - 1, 0)]
    # an odd run of trailing backslashes would escape the ellipsis: drop one
    if (len(kept) - len(kept.rstrip("\\"))) % 2:
        kept = kept[:-1]
    return kept + ELLIPSIS


def link(url: str | None, label: str) -> str:
    """A masked link for http(s) URLs; other URLs (and odd ones) are not linked."""
    text = cut(escape(label), LABEL_MAX)
    if (not url or not url.lower().startswith(("http://", "https://")) or len(url) > URL_MAX
            or any(c in url for c in " <>()\\\n") or not url.isprintable()):
        return text
    return f"[{text}]({url})"


def line_text(line: Line) -> str:
    """One bullet within LINE_MAX: the text cut if need be, its source link whole."""
    source = ""
    if line.source_url or line.source_title:
        source = f" \u2014 {link(line.source_url, line.source_title or 'source')}"
    return cut(f"\u2022 {escape(line.text)}", LINE_MAX - len(source)) + source


def _section_text(section: Section) -> list[str]:
    head = f"**{escape(section.title)}**"
    if not section.lines:
        return [head, f"*{escape(section.empty)}*"]
    return [head, *(line_text(line) for line in section.lines)]


def _pointer(hidden: int, more_hint: str) -> str:
    what = f"{hidden} more line{'s' if hidden != 1 else ''} not shown." if hidden else "The rest is not shown."
    return f"*{what}*" + (f" {more_hint}" if more_hint else "")


def embed(reply: Reply, *, more_hint: str = "", key: str | None = None) -> dict[str, Any]:
    """The reply as one embed within Discord's limits (title 256, description 4096, 6000 in all);
    lines that do not fit are replaced by a line saying how many are left out, and `more_hint`
    (markdown of ours, not escaped) on how to ask for less. `key` (an outbox row's) goes in the
    footer, where a later run can find the message again."""
    title = cut(escape(reply.title), TITLE_MAX)
    footer = cut(key, FOOTER_MAX) if key else ""
    lines: list[str] = []
    if reply.error:
        lines.append(f"\u26a0\ufe0f {escape(reply.error)}")
    if reply.note:
        lines.append(f"*{escape(reply.note)}*")
    for section in reply.sections:
        if lines:
            lines.append("")
        lines.extend(_section_text(section))
    limit = min(DESCRIPTION_MAX, TOTAL_MAX - len(title) - len(footer))
    description = "\n".join(lines)
    if len(description) > limit:
        more_hint = cut(more_hint, 300)
        budget = limit - len(_pointer(len(lines), more_hint)) - 1
        shown: list[str] = []
        used = -1
        for line in lines:
            if used + 1 + len(line) > budget:
                break
            shown.append(line)
            used += 1 + len(line)
        hidden = sum(1 for line in lines[len(shown):] if line.startswith("\u2022"))
        description = "\n".join([*shown, _pointer(hidden, more_hint)])
    out: dict[str, Any] = {"title": title, "color": COLOUR}
    if description:
        out["description"] = description
    if footer:
        out["footer"] = {"text": footer}
    return out


def message(reply: Reply, *, more_hint: str = "", key: str | None = None,
            ephemeral: bool | None = None) -> dict[str, Any]:
    """A message body (an interaction response's data, an edit of @original, a channel post).

    `ephemeral`: flag 64 (only the one who asked sees it); default: unless the reply is for the
    channel. Pass False for channel posts and edits, where Discord takes no such flag."""
    body: dict[str, Any] = {"embeds": [embed(reply, more_hint=more_hint, key=key)], "allowed_mentions": NO_MENTIONS}
    if (not reply.in_channel) if ephemeral is None else ephemeral:
        body["flags"] = EPHEMERAL
    return body


def with_picture(body: dict[str, Any], image: Image) -> dict[str, Any]:
    """A message body that shows `image` in its embed, for a multipart upload whose `files[0]` is the
    picture: Discord resolves `attachment://<filename>` to the file sent with the message."""
    out = dict(body)
    embeds = [dict(e) for e in body.get("embeds") or [{"color": COLOUR}]]
    embeds[0]["image"] = {"url": f"attachment://{image.filename}"}
    out["embeds"] = embeds
    out["attachments"] = [{"id": 0, "filename": image.filename,
                           "description": image.alt[:ATTACHMENT_DESCRIPTION_MAX]}]
    return out
