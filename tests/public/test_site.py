"""The tracker's public page, GET /t/<slug>, over HTTP against the web process's app (SQLite, and
PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from sqlalchemy import event
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.app import Runtime, open_runtime
from bot.public import site
from bot.settings import Settings
from bot.web import create_app
from tests.public import KURIL_2000, NEXT_SUMMIT, SCRIPT_HEADLINE, Told, seed


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    seed(runtime)
    with TestClient(create_app(runtime)) as c:
        yield c


class Outline(HTMLParser):
    """What a reader of the page meets: the text of each element with an id (as a list of its items'
    texts when it is a list), the hrefs, the selected options, the headings in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.items: dict[str, list[str]] = {}
        self.texts: dict[str, str] = {}
        self.hrefs: list[str] = []
        self.selected: dict[str, str] = {}
        self.headings: list[int] = []
        self._select: str | None = None
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag in {"br", "img", "meta", "link", "input"}:
            return
        self.stack.append((tag, a.get("id")))
        if a.get("id"):
            self.texts[a["id"] or ""] = ""
        if tag == "li" and len(self.stack) > 1 and self.stack[-2][1]:
            self.items.setdefault(self.stack[-2][1] or "", []).append("")
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag == "select":
            self._select = a.get("name")
        if tag == "option" and "selected" in a and self._select:
            self.selected[self._select] = a.get("value") or ""
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for i, (_, ident) in enumerate(self.stack):
            if ident:
                self.texts[ident] += data
                if i + 1 < len(self.stack) and self.stack[i + 1][0] == "li":
                    self.items[ident][-1] += data


def outline(html: str) -> Outline:
    o = Outline()
    o.feed(html)
    return o


def squash(text: str) -> str:
    return " ".join(text.split())


def timeline_types(html: str) -> list[str]:
    return [squash(t).split(" ")[0] for t in outline(html).items.get("timeline-events", [])]


def test_the_page_shows_the_next_summit_deadline_and_latest_changes(client: TestClient) -> None:
    resp = client.get("/t/kuril")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    page = outline(resp.text)
    assert page.lang == "en"
    nxt = [squash(t) for t in page.items["next-events"]]
    assert len(nxt) == 1 and nxt[0].startswith(NEXT_SUMMIT)
    assert "15 Nov 2000" in nxt[0] and "scheduled" in nxt[0] and "Vladimir Putin, Yoshiro Mori" in nxt[0]
    assert "Putin and Mori will meet in Brunei on November 15, officials said." in nxt[0]  # its evidence
    assert "Source: Putin and Mori to meet in Brunei on November 15, 5 Nov 2000" in nxt[0]
    assert [squash(t).split(" ")[0] for t in page.items["deadlines"]] == ["Deadline"]
    # developments: the newest first, statements (not news) left out
    news = [squash(t) for t in page.items["developments"]]
    assert news[0].startswith("Putin and Mori will hold a summit in Brunei on 15 Nov 2000.")  # the flash
    assert not any(t.startswith("Statement") for t in news)
    assert "https://news.example/0?a=1&b=2" in page.hrefs  # the article that made the change
    assert page.headings[0] == 1 and all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))


def test_the_page_carries_the_picture_with_words_for_it(client: TestClient) -> None:
    html = client.get("/t/kuril").text
    img = re.search(r"<img [^>]*>", html)
    assert img is not None
    tag = img.group(0)
    assert 'src="kuril/timeline.png"' in tag  # from /t/kuril: /t/kuril/timeline.png
    assert re.search(r'width="\d+"', tag) and re.search(r'height="\d+"', tag)
    alt = re.search(r'alt="([^"]+)"', tag)
    assert alt and "Next: summit in Brunei, 15 Nov 2000." in alt.group(1)


def test_the_full_timeline_lists_every_event_newest_first_with_changes_and_sources(client: TestClient) -> None:
    html = client.get("/t/kuril").text
    assert timeline_types(html) == ["Deadline", "Summit", "Statement", "Talks", "Visit", "Agreement"]
    page = outline(html)
    talks = squash(page.items["timeline-events"][3])
    assert ("What changed 4 Nov 2000: first reported, scheduled, from Foreign ministers end two days of treaty talks in "
            "Tokyo 5 Nov 2000: scheduled → held, from Foreign ministers end two days") in talks
    assert "Events 1–6 of 6" in squash(page.texts["timeline-count"])


def test_filters_narrow_the_timeline_and_show_as_selected(client: TestClient) -> None:
    by_type = client.get("/t/kuril", params={"type": "summit"}).text
    assert timeline_types(by_type) == ["Summit"]
    assert outline(by_type).selected == {"type": "summit"}
    by_person = client.get("/t/kuril", params={"person": "Vladimir Putin"}).text
    assert timeline_types(by_person) == ["Summit", "Statement", "Visit"]
    assert outline(by_person).selected == {"person": "Vladimir Putin"}
    both = client.get("/t/kuril?type=&status=held&person=vladimir+putin").text  # empty: all; names in any case
    assert timeline_types(both) == ["Visit"]
    assert outline(both).selected == {"status": "held", "person": "Vladimir Putin"}
    assert "Events 1–1 of 1 matching the filters" in squash(outline(both).texts["timeline-count"])
    none = client.get("/t/kuril", params={"type": "suspension"}).text
    assert timeline_types(none) == [] and "No events match these filters." in squash(none)
    # the status section does not move with the filters
    assert [squash(t).split(" ")[0] for t in outline(by_type).items["deadlines"]] == ["Deadline"]


def test_an_article_headline_with_markup_is_shown_as_text(client: TestClient) -> None:
    html = client.get("/t/kuril").text
    assert "<script>" not in html.split("</head>")[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Putin speaks on the islands" in html
    assert "&lt;b&gt;&#34;the 1956 declaration&#34;&lt;/b&gt;" in html
    assert SCRIPT_HEADLINE in squash(outline(html).texts["timeline-events"])
    hrefs = outline(html).hrefs
    assert not any(h.lower().startswith("javascript") for h in hrefs)  # the visit's article: no link
    assert "Source: Putin ends his Tokyo visit, 5 Nov 2000" in squash(outline(html).texts["timeline-events"])


@pytest.mark.parametrize(("query", "message"), [
    ("type=banquet", "There is no event type 'banquet': showing every type."),
    ("status=<b>won</b>", "There is no status '<b>won</b>': showing every status."),
    ("person=Napoleon", "This tracker knows no person named 'Napoleon': showing everyone."),
    ("page=-1", "Page '-1' is not a page number"),
    ("page=" + "9" * 300, "is not a page number"),
])
def test_an_unknown_filter_value_is_named_and_left_out(client: TestClient, query: str, message: str) -> None:
    resp = client.get(f"/t/kuril?{query}")
    assert resp.status_code == 400
    assert message in squash(outline(resp.text).texts.get("main", ""))
    assert "<b>won</b>" not in resp.text
    assert len(timeline_types(resp.text)) == 6  # the timeline is still there, unfiltered


def test_a_page_past_the_end_is_404_with_a_way_back(client: TestClient) -> None:
    resp = client.get("/t/kuril?type=summit&page=3")
    assert resp.status_code == 404
    assert "There is no page 3: these events fill 1 page." in squash(resp.text)
    assert "kuril?type=summit#timeline" in outline(resp.text).hrefs


def test_the_timeline_comes_in_pages(runtime: Runtime) -> None:
    many = tuple(Told("meeting", "held", date(1999, 1, 1 + i % 28).replace(month=1 + i // 28), "Moscow",
                      f"Meeting number {i}", ("Igor Ivanov",)) for i in range(site.PAGE_SIZE + 7))
    seed(runtime, many + KURIL_2000)
    client = TestClient(create_app(runtime))
    first = client.get("/t/kuril").text
    assert len(timeline_types(first)) == site.PAGE_SIZE
    assert f"Events 1–{site.PAGE_SIZE} of {site.PAGE_SIZE + 13}" in squash(outline(first).texts["timeline-count"])
    assert "(page 1 of 2)" in first
    assert "kuril?page=2#timeline" in outline(first).hrefs
    second = client.get("/t/kuril?page=2").text
    assert len(timeline_types(second)) == 13
    assert timeline_types(second)[-1] == "Agreement"  # the undated event, last of all
    assert "kuril#timeline" in outline(second).hrefs  # back to the newer events
    filtered = client.get("/t/kuril?person=Igor+Ivanov").text
    assert "kuril?person=Igor+Ivanov&page=2#timeline" in outline(filtered).hrefs


def rounds(n: int, year: int) -> tuple[Told, ...]:
    return tuple(Told("talks", "held", date(year, 1 + i // 28, 1 + i % 28), "Tokyo", f"Round {year}-{i}", ("Igor Ivanov",),
                      changes=(("new", None, "scheduled"), ("status", "scheduled", "held"))) for i in range(n))


def test_the_page_reads_in_a_fixed_number_of_queries(runtime: Runtime) -> None:
    seed(runtime, KURIL_2000 + rounds(site.PAGE_SIZE, 1998))
    runtime.trackers()  # the trackers synced, once
    count = [0]

    def counted(*args: object) -> None:
        count[0] += 1

    event.listen(runtime.engine, "after_cursor_execute", counted)
    site.answer(runtime, "kuril", {})
    few = count[0]
    seed(runtime, rounds(3 * site.PAGE_SIZE, 1999))  # three times as many events, each with changes
    count[0] = 0
    site.answer(runtime, "kuril", {})
    assert count[0] == few
    count[0] = 0
    site.answer(runtime, "kuril", {"page": "5"})  # the last page: the dated events' end, the undated
    assert count[0] == few + 1


def test_a_page_is_read_once_a_minute_and_again_when_the_data_changes(runtime: Runtime) -> None:
    seed(runtime)
    client = TestClient(create_app(runtime))
    client.get("/t/kuril")
    count = [0]

    def counted(*args: object) -> None:
        count[0] += 1

    event.listen(runtime.engine, "after_cursor_execute", counted)
    first = client.get("/t/kuril")
    assert count[0] == 1  # only: has anything changed?
    seed(runtime, (Told("summit", "scheduled", date(2000, 12, 20), "Irkutsk", "Mori to visit Irkutsk",
                        ("Yoshiro Mori",), changes=(("new", None, "scheduled"),)),))
    count[0] = 0
    second = client.get("/t/kuril")
    assert count[0] > 1 and second.headers["etag"] != first.headers["etag"]
    assert "Summit · Irkutsk" in squash(outline(second.text).texts["next-events"])
    runtime.settings = runtime.settings.model_copy(update={"now": "2000-11-06T12:00:59Z"})
    count[0] = 0
    assert client.get("/t/kuril").headers["etag"] == second.headers["etag"] and count[0] == 1  # the same minute
    runtime.settings = runtime.settings.model_copy(update={"now": "2000-11-06T12:01:00Z"})
    assert "As of 6 Nov 2000, 12:01 UTC." in squash(client.get("/t/kuril").text)  # the next one


def test_the_page_has_cache_headers_and_answers_not_modified(client: TestClient) -> None:
    resp = client.get("/t/kuril")
    assert resp.headers["cache-control"] == "public, max-age=60"
    etag = resp.headers["etag"]
    again = client.get("/t/kuril", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = client.get("/t/kuril?type=summit", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_an_unknown_tracker_is_a_404_page_naming_the_trackers(client: TestClient) -> None:
    resp = client.get("/t/atlantis")
    assert resp.status_code == 404 and resp.headers["content-type"].startswith("text/html")
    assert "ntrack has no tracker called 'atlantis'." in squash(outline(resp.text).texts["main"])
    assert "kuril" in outline(resp.text).hrefs


def test_pages_off_leaves_the_routes_out(db_url: str) -> None:
    rt = open_runtime(Settings(DATABASE_URL=db_url, NTRACK_NOW="2000-11-06T12:00:00Z", NTRACK_PAGES="off"),
                      migrate=True)
    try:
        assert rt.settings.pages is False
        client = TestClient(create_app(rt))
        assert client.get("/t/kuril").status_code == 404
        assert "Russia-Japan" not in client.get("/t/kuril").text
        assert client.get("/healthz").status_code == 200
    finally:
        rt.engine.dispose()


def test_now_comes_from_the_settings(runtime: Runtime) -> None:
    seed(runtime)
    runtime.settings = runtime.settings.model_copy(update={"now": "2000-11-20T12:00:00Z"})
    html = TestClient(create_app(runtime)).get("/t/kuril").text
    assert "As of 20 Nov 2000, 12:00 UTC." in squash(html)
    assert "Nothing scheduled." in html  # the Brunei summit's day has passed (it was never said to be held)


def test_a_slow_or_broken_database_is_a_503_with_one_line(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    real = site.render_tracker

    def slow(*args: object, **kwargs: object) -> site.Rendered:
        time.sleep(0.5)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(site, "render_tracker", slow)
    client = TestClient(Starlette(routes=site.routes(runtime, within=0.05)))
    resp = client.get("/t/kuril")
    assert resp.status_code == 503 and resp.headers["retry-after"] == "30"
    assert "ntrack could not read its database within 0.05 s. Try again in a minute." in resp.text

    def broken(*args: object, **kwargs: object) -> site.Rendered:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(site, "render_tracker", broken)
    resp = client.get("/t/kuril")
    assert resp.status_code == 503 and "cannot read its database just now" in resp.text
    assert "Traceback" not in resp.text and "went away" not in resp.text


def test_safe_href_keeps_only_web_links() -> None:
    assert site.safe_href("https://news.example/a?b=1") == "https://news.example/a?b=1"
    assert site.safe_href(" HTTP://news.example/ ") == "HTTP://news.example/"
    for bad in ("javascript:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>", "//news.example/a", "/local",
                "https:no-host", "", None, "http://[::1"):
        assert site.safe_href(bad) is None, bad


def test_dates_are_in_words() -> None:
    when = datetime(2000, 11, 5, 9, tzinfo=UTC)
    assert site.day_words(when) == "5 Nov 2000"
