"""SAFETY.md 4, the pain rules, as plain functions. Pure: no I/O, no clock of its own.

One rule, one place: the change label, the traffic light before and after a session, the
24-hour rule for next-morning scores and what counts towards the weekly goal are decided
here and nowhere else; every screen, export and report reads them from this module.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from fractions import Fraction
from typing import Literal

ChangeLabel = Literal["better", "worse", "no clear change"]
Morning = Literal["settled", "not settled"]

PAIN_SCALE = "0 to 10: 0 is no pain, 10 is the worst imaginable"
# SAFETY.md 4: a next-morning score belongs to a session that ended at most this long before.
MORNING_WINDOW = timedelta(hours=36)


def change_label(before: int | Fraction, after: int | Fraction) -> ChangeLabel:
    """SAFETY.md 4: "worse" when pain rose by 2 points or more, whatever the percentage;
    "better" when it fell by at least 2 points AND at least 30 % of the starting score;
    otherwise "no clear change". Exact for whole numbers and for an average kept as a
    Fraction."""
    change = Fraction(after) - Fraction(before)
    if change >= 2:  # safety errs towards worse: no percentage needed
        return "worse"
    # Exact arithmetic, so exactly 30 % counts without float rounding.
    if change <= -2 and -change * 10 >= 3 * Fraction(before):
        return "better"
    return "no clear change"


def rose_by_two(before: int | None, after: int | None) -> bool:
    """SAFETY.md 4 (product rule): after-session pain 2 or more points above before."""
    return before is not None and after is not None and change_label(before, after) == "worse"


def counts_towards_goal(done_seconds: float, planned_seconds: float) -> bool:
    """SAFETY.md 4 (product rule): a session counts when at least half its planned time was
    done; skipping every step is not a session."""
    return planned_seconds > 0 and 2 * done_seconds >= planned_seconds


def morning_verdict(pain_before: int, morning: int) -> Morning:
    """SAFETY.md 4, the 24-hour rule: settled when the next-morning score is no more than
    1 point above the session's own pain-before score."""
    return "settled" if morning - pain_before <= 1 else "not settled"


def morning_belongs_to(ended_at: datetime, now: datetime, tz: tzinfo) -> bool:
    """SAFETY.md 4: a next-morning score belongs to a session that ended on an earlier
    calendar day (in the person's zone) and at most 36 hours before."""
    earlier_day = ended_at.astimezone(tz).date() < now.astimezone(tz).date()
    return earlier_day and timedelta(0) <= now - ended_at <= MORNING_WINDOW


def before_session_advice(score: int) -> str | None:
    """SAFETY.md 4, the traffic light before a session (product rule)."""
    if score >= 8:
        return (
            f"Your pain is {score} out of 10. Rest today rather than massage. If this pain is "
            "new or much worse than usual, contact your GP or an urgent-care line (NHS 111 "
            "in the UK)."
        )
    if score >= 6:
        return (
            f"Your pain is {score} out of 10: go gently today. Every step uses its shortest "
            "time, use lighter pressure (a tennis ball rather than a lacrosse ball), and stop "
            "if the pain rises."
        )
    if score >= 4:
        return f"Your pain is {score} out of 10: ease the pressure today."
    return None


def needs_rest_confirmation(score: int | None) -> bool:
    """SAFETY.md 4: from 8, starting needs an explicit "yes" (the default is no)."""
    return score is not None and score >= 8


def go_gently(score: int | None) -> bool:
    """SAFETY.md 4: from 6, the session uses the shortest dose of every step."""
    return score is not None and score >= 6


# SAFETY.md 4: stop at once, whatever the score, for these.
STOP_NOW_ADVICE = (
    "Stop at once, whatever the score, for sharp, shooting or electric pain; new or increasing "
    "tingling or numbness; or leg symptoms spreading further down the leg. On a ball or "
    "roller, move off any spot that sets off tingling."
)
# SAFETY.md 4: after a sharp-pain stop, what to do now.
AFTER_STOP = (
    "Come off the ball or roller slowly. Lie or sit in a comfortable position and rest. "
    "No more massage today."
)
DURING_SESSION = "If the pain reaches 6 or more during a step, ease off or skip that step (n)."


def after_session_advice(before: int | None, after: int | None) -> list[str]:
    """SAFETY.md 4: what the pain after a session means, most urgent first."""
    advice = []
    if after is not None and after >= 8:
        advice.append(
            "If the pain does not ease with rest, contact your GP or an urgent-care line "
            "(NHS 111 in the UK)."
        )
    if after is not None and after >= 6:
        advice.append(
            "That is a lot of pain: make the next session gentler (lighter pressure, less "
            "time), and skip it if the pain has not settled by then."
        )
    elif after is not None and after >= 4:
        advice.append(
            "It should settle within 24 hours. Check in tomorrow morning: sciatica checkin --pain N"
        )
    if rose_by_two(before, after):
        # SAFETY.md 4 (product rule) and 2: a gentler session next time, and a new screen.
        advice.append(
            "Your pain is 2 or more points higher than before the session. Make the next "
            "session gentler, and the warning-sign questions will be asked again next time."
        )
    return advice
