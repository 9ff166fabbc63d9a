"""Score extraction on the gold sets with ../shared/eval/score.py (the project's scorer).

Gold sets: ../shared/eval/gold/ (the seed), tests/data/gold/ (ours, other episodes of the talks) and
bot/data/sample/gold/ (the demo feed's articles). Each article goes through the same code as
`ntrack extract --json` (in-process, so the model loads once; `--cli` runs the real command instead).

    .venv/bin/python bench/eval_extraction.py [--set NAME] [--cli] [-v]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from goldsets import ROOT, SETS, SHARED  # noqa: E402  (bench/ is the script's directory)


def extract_dir(gold_dir: Path, out_dir: Path, use_cli: bool) -> float:
    """Write <id>.json system output for every gold file; return seconds spent extracting."""
    from bot.extract.events import Extractor
    from bot.extract.nlp import load_nlp
    from bot.tracker import load_tracker

    tracker = load_tracker("kuril")
    extractor = None if use_cli else Extractor(load_nlp(tracker), tracker)
    spent = 0.0
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text())
        text_path = (gold_path.parent / gold["text_file"]).resolve()
        t0 = time.perf_counter()
        if use_cli:
            proc = subprocess.run(
                [str(ROOT / ".venv" / "bin" / "ntrack"), "extract", str(text_path), "--published", gold["published"], "--json"],
                capture_output=True, text=True, check=True,
            )
            system = json.loads(proc.stdout)
        else:
            events = extractor.extract(text_path.read_text(encoding="utf-8"), date.fromisoformat(gold["published"]))  # type: ignore[union-attr]
            system = {"article": {"published": gold["published"], "title": None, "url": None},
                      "events": [e.to_json() for e in events]}
        spent += time.perf_counter() - t0
        system["id"] = gold["id"]
        (out_dir / f"{gold['id']}.json").write_text(json.dumps(system, indent=1))
    return spent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=sorted(SETS), action="append")
    ap.add_argument("--cli", action="store_true", help="run `ntrack extract` per article (slower: loads the model each time)")
    ap.add_argument("-v", "--verbose", action="store_true", help="per-event detail from score.py")
    args = ap.parse_args()
    scorer = SHARED / "score.py"
    if not scorer.is_file():
        print(f"no scorer at {scorer}: this benchmark needs ../shared/eval", file=sys.stderr)
        return 2
    results = {}
    for name in args.set or list(SETS):
        gold_dir = SETS[name]
        if not gold_dir.is_dir():
            print(f"{name}: no gold at {gold_dir}, skipped")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            spent = extract_dir(gold_dir, Path(tmp), args.cli)
            cmd = [sys.executable, str(scorer), "--gold-dir", str(gold_dir), "--system-dir", tmp, "--json"]
            if not args.verbose:
                cmd.append("-q")
            proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        lines = proc.stdout.strip().splitlines()
        if args.verbose:
            print("\n".join(lines[:-1]))
        summary = json.loads(lines[-1])
        results[name] = summary
        print(f"{name:8s} articles={summary['articles']:3d} F1={summary['f1']:.3f} P={summary['precision']:.3f} "
              f"R={summary['recall']:.3f} date={summary['date_acc']} status={summary['status_acc']} "
              f"location={summary['location_acc']} participants={summary['participant_recall']} ({spent:.1f}s)")
    goals = {"f1": 0.85, "date_acc": 0.90, "status_acc": 0.85, "location_acc": 0.90}
    for name, s in results.items():
        missed = [f"{k} {s[k]} < {v}" for k, v in goals.items() if (s[k] or 0) < v]
        print(f"{name:8s} goals: {'all met' if not missed else 'not met: ' + ', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
