"""Shared fixtures. Every test runs on SQLite; with TEST_DATABASE_URL set, on PostgreSQL instead.

No test touches the network or reads ../shared. The command line is run in this process (`ntrack`
fixture) with the session's spaCy pipeline; `run_cli` runs it in a subprocess, as a user does, for the
few tests that are about the process itself.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, create_engine, text

from bot.app import Runtime, open_runtime
from bot.settings import Settings
from tests.extracting import negotiation_extractor
from tests.feedserver import FeedServer

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLE_FEED = ROOT / "bot" / "data" / "sample" / "kuril-2000.xml"
PG_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may talk to loopback (their own servers, PostgreSQL) and nothing else."""
    real = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in {"127.0.0.1", "::1", "localhost"} and not host.startswith("/"):
            raise OSError(f"network access in tests is not allowed: {host}")
        return real(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _charts_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Timeline pictures drawn by a test go to its own directory, never the working tree's data/."""
    monkeypatch.setenv("NTRACK_CHART_DIR", str(tmp_path / "charts"))


# Each test process works in a schema of its own, so two runs on one server never collide.
PG_SCHEMA = f"ntrack_test_{os.getpid()}"


def _schema_url(url: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{PG_SCHEMA}%2Cpublic"


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def _drop_test_schema() -> Iterator[None]:
    yield
    if PG_URL:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        engine.dispose()


_PG_HEAD: list[str] = []  # the newest migration, read once
_PG_EMPTYING: dict[frozenset[str], str] = {}  # the schema's tables -> the SQL that empties them


def _pg_head() -> list[str]:
    if not _PG_HEAD:
        from alembic.script import ScriptDirectory

        from db.migrate import alembic_config

        _PG_HEAD.append(ScriptDirectory.from_config(alembic_config()).get_current_head() or "")
    return _PG_HEAD


def _emptying_sql(engine: Engine, tables: frozenset[str]) -> str:
    """Delete every row (tables that refer to others first) and restart every id sequence."""
    if tables not in _PG_EMPTYING:
        metadata = MetaData()
        metadata.reflect(engine, schema=PG_SCHEMA)
        with engine.connect() as conn:
            sequences = conn.scalars(text("SELECT sequencename FROM pg_sequences WHERE schemaname = :s"),
                                     {"s": PG_SCHEMA}).all()
        statements = [f'DELETE FROM {PG_SCHEMA}."{t.name}"' for t in reversed(metadata.sorted_tables)
                      if t.name != "alembic_version"]
        statements += [f'ALTER SEQUENCE {PG_SCHEMA}."{seq}" RESTART' for seq in sequences]
        _PG_EMPTYING[tables] = "; ".join(statements)
    return _PG_EMPTYING[tables]


def _empty_postgres(url: str) -> None:
    """PG_SCHEMA as a new database at the newest migration. It is migrated once per process, as the
    release phase would (`ntrack db upgrade`), and emptied between tests: every row deleted, every id
    sequence restarted, which costs a tenth of migrating again. A schema a test left at another
    revision (the migration tests go down and up) is dropped and migrated afresh."""
    from db.migrate import upgrade
    from db.session import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = frozenset(conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = :s"),
                                            {"s": PG_SCHEMA}).all())
            versions = (conn.scalars(text(f"SELECT version_num FROM {PG_SCHEMA}.alembic_version")).all()
                        if "alembic_version" in tables else [])
        if versions != _pg_head():
            assert PG_URL
            _reset_postgres(PG_URL)
            upgrade(engine)
            return
        with engine.begin() as conn:
            conn.exec_driver_sql(_emptying_sql(engine, tables))
    finally:
        engine.dispose()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh, empty database for one test, at the newest migration on PostgreSQL (SQLite: no schema
    yet; the first runtime migrates it, as ntrack does)."""
    if PG_URL:
        url = _schema_url(PG_URL)
        _empty_postgres(url)
        return url
    return f"sqlite:///{tmp_path / 'ntrack.db'}"


@pytest.fixture
def runtime(db_url: str) -> Iterator[Runtime]:
    rt = open_runtime(Settings(DATABASE_URL=db_url, NTRACK_NOW="2000-11-06T12:00:00Z"), migrate=True)
    yield rt
    rt.engine.dispose()


@pytest.fixture(scope="session")
def kuril():  # type: ignore[no-untyped-def]
    from bot.tracker import load_tracker

    return load_tracker("kuril")


@pytest.fixture(scope="session")
def extractor(kuril):  # type: ignore[no-untyped-def]
    """The real en_core_web_sm pipeline (installed package), loaded once for the session."""
    from bot.extract.events import Extractor
    from bot.extract.nlp import load_nlp

    return Extractor(load_nlp(kuril), kuril)


# The other negotiations' extractors (tests/data/negotiations/<slug>/tracker.toml), built once a session
@pytest.fixture(scope="session")
def farc():  # type: ignore[no-untyped-def]
    return negotiation_extractor("farc")


@pytest.fixture(scope="session")
def brexit():  # type: ignore[no-untyped-def]
    return negotiation_extractor("brexit")


@pytest.fixture(scope="session")
def iran():  # type: ignore[no-untyped-def]
    return negotiation_extractor("iran")


@pytest.fixture(scope="session")
def uschina():  # type: ignore[no-untyped-def]
    return negotiation_extractor("uschina")


class _FeedServer(FeedServer):
    """The test feed server, stopping within 50 ms (serve_forever polls every 0.5 s by default, which
    each test paid at teardown)."""

    def __init__(self) -> None:
        super().__init__()
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A local HTTP server on 127.0.0.1 serving feeds, pages and failures (tests/feedserver.py)."""
    with _FeedServer() as s:
        yield s


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`ntrack ARGS` in a subprocess, as a user runs it."""
    full_env = {k: v for k, v in os.environ.items() if k not in {"NTRACK_NOW", "DATABASE_URL"}}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=full_env,
        cwd=cwd or ROOT, timeout=300,
    )


@dataclass(frozen=True)
class CliResult:
    """What a shell sees of one `ntrack` run: its exit status and what it wrote to each stream."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def ntrack(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
           request: pytest.FixtureRequest) -> Callable[..., CliResult]:
    """`ntrack ARGS` in this process: `bot.cli.main`, the console script's entry point, with its exit
    code, stdout and stderr, as `run_cli` gives them, without a new interpreter loading spaCy again.

    What a new process would start afresh is made fresh for each run: the environment (only `env` on
    top of this one, less NTRACK_NOW and DATABASE_URL), the cached settings, the per-host request
    pacing; the databases it opened are closed when it ends. Where the CLI would build an extractor
    for the kuril tracker it gets the session's (`extractor`: the same real model, loaded once, and
    only when a run extracts); any other tracker gets its own, as in the CLI.
    """
    import bot.app
    import bot.demo
    import bot.worker
    from bot.cli import main
    from bot.settings import get_settings

    real_extractor_for = bot.worker.extractor_for

    def extractor_for(tracker: Any) -> Callable[[], Any]:
        own = real_extractor_for(tracker)  # loads nothing until called

        def factory() -> Any:
            return request.getfixturevalue("extractor") if tracker == request.getfixturevalue("kuril") else own()

        return factory

    opened: list[Runtime] = []
    real_open_runtime = bot.app.open_runtime

    def open_and_track(settings: Settings, *, migrate: bool | None = None) -> Runtime:
        rt = real_open_runtime(settings, migrate=migrate)
        opened.append(rt)
        return rt

    for module in (bot.worker, bot.demo):
        monkeypatch.setattr(module, "extractor_for", extractor_for)
    for module in (bot.app, bot.demo):
        monkeypatch.setattr(module, "open_runtime", open_and_track)

    def run(*args: str, env: dict[str, str] | None = None) -> CliResult:
        capsys.readouterr()  # what the test printed before is not this run's output
        with monkeypatch.context() as mp:
            for name in ("NTRACK_NOW", "DATABASE_URL"):
                mp.delenv(name, raising=False)
            for name, value in (env or {}).items():
                mp.setenv(name, value)
            mp.setattr(bot.worker, "_pacers", {})
            get_settings.cache_clear()
            try:
                main(list(args))
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            finally:
                get_settings.cache_clear()
                while opened:
                    opened.pop().engine.dispose()
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run

