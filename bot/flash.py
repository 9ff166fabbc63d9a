"""A change in words, as a wire flash: one sentence saying what changed, who and where and when
("Putin and Mori will hold a summit in Brunei on 15 Nov 2000 — upgraded from a meeting.").

Alerts, `ingest --json` (its `text`), the changes feed and the weekly summary all read a change this
way. Pure: given a view, never a query; the words for types and statuses come from the registry
(bot/event_types.py) and dates from bot/commands/format.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import event_types as et
from bot.commands.format import human_date
from bot.commands.reply import Line
from bot.dates import cached_interval, relation
from bot.domain import ChangeView, EventView

# How many people a flash names before it says "and N others".
MAX_NAMED = 3


# Words that belong to a family name written after the given name ('Humberto de la Calle').
PARTICLES = {"de", "del", "della", "la", "le", "van", "von", "der", "den", "da", "di", "du", "dos", "das", "bin",
             "al", "el", "ter", "ten"}


def _surname(name: str) -> str:
    """The family name, as a flash calls a person: the last word with the particles before it ('de la
    Calle'); the whole name when that word is too short to stand alone ('Liu He' is not 'He', who would
    read as a pronoun)."""
    words = name.split()
    if not words or len(words[-1]) <= 2:
        return name
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in PARTICLES:
        start -= 1
    return " ".join(words[start:])


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def who(ev: EventView) -> str:
    """'Putin and Mori'; the parties ('Russia and Japan') when nobody is named; '' when neither is
    (one party alone does not meet).

    Surnames are enough in a flash, unless two of the people share one."""
    people = list(ev.participants)
    if people:
        short = [_surname(p) for p in people]
        names = short if len(set(short)) == len(short) else people
        if len(names) > MAX_NAMED:
            rest = len(names) - MAX_NAMED + 1
            return f"{', '.join(names[:MAX_NAMED - 1])} and {rest} others"
        return _join(names)
    return _join(sorted(ev.parties)) if len(ev.parties) > 1 else ""


def when(value: str | None, mod: str | None = None) -> str:
    """'on 15 Nov 2000', 'in Nov 2000', 'from 23 Oct 2000 to 24 Oct 2000'; '' when there is no date."""
    if not value:
        return ""
    if "/" in value:
        a, b = value.split("/", 1)
        return f"from {human_date(a)} to {human_date(b)}"
    words = human_date(value, mod)
    if len(value) == 10 and mod is None:
        return f"on {words}"
    return f"{words}" if mod in {"BEFORE", "AFTER"} else f"in {words}"


def _where(ev: EventView) -> str:
    return f"in {ev.location}" if ev.location else ""


def _sentence(*parts: str) -> str:
    text = " ".join(p for p in parts if p).strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _noun(ev: EventView, event_type: str | None = None) -> str:
    kind = et.label(event_type or ev.type).lower()
    if kind.endswith("s"):
        return kind  # talks
    return f"a {kind}" if kind[:1] not in "aeiou" else f"an {kind}"


# What the people of a meeting-family event did, and will do: (held, scheduled).
_DONE = {"summit": ("held a summit", "will hold a summit"), "meeting": ("met", "will meet"),
         "talks": ("held talks", "will hold talks")}


def _meeting(ev: EventView, status: str, event_type: str | None = None) -> str:
    """The meeting family: who meets, where and when, in the tense its status gives."""
    kind = event_type or ev.type
    people, where, date = who(ev), _where(ev), when(ev.date_value, ev.date_mod)
    subject = people
    if kind == "visit":
        people = subject = people if ev.participants else ""  # parties do not travel: people do
    if kind == "visit" and people:
        goes = f"visit {ev.location}" if ev.location else "make a visit"
        done = {"held": f"{subject} visited {ev.location}" if ev.location else f"{subject} made a visit",
                "scheduled": f"{subject} will {goes}"}
        if status in done:
            return _sentence(done[status], date)
    if kind == "visit" and not people and status in {"held", "scheduled"}:
        to = f"a visit to {ev.location}" if ev.location else "a visit"
        return _sentence(to, "took place" if status == "held" else "is planned", date)
    held, scheduled = _DONE.get(kind, (f"held {_noun(ev, kind)}", f"will hold {_noun(ev, kind)}"))
    if not people and status in {"held", "scheduled"}:
        noun = _noun(ev, kind)
        held_verb = "were held" if noun.endswith("s") else "was held"  # "Talks were held", "A meeting was held"
        return _sentence(noun, held_verb if status == "held" else "will be held", where, date)
    if len(ev.participants) == 1 and status in {"held", "scheduled"}:  # one person does not meet alone
        verb = "attended" if status == "held" else "will attend"
        return _sentence(subject, verb, _noun(ev, kind), where, date)
    if status == "held":
        return _sentence(subject, held, where, date)
    if status == "scheduled":
        return _sentence(subject, scheduled, where, date)
    noun = et.label(kind).lower()
    plural = noun.endswith("s")
    if kind == "visit" and people:
        the, where = f"{people}'s visit", f"to {ev.location}" if ev.location else ""
    else:
        the = f"the {noun}" + (f" {'between' if plural else 'of'} {people}" if people else "")
    have = "have" if plural else "has"
    if status == "proposed":
        a = the.removeprefix("the ") if plural or kind == "visit" else _noun(ev, kind) + the.removeprefix(f"the {noun}")
        return _sentence(a, where, date, f"{have} been proposed")
    if status == "postponed":
        return _sentence(the, where, date, f"{have} been postponed")
    if status == "cancelled":
        return _sentence(the, where, date, f"{have} been called off")
    return _sentence(the, where, date, f"{'are' if plural else 'is'} {et.status_word(status)}")


def _other(ev: EventView, status: str) -> str:
    """Deadlines, agreements, suspensions, statements: whose, where, when, and its state. The stored
    summary is not quoted: the evidence sentence under the flash says it in the article's words."""
    people, where, date = who(ev), _where(ev), when(ev.date_value, ev.date_mod)
    if ev.type == "deadline":
        words = human_date(ev.date_value, ev.date_mod) if ev.date_value else ""
        the = f"the deadline of {words}" if words else "a deadline"
        state = {"active": "has been set", "met": "has been met", "missed": "has been missed",
                 "dropped": "has been dropped"}.get(status, f"is {et.status_word(status)}")
        if status == "active":
            return _sentence(f"a deadline has been set for {words}" if words else "a deadline has been set")
        return _sentence(the, state)
    if ev.type == "agreement":
        verb = {"agreed": "reached an agreement", "signed": "signed an agreement",
                "proposed": "proposed an agreement"}.get(status, f"agreement {et.status_word(status)}")
        if people:
            return _sentence(people, verb, where, date)
        passive = {"agreed": "was reached", "signed": "was signed", "proposed": "has been proposed"}.get(status, "")
        return _sentence("an agreement", passive, where, date)
    if ev.type == "suspension":
        if status == "lifted":
            return _sentence("the suspension of talks", f"by {people}" if people else "", "has been lifted", date)
        return _sentence(people or "a party", "suspended the talks", date) if people else \
            _sentence("the talks have been suspended", date)
    if ev.type == "statement":
        return _sentence(people or "a party", "made a statement", date)
    return _sentence(et.label(ev.type), where, date, et.status_word(status))


def describe(ev: EventView, status: str | None = None) -> str:
    """The event as it stands (or in `status`), in one sentence."""
    status = status or ev.status
    return _meeting(ev, status) if et.is_meeting(ev.type) else _other(ev, status)


def flash(change: ChangeView) -> str:
    """One sentence saying what `change` changed."""
    return flash_of(change.kind, change.old, change.new, change.event)


def flash_of(kind: str, old: str | None, new: str | None, ev: EventView) -> str:
    """One sentence saying what a change of `kind` from `old` to `new` did to `ev` (as it is now)."""
    if kind in {"new", "status"}:
        return describe(ev, new or ev.status)
    if kind == "date" and ev.type == "deadline" and old and ev.date_value:
        # "The deadline has been moved to 31 Dec 2016, from 31 Oct 2016.", not "set ... moved"
        return _sentence(f"the deadline has been moved to {human_date(ev.date_value, ev.date_mod)}, "
                         f"from {human_date(old)}")
    return _with_notes(describe(ev), [_note(kind, old, new, ev)])


def _note(kind: str, old: str | None, new: str | None, ev: EventView) -> str:
    """What a change of one field did, as the words after the dash ('moved from Oslo')."""
    if kind == "date" and _sharper(old, ev):
        return f"now dated more closely (was {human_date(old)})"  # "Nov 2000" -> "15 Nov 2000"
    if kind == "date":
        return f"moved from {human_date(old)}" if old else "date now set"
    if kind == "location":
        return f"moved from {old}" if old else "place now set"
    if kind == "type":
        how = "upgraded" if et.is_upgrade(old, new) else "changed"
        return f"{how} from {_noun(ev, old)}"
    return f"{kind}: {old} -> {new}"


def _with_notes(sentence: str, notes: list[str]) -> str:
    return f"{sentence.removesuffix('.')} — {'; '.join(notes)}." if notes else sentence


def flash_all(changes: Sequence[ChangeView]) -> str:
    """One sentence for what one article changed about one event: the event as it now stands, then
    each change after the dash ('Talks were held in Hurdal on 18 Oct 2012 — moved from Oslo, 1 Oct
    2012 - 15 Oct 2012.'). One change reads as `flash` does."""
    if len(changes) == 1:
        return flash(changes[0])
    ev = changes[-1].event
    by_kind = {c.kind: c for c in changes}
    if "new" in by_kind:
        return flash(by_kind["new"])
    status = by_kind.get("status")
    head = describe(ev, status.new or ev.status) if status else describe(ev)
    moved = by_kind.get("location"), by_kind.get("date")
    notes = []
    if all(c is not None and c.old for c in moved) and not _sharper(by_kind["date"].old, ev):
        notes.append(f"moved from {by_kind['location'].old}, {human_date(by_kind['date'].old)}")
        rest = [c for c in changes if c.kind not in {"status", "location", "date"}]
    else:
        rest = [c for c in changes if c.kind != "status"]
    notes += [_note(c.kind, c.old, c.new, ev) for c in rest]
    return _with_notes(head, notes)


def _sharper(old: str | None, ev: EventView) -> bool:
    """The old date held the new one: the date got sharper, it did not move."""
    return bool(old) and relation(cached_interval(old), cached_interval(ev.date_value)) == "wider"


def change_line(change: ChangeView) -> Line:
    """The change as a flash, with the article that said so and the sentence it said it in."""
    art = change.article
    return Line(text=flash(change), source_title=art.title if art else None, source_url=art.url if art else None,
                detail=change.event.sentence)
