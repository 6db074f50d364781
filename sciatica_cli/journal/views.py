"""Rich renderables for the journal commands: functions of data; the Console is passed in.

The figures come worked out (:mod:`sciatica_cli.journal.stats`, ``progress``); these functions
only lay them out for a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sciatica_cli.journal import dose_history
from sciatica_cli.journal.charts import pain_chart
from sciatica_cli.journal.stats import (
    NOT_COUNTED,
    change,
    main_score_name,
    not_counted,
    percent_done,
    two_scores,
)
from sciatica_cli.routines.durations import format_seconds
from sciatica_cli.routines.views import NARROW
from sciatica_cli.safety.pain import session_scores
from sciatica_cli.text import visible
from sciatica_cli.wallclock import utc_now

if TYPE_CHECKING:
    from sciatica_cli.journal.progress import Progress
    from sciatica_cli.journal.records import SessionRecord
    from sciatica_cli.journal.stats import Advisory, PainAverages, WeekCount

FIRST_USE = (
    "Your journal is empty: no sessions yet.\n"
    "Start one with 'sciatica routine start' (or 'sciatica routine list' to choose a routine).\n"
    "Every session you do is kept here, with your pain before and after."
)


WIDE = 100  # from this many columns, notes get a column of their own


def pain_text(session: SessionRecord, sep: str = ", ") -> str:
    """``5 -> 2 better``: the scores and the SAFETY.md 4 change label; with two scores each
    named, ``leg 7 -> 5 better, back 4 -> 4 no clear change`` (``sep`` between them)."""
    if two_scores(session):
        return sep.join(
            f"{score.name.split()[0]} {_change_text(score.before, score.after, score.change)}"
            for score in session_scores(session)
            if score.before is not None or score.after is not None
        )
    before, after = session.pain_before, session.pain_after
    if before is None and after is None:
        return ""
    return _change_text(before, after, change(session))


def _change_text(before: int | None, after: int | None, label: str | None) -> str:
    if label is None:
        return f"{'-' if before is None else before} -> {'-' if after is None else after}"
    return f"{before} -> {after} {label}"


def morning_text(session: SessionRecord) -> str:
    """The next-morning score: ``3``, or ``leg 3, back 2`` with two scores."""
    if not two_scores(session):
        return "" if session.morning_pain is None else str(session.morning_pain)
    return ", ".join(
        f"{score.name.split()[0]} {score.morning}"
        for score in session_scores(session)
        if score.morning is not None
    )


def status_text(session: SessionRecord) -> str:
    """How it ended, with previews, interrupted sessions and sessions that do not count
    towards the goal (less than half done) marked as such."""
    words = session.status
    if session.stop_reason:
        words = f"{words}: {visible(session.stop_reason)}"
    if not_counted(session):
        words = f"{words}, {NOT_COUNTED}"
    return f"preview, {words}" if session.preview else words


def history_view(sessions: Sequence[SessionRecord], tz: tzinfo, width: int) -> RenderableType:
    """``sciatica history``: a table, or one block per session on a narrow terminal. Below
    ``WIDE`` columns notes are listed under the table, where they have room to be read."""
    if width >= WIDE or (width >= NARROW and not any(s.note for s in sessions)):
        return history_table(sessions, tz)
    if width >= NARROW:
        notes = [
            Text(f"  {_when(s, tz)}  {visible(s.routine)}: ").append(
                visible(s.note or ""), style="italic"
            )
            for s in sessions
            if s.note
        ]
        return Group(
            history_table(sessions, tz, notes=False), Text("\nNotes", style="bold"), *notes
        )
    blocks = []
    for s in sessions:
        local = s.started_at.astimezone(tz).strftime("%a %d %b %Y %H:%M")
        block = Text(f"{local}  {visible(s.routine)}", style="bold")
        block.append(
            f"\n  {format_seconds(s.done_seconds)} of "
            f"{format_seconds(s.planned_seconds)} ({percent_done(s)}%), "
            f"{status_text(s)}"
        )
        if pain_text(s):
            block.append(f"\n  {'' if two_scores(s) else 'pain '}{pain_text(s, '; ')}")
        if morning_text(s):
            # Two scores fill the pain line: their next morning gets a line of its own.
            joint = "\n  " if two_scores(s) else "; "
            block.append(f"{joint}next morning {morning_text(s)}")
        if s.note:
            block.append(f"\n  {visible(s.note)}", style="italic")
        blocks.append(block)
    return Group(*blocks)


def _when(session: SessionRecord, tz: tzinfo) -> str:
    local = session.started_at.astimezone(tz)
    this_year = utc_now().astimezone(tz).year
    return local.strftime("%a %d %b %H:%M" if local.year == this_year else "%d %b %Y %H:%M")


def history_table(sessions: Sequence[SessionRecord], tz: tzinfo, *, notes: bool = True) -> Table:
    """One row per session, newest first; the Morning and Note columns appear only when a
    row has one, so the table fits a normal terminal."""
    mornings = any(morning_text(s) for s in sessions)
    notes = notes and any(s.note for s in sessions)
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("Date", no_wrap=True)
    table.add_column("Routine")
    table.add_column("Done", justify="right", no_wrap=True)
    table.add_column("Pain", min_width=12)
    if mornings:
        table.add_column("Morning", justify="right")
    table.add_column("Ended", min_width=9)
    if notes:
        table.add_column("Note", ratio=1)
    for s in sessions:
        when = _when(s, tz)
        done = (
            f"{format_seconds(s.done_seconds)}/{format_seconds(s.planned_seconds)} "
            f"{percent_done(s)}%"
        )
        cells = [when, visible(s.routine), done, pain_text(s, "\n")]
        if mornings:
            cells.append(morning_text(s))
        cells.append(status_text(s))
        if notes:
            cells.append(visible(s.note or ""))
        style = "dim" if s.preview else ("yellow" if s.status == "interrupted" else None)
        # Text, not str: a note's "[b]" is the person's words, not Rich markup.
        table.add_row(*(Text(cell) for cell in cells), style=style)
    return table


def advisory_panels(advisories: Sequence[Advisory]) -> RenderableType:
    """The advisories, each titled, with the numbers behind it and what to do."""
    panels = [
        Panel(
            Text(a.message),
            title=a.title,
            title_align="left",
            border_style="yellow",
        )
        for a in advisories
    ]
    return Group(*panels)


def weeks_table(weeks: Sequence[WeekCount]) -> Table:
    """Sessions per ISO week against the weekly goal, as a bar a person can scan."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("Week of")
    table.add_column("Sessions", justify="right")
    table.add_column("")
    for week in weeks:
        bar = "█" * week.sessions + "·" * max(0, week.goal - week.sessions)
        mark = Text(" goal met", style="green") if week.met else Text("")
        table.add_row(
            week.start.strftime("%d %b %Y"),
            f"{week.sessions}/{week.goal}",
            Text(bar).append_text(mark),
        )
    return table


def areas_table(minutes: Sequence[tuple[str, float]]) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("Body area")
    table.add_column("Minutes", justify="right")
    for area, value in minutes:
        table.add_row(Text(visible(area)), f"{value:.1f}" if value < 10 else f"{value:.0f}")
    return table


def stats_view(progress: Progress, width: int) -> RenderableType:
    """``sciatica history stats``: advice first, then weeks, areas, average pain and the chart."""
    if not progress.recorded:
        return Text(FIRST_USE)
    headline = [
        Text(
            f"Last {_count(len(progress.weeks), 'week')}: {_count(progress.held, 'session')}, "
            f"goal {progress.goal} a week. Streak: {_count(progress.streak, 'week')} meeting the "
            "goal.",
            style="bold",
        )
    ]
    if progress.not_counted:
        headline.append(
            Text(
                f"{_count(progress.not_counted, 'more session')} had less than half of the plan "
                "done and did not count towards the goal."
            )
        )
    return Group(
        advisory_panels(progress.advisories), *headline, Text(""), weeks_table(progress.weeks),
        Text(""), areas_table(progress.minutes), *doses_lines(progress.doses),
        Text(""), *(Text(line) for line in pain_lines(progress)),
        Text(""), pain_charts(progress, width),
    )  # fmt: skip


def averages_text(averages: PainAverages, name: str = "pain", detail: str = "") -> str:
    """``Average pain: before 5.0, after 4.0 (4 sessions with both scores).``; ``name`` the
    score ("leg pain"), ``detail`` what the sessions were, after a colon."""
    before, after = averages.before, averages.after
    if before is None or after is None:
        return f"Average {name}: no session in these weeks has both scores yet."
    return (
        f"Average {name}: before {before:.1f}, after {after:.1f} "
        f"({_count(averages.sessions, 'session')} with both scores{detail})."
    )


def pain_lines(progress: Progress) -> list[str]:
    """The average pain of each score. One score: one line, as ever. Two (SAFETY.md 4): the
    leg's, then the back's. A window of both kinds: the main line says which of its sessions
    had one score and which a leg score, since both count towards it."""
    if progress.pain_scores == "one":
        return [averages_text(progress.averages)]
    averages = progress.averages
    name = main_score_name(averages)
    if name == "mixed":
        single = averages.sessions - averages.leg_sessions
        main = averages_text(
            averages,
            "pain",
            f": {single} with one pain score, {averages.leg_sessions} with leg pain scored "
            "apart from back pain",
        )
    elif name == "pain" and averages.sessions:
        main = averages_text(averages, "pain (sessions with one pain score)")
    else:
        main = averages_text(averages, "leg pain")
    return [main, averages_text(progress.back_averages, "back pain")]


def pain_charts(progress: Progress, width: int) -> RenderableType:
    """The pain chart; with two scores one for the leg (or the main score) and one for the
    back, each under its name."""
    if progress.pain_scores == "one":
        return pain_chart(progress.points, width=width)
    main = "Leg pain" if progress.pain_scores == "two" else MIXED_CHART
    return Group(
        Text(main, style="bold"), pain_chart(progress.points, width=width), Text(""),
        Text("Back pain", style="bold"), pain_chart(progress.back_points, width=width),
    )  # fmt: skip


MIXED_CHART = "Pain (your one score, and your leg pain since you scored leg and back apart)"


def doses_lines(doses: Sequence[dose_history.SessionDose]) -> list[Text]:
    """SAFETY.md 6: each routine's recent doses in order and the current one, when any."""
    if not doses:
        return []
    lines = [Text(""), Text("Dose (minutes an area) of each session, oldest first:", style="bold")]
    for routine, given in dose_history.by_routine(doses).items():
        lines.append(Text(f"  {visible(dose_history.routine_line(routine, given))}"))
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
