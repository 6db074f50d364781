"""The clinician report's inline SVG charts: weekly adherence bars and the pain line chart.

Each builder takes plain data and returns one ``<svg>`` element as a string; nothing is fetched
and every label the person could have typed goes through :func:`html.escape`. The page around
the charts (sections, figures, tables, CSS) is built by :mod:`sciatica_cli.journal.report`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

MAX_POINTS = 120  # beyond this the pain chart averages per day, week, month or year
# Fixed English names: the page must read the same whatever the machine's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Colour-blind safe pair; each series also has its own dash and marker for black-and-white prints.
BEFORE, AFTER, MORNING, BAR = "#b2182b", "#2166ac", "#1b7837", "#4a7fb0"
_SVG = 'xmlns="http://www.w3.org/2000/svg" class="chart" role="img"'

# A session as the pain chart sees it: local start, pain before, after and the next morning.
PainRow = tuple[datetime, int | None, int | None, int | None]


class Week(Protocol):
    """One bar of the adherence chart: ``start`` is the week's Monday (a local date)."""

    @property
    def start(self) -> date: ...
    @property
    def sessions(self) -> int: ...
    @property
    def goal(self) -> int: ...


@dataclass(frozen=True)
class PainPoint:
    """One point of the pain chart: a session, or the average of a day, week, month or year."""

    at: float  # POSIX seconds
    before: float | None
    after: float | None
    morning: float | None
    label: str


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
    return f"{_DAYS[moment.weekday()]} {day_label(moment)}, {moment:%H:%M}"


def pain_points(rows: Sequence[PainRow]) -> tuple[list[PainPoint], str]:
    """One point per session, or per the shortest period that keeps the chart readable.

    Also returns the caption that says which it is.
    """
    if len(rows) <= MAX_POINTS:
        points = [PainPoint(m.timestamp(), b, a, n, when_label(m)) for m, b, a, n in rows]
        return points, "Each point is one session."
    unit, groups = _bucketed(rows)
    points = [
        PainPoint(
            at=sum(r[0].timestamp() for r in group) / len(group),
            before=_mean([r[1] for r in group]),
            after=_mean([r[2] for r in group]),
            morning=_mean([r[3] for r in group]),
            label=f"{unit} of {day_label(start)}, average of {len(group)} sessions",
        )
        for start, group in groups.items()
    ]
    return points, f"{len(rows)} sessions: each point is the average of one {unit}."


def _bucketed(rows: Sequence[PainRow]) -> tuple[str, dict[date, list[PainRow]]]:
    """The rows grouped by the shortest period giving at most MAX_POINTS groups (else years)."""
    groups: dict[date, list[PainRow]] = {}
    for unit, key in _BUCKETS:
        groups = {}
        for row in rows:
            groups.setdefault(key(row[0]), []).append(row)
        if len(groups) <= MAX_POINTS:
            return unit, groups
    return _BUCKETS[-1][0], groups


def _mean(values: Sequence[int | None]) -> float | None:
    """The average of the given scores, or None when none was given."""
    given = [v for v in values if v is not None]
    return sum(given) / len(given) if given else None


def pain_svg(points: Sequence[PainPoint], tz: tzinfo) -> str:
    """The pain line chart: before, after and next-morning scores (0 to 10) over time.

    ``points`` must not be empty; the dates along the time axis are shown in ``tz``.
    """
    width, height, left, right, top, bottom = 800, 330, 46, 18, 48, 42
    t0, t1 = min(p.at for p in points), max(p.at for p in points)

    def x(t: float) -> float:
        return left + (t - t0) / (t1 - t0) * (width - left - right) if t1 > t0 else width / 2

    def y(v: float) -> float:
        return top + (10 - v) / 10 * (height - top - bottom)

    out = [
        f'<svg {_SVG} viewBox="0 0 {width} {height}" aria-labelledby="pain-t">',
        '<title id="pain-t">Pain before (solid line, circles) and after (dashed line, squares) '
        "each session, 0 to 10</title>",
    ]
    for v in range(11):
        shade = "#999" if v % 5 == 0 else "#ddd"
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="{shade}"/><text x="{left - 8}" y="{y(v) + 4:.1f}" text-anchor="end" '
            f'font-size="12">{v}</text>'
        )
    out.append(
        f'<text transform="translate(13 {y(5):.0f}) rotate(-90)" text-anchor="middle" '
        'font-size="12">Pain (0-10)</text>'
    )
    out += _x_labels(t0, t1, tz, x, height - bottom + 18)
    r = 4.0 if len(points) <= 40 else 2.6
    series = (
        ("before", BEFORE, "", "circle", "Before session"),
        ("after", AFTER, "7 5", "square", "After session"),
        ("morning", MORNING, None, "triangle", "Next morning"),
    )
    for i, (name, colour, dash, shape, legend) in enumerate(series):
        coords = [
            (x(p.at), y(v), p.label, v) for p in points if (v := getattr(p, name)) is not None
        ]
        if not coords and name == "morning":
            continue
        if dash is not None and len(coords) > 1:
            line = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy, _, _ in coords)
            dashes = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<polyline class="{name}" fill="none" stroke="{colour}" stroke-width="2.5"'
                f'{dashes} stroke-linejoin="round" points="{line}"/>'
            )
        for cx, cy, label, v in coords:
            tip = f"<title>{html.escape(label, quote=True)}: {legend.lower()} {v:.1f}</title>"
            out.append(_marker(shape, cx, cy, r, colour, tip))
        lx = left + 10 + i * 170
        if dash is not None:
            dashes = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<line x1="{lx}" x2="{lx + 36}" y1="20" y2="20" stroke="{colour}" '
                f'stroke-width="2.5"{dashes}/>'
            )
        out.append(_marker(shape, lx + 18, 20, 4.5, colour, ""))
        out.append(f'<text x="{lx + 44}" y="24" font-size="13">{legend}</text>')
    out.append("</svg>")
    return "".join(out)


def _marker(shape: str, cx: float, cy: float, r: float, colour: str, tip: str) -> str:
    """A circle, an open square or a triangle centred on (cx, cy), with ``tip`` inside it."""
    if shape == "circle":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r}" fill="{colour}">{tip}</circle>'
    if shape == "square":
        return (
            f'<rect x="{cx - r:.1f}" y="{cy - r:.1f}" width="{2 * r}" height="{2 * r}" '
            f'fill="#fff" stroke="{colour}" stroke-width="2">{tip}</rect>'
        )
    return (
        f'<path d="M{cx:.1f} {cy - r - 1:.1f}L{cx + r + 1:.1f} {cy + r:.1f}'
        f'L{cx - r - 1:.1f} {cy + r:.1f}Z" fill="{colour}">{tip}</path>'
    )


def _x_labels(
    t0: float, t1: float, tz: tzinfo, x: Callable[[float], float], baseline: float
) -> list[str]:
    """About six dates along the time axis; with the time of day when the span is short."""
    short = t1 - t0 < 2 * 86400
    ticks = [t0] if t1 <= t0 else [t0 + (t1 - t0) * i / 5 for i in range(6)]
    out, seen = [], set()
    for i, t in enumerate(ticks):
        moment = datetime.fromtimestamp(t, tz)
        label = day_label(moment) + (f" {moment:%H:%M}" if short else "")
        if label in seen:
            continue
        seen.add(label)
        anchor = "middle" if len(ticks) == 1 else ("start", *["middle"] * 4, "end")[i]
        out.append(
            f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{baseline - 18}" y2="{baseline - 12}" '
            f'stroke="#333"/><text x="{x(t):.1f}" y="{baseline}" text-anchor="{anchor}" '
            f'font-size="12">{label}</text>'
        )
    return out


def bars_svg(weeks: Sequence[Week]) -> str:
    """The adherence bar chart: sessions in each week against its goal, oldest week first.

    ``weeks`` must not be empty; the caller chooses how many to show.
    """
    width, height, left, right, top, bottom = 800, 250, 40, 14, 40, 36
    peak = max(max(w.sessions, w.goal) for w in weeks) or 1
    step = 1 if peak <= 10 else math.ceil(peak / 5)
    peak = math.ceil(peak / step) * step
    slot = (width - left - right) / len(weeks)

    def y(v: float) -> float:
        return top + (peak - v) / peak * (height - top - bottom)

    out = [
        f'<svg {_SVG} viewBox="0 0 {width} {height}" aria-labelledby="adh-t">',
        '<title id="adh-t">Sessions per week (bars) against the weekly goal (dashed lines)</title>',
    ]
    for v in range(0, peak + 1, step):
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="#ddd"/><text x="{left - 8}" y="{y(v) + 4:.1f}" text-anchor="end" '
            f'font-size="12">{v}</text>'
        )
    every = math.ceil(len(weeks) / 12)
    for i, w in enumerate(weeks):
        bx, bw = left + i * slot + slot * 0.15, slot * 0.7
        tip = f"<title>Week of {day_label(w.start)}: {w.sessions} of {w.goal}</title>"
        out.append(
            f'<rect x="{bx:.1f}" y="{y(w.sessions):.1f}" width="{bw:.1f}" '
            f'height="{y(0) - y(w.sessions):.1f}" fill="{BAR}">{tip}</rect>'
        )
        if w.goal:
            out.append(
                f'<line x1="{bx - slot * 0.1:.1f}" x2="{bx + bw + slot * 0.1:.1f}" '
                f'y1="{y(w.goal):.1f}" y2="{y(w.goal):.1f}" stroke="#000" stroke-width="2" '
                'stroke-dasharray="5 3"/>'
            )
        if len(weeks) <= 26:
            out.append(
                f'<text x="{bx + bw / 2:.1f}" y="{y(w.sessions) - 4:.1f}" text-anchor="middle" '
                f'font-size="11">{w.sessions}</text>'
            )
        if i % every == 0:
            out.append(
                f'<text x="{bx + bw / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                f'font-size="11">{w.start.day} {_MONTHS[w.start.month - 1]}</text>'
            )
    out.append(
        f'<rect x="{left + 10}" y="12" width="16" height="12" fill="{BAR}"/>'
        f'<text x="{left + 32}" y="23" font-size="13">Sessions</text>'
        f'<line x1="{left + 130}" x2="{left + 166}" y1="18" y2="18" stroke="#000" '
        f'stroke-width="2" stroke-dasharray="5 3"/>'
        f'<text x="{left + 172}" y="23" font-size="13">Weekly goal</text></svg>'
    )
    return "".join(out)
