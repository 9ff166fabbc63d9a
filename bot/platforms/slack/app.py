"""The Bolt app: one workspace (SLACK_BOT_TOKEN) or many (OAuth), every tracker's command registered."""

from __future__ import annotations

import weakref

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient

from bot.app import Runtime
from bot.errors import UserError
from bot.platforms.slack import commands
from bot.platforms.slack.settings import SlackSettings
from bot.platforms.slack.workspaces import BOT_SCOPES, api_url, installation_store, require_slack, state_store
from bot.settings import Settings, get_settings
from bot.tracker import Tracker

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
_SETTINGS: weakref.WeakKeyDictionary[App, Settings] = weakref.WeakKeyDictionary()


def settings_of(app: App) -> Settings:
    """The settings the Bolt app was made with (its web routes read their limits from them)."""
    return _SETTINGS.get(app) or get_settings()


def trackers_with_ids(rt: Runtime) -> list[tuple[Tracker, int]]:
    """Every tracker ntrack knows, synced to the database once, at start."""
    return [(t, tid) for tid, t in rt.trackers().items()]


def create_bolt_app(rt: Runtime, *, socket_mode: bool = False) -> App:
    """The Bolt app for HTTP (signing secret required) or Socket Mode (app token, no public URL)."""
    settings = rt.settings.section(SlackSettings)
    require_slack(settings)
    if not socket_mode and not settings.slack_signing_secret:
        raise UserError("SLACK_SIGNING_SECRET is required to verify Slack's requests (see README: the Slack app)")
    if settings.slack_oauth:
        app = App(
            signing_secret=settings.slack_signing_secret or "",
            client=WebClient(base_url=api_url(settings)),
            oauth_settings=OAuthSettings(
                client_id=settings.slack_client_id, client_secret=settings.slack_client_secret,
                scopes=list(BOT_SCOPES), installation_store=installation_store(settings, rt.engine),
                state_store=state_store(rt.engine), install_path=INSTALL_PATH, redirect_uri_path=REDIRECT_PATH,
            ),
            request_verification_enabled=not socket_mode,
            # HTTP: ack as soon as the listener returns, without Bolt polling for it every 10 ms
            process_before_response=not socket_mode,
        )
        app.enable_token_revocation_listeners()
    else:
        app = App(
            signing_secret=settings.slack_signing_secret or "",
            client=WebClient(token=settings.slack_bot_token, base_url=api_url(settings)),
            request_verification_enabled=not socket_mode,
            # HTTP: ack as soon as the listener returns, without Bolt polling for it every 10 ms
            process_before_response=not socket_mode,
        )
    commands.register(app, rt, trackers_with_ids(rt))
    _SETTINGS[app] = rt.settings
    return app
