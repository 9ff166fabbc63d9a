"""`ntrack db upgrade`: Alembic to head, the only way the schema is made."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from db.models import EXTERNAL_TABLES, POSTGRES_ONLY_INDEXES

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Autogenerate skips the tables libraries own and PostgreSQL-only indexes (migrated by hand, in 0002)."""
    if type_ == "index" and (name in POSTGRES_ONLY_INDEXES or name == "ix_articles_text_trgm"):
        return False
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table not in EXTERNAL_TABLES


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
