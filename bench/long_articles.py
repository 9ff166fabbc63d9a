"""Long articles and long pages: extraction time and peak memory with and without the caps.

    .venv/bin/python bench/long_articles.py [--sizes 10000,100000,400000,1000000] [--timeout 600]

Articles: the project's own news articles (gold sets, demo feed, story feeds) joined paragraph after
paragraph up to each size, so a long article reads like news all the way. Each size and side runs
in a fresh process that loads the model, extracts the one article and reports its time and peak
memory (VmHWM, model included; "model" is the peak of a process that only loads it):

- before: `Extractor(..., max_chars=0, chunk_chars=0, seconds=0)`: the whole text in one Doc, as
  before the caps (the 1,000,000-character case is left out: it ran for over 15 minutes before, and
  spaCy refuses texts past its 1,000,000-character limit anyway);
- after: the defaults (the first MAX_ARTICLE_CHARS, parsed in CHUNK_CHARS pieces, ARTICLE_SECONDS).

Pages: `main_text` on synthetic article pages with and without the MAX_PAGE_BYTES cap on the HTML.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
from bench.throughput import corpus
from bot.tracker import load_tracker
from bot.extract.nlp import load_nlp
from bot.extract.events import Extractor
items = corpus()
texts, published = [t for t, _ in items], items[0][1]
parts, total, i = [], 0, 0
while total < {size}:
    parts.append(texts[i % len(texts)]); total += len(parts[-1]) + 2; i += 1
article = "\\n\\n".join(parts)[:{size}]
tracker = load_tracker("kuril")
nlp = load_nlp(tracker)
nlp("warm up: Kono met Ivanov in Moscow.")
ex = Extractor(nlp, tracker, **{kwargs})
model = hwm()
if {size} > 0:
    nlp.max_length = max(nlp.max_length, len(article) + 1)
    started = time.perf_counter()
    events = ex.extract(article, published)
    took = time.perf_counter() - started
else:
    events, took = [], 0.0
print(json.dumps({{"seconds": took, "peak_mb": hwm(), "model_mb": model, "events": len(events), "chars": len(article)}}))
"""

BEFORE = {"max_chars": 0, "chunk_chars": 0, "seconds": 0}


def run(size: int, kwargs: dict[str, int], timeout: float) -> dict[str, float] | None:
    code = CHILD.format(root=str(ROOT), size=size, kwargs=repr(kwargs))
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def show(r: dict[str, float] | None, timeout: float) -> str:
    if r is None:
        return f"over {timeout:.0f} s (stopped)"
    return f"{r['seconds']:7.1f} s {r['peak_mb']:6.0f} MB peak {r['events']:4.0f} events"


def pages() -> None:
    from bot.pages import MAX_PAGE_BYTES, main_text

    para = ("<p>{} Japanese Prime Minister Yoshiro Mori and Russian President Vladimir Putin met in Brunei on "
            "the sidelines of the summit, officials said, and agreed to keep talking.</p>\n")
    for mb in (0.5, 2.0, 9.5):
        rows: list[str] = []
        while sum(map(len, rows[-1:])) * len(rows) < mb * 1024 * 1024:
            rows.append(para.format(len(rows)))
        body = ("<html><head><title>x</title></head><body><article>" + "".join(rows)
                + "</article></body></html>").encode()
        started = time.perf_counter()
        main_text(body, max_bytes=0)
        before = time.perf_counter() - started
        started = time.perf_counter()
        main_text(body)
        after = time.perf_counter() - started
        print(f"page {len(body) / 1e6:5.1f} MB   before {before:6.1f} s   after {after:6.1f} s"
              f" (first {MAX_PAGE_BYTES / 1e6:.1f} MB)   ratio {before / after:5.1f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,400000,1000000")
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--no-pages", action="store_true")
    args = ap.parse_args()
    from bot.extract.events import ARTICLE_SECONDS, CHUNK_CHARS, MAX_ARTICLE_CHARS

    model = run(0, {}, args.timeout)
    print(f"limits: first {MAX_ARTICLE_CHARS:,} characters, pieces of {CHUNK_CHARS:,}, {ARTICLE_SECONDS:.0f} s an article;"
          f" model alone {model['peak_mb'] if model else 0:.0f} MB peak")
    for size in (int(s) for s in args.sizes.split(",")):
        before = run(size, BEFORE, args.timeout) if size < 1_000_000 else None
        after = run(size, {}, args.timeout)
        b = show(before, args.timeout) if size < 1_000_000 else "not run (over 15 minutes before)"
        ratio = ""
        if before and after:
            ratio = (f"   time ratio {before['seconds'] / max(after['seconds'], 1e-9):5.1f}"
                     f"   memory ratio {before['peak_mb'] / after['peak_mb']:4.2f}")
        print(f"{size:>9,} chars   before {b}   after {show(after, args.timeout)}{ratio}", flush=True)
    if not args.no_pages:
        pages()


if __name__ == "__main__":
    main()
