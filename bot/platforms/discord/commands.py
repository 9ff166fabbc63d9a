"""The tracker's slash command as Discord defines it (one subcommand per command of the core, options
typed), and an interaction's options turned back into the core's command text."""

from __future__ import annotations

import re
import shlex
from typing import Any

from bot.commands.reply import Line, Reply, Section
from bot.event_types import EVENT_TYPES
from bot.tracker import Tracker
from bot.weekly import DAYS

# Application command option types
SUB_COMMAND, STRING, INTEGER, BOOLEAN = 1, 3, 4, 5
CHAT_INPUT = 1
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3  # implies every permission
# Subcommands that need Manage Server: they change what a channel gets (and `sources add|remove`,
# which changes what the tracker reads: see needs_manager).
MANAGER_ACTIONS = {
    "subscribe": "subscribe this channel to alerts",
    "unsubscribe": "unsubscribe this channel",
    "summary-time": "set when this channel gets the weekly summary",
}
NEEDS_MANAGER = frozenset(MANAGER_ACTIONS)
MAX_LIST = 50

_PUBLIC = {"type": BOOLEAN, "name": "public", "description": "Post the answer for the channel (default: only you)"}


def _opt(kind: int, name: str, description: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "name": name, "description": description[:100], **extra}


def _sub(name: str, description: str, *options: dict[str, Any]) -> dict[str, Any]:
    return {"type": SUB_COMMAND, "name": name, "description": description[:100], "options": [*options, _PUBLIC]}


def command_name(tracker: Tracker) -> str:
    """'/kuril' -> 'kuril' (Discord: lowercase letters, digits, - and _, at most 32)."""
    name = re.sub(r"[^\w-]", "", tracker.command.lstrip("/").lower())[:32]
    return name or tracker.slug[:32]


def definition(tracker: Tracker) -> dict[str, Any]:
    """The command for a bulk overwrite (PUT .../commands)."""
    return {
        "name": command_name(tracker),
        "type": CHAT_INPUT,
        "description": (tracker.title or tracker.slug)[:100],
        "options": [
            _sub("status", "Next events, latest developments and active deadlines"),
            _sub("next", "The next scheduled meetings and visits"),
            _sub("timeline", "The last events by date",
                 _opt(INTEGER, "count", "How many (1-50, default 10)", min_value=1, max_value=MAX_LIST)),
            _sub("deadlines", "Target dates and where they stand"),
            _sub("events", "Recent events, optionally of one type",
                 _opt(STRING, "type", "The type of event", choices=[{"name": t, "value": t} for t in EVENT_TYPES])),
            _sub("who", "A person's or a party's recent events and stated positions",
                 _opt(STRING, "name", "A name or surname", required=True, autocomplete=True, max_length=100)),
            _sub("search", "Events and articles that mention words",
                 _opt(STRING, "words", "What to look for", required=True, max_length=200)),
            _sub("sources", "The feeds this tracker reads, and their health",
                 _opt(STRING, "action", "Add or remove a feed (Manage Server)",
                      choices=[{"name": "list", "value": "list"}, {"name": "add", "value": "add"},
                               {"name": "remove", "value": "remove"}]),
                 _opt(STRING, "url", "The feed's URL, for add and remove", max_length=2000)),
            _sub("subscribe", "Alerts in this channel (Manage Server)",
                 _opt(STRING, "level", "Every change, or major ones only",
                      choices=[{"name": "all", "value": "all"}, {"name": "major", "value": "major"}])),
            _sub("unsubscribe", "Stop alerts in this channel (Manage Server)"),
            _sub("summary-time", "When this channel gets the weekly summary (Manage Server)",
                 _opt(STRING, "day", "Day of the week", choices=[{"name": d, "value": d} for d in DAYS]),
                 _opt(STRING, "time", "HH:MM, 24-hour (default 09:00)", max_length=5),
                 _opt(STRING, "zone", "IANA time zone, e.g. Asia/Tokyo (default UTC)", max_length=64)),
            _sub("summary", "The weekly summary, now"),
            _sub("calendar", "Links to follow the dated events in a calendar app and the changes in a feed reader"),
            _sub("help", "What this command can do"),
        ],
    }


def _values(options: Any) -> dict[str, Any]:
    if not isinstance(options, list):
        return {}
    return {str(o.get("name")): o.get("value") for o in options if isinstance(o, dict)}


def subcommand(data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(subcommand name, its option values) of an interaction's data; ('status', {}) when absent."""
    options = data.get("options")
    first = options[0] if isinstance(options, list) and options and isinstance(options[0], dict) else {}
    if first.get("type") != SUB_COMMAND:
        return "status", _values(options)
    return str(first.get("name") or "status"), _values(first.get("options"))


def focused(data: dict[str, Any]) -> tuple[str, str, str] | None:
    """(subcommand, option name, what was typed so far) of an autocomplete interaction's data."""
    options = data.get("options")
    first = options[0] if isinstance(options, list) and options and isinstance(options[0], dict) else {}
    inner = first.get("options") if first.get("type") == SUB_COMMAND else options
    for option in inner if isinstance(inner, list) else []:
        if isinstance(option, dict) and option.get("focused"):
            return str(first.get("name") or ""), str(option.get("name") or ""), str(option.get("value") or "")
    return None


def can_manage(interaction: dict[str, Any]) -> bool:
    """Manage Server (or Administrator) in the interaction's computed permissions; none outside a server."""
    member = interaction.get("member")
    if not interaction.get("guild_id") or not isinstance(member, dict):
        return False
    try:
        permissions = int(str(member.get("permissions") or "0"))
    except ValueError:
        return False
    return bool(permissions & (MANAGE_GUILD | ADMINISTRATOR))


def needs_manager(name: str, values: dict[str, Any]) -> str | None:
    """What the subcommand would do, in words for a refusal, when it needs Manage Server; else None."""
    if name in NEEDS_MANAGER:
        return MANAGER_ACTIONS[name]
    if name == "sources" and values.get("action") in {"add", "remove"}:
        return f"{values['action']} sources"
    return None


def _free(value: Any) -> str:
    """Free text (a name, search words) as arguments the core reads back word for word.

    The core takes a last word `public` as "post for the channel"; here that is the `public` option,
    so a last word "public" is kept with the word before it (the core joins them again)."""
    words = str(value or "").replace('"', " ").split()
    if len(words) >= 2 and words[-1].lower() == "public":
        words[-2:] = [" ".join(words[-2:])]
    return shlex.join(words)


def to_text(name: str, values: dict[str, Any]) -> tuple[str, bool]:
    """The core's command text for a subcommand and its options, and whether to answer publicly."""
    public = values.get("public") is True
    if name == "timeline" and isinstance(values.get("count"), int) and not isinstance(values["count"], bool):
        return f"timeline {values['count']}", public
    if name == "events" and values.get("type"):
        return f"events {shlex.quote(str(values['type']))}", public
    if name in {"who", "search"}:
        return f"{name} {_free(values.get('name' if name == 'who' else 'words'))}".strip(), public
    if name == "sources" and values.get("action") in {"add", "remove"}:
        return f"sources {values['action']} {shlex.quote(str(values.get('url') or '').strip())}".strip(), public
    if name == "subscribe" and values.get("level"):
        return f"subscribe {shlex.quote(str(values['level']))}", public
    if name == "summary-time":
        parts = [str(values[k]).strip() for k in ("day", "time", "zone") if values.get(k)]
        return " ".join(["subscribe", "weekly", *(shlex.quote(p) for p in parts if p)]), public
    return name, public


def help_reply(tracker: Tracker) -> Reply:
    """`/kuril help` in Discord's own terms: each subcommand with its options as Discord shows them."""
    name = command_name(tracker)
    lines = []
    for sub in definition(tracker)["options"]:
        options = " ".join(f"{o['name']}:" + ("…" if o.get("required") else "…?") for o in sub["options"]
                           if o["name"] != "public")
        lines.append(Line(f"/{name} {sub['name']}{' ' + options if options else ''}: {sub['description']}"))
    return Reply(title=f"/{name}: {tracker.title}", note="Add public:True to show an answer to the channel.",
                 sections=[Section("Commands", lines)])
