"""The pain chart, read the way a person reads them: no line too wide, markers
higher for more pain, labels, legend and dates present, and no colour needed."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

import pytest
from rich.cells import cell_len
from rich.console import Console, RenderableType

from sciatica_cli.journal.charts import (
    AFTER_MARK,
    BEFORE_MARK,
    BOTH_MARK,
    EMPTY,
    pain_chart,
)
from sciatica_cli.journal.stats import PainPoint

START = datetime(2026, 9, 1, 8, 0, tzinfo=timezone.utc)
WIDTHS = (40, 80, 120)
AXIS = 3  # the column of the y axis: "10 ┤"


def render(renderable: RenderableType, width: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    return str(output).splitlines()


def points(scores: Sequence[tuple[int | None, int | None]], *, hours: int = 24) -> list[PainPoint]:
    return [
        PainPoint(START + timedelta(hours=hours * i), before, after, None)
        for i, (before, after) in enumerate(scores)
    ]


def plot_rows(lines: list[str]) -> list[str]:
    """The plot area only: rows with the y axis, without their labels."""
    return [line[AXIS + 1 :] for line in lines if len(line) > AXIS and line[AXIS] in "┤│"]


def row_of(lines: list[str], mark: str, column: int | None = None) -> int:
    """The row (0 is the top) holding ``mark``, optionally at one plot column."""
    for index, row in enumerate(plot_rows(lines)):
        if column is None and mark in row:
            return index
        if column is not None and len(row) > column and row[column] == mark:
            return index
    raise AssertionError(f"{mark!r} not found in the chart:\n" + "\n".join(lines))


WEEK = points([(7, 5), (6, 6), (6, 4), (5, 5), (5, 3), (4, 3), (3, None), (None, 2)])


@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_is_wider_than_the_console(width: int) -> None:
    for data in (WEEK, points([(9, 2)] * 500, hours=3)):
        lines = render(pain_chart(data, width=width), width)
        assert max(cell_len(line) for line in lines) <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_the_y_axis_is_labelled_0_to_10(width: int) -> None:
    lines = render(pain_chart(WEEK, width=width), width)
    rows = [line for line in lines if len(line) > AXIS and line[AXIS] in "┤│"]
    assert len(rows) == 11
    assert rows[0].startswith("10 ┤")
    assert rows[-1].startswith(" 0 ┤")
    assert rows[5].startswith(" 4 ┤") or rows[5].startswith("   │")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_legend_tells_before_from_after_without_colour(width: int) -> None:
    lines = render(pain_chart(WEEK, width=width), width)
    text = "\n".join(lines)
    assert f"{BEFORE_MARK} before" in text
    assert f"{AFTER_MARK} after" in text
    assert f"{BOTH_MARK} both" in text
    plot = "\n".join(plot_rows(lines))
    assert BEFORE_MARK in plot and AFTER_MARK in plot
    assert "\x1b[" not in text  # no colour codes needed to read it


@pytest.mark.parametrize("width", WIDTHS)
def test_the_first_and_last_dates_sit_under_the_axis(width: int) -> None:
    lines = render(pain_chart(WEEK, width=width), width)
    axis = next(i for i, line in enumerate(lines) if "└" in line)
    dates = lines[axis + 1]
    assert dates.strip().startswith("01 Sep 2026")
    assert dates.rstrip().endswith("08 Sep 2026")


def test_a_single_day_shows_its_date_once() -> None:
    lines = render(pain_chart(points([(5, 4), (5, 3)], hours=1), width=40), 40)
    assert "\n".join(lines).count("01 Sep 2026") == 1


@pytest.mark.parametrize("width", WIDTHS)
def test_more_pain_is_drawn_higher(width: int) -> None:
    lines = render(pain_chart(points([(9, 2)]), width=width), width)
    assert row_of(lines, BEFORE_MARK) < row_of(lines, AFTER_MARK)
    assert row_of(lines, BEFORE_MARK) == 1  # 9 on a 0..10 axis of 11 rows
    assert row_of(lines, AFTER_MARK) == 8


@pytest.mark.parametrize("width", WIDTHS)
def test_sessions_run_left_to_right_in_time_order(width: int) -> None:
    lines = render(pain_chart(points([(2, None), (9, None)]), width=width), width)
    columns = width - 4
    assert row_of(lines, BEFORE_MARK, column=0) == 8  # the first session, pain 2, low left
    assert row_of(lines, BEFORE_MARK, column=columns - 1) == 1  # the last, pain 9, high right


def test_equal_before_and_after_share_one_mark() -> None:
    lines = render(pain_chart(points([(5, 5)]), width=40), 40)
    plot = "\n".join(plot_rows(lines))
    assert BOTH_MARK in plot
    assert BEFORE_MARK not in plot and AFTER_MARK not in plot
    assert row_of(lines, BOTH_MARK) == 5


def test_500_sessions_are_averaged_into_the_columns_there_are() -> None:
    # 250 sessions at pain 2 then 250 at pain 8: the left half low, the right half high.
    data = points([(2, None)] * 250 + [(8, None)] * 250, hours=3)
    lines = render(pain_chart(data, width=40), 40)
    rows = plot_rows(lines)
    assert max(len(row) for row in rows) <= 36
    marks = [column for row in rows for column, char in enumerate(row) if char == BEFORE_MARK]
    assert sorted(marks) == list(range(36))  # one averaged mark per column, none left out
    assert row_of(lines, BEFORE_MARK, column=0) == 8
    assert row_of(lines, BEFORE_MARK, column=35) == 2
    text = " ".join(" ".join(lines).split())  # the note may wrap on a narrow console
    assert "Each column averages about 14 sessions." in text  # 500 / 36 columns
    assert "01 Sep 2026" in text and "02 Nov 2026" in text


def test_a_column_of_mixed_sessions_shows_their_average() -> None:
    # 4 columns at width 8; 8 sessions: each column averages 2, so 2 and 6 draw as 4.
    data = points([(2, None), (6, None)] * 4)
    lines = render(pain_chart(data, width=8), 8)
    assert [row_of(lines, BEFORE_MARK, column=c) for c in range(4)] == [6] * 4


def test_a_few_sessions_are_not_bucketed() -> None:
    lines = render(pain_chart(WEEK, width=40), 40)
    assert "averages" not in " ".join(lines)


def test_an_empty_journal_is_one_plain_line() -> None:
    assert render(pain_chart([], width=40), 40) == [EMPTY]
    assert render(pain_chart(points([(None, None)] * 3), width=40), 40) == [EMPTY]


def test_a_chart_needs_room_for_0_5_and_10() -> None:
    with pytest.raises(ValueError, match="height"):
        pain_chart(WEEK, width=40, height=2)


def test_a_taller_chart_keeps_the_scale() -> None:
    lines = render(pain_chart(points([(10, 0)]), width=40, height=21), 40)
    assert len(plot_rows(lines)) == 21
    assert row_of(lines, BEFORE_MARK) == 0
    assert row_of(lines, AFTER_MARK) == 20
