"""Block Kit rendering: what a Slack user would see, within Slack's limits, never a stray mention."""

from __future__ import annotations

import json

from bot.commands.reply import Line, Reply, Section
from bot.platforms.slack.render import MAX_BLOCKS, MAX_SECTION_CHARS, command_response, escape, render_blocks


def texts(blocks: list[dict]) -> list[str]:
    out = []
    for b in blocks:
        if "text" in b:
            out.append(b["text"]["text"])
        out.extend(e["text"] for e in b.get("elements", []))
    return out


def test_article_text_cannot_ping_or_link() -> None:
    hostile = "<!channel> Kremlin & Tokyo <@U123> <https://evil.example|click>"
    reply = Reply(title=f"Search: {hostile}", note=hostile, error=hostile, sections=[
        Section(hostile, [Line(text=hostile, source_title=hostile, source_url="https://news.example/a?x=1&y=2|z>")]),
    ])
    body = command_response(reply)
    dumped = json.dumps(body)
    for raw in ("<!channel>", "<@U123>", "<https://evil.example"):
        assert raw not in dumped
    assert "&lt;!channel&gt; Kremlin &amp; Tokyo &lt;@U123&gt;" in body["text"]
    line = texts(body["blocks"])[-1]
    # the one link is ours, to the article, with its title escaped and the URL unable to close the link
    assert "<https://news.example/a?x=1&amp;y=2%7Cz&gt;|&lt;!channel&gt; Kremlin &amp; Tokyo" in line
    assert all(b["text"]["verbatim"] for b in body["blocks"] if "text" in b)


def test_non_http_source_is_not_a_link() -> None:
    blocks = render_blocks(Reply(title="t", sections=[Section("s", [Line("x", "feed", "file:///etc/passwd")])]))
    assert "<file:" not in json.dumps(blocks)
    assert texts(blocks)[-1].endswith("\u2014 feed")


def test_ephemeral_unless_asked() -> None:
    assert command_response(Reply(title="x"))["response_type"] == "ephemeral"
    assert command_response(Reply(title="x", in_channel=True))["response_type"] == "in_channel"


def test_long_reply_fits_slack_and_points_to_the_rest() -> None:
    lines = [Line(text=f"Summit {i} " + "talks " * 60, source_title="Wire", source_url=f"https://n.example/{i}")
             for i in range(400)]
    reply = Reply(title="Timeline", sections=[Section("Events by date", lines[:200]), Section("More", lines[200:])])
    blocks = render_blocks(reply, more_hint="Ask for less, e.g. `/kuril timeline 10`.")
    assert len(blocks) == MAX_BLOCKS
    assert all(len(t) <= MAX_SECTION_CHARS for t in texts(blocks))
    shown = sum(t.count("\u2022 ") for t in texts(blocks))
    pointer = texts(blocks)[-1]
    assert pointer.startswith(f"{400 - shown} more lines not shown")
    assert "/kuril timeline 10" in pointer
    # lines are never split between blocks: every shown line is whole, in order
    assert "Summit 0 " in texts(blocks)[1] and f"Summit {shown - 1} " in texts(blocks)[-2]


def test_one_huge_line_is_cut_not_inside_an_escape() -> None:
    text = "&" * 5000
    blocks = render_blocks(Reply(title="t", sections=[Section("s", [Line(text)])]))
    body = texts(blocks)[1]
    assert len(body) <= MAX_SECTION_CHARS
    assert body.endswith("&amp;\u2026")


def test_empty_section_says_so() -> None:
    blocks = render_blocks(Reply(title="Next", sections=[Section("Scheduled", [], "Nothing scheduled.")]))
    assert texts(blocks)[1] == "*Scheduled*\n_Nothing scheduled._"


def test_escape() -> None:
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"


def test_slack_link_syntax_in_a_command_is_the_platforms_to_undo() -> None:
    from bot.platforms.slack import plain_text

    assert plain_text("sources add <https://news.example/rss?a=1|news.example/rss>") == \
        "sources add https://news.example/rss?a=1"
    assert plain_text("sources remove <http://news.example/feed>") == "sources remove http://news.example/feed"
    assert plain_text("search <!channel> Brunei") == "search <!channel> Brunei"  # only links are unwrapped
