"""The tracker's page as a reader meets it: a real browser (headless Chromium, Debian's `chromium`,
driven by Playwright) against the web process's app served by uvicorn on loopback.

As a script it photographs the page for the README (`docs/page.png`) from a realistic database: the
demo's sample feed replayed, with the real extractor, up to early November 2000, when the Brunei summit
was next:

    .venv/bin/python -m tests.public.test_browser docs/page.png
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette

from bot.app import Runtime
from bot.web import create_app
from tests.public import NEXT_SUMMIT, SCRIPT_HEADLINE, seed

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@contextmanager
def serving(app: Starlette) -> Iterator[str]:
    """The app under uvicorn in a thread, on 127.0.0.1 at a free port: its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason=f"no Chromium at {CHROMIUM} (Debian's `chromium` package; .ci/run installs it)")


@needs_chromium
def test_a_reader_sees_the_next_summit_filters_the_timeline_and_an_escaped_headline(
    runtime: Runtime, tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    seed(runtime)
    with serving(create_app(runtime)) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{base}/t/kuril")

        expect(page).to_have_title("Russia-Japan peace treaty and the Kuril Islands · ntrack")
        nxt = page.locator("#next-events > li")
        expect(nxt).to_have_count(1)
        expect(nxt.first).to_be_visible()
        expect(nxt.first).to_contain_text(NEXT_SUMMIT)
        expect(nxt.first).to_contain_text("15 Nov 2000")
        source = page.locator("#timeline-events .source").get_by_role("link", name=SCRIPT_HEADLINE, exact=True)
        expect(source).to_be_visible()  # the markup is shown as the text it is
        expect(source).to_have_attribute("href", "https://news.example/2?a=1&b=2")
        picture = page.get_by_role("img", name="Timeline picture of Russia-Japan peace treaty and the Kuril Islands")
        expect(picture).to_have_attribute("src", "kuril/timeline.png")
        expect(picture).to_have_attribute("alt", re.compile(r"Next: summit in Brunei, 15 Nov 2000\."))
        all_events = page.locator("#timeline-events > li")
        expect(all_events).to_have_count(6)
        page.screenshot(path=tmp_path / "page.png", full_page=True)

        page.get_by_label("Person").select_option("Vladimir Putin")
        page.get_by_label("Status").select_option("held")
        page.get_by_role("button", name="Show events").click()
        page.wait_for_url("**/t/kuril?type=&status=held&person=Vladimir+Putin#timeline")
        expect(all_events).to_have_count(1)
        expect(all_events.first.get_by_role("heading", level=3)).to_have_text("Visit · Tokyo")
        expect(page.get_by_label("Status")).to_have_value("held")  # the form shows the filter it applied
        expect(page.get_by_label("Person")).to_have_value("Vladimir Putin")
        page.get_by_role("link", name="Clear filters").click()
        expect(all_events).to_have_count(6)
        page.screenshot(path=tmp_path / "filtered.png", full_page=True)
        assert dialogs == []  # no script from an article ran
    assert (tmp_path / "page.png").stat().st_size > 10_000


@needs_chromium
def test_the_page_works_without_javascript(runtime: Runtime) -> None:
    from playwright.sync_api import expect

    seed(runtime)
    with serving(create_app(runtime)) as base, chromium() as browser:
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(f"{base}/t/kuril")
        expect(page.locator("#next-events")).to_contain_text(NEXT_SUMMIT)
        page.get_by_label("Type").select_option("summit")
        page.get_by_role("button", name="Show events").click()
        expect(page.locator("#timeline-events > li")).to_have_count(1)
        expect(page.get_by_label("Type")).to_have_value("summit")
        page.goto(f"{base}/t/kuril?type=banquet")
        expect(page.get_by_role("alert")).to_have_text(
            "There is no event type 'banquet': showing every type. Types: summit, meeting, talks, visit, deadline, "
            "agreement, statement, suspension.")


# --------------------------------------------------------------------------- the README's screenshot

REPLAY_UNTIL = datetime(2000, 11, 8, 12, tzinfo=UTC)  # the Brunei summit (15 Nov 2000) is next
SHOT_HEIGHT = 2700  # pixels: the status, the picture, the filters and the first events of the timeline


def photograph(out: Path) -> None:
    """Replay the sample feed up to REPLAY_UNTIL in a new SQLite database and photograph the page."""
    from bot.app import open_runtime
    from bot.demo import SAMPLE_FEED, poll_times
    from bot.settings import Settings
    from bot.worker import extractor_for, ingest_all

    with tempfile.TemporaryDirectory() as tmp:
        rt = open_runtime(Settings(DATABASE_URL=f"sqlite:///{tmp}/page.db", NTRACK_NOW=REPLAY_UNTIL.isoformat(),
                                   NTRACK_CHART_DIR=f"{tmp}/charts"), migrate=True)
        tracker = rt.tracker("kuril")
        extractor = extractor_for(tracker)
        for when in poll_times(SAMPLE_FEED):
            if when > REPLAY_UNTIL:
                break
            rt.now = when
            ingest_all(rt, tracker, [str(SAMPLE_FEED)], extractor=extractor)
        rt.now = REPLAY_UNTIL
        with serving(create_app(rt)) as base, chromium() as browser:
            page = browser.new_page(viewport={"width": 1100, "height": 1000}, device_scale_factor=1)
            page.goto(f"{base}/t/kuril")
            height = min(SHOT_HEIGHT, int(page.evaluate("document.documentElement.scrollHeight")))
            page.screenshot(path=out, full_page=True, clip={"x": 0, "y": 0, "width": 1100, "height": height})
        rt.engine.dispose()
    print(f"wrote {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Photograph a tracker's page from the replayed sample feed.")
    parser.add_argument("out", type=Path, help="where to write the PNG, e.g. docs/page.png")
    photograph(parser.parse_args().out)
