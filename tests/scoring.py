"""A scorer for the project's gold set, following the rules of the extraction format (FORMAT.md):
one-to-one matching, best pairs first; a pair needs the type and either the date or the place right.
Written here because tests never read ../shared; bench/eval_extraction.py uses the shared scorer."""

from __future__ import annotations

from typing import Any

from bot.extract.timex import interval


def _norm(s: str | None) -> str:
    return " ".join((s or "").lower().split())


def date_right(system: dict[str, Any], gold: dict[str, Any]) -> bool:
    g = interval(gold.get("date"))
    s = interval((system.get("date") or {}).get("value"))
    return bool(g and s and g[0] <= s[0] and s[1] <= g[1])


def place_right(system: dict[str, Any], gold: dict[str, Any]) -> bool:
    return bool(gold.get("location")) and _norm(gold["location"]) == _norm(system.get("location"))


def _people(system: dict[str, Any], gold: dict[str, Any]) -> float:
    wanted = gold.get("participants") or []
    got = [_norm(p) for p in system.get("participants") or []]
    if not wanted:
        return 0.0
    hits = sum(any(_norm(w) == g or _norm(w).split()[-1] == g.split()[-1] for g in got if g) for w in wanted)
    return hits / len(wanted)


def _pair(system: dict[str, Any], gold: dict[str, Any]) -> float:
    if system["type"] not in gold["type"]:
        return 0.0
    d, p = date_right(system, gold), place_right(system, gold)
    return 0.0 if not (d or p) else 2.0 * d + p + _people(system, gold) + 0.01


def _match(system: list[dict[str, Any]], golds: list[dict[str, Any]], taken: set[int]) -> list[tuple[int, int]]:
    pairs = sorted(((_pair(s, g), i, j) for i, s in enumerate(system) if i not in taken for j, g in enumerate(golds)),
                   reverse=True)
    used: set[int] = set()
    out = []
    for score, i, j in pairs:
        if score > 0 and i not in taken and j not in used:
            taken.add(i)
            used.add(j)
            out.append((i, j))
    return out


def score(articles: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> dict[str, float]:
    """(gold, system events) per article -> precision, recall, F1, date/status/location accuracy."""
    tp = gold_n = sys_n = 0
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for gold, system in articles:
        taken: set[int] = set()
        required = _match(system, gold["events"], taken)
        optional = _match(system, gold.get("optional", []), taken)
        tp += len(required)
        gold_n += len(gold["events"])
        sys_n += len(system) - len(optional)
        pairs += [(system[i], gold["events"][j]) for i, j in required]
    p = tp / sys_n if sys_n else 0.0
    r = tp / gold_n if gold_n else 0.0

    def share(ok: Any, keep: Any) -> float:
        kept = [(s, g) for s, g in pairs if keep(g)]
        return sum(bool(ok(s, g)) for s, g in kept) / len(kept) if kept else 0.0

    return {
        "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "date": share(date_right, lambda g: g.get("date")),
        "status": share(lambda s, g: s["status"] in g["status"], lambda g: g.get("status")),
        "location": share(place_right, lambda g: g.get("location")),
    }
