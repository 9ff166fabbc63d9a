"""The Discord application's settings. Read through Settings.section."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_API_URL = "https://discord.com/api/v10"


class DiscordSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    discord_application_id: str | None = Field(default=None, alias="DISCORD_APPLICATION_ID")
    # Hex Ed25519 public key from the developer portal: every interaction is signed with its private half.
    discord_public_key: str | None = Field(default=None, alias="DISCORD_PUBLIC_KEY")
    discord_bot_token: str | None = Field(default=None, alias="DISCORD_BOT_TOKEN")
    # Tests point this at a fake Discord on loopback.
    discord_api_url: str = Field(default=DEFAULT_API_URL, alias="DISCORD_API_URL")

    @property
    def answers(self) -> bool:
        """Interactions can be verified (the web process answers commands)."""
        return bool(self.discord_public_key and self.discord_application_id)

    @property
    def posts(self) -> bool:
        """The worker can post (a bot token)."""
        return bool(self.discord_bot_token)

    @property
    def api_url(self) -> str:
        return self.discord_api_url.rstrip("/")
