"""The timeline picture: GET /t/<slug>/timeline.png (a PNG of the right size, drawn once per state of
the data, validated parameters, ETag and 304), what it draws, its cache, `ntrack chart`, and the
Image a reply carries through the outbox."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event
from starlette.testclient import TestClient

from bot import chart
from bot.app import Runtime, open_runtime
from bot.chart_draw import HEIGHT, WIDTH, draw
from bot.chart_store import ChartStore
from bot.commands.reply import Image, Line, Reply, Section
from bot.public import chart as public_chart
from bot.service import answer
from bot.settings import Settings
from bot.web import create_app
from db.chart import ChartEvent
from tests.conftest import CliResult
from tests.slack import seed

NOW = "2000-11-06T12:00:00Z"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (its first chunk, IHDR)."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def chart_rt(db_url: str, tmp_path: Path) -> Iterator[Runtime]:
    rt = open_runtime(Settings(DATABASE_URL=db_url, NTRACK_NOW=NOW, NTRACK_CHART_DIR=str(tmp_path / "charts")),
                      migrate=True)
    yield rt
    rt.engine.dispose()


@pytest.fixture
def client(chart_rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The web app, every request reading the database (the memo is tested on its own)."""
    monkeypatch.setattr(public_chart, "MEMO_SECONDS", 0.0)
    with TestClient(create_app(chart_rt)) as c:
        yield c


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many pictures were drawn (every ChartStore of the process)."""
    import bot.chart_draw

    count: list[int] = []
    real = bot.chart_draw.render_png

    def counted(picture: chart.Picture) -> bytes:
        count.append(len(picture.events))
        return real(picture)

    monkeypatch.setattr(bot.chart_draw, "render_png", counted)
    return count


def test_the_picture_is_a_png_of_the_expected_size(chart_rt: Runtime, client: TestClient) -> None:
    seed.add_event(chart_rt)
    resp = client.get("/t/kuril/timeline.png")
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "image/png"
    assert png_size(resp.content) == (WIDTH, HEIGHT)
    assert resp.headers["cache-control"].startswith("public")
    assert resp.headers["etag"].strip('"') and len(resp.headers["etag"].strip('"')) == 32


def test_the_same_data_is_drawn_once_and_new_data_makes_a_new_picture(
    chart_rt: Runtime, client: TestClient, renders: list[int]
) -> None:
    seed.add_event(chart_rt)
    first = client.get("/t/kuril/timeline.png")
    again = client.get("/t/kuril/timeline.png?v=anything")  # Slack's cache-busting parameter changes nothing
    assert renders == [1]
    assert again.headers["etag"] == first.headers["etag"] and again.content == first.content
    seed.add_event(chart_rt, type="talks", status="postponed", day=date(2000, 10, 20), location="Tokyo", n=1)
    changed = client.get("/t/kuril/timeline.png")
    assert renders == [1, 2]
    assert changed.headers["etag"] != first.headers["etag"] and changed.content != first.content
    client.get("/t/kuril/timeline.png")
    assert renders == [1, 2]


def test_a_picture_asked_again_soon_costs_no_query(chart_rt: Runtime, renders: list[int]) -> None:
    seed.add_event(chart_rt)
    statements: list[str] = []
    event.listen(chart_rt.engine, "after_cursor_execute", lambda *args: statements.append(args[2]))
    with TestClient(create_app(chart_rt)) as c:
        first = c.get("/t/kuril/timeline.png")
        reads = len(statements)
        assert reads >= 1
        again = c.get("/t/kuril/timeline.png")
        cached = c.get("/t/kuril/timeline.png", headers={"If-None-Match": first.headers["etag"]})
        assert len(statements) == reads  # neither read the database
        assert again.content == first.content and cached.status_code == 304 and renders == [1]
        assert c.get("/t/kuril/timeline.png?months=6").status_code == 200 and len(statements) > reads


def test_a_client_with_the_picture_gets_304(chart_rt: Runtime, client: TestClient, renders: list[int]) -> None:
    seed.add_event(chart_rt)
    etag = client.get("/t/kuril/timeline.png").headers["etag"]
    resp = client.get("/t/kuril/timeline.png", headers={"If-None-Match": f'W/"old", {etag}'})
    assert resp.status_code == 304 and resp.content == b"" and resp.headers["etag"] == etag
    assert client.get("/t/kuril/timeline.png", headers={"If-None-Match": '"other"'}).status_code == 200
    assert renders == [1]


def test_the_window_follows_months_and_from_to(chart_rt: Runtime, client: TestClient) -> None:
    seed.add_event(chart_rt)  # 15 Nov 2000, nine days after "today"
    year = client.get("/t/kuril/timeline.png?months=12")
    assert year.status_code == 200
    assert client.get("/t/kuril/timeline.png").headers["etag"] == year.headers["etag"]  # 12 is the default
    assert client.get("/t/kuril/timeline.png?months=3").headers["etag"] != year.headers["etag"]
    ranged = client.get("/t/kuril/timeline.png?from=2000-11-01&to=2000-11-30")
    assert ranged.status_code == 200 and png_size(ranged.content) == (WIDTH, HEIGHT)
    with chart_rt.sessions.begin() as s:
        tracker = chart_rt.tracker("kuril")
        inside = chart.picture_for(session=s, tracker=tracker, tracker_id=seed.kuril_id(chart_rt),
                                   window=chart.Window(date(2000, 11, 1), date(2000, 11, 30), date(2000, 11, 6)))
        outside = chart.picture_for(session=s, tracker=tracker, tracker_id=seed.kuril_id(chart_rt),
                                    window=chart.Window(date(2000, 12, 1), date(2001, 3, 1), date(2000, 11, 6)))
    assert [e.location for e in inside.events] == ["Brunei"] and outside.events == ()


@pytest.mark.parametrize(("query", "reason"), [
    ("months=0", "months must be a whole number from 1 to 120"),
    ("months=121", "months must be a whole number from 1 to 120"),
    ("months=abc", "months must be a whole number from 1 to 120"),
    ("months=%C2%B2", "months must be a whole number from 1 to 120"),
    ("months=-3", "months must be a whole number from 1 to 120"),
    ("from=2000-13-01", "from: not a date"),
    ("to=yesterday", "to: not a date"),
    ("from=1700-01-01&to=1701-01-01", "from: date out of range"),
    ("from=2001-01-01&to=2000-01-01", "from (2001-01-01) must come before to (2000-01-01)"),
    ("from=2000-01-01&to=2000-01-01", "must come before"),
    ("from=1990-01-01&to=2010-01-01", "a picture spans at most 120 months"),
    ("from=2000-01-01&to=2000-06-01&months=3", "give from and to, or months, not all three"),
])
def test_bad_parameters_get_400_in_one_line(client: TestClient, query: str, reason: str) -> None:
    resp = client.get(f"/t/kuril/timeline.png?{query}")
    assert resp.status_code == 400
    assert reason in resp.text
    assert resp.text.count("\n") == 1 and "Traceback" not in resp.text


def test_an_unknown_tracker_is_404(client: TestClient) -> None:
    resp = client.get("/t/nosuch/timeline.png")
    assert resp.status_code == 404 and resp.text == "no tracker 'nosuch'\n"


def test_pages_off_serve_no_picture(db_url: str) -> None:
    rt = open_runtime(Settings(DATABASE_URL=db_url, NTRACK_NOW=NOW, NTRACK_PAGES="off"), migrate=True)  # type: ignore[arg-type]
    try:
        with TestClient(create_app(rt)) as c:
            assert c.get("/t/kuril/timeline.png").status_code == 404
    finally:
        rt.engine.dispose()


def test_a_tracker_with_no_events_gets_a_picture_saying_so(chart_rt: Runtime, client: TestClient) -> None:
    resp = client.get("/t/kuril/timeline.png")
    assert resp.status_code == 200 and png_size(resp.content) == (WIDTH, HEIGHT)
    empty = chart.Picture("Kuril", chart.last_months(date(2000, 11, 6)), ())
    texts = [t.get_text() for t in draw(empty).findobj(lambda a: hasattr(a, "get_text"))]
    assert "No events in this range" in texts
    busy = chart.Picture("Kuril", chart.last_months(date(2000, 11, 6)),
                         (ChartEvent("summit", "held", date(2000, 9, 3), date(2000, 9, 3), "day", None, "Tokyo"),))
    texts = [t.get_text() for t in draw(busy).findobj(lambda a: hasattr(a, "get_text"))]
    assert "No events in this range" not in texts and "Tokyo 3 Sep" in texts


# ----------------------------------------------------------------------------- what is drawn


def _ev(type_: str, status: str, start: str, end: str | None = None, granularity: str = "day",
        mod: str | None = None, location: str | None = None) -> ChartEvent:
    return ChartEvent(type_, status, date.fromisoformat(start), date.fromisoformat(end or start), granularity, mod,
                      location)


def test_anchor_and_label_say_when_as_precisely_as_known() -> None:
    deadline = _ev("deadline", "dropped", "2000-01-01", "2000-12-31", "year", "END")
    assert chart.anchor(deadline) == date(2000, 12, 31) and chart.label(deadline) == "Deadline late 2000"
    summit = _ev("summit", "held", "2000-11-15", location="Brunei")
    assert chart.anchor(summit) == date(2000, 11, 15) and chart.label(summit) == "Brunei 15 Nov"
    month = _ev("talks", "scheduled", "2000-10-01", "2000-10-31", "month")
    assert chart.anchor(month) == date(2000, 10, 16) and chart.label(month) == "Talks Oct 2000"
    early = _ev("summit", "held", "2001-01-01", "2001-12-31", "year", "START", "Krasnoyarsk")
    assert chart.anchor(early) < date(2001, 3, 1) and chart.label(early) == "Krasnoyarsk early 2001"


def test_the_hash_covers_what_is_drawn() -> None:
    window = chart.last_months(date(2000, 11, 6))
    one = chart.Picture("Kuril", window, (_ev("summit", "scheduled", "2000-11-15", location="Brunei"),))
    assert chart.digest(one) == chart.digest(chart.Picture("Kuril", window, one.events))
    variants = [
        chart.Picture("Kuril", window, (_ev("summit", "postponed", "2000-11-15", location="Brunei"),)),
        chart.Picture("Kuril", window, (_ev("summit", "scheduled", "2000-11-16", location="Brunei"),)),
        chart.Picture("Kuril", window, (_ev("summit", "scheduled", "2000-11-15", location="Tokyo"),)),
        chart.Picture("Kuril", chart.last_months(date(2000, 11, 7)), one.events),  # today moved
        chart.Picture("Kuril", chart.last_months(date(2000, 11, 6), 6), one.events),
        chart.Picture("Other", window, one.events),
    ]
    assert len({chart.digest(p) for p in [one, *variants]}) == 1 + len(variants)


def test_months_move_by_calendar_months() -> None:
    assert chart.add_months(date(2001, 3, 31), -1) == date(2001, 2, 28)
    assert chart.add_months(date(2000, 11, 6), -12) == date(1999, 11, 6)
    window = chart.last_months(date(2000, 11, 6), 12)
    assert (window.start, window.end) == (date(1999, 11, 6), date(2001, 2, 6))


# ----------------------------------------------------------------------------------- the cache


def test_the_cache_is_bounded_and_written_whole(tmp_path: Path) -> None:
    store = ChartStore(tmp_path / "charts", max_files=3)
    window = chart.last_months(date(2000, 11, 6))
    keys = []
    for day in range(1, 6):
        picture = chart.Picture("Kuril", window, (_ev("summit", "held", f"2000-10-{day:02d}", location="Tokyo"),))
        key, data = store.png(picture)
        keys.append(key)
        assert png_size(data) == (WIDTH, HEIGHT)
        assert store.path(key).read_bytes() == data
    assert store.renders == 5
    left = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert len(left) == 3 and not any(name.startswith(".tmp") for name in left)
    assert store.cached(keys[0]) is None and store.cached(keys[-1]) is not None
    store.png(chart.Picture("Kuril", window, (_ev("summit", "held", "2000-10-05", location="Tokyo"),)))
    assert store.renders == 5  # the newest is still there: read, not drawn


# ------------------------------------------------------------------------ the reply's picture


def test_timeline_replies_carry_the_picture_and_survive_the_outbox(chart_rt: Runtime) -> None:
    seed.add_event(chart_rt)
    reply = answer(chart_rt, chart_rt.tracker("kuril"), "timeline 5")
    image = reply.image
    assert image is not None and image.tracker == "kuril" and image.filename == "timeline.png"
    assert image.path == f"/t/kuril/timeline.png?months=12&v={image.digest}"
    assert "1 event" in image.alt and (image.start, image.end, image.today) == ("1999-11-06", "2001-02-06", "2000-11-06")
    assert Reply.from_json(reply.to_json()) == reply
    old_row = Reply(title="Weekly", sections=[Section("S", [Line("x")])]).to_json()
    del old_row["image"]  # queued before replies had pictures
    assert Reply.from_json(old_row).image is None
    assert Reply.from_json({**old_row, "image": {"alt": "half an image"}}).image is None  # no crash at delivery
    assert Reply.from_json({**reply.to_json(), "image": {**reply.to_json()["image"], "later": 1}}).image == image
    assert answer(chart_rt, chart_rt.tracker("kuril"), "status").image is None
    summary = answer(chart_rt, chart_rt.tracker("kuril"), "summary").image
    assert isinstance(summary, Image) and summary.digest == image.digest


def test_ntrack_chart_writes_the_png(chart_rt: Runtime, ntrack: Callable[..., CliResult], db_url: str,
                                    tmp_path: Path) -> None:
    seed.add_event(chart_rt)
    run = ntrack  # the in-process CLI
    out = tmp_path / "timeline.png"
    env = {"DATABASE_URL": db_url, "NTRACK_NOW": NOW}
    result = run("chart", "--out", str(out), "--months", "6", env=env)
    assert result.returncode == 0, result.stderr
    assert png_size(out.read_bytes()) == (WIDTH, HEIGHT)
    assert "kuril timeline, 2000-05-06 to 2000-12-06, 1 event (1200x600 PNG)" in result.stdout
    bad = run("chart", "--out", str(out), "--months", "x", env=env)
    assert bad.returncode == 1 and bad.stderr.strip() == "ntrack: months must be a whole number from 1 to 120, not 'x'"
    nowhere = run("chart", "--out", str(tmp_path / "no" / "such" / "t.png"), env=env)
    assert nowhere.returncode == 1 and nowhere.stderr.startswith("ntrack: cannot write")
    asked = run("ask", "timeline 3", env=env)
    assert asked.returncode == 0 and "Picture: " in asked.stdout
    picture = Path(asked.stdout.rsplit("Picture: ", 1)[1].strip())
    assert png_size(picture.read_bytes()) == (WIDTH, HEIGHT)


def test_a_reply_names_its_picture_from_one_lookup_until_the_data_changes(
    chart_rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed.add_event(chart_rt)
    read: list[int] = []
    real = chart.picture_for
    monkeypatch.setattr(chart, "picture_for", lambda **kw: read.append(1) or real(**kw))
    kuril, now = chart_rt.tracker("kuril"), chart_rt.now
    with chart_rt.sessions() as session:
        tid = seed.kuril_id(chart_rt)
        first = chart.image_for(session=session, tracker=kuril, tracker_id=tid, now=now)
        again = chart.image_for(session=session, tracker=kuril, tracker_id=tid, now=now)
    assert again == first and read == [1]  # the second reply read no events
    seed.add_event(chart_rt, type="talks", status="postponed", day=date(2000, 10, 20), location="Tokyo", n=1)
    with chart_rt.sessions() as session:
        changed = chart.image_for(session=session, tracker=kuril, tracker_id=tid, now=now)
    assert read == [1, 1] and changed.digest != first.digest
