"""Rich renderables for the journal commands: functions of data; the Console is passed in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sciatica_cli.durations import format_seconds
from sciatica_cli.journal import completion, pain_text, status_text

if TYPE_CHECKING:
    from sciatica_cli.records import SessionRecord
    from sciatica_cli.stats import Advisory, WeekCount

FIRST_USE = (
    "Your journal is empty: no sessions yet.\n"
    "Start one with 'sciatica routine start' (or 'sciatica routine list' to choose a routine).\n"
    "Every session you do is kept here, with your pain before and after."
)


def history_table(sessions: Sequence[SessionRecord], tz: tzinfo) -> Table:
    """``sciatica history``: one row per session, newest first."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name, justify in (
        ("Date", "left"),
        ("Routine", "left"),
        ("Time", "right"),
        ("Done", "right"),
        ("Pain", "left"),
        ("Morning", "right"),
        ("How it ended", "left"),
        ("Note", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for s in sessions:
        style = "dim" if s.preview else ("yellow" if s.status == "interrupted" else None)
        table.add_row(
            s.started_at.astimezone(tz).strftime("%a %d %b %Y %H:%M"),
            s.routine,
            f"{format_seconds(s.done_seconds)} / {format_seconds(s.planned_seconds)}",
            f"{completion(s):.0%}",
            pain_text(s),
            "" if s.morning_pain is None else str(s.morning_pain),
            status_text(s),
            s.note or "",
            style=style,
        )
    return table


def advisory_panels(advisories: Sequence[Advisory]) -> RenderableType:
    """The SAFETY.md advisories, each with its rule and the numbers behind it."""
    panels = [
        Panel(
            Text(a.message),
            title=f"{a.title} ({a.rule})",
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
        table.add_row(area, f"{value:.0f}")
    return table
