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
from bot.tracker import Tracker, load_tracker
from db import repo
from db.migrate import alembic_config, upgrade
from db.session import check_connection, make_engine, session_factory


@dataclass(slots=True)
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    now: datetime

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
