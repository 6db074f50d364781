"""The clinician report (``history report``): one self-contained HTML page from the journal.

Nothing is fetched: the CSS and the SVG charts are inline, fonts are the system's, and a
Content Security Policy forbids every request. All text the person typed goes through
:func:`html.escape`. The CLI works out the figures and passes plain data in :class:`ReportData`.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

from sciatica_cli import DISCLAIMER, __version__
from sciatica_cli.records import CheckinRecord, ScreenRecord, SessionRecord
from sciatica_cli.safety import TIER_A, TIER_B, change_label

TITLE = "sciatica: self-massage journal"
MAX_POINTS = 120  # beyond this the pain chart averages per day, week, month or year
MAX_BARS = 52  # the adherence chart shows the latest year; its table lists every week
# Fixed English names: the page must read the same whatever the machine's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_QUESTIONS = dict(TIER_A + TIER_B)
# Colour-blind safe pair; each series also has its own dash and marker for black-and-white prints.
BEFORE, AFTER, MORNING, BAR = "#b2182b", "#2166ac", "#1b7837", "#4a7fb0"
_SVG = 'xmlns="http://www.w3.org/2000/svg" class="chart" role="img"'
_DASH = "&#8211;"  # shown for a score that was not given
_ALERT, _NUMBER = ' class="alert"', ' class="n"'

CSS = """\
:root{color-scheme:light}*{box-sizing:border-box}
body{margin:0 auto;max-width:64rem;padding:1rem;color:#111;background:#fff;
font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
h1{font-size:1.6rem;margin:.2rem 0}h3{font-size:1.05rem;margin:0 0 .2rem}
h2{font-size:1.25rem;margin:1.8rem 0 .6rem;padding-bottom:.2rem;border-bottom:2px solid #111}
.meta{margin:.15rem 0;color:#333}.small{font-size:.85rem;color:#333}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:.6rem;margin:0}
.tiles div{border:1px solid #999;border-radius:.4rem;padding:.5rem .7rem}
.tiles dt{font-size:.85rem;color:#333}.tiles dd{margin:0;font-size:1.3rem;font-weight:600}
.tiles dd small{display:block;font-size:.85rem;font-weight:400;color:#333}
.advisory{border:2px solid #a61b1b;border-left-width:.7rem;background:#fdecea;
padding:.6rem .9rem;margin:.6rem 0;border-radius:.3rem}
.rule{margin:0;font-size:.8rem;letter-spacing:.04em;color:#333}
.calm{border-left:.5rem solid #1b7837;background:#eef8f1;padding:.4rem .8rem}
figure{margin:.5rem 0 1rem}figcaption,.trend{font-size:.9rem;color:#333}
svg.chart{display:block;width:100%;height:auto;min-width:36rem;max-width:52rem}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border-bottom:1px solid #ccc;padding:.3rem .45rem;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #111;background:#f0f0f0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.when{white-space:nowrap}
td ul{margin:0;padding-left:1.1rem}.worse,.alert{font-weight:700}
.note{white-space:pre-wrap;overflow-wrap:anywhere}
ul.notes{list-style:none;padding:0}ul.notes li{border-left:3px solid #999;padding:.1rem .7rem;
margin:.5rem 0}ul.notes p{margin:.1rem 0}
footer{margin-top:2rem}
@page{size:A4;margin:15mm 14mm}
@media (max-width:40rem){body{padding:.6rem;font-size:15px}h1{font-size:1.3rem}}
@media print{body{max-width:none;padding:0;font-size:10pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}.scroll{overflow:visible}
svg.chart{min-width:0}
table{font-size:8.5pt}h2,h3,caption{break-after:avoid;page-break-after:avoid}
thead{display:table-header-group}
tr,li,figure,.advisory,.tiles div,#summary,#stops,footer{break-inside:avoid;
page-break-inside:avoid}}
"""


@dataclass(frozen=True)
class WeekRow:
    """Adherence in one ISO week: ``start`` is its Monday (a local date)."""

    start: date
    sessions: int
    goal: int


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows, worked out by the caller."""

    generated_at: datetime  # aware
    tz: tzinfo  # every time on the page is shown in this zone
    sessions: Sequence[SessionRecord]  # real sessions (no previews), oldest first
    checkins: Sequence[CheckinRecord]
    screens: Sequence[ScreenRecord]
    weeks: Sequence[WeekRow]
    advisories: Sequence[tuple[str, str, str]]  # (rule, title, message)


@dataclass(frozen=True)
class _Point:
    """One point of the pain chart: a session, or the average of a day, week, month or year."""

    at: float  # POSIX seconds
    before: float | None
    after: float | None
    morning: float | None
    label: str


def render_report(data: ReportData) -> str:
    """The whole HTML document for ``data``."""
    sessions = sorted(data.sessions, key=lambda s: s.started_at)
    morning = _morning_pain(sessions, data.checkins)
    parts = (
        _header(data, sessions),
        _summary(data, sessions, morning),
        _advisories(data.advisories),
        _adherence(data.weeks),
        _pain(data.tz, sessions, morning),
        _sessions(data.tz, sessions, morning),
        _stops(sessions),
        _screens(data.tz, data.screens),
        _notes(data.tz, sessions, data.checkins),
        f'<footer id="disclaimer"><h2>Please note</h2><p><strong>{_e(DISCLAIMER)}</strong></p>'
        f'<p class="small">Made by sciatica {_e(__version__)} from a personal journal; every '
        "score is self-reported.</p></footer>",
    )
    # The CSP blocks every fetch, so the page stays offline even if a future edit slips up.
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
        f"<title>{_e(TITLE)}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )


# -- sections ----------------------------------------------------------------------------------


def _header(data: ReportData, sessions: Sequence[SessionRecord]) -> str:
    made = _local(data.generated_at, data.tz)
    if sessions:
        first, last = (_local(s.started_at, data.tz) for s in (sessions[0], sessions[-1]))
        span = f"Sessions from {_time(first, _day(first))} to {_time(last, _day(last))}"
    else:
        span = "No sessions recorded yet"
    return (
        f'<header id="top"><h1>{_e(TITLE)}</h1><p class="meta">{span}.</p>'
        f'<p class="meta">Generated {_time(made, _when(made))} ({_e(_zone(made))}).</p>'
        '<p class="small">Pain is scored 0 to 10 (0 no pain, 10 the worst imaginable). '
        "&#8220;Better&#8221; or &#8220;worse&#8221; means a change of at least 2 points and at "
        "least 30&#160;% of the starting score; anything smaller is &#8220;no clear "
        "change&#8221;.</p></header>"
    )


def _summary(data: ReportData, sessions: Sequence[SessionRecord], morning: dict[int, int]) -> str:
    if not sessions:
        return _section("summary", "Summary", "<p>There are no sessions in the journal yet.</p>")
    statuses = Counter(s.status for s in sessions)
    held = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    minutes = sum(s.done_seconds for s in sessions) / 60
    pairs = [(s.pain_before, s.pain_after) for s in sessions]
    both = [(b, a) for b, a in pairs if b is not None and a is not None]
    if both:
        before, after = (sum(p[i] for p in both) / len(both) for i in (0, 1))
        pain = f"{before:.1f} &#8594; {after:.1f}"
        pain_note = f"{after - before:+.1f} points; {len(both)} sessions with both scores"
    else:
        pain, pain_note = _DASH, "no session has both scores yet"
    tiles = [
        ("Sessions held", str(len(sessions)), held),
        ("Total time", f"{minutes:.0f} min", f"{minutes / 60:.1f} hours of massage done"),
        ("Average pain, before &#8594; after", pain, pain_note),
        ("Sessions per week", *_per_week(data.weeks)),
        ("Next-morning scores", str(len(morning)), "sessions with a check-in the next day"),
    ]
    body = "".join(
        f"<div><dt>{name}</dt><dd>{value}<small>{note}</small></dd></div>"
        for name, value, note in tiles
    )
    return _section("summary", "Summary", f'<dl class="tiles">{body}</dl>')


def _per_week(weeks: Sequence[WeekRow]) -> tuple[str, str]:
    if not weeks:
        return _DASH, "no weeks to count yet"
    average = sum(w.sessions for w in weeks) / len(weeks)
    met = sum(w.sessions >= w.goal for w in weeks)
    return (
        f"{average:.1f} <small>goal {weeks[-1].goal} a week</small>",
        f"goal met in {met} of {len(weeks)} week{'s' if len(weeks) != 1 else ''}",
    )


def _advisories(advisories: Sequence[tuple[str, str, str]]) -> str:
    if not advisories:
        body = '<p class="calm">No advisories: the journal raised none of its warnings.</p>'
    else:
        body = "".join(
            f'<div class="advisory" role="note"><p class="rule">{_e(rule)}</p>'
            f"<h3>{_e(title)}</h3><p>{_e(message)}</p></div>"
            for rule, title, message in advisories
        )
    return _section("advisories", "Advisories", body)


def _adherence(weeks: Sequence[WeekRow]) -> str:
    if not weeks:
        return _section("adherence", "Adherence", "<p>No weeks to show yet.</p>")
    weeks = sorted(weeks, key=lambda w: w.start)
    shown = weeks[-MAX_BARS:]
    caption = f"Sessions in each week (Monday to Sunday) against the weekly goal. {_wk(shown)}"
    rows = (
        f'<tr><td class="when">{_day(w.start)}</td><td class="n">{w.sessions}</td>'
        f'<td class="n">{w.goal}</td><td>{"yes" if w.sessions >= w.goal else "no"}</td></tr>'
        for w in weeks
    )
    head = ("Week starting", "Sessions", "Goal", "Goal met")
    table = _table("Sessions per week", head, rows, numeric=(1, 2))
    figure = _figure(_bars_svg(shown), caption)
    return _section("adherence", "Adherence", figure + table)


def _wk(shown: Sequence[WeekRow]) -> str:
    return f"The chart shows the latest {len(shown)} weeks." if len(shown) == MAX_BARS else ""


def _pain(tz: tzinfo, sessions: Sequence[SessionRecord], morning: dict[int, int]) -> str:
    rows = [
        (_local(s.started_at, tz), s.pain_before, s.pain_after, morning.get(s.id)) for s in sessions
    ]
    rows = [r for r in rows if r[1] is not None or r[2] is not None or r[3] is not None]
    if not rows:
        return _section("pain", "Pain", "<p>No pain scores recorded yet.</p>")
    points, how = _pain_points(rows)
    trend = _trend("before", [r[1] for r in rows]) + _trend("after", [r[2] for r in rows])
    figure = _figure(_pain_svg(points, tz), how)
    return _section("pain", "Pain before and after sessions", figure + trend)


def _sessions(tz: tzinfo, sessions: Sequence[SessionRecord], morning: dict[int, int]) -> str:
    if not sessions:
        return _section("sessions", "Sessions", "<p>No sessions yet.</p>")
    head = (
        "Date and time", "Routine", "Planned min", "Done min", "Done", "Pain before &#8594; after",
        "Next morning", "Status", "Note",
    )  # fmt: skip
    rows = (_session_row(s, _local(s.started_at, tz), morning.get(s.id)) for s in sessions)
    return _section(
        "sessions", "Sessions", _table(f"All {len(sessions)} sessions", head, rows, (2, 3, 4, 6))
    )


def _session_row(s: SessionRecord, start: datetime, morning: int | None) -> str:
    done = f"{100 * s.done_seconds / s.planned_seconds:.0f}&#160;%" if s.planned_seconds else _DASH
    status = _e(s.status) + (f": {_e(s.stop_reason)}" if s.stop_reason else "")
    alert = _ALERT if s.stop_reason == "sharp pain" else ""
    return (
        f'<tr><td class="when">{_time(start, _when(start))}</td>'
        f"<td>{_e(s.title)}<br><small>{_e(s.routine)}</small></td>"
        f'<td class="n">{s.planned_seconds / 60:.1f}</td>'
        f'<td class="n">{s.done_seconds / 60:.1f}</td>'
        f'<td class="n">{done}</td><td>{_pain_change(s.pain_before, s.pain_after)}</td>'
        f'<td class="n">{_score(morning)}</td><td{alert}>{status}</td>'
        f'<td class="note">{_e(s.note or "")}</td></tr>'
    )


def _stops(sessions: Sequence[SessionRecord]) -> str:
    ended_early = Counter(_stop_label(s) for s in sessions if s.status != "completed")
    if not sessions:
        body = "<p>No sessions yet.</p>"
    elif not ended_early:
        body = f"<p>All {len(sessions)} sessions were completed.</p>"
    else:
        rows = (
            f"<tr><td{_ALERT if reason == 'sharp pain' else ''}>{_e(reason)}</td>"
            f'<td class="n">{count}</td></tr>'
            for reason, count in sorted(ended_early.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        total = sum(ended_early.values())
        caption = f"{total} of {len(sessions)} sessions ended early"
        body = _table(caption, ("Reason", "Sessions"), rows, numeric=(1,))
    return _section("stops", "Sessions stopped early", body)


def _stop_label(s: SessionRecord) -> str:
    if s.stop_reason:
        return s.stop_reason
    return {
        "stopped": "stopped, no reason recorded",
        "interrupted": "interrupted (the program ended before the session did)",
        "running": "not finished",
    }.get(s.status, s.status)


def _screens(tz: tzinfo, screens: Sequence[ScreenRecord]) -> str:
    if not screens:
        return _section("screens", "Red-flag screens", "<p>No screens recorded yet.</p>")
    rows = []
    for screen in sorted(screens, key=lambda s: s.answered_at):
        when = _local(screen.answered_at, tz)
        yes = [qid for qid, answer in screen.answers.items() if answer]
        details = (
            "<ul>"
            + "".join(
                f"<li><b>{_e(qid)}</b> {_e(_QUESTIONS.get(qid, '(question no longer asked)'))}</li>"
                for qid in sorted(yes)
            )
            + "</ul>"
            if yes
            else "all no"
        )
        if screen.assessed:
            details += "<p><b>assessed</b>: the person confirmed a clinician had seen them.</p>"
        alert = _ALERT if screen.result != "clear" else ""
        rows.append(
            f'<tr><td class="when">{_time(when, _when(when))}</td>'
            f"<td{alert}>{_e(screen.result)}</td><td>{details}</td></tr>"
        )
    table = _table("Oldest first", ("When", "Result", "Answered yes"), rows)
    return _section("screens", "Red-flag screens", table)


def _notes(tz: tzinfo, sessions: Sequence[SessionRecord], checkins: Sequence[CheckinRecord]) -> str:
    titles = {s.id: s.title for s in sessions}
    notes = [(s.started_at, f"Session: {_e(s.title)}", s.note) for s in sessions if s.note]
    notes += [
        (c.recorded_at, f"Next-morning check-in, pain {c.pain}"
         + (f", after {_e(titles[c.session_id])}" if c.session_id in titles else ""), c.note)
        for c in checkins if c.note
    ]  # fmt: skip
    if not notes:
        return _section("notes", "Notes", "<p>No notes yet.</p>")
    items = []
    for moment, source, text in sorted(notes, key=lambda n: _local(n[0], timezone.utc)):
        when = _local(moment, tz)
        items.append(
            f"<li><p><b>{_time(when, _when(when))}</b> &#183; {source}</p>"
            f'<p class="note">{_e(text or "")}</p></li>'
        )
    return _section("notes", "Notes", f'<ul class="notes">{"".join(items)}</ul>')


# -- charts ------------------------------------------------------------------------------------

_Row = tuple[datetime, int | None, int | None, int | None]
_BUCKETS: tuple[tuple[str, Callable[[datetime], date]], ...] = (
    ("day", lambda m: m.date()),
    ("week", lambda m: m.date() - timedelta(days=m.weekday())),
    ("month", lambda m: date(m.year, m.month, 1)),
    ("year", lambda m: date(m.year, 1, 1)),
)


def _pain_points(rows: Sequence[_Row]) -> tuple[list[_Point], str]:
    """One point per session, or per the shortest period that keeps the chart readable."""
    if len(rows) <= MAX_POINTS:
        points = [_Point(m.timestamp(), b, a, n, _when(m)) for m, b, a, n in rows]
        return points, "Each point is one session."
    unit, groups = _bucketed(rows)
    points = [
        _Point(
            at=sum(r[0].timestamp() for r in group) / len(group),
            before=_mean([r[1] for r in group]),
            after=_mean([r[2] for r in group]),
            morning=_mean([r[3] for r in group]),
            label=f"{unit} of {_day(start)}, average of {len(group)} sessions",
        )
        for start, group in groups.items()
    ]
    return points, f"{len(rows)} sessions: each point is the average of one {unit}."


def _bucketed(rows: Sequence[_Row]) -> tuple[str, dict[date, list[_Row]]]:
    """The rows grouped by the shortest period giving at most MAX_POINTS groups (else years)."""
    groups: dict[date, list[_Row]] = {}
    for unit, key in _BUCKETS:
        groups = {}
        for row in rows:
            groups.setdefault(key(row[0]), []).append(row)
        if len(groups) <= MAX_POINTS:
            return unit, groups
    return _BUCKETS[-1][0], groups


def _pain_svg(points: Sequence[_Point], tz: tzinfo) -> str:
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
            tip = f"<title>{_e(label)}: {legend.lower()} {v:.1f}</title>"
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
        label = _day(moment) + (f" {moment:%H:%M}" if short else "")
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


def _bars_svg(weeks: Sequence[WeekRow]) -> str:
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
        tip = f"<title>Week of {_day(w.start)}: {w.sessions} of {w.goal}</title>"
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


# -- small helpers -----------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _section(ident: str, heading: str, body: str) -> str:
    return f'<section id="{ident}">\n<h2>{heading}</h2>\n{body}\n</section>'


def _figure(svg: str, caption: str) -> str:
    # On a phone the chart keeps a readable size and scrolls sideways instead of shrinking.
    return f'<figure><div class="scroll">{svg}</div><figcaption>{caption}</figcaption></figure>'


def _table(
    caption: str, head: Sequence[str], rows: Iterable[str], numeric: Sequence[int] = ()
) -> str:
    # Numbers are right-aligned in their cells, so their headings are too.
    cells = "".join(
        f'<th scope="col"{_NUMBER if i in numeric else ""}>{h}</th>' for i, h in enumerate(head)
    )
    return (
        f'<div class="scroll"><table><caption>{caption}</caption><thead><tr>{cells}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _local(moment: datetime, tz: tzinfo) -> datetime:
    # The journal stores aware UTC times; a naive one is read as UTC, not as this machine's zone.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(tz)


def _day(moment: date) -> str:
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


def _when(moment: datetime) -> str:
    return f"{_DAYS[moment.weekday()]} {_day(moment)}, {moment:%H:%M}"


def _time(moment: datetime, text: str) -> str:
    return f'<time datetime="{moment.isoformat(timespec="minutes")}">{text}</time>'


def _zone(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    utc = "UTC" if not minutes else f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    name = moment.tzname()
    return utc if not name or name in (utc, "UTC") else f"{name}, {utc}"


def _score(value: int | None) -> str:
    return _DASH if value is None else str(value)


def _pain_change(before: int | None, after: int | None) -> str:
    text = f"{_score(before)} &#8594; {_score(after)}"
    if before is None or after is None:
        return text
    label = change_label(before, after)
    css = {"worse": "worse", "better": "better"}.get(label, "same")
    return f'{text} <span class="{css}">({label})</span>'


def _mean(values: Sequence[int | None]) -> float | None:
    given = [v for v in values if v is not None]
    return sum(given) / len(given) if given else None


def _trend(name: str, values: Sequence[int | None]) -> str:
    """The first and last few scores side by side: the direction without reading the chart."""
    given = [v for v in values if v is not None]
    k = min(5, len(given) // 2)
    if k < 2:
        return ""
    first, last = sum(given[:k]) / k, sum(given[-k:]) / k
    return (
        f'<p class="trend">Pain {name} sessions: {first:.1f} on average over the first {k}, '
        f"{last:.1f} over the last {k}.</p>"
    )


def _morning_pain(
    sessions: Sequence[SessionRecord], checkins: Sequence[CheckinRecord]
) -> dict[int, int]:
    """Session id -> next-morning pain: the record's own value, else its latest check-in."""
    latest: dict[int, CheckinRecord] = {}
    for c in checkins:
        if c.session_id not in latest or c.recorded_at >= latest[c.session_id].recorded_at:
            latest[c.session_id] = c
    found = {s.id: s.morning_pain for s in sessions if s.morning_pain is not None}
    for s in sessions:
        if s.id not in found and s.id in latest:
            found[s.id] = latest[s.id].pain
    return found
