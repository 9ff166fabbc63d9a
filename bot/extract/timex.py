"""Normalise temporal expressions ("late last week", "October 23-24") to TIMEX3-style values.

Values: ``2000``, ``2000-11``, ``2000-11-15``, ``2000-W44``, ``2000-Q4``, ``2000-H2``,
``2000-SP|SU|FA|WI``, and ranges ``A/B`` of any of these (a decade is ``1990/1999``).
``mod`` is one of START, MID, END, APPROX, BEFORE, AFTER or None. Everything is resolved
against an anchor date (the article's publication date). Pure standard library.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.dates import interval

__all__ = ["Tense", "Timex", "find_dates", "interval", "normalize"]

Tense = Literal["past", "future", "present"]


@dataclass(frozen=True, slots=True)
class Timex:
    value: str | None
    mod: str | None
    text: str  # the input text, as given
    granularity: str  # day|week|month|quarter|half|season|year|decade|range|none


# ---------------------------------------------------------------- data tables
_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
_SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "a couple of": 2, "couple of": 2,
}  # fmt: skip
_ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "final": 4, "latter": 2,
}  # fmt: skip
_DECADE_WORDS: dict[str, int] = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
    "seventies": 7, "eighties": 8, "nineties": 9,
}  # fmt: skip
_DAY_WORDS: dict[str, int] = {
    "today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
    "day before yesterday": -2, "day after tomorrow": 2,
}  # fmt: skip
# qualifier -> (tense it implies, offset for week/month/year/quarter); None tense = "this"
_QUALS: dict[str, tuple[Tense | None, int]] = {
    "this past": ("past", -1), "last": ("past", -1), "next": ("future", 1),
    "coming": ("future", 1), "this": (None, 0), "current": (None, 0),
}  # fmt: skip
# leading signal words -> mod (None: stripped without a mod, e.g. "by" / "since" / "in")
_SIGNALS: tuple[tuple[str, str | None], ...] = (
    (r"before|prior to|ahead of|earlier than", "BEFORE"),
    (r"after|later than|beyond", "AFTER"),
    (r"around|about|approximately|circa|roughly|near|some ?time around", "APPROX"),
    (r"by|no later than|not later than|in|on|at|during|since|until|till|from|through|throughout"
     r"|within|as of|as early as|as late as|starting|beginning(?! of)|between|of|some ?time", None),
)  # fmt: skip
# prefix modifiers -> START/MID/END, NONE (no mod), or a part of a year (H1/H2/Q1-Q4)
_MODIFIERS: tuple[tuple[str, str], ...] = (
    (r"(?:the )?(?:very )?(?:beginning|start|outset|dawn) of ", "START"),
    (r"(?:the )?early (?:part|days|weeks|months) of ", "START"),
    (r"(?:the )?(?:middle|midst) of ", "MID"),
    (r"(?:the )?(?:very |tail )?(?:end|close) of ", "END"),
    (r"(?:the )?lat(?:e|ter) (?:part|days|weeks|months) of ", "END"),
    (r"(?:the )?(?:first|1st) half of ", "H1"),
    (r"(?:the )?(?:second|2nd|latter|last) half of ", "H2"),
    (r"(?:the )?(?:first|1st) quarter of ", "Q1"),
    (r"(?:the )?(?:second|2nd) quarter of ", "Q2"),
    (r"(?:the )?(?:third|3rd) quarter of ", "Q3"),
    (r"(?:the )?(?:fourth|4th|final|last) quarter of ", "Q4"),
    (r"early[- ]", "START"), (r"mid[- ]?", "MID"), (r"late ", "END"), (r"end-", "END"),
    (r"earlier ", "NONE"), (r"later ", "NONE"),
)  # fmt: skip


def _alt(words: Iterable[str]) -> str:
    """Alternation of plain words (letters, digits, spaces), longest first."""
    return "|".join(sorted(words, key=len, reverse=True))


def _names(words: Iterable[str]) -> str:
    """Whole-word alternation; only abbreviations may carry a dot ("Nov." but not "June.")."""
    ws = list(words)
    abbrevs = {w for w in ws if any(k != w and k.startswith(w) for k in ws)}
    fulls = _alt(w for w in ws if w not in abbrevs)
    return rf"(?:(?:{fulls})(?![a-z])|(?:{_alt(abbrevs)})(?![a-z])\.?)"


_MON = _names(_MONTHS)
_WD = _names(_WEEKDAYS)
_SEA = rf"(?:{_alt(_SEASONS)})"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:1\d{3}|2\d{3})(?!\d)"
_NUM = rf"(?:{_alt(_NUMBERS)}|\d+)"
_QUAL = rf"(?:{_alt(_QUALS)})"
_UNIT = r"(?:day|week|month|year|decade|centur(?:y|ie)|hour|minute)"

_SIGNAL_RES = tuple((re.compile(rf"(?:{p}) (?=\S)"), mod) for p, mod in _SIGNALS)
_MODIFIER_RES = tuple((re.compile(p), kind) for p, kind in _MODIFIERS)
_CLOCK_RE = re.compile(
    r"\b\d{1,2}(?::\d{2})? ?[ap]\.? ?m\b\.?|\b\d{1,2}:\d{2}\b|\bnoon\b|\bmidnight\b|\bo'clock\b"
    r"|\b(?:jst|gmt|utc|msk|est|edt|pst|(?:local|tokyo|moscow) time)\b"
)
_PART_OF_DAY = r"(?:morning|afternoon|evening|night|overnight)"
_DURATION_RE = re.compile(
    rf"(?:(?:the|a|an|another|over|more than|less than|nearly|almost|some|at least|for|past|last"
    rf"|next|coming|recent|previous|first|full) )*"
    rf"(?:{_NUM}|a few|few|several|many|half a|a half)[ -]{_UNIT}s?(?:[ -](?:long|old))?"
    rf"(?! (?:ago|from now|hence|later|earlier|before|after|afterwards?|prior))(?: .*)?"
    rf"|(?:(?:the|in) )?(?:(?:past|last|next|coming|recent|previous|many|several|few) )*{_UNIT}s"
    rf"|(?:the )?past (?:week|month|year|decade|century)|(?:the )?(?:last|next|coming) decade"
    rf"|daily|weekly|monthly|annual(?:ly)?|yearly|(?:every|each|per) .*"
)
_ANAPHORA_RE = re.compile(
    rf"(?:the )?(?:following|previous|preceding|prior|same|subsequent) (?:{_UNIT}|weekend|quarter"
    rf"|{_PART_OF_DAY})|the next (?:day|morning|evening|night|week|month|year)"
    rf"|that (?:day|week|month|year|time|{_PART_OF_DAY})|(?:the )?(?:day|week|month|year|night) "
    rf"(?:before|after|earlier|later)|{_NUM} {_UNIT}s? (?:later|earlier|before|after|afterwards?)"
)
_VAGUE_RE = re.compile(
    r"recently|lately|now|right now|currently|presently|at present|nowadays|these days|soon"
    r"|shortly|(?:the )?(?:near |distant |foreseeable )?future|(?:the )?past|earlier|later|once"
    r"|previously|formerly|at the moment|the moment|this time|some ?time|one day|someday"
    r"|eventually|recent (?:days|weeks|months|years)|(?:a )?few (?:days|weeks|months|years) ago"
    r"|(?:several|many|some) (?:days|weeks|months|years) ago|fiscal.*|fy ?\d*.*|.*fiscal year.*"
)
_HINT_RE = re.compile(
    rf"\b(?:{_MON}|{_WD}|(?:{_SEA}|{_UNIT}s?|quarter|half|today|yesterday"
    rf"|tomorrow|weekend)\b)|\d{{4}}"
)
_IN_N_RE = re.compile(rf"in (?P<n>{_NUM}) (?P<u>day|week|month|year)s?(?: time)?")
_ANAPHORIC_WORDS = frozenset(
    {"following", "previous", "preceding", "prior", "same", "subsequent", "next", "that", "the"}
)
_RANGE_SEP_RE = re.compile(r" ?- ?| (?:to|through|thru|until|till|and) ")


@dataclass(frozen=True, slots=True)
class _Ctx:
    anchor: date
    tense: Tense | None


_Res = tuple[str | None, str]  # (value, granularity)


# ---------------------------------------------------------------- date helpers
def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + m - 1 + k
    return t // 12, t % 12 + 1


def _week(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _month_num(tok: str) -> int:
    return _MONTHS[tok.rstrip(".")]


def _day_num(tok: str) -> int:
    return int(re.sub(r"\D", "", tok))


def _num(tok: str) -> int | None:
    return int(tok) if tok.isdigit() else _NUMBERS.get(tok)


def number(word: str) -> int | None:
    """A count written in digits or words ('4', 'four', 'a')."""
    return _num(word.lower())


def _pick(values: Iterable[str | None], anchor: date, tense: Tense | None, strict: bool) -> str | None:
    """Choose among candidate values: next (future), last (past) or nearest occurrence."""
    spans = [(v, iv) for v in values if (iv := interval(v)) is not None and v is not None]
    if tense == "future":
        ok = [p for p in spans if (p[1][0] > anchor if strict else p[1][1] >= anchor)]
        return min(ok, key=lambda p: p[1][0])[0] if ok else None
    if tense == "past":
        ok = [p for p in spans if (p[1][1] < anchor if strict else p[1][0] <= anchor)]
        return max(ok, key=lambda p: p[1][0])[0] if ok else None

    def distance(p: tuple[str, tuple[date, date]]) -> tuple[int, bool]:
        lo, hi = p[1]
        gap = 0 if lo <= anchor <= hi else min(abs((lo - anchor).days), abs((hi - anchor).days))
        return gap, lo > anchor  # ties go to the past

    return min(spans, key=distance)[0] if spans else None


def _by_year(build: Callable[[int], str | None], ctx: _Ctx, q: str | None) -> str | None:
    """Resolve a year-less value, honouring a qualifier ("last", "next") or else the tense."""
    tense, strict = (_QUALS[q][0], True) if q else (ctx.tense, False)
    years = range(ctx.anchor.year - 2, ctx.anchor.year + 2)
    return _pick((build(y) for y in years), ctx.anchor, tense, strict)


# ---------------------------------------------------------------- core rules
def _r_iso(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    d = _date(int(m["y"]), int(m["m"]), int(m["d"]))
    return (d.isoformat(), "day") if d else None


def _r_calendar(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    g = m.groupdict()
    m1, d1 = _month_num(g["m1"]), _day_num(g["d1"])
    m2 = _month_num(g["m2"]) if g.get("m2") else m1
    d2 = _day_num(g["d2"]) if g.get("d2") else d1
    if (m2, d2) < (m1, d1) and m2 == m1:
        return None

    def build(y: int) -> str | None:
        a, b = _date(y, m1, d1), _date(y if (m2, d2) >= (m1, d1) else y + 1, m2, d2)
        if a is None or b is None:
            return None
        return a.isoformat() if a == b else f"{a}/{b}"

    if g.get("y"):  # an explicit year belongs to the end of the range
        value = build(int(g["y"]) - (1 if (m2, d2) < (m1, d1) else 0))
    else:
        value = _by_year(build, ctx, None)
    return (value, "day" if value and "/" not in value else "range") if value else None


def _r_day_only(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    a, d = ctx.anchor, _day_num(m["d"])
    cands = []
    for k in (-1, 0, 1):
        y, mo = _add_months(a.year, a.month, k)
        day = _date(y, mo, d)
        cands.append(day.isoformat() if day else None)
    value = _pick(cands, a, ctx.tense, False)
    return (value, "day") if value else None


def _r_month_year(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    g = m.groupdict()
    y = int(g["y"]) if g.get("y") else ctx.anchor.year + _QUALS[g["ry"]][1]
    return f"{y}-{_month_num(g['m1']):02d}", "month"


def _r_month(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    mo, q = _month_num(m["m1"]), m["q"]
    if q in ("this", "current"):
        return f"{ctx.anchor.year}-{mo:02d}", "month"
    value = _by_year(lambda y: f"{y}-{mo:02d}", ctx, q)
    return (value, "month") if value else None


def _r_weekday(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    a, wd, q = ctx.anchor, _WEEKDAYS[m["wd"].rstrip(".")], m["q"]
    back, fwd = (a.weekday() - wd) % 7, (wd - a.weekday()) % 7
    if q in ("last", "this past"):
        delta = -(back or 7)
    elif q in ("next", "coming"):
        delta = fwd or 7
    elif q in ("this", "current"):
        delta = wd - a.weekday()
    elif ctx.tense == "future":
        delta = fwd
    elif ctx.tense == "present":
        delta = -back if back <= fwd else fwd
    else:  # news default: the past
        delta = -back
    return (a + timedelta(days=delta)).isoformat(), "day"


def _r_season(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    g, a = m.groupdict(), ctx.anchor
    code, q = _SEASONS[g["s"]], g["q"]
    if g["y"]:
        return f"{g['y']}-{code}", "season"
    if g["ry"]:
        return f"{a.year + _QUALS[g['ry']][1]}-{code}", "season"
    if q in ("this", "current"):
        return f"{a.year - 1 if code == 'WI' and a.month <= 2 else a.year}-{code}", "season"
    value = _by_year(lambda y: f"{y}-{code}", ctx, q)
    return (value, "season") if value else None


def _r_unit(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    a, u, q = ctx.anchor, m["u"], m["q"]
    off = _QUALS[q][1] if q else 0
    if u == "week":
        return _week(a + timedelta(weeks=off)), "week"
    if u == "weekend":
        if q is None:
            off = 0 if ctx.tense == "future" or a.weekday() >= 5 else -1
        sat = a - timedelta(days=a.weekday()) + timedelta(weeks=off, days=5)
        return f"{sat}/{sat + timedelta(days=1)}", "range"
    if u == "month":
        y, mo = _add_months(a.year, a.month, off)
        return f"{y}-{mo:02d}", "month"
    if u == "quarter":
        t = a.year * 4 + (a.month - 1) // 3 + off
        return f"{t // 4}-Q{t % 4 + 1}", "quarter"
    return str(a.year + off), "year"


def _r_week_of(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    res = _core(m["rest"], ctx)
    iv = interval(res[0]) if res and res[1] == "day" else None
    return (_week(iv[0]), "week") if iv else None


def _r_year(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    return m["y"], "year"


def _r_year_range(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    a, b = int(m["a"]), int(m["b"])
    if b < 100:
        b += a - a % 100
    return (f"{a}/{b}", "range") if a < b else None


def _r_decade(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    g = m.groupdict()
    if g["c"]:
        start = int(g["c"]) * 10
    else:
        d = int(g["d"]) if g["d"] else _DECADE_WORDS[g["w"]]
        start = max(c * 100 + d * 10 for c in range(10, 30) if c * 100 + d * 10 <= ctx.anchor.year)
    return f"{start}/{start + 9}", "decade"


def _r_part(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    g = m.groupdict()
    kind = "H" if g["kind"] in ("half", "h") else "Q"
    n = _ORDINALS[g["o"]] if g.get("o") else int(g["n"])
    if n > (2 if kind == "H" else 4):
        return None
    gran = "half" if kind == "H" else "quarter"
    if g.get("y"):
        return f"{g['y']}-{kind}{n}", gran
    value = _by_year(lambda y: f"{y}-{kind}{n}", ctx, None)
    return (value, gran) if value else None


def _r_month_quarter(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    m1, m2 = _month_num(m["m1"]), _month_num(m["m2"])
    if m1 % 3 != 1 or m2 != m1 + 2:
        return None
    n = (m1 + 2) // 3
    if m["y"]:
        return f"{m['y']}-Q{n}", "quarter"
    value = _by_year(lambda y: f"{y}-Q{n}", ctx, None)
    return (value, "quarter") if value else None


def _r_day_word(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    return (ctx.anchor + timedelta(days=_DAY_WORDS[m[0]])).isoformat(), "day"


def _shift(n: int, unit: str, anchor: date) -> _Res:
    if unit == "day":
        return (anchor + timedelta(days=n)).isoformat(), "day"
    if unit == "week":
        return _week(anchor + timedelta(weeks=n)), "week"
    if unit == "month":
        y, mo = _add_months(anchor.year, anchor.month, n)
        return f"{y}-{mo:02d}", "month"
    return str(anchor.year + n), "year"


def _r_ago(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    n = _num(m["n"])
    if n is None:
        return None
    if m["u"] == "decade":
        n *= 10
    if m["today"] and m["u"] == "week":
        return _shift(-7 * n if m["dir"] == "ago" else 7 * n, "day", ctx.anchor)  # "a week ago today": that day
    return _shift(-n if m["dir"] == "ago" else n, m["u"].replace("decade", "year"), ctx.anchor)


_CORE_RULES: tuple[tuple[str, Callable[[re.Match[str], _Ctx], _Res | None]], ...] = (
    (r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", _r_iso),
    (rf"(?P<m1>{_MON}) ?(?P<d1>{_DAY})(?: ?(?:-|to|through|thru|until|till|and) ?"
     rf"(?:(?P<m2>{_MON}) ?)?(?P<d2>{_DAY}))?(?:,? ?(?P<y>{_YEAR}))?", _r_calendar),
    (rf"(?P<d1>{_DAY})(?: ?(?:-|to|through|and) ?(?P<d2>{_DAY}))? (?:of )?(?P<m1>{_MON})"
     rf"(?:,? (?P<y>{_YEAR}))?", _r_calendar),
    (r"(?P<d>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))", _r_day_only),
    (rf"(?P<m1>{_MON})(?:,| of)? ?(?P<y>{_YEAR})", _r_month_year),
    (rf"(?P<m1>{_MON})(?:,| of)? (?P<ry>this|last|next) year", _r_month_year),
    (rf"(?:(?P<q>{_QUAL}) )?(?P<m1>{_MON})", _r_month),
    (rf"(?:(?P<q>{_QUAL}) )?(?P<wd>{_WD})", _r_weekday),
    (rf"(?:(?P<q>{_QUAL}) )?(?P<s>{_SEA})(?:(?: of|,)? (?P<y>{_YEAR})"
     rf"|(?: of)? (?P<ry>this|last|next) year)?", _r_season),
    (rf"(?:(?P<q>{_QUAL}) )?(?P<u>week|weekend|month|year|quarter)", _r_unit),
    (r"week of (?P<rest>.+)", _r_week_of),
    (rf"(?:year )?(?P<y>{_YEAR})", _r_year),
    (rf"(?P<a>{_YEAR}) ?(?:-|to|through|and|until) ?(?P<b>\d{{4}}|\d{{2}})", _r_year_range),
    (rf"(?P<c>[12]\d\d)0'?s|'?(?P<d>\d)0'?s|(?:nineteen )?(?P<w>{_alt(_DECADE_WORDS)})", _r_decade),
    (rf"(?P<o>{_alt(_ORDINALS)}) (?P<kind>half|quarter)(?: of (?P<y>{_YEAR}))?", _r_part),
    (rf"(?P<kind>[qh])(?P<n>[1-4])(?:,? (?P<y>{_YEAR}))?", _r_part),
    (rf"(?P<y>{_YEAR}),? (?P<kind>[qh])(?P<n>[1-4])", _r_part),
    (rf"(?P<n>[1-4])(?P<kind>[qh])(?:,? (?P<y>{_YEAR}))?", _r_part),
    (rf"(?P<m1>{_MON}) ?- ?(?P<m2>{_MON}) (?:quarter|period)(?: of (?P<y>{_YEAR}))?", _r_month_quarter),
    (_alt(_DAY_WORDS), _r_day_word),
    (rf"(?P<n>{_NUM}) (?P<u>day|week|month|year|decade)s? (?P<dir>ago|from now|hence)(?P<today> today)?", _r_ago),
)  # fmt: skip
_CORE_RES = tuple((re.compile(p), fn) for p, fn in _CORE_RULES)


def _core(s: str, ctx: _Ctx) -> _Res | None:
    s = s.removeprefix("the ")
    for pattern, rule in _CORE_RES:
        if (m := pattern.fullmatch(s)) and (res := rule(m, ctx)):
            return res
    return None


def _parse(s: str, ctx: _Ctx) -> tuple[_Res, str | None] | None:
    """Parse an optional prefix modifier plus a core expression: ((value, gran), mod)."""
    s = s.removeprefix("the ")
    for pattern, kind in _MODIFIER_RES:
        m = pattern.match(s)
        if not m or m.end() == len(s) or (res := _core(s[m.end() :], ctx)) is None:
            continue
        value, gran = res
        if kind[0] in "HQ":
            if gran == "year":
                return (f"{value}-{kind}", "half" if kind[0] == "H" else "quarter"), None
            if kind[0] == "H" and gran != "day":
                return res, "START" if kind == "H1" else "END"
            return None
        return res, None if kind == "NONE" else kind
    res = _core(s, ctx)
    return (res, None) if res else None


def _clean(text: str) -> str | None:
    """Lower-case and tidy; None when the text is only a time of day."""
    s = text.lower().translate(str.maketrans("–—‒‑’‘()", "----''  "))
    s = re.sub(r"\s+", " ", s).strip(' \t,;:.!?"[]')
    s = re.sub(r" ?- ?", "-", s)
    s = re.sub(r"(?<=[a-z])'s\b", "", s)
    if not s.startswith("the "):
        s = re.sub(r"(?<=\d{4})'s\b", "", s)
    if _CLOCK_RE.search(s):
        s = _CLOCK_RE.sub(" ", s)
        s = re.sub(r"\s+", " ", s).strip(" ,")
        s = re.sub(r"^(?:(?:on|at|of|by|from|until|around|about) )+|(?: (?:on|at|of))+$", "", s)
        if not _HINT_RE.search(s):
            return None
    s = re.sub(rf"^{_WD},? (?={_MON}|\d|the \d)", "", s)
    # "Tuesday, May 15, to Saturday, May 19": the second day's weekday too
    s = re.sub(rf"(?<=\d),? (to|through|until|and) {_WD},? (?={_MON}|\d)", r" \1 ", s)
    # "Friday, Christmas Day": the weekday and a holiday naming the same day again
    s = re.sub(rf"^({_WD}), (?!.*(?:\d|\b{_MON}\b))[a-z' ]+ day$", r"\1", s)
    s = re.sub(r"^(?:this |early this |late this )?(?:morning|afternoon|evening)$", "today", s)
    s = re.sub(r"^(?:in )?the (?:early|small|wee) hours$", "today", s)
    s = re.sub(r"^(?:in )?the (?:early|small|wee) hours of (?=\S)", "", s)  # "... of Tuesday": Tuesday  # "reached in the early hours"
    s = re.sub(r"^last night$", "yesterday", s)
    if (m := re.search(rf"(\S+) {_PART_OF_DAY}$", s)) and m[1] not in _ANAPHORIC_WORDS:
        s = s[: m.end(1)]
    if re.fullmatch(rf"(?:(?:in )?the )?{_PART_OF_DAY}?", s):
        return None
    return s


def _year_named(s: str, anchor: date) -> str:
    """'june 30 next year' -> 'june 30 2015': a day or month whose year is told relative to now."""
    m = re.fullmatch(rf"(.*\b{_MON}\b[^,]*?),? (next|last|this) year", s)
    if m is None or re.search(r"\d{4}", m[1]):
        return s
    return f"{m[1]} {anchor.year + {'next': 1, 'last': -1, 'this': 0}[m[2]]}"


_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_DAY_INDEX = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_WEEKDAYS_OF_A_WEEK_RE = re.compile(
    rf"(?:on |from )?(?P<a>{_WEEKDAY})(?:\s*(?:to|-|through|until|and)\s*(?P<b>{_WEEKDAY}))?,? (?:of )?(?P<q>this|last|next) week",
    re.I)
_WEEKDAYS_THEN_DATE_RE = re.compile(
    rf"(?:on )?(?P<days>{_WEEKDAY}(?:\s*(?:and|to|or|-|through)\s*{_WEEKDAY})?),\s*(?P<date>.*\d.*)", re.I)


def normalize(text: str, *, anchor: date, tense: Tense | None = None) -> Timex | None:
    """Normalise one date expression; None when the text is not a date expression at all."""
    s = _clean(text)
    if s is None:
        return None
    head, comma, tail = text.rpartition(",")
    if comma and head.strip() and _DURATION_RE.fullmatch(_clean(tail) or ""):
        # "on December 13, two days before they were due": the day, and how long before something else
        return normalize(head, anchor=anchor, tense=tense)
    if (m := _WEEKDAYS_THEN_DATE_RE.fullmatch(text.strip())) and (day := normalize(m["date"], anchor=anchor, tense=tense)) \
            and day.value:
        # "Saturday and Sunday, June 2 and 3": the dates say it; "Saturday and Sunday, June 2": from June 2 on
        names = re.findall(_WEEKDAY, m["days"], re.I)
        if day.granularity == "day" and len(names) == 2:
            days = (_DAY_INDEX[names[1].lower()] - _DAY_INDEX[names[0].lower()]) % 7
            if 0 < days < 6:
                first = date.fromisoformat(day.value)
                return Timex(f"{first.isoformat()}/{(first + timedelta(days=days)).isoformat()}", None, text, "range")
        return Timex(day.value, day.mod, text, day.granularity)
    if m := _WEEKDAYS_OF_A_WEEK_RE.fullmatch(text.strip()):
        # "Thursday of last week", "from Monday to Friday this week": days of the week named
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks={"last": -1, "this": 0, "next": 1}[m["q"].lower()])
        first = monday + timedelta(days=_DAY_INDEX[m["a"].lower()])
        last = monday + timedelta(days=_DAY_INDEX[m["b"].lower()]) if m["b"] else first
        if last < first:
            return None
        named = first.isoformat() if last == first else f"{first.isoformat()}/{last.isoformat()}"
        return Timex(named, None, text, "day" if last == first else "range")
    s = re.sub(r"^(?:the )?year[- ](\d{4})$", r"\1", s)  # "the year-2000 target"
    s = _year_named(s, anchor)
    # "october or november of next year": either month, so the two of them
    s = re.sub(rf"\b({_MON}) or ({_MON})\b", r"\1 to \2", s)
    ctx = _Ctx(anchor, tense)

    def unresolved() -> Timex:
        return Timex(None, None, text, "none")

    if m := _IN_N_RE.fullmatch(s):
        n = _num(m["n"])
        if n is None:
            return unresolved()
        value, gran = _shift(n, m["u"], anchor)
        return Timex(value, None, text, gran)
    signal_mod: str | None = None
    signalled = False
    stripped = True
    while stripped:
        stripped = False
        for pattern, mod in _SIGNAL_RES:
            if m := pattern.match(s):
                s, stripped, signalled = s[m.end() :], True, True
                signal_mod = signal_mod or mod
                break
    if _ANAPHORA_RE.fullmatch(s) or _VAGUE_RE.fullmatch(s):
        return unresolved()
    if _DURATION_RE.fullmatch(s):
        return None
    parsed = _parse(s, ctx)
    if parsed is None:
        for sep in _RANGE_SEP_RE.finditer(s):
            left, right = s[: sep.start()], s[sep.end() :]
            lp, rp = _parse(left, ctx), _parse(right, ctx)
            year = re.search(rf"\b{_YEAR}$", right)
            if year and not re.search(r"\d{4}", left):  # "September to December 2000"
                lp = _parse(f"{left} {year[0]}", ctx) or lp
            if lp and rp and lp[0][0] and rp[0][0] and interval(f"{lp[0][0]}/{rp[0][0]}"):
                parsed = ((f"{lp[0][0]}/{rp[0][0]}", "range"), None)
                break
    if parsed is None:
        hint = signalled or _HINT_RE.search(s) or any(p.match(s) for p, _ in _MODIFIER_RES)
        return unresolved() if hint else None
    (value, gran), mod = parsed
    if value is None:
        return unresolved()
    return Timex(value, mod or signal_mod, text, gran)


# ---------------------------------------------------------------- free-text scan
_SIG = r"(?:(?:before|after|by|since|until|till|from|around|about|prior to|no later than|as of) )?"
_PREP = r"(?:in|during|before|after|by|since|until|till|from|around|about|as of) "
_MODP = (r"(?:(?:early|late|mid|earlier|later) |mid-|end-|(?:the )?(?:very )?(?:beginning|start"
         r"|middle|end|close) of |(?:the )?(?:first|second|latter) half of |(?:the )?(?:first"
         r"|second|third|fourth|final|last) quarter of )")  # fmt: skip
_MD = rf"{_MON} ?{_DAY}"
_FIND_PATTERNS: tuple[str, ...] = (
    rf"between {_MD} and (?:{_MON} ?)?{_DAY}(?:,? {_YEAR})?",
    rf"between (?:the year )?{_YEAR} and {_YEAR}",
    rf"from {_MD} (?:to|through|until) (?:{_MON} ?)?{_DAY}(?:,? {_YEAR})?",
    rf"from {_YEAR} (?:to|through|until) {_YEAR}",
    rf"{_SIG}{_MODP}?{_MD}(?: ?(?:-|to|through) ?(?:{_MON} ?)?{_DAY})?(?:,? {_YEAR})?",
    rf"{_SIG}(?:the )?{_DAY}(?: ?- ?{_DAY})? (?:of )?{_MON}(?:,? {_YEAR})?",
    rf"{_SIG}{_MODP}?{_MON}(?:,| of)? (?:{_YEAR}|(?:this|last|next) year)",
    rf"{_SIG}{_MODP}?{_QUAL} (?:{_MON}|{_SEA}|{_WD}|week(?:end)?|month|year|quarter)",
    rf"{_SIG}{_MODP}(?:the )?(?:week|month|year)",
    rf"(?:{_PREP}|{_SIG}{_MODP}){_MON}(?! ?\d)",
    rf"{_PREP}{_YEAR}(?!'s| ?-)",
    rf"{_SIG}(?:the )?year {_YEAR}",
    rf"{_SIG}{_MODP}{_YEAR}",
    rf"{_SIG}{_MODP}?(?:the )?{_SEA}(?: of|,)? {_YEAR}",
    rf"{_SIG}(?:the )?{_MODP}?(?:[12]\d\d0'?s|'\d0s)",
    rf"{_SIG}{_YEAR} ?- ?(?:{_YEAR}|\d\d)(?![\d-])",
    r"(?:the day (?:before yesterday|after tomorrow)|yesterday|today|tomorrow|tonight)",
    rf"{_SIG}(?:about |around )?{_NUM} (?:day|week|month|year)s? (?:ago|from now)",
    rf"{_SIG}{_MODP}?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
    r"\d{4}-\d{2}-\d{2}",
)


def _free_text(pattern: str) -> re.Pattern[str]:
    """Compile a find pattern: any run of whitespace where the pattern has a space, whole words."""
    spaced = pattern.replace(" ?", r"\s*").replace(" ", r"\s+")
    return re.compile(rf"(?<![\w'-])(?:{spaced})(?![\w-])", re.IGNORECASE)


_FIND_RES = tuple(_free_text(p) for p in _FIND_PATTERNS)
_NAME_RE = re.compile(rf"\b(?:{_alt(_MONTHS)}|{_alt(_WEEKDAYS)})\b", re.IGNORECASE)


def find_dates(text: str, *, anchor: date) -> list[tuple[int, int, Timex]]:
    """Scan free text for explicit date expressions; non-overlapping, longest match first."""
    found: list[tuple[int, int, Timex]] = []
    spans = {(m.start(), m.end()) for pattern in _FIND_RES for m in pattern.finditer(text)}
    for start, end in sorted(spans, key=lambda p: (p[0] - p[1], p[0])):
        if any(start < e and s < end for s, e, _ in found):
            continue
        span = text[start:end]
        if any(not n[0][0].isupper() for n in _NAME_RE.finditer(span)):
            continue  # "may", "march", "sun" in lower case are not dates
        tx = normalize(span, anchor=anchor)
        if tx is not None and tx.value is not None:
            found.append((start, end, tx))
    return sorted(found, key=lambda f: f[0])
