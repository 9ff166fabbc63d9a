"""Show what the extractor makes of one text, with each event's evidence: a tool for writing rules.

    .venv/bin/python bench/explain.py SLUG PUBLISHED 'text'     # a text on the command line
    .venv/bin/python bench/explain.py SLUG PUBLISHED @file.txt  # a file
    .venv/bin/python bench/explain.py SLUG - '#dev-id'          # a DEV gold article (its own date)
    .venv/bin/python bench/explain.py SLUG - step3.xml [--item N]  # a feed's newest item (or its Nth oldest)
    .venv/bin/python bench/explain.py SLUG PUBLISHED 'text' --tokens   # and spaCy's parse, token by token

SLUG is a negotiation under tests/data/negotiations (or `kuril`, the bundled tracker). A held-back
article is refused by id, so its errors are never read while rules are written.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from goldsets import ROOT  # noqa: E402  (bench/ is the script's directory)

sys.path.insert(0, str(ROOT))

NEGOTIATIONS = ROOT / "tests" / "data" / "negotiations"


def _dev_article(slug: str, article: str) -> tuple[str, date]:
    directory = NEGOTIATIONS / slug
    split = json.loads((directory / "split.json").read_text())
    if article in split.get("heldout_articles", []):
        raise SystemExit(f"{article} is held back: its errors are not read")
    for path in (directory / "gold").glob("*.json"):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold["id"] == article:
            return (path.parent / gold["text_file"]).read_text(encoding="utf-8"), date.fromisoformat(gold["published"])
    raise SystemExit(f"no dev article {article} in {slug}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("slug")
    ap.add_argument("published", help="YYYY-MM-DD, or - with a #dev-id")
    ap.add_argument("text", help="the text, @file, or #dev-id")
    ap.add_argument("--tokens", action="store_true", help="print spaCy's parse of each sentence too")
    ap.add_argument("--item", type=int, help="with a feed: its Nth oldest item (1 = the oldest), not the newest")
    a = ap.parse_args()
    from bot.extract.events import Extractor
    from bot.extract.nlp import load_nlp
    from bot.tracker import load_tracker, load_tracker_file

    if a.text.startswith("#"):
        text, published = _dev_article(a.slug, a.text[1:])
    elif a.text.endswith(".xml"):
        from bot.feeds import parse_feed

        _, items = parse_feed(Path(a.text).read_bytes(), where=a.text)
        item = sorted(items, key=lambda i: i.published)[a.item - 1 if a.item else -1]
        text, published = item.text, item.published.date()
        print(f"== {item.title} ({published})")
    else:
        text = Path(a.text[1:]).read_text(encoding="utf-8") if a.text.startswith("@") else a.text
        published = date.fromisoformat(a.published)
    tracker = load_tracker(a.slug) if a.slug == "kuril" else load_tracker_file(NEGOTIATIONS / a.slug / "tracker.toml")
    nlp = load_nlp(tracker)
    if a.tokens:
        for sent in nlp(text).sents:
            print(f"-- {sent.text.strip()[:120]}")
            for t in sent:
                print(f"   {t.i:4} {t.text:16} {t.lemma_:14} {t.tag_:5} {t.dep_:10} {t.head.i:4} {t.ent_type_}")
    for ev in Extractor(nlp, tracker).extract(text, published):
        j = ev.to_json()
        d = j.get("date") or {}
        print(f"{j['type']:10} {j.get('status')!s:10} {d.get('value')!s:14} @ {j.get('location')!s:14} "
              f"[{', '.join(j.get('participants') or [])}]"
              + "".join(f" ({flag})" for flag in ("arrangement", "remote", "implied") if getattr(ev, flag, False)))
        for e in j.get("evidence") or []:
            print(f"      > {e.get('sentence', '')[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
