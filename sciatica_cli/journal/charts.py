"""Pain over time, drawn in the terminal with Rich. No I/O.

Before and after are told apart by their characters as well as their colours, so the chart
reads the same with ``NO_COLOR``, on a monochrome terminal, or pasted into an email.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.text import Text

from sciatica_cli.journal.stats import PainPoint, mean

BEFORE_MARK, AFTER_MARK, BOTH_MARK = "o", "●", "◉"
BEFORE_STYLE, AFTER_STYLE, BOTH_STYLE = "yellow", "cyan", "bold"
EMPTY = "No pain scores yet."
MIN_HEIGHT = 3  # 0, 5 and 10 need a row each
_GUTTER = 4  # "10 ┤": two digits, a space and the axis
_MAX_PAIN = 10


def pain_chart(points: Sequence[PainPoint], *, width: int, height: int = 11) -> RenderableType:
    """Pain before (``o``) and after (``●``, ``◉`` where they meet) each session, oldest on
    the left, on a 0 to 10 axis, in at most ``width`` columns and ``height`` plot rows.

    With more sessions than columns, neighbouring sessions share a column holding their
    average, and a line under the legend says so. The first and last dates sit under the axis.
    """
    if height < MIN_HEIGHT:
        raise ValueError(f"height must be at least {MIN_HEIGHT} rows, not {height}")
    scored = [p for p in points if p.before is not None or p.after is not None]
    if not scored:
        return Text(EMPTY)
    columns = max(1, width - _GUTTER)
    buckets = _buckets(scored, columns)
    grid: list[list[tuple[str, str]]] = [[(" ", "")] * columns for _ in range(height)]
    for index, (before, after) in enumerate(buckets):
        # Spread few sessions over the whole width, so the dates under the ends line up.
        x = 0 if len(buckets) == 1 else index * (columns - 1) // (len(buckets) - 1)
        before_row, after_row = _row(before, height), _row(after, height)
        if before_row is not None and before_row == after_row:
            # One cell cannot hold two marks: a third one says "no change in this session".
            grid[before_row][x] = (BOTH_MARK, BOTH_STYLE)
            continue
        if before_row is not None:
            grid[before_row][x] = (BEFORE_MARK, BEFORE_STYLE)
        if after_row is not None:
            grid[after_row][x] = (AFTER_MARK, AFTER_STYLE)
    lines = [_plot_line(row, cells, height) for row, cells in enumerate(grid)]
    lines.append(_line(" " * (_GUTTER - 1) + "└" + "─" * columns))
    lines.append(_line(_dates(scored, columns)))
    lines.append(_legend())
    if len(scored) > columns:
        lines.append(Text(f"Each column averages about {len(scored) / columns:.0f} sessions."))
    return Group(*lines)


def _buckets(points: Sequence[PainPoint], columns: int) -> list[tuple[float | None, float | None]]:
    """(before, after) per column: one session each, or averages when they do not fit."""
    if len(points) <= columns:
        return [(mean([p.before]), mean([p.after])) for p in points]
    # Column j takes sessions [j*n//k, (j+1)*n//k): every column gets at least one, in order.
    count = len(points)
    groups = [points[j * count // columns : (j + 1) * count // columns] for j in range(columns)]
    return [(mean([p.before for p in group]), mean([p.after for p in group])) for group in groups]


def _row(value: float | None, height: int) -> int | None:
    """The plot row (0 is the top) of a pain score; halves round up to the higher row."""
    if value is None:
        return None
    level = math.floor(min(max(value, 0), _MAX_PAIN) * (height - 1) / _MAX_PAIN + 0.5)
    return height - 1 - level


def _axis_label(row: int, height: int) -> str:
    """``10``, ``8`` ... ``0`` on the rows that hold an even whole score, else blank."""
    value = _MAX_PAIN * (height - 1 - row) / (height - 1)
    if value.is_integer() and int(value) % 2 == 0:
        return f"{int(value):>2} ┤"
    return "   │"


def _plot_line(row: int, cells: Sequence[tuple[str, str]], height: int) -> Text:
    line = _line(_axis_label(row, height))
    for char, style in cells:
        line.append(char, style=style or None)
    line.rstrip()
    return line


def _dates(points: Sequence[PainPoint], columns: int) -> str:
    """The first date under the start of the axis and the last under its end, if they fit."""
    first, last = (f"{p.when:%d %b %Y}" for p in (points[0], points[-1]))
    pad = " " * _GUTTER
    if first == last or len(first) + 1 + len(last) > columns:
        return pad + first
    return pad + first + last.rjust(columns - len(first))


def _legend() -> Text:
    legend = Text(" " * _GUTTER)
    legend.append(BEFORE_MARK, style=BEFORE_STYLE)
    legend.append(" before  ")
    legend.append(AFTER_MARK, style=AFTER_STYLE)
    legend.append(" after  ")
    legend.append(BOTH_MARK, style=BOTH_STYLE)
    legend.append(" both")
    return legend


def _line(text: str) -> Text:
    # A chart row must never wrap: a wrapped row would put marks at the wrong height.
    return Text(text, no_wrap=True, overflow="crop")
