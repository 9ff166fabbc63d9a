"""Polling cost, side by side in one run: unchanged feeds re-polled, and a backfill against extraction alone.

    .venv/bin/python bench/feeds.py [--feeds 500] [--articles 1000] [--database-url URL]

1. `--feeds` local feeds (a server on 127.0.0.1 in another process, so its CPU is not ours) are
   polled once, then re-polled unchanged the way the worker does (leases, conditional GET, state):
   goal all 304, at most 5 ms of this process's CPU per feed.
2. `--articles` distinct relevant articles (sentences of the project's gold and story articles,
   recombined) served as feeds of 100 items with full text: `ntrack ingest --backfill`'s code path
   (fetch, parse, dedup, relevance, extraction, storage, resolution) against `Extractor.extract_many`
   alone on the same texts, in the same process with the model loaded once. Goal: ratio <= 1.3.

Per-host pacing is off here (every feed lives on 127.0.0.1); the database is a fresh SQLite file
unless --database-url names one (its tables are emptied by migration from scratch: use a scratch DB).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NOW = datetime(2001, 4, 1, 12, tzinfo=UTC)


def serve(port_out: multiprocessing.Queue, feeds: dict[str, bytes]) -> None:  # type: ignore[type-arg]
    """The feed server, in its own process: ETag per path, 304 on a match."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            body = feeds.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    port_out.put(httpd.server_address[1])
    httpd.serve_forever()


def rss(items: list[tuple[str, str, datetime, str]]) -> bytes:
    """(guid, title, published, full text) -> RSS 2.0 with content:encoded."""
    out = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
           'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>bench</title>']
    for guid, title, published, text in items:
        paras = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
        out.append(f"<item><guid>{guid}</guid><title>{escape(title)}</title><link>https://bench.example/{guid}</link>"
                   f"<pubDate>{format_datetime(published)}</pubDate><description>{escape(text[:200])}</description>"
                   f"<content:encoded><![CDATA[{paras}]]></content:encoded></item>")
    out.append("</channel></rss>")
    return "".join(out).encode()


def sentences() -> list[str]:
    """Every sentence of the project's own articles (gold sets, demo feed, story feeds)."""
    texts = [p.read_text(encoding="utf-8") for d in ("tests/data/gold", "bot/data/sample/gold")
             for p in sorted((ROOT / d).glob("*.txt"))]
    from bot.feeds import parse_feed

    for feed in sorted((ROOT / "tests" / "data" / "stories").glob("*/step*.xml")):
        texts += [a.text for a in parse_feed(feed.read_bytes(), where=str(feed))[1]]
    out: list[str] = []
    for text in texts:
        for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
            if 40 <= len(s) <= 400 and s not in out:
                out.append(s)
    return out


def articles(n: int, rng: random.Random) -> list[tuple[str, str, datetime, str]]:
    pool = sentences()
    out = []
    for i in range(n):
        picked = rng.sample(pool, 9)
        text = "\n\n".join([" ".join(picked[0:3]), " ".join(picked[3:6]), " ".join(picked[6:9])])
        if "Kuril" not in text and "peace treaty" not in text:
            text += "\n\nThe dispute over the Kuril Islands has kept the two countries from signing a peace treaty."
        published = NOW - timedelta(days=n - i, hours=rng.randint(0, 20))
        out.append((f"bench-{i}", picked[0][:80], published, text))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--feeds", type=int, default=500)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--database-url", default=None)
    args = ap.parse_args()

    from bot.app import open_runtime
    from bot.settings import Settings
    from bot.tracker import load_tracker
    from bot.worker import extractor_for, ingest_all, poll_config, poll_due

    rng = random.Random(7)
    quiet = [rss([(f"q{i}-{k}", f"Weather {k}", NOW - timedelta(days=k), f"Rain in Osaka on day {k}.")
                  for k in range(3)]) for i in range(args.feeds)]
    backfill = articles(args.articles, rng)
    per_feed = 100
    feeds = {f"/quiet/{i}": body for i, body in enumerate(quiet)}
    feeds.update({f"/wire/{j}": rss(backfill[j * per_feed:(j + 1) * per_feed])
                  for j in range((len(backfill) + per_feed - 1) // per_feed)})

    ports: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    server = multiprocessing.Process(target=serve, args=(ports, feeds), daemon=True)
    server.start()
    port = ports.get(timeout=30)
    base = f"http://127.0.0.1:{port}"
    tmp = tempfile.TemporaryDirectory()
    try:
        def runtime(name: str):  # type: ignore[no-untyped-def]
            url = args.database_url or f"sqlite:///{tmp.name}/{name}.db"
            settings = Settings(DATABASE_URL=url, NTRACK_NOW=NOW.isoformat(), NTRACK_HOST_INTERVAL="0")
            return open_runtime(settings, migrate=True)

        tracker = load_tracker("kuril")

        # 1. Unchanged feeds, re-polled.
        rt = runtime("repoll")
        urls = [f"{base}/quiet/{i}" for i in range(args.feeds)]
        reports, failures = ingest_all(rt, tracker, urls, extractor=extractor_for(tracker), config=poll_config(rt))
        assert not failures, failures[:3]
        later = NOW + timedelta(minutes=rt.settings.poll_minutes)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        reports, failures = poll_due(rt, extractors=lambda t: extractor_for(t), now=later)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        not_modified = sum(r.not_modified for r in reports)
        cpu_ms = cpu * 1000 / max(1, len(reports) + len(failures))
        print(f"re-poll   {args.feeds} unchanged feeds: {not_modified}/{args.feeds} answered 304, {len(failures)} failed; "
              f"CPU {cpu_ms:.2f} ms/feed (goal <= 5: {'met' if cpu_ms <= 5 and not_modified == args.feeds else 'NOT met'}), "
              f"wall {wall:.2f} s")
        rt.engine.dispose()

        # 2. Backfill against extraction alone.
        from bot.extract.events import Extractor
        from bot.extract.nlp import load_nlp

        extractor = Extractor(load_nlp(tracker), tracker)
        list(extractor.extract_many([(t, p.date()) for _, _, p, t in backfill[:20]]))  # warm up
        shared = lambda: extractor  # noqa: E731 (one model for both sides)
        texts: list[tuple[str, date]] = [(t, p.date()) for _, _, p, t in backfill]
        t0 = time.perf_counter()
        n_events = sum(len(evs) for evs in extractor.extract_many(texts))
        t_extract = time.perf_counter() - t0

        rt = runtime("backfill")
        wire = [f"{base}/wire/{j}" for j in range((len(backfill) + per_feed - 1) // per_feed)]
        t0 = time.perf_counter()
        reports, failures = ingest_all(rt, tracker, wire, extractor=shared, config=poll_config(rt), alert=False)
        t_backfill = time.perf_counter() - t0
        stored = sum(r.articles_new for r in reports)
        relevant = stored - sum(r.articles_irrelevant for r in reports)
        dup = sum(r.articles_duplicate for r in reports)
        ratio = t_backfill / t_extract
        print(f"backfill  {len(backfill)} articles in {len(wire)} feeds: {stored} stored ({relevant} relevant, {dup} "
              f"near-duplicates), {sum(len(r.changes) for r in reports)} changes, {len(failures)} failed sources")
        print(f"          extraction alone {t_extract:.2f} s ({n_events} events), backfill {t_backfill:.2f} s: "
              f"ratio {ratio:.2f} (goal <= 1.3: {'met' if ratio <= 1.3 else 'NOT met'})")
        rt.engine.dispose()
    finally:
        server.terminate()
        server.join(5)
        tmp.cleanup()


if __name__ == "__main__":
    main()
