"""Draw a timeline picture: a Picture (bot/chart.py) in, PNG bytes out. Pure, no database, no files.

matplotlib through its object API only (a Figure on an Agg canvas, never pyplot): no global state, so
pictures may be drawn in any thread. One lane per kind of event, from summits down to statements,
each event at its day (bot/chart.py's `anchor`), coloured by its status; vague dates show their span
as a faint band, a suspension in effect a bar up to today. Labels are placed greedily in four rows
around each lane and left out where they would overlap; a picture with no events says so.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from bot.chart import HEIGHT, MONTH, WIDTH, Picture, anchor, label
from bot.event_types import rank
from db.chart import ChartEvent

DPI = 100
LEFT, RIGHT, BOTTOM, TOP = 0.135, 0.985, 0.2, 0.86  # the plot's box in the figure, as fractions
LABEL_POINTS = 7.5
CHAR_WIDTH = 0.58  # a label character's average width, in ems (DejaVu Sans): for overlap checks only
# Label rows around a lane's centre, in points (up, down, further up, further down).
SLOTS = (9.0, -9.0, 19.5, -19.5)
MAX_LABELS = 12  # per lane: more is a wall of text (and each label costs a few milliseconds to draw)
LONGEST_BAND = 92  # days: vaguer dates than a season show no band (a year-long band says nothing)

# Okabe-Ito colours (told apart by colour-blind readers too), by what a status means.
BLUE, SKY, GREEN, ORANGE, VERMILION, GREY, PURPLE = (
    "#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00", "#8C8C8C", "#CC79A7")
INK, FAINT = "#222222", "#F3F4F6"


@dataclass(frozen=True, slots=True)
class Lane:
    name: str
    types: frozenset[str]
    marker: str
    height: float = 1.0


LANES = (
    Lane("Summits, meetings\nand visits", frozenset({"summit", "meeting", "visit"}), "o"),
    Lane("Talks", frozenset({"talks"}), "o"),
    Lane("Agreements", frozenset({"agreement"}), "s"),
    Lane("Deadlines", frozenset({"deadline"}), "D"),
    Lane("Suspensions", frozenset({"suspension"}), "v"),
    Lane("Statements", frozenset({"statement"}), "|", 0.5),
)
# status -> (colour, filled); proposed is hollow: planned by someone, not agreed by both.
STATUS_STYLE: dict[str, tuple[str, bool]] = {
    "scheduled": (BLUE, True), "active": (BLUE, True), "proposed": (SKY, False),
    "held": (GREEN, True), "agreed": (GREEN, True), "signed": (GREEN, True), "met": (GREEN, True),
    "lifted": (GREEN, True), "postponed": (ORANGE, True), "cancelled": (VERMILION, True),
    "missed": (VERMILION, True), "dropped": (GREY, True), "in_effect": (PURPLE, True), "made": (GREY, True),
}
LEGEND: tuple[tuple[str, str, bool], ...] = (
    ("scheduled, deadline active", BLUE, True), ("proposed", SKY, False),
    ("held, agreed, signed, met, lifted", GREEN, True), ("postponed", ORANGE, True),
    ("cancelled, deadline missed", VERMILION, True), ("deadline dropped; statement", GREY, True),
    ("suspension in effect", PURPLE, True),
)


EPOCH = date(1970, 1, 1)  # matplotlib's default date epoch: its x values are days since then


def date2num(day: date) -> float:
    return float((day - EPOCH).days)


def _style(status: str) -> tuple[str, bool]:
    return STATUS_STYLE.get(status, (GREY, True))


def _lane_centres() -> list[float]:
    """Lane centres from the top (y grows upwards: the first lane is highest)."""
    total = sum(lane.height for lane in LANES)
    centres, top = [], total
    for lane in LANES:
        centres.append(top - lane.height / 2)
        top -= lane.height
    return centres


def _human(day: date) -> str:
    return f"{day.day} {MONTH[day.month - 1]} {day.year}"


class _Labeller:
    """Label placement in one lane: each label takes the first row where it overlaps no label already
    placed, or is left out. Labels are placed most telling first (see `_priority`)."""

    def __init__(self, width_px: float) -> None:
        self.width_px = width_px
        self.taken: list[list[tuple[float, float]]] = [[] for _ in SLOTS]

    def place(self, x_px: float, text: str) -> tuple[int, float] | None:
        """(row, how far the label's centre moves from its marker, in pixels, to stay inside the
        plot), or None when every row is taken there."""
        width = len(text) * LABEL_POINTS * DPI / 72 * CHAR_WIDTH
        left = min(max(x_px - width / 2, 0.0), self.width_px - width)
        right = left + width
        for slot, spans in enumerate(self.taken):
            if all(right + 6 < a or left > b + 6 for a, b in spans):
                spans.append((left, right))
                return slot, left + width / 2 - x_px
        return None


def _priority(ev: ChartEvent, today: date) -> tuple[int, int, int]:
    """Summits before visits before talks before meetings, precise dates before vague ones, and the
    nearest to today (what happened last, what comes next) first."""
    return rank(ev.type), 0 if ev.granularity in {"day", "range"} else 1, abs((anchor(ev) - today).days)


def _draw_lane(ax: Axes, lane: Lane, centre: float, events: list[ChartEvent], picture: Picture,
               px_per_day: float, width_px: float) -> None:
    window = picture.window
    groups: dict[str, list[float]] = {}
    for ev in events:
        day = anchor(ev)
        colour, _ = _style(ev.status)
        span = (ev.end - ev.start).days
        if ev.type == "suspension" and ev.status == "in_effect" and day < window.today:
            stop = min(window.today, window.end)
            ax.barh(centre, date2num(stop) - date2num(day), left=date2num(day), height=0.22, color=colour,
                    alpha=0.35, linewidth=0, zorder=2)
        elif ev.type != "deadline" and 0 < span <= LONGEST_BAND:
            ax.barh(centre, span + 1, left=date2num(ev.start), height=0.2, color=colour, alpha=0.25,
                    linewidth=0, zorder=2)
        groups.setdefault(ev.status, []).append(date2num(day))
    size = 14 if lane.height < 1 else 46
    for status, xs in groups.items():
        colour, filled = _style(status)
        ys = [centre] * len(xs)
        if lane.marker == "|":
            ax.scatter(xs, ys, marker="|", s=120, color=colour, linewidths=1.2, zorder=3)
        else:
            ax.scatter(xs, ys, marker=lane.marker, s=size, color=colour if filled else "white",
                       edgecolors=colour if not filled else "white", linewidths=1.4 if not filled else 0.6, zorder=3)
    if lane.height < 1:
        return  # statements: ticks only, their words are in chat
    labeller = _Labeller(width_px)
    shown = 0
    for ev in sorted(events, key=lambda e: _priority(e, window.today)):
        if shown == MAX_LABELS:
            break
        text = label(ev)
        x = (anchor(ev) - window.start).days * px_per_day
        placed = labeller.place(x, text)
        if placed is None:
            continue
        slot, shift = placed
        shown += 1
        offset = SLOTS[slot]
        ax.annotate(text, (date2num(anchor(ev)), centre), xytext=(shift * 72 / DPI, offset), textcoords="offset points",
                    ha="center", va="bottom" if offset > 0 else "top", fontsize=LABEL_POINTS, color=INK,
                    annotation_clip=False, zorder=4)


def _legend(fig: Figure) -> None:
    handles: list[Line2D | Patch] = [
        Line2D([], [], marker="o", linestyle="none", markersize=7, markerfacecolor=colour if filled else "white",
               markeredgecolor=colour, markeredgewidth=1.4 if not filled else 0.6, label=text)
        for text, colour, filled in LEGEND
    ]
    handles.append(Patch(facecolor=GREY, alpha=0.3, linewidth=0, label="dated to the week or month"))
    handles.append(Line2D([], [], color=INK, linestyle="--", linewidth=1.2, label="today"))
    fig.legend(handles=handles, loc="lower center", ncol=5, frameon=False, fontsize=8.5,
               bbox_to_anchor=(0.5 * (LEFT + RIGHT), 0.005), handletextpad=0.4, columnspacing=1.6)


def _lanes_by_type() -> dict[str, int]:
    return {t: i for i, lane in enumerate(LANES) for t in lane.types}


def render_png(picture: Picture) -> bytes:
    """The picture as a WIDTH x HEIGHT PNG."""
    out = io.BytesIO()
    # zlib level 3: a third of the default's time, a few per cent larger (the picture is mostly flat colour)
    draw(picture).savefig(out, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 3})
    return out.getvalue()


def draw(picture: Picture) -> Figure:
    """The picture as a matplotlib Figure on an Agg canvas (render_png saves it)."""
    window = picture.window
    fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((LEFT, BOTTOM, RIGHT - LEFT, TOP - BOTTOM))
    centres = _lane_centres()
    total = sum(lane.height for lane in LANES)
    first, last = date2num(window.start), date2num(window.end + timedelta(days=1))
    ax.set_xlim(first, last)
    ax.set_ylim(0, total)
    width_px = WIDTH * (RIGHT - LEFT)
    px_per_day = width_px / max(1.0, last - first)

    # lanes: alternate shading, names on the left
    top = total
    for i, lane in enumerate(LANES):
        if i % 2 == 0:
            ax.axhspan(top - lane.height, top, color=FAINT, linewidth=0, zorder=0)
        top -= lane.height
    ax.set_yticks(centres, [lane.name for lane in LANES], fontsize=9, color=INK)
    ax.tick_params(axis="y", length=0)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#888888")

    locator = AutoDateLocator(minticks=4, maxticks=10)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.tick_params(axis="x", labelsize=8.5, colors=INK)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6, zorder=1)
    ax.set_axisbelow(True)

    by_lane: list[list[ChartEvent]] = [[] for _ in LANES]
    lane_of = _lanes_by_type()
    for ev in picture.events:
        if ev.type in lane_of:
            by_lane[lane_of[ev.type]].append(ev)
    for lane, centre, events in zip(LANES, centres, by_lane, strict=True):
        _draw_lane(ax, lane, centre, events, picture, px_per_day, width_px)

    if window.start <= window.today <= window.end:
        x = date2num(window.today) + 0.5
        ax.axvline(x, color=INK, linestyle="--", linewidth=1.2, zorder=5)
        ax.annotate(f"today, {_human(window.today)}", (x, total), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=8, color=INK, annotation_clip=False)
    drawn = sum(len(e) for e in by_lane)
    if not drawn:
        ax.text(0.5, 0.5, "No events in this range", transform=ax.transAxes, ha="center", va="center",
                fontsize=16, color="#555555", zorder=6,
                bbox={"boxstyle": "round,pad=0.6", "facecolor": "white", "edgecolor": "#BBBBBB"})

    fig.text(LEFT, 0.955, picture.title, fontsize=13, fontweight="bold", color=INK, ha="left", va="center")
    count = f"{drawn} event{'s' if drawn != 1 else ''}"
    fig.text(LEFT, 0.915, f"Timeline, {_human(window.start)} to {_human(window.end)}: {count}",
             fontsize=9.5, color="#444444", ha="left", va="center")
    _legend(fig)
    return fig


def lanes_of(events: Iterable[ChartEvent]) -> dict[str, int]:
    """How many events each lane draws (for tests and the benchmark)."""
    lane_of = _lanes_by_type()
    counts = {lane.name: 0 for lane in LANES}
    for ev in events:
        if ev.type in lane_of:
            counts[LANES[lane_of[ev.type]].name] += 1
    return counts
