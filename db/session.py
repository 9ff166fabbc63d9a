"""Engines and sessions. The URL comes from settings; schema comes from migrations only."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import UserError

# The PostgreSQL driver ntrack installs is psycopg 3: a URL that names no driver (SQLAlchemy's
# default for it is psycopg2, not installed) or Heroku's "postgres://" uses it.
_PG_SCHEMES = ("postgresql://", "postgres://")


def driver_url(url: str) -> str:
    """`postgresql://` and `postgres://` -> `postgresql+psycopg://`; any other URL as it is."""
    for scheme in _PG_SCHEMES:
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets its directory made, foreign keys on and WAL."""
    url = driver_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1] if "///" in url else ""
        if path and path != ":memory:":
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UserError(f"cannot create the database directory for {url}: {exc.strerror}") from None
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            # WAL with NORMAL sync survives a crash of the process (an OS crash may lose the last
            # commits, never corrupt the file); a sync per article would dominate a backfill's writes
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    try:
        return create_engine(url, pool_pre_ping=True, connect_args=_connect_args(url))
    except (SQLAlchemyError, ValueError) as exc:
        raise UserError(f"bad DATABASE_URL {redact(url)}: {exc}") from None


def _connect_args(url: str) -> dict[str, object]:
    return {"connect_timeout": 5} if url.startswith("postgresql") else {}


def redact(url: str) -> str:
    """The URL with any password hidden, for error messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url


def check_connection(engine: Engine) -> None:
    """Raise a one-line UserError when the database cannot be reached."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        raise UserError(f"cannot reach the database at {redact(str(engine.url))}: {reason}") from None


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
