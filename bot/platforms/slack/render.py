"""Render a neutral Reply as Slack Block Kit, within Slack's limits, every piece of text escaped.

Escaping `&`, `<` and `>` is what keeps a headline such as "<!channel> talks collapse" from pinging
anyone: Slack only parses mentions and links inside angle brackets. `verbatim` stops Slack from
turning bare "#general" or URLs into links on its own.
"""

from __future__ import annotations

from typing import Any

from bot.commands.reply import Image, Line, Reply, Section

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_FALLBACK_CHARS = 3000
MAX_ALT_CHARS = 2000
ELLIPSIS = "\u2026"

Block = dict[str, Any]


def escape(text: str) -> str:
    """Plain text -> Slack mrkdwn that shows exactly that text (no mentions, no links)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str | None, label: str) -> str:
    """`<url|label>` for http(s) URLs; other URLs (files, javascript:) are not linked."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return escape(label)
    safe_url = escape(url).replace("|", "%7C")
    return f"<{safe_url}|{escape(label)}>"


def line_text(line: Line) -> str:
    text = f"\u2022 {escape(line.text)}"
    if line.source_url or line.source_title:
        text += f" \u2014 {link(line.source_url, line.source_title or 'source')}"
    return text


def _cut(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, never inside an escape such as `&amp;` or a link."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp, semi = cut.rfind("&"), cut.rfind(";")
    if amp > semi:
        cut = cut[:amp]
    lt, gt = cut.rfind("<"), cut.rfind(">")
    if lt > gt:
        cut = cut[:lt]
    return cut + ELLIPSIS


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text, "verbatim": True}]}


def _section_blocks(section: Section) -> list[tuple[Block, int]]:
    """One reply section -> section blocks of at most 3,000 characters, with how many lines each holds."""
    head = f"*{escape(section.title)}*"
    if not section.lines:
        return [(_section(_cut(f"{head}\n_{escape(section.empty)}_", MAX_SECTION_CHARS)), 0)]
    out: list[tuple[Block, int]] = []
    text, count = head, 0
    for line in section.lines:
        piece = _cut(line_text(line), MAX_SECTION_CHARS - len(head) - 1)
        if len(text) + 1 + len(piece) > MAX_SECTION_CHARS:
            out.append((_section(text), count))
            text, count = head + " (cont.)", 0
        text, count = f"{text}\n{piece}", count + 1
    out.append((_section(text), count))
    return out


def image_block(image: Image, public_url: str) -> Block:
    """The picture as Slack fetches it from ntrack's public side: its path carries the content hash,
    so a changed picture is a new URL (Slack caches images by URL). Slack needs no upload scope."""
    return {"type": "image", "image_url": public_url.rstrip("/") + image.path, "alt_text": image.alt[:MAX_ALT_CHARS],
            "title": {"type": "plain_text", "text": "Timeline"}}


def render_blocks(reply: Reply, *, more_hint: str = "", public_url: str | None = None) -> list[Block]:
    """The reply as at most 50 blocks; what does not fit is replaced by a pointer to the rest.
    `public_url`: where ntrack's pictures are served; without it a reply's picture is left out."""
    blocks: list[tuple[Block, int]] = [(_section(f"*{escape(reply.title)}*"), 0)]
    if reply.error:
        blocks.append((_section(f":warning: {escape(reply.error)}"), 0))
    if reply.note:
        blocks.append((_context(escape(reply.note)), 0))
    if reply.image is not None and public_url:
        blocks.append((image_block(reply.image, public_url), 0))
    for section in reply.sections:
        blocks.extend(_section_blocks(section))
    if len(blocks) <= MAX_BLOCKS:
        return [b for b, _ in blocks]
    kept, dropped = blocks[: MAX_BLOCKS - 1], blocks[MAX_BLOCKS - 1:]
    hidden = sum(n for _, n in dropped)
    pointer = f"{hidden} more lines not shown (Slack shows {MAX_BLOCKS} blocks at most)."
    if more_hint:
        pointer += f" {escape(more_hint)}"
    return [b for b, _ in kept] + [_context(pointer)]


def fallback_text(reply: Reply) -> str:
    """The notification text (shown where blocks cannot be)."""
    text = reply.title + (f": {reply.error}" if reply.error else "")
    return _cut(escape(text), MAX_FALLBACK_CHARS)


def command_response(reply: Reply, *, more_hint: str = "", public_url: str | None = None) -> dict[str, Any]:
    """The body of a slash command's answer: ephemeral unless the reply asks for the channel."""
    return {
        "response_type": "in_channel" if reply.in_channel else "ephemeral",
        "text": fallback_text(reply),
        "blocks": render_blocks(reply, more_hint=more_hint, public_url=public_url),
    }


def message(reply: Reply, *, more_hint: str = "", public_url: str | None = None) -> dict[str, Any]:
    """Arguments for chat.postMessage (alerts, weekly summaries)."""
    return {"text": fallback_text(reply), "blocks": render_blocks(reply, more_hint=more_hint, public_url=public_url)}
