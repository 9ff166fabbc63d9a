"""`/kuril calendar`: the calendar and changes-feed links when this ntrack publishes them (and the
links are the addresses the web process serves), one line when it does not; through the command
core, the terminal and Discord."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.app import Runtime, open_runtime
from bot.commands.core import CommandContext, run_command
from bot.service import answer
from bot.settings import Settings
from bot.web import create_app
from tests.discord.conftest import command, discord_settings, interact
from tests.discord.fake_discord import FakeDiscordServer

PUBLIC = "https://ntrack.example/news"
NOT_PUBLISHED = "This ntrack does not publish a calendar or a changes feed."


def runtime_with(db_url: str, **extra: str) -> Runtime:
    return open_runtime(Settings(DATABASE_URL=db_url, NTRACK_NOW="2000-11-06T12:00:00Z", **extra),  # type: ignore[arg-type]
                        migrate=True)


def lines(reply: Any) -> list[str]:
    return [line.text for section in reply.sections for line in section.lines]


def test_the_core_answers_with_the_links(runtime: Runtime) -> None:
    tracker = runtime.tracker("kuril")
    with runtime.sessions.begin() as session:
        ctx = CommandContext(session=session, tracker=tracker, tracker_id=runtime.tracker_id(tracker),
                             now=runtime.now, public_url=PUBLIC + "/")
        reply = run_command("calendar", ctx)
        assert reply.error is None and "calendar" in reply.title
        assert lines(reply) == ["Subscribe: webcal://ntrack.example/news/t/kuril/calendar.ics",
                                "Address (ICS): https://ntrack.example/news/t/kuril/calendar.ics",
                                "Atom: https://ntrack.example/news/t/kuril/changes.atom"]
        ctx.public_url = None
        unpublished = run_command("calendar", ctx)
        assert (unpublished.title, unpublished.sections, unpublished.error) == (NOT_PUBLISHED, [], None)
        assert "calendar: links to follow" in "\n".join(run_command("help", ctx).text_lines())


def test_the_links_are_what_the_web_process_serves(db_url: str) -> None:
    rt = runtime_with(db_url, NTRACK_PUBLIC_URL=PUBLIC)
    try:
        reply = answer(rt, rt.tracker("kuril"), "calendar")
        client = TestClient(create_app(rt))
        served = {}
        for text in lines(reply):
            url = text.split(": ", 1)[1]
            assert url.split("://", 1)[1].startswith("ntrack.example/news/t/kuril/")
            resp = client.get(url.split("/news", 1)[1])  # the path behind the public base
            served[url.rsplit(".", 1)[1]] = (resp.status_code, resp.headers["content-type"].split(";")[0])
        assert served == {"ics": (200, "text/calendar"), "atom": (200, "application/atom+xml")}
    finally:
        rt.engine.dispose()


@pytest.mark.parametrize("extra", [{}, {"NTRACK_PUBLIC_URL": PUBLIC, "NTRACK_PAGES": "off"},
                                   {"NTRACK_PUBLIC_URL": "  "}], ids=["no-url", "pages-off", "blank-url"])
def test_a_deployment_that_does_not_publish_says_so_in_one_line(db_url: str, extra: dict[str, str]) -> None:
    rt = runtime_with(db_url, **extra)
    try:
        reply = answer(rt, rt.tracker("kuril"), "calendar")
        assert reply.title == NOT_PUBLISHED and not reply.sections and reply.error is None
    finally:
        rt.engine.dispose()


def test_the_terminal_prints_the_links(ntrack: Callable[..., Any], db_url: str) -> None:
    env = {"DATABASE_URL": db_url, "NTRACK_NOW": "2000-11-06T12:00:00Z", "NTRACK_PUBLIC_URL": PUBLIC}
    result = ntrack("ask", "calendar", env=env)
    assert result.returncode == 0, result.stderr
    assert "webcal://ntrack.example/news/t/kuril/calendar.ics" in result.stdout
    assert "https://ntrack.example/news/t/kuril/changes.atom" in result.stdout
    off = ntrack("ask", "calendar", env={**env, "NTRACK_PAGES": "off"})
    assert NOT_PUBLISHED in off.stdout and "webcal" not in off.stdout


def test_discord_has_the_subcommand_and_answers_it(db_url: str) -> None:
    with FakeDiscordServer() as fake:
        rt = open_runtime(discord_settings(db_url, fake, NTRACK_PUBLIC_URL=PUBLIC), migrate=True)
        try:
            with TestClient(create_app(rt), base_url="https://testserver") as client:
                resp = interact(client, command("calendar"))
            assert resp.status_code == 200
            data = resp.json()["data"]
            [embed] = data["embeds"]
            shown = f"{embed['title']}\n{embed.get('description', '')}"
            assert "webcal://ntrack.example/news/t/kuril/calendar.ics" in shown
            assert "https://ntrack.example/news/t/kuril/changes.atom" in shown
            assert data["flags"] == 64  # only the asker sees it, as every answer without public:True
        finally:
            rt.engine.dispose()
