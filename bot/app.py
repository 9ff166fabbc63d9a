"""Wiring for the entry points: settings -> engine -> sessions, tracker, clock. Nothing here runs at import."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot import clock
from bot.errors import UserError
from bot.settings import Settings
from bot.tracker import Tracker, available, load_tracker
from db import repo
from db.migrate import alembic_config, upgrade
from db.session import check_connection, make_engine, session_factory

log = logging.getLogger("ntrack.trackers")


@dataclass(slots=True)
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    now: datetime
    _trackers: dict[int, Tracker] | None = None
    # Tracker files left out by trackers(), one line each (the file, and what is wrong with it).
    tracker_problems: list[str] = field(default_factory=list)
    # trackers() syncs the tracker rows on its first call: two threads of the web process asking at
    # once must not both insert them.
    _first_read: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def by_slug(self, slug: str) -> tuple[Tracker, int] | None:
        """The tracker with this slug and its database id (None: ntrack has no such tracker)."""
        return next(((t, tid) for tid, t in self.trackers().items() if t.slug == slug), None)

    def trackers(self) -> dict[int, Tracker]:
        """Every tracker file ntrack knows (built-in and NTRACK_TRACKERS_DIR), by database id; synced
        once per runtime. A broken file is left out, logged once and listed in `tracker_problems`, so
        every other tracker keeps working (loading it by name still raises its UserError). Two
        trackers may not share a slash command: the second one (by name) is left out."""
        with self._first_read:
            if self._trackers is None:
                self._trackers = self._read_trackers()
            return self._trackers

    def _read_trackers(self) -> dict[int, Tracker]:
        found: list[Tracker] = []
        problems: list[str] = []
        commands: dict[str, str] = {}
        for slug in available(self.settings.trackers_dir):
            try:
                t = load_tracker(slug, self.settings.trackers_dir)
            except UserError as exc:
                problems.append(f"{exc}; tracker {slug!r} left out")
                continue
            if t.command in commands:
                problems.append(f"trackers {commands[t.command]!r} and {t.slug!r} both use the command "
                                f"{t.command}; tracker {t.slug!r} left out")
                continue
            commands[t.command] = t.slug
            found.append(t)
        for line in problems:
            log.error("%s", line)
        self.tracker_problems = problems
        return {self.tracker_id(t): t for t in found}

    def titles(self) -> dict[int, str]:
        """Tracker id -> the name its alerts start with (its command)."""
        return {tid: t.command for tid, t in self.trackers().items()}

    def tracker(self, slug: str | None = None) -> Tracker:
        return load_tracker(slug or self.settings.default_tracker, self.settings.trackers_dir)

    def tracker_id(self, tracker: Tracker) -> int:
        with self.sessions.begin() as session:
            return repo.sync_tracker(session=session, tracker=tracker).id


def schema_is_current(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head


def open_runtime(settings: Settings, *, migrate: bool | None = None) -> Runtime:
    """Connect, and bring the schema to head: always on SQLite, on request elsewhere.

    On PostgreSQL the release phase (`ntrack db upgrade`) migrates; a stale schema is a clear error.
    """
    now = clock.now(settings.now)
    engine = make_engine(settings.database_url)
    check_connection(engine)
    if migrate is None:
        migrate = engine.dialect.name == "sqlite"
    if not schema_is_current(engine):
        if not migrate:
            raise UserError("the database schema is not up to date: run `ntrack db upgrade`")
        upgrade(engine)
    return Runtime(settings=settings, engine=engine, sessions=session_factory(engine), now=now)
