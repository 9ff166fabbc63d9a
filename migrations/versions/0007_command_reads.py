"""reads for commands in a fixed, small time: evidence knows when its article appeared, events are
indexed by end date, event text (summary and place) by trigrams on PostgreSQL

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 21:00:00

`evidence.published` (the article's publication time, else when it was fetched) makes an event's
newest source one index probe instead of a window over every article that retold it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# An event's words for search, as db/reads.py writes it (the planner matches the expression's text).
EVENT_TEXT = "lower(coalesce(summary, '') || ' ' || coalesce(location, ''))"


def upgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE evidence SET published = (SELECT coalesce(a.published, a.fetched_at) FROM articles a "
        "WHERE a.id = evidence.article_id)"
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.alter_column("published", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_index("ix_evidence_event_published", ["event_id", "published", "id"], unique=False)
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_tracker_end", ["tracker_id", "date_end"], unique=False)
    if op.get_bind().dialect.name == "postgresql":  # pg_trgm comes from migration 0002
        op.execute(f"CREATE INDEX ix_events_text_trgm ON events USING gin ({EVENT_TEXT} gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_events_text_trgm")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_tracker_end")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_event_published")
        batch_op.drop_column("published")
