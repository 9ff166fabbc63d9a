"""What people read without chat, served by the web process from the database (never spaCy): for
each tracker, under /t/<slug>/, its page (site.py), its timeline picture (chart.py), its calendar
(calendar.py) and its changes as an Atom feed (atom.py). NTRACK_PAGES=off leaves them all out."""

from __future__ import annotations

from starlette.routing import BaseRoute

from bot.app import Runtime
from bot.public import atom, calendar, chart, site


def routes(rt: Runtime) -> list[BaseRoute]:
    return [*chart.routes(rt), *calendar.routes(rt), *atom.routes(rt), *site.routes(rt)]
