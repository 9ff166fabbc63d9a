"""Servers are recorded on their first interaction, once each."""

from __future__ import annotations

from starlette.testclient import TestClient

from bot.app import Runtime
from db import teams
from tests.discord.conftest import command, interact

OTHER_GUILD = "200000000000000099"


def test_a_server_is_recorded_on_its_first_command(discord_rt: Runtime, discord_web: TestClient) -> None:
    with discord_rt.sessions.begin() as s:
        assert teams.known(session=s, platform="discord") == []
    for payload in (command("status"), command("help"), command("next", guild=OTHER_GUILD)):
        assert interact(discord_web, payload).json()["type"] == 4
    with discord_rt.sessions.begin() as s:
        seen = teams.known(session=s, platform="discord")
    assert sorted(t for t, _ in seen) == sorted({command("status")["guild_id"], OTHER_GUILD})
    assert all(at.isoformat().startswith("2000-11-06") for _, at in seen)  # NTRACK_NOW of the fixture
