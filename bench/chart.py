"""The timeline picture at 100,000 articles / 20,000 events: its first drawing, the cached picture's
p50/p99 over HTTP, and the worker's memory with spaCy loaded and a picture drawn.

    .venv/bin/python bench/chart.py [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench --reset] [-n 500]

The database is bench/commands.py's fill (imported, not copied): SQLite in a temporary file, and
PostgreSQL when --postgres names an empty database (or one an earlier run made, with --reset). The
web process runs as deployed (`ntrack serve` in a process of its own, uvicorn on 127.0.0.1), with its
own empty NTRACK_CHART_DIR, and is asked over HTTP from this process:

- first drawing: GET /t/kuril/timeline.png for windows never drawn before (the default 12 months,
  24 and 60 months, one from/to range), each the first request for its picture: query, hash, draw,
  write. The first one may also wait for matplotlib's import, which the web process starts beside
  start-up; the goal is 1 s each.
- cached: n GETs of the default picture after it was drawn, and n conditional GETs that get 304; the
  goal is a p99 of 20 ms. Asked again within the route's memo (MEMO_SECONDS), a request reads no
  database: the file (or nothing, for a 304).
- in this process, for scale: what a request costs once the memo has expired (the query, the hash,
  the file read), and the drawing alone.

Then the worker's memory: a process of its own opens the database, loads the tracker's spaCy pipeline
and extracts one article (as the worker does before its first poll), then builds the weekly summary
and draws its picture as the Discord transport does (bot.chart_store.image_png), reporting VmRSS and
the peak VmHWM after each step. The goal is at most 400 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.commands import ARTICLES, EVENTS, NOW, database_arguments, filled_databases, p99, serve  # noqa: E402
from bot.app import open_runtime  # noqa: E402
from bot.chart import digest, last_months, picture_for  # noqa: E402
from bot.chart_store import ChartStore  # noqa: E402
from bot.public.chart import MEMO_SECONDS  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.slack.fake_slack import FakeSlackServer  # noqa: E402

FIRST_GOAL_MS, CACHED_GOAL_MS, WORKER_GOAL_MB = 1000.0, 20.0, 400.0
FIRSTS = ["/t/kuril/timeline.png", "/t/kuril/timeline.png?months=24", "/t/kuril/timeline.png?months=60",
          "/t/kuril/timeline.png?from=2017-06-01&to=2018-06-01"]
WORKER_SCRIPT = """
import json, sys, time
from pathlib import Path

def memory():
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = round(int(value.split()[0]) / 1024, 1)
    return out

steps = [("started", memory())]
from bot.app import open_runtime
from bot.settings import Settings
from bot.worker import extractor_for
from datetime import date
rt = open_runtime(Settings(DATABASE_URL=sys.argv[1], NTRACK_NOW=sys.argv[2], NTRACK_CHART_DIR=sys.argv[3]))
tracker = rt.tracker("kuril")
steps.append(("database open", memory()))
extractor = extractor_for(tracker)()
text = ("Russian President Vladimir Putin will visit Tokyo next month for talks with Prime Minister Shinzo Abe "
        "on a peace treaty, officials said on Saturday.")
list(extractor.extract_many([(text, date(2019, 1, 19))]))
steps.append(("spaCy loaded, one article extracted", memory()))
from bot.summary import weekly_summary
from bot.chart_store import ChartStore, image_png
tracker_id = rt.tracker_id(tracker)
with rt.sessions.begin() as session:
    reply = weekly_summary(session=session, tracker=tracker, tracker_id=tracker_id, now=rt.now)
started = time.perf_counter()
png = image_png(rt, ChartStore(Path(sys.argv[3])), reply.image)
ms = (time.perf_counter() - started) * 1000
steps.append((f"weekly summary built, its picture drawn ({len(png) // 1024} kB in {ms:.0f} ms)", memory()))
print(json.dumps(steps))
"""


def _get(client: httpx.Client, path: str, headers: dict[str, str] | None = None) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    resp = client.get(path, headers=headers)
    return (time.perf_counter() - started) * 1000, resp


def measure_http(port: int, n: int, label: str) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for path in FIRSTS:
            ms, resp = _get(client, path)
            if resp.status_code != 200 or resp.headers.get("content-type") != "image/png":
                raise SystemExit(f"{path}: HTTP {resp.status_code}: {resp.text[:200]}")
            print(f"{label:<11} first drawing {path.removeprefix('/t/kuril/timeline.png') or '(12 months)':<27} "
                  f"{ms:6.0f} ms  goal {FIRST_GOAL_MS:.0f}: {'met   ' if ms <= FIRST_GOAL_MS else 'MISSED'}  "
                  f"{len(resp.content) // 1024} kB", flush=True)
        etag = client.get(FIRSTS[0]).headers["etag"]
        for _ in range(20):  # warm-up: connections, the page cache
            client.get(FIRSTS[0])
        cached, conditional = [], []
        for _ in range(n):
            ms, resp = _get(client, FIRSTS[0])
            assert resp.status_code == 200 and resp.headers["etag"] == etag
            cached.append(ms)
            ms, resp = _get(client, FIRSTS[0], {"If-None-Match": etag})
            assert resp.status_code == 304
            conditional.append(ms)
        for name, values in (("cached picture", cached), ("304 (If-None-Match)", conditional)):
            print(f"{label:<11} {name:<22} p50 {statistics.median(values):5.1f} ms  p99 {p99(values):5.1f} ms  "
                  f"goal {CACHED_GOAL_MS:.0f}: {'met' if p99(values) <= CACHED_GOAL_MS else 'MISSED'}  ({n} requests)",
                  flush=True)


def measure_in_process(url: str, charts: Path, label: str) -> None:
    """What the route does when its memo has expired (the query, the hash, the file), and the drawing."""
    from bot.chart_draw import render_png

    rt = open_runtime(Settings(DATABASE_URL=url, NTRACK_NOW=NOW.isoformat()))
    tracker = rt.tracker("kuril")
    tracker_id = rt.tracker_id(tracker)
    window = last_months(NOW.date())
    store = ChartStore(charts)
    looks, draws = [], []
    for i in range(25):
        started = time.perf_counter()
        with rt.sessions.begin() as session:
            picture = picture_for(session=session, tracker=tracker, tracker_id=tracker_id, window=window)
        key = digest(picture)
        found = store.cached(key)
        looks.append((time.perf_counter() - started) * 1000)
        if i < 5:
            started = time.perf_counter()
            render_png(picture)
            draws.append((time.perf_counter() - started) * 1000)
    rt.engine.dispose()
    print(f"{label:<11} in this process: query + hash + file read (a request after the memo's "
          f"{MEMO_SECONDS:g} s) p50 {statistics.median(looks):.1f} ms, max {max(looks):.1f} ms "
          f"({len(picture.events)} events in the default window{', file found' if found else ''}); "
          f"the drawing alone {statistics.median(draws):.0f} ms")


def measure_worker(url: str, charts: Path, label: str) -> None:
    out = subprocess.run([sys.executable, "-c", WORKER_SCRIPT, url, NOW.isoformat(), str(charts)], cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise SystemExit(f"worker memory: {out.stderr[-2000:]}")
    steps = json.loads(out.stdout.strip().splitlines()[-1])
    for step, mem in steps:
        print(f"{label:<11} worker: {step:<70} VmRSS {mem['VmRSS']:6.1f} MB  peak VmHWM {mem['VmHWM']:6.1f} MB")
    peak = steps[-1][1]["VmHWM"]
    print(f"{label:<11} worker peak {peak:.1f} MB  goal {WORKER_GOAL_MB:.0f}: {'met' if peak <= WORKER_GOAL_MB else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    database_arguments(parser, 500, "cached requests (and as many 304s) per database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeSlackServer() as fake:
        print(f"{ARTICLES:,} articles, {EVENTS:,} events; today {NOW:%Y-%m-%d}")
        for label, url in filled_databases(args, tmp):
            charts = Path(tmp) / f"charts-{label}"
            os.environ["NTRACK_CHART_DIR"] = str(charts)  # the served process's own, empty
            with serve(url, fake.api_url, Path(tmp) / f"serve-{label}.log") as port:
                measure_http(port, args.n, label)
            measure_in_process(url, charts, label)
            measure_worker(url, Path(tmp) / f"charts-worker-{label}", label)


if __name__ == "__main__":
    main()
