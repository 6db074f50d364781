"""The two ways a session is shown: the live screen, and plain lines for pipes and screen
readers. Both take the same player states and effects; only what they print differs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING

from sciatica_cli.routines.durations import format_clock, format_seconds
from sciatica_cli.routines.planner import describe, heading, position_words
from sciatica_cli.session.player import (
    Finished,
    PlayerState,
    SegmentStarted,
    Speak,
    Status,
)

if TYPE_CHECKING:
    from sciatica_cli.routines.planner import Plan
    from sciatica_cli.session.player import Effect
    from sciatica_cli.session.screen import Screen


KEYS = "Keys: space pause, n next, b back, q quit, ! or x sharp pain: stop now."
_ENDINGS = {
    "completed": "Finished.",
    "quit": "Stopped.",
    "sharp pain": "Stopped for sharp pain.",
}


class LiveDisplay:
    """The full-screen countdown (see :mod:`sciatica_cli.session.screen`); ``notes`` holds a
    line to show with some segments (by index)."""

    def __init__(self, screen: Screen, notes: Mapping[int, str] | None = None) -> None:
        self.screen, self.notes = screen, dict(notes or {})
        self.warning: str | None = None

    def effects(self, state: PlayerState, effects: Sequence[Effect]) -> None:
        return None  # everything the effects change is drawn by show()

    def show(self, state: PlayerState, *, force: bool = False) -> None:
        note = self.notes.get(state.index)
        self.screen.update(state, force=force, note=note, warning=self.warning)

    def notice(self, text: str) -> None:
        self.warning = text  # one line on the screen until the session ends

    def redraw_in(self) -> float | None:
        return self.screen.redraw_in()


class PlainDisplay:
    """One line per event, stamped with the routine time; nothing is redrawn, so a screen
    reader reads each line once. With ``keys`` (stdin is a terminal) the keys work as on the
    live screen, and what each did is a line too."""

    def __init__(
        self,
        file: IO[str],
        plan: Plan,
        speed: float = 1.0,
        notes: Mapping[int, str] | None = None,
        *,
        keys: bool = False,
    ) -> None:
        self.file, self.plan, self.notes = file, plan, dict(notes or {})
        self._status = Status.RUNNING
        if speed != 1.0:
            self._line(f"PREVIEW x{speed:g} - not recorded as a real session")
        if keys:
            self._line(KEYS)

    def _line(self, text: str) -> None:
        self.file.write(text + "\n")
        self.file.flush()

    def effects(self, state: PlayerState, effects: Sequence[Effect]) -> None:
        at = f"[{format_clock(state.routine_elapsed)}]"
        for effect in effects:
            if isinstance(effect, SegmentStarted):
                self._segment(at, effect.index)
            elif isinstance(effect, Speak) and effect.kind in ("cue", "count", "next"):
                self._line(f"{at}   {effect.text}")
            elif isinstance(effect, Finished):
                self._line(f"{at} {_ENDINGS[effect.reason]}")

    def _segment(self, at: str, index: int) -> None:
        segment = self.plan.segments[index]
        label = heading(segment, side=True) if segment.kind == "setup" else describe(segment)
        self._line(f"{at} {label} ({format_seconds(segment.seconds)})")
        # Where the body goes, and its note, once: while getting into position, or with the
        # step itself when it has no setup before it.
        before = self.plan.segments[index - 1].kind if index else None
        if segment.kind in ("setup", "switch") or before not in ("setup", "switch"):
            position = position_words(segment.position)
            if position is not None:
                self._line(f"{at}   {position.capitalize()}.")
            if index in self.notes:
                self._line(f"{at}   {self.notes[index]}")
        if segment.kind == "step" and segment.warning:
            self._line(f"{at}   ! {segment.warning}")

    def show(self, state: PlayerState, *, force: bool = False) -> None:
        if state.status is self._status:
            return
        at = f"[{format_clock(state.routine_elapsed)}]"
        if state.status is Status.PAUSED:
            self._line(f"{at} Paused. Press space to carry on.")
        elif state.status is Status.CONFIRM_QUIT:
            self._line(f"{at} Stop the session? Press y to stop, n to carry on.")
        elif state.status is Status.RUNNING and self._status is not Status.RUNNING:
            self._line(f"{at} Carrying on.")
        self._status = state.status

    def redraw_in(self) -> float | None:
        return None  # every line is written as it happens

    def notice(self, text: str) -> None:
        self._line(text)
