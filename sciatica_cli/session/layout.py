"""The session screen's layout: big countdown and side, read from the floor two metres away.

:func:`render_session` is a pure function of a :class:`PlayerState` and the terminal's size;
:mod:`sciatica_cli.session.screen` shows what it returns.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, replace
from typing import Literal

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from sciatica_cli.routines.durations import format_clock
from sciatica_cli.routines.planner import describe, heading, position_words
from sciatica_cli.session.font import GLYPH_ROWS, big_text
from sciatica_cli.session.player import PlayerState, Status
from sciatica_cli.session.textfit import centred, fits, lines, trim, wrap

COMPACT = 60  # below this many columns no blank lines are spent on spacing
# Clock arithmetic leaves floats like 30.000000001; they must not show as one second more.
_EPSILON = 1e-6

LEGEND = ("space pause", "n next", "b back", "q quit")
CONFIRM_LEGEND = ("y stop", "n carry on")
PAIN_KEY = "! sharp pain: stop now"
_SIDE_STYLE = {"left": "bold cyan", "right": "bold magenta"}
_BAR_LABEL = {"setup": "Setup", "step": "Step", "switch": "Switch", "rest": "Rest"}
_FINISHED = {
    "completed": "Session complete. Well done.",
    "quit": "Session stopped.",
    "sharp pain": "Stopped for sharp pain. Move off the ball or roller slowly.",
}


def countdown_text(remaining: float) -> str:
    """Whole seconds left, rounded up, as ``m:ss`` (minutes may pass 59): 0.2 -> ``0:01``."""
    minutes, seconds = divmod(_whole_seconds(remaining), 60)
    return f"{minutes}:{seconds:02d}"


def _whole_seconds(remaining: float) -> int:
    # Rounded up: the display reaches 0:00 only when the time is really up.
    return max(0, math.ceil(remaining - _EPSILON))


# -- the layout ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    renderable: RenderableType
    height: int


@dataclass(frozen=True)
class _Fit:
    """How much to show; loosened step by step until the screen fits the terminal height."""

    spacers: bool = True
    big_side: bool = True
    instructions: int | None = None  # lines; None shows them all
    cue: int | None = None
    bars: int = 2
    extras: bool = True  # the position line and what comes next
    warning: Literal["panel", "line", "none"] = "panel"
    note: bool = True  # a safety note for this step (pregnancy)


_SPACER = _Part(Text(""), 1)

# From roomiest to tightest; each may cut instructions to no fewer than the given lines.
_FITS: tuple[tuple[_Fit, int | None], ...] = (
    (_Fit(), None),
    (_Fit(spacers=False), 2),
    (_Fit(spacers=False, cue=1), 2),
    (_Fit(spacers=False, cue=1, bars=1), 1),  # the countdown already shows the step's time
    (_Fit(spacers=False, cue=1, bars=1, big_side=False), 0),
    (_Fit(spacers=False, cue=1, bars=0, big_side=False), 0),
    # Small terminals (40x12): the countdown, the side and the keys, the sharp-pain key above
    # all, stay; the warning shrinks to a line, then goes (it was shown before the step).
    (_Fit(spacers=False, cue=0, bars=0, big_side=False, extras=False, warning="line"), 0),
    (_Fit(spacers=False, cue=0, bars=0, big_side=False, extras=False, warning="none"), 0),
    (
        _Fit(
            spacers=False, cue=0, bars=0, big_side=False, extras=False, warning="none", note=False
        ),
        0,
    ),
)


def render_session(
    state: PlayerState,
    *,
    width: int,
    speed: float = 1.0,
    keys: bool = True,
    height: int | None = None,
    note: str | None = None,
    warning: str | None = None,
) -> RenderableType:
    """The whole session screen for ``state`` at ``width`` columns.

    With ``height``, less important parts (spacing, then long instructions, the big side
    letters, the bars) give way so the countdown, warning and keys stay on screen.
    """
    view = _View(state, width, speed, keys, note, warning)
    if height is None:
        return Group(*(p.renderable for p in _parts(view, _FITS[0][0])))
    for fit, fewest in _FITS:
        parts = _parts(view, fit)
        if _height(parts) <= height:
            break
        if fewest is not None:
            without = _height(_parts(view, replace(fit, instructions=0)))
            if height - without >= fewest:
                fit = replace(fit, instructions=height - without)
                parts = _parts(view, fit)
                break
    else:  # still too tall: Rich crops the bottom, and the countdown sits near the top
        parts = _parts(view, replace(_FITS[-1][0], instructions=0))
    return Group(*(part.renderable for part in parts))


def _height(parts: list[_Part]) -> int:
    return sum(part.height for part in parts)


@dataclass(frozen=True)
class _View:
    """What one frame shows, before it is fitted to the height."""

    state: PlayerState
    width: int
    speed: float
    keys: bool
    note: str | None
    warning: str | None  # about the journal: one line, kept at every size


def _parts(view: _View, fit: _Fit) -> list[_Part]:
    state, width, speed, keys = view.state, view.width, view.speed, view.keys
    compact = width < COMPACT
    spacer = [_SPACER] if fit.spacers and not compact else []
    parts: list[_Part] = []
    if speed != 1:
        banner = f"PREVIEW x{speed:g} - not recorded"
        parts.append(_Part(lines(centred([banner], width), "bold reverse yellow"), 1))
    if view.warning:
        parts.append(_Part(lines(trim(wrap(view.warning, width), 1, width), "bold yellow"), 1))
    parts.append(_header(state, width))
    parts.append(_title(state, width))
    parts.extend(_position(state, width, view.note if fit.note else None, fit.extras))
    parts.extend(spacer)
    if state.status is Status.FINISHED:
        reason = state.finish_reason or "completed"
        parts.append(_panel(wrap(_FINISHED[reason], width - 4), width, "bold green"))
        parts.extend(_bars(state, width, 1))
        return parts
    parts.extend(_status_overlay(state, width, fit.big_side))
    parts.extend(_side(state, width, fit.big_side))
    parts.append(_countdown(state, width))
    parts.extend(_rep(state, width))
    parts.extend(spacer)
    parts.extend(_bars(state, width, fit.bars))
    segment = state.segment
    instructions = trim(wrap(segment.instructions, width), fit.instructions, width)
    if instructions:
        parts.extend(spacer)
        parts.append(_Part(lines(instructions), len(instructions)))
    if state.cue:
        cue = trim(wrap(f"\u201c{state.cue}\u201d", width), fit.cue, width)
        if cue:
            parts.append(_Part(lines(cue, "italic"), len(cue)))
    if segment.warning and fit.warning == "panel":
        parts.extend(spacer)
        parts.append(_warning(segment.warning, width))
    elif segment.warning and fit.warning == "line":
        row = trim(wrap(f"! {segment.warning}", width), 1, width)
        parts.append(_Part(lines(row, "bold red"), 1))
    if state.upcoming is not None and fit.extras:
        upcoming = wrap(f"Next: {describe(state.upcoming)}", width)
        parts.append(_Part(lines(upcoming, "bold"), len(upcoming)))
    if keys:
        parts.append(_legend(state, width))
    return parts


def _header(state: PlayerState, width: int) -> _Part:
    """The routine title on the left, "step N of M" on the right, on one line."""
    step = f"step {state.segment.step_number} of {state.plan.step_count}"
    title = Text(state.plan.title, style="bold", no_wrap=True)
    room = width - cell_len(step) - 2
    if room < 6:  # too narrow for both: the step count matters more mid-session
        return _Part(lines([step]), 1)
    title.truncate(room, overflow="ellipsis")
    title.append(" " * (width - title.cell_len - cell_len(step)))
    title.append(step, style="bold")
    return _Part(title, 1)


def _title(state: PlayerState, width: int) -> _Part:
    rows = trim(wrap(heading(state.segment), width), 2, width)
    return _Part(lines(rows, "bold"), len(rows))


def _position(state: PlayerState, width: int, note: str | None, shown: bool) -> list[_Part]:
    """Where the body goes ("Lying on your back"), and a safety note for this step."""
    parts = []
    position = position_words(state.segment.position)
    if position is not None and shown:
        rows = trim(wrap(position.capitalize(), width), 1, width)
        parts.append(_Part(lines(rows), len(rows)))
    if note:
        rows = trim(wrap(note, width), 2, width)
        parts.append(_Part(lines(rows, "bold yellow"), len(rows)))
    return parts


def _status_overlay(state: PlayerState, width: int, big: bool) -> list[_Part]:
    if state.status is Status.PAUSED:
        note = centred(["Paused · space to carry on"], width)
        rows = big_text("PAUSED")
        if big and fits(rows, width):
            return [
                _Part(lines(centred(rows, width), "bold yellow"), GLYPH_ROWS),
                _Part(lines(note, "bold"), 1),
            ]
        return [_Part(lines(note, "bold yellow"), 1)]
    if state.status is Status.CONFIRM_QUIT:
        return [_panel(wrap("Stop the session? y / n", width - 4), width, "bold yellow")]
    return []


def _side(state: PlayerState, width: int, big: bool) -> list[_Part]:
    side = state.segment.side
    if not side:
        return []
    words = "Affected side" if side == "affected" else f"{side.upper()} side"
    style = _SIDE_STYLE.get(side, "bold")
    # While paused or asking, the overlay takes the big letters' place.
    if side in _SIDE_STYLE and big and state.status is Status.RUNNING:
        rows = big_text(side)
        if fits(rows, width):
            block = lines(centred(rows, width), style)
            return [_Part(block, GLYPH_ROWS), _SPACER]  # the gap keeps it apart from the clock
    return [_Part(lines(centred(trim(wrap(words, width), 1, width), width), style), 1)]


def _countdown(state: PlayerState, width: int) -> _Part:
    text = countdown_text(state.remaining)
    style = "bold yellow" if state.status is not Status.RUNNING else "bold"
    rows = big_text(text)
    if not fits(rows, width):  # only below the 40 columns we support; never crop digits
        return _Part(lines(centred([text], width), style), 1)
    return _Part(lines(centred(rows, width), style), GLYPH_ROWS)


def _rep(state: PlayerState, width: int) -> list[_Part]:
    if (rep := state.rep) is None:
        return []
    if rep.phase == "hold":
        text, style = f"Hold {rep.number} of {rep.count}", "bold yellow"
    else:
        text, style = f"Relax · {rep.number} of {rep.count} done", "bold green"
    return [_Part(lines(centred([text], width), style), 1)]


def _bars(state: PlayerState, width: int, count: int) -> list[_Part]:
    """The segment's bar then the routine's, or only the routine's when ``count`` is 1."""
    segment = state.segment
    # Whole seconds as the countdown counts them, so the bars and the clock always agree.
    done = segment.seconds - _whole_seconds(state.remaining)
    bars = [
        _bar(_BAR_LABEL[segment.kind], done, segment.seconds, width),
        _bar("Routine", segment.start + done, state.plan.total, width),
    ]
    return bars[len(bars) - count :] if count > 0 else []


def _bar(label: str, done: float, total: float, width: int) -> _Part:
    """``Label ████░░░░ 1:00 / 2:30``; drawn in characters so it shows without colour."""
    times = f" {format_clock(done)} / {format_clock(total)}"
    head = f"{label:<7} "
    room = max(0, width - cell_len(head) - cell_len(times))
    filled = round(room * min(1.0, max(0.0, done / total))) if total > 0 else room
    text = Text(head, style="bold", no_wrap=True)
    text.append("█" * filled, style="green")
    text.append("░" * (room - filled), style="dim")
    text.append(times)
    return _Part(text, 1)


def _panel(rows: list[str], width: int, style: str) -> _Part:
    body = lines(centred(rows, width - 4), style)
    panel = Panel(body, box=box.HEAVY, border_style=style, padding=(0, 1), width=width)
    return _Part(panel, len(rows) + 2)


def _warning(warning: str, width: int) -> _Part:
    """A red, heavy-bordered box; the heavy border and '!' set it apart without colour."""
    rows = wrap(f"! {warning}", width - 4)
    panel = Panel(
        lines(rows, "bold red"),
        box=box.HEAVY,
        border_style="bold red",
        title="Warning",
        title_align="left",
        padding=(0, 1),
        width=width,
    )
    return _Part(panel, len(rows) + 2)


def _legend(state: PlayerState, width: int) -> _Part:
    """The keys, wrapped between items; the sharp-pain key in bold red."""
    items = CONFIRM_LEGEND if state.status is Status.CONFIRM_QUIT else LEGEND
    rows: list[list[str]] = [[]]
    for item in (*items, PAIN_KEY):
        line = " · ".join([*rows[-1], item])
        if rows[-1] and cell_len(line) > width:
            rows.append([item])
        else:
            rows[-1].append(item)
    text = Text(no_wrap=True, overflow="ellipsis")
    for number, row in enumerate(rows):
        if number:
            text.append("\n")
        for position, item in enumerate(row):
            if position:
                text.append(" · ", style="dim")
            text.append(item, style="bold red" if item == PAIN_KEY else "")
    return _Part(text, len(rows))


def visible_key(state: PlayerState, width: int, height: int) -> Hashable:
    """What the screen would show, cheaply: equal keys mean an identical screen."""
    upcoming = state.index + 1 if state.upcoming is not None else None
    return (
        state.index,
        state.status,
        _whole_seconds(state.remaining),
        state.cue,
        state.rep,
        upcoming,
        state.finish_reason,
        width,
        height,
    )
