"""Shared fixtures. Every test runs on SQLite; with TEST_DATABASE_URL set, on PostgreSQL instead.

No test touches the network or reads ../shared.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.app import Runtime, open_runtime
from bot.settings import Settings

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


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh, empty database for one test."""
    if PG_URL:
        _reset_postgres(PG_URL)
        url = _schema_url(PG_URL)
        # as the release phase would: on PostgreSQL only `ntrack db upgrade` migrates
        from db.migrate import upgrade
        from db.session import make_engine

        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
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
