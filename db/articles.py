"""Articles' identities: every key an article was found under (guids, canonical URLs, text hashes)
and the SimHashes of recent texts. The rules (what is a key, how near is a copy) are bot/dedup.py's."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import models as m
from db.upsert import insert_ignore

CHUNK = 500


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def known_keys(*, session: Session, tracker_id: int, keys: Sequence[str]) -> dict[str, int]:
    """key -> the article that has it, for those of `keys` a stored article has."""
    found: dict[str, int] = {}
    for chunk in _chunks(keys):
        rows = session.execute(
            select(m.ArticleKey.key, m.ArticleKey.article_id)
            .where(m.ArticleKey.tracker_id == tracker_id, m.ArticleKey.key.in_(chunk))
        )
        found.update({k: a for k, a in rows})
    return found


def by_guid(*, session: Session, tracker_id: int, guids: Sequence[str]) -> dict[str, int]:
    """guid -> article id (articles stored before keys existed are found by their guid)."""
    found: dict[str, int] = {}
    for chunk in _chunks(guids):
        rows = session.execute(select(m.Article.guid, m.Article.id)
                               .where(m.Article.tracker_id == tracker_id, m.Article.guid.in_(chunk)))
        found.update({g: a for g, a in rows})
    return found


def recent_simhashes(*, session: Session, tracker_id: int, limit: int) -> list[tuple[int, int, int]]:
    """(article id, SimHash, text length) of the newest `limit` articles that have a SimHash."""
    rows = session.execute(
        select(m.Article.id, m.Article.simhash, func.length(m.Article.text))
        .where(m.Article.tracker_id == tracker_id, m.Article.simhash.is_not(None))
        .order_by(m.Article.id.desc()).limit(limit)
    ).all()
    return [(r[0], r[1], r[2] or 0) for r in rows]


def add_keys(
    *, session: Session, tracker_id: int, article_id: int, keys: dict[str, tuple[str, str]], source_id: int | None,
    now: datetime,
) -> None:
    """Remember every key of an article; keys already known (to it or, by a race, to another) are kept."""
    insert_ignore(session=session, model=m.ArticleKey, conflict=["tracker_id", "key"], rows=[
        {"tracker_id": tracker_id, "article_id": article_id, "key": k, "kind": kind, "value": value[:2000],
         "source_id": source_id, "created_at": now}
        for k, (kind, value) in keys.items()
    ])


def urls_of(*, session: Session, article_id: int) -> list[str]:
    """Every URL an article was found under, first seen first."""
    return list(session.scalars(
        select(m.ArticleKey.value)
        .where(m.ArticleKey.article_id == article_id, m.ArticleKey.kind == "url")
        .order_by(m.ArticleKey.id)
    ))
