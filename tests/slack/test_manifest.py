"""The Slack app manifest in the repo asks for what the code needs, and points where the app listens."""

from __future__ import annotations

import re

from bot.platforms.slack.app import INSTALL_PATH, REDIRECT_PATH
from bot.platforms.slack.workspaces import BOT_SCOPES
from bot.tracker import available, load_tracker
from tests.conftest import ROOT

MANIFEST = (ROOT / "bot" / "platforms" / "slack" / "manifest.yml").read_text()


def test_manifest_scopes_are_the_apps_scopes() -> None:
    bot_scopes = MANIFEST.split("bot:", 1)[1].split("settings:", 1)[0]
    assert set(re.findall(r"^\s+- ([a-z:.]+)", bot_scopes, re.M)) == set(BOT_SCOPES)


def test_manifest_has_every_trackers_command_and_our_urls() -> None:
    for slug in available():
        assert f"- command: {load_tracker(slug).command}\n" in MANIFEST
    assert MANIFEST.count("https://ntrack.example.org/slack/events") >= 2
    assert f"https://ntrack.example.org{REDIRECT_PATH}" in MANIFEST
    assert INSTALL_PATH == "/slack/install"
