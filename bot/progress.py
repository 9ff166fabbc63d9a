"""`ntrack ingest --backfill`: a progress bar over sources and articles, on stderr (stdout stays JSON)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


@contextmanager
def backfill_progress(n_sources: int, *, console: Console | None = None) -> Iterator[Callable[[str, int], None]]:
    """A `progress(kind, n)` callback for bot.worker.ingest_all, drawing two bars while it runs."""
    bars = Progress(
        TextColumn("{task.description:<9}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console or Console(stderr=True), transient=False,
    )
    sources = bars.add_task("sources", total=n_sources)
    articles = bars.add_task("articles", total=0)
    started = [False]

    def progress(kind: str, n: int) -> None:
        if kind == "source":
            if started[0]:
                bars.advance(sources, n)
            started[0] = True
        elif kind == "articles":
            bars.update(articles, total=(bars.tasks[articles].total or 0) + n)
        elif kind == "done":
            bars.advance(articles, n)

    with bars:
        yield progress
        if started[0]:
            bars.advance(sources, 1)
