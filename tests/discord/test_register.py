"""`ntrack discord register [--guild ID]`: one bulk overwrite of every tracker file's command, on the
fake Discord; idempotent; one-line errors. And the command definitions are within Discord's limits."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.platforms.discord import commands
from bot.tracker import load_tracker
from tests.conftest import CliResult
from tests.discord.fake_discord import APPLICATION_ID, BOT_TOKEN, GUILD_ID, FakeDiscord

CYPRUS = 'slug = "cyprus"\ntitle = "Cyprus reunification talks"\ncommand = "/cyprus"\nkeywords = ["Cyprus"]\n'
DISCORD_VARS = ("DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN", "DISCORD_API_URL")


@pytest.fixture
def trackers_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "trackers"
    folder.mkdir()
    (folder / "cyprus.toml").write_text(CYPRUS)
    return folder


@pytest.fixture
def register(ntrack: Callable[..., CliResult], fake_discord: FakeDiscord, trackers_dir: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., CliResult]]:
    """`ntrack discord register ARGS` in this process, configured for the fake Discord (no database:
    DATABASE_URL points where nothing listens, and registering must not need it)."""
    for name in DISCORD_VARS:
        monkeypatch.delenv(name, raising=False)
    env = {"DISCORD_APPLICATION_ID": APPLICATION_ID, "DISCORD_BOT_TOKEN": BOT_TOKEN,
           "DISCORD_API_URL": fake_discord.api_url, "NTRACK_TRACKERS_DIR": str(trackers_dir),
           "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none"}

    def run(*args: str, **extra: str) -> CliResult:
        return ntrack("discord", "register", *args, env={**env, **extra})

    yield run


def _without_ids(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in c.items() if k not in {"id", "application_id"}} for c in stored]


def test_register_in_a_guild_puts_one_command_per_tracker_file(
    register: Callable[..., CliResult], fake_discord: FakeDiscord, trackers_dir: Path
) -> None:
    result = register("--guild", GUILD_ID)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"registered /cyprus, /kuril in server {GUILD_ID}"
    [call] = fake_discord.calls_to("PUT guild-commands")
    assert call.params == {"app": APPLICATION_ID, "guild": GUILD_ID}
    assert call.headers["authorization"] == f"Bot {BOT_TOKEN}"
    expected = [commands.definition(load_tracker(slug, str(trackers_dir))) for slug in ("cyprus", "kuril")]
    assert call.body == expected
    assert _without_ids(fake_discord.commands[GUILD_ID]) == expected
    assert "global" not in fake_discord.commands


def test_register_is_idempotent(register: Callable[..., CliResult], fake_discord: FakeDiscord) -> None:
    assert register("--guild", GUILD_ID).returncode == 0
    first = _without_ids(fake_discord.commands[GUILD_ID])
    again = register("--guild", GUILD_ID)
    assert again.returncode == 0, again.stderr
    assert _without_ids(fake_discord.commands[GUILD_ID]) == first
    assert [c.body for c in fake_discord.calls_to("PUT guild-commands")] == [first, first]  # one call each, equal


def test_register_without_a_guild_installs_global_commands(
    register: Callable[..., CliResult], fake_discord: FakeDiscord
) -> None:
    result = register()
    assert result.returncode == 0, result.stderr
    assert "every server" in result.stdout
    assert [c["name"] for c in fake_discord.commands["global"]] == ["cyprus", "kuril"]
    assert fake_discord.calls_to("PUT commands")[0].params == {"app": APPLICATION_ID}


@pytest.mark.parametrize("missing", ["DISCORD_APPLICATION_ID", "DISCORD_BOT_TOKEN"])
def test_register_without_settings_is_a_one_line_error(
    register: Callable[..., CliResult], fake_discord: FakeDiscord, missing: str
) -> None:
    result = register("--guild", GUILD_ID, **{missing: ""})
    assert result.returncode == 1
    assert result.stderr.strip() == ("ntrack: set DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN to register commands "
                                     "(see README: Discord)")
    assert result.stderr.count("\n") == 1 and fake_discord.calls == []


def test_register_with_no_discord_settings_at_all(
    ntrack: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in DISCORD_VARS:
        monkeypatch.delenv(name, raising=False)
    result = ntrack("discord", "register")
    assert result.returncode == 1
    assert result.stderr.startswith("ntrack: set DISCORD_APPLICATION_ID") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("guild", ["my-server", "12a", "\u0661\u0662"])
def test_a_guild_must_be_a_numeric_id(register: Callable[..., CliResult], fake_discord: FakeDiscord,
                                      guild: str) -> None:
    result = register("--guild", guild)
    assert result.returncode == 1 and "--guild takes a server's numeric id" in result.stderr
    assert fake_discord.calls == []


def test_discord_refusing_is_a_one_line_error(register: Callable[..., CliResult], fake_discord: FakeDiscord) -> None:
    fake_discord.fail_next("PUT guild-commands", 400, code=50035)
    result = register("--guild", GUILD_ID)
    assert result.returncode == 1
    assert result.stderr.startswith("ntrack: Discord refused the commands:") and "50035" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_discord_unreachable_is_a_one_line_error(register: Callable[..., CliResult]) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = register("--guild", GUILD_ID, DISCORD_API_URL=f"http://127.0.0.1:{port}/api/v10")
    assert result.returncode == 1
    assert "cannot reach Discord" in result.stderr and result.stderr.count("\n") == 1


def test_two_trackers_making_one_command_name_are_refused(
    register: Callable[..., CliResult], fake_discord: FakeDiscord, trackers_dir: Path
) -> None:
    (trackers_dir / "cyprus2.toml").write_text(CYPRUS.replace('"cyprus"', '"cyprus2"').replace("/cyprus", "/Cyprus"))
    result = register("--guild", GUILD_ID)
    assert result.returncode == 1 and "both make the Discord command /cyprus" in result.stderr
    assert fake_discord.calls == []


# ------------------------------------------------------------------ the definition's limits

NAME = re.compile(r"^[-_\w]{1,32}$")


def _strings(command: dict[str, Any]) -> int:
    """Discord's 8,000-character budget: names, descriptions and choice values, all levels."""
    total = len(command["name"]) + len(command.get("description", ""))
    for option in command.get("options", []):
        total += _strings(option)
    for choice in command.get("choices", []):
        total += len(choice["name"]) + len(str(choice["value"]))
    return total


def _check(option: dict[str, Any]) -> None:
    assert NAME.match(option["name"]) and option["name"] == option["name"].lower(), option["name"]
    assert 1 <= len(option["description"]) <= 100
    options = option.get("options", [])
    assert len(options) <= 25
    required = [o.get("required", False) for o in options]
    assert required == sorted(required, reverse=True), f"{option['name']}: required options come first"
    assert len({o["name"] for o in options}) == len(options)
    assert len(option.get("choices", [])) <= 25
    for choice in option.get("choices", []):
        assert 1 <= len(choice["name"]) <= 100
    for inner in options:
        _check(inner)


def test_the_definition_is_within_discords_limits() -> None:
    definition = commands.definition(load_tracker("kuril"))
    assert definition["name"] == "kuril" and definition["type"] == 1
    _check(definition)
    assert _strings(definition) <= 8000
    subs = [o["name"] for o in definition["options"]]
    assert subs == ["status", "next", "timeline", "deadlines", "events", "who", "search", "sources", "subscribe",
                    "unsubscribe", "summary-time", "summary", "calendar", "help"]
    who = next(o for o in definition["options"] if o["name"] == "who")
    assert who["options"][0]["autocomplete"] is True
    assert all(o["options"][-1]["name"] == "public" for o in definition["options"])


def test_command_names_follow_discords_rules() -> None:
    kuril = load_tracker("kuril")
    assert commands.command_name(kuril) == "kuril"
    from dataclasses import replace

    assert commands.command_name(replace(kuril, command="/Peace Talks!")) == "peacetalks"
    assert commands.command_name(replace(kuril, command="/" + "x" * 40)) == "x" * 32
    assert commands.command_name(replace(kuril, command="/!!!")) == kuril.slug
