"""The public side's tests share a runtime that publishes under a public URL (tests/public/rows.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.app import Runtime
from tests.public.rows import public_runtime


@pytest.fixture
def rt(db_url: str) -> Iterator[Runtime]:
    runtime = public_runtime(db_url)
    yield runtime
    runtime.engine.dispose()
