"""The clinician report (``history report``): one self-contained HTML page from the journal.

The page is ``templates/report.html.j2``, rendered by Jinja2 with autoescaping, so everything
the person typed is escaped by the template engine, never by hand. Nothing is fetched: the CSS
and the SVG charts are inline, fonts are the system's, and a Content Security Policy forbids
every request. The figures come from :mod:`sciatica_cli.journal.stats` (the same ones
``history stats`` and the exports show); this module only arranges them for the template.
Jinja2 is imported when a report is made, not when the CLI starts.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sciatica_cli import DISCLAIMER, __version__
from sciatica_cli.journal import dose_history, report_charts
from sciatica_cli.journal.records import CheckinRecord, ScreenRecord, SessionRecord
from sciatica_cli.journal.stats import (
    NOT_COUNTED,
    Advisory,
    PainPoint,
    WeekCount,
    back_averages,
    back_change,
    back_points,
    change,
    is_held,
    mean,
    pain_averages,
    pain_change,
    pain_points,
    percent_done,
    two_scores,
)
from sciatica_cli.safety.redflags import TIER_A, TIER_B
from sciatica_cli.text import visible

if TYPE_CHECKING:
    import jinja2

TITLE = "sciatica: self-massage journal"
MAX_BARS = 52  # the adherence chart shows the latest year; its table lists every week
MAX_DOSE_ROWS = 30  # each routine's dose table lists its latest changes of dose
TEMPLATES = Path(__file__).parent / "templates"
_QUESTIONS = dict(TIER_A + TIER_B)
_STOP_WORDS = {
    "stopped": "stopped, no reason recorded",
    "interrupted": "interrupted (the program ended before the session did)",
    "running": "not finished",
}


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows, read from the journal by the caller."""

    generated_at: datetime  # aware
    tz: tzinfo  # every time on the page is shown in this zone
    sessions: Sequence[SessionRecord]  # real sessions (no previews), held or not
    checkins: Sequence[CheckinRecord]  # for their notes; a session's own score is morning_pain
    screens: Sequence[ScreenRecord]
    weeks: Sequence[WeekCount]
    advisories: Sequence[Advisory]


@dataclass(frozen=True)
class Note:
    """A note in the Notes section: a session's, or a next-morning check-in's."""

    when: Moment
    title: str | None  # the session's title
    checkin_pain: int | None  # set for a check-in's note (the leg's with two scores)
    text: str
    checkin_back: int | None = None  # a check-in's back score (two scores)


@dataclass(frozen=True)
class Moment:
    """A time as the page shows it: ``text`` for people, ``iso`` for the ``<time>`` element."""

    iso: str
    text: str


class SessionRow(NamedTuple):
    """One row of the sessions table, worked out here and unpacked by the template: looking up
    attributes and calling functions in the template for each of 10,000 rows takes seconds."""

    id: int
    change: str | None  # the SAFETY.md 4 label (stats.change)
    counted: bool  # held: counts towards the weekly goal (stats.is_held)
    morning: int | None
    done_seconds: float
    before: int | None
    after: int | None
    iso: str  # the start, for the <time> element
    when: str  # the start, as shown
    title: str
    routine: str
    planned: str  # minutes, as shown
    done: str  # minutes, as shown
    percent: str | None  # of the plan done (stats.percent_done); None when nothing was planned
    status: str  # with the stop reason, and "not counted" for a session not held
    alert: bool  # stopped for sharp pain
    note: str
    # SAFETY.md 4: with two scores, before/after/morning are the leg's and these the back's.
    two: bool
    pain_change: str | None  # the main score's own label; ``change`` is the session's one label
    back_before: int | None
    back_after: int | None
    back_change: str | None
    morning_back: int | None
    dose: str | None  # SAFETY.md 6: minutes an area, as shown


@dataclass(frozen=True)
class PainFigure:
    """One pain chart of the Pain section: the main score's, or the back's (two scores)."""

    heading: str | None  # None with one score: the section's heading says it all
    ident: str  # the SVG title's id, unique on the page
    what: str  # what the SVG title calls the score: "Pain", "Leg pain", "Back pain"
    chart: report_charts.PainChart
    caption: str
    trends: list[Trend]


@dataclass(frozen=True)
class DoseTable:
    """One routine's doses: its latest runs, and how many runs there are in all."""

    routine: str
    rows: list[DoseRow]
    runs: int


@dataclass(frozen=True)
class DoseRow:
    """A run of sessions of one routine at the same dose, as the Dose section lists it."""

    first: Moment
    last: Moment
    minutes: float
    shown: str  # the minutes as a person reads them
    sessions: int
    reason: str


@dataclass(frozen=True)
class Trend:
    """The average of the first and of the last ``count`` scores of one kind."""

    score: str  # "Pain", "Leg pain", "Back pain"
    name: str
    count: int
    first: float
    last: float


def render_report(data: ReportData) -> str:
    """The whole HTML document for ``data``."""
    sessions = sorted(data.sessions, key=lambda s: (s.started_at, s.id))
    template = _environment().get_template("report.html.j2")
    return template.render(_context(data, sessions))


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(f1=lambda v: f"{v:.1f}", f0=lambda v: f"{v:.0f}", data=_data_value)
    env.globals.update(
        when_label=report_charts.when_label,
        day_label=report_charts.day_label,
    )
    return env


def _context(data: ReportData, sessions: Sequence[SessionRecord]) -> dict[str, Any]:
    tz = data.tz
    weeks = sorted(data.weeks, key=lambda w: w.start)
    shown = weeks[-MAX_BARS:]
    kinds = {two_scores(s) for s in sessions}
    figures = _pain_figures(sessions, tz, kinds)
    return {
        "title": TITLE,
        "disclaimer": DISCLAIMER,
        "version": __version__,
        "generated": _local(data.generated_at, tz),
        "zone": _zone(_local(data.generated_at, tz)),
        "sessions": sessions,
        "rows": [_row(s, tz) for s in sessions],
        "any_dose": any(dose_history.session_dose(s.options) is not None for s in sessions),
        "local": lambda moment: _local(moment, tz),
        "held": sum(is_held(s) for s in sessions),
        "statuses": sorted(Counter(s.status for s in sessions if is_held(s)).items()),
        "done_seconds": sum(s.done_seconds for s in sessions),
        "averages": pain_averages(sessions),
        "back_averages": back_averages(sessions) if True in kinds else None,
        "main_name": _main_name(kinds),
        "mornings": sum(s.morning_pain is not None for s in sessions),
        "per_week": mean(w.sessions for w in weeks),
        "weeks_met": sum(w.met for w in weeks),
        "advisories": data.advisories,
        "weeks": weeks,
        "bars": report_charts.bar_chart(shown) if shown else None,
        "bars_capped": len(shown) == MAX_BARS,
        "figures": figures,
        "doses": _doses(sessions, tz),
        "stops": _stops(sessions),
        "screens": [
            (_local(s.answered_at, tz), s, sorted(q for q, yes in s.answers.items() if yes))
            for s in sorted(data.screens, key=lambda s: s.answered_at)
        ],
        "questions": _QUESTIONS,
        "notes": _notes(tz, sessions, data.checkins),
    }


def _row(s: SessionRecord, tz: tzinfo) -> SessionRow:
    start = _moment(s.started_at, tz)
    status = f"{s.status}: {visible(s.stop_reason)}" if s.stop_reason else s.status
    counted = is_held(s)
    two, label = two_scores(s), change(s)
    return SessionRow(
        id=s.id,
        change=label,
        counted=counted,
        morning=s.morning_pain,
        done_seconds=s.done_seconds,
        before=s.pain_before,
        after=s.pain_after,
        iso=start.iso,
        when=start.text,
        title=visible(s.title),
        routine=visible(s.routine),
        planned=f"{s.planned_seconds / 60:.1f}",
        done=f"{s.done_seconds / 60:.1f}",
        percent=str(percent_done(s)) if s.planned_seconds else None,
        status=status if counted else f"{status}, {NOT_COUNTED}",
        alert=s.stop_reason == "sharp pain",
        note=visible(s.note or ""),
        two=two,
        # One score: its label is the session's, and there is no back score (10,000 rows).
        pain_change=pain_change(s) if two else label,
        back_before=s.back_before,
        back_after=s.back_after,
        back_change=back_change(s) if two else None,
        morning_back=s.morning_back,
        dose=_dose_shown(s) if "dose" in s.options else None,
    )


def _dose_shown(s: SessionRecord) -> str | None:
    minutes = dose_history.session_dose(s.options)
    return None if minutes is None else dose_history.minutes_text(minutes)


def _main_name(kinds: set[bool]) -> str:
    """What the main score is called: "Pain", "Leg pain", or both kinds of session."""
    if True not in kinds:
        return "Pain"
    return "Leg pain" if False not in kinds else MIXED_NAME


# SAFETY.md 4: a journal that moved from one score to two keeps one main line.
MIXED_NAME = "Pain (one score, then leg pain once scored apart from back pain)"


def _pain_figures(
    sessions: Sequence[SessionRecord], tz: tzinfo, kinds: set[bool]
) -> list[PainFigure]:
    """The pain chart of each score that has any: one, or the leg's and the back's."""
    lines = [(_main_name(kinds), "pain-t", pain_points(sessions, tz=tz))]
    if True in kinds:
        lines.append(("Back pain", "back-t", back_points(sessions, tz=tz)))
    figures = []
    for what, ident, all_points in lines:
        points = [p for p in all_points if (p.before, p.after, p.morning) != (None, None, None)]
        if not points:
            continue
        chart_points, caption = report_charts.chart_points(points)
        trends = [t for name in ("before", "after") if (t := _trend(what, name, points))]
        heading = None if kinds == {False} else what
        chart = report_charts.pain_chart(chart_points, tz)
        figures.append(PainFigure(heading, ident, what.split(" (")[0], chart, caption, trends))
    return figures


def _doses(sessions: Sequence[SessionRecord], tz: tzinfo) -> list[DoseTable]:
    """SAFETY.md 6: each routine's dose over time, as runs of sessions at the same dose; the
    latest MAX_DOSE_ROWS runs of a routine whose dose changed more often than that."""
    tables = []
    for routine, doses in dose_history.by_routine(dose_history.doses(sessions)).items():
        runs = dose_history.runs(doses)
        rows = [
            DoseRow(_moment(run.first, tz), _moment(run.last, tz), run.minutes,
                    dose_history.minutes_text(run.minutes), run.sessions,
                    dose_history.SOURCE_REASONS[run.source])
            for run in runs[-MAX_DOSE_ROWS:]
        ]  # fmt: skip
        tables.append(DoseTable(visible(routine), rows, len(runs)))
    return tables


def _moment(moment: datetime, tz: tzinfo) -> Moment:
    local = _local(moment, tz)
    return Moment(local.isoformat(timespec="minutes"), report_charts.when_label(local))


def _stops(sessions: Sequence[SessionRecord]) -> list[tuple[str, int]]:
    """Why sessions ended early, most common first."""
    reasons = Counter(
        visible(s.stop_reason) if s.stop_reason else _STOP_WORDS.get(s.status, s.status)
        for s in sessions
        if s.status != "completed"
    )
    return sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))


def _notes(
    tz: tzinfo, sessions: Sequence[SessionRecord], checkins: Sequence[CheckinRecord]
) -> list[Note]:
    titles = {s.id: visible(s.title) for s in sessions}
    notes = [
        (s.started_at, Note(_moment(s.started_at, tz), titles[s.id], None, visible(s.note)))
        for s in sessions
        if s.note
    ]
    notes += [
        (c.recorded_at, Note(_moment(c.recorded_at, tz), titles.get(c.session_id), c.pain,
                             visible(c.note), c.back_pain))
        for c in checkins
        if c.note
    ]  # fmt: skip
    return [note for _, note in sorted(notes, key=lambda n: _local(n[0], timezone.utc))]


def _trend(score: str, name: str, points: Sequence[PainPoint]) -> Trend | None:
    """The first and last few scores side by side: the direction without reading the chart."""
    given = [v for p in points if (v := getattr(p, name)) is not None]
    k = min(5, len(given) // 2)
    if k < 2:
        return None
    return Trend(score.split(" (")[0], name, k, sum(given[:k]) / k, sum(given[-k:]) / k)


def _data_value(value: object) -> str:
    """A figure for a ``data-*`` attribute: empty when there is none."""
    return "" if value is None else str(value)


def _local(moment: datetime, tz: tzinfo) -> datetime:
    # The journal stores aware UTC times; a naive one is read as UTC, not as this machine's zone.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(tz)


def _zone(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    utc = "UTC" if not minutes else f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    name = moment.tzname()
    return utc if not name or name in (utc, "UTC") else f"{name}, {utc}"
