"""Where dev recall and precision go, by kind: a breakdown of extraction errors on the DEV split only.

Reads each negotiation's dev gold (never a held-back article: split.json's heldout_articles are skipped
before any text is read), extracts it as bench/eval_negotiations.py does, pairs system and gold events with
../shared/eval/score.py's own matcher, and sorts what went wrong:

  missed gold events
    none    nothing of the gold's type (or types) in the article at all
    attrs   an unpaired event of the right type, but neither its date nor its place fits
    taken   every event of the right type in the article is paired with another (required or optional) gold event
    type    an unpaired event of another type fits on date or place (the type was wrong)
  extra system events
    dup     of a type and day or place some paired event already covers (one happening told twice)
    other   anything else (no gold event of that type fits it)

    .venv/bin/python bench/dev_errors.py [--only SLUG] [--type TYPE] [--kind KIND] [-v]

`-v` prints each error with the evidence sentence; `--type`/`--kind` narrow the listing.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from goldsets import ROOT, load_scorer  # noqa: E402  (bench/ is the script's directory)

sys.path.insert(0, str(ROOT))

NEGOTIATIONS = ROOT / "tests" / "data" / "negotiations"


def dev_gold(directory: Path) -> list[tuple[dict[str, Any], str]]:
    """(gold, text) for every dev article; held-back ids are dropped before their text is read."""
    split = json.loads((directory / "split.json").read_text()) if (directory / "split.json").is_file() else {}
    held = set(split.get("heldout_articles", []))
    out = []
    for path in sorted((directory / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold["id"] in held:
            continue
        out.append((gold, (path.parent / gold["text_file"]).read_text(encoding="utf-8")))
    return out


def _types(ev: dict[str, Any]) -> list[str]:
    t = ev.get("type")
    return t if isinstance(t, list) else [t]


def classify(sc: Any, result: dict[str, Any], system: list[dict[str, Any]]) -> tuple[list[tuple[str, dict]], list[tuple[str, dict]]]:
    extra = result["false_pos"]  # neither paired with a required gold event nor with an optional one
    extra_ids = {id(s) for s in extra}
    misses = []
    for g in result["missed"]:
        same_type = [s for s in system if s.get("type") in _types(g)]
        free = [s for s in same_type if id(s) in extra_ids]
        if not same_type:
            kind = "none"
        elif free:
            kind = "attrs"
        else:
            kind = "taken"
        if kind != "attrs" and any(sc.date_ok(s, g) or sc.loc_ok(s, g) for s in extra):
            kind = "type"
        misses.append((kind, g))
    extras = []
    for s in result["false_pos"]:
        covered = any(s.get("type") == p.get("type") and (sc.date_ok(s, g) or sc.loc_ok(s, g))
                      for p, g in result["matched"])
        extras.append(("dup" if covered else "other", s))
    return misses, extras


def _show(ev: dict[str, Any]) -> str:
    d = ev.get("date")
    d = d.get("value") if isinstance(d, dict) else d
    who = ", ".join(ev.get("participants") or [])
    evidence = ev.get("evidence")
    note = ev.get("note") or (evidence[0].get("sentence", "") if isinstance(evidence, list) and evidence else "")
    return f"{'|'.join(_types(ev))} {ev.get('status')} {d} @ {ev.get('location')} [{who}] {str(note)[:160]}"


def _wrong(sc: Any, field: str, s: dict[str, Any], g: dict[str, Any]) -> bool:
    """Whether a paired event misses on `field`, as score.py's accuracies count it (gold must give one)."""
    if field == "date":
        return bool(g.get("date")) and not sc.date_ok(s, g)
    if field == "location":
        return bool(g.get("location")) and not sc.loc_ok(s, g)
    return bool(g.get("status")) and s.get("status") not in g["status"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only")
    ap.add_argument("--type")
    ap.add_argument("--kind")
    ap.add_argument("--article", help="one dev article's id: print its pairs as well as its errors")
    ap.add_argument("--wrong", choices=("date", "location", "status"),
                    help="list the paired events whose date, location or status is wrong (the scores' other errors)")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    from bot.extract.events import Extractor
    from bot.extract.nlp import load_nlp
    from bot.tracker import load_tracker_file

    sc = load_scorer()
    miss_n: collections.Counter[tuple[str, str]] = collections.Counter()
    extra_n: collections.Counter[tuple[str, str]] = collections.Counter()
    gold_n: collections.Counter[str] = collections.Counter()
    hit_g: collections.Counter[str] = collections.Counter()  # paired, by the gold's first type (recall)
    hit_s: collections.Counter[str] = collections.Counter()  # paired, by the system's type (precision)
    sys_n: collections.Counter[str] = collections.Counter()
    for d in sorted(p for p in NEGOTIATIONS.iterdir() if (p / "tracker.toml").is_file()):
        if a.only and d.name != a.only:
            continue
        tracker = load_tracker_file(d / "tracker.toml")
        extractor = Extractor(load_nlp(tracker), tracker)
        for gold, text in dev_gold(d):
            if a.article and gold["id"] != a.article:
                continue
            events = [e.to_json() for e in extractor.extract(text, date.fromisoformat(gold["published"]))]
            res = sc.score_article(gold, {"events": events})
            misses, extras = classify(sc, res, events)
            if a.article:
                for s, g in res["matched"]:
                    print(f"  gold      {_show(g)}\n   <- sys   {_show(s)}")
            for s, g in res["matched"]:
                if a.wrong and (not a.type or a.type in _types(g)) and _wrong(sc, a.wrong, s, g):
                    print(f"== {gold['id']}\n  gold      {_show(g)}\n   <- sys   {_show(s)}")
                hit_s[s["type"]] += 1
                hit_g[_types(g)[0]] += 1
            for g in gold.get("events") or []:
                gold_n[_types(g)[0]] += 1
            for s in events:
                sys_n[s["type"]] += 1
            shown = False
            for kind, g in misses:
                miss_n[(_types(g)[0], kind)] += 1
                if a.v and (not a.type or a.type in _types(g)) and (not a.kind or a.kind == kind):
                    if not shown:
                        print(f"== {gold['id']}")
                        shown = True
                    print(f"  miss/{kind:5} {_show(g)}")
            for kind, s in extras:
                extra_n[(s["type"], kind)] += 1
                if a.v and (not a.type or a.type == s["type"]) and (not a.kind or a.kind == kind):
                    if not shown:
                        print(f"== {gold['id']}")
                        shown = True
                    print(f"  xtra/{kind:5} {_show(s)}")
    types = sorted(set(gold_n) | set(sys_n))
    print(f"\n{'type':11} {'gold':>5} {'sys':>5} {'hit':>5} {'P':>6} {'R':>6} | miss: none attrs taken type | extra: dup other")
    for t in types:
        p = hit_s[t] / sys_n[t] if sys_n[t] else 0.0
        r = hit_g[t] / gold_n[t] if gold_n[t] else 0.0
        m = " ".join(f"{miss_n[(t, k)]:5}" for k in ("none", "attrs", "taken", "type"))
        x = " ".join(f"{extra_n[(t, k)]:5}" for k in ("dup", "other"))
        print(f"{t:11} {gold_n[t]:5} {sys_n[t]:5} {hit_g[t]:5} {p:6.3f} {r:6.3f} | {m} | {x}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
