"""The two ways a session is shown: the live screen, and plain lines for pipes and screen
readers. Both take the same player states and effects; only what they print differs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from sciatica_cli.routines.durations import format_clock, format_seconds
from sciatica_cli.routines.planner import describe, heading
from sciatica_cli.session.player import Finished, PlayerState, SegmentStarted, Speak

if TYPE_CHECKING:
    from sciatica_cli.routines.planner import Plan
    from sciatica_cli.session.player import Effect
    from sciatica_cli.session.screen import Screen


class LiveDisplay:
    """The full-screen countdown (see :mod:`sciatica_cli.session.screen`)."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen

    def effects(self, state: PlayerState, effects: Sequence[Effect]) -> None:
        return None  # everything the effects change is drawn by show()

    def show(self, state: PlayerState, *, force: bool = False) -> None:
        self.screen.update(state, force=force)


class PlainDisplay:
    """One line per segment and cue, stamped with the routine time; nothing is redrawn."""

    def __init__(self, file: IO[str], plan: Plan, speed: float = 1.0) -> None:
        self.file, self.plan = file, plan
        if speed != 1.0:
            self._line(f"PREVIEW x{speed:g} - not recorded as a real session")

    def _line(self, text: str) -> None:
        self.file.write(text + "\n")
        self.file.flush()

    def effects(self, state: PlayerState, effects: Sequence[Effect]) -> None:
        at = format_clock(state.routine_elapsed)
        for effect in effects:
            if isinstance(effect, SegmentStarted):
                segment = self.plan.segments[effect.index]
                setup = segment.kind == "setup"
                label = heading(segment, side=True) if setup else describe(segment)
                self._line(f"[{at}] {label} ({format_seconds(segment.seconds)})")
                if segment.kind == "step" and segment.warning:
                    self._line(f"[{at}]   ! {segment.warning}")
            elif isinstance(effect, Speak) and effect.text == state.cue:
                self._line(f"[{at}]   {effect.text}")
            elif isinstance(effect, Finished):
                self._line(f"[{at}] Finished.")

    def show(self, state: PlayerState, *, force: bool = False) -> None:
        return None
