"""Timeline pictures drawn once per state of the data: PNG files named by their content hash
(bot/chart.py's `digest`) in NTRACK_CHART_DIR, written whole (a temporary file renamed into place, so a
reader never sees half a picture), at most MAX_FILES of them (the oldest go first).

A request for a picture costs its one query (the rows it draws) and, when that state was drawn
before, a file read; only a new state is drawn, one drawing at a time per process (a burst of
requests for a new picture draws it once, and memory holds one figure). matplotlib is imported when
the first picture is drawn, not before (`warm_up` imports it ahead of need).
"""

from __future__ import annotations

import importlib
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from bot.app import Runtime
from bot.chart import Picture, digest, picture_for, window_of
from bot.commands.reply import Image
from bot.settings import Settings

MAX_FILES = 500
log = logging.getLogger("ntrack.chart")
# One drawing at a time in this process, whichever store asks: a figure costs memory, and a burst of
# requests for one new picture draws it once.
_DRAWING = threading.Lock()


def public_base(settings: Settings) -> str | None:
    """The base URL pictures are linked under in chat, or None: no NTRACK_PUBLIC_URL, or the pages
    (NTRACK_PAGES) are off, so nothing would answer there."""
    if not settings.pages or not settings.public_url:
        return None
    return settings.public_url.rstrip("/")


def warm_up() -> None:
    """Import the drawing code (matplotlib: about a second) before the first picture needs it."""
    importlib.import_module("bot.chart_draw")


@dataclass
class ChartStore:
    """The directory of drawn pictures; `renders` counts the pictures this process drew."""

    directory: Path
    max_files: int = MAX_FILES
    renders: int = 0

    @classmethod
    def of(cls, settings: Settings) -> ChartStore:
        return cls(Path(settings.chart_dir))

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.png"

    def cached(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def png(self, picture: Picture, key: str | None = None) -> tuple[str, bytes]:
        """(content hash, PNG) of `picture`: read when drawn before, else drawn and kept."""
        key = key or digest(picture)
        found = self.cached(key)
        if found is not None:
            return key, found
        with _DRAWING:
            found = self.cached(key)  # drawn by another thread while this one waited
            if found is not None:
                return key, found
            from bot.chart_draw import render_png

            data = render_png(picture)
            self.renders += 1
            self._write(key, data)
        return key, data

    def _write(self, key: str, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".png")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, self.path(key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._prune()

    def _prune(self) -> None:
        """Keep the newest `max_files` pictures (a picture's state passes; its file need not stay)."""
        files = []
        for entry in os.scandir(self.directory):
            if entry.name.endswith(".png") and not entry.name.startswith("."):
                try:
                    files.append((entry.stat().st_mtime_ns, entry.path))
                except FileNotFoundError:
                    continue
        for _, old in sorted(files)[: max(0, len(files) - self.max_files)]:
            Path(old).unlink(missing_ok=True)


def _drawn(rt: Runtime, store: ChartStore, image: Image) -> tuple[str, bytes] | None:
    trackers = {t.slug: (tid, t) for tid, t in rt.trackers().items()}
    if image.tracker not in trackers:
        log.warning("no tracker %r for a picture", image.tracker)
        return None
    tracker_id, tracker = trackers[image.tracker]
    with rt.sessions.begin() as session:
        picture = picture_for(session=session, tracker=tracker, tracker_id=tracker_id, window=window_of(image))
    return store.png(picture)


def image_png(rt: Runtime, store: ChartStore, image: Image) -> bytes | None:
    """The PNG an Image stands for, drawn from the data as it is now over the Image's window (the
    platforms that upload pictures call this); None when its tracker is unknown here."""
    drawn = _drawn(rt, store, image)
    return drawn[1] if drawn else None


def image_file(rt: Runtime, store: ChartStore, image: Image) -> Path | None:
    """The file holding the picture an Image stands for (the terminal prints where it is)."""
    drawn = _drawn(rt, store, image)
    return store.path(drawn[0]) if drawn else None
