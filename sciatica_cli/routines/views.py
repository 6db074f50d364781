"""Rich renderables for the routine commands. Functions of state; the Console is passed in.

Text from routine files is never read as Rich markup, shows any control character as an
escape (``text.visible``), and with ``ascii_only`` (a console whose encoding is not UTF-8)
every character, ours and the file's, is plain ASCII.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from sciatica_cli.routines.durations import format_clock, format_range, format_seconds
from sciatica_cli.routines.planner import position_words
from sciatica_cli.text import to_ascii, visible

if TYPE_CHECKING:
    from sciatica_cli.errors import Problem
    from sciatica_cli.routines.listing import RoutineSummary
    from sciatica_cli.routines.planner import Plan, Segment


def source_label(row: RoutineSummary) -> str:
    if row.overrides_builtin:
        return "user (overrides built-in)"
    return row.source


def total_label(seconds: dict[str, float]) -> str:
    """``5-10m``, or ``4m20s`` for a fixed routine; the default is named when not the min."""
    low, mid, high = seconds["min"], seconds["default"], seconds["max"]
    text = format_range(low, high)
    if low != high and round(mid) != round(low):
        text += f" (default {format_seconds(mid)})"
    return text


NARROW = 72  # below this many columns, tables become stacked blocks


def shown(text: str, ascii_only: bool = False) -> str:
    """``text`` as it is safe to print: control characters visible, ASCII if it must be."""
    text = visible(text)
    return to_ascii(text) if ascii_only else text


def _overflow(ascii_only: bool) -> Literal["crop", "ellipsis"]:
    return "crop" if ascii_only else "ellipsis"  # Rich's ellipsis is the one character '…'


def routine_table(
    rows: list[RoutineSummary], width: int = 80, *, ascii_only: bool = False
) -> RenderableType:
    """The table of ``routine list``; stacked blocks on a narrow terminal."""
    if width < NARROW:
        return _routine_blocks(rows, ascii_only)
    cut = _overflow(ascii_only)
    table = Table(title=None, box=None, pad_edge=False, header_style="bold")
    table.add_column("Name", style="bold cyan", no_wrap=True, overflow=cut)
    table.add_column("Title")
    table.add_column("Areas")
    table.add_column("Time", no_wrap=True, overflow=cut)
    table.add_column("Source")
    for row in rows:
        name = Text(shown(row.name, ascii_only))
        if row.error:
            table.add_row(name, Text("broken (see below)", style="red"), "", "", source_label(row))
        else:
            table.add_row(
                name,
                Text(shown(row.title, ascii_only)),
                ", ".join(row.areas),
                total_label(row.seconds),
                source_label(row),
            )
    return table


def _routine_blocks(rows: list[RoutineSummary], ascii_only: bool) -> RenderableType:
    blocks: list[Text] = []
    for row in rows:
        block = Text(shown(row.name, ascii_only), style="bold cyan")
        if row.error:
            block.append("  broken (see below)", style="red")
        else:
            block.append(f"  {total_label(row.seconds)}\n  {shown(row.title, ascii_only)}")
            if row.areas:
                block.append(f"\n  {', '.join(row.areas)}", style="dim")
        block.append(f"\n  {source_label(row)}", style="dim")
        blocks.append(block)
    return Group(*blocks)


def broken_files(
    rows: list[RoutineSummary], strays: list[Problem], *, ascii_only: bool = False
) -> RenderableType | None:
    """The list under the table: each broken file with its first error."""
    lines: list[Text] = []
    for row in rows:
        if row.error:
            more = f" (+{row.error_count - 1} more)" if row.error_count > 1 else ""
            lines.append(Text(f"  {shown(row.error, ascii_only)}{more}"))
    lines.extend(Text(f"  {shown(str(problem), ascii_only)}") for problem in strays)
    if not lines:
        return None
    heading = Text(
        "Broken routine files ('sciatica routine validate' lists every error):", style="bold red"
    )
    return Group(Text(""), heading, *lines)


def _segment_label(segment: Segment, ascii_only: bool) -> RenderableType:
    where = position_words(segment.position)
    title = shown(segment.title, ascii_only)
    if segment.kind == "setup" and where:
        return Text(f"{title}: {where}", style="dim")
    if segment.kind != "step":
        return Text(title, style="dim")
    details: list[Text] = []
    if where:
        details.append(Text(where[:1].upper() + where[1:], style="dim"))
    if segment.reps:
        details.append(
            Text(
                f"{segment.reps} reps: hold {format_seconds(segment.hold or 0)}, "
                f"relax {format_seconds(segment.relax or 0)}",
                style="dim",
            )
        )
    details.extend(
        Text(
            shown(f"at {format_clock(cue.offset)}: \u201c{cue.say}\u201d", ascii_only),
            style="italic",
        )
        for cue in segment.cues
    )
    if segment.warning:
        details.append(Text(f"! {shown(segment.warning, ascii_only)}", style="red"))
    heading = Text(f"{segment.step_number}. {title}", style="bold")
    return Group(heading, *(Padding(line, (0, 0, 0, 3)) for line in details))


def plan_view(
    plan: Plan,
    seconds: dict[str, float],
    width: int = 80,
    *,
    ascii_only: bool = False,
    dose: str | None = None,
) -> RenderableType:
    """``routine show``: the header (with the ``dose`` sentence), every segment in order, and
    the total."""
    header = Text()
    header.append(shown(plan.title, ascii_only), style="bold")
    header.append(f"  ({shown(plan.name, ascii_only)})\n", style="dim")
    if plan.equipment:
        header.append("Equipment: ", style="bold")
        header.append(shown("; ".join(plan.equipment), ascii_only) + "\n")
    for note in plan.safety:
        header.append("Safety: ", style="bold yellow")
        header.append(shown(note, ascii_only) + "\n")
    if dose:
        header.append(shown(dose, ascii_only) + "\n", style="bold")
    footer = Text(f"\nTotal {format_seconds(plan.total)}", style="bold")
    if seconds["min"] != seconds["max"]:
        footer.append(
            f"  (fits {format_range(seconds['min'], seconds['max'])} with --minutes)", style="dim"
        )
    if width < NARROW:
        return Group(header, *(_segment_block(s, ascii_only) for s in plan.segments), footer)
    cut = _overflow(ascii_only)
    table = Table(box=None, pad_edge=False, header_style="bold", expand=False)
    table.add_column("At", justify="right", no_wrap=True, overflow=cut)
    table.add_column("Length", justify="right", no_wrap=True, overflow=cut)
    table.add_column("Side", no_wrap=True, overflow=cut)
    table.add_column("Segment")
    for segment in plan.segments:
        side = (segment.side or "").upper()
        table.add_row(
            format_clock(segment.start),
            format_seconds(segment.seconds),
            side,
            _segment_label(segment, ascii_only),
        )
    return Group(header, table, footer)


def _segment_block(segment: Segment, ascii_only: bool) -> RenderableType:
    side = f"  {(segment.side or '').upper()}" if segment.side else ""
    line = Text(
        f"{format_clock(segment.start)}  {format_seconds(segment.seconds)}{side}", style="dim"
    )
    return Group(line, _segment_label(segment, ascii_only))


def plan_json(
    plan: Plan, seconds: dict[str, float], dose: Mapping[str, object] | None = None
) -> dict[str, Any]:
    """``routine show --json``: the same plan for scripts (times in seconds), with the dose
    the next session would use (SAFETY.md 6) and ``plan_source``, where this plan's lengths
    came from: "journal", "shortest", "minutes", or None for a routine of set lengths."""
    return {
        "name": plan.name,
        "title": plan.title,
        "total_seconds": plan.total,
        "range_seconds": seconds,
        "dose": {**(dose or {}), "plan_source": plan.options.dose_source},
        "equipment": list(plan.equipment),
        "safety": list(plan.safety),
        "segments": [
            {
                "kind": s.kind,
                "title": s.title,
                "step": s.step_number,
                "side": s.side,
                "start": s.start,
                "seconds": s.seconds,
                "area": s.area,
                "routine": s.routine,
                "warning": s.warning,
                "reps": s.reps,
                "hold": s.hold,
                "relax": s.relax,
                "position": s.position,
                "position_words": position_words(s.position),
                "setup_speech": s.setup_speech,
                "cues": [{"offset": c.offset, "say": c.say} for c in s.cues],
            }
            for s in plan.segments
        ],
    }
