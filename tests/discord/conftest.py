"""Fixtures for Discord: a fake Discord REST API on loopback, an application key pair, a runtime
pointed at both, and interactions signed as Discord signs them (Ed25519 over timestamp + body)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from starlette.testclient import TestClient

from bot.app import Runtime, open_runtime
from bot.settings import Settings
from bot.web import create_app
from tests.discord.fake_discord import APPLICATION_ID, BOT_TOKEN, GUILD_ID, FakeDiscord, FakeDiscordServer

NOW = "2000-11-06T12:00:00Z"
PRIVATE_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
PUBLIC_KEY = PRIVATE_KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
CHANNEL = "300000000000000003"
MANAGE_GUILD = 1 << 5


@pytest.fixture
def fake_discord() -> Iterator[FakeDiscord]:
    with FakeDiscordServer() as state:
        yield state


def discord_settings(db_url: str, fake: FakeDiscord, **extra: str) -> Settings:
    values = {"DATABASE_URL": db_url, "NTRACK_NOW": NOW, "DISCORD_APPLICATION_ID": APPLICATION_ID,
              "DISCORD_PUBLIC_KEY": PUBLIC_KEY, "DISCORD_BOT_TOKEN": BOT_TOKEN, "DISCORD_API_URL": fake.api_url}
    values.update(extra)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def discord_rt(db_url: str, fake_discord: FakeDiscord) -> Iterator[Runtime]:
    rt = open_runtime(discord_settings(db_url, fake_discord), migrate=True)
    yield rt
    rt.engine.dispose()


@pytest.fixture
def discord_web(discord_rt: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(discord_rt), base_url="https://testserver") as client:
        yield client


def signed(body: bytes, *, key: Ed25519PrivateKey = PRIVATE_KEY, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {"X-Signature-Ed25519": key.sign(ts.encode() + body).hex(), "X-Signature-Timestamp": ts,
            "Content-Type": "application/json"}


def command(sub: str, *, permissions: int = 0, channel: str = CHANNEL, guild: str = GUILD_ID, token: str = "itoken",
            name: str = "kuril", **options: Any) -> dict[str, Any]:
    """An APPLICATION_COMMAND interaction for `/kuril SUB option:value ...` in a server channel."""
    opts = [{"type": 5 if isinstance(v, bool) else 4 if isinstance(v, int) else 3, "name": k, "value": v}
            for k, v in options.items()]
    return {
        "type": 2, "id": "400000000000000004", "application_id": APPLICATION_ID, "token": token, "version": 1,
        "guild_id": guild, "channel_id": channel,
        "member": {"user": {"id": "500000000000000005", "username": "analyst"}, "permissions": str(permissions)},
        "data": {"id": "600000000000000006", "name": name, "type": 1,
                 "options": [{"type": 1, "name": sub, "options": opts}]},
    }


def interact(client: TestClient, payload: dict[str, Any]) -> Any:
    """POST a signed interaction to /discord/interactions; the response object."""
    body = json.dumps(payload).encode()
    return client.post("/discord/interactions", content=body, headers=signed(body))
