"""SAFETY.md 6, progression (pain monitoring model): the dose of a routine's next session,
replayed from its real sessions, oldest first, with the reason in words. Pure: no I/O, no clock.

A dose is minutes an area. It starts at 5 (within the routine's shortest and upper end), goes
up by 1 after 2 sessions in a row that settled, back to the dose before the last step-up after
a session that ended worse or did not settle by the next morning, and to the shortest after a
sharp-pain stop or a session begun at pain 6 or more. The decisions made here (SAFETY.md 6
leaves them open) are written where they are made:

- Two scores (leg and back apart): a session is worse, or its morning not settled, if either
  score is; it settled only if both did; its pain before was 6 or more if either was.
- Only a session held (half its plan done, SAFETY.md 4), with a score before and after, run at
  the journal's dose (not ``--minutes``) and ending below 6 (SAFETY.md 4: after 6, the next
  session is gentler) counts towards a step-up; any other breaks the row.
  Every real session counts towards a step back or the shortest (safety errs towards worse).
- "Never step up twice in 7 days": a step-up that is due waits until 7 calendar days (in the
  person's zone) after the day of the last one; it takes effect at the next session's start.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal, NamedTuple

from sciatica_cli.safety.pain import counts_towards_goal, go_gently, morning_verdict, rose_by_two

START_DOSE = 5.0  # SAFETY.md 6: minutes an area
STEP_UP = 1.0
IN_A_ROW = 2  # SAFETY.md 6: settled sessions in a row before a step-up
STEP_UP_DAYS = 7  # SAFETY.md 6: never step up twice in 7 days

Verdict = Literal[
    "sharp pain", "high before", "worse", "not settled", "high after", "settled", "within 1",
    "not held", "minutes", "unscored",
]  # fmt: skip
_COUNTS = ("settled", "within 1")  # a session that counts towards a step-up
_NOT_COUNTED = {
    "not held": "less than half of it was done",
    "minutes": "its length came from --minutes",
    "unscored": "its pain before or after was not given",
    "high after": "it ended at 6 or more",
}


class Outcome(NamedTuple):
    """One real session of the routine as progression sees it. With ``two_scores`` the pain
    scores are the leg's and ``back_*`` the back's; otherwise ``back_*`` are not read."""

    started_at: datetime
    pain_before: int | None
    pain_after: int | None
    morning: int | None = None
    sharp_stop: bool = False
    done_seconds: float = 1.0
    planned_seconds: float = 1.0
    by_minutes: bool = False  # its length came from --minutes, not the journal's dose
    two_scores: bool = False
    back_before: int | None = None
    back_after: int | None = None
    morning_back: int | None = None


# The most cautious first: with two scores, a session is what its more cautious score says.
_CAUTION: tuple[Verdict, ...] = (
    "high before", "worse", "not settled", "high after", "unscored", "within 1",
)  # fmt: skip


def verdict(session: Outcome) -> Verdict:
    """What one session means for the dose, the most cautious reading first."""
    if session.sharp_stop:
        return "sharp pain"
    seen = _scores(session.pain_before, session.pain_after, session.morning)
    if session.two_scores:
        back = _scores(session.back_before, session.back_after, session.morning_back)
        seen = min(seen, back, key=lambda v: _CAUTION.index(v) if v in _CAUTION else 9)
    if seen in ("high before", "worse", "not settled"):
        return seen  # every real session counts towards these, held or not
    if not counts_towards_goal(session.done_seconds, session.planned_seconds):
        return "not held"
    return "minutes" if session.by_minutes else seen


@functools.cache  # scores are whole numbers from 0 to 10: a replay asks the same few again
def _scores(before: int | None, after: int | None, morning: int | None) -> Verdict:
    """One score's before, after and next morning (SAFETY.md 4's rules) as a verdict."""
    if go_gently(before):
        return "high before"
    if rose_by_two(before, after):
        return "worse"
    # The 24-hour rule: "not settled" is 2 or more above the session's own pain before.
    if before is not None and morning is not None and morning_verdict(before, morning) != "settled":
        return "not settled"
    if before is None or after is None:
        return "unscored"
    if after >= 6:
        # SAFETY.md 4: after 6 or more, make the next session gentler; so never a step-up
        # (SAFETY.md 6 steps back only for 2 points worse or a morning not settled).
        return "high after"
    # Within 1 point: a rise of 2 is worse, and whole numbers leave a rise of 1 at most.
    return "within 1" if morning is None else "settled"


@dataclass(frozen=True)
class DoseRange:
    """A routine's doses in minutes an area: its shortest (every ranged step at its min), its
    upper end (every one at its max), and the start, 5 within them."""

    shortest: float
    upper: float

    @property
    def start(self) -> float:
        return self.clamp(START_DOSE)

    def clamp(self, dose: float) -> float:
        return min(max(dose, self.shortest), self.upper)


@dataclass(slots=True)
class Progress:
    """Where the replay stands: the dose, and the last event with what it needs to be told.
    Changed in place by :func:`due` and :func:`after` (10,000 sessions replay in a blink)."""

    dose: float
    previous: list[float] = field(default_factory=list)  # the dose before each step-up since
    # the last reset: a step back returns to the last of them
    run: int = 0  # sessions in a row that count towards a step-up
    run_mornings: int = 0  # of those, how many settled by the next morning
    last_up: datetime | None = None
    next_up: date | None = None  # the first local day another step-up may be taken
    event: str = "start"  # "start", "up", "waiting", "top", "session", "back", "stay", "reset"
    last: Verdict | None = None  # the last session's verdict
    came_from: float | None = None  # the dose before the last change
    up_after: int = 0  # for a step-up: the sessions in a row that earned it
    up_settled: bool = False  # ... and whether each settled by the next morning

    @property
    def source(self) -> str:
        """ "shortest" straight after a reset (the session that caused it was the last)."""
        return "shortest" if self.event == "reset" else "journal"


def replay(sessions: Iterable[Outcome], doses: DoseRange, tz: tzinfo) -> Progress:
    """The progression after ``sessions`` (oldest first), before the next session."""
    state = Progress(doses.start)
    for session in sessions:
        due(state, session.started_at, doses, tz)
        after(state, session, doses)
    return state


def due(state: Progress, at: datetime, doses: DoseRange, tz: tzinfo) -> None:
    """The dose for a session starting ``at``: a step-up that is due is taken now, unless the
    last one was less than 7 days before (then it waits) or the dose is at the upper end."""
    dose = state.dose = doses.clamp(state.dose)  # the routine may have been edited since
    if state.run < IN_A_ROW:
        return
    if dose >= doses.upper:
        state.event = "top"
        return
    if state.last_up is not None and _too_soon(at, state.last_up, state.next_up, tz):
        state.event = "waiting"
        return
    state.previous.append(dose)
    state.dose, state.came_from = doses.clamp(dose + STEP_UP), dose
    state.last_up, state.next_up = at, _local_day(at, tz) + timedelta(days=STEP_UP_DAYS)
    state.up_after, state.up_settled = state.run, state.run_mornings == state.run
    state.run = state.run_mornings = 0  # a step-up resets the count of sessions in a row
    state.event = "up"


def after(state: Progress, session: Outcome, doses: DoseRange) -> None:
    """The progression once ``session`` is over."""
    seen = state.last = verdict(session)
    state.event = "session"
    if seen in _COUNTS:
        state.run += 1
        state.run_mornings += seen == "settled"
        return
    state.run = state.run_mornings = 0
    if seen in ("sharp pain", "high before"):
        # SAFETY.md 6: back to the shortest; progression starts again from there.
        state.dose, state.event = doses.shortest, "reset"
        state.previous.clear()
    elif seen in ("worse", "not settled"):
        # SAFETY.md 6: back to the dose before the last step-up. With none, the dose is where
        # progression began (the start, or the shortest after a reset) and stays there:
        # SAFETY.md 6 keeps the shortest for sharp pain and pain of 6 or more.
        state.event = "stay"
        if state.previous:
            state.came_from, state.dose = state.dose, state.previous.pop()
            state.event = "back"


# Local days are counted in the person's zone, where an offset changes by at most a few hours
# (daylight saving): a gap in UTC far enough from 7 days settles it without asking the zone.
_SURELY_TOO_SOON = timedelta(days=STEP_UP_DAYS - 1, hours=-3)
_SURELY_LATE_ENOUGH = timedelta(days=STEP_UP_DAYS, hours=3)


def _too_soon(at: datetime, last_up: datetime, next_up: date | None, tz: tzinfo) -> bool:
    """Whether a session starting ``at`` falls before ``next_up``, the local day 7 days after
    the day of the last step-up (at ``last_up``)."""
    gap = at - last_up
    if gap <= _SURELY_TOO_SOON:
        return True
    if gap >= _SURELY_LATE_ENOUGH or next_up is None:
        return False
    return _local_day(at, tz) < next_up


def _local_day(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def minutes_words(dose: float) -> str:
    """``6 minutes``, ``1 minute``, ``2.5 minutes``."""
    shown = round(dose, 1)
    return f"{shown:g} minute{'' if shown == 1 else 's'}"


def reason(state: Progress, routine: str, tz: tzinfo) -> str:
    """Why the dose is what it is, for after "Today: 6 minutes an area (...)"."""
    dose = f"{round(state.dose, 1):g}"
    came = f"{round(state.came_from or 0, 1):g}"
    if state.event == "start":
        return f"the start dose: no {routine} sessions in your journal yet"
    if state.event == "up":
        many = f"up from {came}: your last {state.up_after} {routine} sessions"
        if state.up_settled:
            return f"{many} settled by the next morning"
        return f"{many} ended no more than 1 point above where they began"
    if state.event == "waiting":
        assert state.last_up is not None
        day = state.last_up.astimezone(tz)
        when = f"{day:%a} {day.day} {day:%b}"
        return f"kept at {dose}: it went up on {when}; it goes up at most once in 7 days"
    if state.event == "top":
        return f"kept at {dose}: the upper end of {routine}"
    last = f"your last {routine} session"
    if state.event == "reset":
        if state.last == "sharp pain":
            return f"{last} was stopped for sharp pain"
        return f"your pain before {last} was 6 or more"
    worse = (
        f"{last} ended 2 or more points worse"
        if state.last == "worse"
        else f"your pain had not settled the morning after {last}"
    )
    if state.event == "back":
        return f"down from {came}: {worse}"
    if state.event == "stay":
        return f"kept at {dose}, where it starts: {worse}"
    if state.last in _NOT_COUNTED:
        why = _NOT_COUNTED[state.last]
        # No parentheses: the reason is shown inside "Today: ... (reason)."
        return f"kept at {dose}: {last} does not count towards going up, as {why}"
    how = "settled by the next morning" if state.last == "settled" else "ended within 1 point"
    return f"kept at {dose}: {last} {how}; after one more like it, it goes up"
