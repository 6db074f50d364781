"""The clinician report's two charts as geometry: weekly adherence bars and the pain lines.

Each builder takes plain data and returns where every line, mark and label goes; the SVG
elements themselves are written by ``templates/charts.html.j2``, with Jinja2's autoescaping, so
no text reaches the page unescaped. The pain chart plots :class:`~.stats.PainPoint`, one per
session, or the average of a day, week, month or year when there are too many to read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from sciatica_cli.journal.stats import PainPoint, mean

MAX_POINTS = 120  # beyond this the pain chart averages per day, week, month or year
# Fixed English names: the page must read the same whatever the machine's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Colour-blind safe pair; each series also has its own dash and marker for black-and-white prints.
BEFORE, AFTER, MORNING, BAR = "#b2182b", "#2166ac", "#1b7837", "#4a7fb0"
WIDTH = 800  # both charts' viewBox width; they scale to the page


class Week(Protocol):
    """One bar of the adherence chart: ``start`` is the week's Monday (a local date)."""

    @property
    def start(self) -> date: ...
    @property
    def sessions(self) -> int: ...
    @property
    def goal(self) -> int: ...


@dataclass(frozen=True)
class ChartPoint:
    """One point of the report's pain chart: a session, or the average of a period of them."""

    at: float  # POSIX seconds
    before: float | None
    after: float | None
    morning: float | None
    label: str


@dataclass(frozen=True)
class Gridline:
    """A line across the chart at height ``y``, labelled with its ``value`` on the left."""

    y: float
    value: int
    shade: str = "#ddd"


@dataclass(frozen=True)
class Tick:
    """A date on the time axis, at ``x``."""

    x: float
    text: str
    anchor: str


@dataclass(frozen=True)
class Mark:
    """A marker centred on (x, y) with its tooltip."""

    x: float
    y: float
    tip: str


@dataclass(frozen=True)
class Series:
    """One pain series: its marks, how its line looks, and its legend entry at ``legend_x``."""

    name: str
    colour: str
    dash: str | None  # None: marks only; "": a solid line
    shape: str  # circle, square or triangle
    legend: str
    legend_x: float
    marks: list[Mark]


@dataclass(frozen=True)
class PainChart:
    """The pain line chart's geometry: 0 to 10 up the side, time along the bottom."""

    width: int
    height: int
    left: int
    right: int
    grid: list[Gridline]  # one per score, 0 to 10
    middle: float  # the y of score 5, for the axis title
    ticks: list[Tick]  # dates along the time axis, under a tick mark each
    axis_y: int  # the baseline of the dates
    radius: float
    series: list[Series]


@dataclass(frozen=True)
class Bar:
    """One week's bar, its goal line (if it has a goal) and its labels."""

    x: float
    width: float
    top: float
    bottom: float
    goal_y: float | None
    sessions: int
    goal: int
    tip: str
    count_shown: bool
    date_label: str | None


@dataclass(frozen=True)
class BarChart:
    """The adherence chart's geometry: sessions per week against the weekly goal."""

    width: int
    height: int
    left: int
    right: int
    grid: list[Gridline]
    bars: list[Bar]
    slot: float
    axis_y: int  # the baseline of the date labels
    colour: str = BAR


_BUCKETS: tuple[tuple[str, Callable[[datetime], date]], ...] = (
    ("day", lambda m: m.date()),
    ("week", lambda m: m.date() - timedelta(days=m.weekday())),
    ("month", lambda m: date(m.year, m.month, 1)),
    ("year", lambda m: date(m.year, 1, 1)),
)


def day_label(moment: date) -> str:
    """``moment`` as "3 Mar 2025", in English whatever the locale."""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


def when_label(moment: datetime) -> str:
    """``moment`` as "Mon 3 Mar 2025, 18:00", in English whatever the locale."""
    return f"{_DAYS[moment.weekday()]} {day_label(moment)}, {moment.hour:02d}:{moment.minute:02d}"


def chart_points(points: Sequence[PainPoint]) -> tuple[list[ChartPoint], str]:
    """One chart point per session, or per the shortest period that keeps the chart readable.

    Also returns the caption that says which it is. ``points`` are in local time, oldest first.
    """
    if len(points) <= MAX_POINTS:
        return [
            ChartPoint(p.when.timestamp(), p.before, p.after, p.morning, when_label(p.when))
            for p in points
        ], "Each point is one session."
    unit, groups = _bucketed(points)
    averaged = [
        ChartPoint(
            at=sum(p.when.timestamp() for p in group) / len(group),
            before=mean(p.before for p in group),
            after=mean(p.after for p in group),
            morning=mean(p.morning for p in group),
            label=f"{unit} of {day_label(start)}, average of {len(group)} sessions",
        )
        for start, group in groups.items()
    ]
    return averaged, f"{len(points)} sessions: each point is the average of one {unit}."


def _bucketed(points: Sequence[PainPoint]) -> tuple[str, dict[date, list[PainPoint]]]:
    """The points grouped by the shortest period giving at most MAX_POINTS groups (else years)."""
    groups: dict[date, list[PainPoint]] = {}
    for unit, key in _BUCKETS:
        groups = {}
        for point in points:
            groups.setdefault(key(point.when), []).append(point)
        if len(groups) <= MAX_POINTS:
            return unit, groups
    return _BUCKETS[-1][0], groups


_SERIES = (
    ("before", BEFORE, "", "circle", "Before session"),
    ("after", AFTER, "7 5", "square", "After session"),
    ("morning", MORNING, None, "triangle", "Next morning"),
)


def pain_chart(points: Sequence[ChartPoint], tz: tzinfo) -> PainChart:
    """Where the pain chart's lines, marks and labels go. ``points`` must not be empty; the
    dates along the time axis are shown in ``tz``."""
    height, left, right, top, bottom = 330, 46, 18, 48, 42
    t0, t1 = min(p.at for p in points), max(p.at for p in points)

    def x(t: float) -> float:
        return left + (t - t0) / (t1 - t0) * (WIDTH - left - right) if t1 > t0 else WIDTH / 2

    def y(v: float) -> float:
        return top + (10 - v) / 10 * (height - top - bottom)

    series = []
    for i, (name, colour, dash, shape, legend) in enumerate(_SERIES):
        marks = [
            Mark(x(p.at), y(v), f"{p.label}: {legend.lower()} {v:.1f}")
            for p in points
            if (v := getattr(p, name)) is not None
        ]
        if marks or name != "morning":
            series.append(Series(name, colour, dash, shape, legend, left + 10 + i * 170, marks))
    return PainChart(
        width=WIDTH,
        height=height,
        left=left,
        right=right,
        grid=[Gridline(y(v), v, "#999" if v % 5 == 0 else "#ddd") for v in range(11)],
        middle=y(5),
        ticks=_time_ticks(t0, t1, tz, x),
        axis_y=height - bottom + 18,
        radius=4.0 if len(points) <= 40 else 2.6,
        series=series,
    )


def _time_ticks(t0: float, t1: float, tz: tzinfo, x: Callable[[float], float]) -> list[Tick]:
    """About six dates along the time axis; with the time of day when the span is short."""
    short = t1 - t0 < 2 * 86400
    ticks = [t0] if t1 <= t0 else [t0 + (t1 - t0) * i / 5 for i in range(6)]
    out: list[Tick] = []
    seen: set[str] = set()
    for i, t in enumerate(ticks):
        moment = datetime.fromtimestamp(t, tz)
        text = day_label(moment) + (f" {moment:%H:%M}" if short else "")
        if text in seen:
            continue
        seen.add(text)
        anchor = "middle" if len(ticks) == 1 else ("start", *["middle"] * 4, "end")[i]
        out.append(Tick(x(t), text, anchor))
    return out


def bar_chart(weeks: Sequence[Week]) -> BarChart:
    """Where the adherence chart's bars, goal lines and labels go, oldest week first.

    ``weeks`` must not be empty; the caller chooses how many to show.
    """
    height, left, right, top, bottom = 250, 40, 14, 40, 36
    peak = max(max(w.sessions, w.goal) for w in weeks) or 1
    step = 1 if peak <= 10 else math.ceil(peak / 5)
    peak = math.ceil(peak / step) * step
    slot = (WIDTH - left - right) / len(weeks)

    def y(v: float) -> float:
        return top + (peak - v) / peak * (height - top - bottom)

    every = math.ceil(len(weeks) / 12)
    bars = []
    for i, w in enumerate(weeks):
        bars.append(
            Bar(
                x=left + i * slot + slot * 0.15,
                width=slot * 0.7,
                top=y(w.sessions),
                bottom=y(0),
                goal_y=y(w.goal) if w.goal else None,
                sessions=w.sessions,
                goal=w.goal,
                tip=f"Week of {day_label(w.start)}: {w.sessions} of {w.goal}",
                count_shown=len(weeks) <= 26,
                date_label=f"{w.start.day} {_MONTHS[w.start.month - 1]}"
                if i % every == 0
                else None,
            )
        )
    return BarChart(
        width=WIDTH,
        height=height,
        left=left,
        right=right,
        grid=[Gridline(y(v), v) for v in range(0, peak + 1, step)],
        bars=bars,
        slot=slot,
        axis_y=height - bottom + 18,
    )
