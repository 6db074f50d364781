"""The guided session as a state machine over an injected clock. It never prints or sleeps.

The session loop feeds it actions (from keys) and ticks (when :meth:`Player.next_wakeup`
comes); each call returns the effects to carry out: bells, speech, segment results, the end.
Deadlines are absolute readings of the clock, so waiting late never accumulates error, and a
pause simply moves the current segment's start later by the time paused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from sciatica_cli.routines.planner import Plan, Segment, describe, heading
from sciatica_cli.session.clock import Clock

NEXT_LEAD = 8.0  # seconds before a step ends when the next one is shown and spoken
BACK_GRACE = 3.0  # within this many seconds of a step's start, back goes to the previous step
LATE = 2.0  # a bell or words more than this late (after a stall) are dropped, not bunched up
COUNTDOWN_BELLS = 3  # a bell at 3, 2 and 1 seconds before a step ends

Outcome = Literal["done", "skipped", "stopped"]
FinishReason = Literal["completed", "quit", "sharp pain"]
# opening: a segment begins; cue: the routine's words; count: hold and relax; next: what comes
# after this step; status: the answer to a key (paused, carry on).
SpeechKind = Literal["opening", "cue", "count", "next", "status"]


class Status(str, Enum):
    RUNNING = "running"
    PAUSED = "paused"
    CONFIRM_QUIT = "confirm quit"
    FINISHED = "finished"


class Action(str, Enum):
    TOGGLE_PAUSE = "pause"
    NEXT = "next"
    BACK = "back"
    QUIT = "quit"
    YES = "yes"
    NO = "no"
    SHARP_PAIN = "sharp pain"


@dataclass(frozen=True)
class Ring:
    """Ring the terminal bell."""


@dataclass(frozen=True)
class Speak:
    """Say these words; ``kind`` tells a display which it should print as well."""

    text: str
    kind: SpeechKind = "cue"


@dataclass(frozen=True)
class SegmentStarted:
    """A segment begins (never dropped, however late: the journal needs it)."""

    index: int


@dataclass(frozen=True)
class SegmentEnded:
    """A segment is over: its outcome and the seconds actually spent in it (pauses excluded)."""

    index: int
    outcome: Outcome
    done_seconds: float
    started_at: float
    ended_at: float


@dataclass(frozen=True)
class Finished:
    """The session is over."""

    reason: FinishReason
    at: float


Effect = Ring | Speak | SegmentStarted | SegmentEnded | Finished


def action_for_key(key: str, status: Status) -> Action | None:
    """The keys of the issue: one keypress each, no Enter. While asking y/n, 'n' means no."""
    if status is Status.CONFIRM_QUIT:
        return {
            "y": Action.YES,
            "n": Action.NO,
            "escape": Action.NO,
            "q": Action.NO,
            "!": Action.SHARP_PAIN,
            "x": Action.SHARP_PAIN,
        }.get(key.lower())
    return {
        "space": Action.TOGGLE_PAUSE,
        "n": Action.NEXT,
        "right": Action.NEXT,
        "b": Action.BACK,
        "left": Action.BACK,
        "q": Action.QUIT,
        "!": Action.SHARP_PAIN,
        "x": Action.SHARP_PAIN,
    }.get(key.lower())


@dataclass(frozen=True)
class Rep:
    """Where a counted step is: rep ``number`` of ``count``, holding or relaxing."""

    number: int
    count: int
    phase: Literal["hold", "relax"]


@dataclass(frozen=True)
class PlayerState:
    """Everything the screen shows; a snapshot at one reading of the clock."""

    plan: Plan
    index: int
    status: Status
    remaining: float
    elapsed: float
    cue: str | None
    finish_reason: FinishReason | None

    @property
    def segment(self) -> Segment:
        return self.plan.segments[self.index]

    @property
    def upcoming(self) -> Segment | None:
        """The next segment, once it is worth showing (the last seconds, or during a gap)."""
        if self.index + 1 >= len(self.plan.segments):
            return None
        if self.segment.kind != "step" or self.remaining <= NEXT_LEAD:
            return self.plan.segments[self.index + 1]
        return None

    @property
    def routine_elapsed(self) -> float:
        return self.segment.start + self.elapsed

    @property
    def rep(self) -> Rep | None:
        segment = self.segment
        if segment.kind != "step" or not segment.reps or not segment.hold:
            return None
        period = segment.hold + (segment.relax or 0)
        number = min(int(self.elapsed // period) + 1, segment.reps)
        phase: Literal["hold", "relax"] = (
            "hold" if self.elapsed - (number - 1) * period < segment.hold else "relax"
        )
        return Rep(number, segment.reps, phase)


@dataclass(frozen=True)
class _Scheduled:
    offset: float
    effects: tuple[Effect, ...]
    cue: str | None = None


class Player:
    """Steps through a plan on ``clock``; see the module docstring."""

    def __init__(self, plan: Plan, clock: Clock) -> None:
        if not plan.segments:
            raise ValueError("a plan with no segments cannot be played")
        self.plan = plan
        self.clock = clock
        self.status = Status.RUNNING
        self.index = 0
        self.finish_reason: FinishReason | None = None
        self.paused_seconds = 0.0
        self._segment_start = 0.0
        self._paused_at: float | None = None
        self._before_confirm = Status.RUNNING
        self._schedule: list[_Scheduled] = []
        self._fired = 0
        self._cue: str | None = None

    # -- reading the state ----------------------------------------------------------------

    def _now(self) -> float:
        return self._paused_at if self._paused_at is not None else self.clock.now()

    @property
    def segment(self) -> Segment:
        return self.plan.segments[self.index]

    @property
    def elapsed(self) -> float:
        """Seconds spent in the current segment, pauses excluded."""
        return max(0.0, min(self._now() - self._segment_start, self.segment.seconds))

    @property
    def state(self) -> PlayerState:
        elapsed = self.elapsed
        return PlayerState(
            self.plan,
            self.index,
            self.status,
            self.segment.seconds - elapsed,
            elapsed,
            self._cue,
            self.finish_reason,
        )

    def next_wakeup(self) -> float | None:
        """When :meth:`tick` next has something to do (or the countdown's digits change)."""
        if self.status is not Status.RUNNING:
            return None
        deadline = self._segment_start + self.segment.seconds
        times = [deadline]
        if self._fired < len(self._schedule):
            times.append(self._segment_start + self._schedule[self._fired].offset)
        remaining = deadline - self.clock.now()
        if remaining > 1:
            times.append(deadline - (math.ceil(remaining) - 1))
        return min(times)

    # -- driving it -----------------------------------------------------------------------

    def start(self) -> list[Effect]:
        """Begin the first segment."""
        self._enter(0, self.clock.now())
        return self.tick()

    def tick(self) -> list[Effect]:
        """Catch up with the clock: fire what is due, end segments whose time is up."""
        effects: list[Effect] = []
        now = self.clock.now()
        while self.status is Status.RUNNING:
            due = self._schedule[self._fired] if self._fired < len(self._schedule) else None
            deadline = self._segment_start + self.segment.seconds
            if due is not None and self._segment_start + due.offset <= min(now, deadline):
                self._fired += 1
                late = now - (self._segment_start + due.offset) > LATE
                if due.cue is not None:
                    self._cue = due.cue
                effects.extend(e for e in due.effects if not late or isinstance(e, SegmentStarted))
                continue
            if deadline > now:
                break
            effects.append(self._end(self.segment.seconds, "done", deadline))
            effects.extend(self._advance(deadline))
        return effects

    def handle(self, action: Action) -> list[Effect]:
        """Apply one action from the person; returns the effects."""
        if self.status is Status.FINISHED:
            return []
        now = self.clock.now()
        if action is Action.SHARP_PAIN:
            return [self._end(self.elapsed, "stopped", now), self._finish("sharp pain", now)]
        if self.status is Status.CONFIRM_QUIT:
            if action is Action.YES:
                return [self._end(self.elapsed, "stopped", now), self._finish("quit", now)]
            if action is Action.NO:
                if self._before_confirm is Status.RUNNING:
                    self._resume(now)
                else:
                    self.status = Status.PAUSED
            return []
        if action is Action.TOGGLE_PAUSE:
            if self.status is Status.PAUSED:
                self._resume(now)
                return [Speak("Carry on.", "status")]
            self._pause(now)
            return [Speak("Paused.", "status")]
        if action is Action.QUIT:
            self._before_confirm = self.status
            if self.status is Status.RUNNING:
                self._pause(now)
            self.status = Status.CONFIRM_QUIT
            return []
        if action is Action.NEXT:  # also from a pause: the next segment starts running
            return [self._end(self.elapsed, "skipped", now), *self._advance(now), *self.tick()]
        if action is Action.BACK:
            self._enter(self._back_target(), now)
            return self.tick()
        return []

    # -- internals ------------------------------------------------------------------------

    def _pause(self, now: float) -> None:
        self._paused_at = now
        self.status = Status.PAUSED

    def _resume(self, now: float) -> None:
        if self._paused_at is not None:
            self._segment_start += now - self._paused_at
            self.paused_seconds += now - self._paused_at
        self._paused_at = None
        self.status = Status.RUNNING

    def _back_target(self) -> int:
        """Restart this step; near its start, go to the previous step instead."""
        if self.elapsed >= BACK_GRACE or self.segment.kind != "step":
            return self.index
        earlier = [i for i in range(self.index) if self.plan.segments[i].kind == "step"]
        return earlier[-1] if earlier else self.index

    def _end(self, done: float, outcome: Outcome, at: float) -> SegmentEnded:
        return SegmentEnded(self.index, outcome, done, self._segment_start, at)

    def _advance(self, at: float) -> list[Effect]:
        """Move to the next segment (its opening fires on the next tick), or finish."""
        if self.index + 1 >= len(self.plan.segments):
            return [self._finish("completed", at)]
        self._enter(self.index + 1, at)
        return []

    def _finish(self, reason: FinishReason, at: float) -> Finished:
        self.status, self.finish_reason = Status.FINISHED, reason
        self._paused_at = at  # freeze the state where it ended
        return Finished(reason, at)

    def _enter(self, index: int, at: float) -> None:
        self.index, self._segment_start = index, at
        self.status, self._paused_at, self._cue = Status.RUNNING, None, None
        self._schedule, self._fired = _schedule(self.plan, index), 0


def _schedule(plan: Plan, index: int) -> list[_Scheduled]:
    """Everything that happens inside segment ``index``, by offset from its start."""
    segment = plan.segments[index]
    upcoming = plan.segments[index + 1] if index + 1 < len(plan.segments) else None
    opening: tuple[Effect, ...] = (
        SegmentStarted(index),
        Ring(),
        Speak(_opening(segment), "opening"),
    )
    items = [_Scheduled(0.0, opening)]
    if segment.kind == "step":
        # The routine's own words first: at the same moment, "Draw the knee in" must come
        # before "Hold, 1", or the hold would start before the movement.
        items.extend(_Scheduled(c.offset, (Speak(c.say),), c.say) for c in segment.cues)
        items.extend(_rep_items(segment))
        # A rest needs no warning; a short step would hear "next" before it got going.
        if upcoming is not None and upcoming.kind != "rest" and segment.seconds >= 2 * NEXT_LEAD:
            items.append(
                _Scheduled(
                    segment.seconds - NEXT_LEAD, (Speak(f"Next: {describe(upcoming)}.", "next"),)
                )
            )
        bells = range(COUNTDOWN_BELLS, 0, -1)
        items.extend(
            _Scheduled(segment.seconds - n, (Ring(),)) for n in bells if segment.seconds - n > 0
        )
    return sorted(items, key=lambda item: item.offset)  # stable: ties keep this order


def _opening(segment: Segment) -> str:
    if segment.kind == "setup":
        # With the voice on, the position and set-up are spoken while getting into position.
        return segment.setup_speech or f"{heading(segment, side=True)}."
    if segment.kind == "switch":
        return f"{segment.title}."
    if segment.kind == "rest":
        return "Rest."
    return f"Begin: {describe(segment)}." if segment.reps is None else "Begin."


def _rep_items(segment: Segment) -> list[_Scheduled]:
    if not segment.reps or not segment.hold:
        return []
    period = segment.hold + (segment.relax or 0)
    items = []
    for n in range(segment.reps):
        items.append(_Scheduled(n * period, (Speak(f"Hold, {n + 1}.", "count"),)))
        if segment.relax:
            items.append(_Scheduled(n * period + segment.hold, (Speak("Relax.", "count"),)))
    return items
