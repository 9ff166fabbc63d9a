"""The one upsert: INSERT ... ON CONFLICT DO NOTHING, on PostgreSQL and SQLite alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.models import Base


def insert_ignore(*, session: Session, model: type[Base], rows: Sequence[dict[str, Any]], conflict: Sequence[str]) -> None:
    """Insert `rows`; a row whose `conflict` columns match one already there (another worker's, a
    moment ago) is skipped, not an error."""
    if not rows:
        return
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(model).values(list(rows)).on_conflict_do_nothing(index_elements=list(conflict)))
