"""The clinician report (``history report``): one self-contained HTML page from the journal.

Nothing is fetched: the CSS and the SVG charts (:mod:`sciatica_cli.journal.report_charts`) are
inline, fonts are the system's, and a Content Security Policy forbids every request. All text
the person typed goes through :func:`html.escape`. The CLI works out the figures and passes
plain data in :class:`ReportData`.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

from sciatica_cli import DISCLAIMER, __version__
from sciatica_cli.journal.records import CheckinRecord, ScreenRecord, SessionRecord
from sciatica_cli.journal.report_charts import (
    bars_svg,
    day_label,
    pain_points,
    pain_svg,
    when_label,
)
from sciatica_cli.journal.stats import Advisory, WeekCount
from sciatica_cli.safety.rules import TIER_A, TIER_B, change_label

TITLE = "sciatica: self-massage journal"
MAX_BARS = 52  # the adherence chart shows the latest year; its table lists every week
_QUESTIONS = dict(TIER_A + TIER_B)
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
class ReportData:
    """Everything the page shows, worked out by the caller."""

    generated_at: datetime  # aware
    tz: tzinfo  # every time on the page is shown in this zone
    sessions: Sequence[SessionRecord]  # real sessions (no previews), oldest first
    checkins: Sequence[CheckinRecord]
    screens: Sequence[ScreenRecord]
    weeks: Sequence[WeekCount]
    advisories: Sequence[Advisory]


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
        span = f"Sessions from {_time(first, day_label(first))} to {_time(last, day_label(last))}"
    else:
        span = "No sessions recorded yet"
    return (
        f'<header id="top"><h1>{_e(TITLE)}</h1><p class="meta">{span}.</p>'
        f'<p class="meta">Generated {_time(made, when_label(made))} ({_e(_zone(made))}).</p>'
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
        with_both = f"{len(both)} session{'' if len(both) == 1 else 's'} with both scores"
        pain_note = f"{after - before:+.1f} points; {with_both}"
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


def _per_week(weeks: Sequence[WeekCount]) -> tuple[str, str]:
    if not weeks:
        return _DASH, "no weeks to count yet"
    average = sum(w.sessions for w in weeks) / len(weeks)
    met = sum(w.sessions >= w.goal for w in weeks)
    return (
        f"{average:.1f} <small>goal {weeks[-1].goal} a week</small>",
        f"goal met in {met} of {len(weeks)} week{'s' if len(weeks) != 1 else ''}",
    )


def _advisories(advisories: Sequence[Advisory]) -> str:
    if not advisories:
        body = '<p class="calm">No advisories: the journal raised none of its warnings.</p>'
    else:
        body = "".join(
            f'<div class="advisory" role="note"><p class="rule">{_e(rule)}</p>'
            f"<h3>{_e(title)}</h3><p>{_e(message)}</p></div>"
            for rule, title, message in ((a.rule, a.title, a.message) for a in advisories)
        )
    return _section("advisories", "Advisories", body)


def _adherence(weeks: Sequence[WeekCount]) -> str:
    if not weeks:
        return _section("adherence", "Adherence", "<p>No weeks to show yet.</p>")
    weeks = sorted(weeks, key=lambda w: w.start)
    shown = weeks[-MAX_BARS:]
    caption = f"Sessions in each week (Monday to Sunday) against the weekly goal. {_wk(shown)}"
    rows = (
        f'<tr><td class="when">{day_label(w.start)}</td><td class="n">{w.sessions}</td>'
        f'<td class="n">{w.goal}</td><td>{"yes" if w.sessions >= w.goal else "no"}</td></tr>'
        for w in weeks
    )
    head = ("Week starting", "Sessions", "Goal", "Goal met")
    table = _table("Sessions per week", head, rows, numeric=(1, 2))
    figure = _figure(bars_svg(shown), caption)
    return _section("adherence", "Adherence", figure + table)


def _wk(shown: Sequence[WeekCount]) -> str:
    return f"The chart shows the latest {len(shown)} weeks." if len(shown) == MAX_BARS else ""


def _pain(tz: tzinfo, sessions: Sequence[SessionRecord], morning: dict[int, int]) -> str:
    rows = [
        (_local(s.started_at, tz), s.pain_before, s.pain_after, morning.get(s.id)) for s in sessions
    ]
    rows = [r for r in rows if r[1] is not None or r[2] is not None or r[3] is not None]
    if not rows:
        return _section("pain", "Pain", "<p>No pain scores recorded yet.</p>")
    points, how = pain_points(rows)
    trend = _trend("before", [r[1] for r in rows]) + _trend("after", [r[2] for r in rows])
    figure = _figure(pain_svg(points, tz), how)
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
        f'<tr><td class="when">{_time(start, when_label(start))}</td>'
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
            f'<tr><td class="when">{_time(when, when_label(when))}</td>'
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
            f"<li><p><b>{_time(when, when_label(when))}</b> &#183; {source}</p>"
            f'<p class="note">{_e(text or "")}</p></li>'
        )
    return _section("notes", "Notes", f'<ul class="notes">{"".join(items)}</ul>')


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
