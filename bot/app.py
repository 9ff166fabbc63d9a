"""Wiring for the entry points: settings -> engine -> sessions, tracker, clock. Nothing here runs at import."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(slots=True)
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    now: datetime
    _trackers: dict[int, Tracker] | None = None

    def trackers(self) -> dict[int, Tracker]:
        """Every tracker file ntrack knows (built-in and NTRACK_TRACKERS_DIR), by database id; synced
        once per runtime. Two trackers may not share a slash command."""
        if self._trackers is None:
            found = [load_tracker(slug, self.settings.trackers_dir) for slug in available(self.settings.trackers_dir)]
            commands: dict[str, str] = {}
            for t in found:
                if t.command in commands:
                    raise UserError(f"trackers {commands[t.command]!r} and {t.slug!r} both use the command {t.command}")
                commands[t.command] = t.slug
            self._trackers = {self.tracker_id(t): t for t in found}
        return self._trackers

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
