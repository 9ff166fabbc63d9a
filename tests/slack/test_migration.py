"""Migration 0002 makes the tables slack_sdk and APScheduler use, and the schema matches the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.app import Runtime
from db.migrate import downgrade, include_object, upgrade
from db.models import EXTERNAL_TABLES, POSTGRES_ONLY_INDEXES, Base


def test_library_tables_come_from_the_migration_and_autogenerate_leaves_them_alone(runtime: Runtime) -> None:
    assert EXTERNAL_TABLES <= set(inspect(runtime.engine).get_table_names())
    with runtime.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
        assert compare_metadata(ctx, Base.metadata) == []


def test_0002_downgrades_and_upgrades(runtime: Runtime) -> None:
    downgrade(runtime.engine, "0001")
    assert not EXTERNAL_TABLES & set(inspect(runtime.engine).get_table_names())
    upgrade(runtime.engine)
    assert EXTERNAL_TABLES <= set(inspect(runtime.engine).get_table_names())


def test_search_has_trigram_indexes_on_postgresql(runtime: Runtime) -> None:
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("trigram and full-text indexes are made on PostgreSQL only")
    names = {ix["name"] for table in ("articles", "events") for ix in inspect(runtime.engine).get_indexes(table)}
    assert POSTGRES_ONLY_INDEXES <= names
