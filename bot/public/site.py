"""A tracker's public page, `GET /t/<slug>`: where the negotiation stands now (next events, active
deadlines, latest developments), its timeline picture, and the full timeline, filtered by type, status
and person through query parameters (so a filtered view is a link to share), a page of PAGE_SIZE events
at a time (`?page=`), each event with the sentence that told it, its source and its latest changes with
their articles.

Server-rendered HTML from Jinja2 templates (autoescaped: an article's title, sentence or URL is text,
never markup; only http and https URLs become links), readable without JavaScript or CSS. The database
is read and the page rendered in a bounded thread pool, awaited with a deadline (PAGE_WITHIN), so the
event loop never waits on the database: a full pool or a late answer is a 503 with one line. A page is
the same for every reader: it is kept for the minute it is as of, unless the data changes (`Recent`),
and carries an ETag and Cache-Control max-age=60.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from bot import chart, clock
from bot import event_types as et
from bot.app import Runtime
from bot.commands.format import human_date
from bot.domain import ChangeView, EventView, SourceLink
from bot.flash import flash
from bot.public.documents import etag_matches
from bot.tracker import Tracker
from bot.webtools import BoundedPool, finished_within
from db import reads
from db import site as site_reads

PAGE_SIZE = 25  # events per page of the full timeline
MAX_PAGE = 10_000
PAGE_WITHIN = 10.0  # seconds the page may take to read and render; later: 503
CACHE_CONTROL = "public, max-age=60"
# The timeline picture's size in pixels (bot/public/chart.py draws it): the browser keeps its room.
MAX_ECHO = 60  # characters of an unknown filter value repeated in the message about it
log = logging.getLogger("ntrack.public")

_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                         trim_blocks=True, lstrip_blocks=True, auto_reload=False)
# Every status any type of event can have, in the registry's order, for the status filter.
ALL_STATUSES: tuple[str, ...] = tuple(dict.fromkeys(s for t in et.TYPES.values() for s in t.statuses))


# ----------------------------------------------------------------------------- pure pieces


def safe_href(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL, else None: an article's `javascript:` or `data:` link
    is shown as text, never followed."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def day_words(when: datetime | None) -> str | None:
    return human_date(when.date().isoformat()) if when else None


@dataclass(frozen=True, slots=True)
class Link:
    """An article as the page links it: its title (or its address), a safe href or none, its day."""

    title: str
    href: str | None
    day: str | None


def link(source: SourceLink | None) -> Link | None:
    if source is None:
        return None
    title = (source.title or "").strip() or source.url or "untitled article"
    return Link(title=title, href=safe_href(source.url), day=day_words(source.published))


def what_changed(c: ChangeView) -> str:
    """A change of an event shown under that event: 'new, scheduled', 'scheduled → held', 'date ... → ...'."""
    if c.kind == "new":
        return f"first reported, {et.status_word(c.new)}"
    if c.kind == "date":
        return f"date moved: {human_date(c.old)} → {human_date(c.new)}"
    if c.kind == "location":
        return f"place changed: {c.old or 'unknown'} → {c.new}"
    if c.kind == "type":
        return f"{'upgraded' if et.is_upgrade(c.old, c.new) else 'now'}: {et.label(c.old or '').lower()} → {et.label(c.new or '').lower()}"
    return f"{et.status_word(c.old)} → {et.status_word(c.new)}"


@dataclass(frozen=True, slots=True)
class ChangeItem:
    text: str
    day: str | None
    article: Link | None


@dataclass(frozen=True, slots=True)
class EventItem:
    id: int
    heading: str
    when: str
    status: str
    status_class: str  # a registry status or "other": never text from an article
    people: str
    parties: str
    sentence: str | None
    source: Link | None
    changes: list[ChangeItem] = field(default_factory=list)
    older_changes: int = 0


def event_item(ev: EventView, changes: site_reads.EventChanges | None = None) -> EventItem:
    heading = et.label(ev.type) + (f" · {ev.location}" if ev.location else "")
    shown = changes.changes if changes else []
    return EventItem(
        id=ev.id, heading=heading, when=human_date(ev.date_value, ev.date_mod), status=et.status_word(ev.status),
        status_class=ev.status if ev.status in ALL_STATUSES else "other", people=", ".join(ev.participants),
        parties=", ".join(ev.parties), sentence=ev.sentence.strip() if ev.sentence else None, source=link(ev.source),
        changes=[ChangeItem(what_changed(c), day_words(c.created_at), link(c.article)) for c in shown],
        older_changes=(changes.total - len(shown)) if changes else 0,
    )


@dataclass(slots=True)
class Filters:
    """The full timeline's filters as the query string gave them, checked against what exists; what was
    wrong with them, one line each (the filter is then left out)."""

    type: str | None = None
    status: str | None = None
    person: str | None = None
    page: int = 1
    problems: list[str] = field(default_factory=list)

    def query(self, page: int | None = None) -> str:
        """The query string of this view (at another page), without empty values."""
        pairs = [(k, v) for k, v in (("type", self.type), ("status", self.status), ("person", self.person)) if v]
        if (page or self.page) > 1:
            pairs.append(("page", str(page or self.page)))
        return urlencode(pairs)


def _echo(value: str) -> str:
    return repr(value if len(value) <= MAX_ECHO else value[:MAX_ECHO] + "…")


def read_filters(params: Mapping[str, str], people: list[str]) -> Filters:
    """Filters from `type`, `status`, `person` and `page`; empty means all. An unknown value is named in
    `problems` (it is a type, status or person the tracker has never had: a typo or a stale link)."""
    f = Filters()
    kind = params.get("type", "").strip()
    if kind:
        if kind in et.TYPES:
            f.type = kind
        else:
            f.problems.append(f"There is no event type {_echo(kind)}: showing every type. "
                              f"Types: {', '.join(et.TYPES)}.")
    status = params.get("status", "").strip()
    if status:
        if status in ALL_STATUSES:
            f.status = status
        else:
            f.problems.append(f"There is no status {_echo(status)}: showing every status. "
                              f"Statuses: {', '.join(ALL_STATUSES)}.")
    person = " ".join(params.get("person", "").split())
    if person:
        known = {p.casefold(): p for p in people}
        if person.casefold() in known:
            f.person = known[person.casefold()]
        else:
            f.problems.append(f"This tracker knows no person named {_echo(person)}: showing everyone.")
    page = params.get("page", "").strip()
    if page:
        if page.isascii() and page.isdigit() and 1 <= int(page) <= MAX_PAGE:
            f.page = int(page)
        else:
            f.problems.append(f"Page {_echo(page)} is not a page number (1 to {MAX_PAGE:,}): showing the first page.")
    return f


# ----------------------------------------------------------------------------- reading and rendering


@dataclass(frozen=True, slots=True)
class Rendered:
    """A page ready to send: its status, its bytes, their ETag."""

    status: int
    body: bytes
    etag: str

    @classmethod
    def of(cls, status: int, html: str) -> Rendered:
        body = html.encode()
        return cls(status, body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def render_message(title: str, message: str, *, trackers: list[Tracker] | None = None) -> str:
    """A page that only says something (not found, busy, too slow)."""
    return _templates.get_template("message.html").render(title=title, message=message, trackers=trackers or [])


def picture_alt(tracker: Tracker, upcoming: list[EventView]) -> str:
    """What the timeline picture shows, for whoever cannot see it."""
    alt = (f"Timeline picture of {tracker.title}: the events of recent months on a time axis, one lane per kind "
           "of event, coloured by status, with today marked.")
    if upcoming:
        ev = upcoming[0]
        where = f" in {ev.location}" if ev.location else ""
        alt += f" Next: {et.label(ev.type).lower()}{where}, {human_date(ev.date_value, ev.date_mod)}."
    return alt + " The same events are listed as text in the full timeline below."


def render_tracker(rt: Runtime, tracker: Tracker, tracker_id: int, params: Mapping[str, str], now: datetime) -> Rendered:
    """The page of one tracker as of `now`, for the filters in `params`: one read transaction, a fixed
    number of bounded queries."""
    with rt.sessions.begin() as session:
        people = site_reads.people(session=session, tracker_id=tracker_id)
        f = read_filters(params, people)
        seen = reads.overview(session=session, tracker_id=tracker_id, now=now, upcoming=5, changes=0, deadlines=10)
        latest = site_reads.developments(session=session, tracker_id=tracker_id, now=now, limit=8)
        page = site_reads.timeline_page(session=session, tracker_id=tracker_id, event_type=f.type, status=f.status,
                                        person=f.person, offset=(f.page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        changes = site_reads.changes_of(session=session, events=page.events)
    pages = max(1, -(-page.total // PAGE_SIZE))
    status = 400 if f.problems else 200
    if f.page > pages:
        f.problems.append(f"There is no page {f.page}: these events fill {pages} page{'s' if pages > 1 else ''}.")
        status = 404
    first = (f.page - 1) * PAGE_SIZE + 1
    developments = [ChangeItem(flash(c), day_words(c.created_at), link(c.article)) for c in latest]
    html = _templates.get_template("tracker.html").render(
        tracker=tracker, slug=tracker.slug, as_of=f"{human_date(now.date().isoformat())}, {now:%H:%M} UTC",
        upcoming=[event_item(e) for e in seen.upcoming], deadlines=[event_item(e) for e in seen.deadlines],
        developments=developments, picture_alt=picture_alt(tracker, seen.upcoming),
        picture_width=chart.WIDTH, picture_height=chart.HEIGHT,
        types=[(name, t.label) for name, t in et.TYPES.items()],
        statuses=[(s, et.status_word(s)) for s in ALL_STATUSES], people=[(p, p) for p in people], filters=f,
        events=[event_item(e, changes.get(e.id)) for e in page.events], total=page.total,
        first=first, last=first + len(page.events) - 1, page_number=f.page, pages=pages, page_size=PAGE_SIZE,
        newer=f.query(f.page - 1) if 1 < f.page <= pages else None,
        older=f.query(f.page + 1) if f.page < pages else None,
    )
    return Rendered.of(status, html)


# ----------------------------------------------------------------------------- the route


class Recent:
    """The pages rendered in the last minute for the data as it is, the newest `size` of them: a page is
    the same for every reader, so a link shared widely is read from the database once a minute, or
    again as soon as the data changes (`db.site.version`). Pages say the minute they are as of."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._pages: OrderedDict[tuple[Any, ...], Rendered] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> Rendered | None:
        with self._lock:
            found = self._pages.get(key)
            if found is not None:
                self._pages.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], page: Rendered) -> None:
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)


FILTERS = ("type", "status", "person", "page")


def answer(rt: Runtime, slug: str, params: Mapping[str, str], recent: Recent | None = None) -> Rendered:
    """The page for `/t/<slug>?params` (from `recent` when it has it), or a 404 page naming the trackers."""
    found = rt.by_slug(slug)
    if found is None:
        listed = sorted(rt.trackers().values(), key=lambda t: t.slug)
        return Rendered.of(404, render_message("No such tracker", f"ntrack has no tracker called {_echo(slug)}.",
                                               trackers=listed))
    tracker, tracker_id = found
    now = clock.now(rt.settings.now)
    if recent is None:
        return render_tracker(rt, tracker, tracker_id, params, now)
    with rt.sessions.begin() as session:
        data = site_reads.version(session=session)
    key = (slug, tuple(params.get(name, "") for name in FILTERS), data, now.replace(second=0, microsecond=0))
    page = recent.get(key)
    if page is None:
        page = render_tracker(rt, tracker, tracker_id, params, now)
        recent.put(key, page)
    return page


def _unavailable(message: str) -> HTMLResponse:
    return HTMLResponse(render_message("Try again in a moment", message), status_code=503,
                        headers={"Retry-After": "30", "Cache-Control": "no-store"})


def routes(rt: Runtime, *, within: float = PAGE_WITHIN) -> list[BaseRoute]:
    pool = BoundedPool(rt.settings.answer_threads, rt.settings.answer_queue, "ntrack-page")
    recent = Recent()

    async def page(request: Request) -> Response:
        params: dict[str, Any] = dict(request.query_params)
        pending = pool.submit(answer, rt, request.path_params["slug"], params, recent)
        if pending is None:
            return _unavailable("ntrack is busy just now: every page reader is taken. Try again in a few seconds.")
        if not await finished_within(pending, within):
            return _unavailable(f"ntrack could not read its database within {within:g} s. Try again in a minute.")
        try:
            done = pending.result()
        except Exception:  # a page reports, it does not crash
            log.exception("the page of %r failed", request.path_params["slug"])
            return _unavailable("ntrack cannot read its database just now. Try again in a minute.")
        headers = {"ETag": done.etag, "Cache-Control": CACHE_CONTROL if done.status == 200 else "no-cache"}
        if done.status == 200 and etag_matches(request.headers.get("if-none-match"), done.etag):
            return Response(status_code=304, headers=headers)
        return Response(done.body, status_code=done.status, media_type="text/html; charset=utf-8", headers=headers)

    return [Route("/t/{slug}", page, methods=["GET"])]
