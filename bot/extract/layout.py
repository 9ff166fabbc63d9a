"""The article's layout around its sentences: paragraphs, the headline, the dateline and citations
'(Reuters, November 3)'. What they hold is the report's place and date, not an event's, so the
mention passes mask them. Pure: text in, spans and flags out."""

from __future__ import annotations

import re

from spacy.tokens import Span

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
# "TOKYO, November 1 -", "IRKUTSK, Russia, March 25 (Wire) -", "GENEVA \u2014", "ALMATY, Kazakhstan \u2014": the
# report's place (and date), not an event's. Without a date the dash must be a dash proper, not a hyphen.
DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Z .'\-]{2,40})(?:, [A-Z][A-Za-z .]{2,30})?"
    r"(?:, [A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?(?: \([^)\n]{1,40}\))? *[\u2014\u2013-]+ "
    r"|(?: \([^)\n]{1,40}\))? *(?:[\u2014\u2013]+|--) )",
    re.MULTILINE,
)
# "February 23, 2012 - Envoys sit down ...", "March 2013: ...": a chronology's entry, dated at its head.
_MONTH = r"(?:{})\.?".format("|".join(m.capitalize() for m in MONTHS))
_ENTRY_DATE = (rf"((?:[A-Z][a-z]+day(?:[-\u2013][A-Z][a-z]+day)?,? )?(?:{_MONTH} \d{{1,2}}(?:[-\u2013]\d{{1,2}})?(?:, \d{{4}})?"
               rf"|\d{{1,2}}(?:[-\u2013]\d{{1,2}})? {_MONTH}(?:,? \d{{4}})?|{_MONTH},? \d{{4}}|(?:19|20)\d\d))")
ENTRY = re.compile(rf"\s*{_ENTRY_DATE} *(?:[\u2014\u2013:]|-(?= )) *(?=\S)")
# "December 13-14" alone on its line, the entry under it: a chronology's date as a heading; a weekly
# monitor's heading may name the place too ("Thursday-Friday, March 28-29: Beijing", "April 4: the Oval Office").
_HEADING_PLACE = r"(?:the )?[A-Z][\w'.\-]*(?: (?:of |de |la )?[A-Z][\w'.\-]*){0,3}"
HEADING = re.compile(rf"\s*{_ENTRY_DATE}\s*(?::\s*(?P<place>{_HEADING_PLACE}))?\s*:?\s*")
# "16:45 - Johnson replies to Brussels", "11:15 \u2014 It is official.": a live blog's entry, headed by a time.
CLOCK_ENTRY = re.compile(r"\s*\d{1,2}[:.]\d{2}(?:\s*(?:a\.m\.|p\.m\.|GMT|BST|CET|CEST|EST|EDT|UTC))?\s*(?:[\u2014\u2013]|-(?= ))")
# "BARNIER: Good afternoon.", "Q: When do you meet again?": a transcript's turn, its speaker's label
# (an all-caps word or up to four: 'VICE PREMIER LIU HE') at the head of the paragraph.
SPEAKER = re.compile(r"[ \t]*([A-Z][A-Z.'\u2019\-]*(?: [A-Z][A-Z.'\u2019\-]*){0,3}):[ \t]+(?=\S)")
ATTRIBUTION = re.compile(r"\(([^()]{3,200})\)")
DAY_IN_ATTRIBUTION = re.compile(r"\b(?:{})\.? \d{{1,2}}\b".format("|".join(m.capitalize() for m in MONTHS)))


def paragraphs_of(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs (blank-line or line separated)."""
    spans, start = [], 0
    for m in re.finditer(r"\n\s*\n|\n", text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def attributions(text: str) -> list[str]:
    """'(Reuters, November 3; Japan Times, November 5)' -> ['Reuters, November 3', 'Japan Times, November 5']."""
    out: list[str] = []
    for m in ATTRIBUTION.finditer(text):
        inner = m.group(1)
        if DAY_IN_ATTRIBUTION.search(inner) and not inner.lower().startswith("see "):
            out.extend(part.strip() for part in inner.split(";") if part.strip())
    return out


def in_attribution(ent: Span, text: str) -> bool:
    """'(Reuters, November 3)': a report date, not an event date. `text` is the doc's text
    (Doc.text joins every token on each call)."""
    left = text.rfind("(", 0, ent.start_char)
    if left < 0 or text.rfind(")", 0, ent.start_char) > left:
        return False
    right = text.find(")", ent.end_char)
    return right >= 0 and right - left < 200 and bool(DAY_IN_ATTRIBUTION.search(text[left:right]))


def datelines(text: str) -> list[tuple[int, int]]:
    """Character spans of the datelines, whose place and date are masked for every mention."""
    return [(m.start(), m.end()) for m in DATELINE.finditer(text)]


# "Monday-Tuesday, October 30-31": the days' names say nothing the date does not
_WEEKDAYS = re.compile(r"^[A-Z][a-z]+day(?:[-\u2013][A-Z][a-z]+day)?,? (?=[A-Z\d])")


# "Monday, Strasbourg. May flew to ...": a weekly monitor's entry headed by the day's name and the place.
_DAY_NAMES = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DAY_PLACE_ENTRY = re.compile(rf"\s*({_DAY_NAMES}(?:[-\u2013]{_DAY_NAMES})?), (?P<place>{_HEADING_PLACE})\.\s")
# "Monday, March 2 - Montreux. Kerry came ...": the place an entry names right after its date's dash
_ENTRY_PLACE = re.compile(rf"(?P<place>{_HEADING_PLACE})\.\s")


def entries(text: str, paras: list[tuple[int, int]]) -> tuple[dict[int, str], dict[int, str]]:
    """A chronology's or a monitor's entries, read in one pass over the paragraphs: paragraph index ->
    the date's text (a date and a dash or colon at its head, a date heading on the line above, a day's
    name and a place, a live blog's clock), and paragraph index -> the place's words where the entry or
    its heading names one ('Wednesday-Friday, April 3-5: Washington', 'Monday, March 2 - Montreux. ...')."""
    dates: dict[int, str] = {}
    places: dict[int, str] = {}
    titled: str | None = None  # the date of a titled heading above ('Tuesday, Jan. 22 — A meeting that was')
    for i, (a, b) in enumerate(paras):
        if titled is not None and not _a_title(text[a:b]) and not ENTRY.match(text, a, b) \
                and not HEADING.fullmatch(text, a, b):
            dates[i] = titled  # the paragraphs under a titled day heading are of that day
            continue
        titled = None
        if (m := HEADING.fullmatch(text, a, b)) and i + 1 < len(paras):
            dates[i + 1] = _WEEKDAYS.sub("", m.group(1))  # the heading's date is the entry's, on the line under it
            if m["place"]:
                places[i + 1] = m["place"]
        elif m := ENTRY.match(text, a, b):
            dates[i] = m.group(1)
            if _a_title(text[m.end():b]):
                titled = m.group(1)
            if p := _ENTRY_PLACE.match(text, m.end(), b):
                places[i] = p["place"]  # "Monday, March 2 - Montreux. John Kerry came up the lake ..."
        elif m := DAY_PLACE_ENTRY.match(text, a, b):
            dates[i] = m.group(1).split("-")[0].split("\u2013")[0]  # a run of days starts on its first
            places[i] = m["place"]  # "Monday, Strasbourg. May flew to the French city ..."
        elif CLOCK_ENTRY.match(text, a, b):
            dates[i] = "today"  # a live blog's entry ("16:45 - Johnson replies"): the day of the item
    return _with_years(dates), places


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _a_title(words: str) -> bool:
    """A heading's title ('A meeting that was, or wasn't', 'No more air raids'): a few words, no sentence."""
    words = words.strip()
    return 0 < len(words.split()) <= 8 and not words.endswith((".", "?", "!", ":")) and "\n" not in words


def _with_years(dates: dict[int, str]) -> dict[int, str]:
    """A chronology gives the year once and then only days ('November 25, 2018', 'December 10', 'January
    14, 2019', 'January 15'): an entry without one is in the year of the entry before it, or the next
    year when its month comes earlier (the other way round for a chronology told newest first)."""
    dated = [(i, int(y.group())) for i, t in sorted(dates.items()) if (y := _YEAR.search(t))]
    if not dated or len(dated) == len(dates):
        return dates
    newest_first = len(dated) > 1 and dated[-1][1] < dated[0][1]
    out, year, month = dict(dates), None, None
    for i in sorted(dates):
        text = dates[i]
        mon = _month_of(text)
        if y := _YEAR.search(text):
            year = int(y.group())
        elif year is not None and mon is not None and month is not None and mon != month and \
                (mon < month) != newest_first:
            year += -1 if newest_first else 1
        if year is not None and mon is not None and not _YEAR.search(text):
            out[i] = f"{text}, {year}"
        month = mon if mon is not None else month
    return out


_MONTH_NUMBER = {name: n % 12 + 1 for n, name in enumerate(MONTHS[:12])} | {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11,
    "dec": 12}


def _month_of(text: str) -> int | None:
    return next((_MONTH_NUMBER[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _MONTH_NUMBER), None)


# "3. Putin wins a fourth term", "UKRAINE: Kiev's deadliest day": a digest's item, headed by a number or a
# topic label on a short line of its own.
ITEM_HEAD = re.compile(r"[ \t]*(?:\d{1,2}\.[ \t]+[A-Z\"'\u201c]|[A-Z][A-Z .'\-]{2,30}:[ \t]+\S)")
MIN_ITEMS = 3


def digest_items(text: str, paras: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """A digest's items, when it has at least three: (start, end of the heading, end of the item) in
    characters, each item running to the next heading or the end of the text."""
    # a heading is a title, not a sentence: "PUTIN: Nobody is handing over anything." is a transcript's turn
    heads = [(a, b) for a, b in paras if b - a < 100 and ITEM_HEAD.match(text, a, b)
             and not text[a:b].rstrip().rstrip("\"'\u201d").endswith((".", "?", "!"))]
    if len(heads) < MIN_ITEMS:
        return []
    ends = [a for a, _ in heads[1:]] + [len(text)]
    return [(a, b, end) for (a, b), end in zip(heads, ends, strict=True)]



def speaker_labels(text: str, paras: list[tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """The paragraphs that open with a speaker's label, as a transcript's turns do ('DAVIS: I see the
    week rather differently'): paragraph index -> the label's character span (without the colon)."""
    out: dict[int, tuple[int, int]] = {}
    for i, (a, b) in enumerate(paras):
        if m := SPEAKER.match(text, a, b):
            out[i] = m.span(1)
    return out


def has_headline(text: str) -> bool:
    """Whether the first line is a headline: short, and not ended like a sentence."""
    first_line = text.strip().split("\n", 1)[0]
    return len(first_line) < 140 and not first_line.rstrip().endswith((".", "?", "!", '"'))


class Layout:
    """Where things are in one article's text: its paragraphs, datelines, headline, chronology entries
    and transcript turns, read once. `questioners`: the labels (lower case) of those who ask, not
    answer ('QUESTION:', 'Q:', 'MODERATOR:')."""

    def __init__(self, text: str, questioners: frozenset[str] = frozenset()) -> None:
        self.text = text  # built once: Doc.text joins every token each time it is read
        self.paras = paragraphs_of(text)
        self.masked = datelines(text)
        self.headline = has_headline(text)
        self.entries, self.entry_places = entries(text, self.paras)
        labels = speaker_labels(text, self.paras)
        # a label is the transcript's layout, as a dateline is: no name or place in it is the sentence's
        self.masked += labels.values()
        # paragraph index -> the label of a speaker's turn (questions asked are no one's statement)
        self.speakers = {i: text[a:b] for i, (a, b) in labels.items() if text[a:b].lower() not in questioners}

    def para_of(self, char: int) -> int:
        """The paragraph holding character `char` (the last one past the end)."""
        return next((i for i, (a, b) in enumerate(self.paras) if a <= char < b), len(self.paras) - 1)

    def in_dateline(self, ent: Span) -> bool:
        return any(a <= ent.start_char < b for a, b in self.masked)
