"""Replies as Discord messages: article text escaped so it shows as typed and pings no one, one embed
within Discord's limits, mentions never parsed, ephemeral unless asked otherwise."""

from __future__ import annotations

import random
import re

import pytest

from bot.commands.reply import Line, Reply, Section
from bot.platforms.discord import PLATFORM, commands
from bot.platforms.discord.render import (
    DESCRIPTION_MAX,
    ELLIPSIS,
    LINE_MAX,
    TITLE_MAX,
    TOTAL_MAX,
    cut,
    embed,
    escape,
    line_text,
    link,
    message,
)

SPECIAL = "\\*_~`|[]<"


def unescape(text: str) -> str:
    """What Discord shows for escaped text (a backslash shows the next character as itself)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out).replace("@\u200b", "@")


def unescaped_specials(text: str) -> list[str]:
    found, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in SPECIAL:
            found.append(text[i])
        i += 1
    return found


@pytest.mark.parametrize("text", [
    "@everyone the talks collapse", "@here", "<@123456> said", "<@!123456>", "<@&987> role", "<#555> channel",
    "<t:1700000000:R>", "<:kuril:123>", "**bold** __under__ ~~gone~~ ||spoiler|| `code` ```block```",
    "[click](https://evil.example)", "# Heading", "-# subtext", "> quote", "- item", "+ item", "12. item",
    "back\\slash\\", "line one\nline two\r\n# not a heading", "Putin (Russia) & Mori",
])
def test_escaped_text_shows_exactly_what_was_written(text: str) -> None:
    escaped = escape(text)
    assert unescape(escaped) == " ".join(text.split())
    assert unescaped_specials(escaped) == []
    assert "\n" not in escaped
    assert "@everyone" not in escaped and "@here" not in escaped
    assert not re.match(r"[#>+-]|\d+\.", escaped), "it would start a heading, quote or list"


def test_escaping_random_text_round_trips() -> None:
    rng = random.Random(7)
    alphabet = SPECIAL + "@#->+.1 ()a\n:&"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        escaped = escape(text)
        assert unescape(escaped) == " ".join(text.split()), repr(text)
        assert unescaped_specials(escaped) == [], repr(text)


def test_cut_never_leaves_a_dangling_escape() -> None:
    text = escape("*" * 50)  # \*\*\*...
    for limit in range(1, 40):
        kept = cut(text, limit)
        assert len(kept) <= limit and kept.endswith(ELLIPSIS)
        body = kept[:-1]
        assert (len(body) - len(body.rstrip("\\"))) % 2 == 0, kept
    assert cut("short", 10) == "short"


@pytest.mark.parametrize(("url", "linked"), [
    ("https://news.example/a?b=1&c=2", True), ("http://news.example/", True), ("javascript:alert(1)", False),
    ("file:///etc/passwd", False), ("https://news.example/a)b", False), ("https://news.example/a b", False),
    ("https://news.example/" + "x" * 600, False), (None, False), ("https://news.example/\\", False),
])
def test_only_plain_http_links_are_linked(url: str | None, linked: bool) -> None:
    out = link(url, "[Putin] **meets** @everyone")
    if linked:
        assert out == f"[\\[Putin\\] \\*\\*meets\\*\\* @\u200beveryone]({url})"
    else:
        assert out == "\\[Putin\\] \\*\\*meets\\*\\* @\u200beveryone"


def test_a_long_line_is_cut_but_keeps_its_source_link() -> None:
    line = Line(text="word " * 400, source_title="A headline", source_url="https://news.example/x")
    text = line_text(line)
    assert len(text) <= LINE_MAX
    assert text.endswith(" \u2014 [A headline](https://news.example/x)")
    assert ELLIPSIS in text


def _huge_reply() -> Reply:
    lines = [Line(text=f"event {i} " + "**x** @everyone " * 30, source_title="t" * 400,
                  source_url=f"https://news.example/{i}") for i in range(200)]
    return Reply(title="T" * 1000, note="n" * 3000, error="e" * 3000,
                 sections=[Section("A", lines[:100]), Section("B", lines[100:]), Section("Empty", [])])


@pytest.mark.parametrize("key", [None, "ntrack-alert-1", "k" * 3000])
def test_an_embed_stays_within_every_limit(key: str | None) -> None:
    out = embed(_huge_reply(), more_hint="Ask for less, e.g. `/kuril timeline count:10`.", key=key)
    footer = out.get("footer", {}).get("text", "")
    assert len(out["title"]) <= TITLE_MAX
    assert len(out["description"]) <= DESCRIPTION_MAX
    assert len(footer) <= 2048
    assert len(out["title"]) + len(out["description"]) + len(footer) <= TOTAL_MAX
    assert out["description"].splitlines()[-1].startswith("*")
    assert "not shown.*" in out["description"] and "`/kuril timeline count:10`" in out["description"]
    assert "@everyone" not in out["description"]


def test_the_pointer_counts_the_lines_left_out() -> None:
    lines = [Line(text="x" * 500) for _ in range(30)]
    out = embed(Reply(title="Timeline", sections=[Section("Events by date", lines)]))
    shown = out["description"].count("\u2022")
    assert shown < 30
    assert f"*{30 - shown} more lines not shown.*" in out["description"]


def test_a_short_reply_is_shown_whole() -> None:
    reply = Reply(title="Next", note="a note", sections=[
        Section("Scheduled", [Line("Summit · Brunei · 15 Nov 2000", "Headline", "https://news.example/1")]),
        Section("Deadlines", [], "No active deadlines.")])
    out = embed(reply)
    assert out == {"title": "Next", "color": out["color"], "description": (
        "*a note*\n\n**Scheduled**\n\u2022 Summit · Brunei · 15 Nov 2000 \u2014 [Headline](https://news.example/1)\n\n"
        "**Deadlines**\n*No active deadlines.*")}


def test_a_title_only_reply_has_no_empty_description() -> None:
    assert "description" not in embed(Reply(title="Subscribed."))


@pytest.mark.parametrize(("in_channel", "ephemeral", "flags"), [
    (False, None, 64), (True, None, None), (True, True, 64), (False, False, None)])
def test_messages_are_ephemeral_unless_for_the_channel_and_never_parse_mentions(
    in_channel: bool, ephemeral: bool | None, flags: int | None
) -> None:
    body = message(Reply(title="x", in_channel=in_channel), ephemeral=ephemeral)
    assert body["allowed_mentions"] == {"parse": []}
    assert body.get("flags") == flags
    assert len(body["embeds"]) == 1


def test_the_platform_renders_with_this_module() -> None:
    assert PLATFORM.render(Reply(title="@everyone hi")) == message(Reply(title="@everyone hi"))


# ------------------------------------------------------------- options to the core's text


@pytest.mark.parametrize(("sub", "values", "text"), [
    ("status", {}, "status"),
    ("timeline", {"count": 7}, "timeline 7"),
    ("timeline", {"count": True}, "timeline"),
    ("events", {"type": "summit"}, "events summit"),
    ("who", {"name": "O'Brien"}, "who 'O'\"'\"'Brien'"),
    ("who", {"name": '"Mori"'}, "who Mori"),
    ("search", {"words": "Brunei  summit"}, "search Brunei summit"),
    ("search", {"words": "Japan public"}, "search 'Japan public'"),
    ("sources", {"action": "add", "url": "https://a.example/rss?x=1&y=2"}, "sources add 'https://a.example/rss?x=1&y=2'"),
    ("sources", {"action": "list"}, "sources"),
    ("subscribe", {"level": "major"}, "subscribe major"),
    ("summary-time", {}, "subscribe weekly"),
    ("summary-time", {"day": "fri", "time": "17:30", "zone": "Asia/Tokyo"}, "subscribe weekly fri 17:30 Asia/Tokyo"),
    ("help", {"public": True}, "help"),
])
def test_options_become_the_cores_text(sub: str, values: dict[str, object], text: str) -> None:
    assert commands.to_text(sub, values) == (text, values.get("public") is True)


def test_the_core_reads_the_text_back_word_for_word() -> None:
    from bot.commands.core import _words

    for name in ("O'Brien", 'Say "hi"', "a  b\tc", "x; rm -rf /", "Japan public"):
        text, _ = commands.to_text("who", {"name": name})
        command, args, public = _words(text)
        assert command == "who" and not public
        assert " ".join(args) == " ".join(name.replace('"', " ").split())


@pytest.mark.parametrize(("permissions", "guild", "member", "allowed"), [
    ("32", "1", True, True), ("8", "1", True, True), ("0", "1", True, False), (str((1 << 40) - 1 - 32 - 8), "1", True, False),
    ("32", None, True, False), ("32", "1", False, False), ("lots", "1", True, False), (None, "1", True, False),
])
def test_manage_server_is_read_from_the_members_permissions(
    permissions: str | None, guild: str | None, member: bool, allowed: bool
) -> None:
    interaction: dict[str, object] = {"guild_id": guild}
    if member:
        interaction["member"] = {"permissions": permissions}
    assert commands.can_manage(interaction) is allowed
