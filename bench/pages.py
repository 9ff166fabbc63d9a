"""p50/p99 of a tracker's public page, GET /t/kuril, over HTTP against `ntrack serve`, at 100,000 articles
and 20,000 events.

    .venv/bin/python bench/pages.py [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench --reset] [-n 300]

Fills the database as bench/commands.py does (its `fill`: years of polling, heavy-tailed retellings,
changes, sources, an outbox; SQLite in a temporary file, and PostgreSQL when --postgres names an empty
database, or one made by an earlier run with --reset; --no-fill measures an earlier fill as it is),
starts the web process as deployed (`ntrack serve` in a process of its own, uvicorn on 127.0.0.1, no
chat platform) and times the page from a client on the same machine: unfiltered, filtered by type, by
person and status, a deep page of the timeline, and a revalidation with the page's ETag (304). The
views are requested in rounds (one of each per round), so that a noisy neighbour slows all of them
alike. The server keeps a page for the minute it is as of (NTRACK_NOW is fixed here, so most requests
are served kept); each line therefore also gives the page rendered afresh in this process, as the
server does on a miss (database, ORM, template), with the SQL statements it sends, and the size of the
HTML. The goal is a p99 of 100 ms for every view, both ways.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.commands import ARTICLES, EVENTS, NOW, database_arguments, filled_databases, p99, serve_with  # noqa: E402
from bot.app import open_runtime  # noqa: E402
from bot.public import site  # noqa: E402
from bot.settings import Settings  # noqa: E402

GOAL_MS = 100.0
WARMUP = 10
# name -> the page's query string
VIEWS: dict[str, str] = {
    "page": "", "type=summit": "type=summit", "person+status": "person=Vladimir+Putin&status=held",
    "page=200": "page=200", "type=statement&page=60": "type=statement&page=60",
}


@contextmanager
def serve(url: str, log: Path) -> Iterator[int]:
    """`ntrack serve` in a process of its own, without any chat platform: its port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env |= {"DATABASE_URL": url, "NTRACK_NOW": NOW.isoformat(), "NTRACK_PAGES": "on", "PYTHONPATH": str(ROOT)}
    with serve_with(env, log) as port:
        yield port


def measure(port: int, n: int) -> tuple[dict[str, list[float]], dict[str, int], list[float]]:
    """Milliseconds per request for each view (n rounds after WARMUP), the size of each page, and the
    milliseconds of a revalidation that gets 304."""
    times: dict[str, list[float]] = {name: [] for name in VIEWS}
    sizes: dict[str, int] = {}
    revalidated: list[float] = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        for i in range(n + WARMUP):
            for name, query in VIEWS.items():
                started = time.perf_counter()
                resp = client.get(f"/t/kuril?{query}" if query else "/t/kuril")
                elapsed = (time.perf_counter() - started) * 1000
                if resp.status_code != 200 or "timeline-events" not in resp.text:
                    raise SystemExit(f"{name}: HTTP {resp.status_code}: {resp.text[:300]}")
                sizes[name] = len(resp.content)
                if i >= WARMUP:
                    times[name].append(elapsed)
                if name == "page":
                    started = time.perf_counter()
                    again = client.get("/t/kuril", headers={"If-None-Match": resp.headers["etag"]})
                    if again.status_code != 304:
                        raise SystemExit(f"revalidation: HTTP {again.status_code}")
                    if i >= WARMUP:
                        revalidated.append((time.perf_counter() - started) * 1000)
    return times, sizes, revalidated


def in_process(url: str, n: int) -> tuple[dict[str, int], dict[str, list[float]]]:
    """Each view rendered afresh (no kept page) in this process, as the server's pool does on a miss: the
    SQL statements it sends (counted on the engine) and milliseconds per render (n renders)."""
    rt = open_runtime(Settings(DATABASE_URL=url, NTRACK_NOW=NOW.isoformat()))
    rt.trackers()  # synced once, as the server does on its first request
    count = [0]

    def counted(*args: object) -> None:
        count[0] += 1

    event.listen(rt.engine, "after_cursor_execute", counted)
    sent: dict[str, int] = {}
    cold: dict[str, list[float]] = {name: [] for name in VIEWS}
    for i in range(n + WARMUP):
        for name, query in VIEWS.items():
            params = {k: v.replace("+", " ") for k, v in (p.split("=", 1) for p in query.split("&") if p)}
            count[0] = 0
            started = time.perf_counter()
            site.answer(rt, "kuril", params)
            if i >= WARMUP:
                cold[name].append((time.perf_counter() - started) * 1000)
            sent[name] = count[0]
    rt.engine.dispose()
    return sent, cold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    database_arguments(parser, 300, "requests per view")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{ARTICLES:,} articles, {EVENTS:,} events; {args.n} requests per view over HTTP, in rounds of one "
              f"of each; goal p99 <= {GOAL_MS:.0f} ms")
        for label, url in filled_databases(args, tmp):
            with serve(url, Path(tmp) / f"serve-{label}.log") as port:
                times, sizes, revalidated = measure(port, args.n)
            sent, cold = in_process(url, min(args.n, 100))
            for name, ms in times.items():
                view = f"/t/kuril{('?' + VIEWS[name]) if VIEWS[name] else ''}"
                print(f"{label:<11} {view:<45} p50 {statistics.median(ms):5.1f} ms  p99 {p99(ms):5.1f} ms  "
                      f"{'met   ' if p99(ms) <= GOAL_MS else 'MISSED'}  {sizes[name] / 1024:3.0f} KB  first render "
                      f"in process: p50 {statistics.median(cold[name]):5.1f} ms  p99 {p99(cold[name]):5.1f} ms  "
                      f"{'met   ' if p99(cold[name]) <= GOAL_MS else 'MISSED'}  queries {sent[name]}", flush=True)
            print(f"{label:<11} {'/t/kuril revalidated (304, If-None-Match)':<45} p50 "
                  f"{statistics.median(revalidated):5.1f} ms  p99 {p99(revalidated):5.1f} ms", flush=True)


if __name__ == "__main__":
    main()
