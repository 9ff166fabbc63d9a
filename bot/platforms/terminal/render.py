"""Render a neutral Reply for a terminal (`ntrack ask`, the demo, the terminal outbox)."""

from __future__ import annotations

from bot.commands.reply import Reply


def render_text(reply: Reply, *, sources: bool = True) -> str:
    out = [reply.title]
    if reply.error:
        out.append(f"! {reply.error}")
    if reply.note:
        out.append(reply.note)
    for section in reply.sections:
        out.append("")
        out.append(f"{section.title}:")
        if not section.lines:
            out.append(f"  {section.empty}")
        for line in section.lines:
            out.append(f"  - {line.text}")
            if sources and (line.source_title or line.source_url):
                src = line.source_title or ""
                if line.source_url:
                    src = f"{src} <{line.source_url}>" if src else line.source_url
                out.append(f"      source: {src}")
    return "\n".join(out)


def render_alert(reply: Reply) -> str:
    """An alert in a few lines: what changed, the sentence that said so, and the article."""
    out = [reply.title]
    for section in reply.sections:
        for line in section.lines:
            if section.title != "Source":
                out.append(f"    {line.text}")
                continue
            src = line.text + (f" <{line.source_url}>" if line.source_url else "")
            out.append(f"    source: {src}")
    return "\n".join(out)
