"""one outbox: alerts (deliveries), notices and weekly summaries in one table with a kind

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 20:40:00

Every row of `deliveries` and `notices` moves to `outbox`, pending ones included, so nothing queued
before the upgrade is lost or posted twice: alerts keep their ids (their key, `ntrack-delivery-<id>`,
is derived from the id and is already in messages posted before), notices get new ids and keep their
old key explicitly. Downgrading moves alerts and notices back; queued summaries are dropped.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STATE_COLUMNS = ("state", "attempts", "next_attempt_at", "sent_at", "external_id", "last_error", "created_at")


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracker_id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("key", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["change_id"], ["status_changes.id"], name=op.f("fk_outbox_change_id_status_changes"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_outbox_source_id_sources"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["subscription_id"], ["subscriptions.id"],
                                name=op.f("fk_outbox_subscription_id_subscriptions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tracker_id"], ["trackers.id"], name=op.f("fk_outbox_tracker_id_trackers"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_key")),
        sa.UniqueConstraint("subscription_id", "change_id", name=op.f("uq_outbox_subscription_id_change_id")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_state_next", ["state", "next_attempt_at"], unique=False)

    bind = op.get_bind()
    cols = ", ".join(STATE_COLUMNS)
    bind.execute(sa.text(
        f"INSERT INTO outbox (id, tracker_id, subscription_id, kind, change_id, {cols}) "
        f"SELECT d.id, s.tracker_id, d.subscription_id, 'alert', d.change_id, "
        f"{', '.join('d.' + c for c in STATE_COLUMNS)} "
        f"FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id ORDER BY d.id"
    ))
    if bind.dialect.name == "postgresql":  # alerts kept their ids: the sequence moves past them before notices get new ones
        bind.execute(sa.text(
            "SELECT setval(pg_get_serial_sequence('outbox', 'id'), coalesce((SELECT max(id) FROM outbox), 0) + 1, false)"
        ))
    outbox = sa.table("outbox", *(sa.column(c) for c in (
        "tracker_id", "subscription_id", "kind", "source_id", "key", *STATE_COLUMNS)),
        sa.column("payload", sa.JSON()))
    notices = bind.execute(sa.text(
        f"SELECT id, tracker_id, subscription_id, source_id, kind, text, {cols} FROM notices ORDER BY id"
    )).mappings().all()
    if notices:
        op.bulk_insert(outbox, [
            {"tracker_id": n["tracker_id"], "subscription_id": n["subscription_id"], "kind": "notice",
             "source_id": n["source_id"], "payload": {"text": n["text"], "about": n["kind"]},
             "key": f"ntrack-notice-{n['id']}", **{c: n[c] for c in STATE_COLUMNS}}
            for n in notices
        ])

    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_state_next")
    op.drop_table("notices")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_state_next")
    op.drop_table("deliveries")


def downgrade() -> None:
    def state() -> list[sa.Column[object]]:
        return [
            sa.Column("state", sa.String(length=10), nullable=False),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("external_id", sa.String(length=100), nullable=True),
            sa.Column("last_error", sa.Text(), nullable=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        ]
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        *state(),
        sa.ForeignKeyConstraint(["change_id"], ["status_changes.id"],
                                name=op.f("fk_deliveries_change_id_status_changes"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["subscription_id"], ["subscriptions.id"],
                                name=op.f("fk_deliveries_subscription_id_subscriptions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("subscription_id", "change_id", name=op.f("uq_deliveries_subscription_id_change_id")),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_state_next", ["state", "next_attempt_at"], unique=False)
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracker_id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *state(),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_notices_source_id_sources"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["subscription_id"], ["subscriptions.id"],
                                name=op.f("fk_notices_subscription_id_subscriptions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tracker_id"], ["trackers.id"], name=op.f("fk_notices_tracker_id_trackers"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index("ix_notices_state_next", ["state", "next_attempt_at"], unique=False)

    bind = op.get_bind()
    cols = ", ".join(STATE_COLUMNS)
    bind.execute(sa.text(
        f"INSERT INTO deliveries (id, subscription_id, change_id, {cols}) "
        f"SELECT id, subscription_id, change_id, {cols} FROM outbox WHERE kind = 'alert' ORDER BY id"
    ))
    rows = bind.execute(sa.select(
        sa.table("outbox", *(sa.column(c) for c in ("tracker_id", "subscription_id", "source_id", "kind",
                                                    *STATE_COLUMNS)), sa.column("payload", sa.JSON()))
    ).where(sa.column("kind") == "notice")).mappings().all()
    if rows:
        notices = sa.table("notices", *(sa.column(c) for c in (
            "tracker_id", "subscription_id", "source_id", "kind", "text", *STATE_COLUMNS)))
        op.bulk_insert(notices, [
            {"tracker_id": r["tracker_id"], "subscription_id": r["subscription_id"], "source_id": r["source_id"],
             "kind": (r["payload"] or {}).get("about") or "source_disabled", "text": (r["payload"] or {}).get("text", ""),
             **{c: r[c] for c in STATE_COLUMNS}}
            for r in rows
        ])
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text(
            "SELECT setval(pg_get_serial_sequence('deliveries', 'id'), "
            "coalesce((SELECT max(id) FROM deliveries), 0) + 1, false)"
        ))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_state_next")
    op.drop_table("outbox")
